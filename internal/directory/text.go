package directory

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lower-cases s and strips diacritics, so that "Pôle Risques" and
// "pole risques" sort and match alike on every engine.
func Fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		// Most names are plain ASCII: skip the normalisation.
		return strings.ToLower(s)
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.ToLower(out)
}

// Words splits a query into folded words, dropping empty ones and limiting
// their number so that a huge query stays cheap.
func Words(q string) []string {
	fields := strings.FieldsFunc(Fold(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '@'
	})
	if len(fields) > 12 {
		fields = fields[:12]
	}
	return fields
}

// SearchText is the folded text a record is found by.
func SearchText(parts ...string) string {
	return Fold(strings.Join(parts, " \x1f "))
}
