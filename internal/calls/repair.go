package calls

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// cp1252Byte maps a character back to the Windows-1252 byte it was
// decoded from. Bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F,
// 0x90, 0x9D) and Latin-1 readings arrive as the C1 control of the same
// value, so those map to themselves: the portal's text has ” (E2 80 9D)
// as "â€" followed by U+009D.
var cp1252Byte = func() map[rune]byte {
	m := make(map[rune]byte, 160)
	for b := 0x80; b <= 0xFF; b++ {
		m[rune(b)] = byte(b)
	}
	for b := 0x80; b <= 0xFF; b++ {
		if r := charmap.Windows1252.DecodeByte(byte(b)); r != utf8.RuneError {
			m[r] = byte(b)
		}
	}
	return m
}()

// RepairText undoes UTF-8 that was read as Windows-1252 (or Latin-1)
// and written out again as UTF-8, e.g. "â€" for ”, and reports whether
// it changed anything. Only runs of characters whose bytes form a valid
// multi-byte UTF-8 sequence are replaced, so correct text such as "–",
// "’’" or "ö" is left alone.
func RepairText(s string) (string, bool) {
	// Every sequence starts with a lead byte 0xC2–0xF4, which Windows-1252
	// decodes to the same code point; text without one has nothing to do.
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xC2 && r <= 0xF4 }) {
		return s, false
	}
	var b strings.Builder
	b.Grow(len(s))
	repaired := false
	runes := []rune(s)
	for i := 0; i < len(runes); {
		if r, n := decodeMojibake(runes[i:]); n > 0 {
			b.WriteRune(r)
			i += n
			repaired = true
			continue
		}
		b.WriteRune(runes[i])
		i++
	}
	if !repaired {
		return s, false
	}
	return b.String(), true
}

// decodeMojibake reads one UTF-8 sequence spelt as Windows-1252
// characters at the start of rs, returning the character and how many
// runes it took, or 0 when rs does not start with one.
func decodeMojibake(rs []rune) (rune, int) {
	lead, ok := cp1252Byte[rs[0]]
	if !ok {
		return 0, 0
	}
	var n int
	switch {
	case lead >= 0xC2 && lead <= 0xDF:
		n = 2
	case lead >= 0xE0 && lead <= 0xEF:
		n = 3
	case lead >= 0xF0 && lead <= 0xF4:
		n = 4
	default:
		return 0, 0
	}
	if len(rs) < n {
		return 0, 0
	}
	buf := []byte{lead}
	for _, r := range rs[1:n] {
		c, ok := cp1252Byte[r]
		if !ok || c < 0x80 || c > 0xBF {
			return 0, 0
		}
		buf = append(buf, c)
	}
	r, size := utf8.DecodeRune(buf)
	if r == utf8.RuneError || size != n {
		return 0, 0
	}
	return r, n
}
