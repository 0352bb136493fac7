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
