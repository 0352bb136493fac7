package projects

import (
	"cmp"
	"slices"
	"strings"
	"unicode"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
)

// Helpers of the CORDIS linker (link.go): cities, websites, identifiers,
// legal forms.

// cityKeys are the names a city field is known by: the whole field and
// each word or pair of words, other names mapped to one ("AARHUS C",
// "MARSEILLE CEDEX 20", "ALCOBENDAS MADRID", "Köln").
func cityKeys(city string) map[string]bool {
	out := map[string]bool{}
	var words []string
	for _, w := range nameWords(strings.ReplaceAll(city, "'", " ")) {
		f := squash(w)
		if len(f) < 2 || f == "cedex" || stopWords[f] && f != "den" && f != "the" && f != "la" || strings.IndexFunc(f, unicode.IsDigit) >= 0 {
			continue
		}
		words = append(words, f)
	}
	// key maps a name to the one other names share, trying it as written
	// and with umlauts written out ("koeln" is "koln").
	key := func(s string) (string, bool) {
		if c, ok := cityNames[s]; ok {
			return c, true
		}
		if c, ok := cityNames[foldUmlauts(s)]; ok {
			return c, true
		}
		return foldUmlauts(s), false
	}
	for i, w := range words {
		if i+1 < len(words) {
			if c, ok := key(w + " " + words[i+1]); ok {
				out[c] = true
			}
		}
		if stopWords[w] {
			continue
		}
		k, _ := key(w)
		out[k] = true
	}
	if len(words) > 1 {
		k, _ := key(strings.Join(words, " "))
		out[k] = true
	}
	return out
}

func intersects(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func normVAT(v string) string {
	n, ok := cordis.NormalizeVAT(v)
	if !ok {
		return ""
	}
	return n
}

func normCountry(c string) string {
	n, _ := country.Normalize(c)
	return n
}

// websitePath is a website's path without slashes at the ends.
func websitePath(site string) string {
	s := strings.TrimSpace(site)
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		return strings.Trim(s[i:], "/")
	}
	return ""
}

// siteLabel is the name part of a host's registered domain ("prio" of
// prio.org and prio.no; "reading" of www.reading.ac.uk); "" for a name
// of under 3 letters.
func siteLabel(host string) string {
	parts := strings.Split(host, ".")
	if len(parts) < 2 {
		return ""
	}
	i := len(parts) - 2
	switch parts[i] {
	case "ac", "co", "gov", "org", "com", "net", "edu", "gv", "or":
		if i > 0 && len(parts[len(parts)-1]) == 2 {
			i--
		}
	}
	if len(parts[i]) < 3 {
		return ""
	}
	return parts[i]
}

// RecordFromCORDIS is a CORDIS participant as the linker reads it.
func RecordFromCORDIS(p *cordis.Participation) LinkRecord {
	return LinkRecord{Name: p.Name, ShortName: p.ShortName, Kind: p.Kind, Country: p.Country, City: p.City,
		Website: p.Website, PIC: p.PIC, VAT: p.VAT}
}

// KindOfActivity maps a CORDIS activity type to a directory kind ("" when
// unknown).
func KindOfActivity(a string) string {
	k, _ := directory.KindFromCORDIS(strings.ToUpper(strings.TrimSpace(a)))
	return k
}

// sortEvidence orders reasons for display: for, then against, each by
// weight as added.
func sortEvidence(rs []LinkReason) []LinkReason {
	against := map[string]bool{ReasonOtherCity: true, ReasonOtherWords: true, ReasonOtherAcronym: true,
		ReasonOtherVAT: true, ReasonOtherPIC: true, ReasonOtherKind: true, ReasonOtherCountry: true, ReasonOtherForm: true}
	out := slices.Clone(rs)
	slices.SortStableFunc(out, func(x, y LinkReason) int {
		return cmp.Compare(b2i(against[x.Code]), b2i(against[y.Code]))
	})
	return out
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// formOf is the class of legal form a name states: "company" (Ltd,
// GmbH, AS, S.p.A.), "foundation" (Stichting, Stiftelsen), "association"
// (e.V., VZW, ASBL); "" when it states none.
func formOf(name string) string {
	for _, w := range nameWords(name) {
		f := squash(w)
		switch {
		case foundationForms[f]:
			return "foundation"
		case associationForms[f]:
			return "association"
		case legalForms[f] || linkForms[f]:
			return "company"
		}
	}
	return ""
}
