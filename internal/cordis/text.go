package cordis

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ParseAmount reads a decimal amount in euros ("1234", "36263.800000000003",
// "1234,5") as cents, rounding half away from zero. Empty is unknown.
// Either '.' or ',' may separate the decimals (newer exports have used
// both); CORDIS never writes thousands separators.
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Amount{}, nil
	}
	orig := s
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	whole, frac := s, ""
	if i := strings.IndexAny(s, ".,"); i >= 0 {
		whole, frac = s[:i], s[i+1:]
	}
	if whole == "" && frac == "" || !digits(whole) || !digits(frac) {
		return Amount{}, fmt.Errorf("not a number: %q (amounts are written like 1234.56)", orig)
	}
	if len(whole) > 15 {
		return Amount{}, fmt.Errorf("amount %q is too large", orig)
	}
	var cents int64
	for _, c := range whole {
		cents = cents*10 + int64(c-'0')
	}
	frac += "000"
	cents = cents*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	if frac[2] >= '5' {
		cents++
	}
	if neg {
		cents = -cents
	}
	return Cents(cents), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// parseDate accepts YYYY-MM-DD, optionally followed by a time (which is
// dropped), and returns the day.
func parseDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	day := s
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		day = s[:10]
	}
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return "", fmt.Errorf("not a date: %q (want YYYY-MM-DD)", s)
	}
	return day, nil
}

// parseTimestamp reads contentUpdateDate ("2024-03-15 12:34:56" or a
// bare date) into a form that sorts by time.
func parseTimestamp(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05", time.DateOnly} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC().Format(time.DateTime), nil
		}
	}
	return "", fmt.Errorf("not a date and time: %q", s)
}

func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "y":
		return true, nil
	case "false", "0", "no", "n", "":
		return false, nil
	}
	return false, fmt.Errorf("not true or false: %q", s)
}

// NormalizeVAT upper-cases a VAT number and drops spaces and punctuation
// that separate its parts. A VAT number has 4 to 20 letters and digits,
// at least three of them digits. Text without digits says there is none
// ("MISSING", "VAT EXEMPTION", "IVAEXENTO", "n/a") and gives "" with ok
// true; anything else that is not a VAT number gives "" with ok false.
func NormalizeVAT(s string) (string, bool) {
	var b strings.Builder
	n, other := 0, false
	for _, r := range strings.ToUpper(s) {
		switch {
		case r >= '0' && r <= '9':
			n++
			b.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case r == ' ', r == '.', r == '-', r == '/', r == '\t':
		default:
			other = true
		}
	}
	v := b.String()
	switch {
	case n == 0 || v == "0":
		return "", true
	case other || len(v) < 4 || len(v) > 20 || n < 3:
		return "", false
	}
	return v, true
}

var (
	errNotUTF8 = errors.New("not valid UTF-8 (export the file as UTF-8)")
	errNUL     = errors.New("contains a NUL byte")
)

// cleanText checks and repairs a text field. It returns the trimmed text,
// a warning when it repaired something or found lost characters, and an
// error when the text cannot be stored as it was meant.
func cleanText(s string) (out, warning string, err error) {
	if !utf8.ValidString(s) {
		return "", "", errNotUTF8
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", "", errNUL
	}
	out = strings.TrimSpace(s)
	if !ascii(out) {
		fixed, at := out, -1
		for range 3 { // text double-encoded twice needs two rounds
			next, first := repairMojibake(fixed)
			if first < 0 {
				break
			}
			if at < 0 {
				at = first
			}
			fixed = next
		}
		if i := mojibakeAt(fixed); i >= 0 {
			return "", "", fmt.Errorf("mis-encoded text that cannot be repaired: %q", excerpt(fixed, i))
		}
		if at >= 0 {
			warning = fmt.Sprintf("mis-encoded text repaired: %q → %q", excerpt(out, at), excerpt(fixed, at))
			out = fixed
		}
	}
	if strings.ContainsRune(out, utf8.RuneError) {
		warning = strings.TrimPrefix(warning+"; contains U+FFFD: characters were lost before the export", "; ")
	}
	return out, warning, nil
}

func excerpt(s string, at int) string {
	start := max(0, at-12)
	for start > 0 && !utf8.RuneStart(s[start]) {
		start--
	}
	end := min(len(s), at+20)
	for end < len(s) && !utf8.RuneStart(s[end]) {
		end++
	}
	return s[start:end]
}

// cp1252Byte is the byte Windows-1252 encodes r as; the C1 controls stand
// for the bytes Windows-1252 leaves undefined (a Latin-1 reading).
func cp1252Byte(r rune) (byte, bool) {
	if r >= 0 && r < 0x100 {
		return byte(r), true
	}
	return charmap.Windows1252.EncodeRune(r)
}

// seqLen is the length of the UTF-8 sequence that lead starts (0 if it
// starts none).
func seqLen(lead byte) int {
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		return 2
	case lead >= 0xE0 && lead <= 0xEF:
		return 3
	case lead >= 0xF0 && lead <= 0xF4:
		return 4
	}
	return 0
}

// plausible reports whether a repaired character is one that European
// names and texts use: Latin letters with diacritics, Greek, Cyrillic,
// punctuation, the euro sign and ™. This keeps rare legitimate pairs such
// as "Ö’" from being "repaired" into an unrelated script.
func plausible(r rune) bool {
	return r >= 0xA0 && r <= 0x24F || r >= 0x370 && r <= 0x52F || r >= 0x1E00 && r <= 0x1EFF ||
		r >= 0x2000 && r <= 0x206F || r == 0x20AC || r >= 0x2100 && r <= 0x214F
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// repairMojibake reverses UTF-8 text that was decoded as Windows-1252 and
// encoded again: each run of characters whose Windows-1252 bytes form one
// valid, plausible UTF-8 character is replaced by that character. It
// returns the byte offset of the first repair, or -1 when nothing changed.
func repairMojibake(s string) (string, int) {
	var b strings.Builder
	first := -1
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if lead, ok := cp1252Byte(r); ok && r >= 0x80 {
			if n := seqLen(lead); n > 0 {
				buf := [4]byte{lead}
				j, k := i+size, 1
				for k < n && j < len(s) {
					r2, sz := utf8.DecodeRuneInString(s[j:])
					c, ok := cp1252Byte(r2)
					if !ok || r2 < 0x80 || c&0xC0 != 0x80 {
						break
					}
					buf[k] = c
					k, j = k+1, j+sz
				}
				if k == n {
					if dec, _ := utf8.DecodeRune(buf[:n]); dec != utf8.RuneError && plausible(dec) {
						if first < 0 {
							first = i
						}
						b.WriteRune(dec)
						i = j
						continue
					}
				}
			}
		}
		b.WriteString(s[i : i+size])
		i += size
	}
	if first < 0 {
		return s, -1
	}
	return b.String(), first
}

// mojibakeAt returns the byte offset of the first typical mojibake marker
// in s, or -1: "â€" (the start of a double-encoded punctuation mark), or
// "Ã"/"Â" followed by a character that Windows-1252 writes as a UTF-8
// continuation byte ("Ã©", "Â°"). Legitimate text has neither: "SÃO"
// and "CÂBLE" are followed by a plain letter.
func mojibakeAt(s string) int {
	if i := strings.Index(s, "â€"); i >= 0 {
		return i
	}
	for i, r := range s {
		if r != 'Ã' && r != 'Â' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+len("Ã"):])
		if c, ok := cp1252Byte(next); ok && next >= 0x80 && c&0xC0 == 0x80 {
			return i
		}
	}
	return -1
}
