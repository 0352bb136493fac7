// Package svg holds what the server-drawn figures (the map, the network
// drawing) share when they write SVG by hand: escaping, safe links,
// compact numbers, element ids and count labels.
package svg

import (
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"unicode"
)

// SafeURL lets relative URLs and http(s) and mailto links through, and
// replaces anything else (javascript: …) as html/template does.
func SafeURL(u string) string {
	if u == "" {
		return ""
	}
	// A path (not //host) needs no parsing: it has no scheme.
	if u[0] == '/' && (len(u) == 1 || u[1] != '/' && u[1] != '\\') && !strings.ContainsAny(u, "\x00\t\n\r") {
		return u
	}
	p, err := url.Parse(u)
	if err != nil {
		return "#ZgotmplZ"
	}
	switch strings.ToLower(p.Scheme) {
	case "", "http", "https", "mailto":
		return u
	}
	return "#ZgotmplZ"
}

// Esc escapes text for an HTML or SVG text node or quoted attribute.
func Esc(s string) string { return template.HTMLEscapeString(s) }

// EscTo writes s escaped, without an intermediate string.
func EscTo(b *strings.Builder, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '"':
			r = "&#34;"
		case '\'':
			r = "&#39;"
		case 0:
			r = "\uFFFD"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// Round1 rounds to one decimal, the precision of every coordinate drawn.
func Round1(v float64) float64 { return math.Round(v*10) / 10 }

// Num writes a coordinate with at most one decimal.
func Num(v float64) string { return strconv.FormatFloat(Round1(v), 'f', -1, 64) }

// CleanID keeps the ASCII letters, digits, dashes and underscores of s for
// an element id, starting it with prefix when it would not start with a
// letter.
func CleanID(s, prefix string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 || !unicode.IsLetter(rune(b.String()[0])) {
		return prefix + b.String()
	}
	return b.String()
}

// CountText writes a count with its unit in English (singular, plural):
// the default when a caller gives no translated text.
func CountText(n int, unit [2]string) string {
	switch n {
	case 0:
		return "no " + unit[1]
	case 1:
		return "1 " + unit[0]
	}
	return strconv.Itoa(n) + " " + unit[1]
}
