// Package country validates and names countries as ISO 3166-1 alpha-2 codes.
// The EU writes Greece as EL and the United Kingdom as UK; both are mapped to
// their ISO codes (GR, GB) on the way in.
package country

import (
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Normalize returns the ISO 3166-1 alpha-2 code for code (upper-cased,
// EU aliases mapped) and whether it names a country.
func Normalize(code string) (string, bool) {
	c := strings.ToUpper(strings.TrimSpace(code))
	switch c {
	case "EL":
		c = "GR"
	case "UK":
		c = "GB"
	}
	if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
		return "", false
	}
	r, err := language.ParseRegion(c)
	if err != nil || !r.IsCountry() || r.String() != c {
		return "", false
	}
	return c, true
}

// Valid reports whether code is an ISO 3166-1 alpha-2 country code as stored
// (already normalised).
func Valid(code string) bool {
	n, ok := Normalize(code)
	return ok && n == code
}

// Name returns the country's name in the given language (en, nl, fr, de),
// falling back to the code.
func Name(code, lang string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	if n := display.Regions(tag).Name(r); n != "" {
		return n
	}
	return code
}

// EU lists the Member States of the European Union (ISO codes).
var EU = []string{"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"}
