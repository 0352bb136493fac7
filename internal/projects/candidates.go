package projects

import (
	"cmp"
	"maps"
	"net/url"
	"slices"
	"strings"
	"unicode"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// legalForms are company-form words that say nothing about which
// organisation it is: "Airbus DS SAS" and "AIRBUS DS" are one name. Dots
// are removed before words are split, so abbreviations become one word
// ("B.V." is "bv", "e.V." is "ev", "sp. z o.o." is "sp z oo").
var legalForms = map[string]bool{
	"ltd": true, "limited": true, "plc": true, "llp": true, "llc": true, "inc": true, "corp": true, "co": true,
	"gmbh": true, "mbh": true, "ag": true, "kg": true, "ohg": true, "ev": true,
	"sa": true, "sas": true, "sarl": true, "sasu": true, "sl": true, "slu": true, "srl": true, "spa": true, "sca": true,
	"bv": true, "nv": true, "vzw": true, "asbl": true, "bvba": true, "cvba": true, "sprl": true,
	"ab": true, "as": true, "asa": true, "aps": true, "oy": true, "oyj": true, "hf": true, "ehf": true,
	"epe": true, "ae": true, "ike": true, "oe": true, "ee": true,
	"doo": true, "dd": true, "sro": true, "kft": true, "zrt": true, "nyrt": true, "bt": true,
	"sp": true, "z": true, "oo": true, "zoo": true,
}

// NormalizeName is the key under which two names count as the same: folded,
// dots dropped, split on other punctuation, legal-form words dropped.
func NormalizeName(name string) string {
	folded := strings.ReplaceAll(directory.Fold(name), ".", "")
	words := strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	out := words[:0]
	for _, w := range words {
		if !legalForms[w] {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}

// WebsiteHost is a website's host without "www.", lower case; "" when
// there is none. Addresses without a scheme ("www.tno.nl") are read as
// http.
func WebsiteHost(site string) string {
	site = strings.TrimSpace(site)
	if site == "" {
		return ""
	}
	if !strings.Contains(site, "://") {
		site = "http://" + site
	}
	u, err := url.Parse(site)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// FindCandidates lists pairs of organisations that are likely one: the same
// VAT number, or the same normalised name in the same country together
// with the same city or the same website host. Pairs in distinct (ids in
// either order) are left out, and so are pairs with a shared identifier
// already merged (they are one record). The order is stable: VAT matches
// first, then by name.
func FindCandidates(orgs []OrgKey, distinct map[[2]string]bool) []MergeCandidate {
	seen := map[[2]string]bool{}
	var out []MergeCandidate
	add := func(a, b OrgKey, reason string) {
		if a.ID == b.ID {
			return
		}
		if b.Name < a.Name || b.Name == a.Name && b.ID < a.ID {
			a, b = b, a
		}
		key := pairKey(a.ID, b.ID)
		if seen[key] || distinct[key] {
			return
		}
		seen[key] = true
		out = append(out, MergeCandidate{A: a.OrgRef, B: b.OrgRef, Reason: reason})
	}

	byVAT := map[string][]int{}
	byName := map[string][]int{}
	for i, o := range orgs {
		for _, v := range o.VATs {
			byVAT[v] = append(byVAT[v], i)
		}
		if n := NormalizeName(o.Name); n != "" {
			k := n + "\x00" + o.Country
			byName[k] = append(byName[k], i)
		}
	}
	for _, v := range slices.Sorted(maps.Keys(byVAT)) {
		group := byVAT[v]
		for x := range group {
			for y := x + 1; y < len(group); y++ {
				add(orgs[group[x]], orgs[group[y]], ReasonVAT)
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(byName)) {
		group := byName[k]
		for x := range group {
			for y := x + 1; y < len(group); y++ {
				a, b := orgs[group[x]], orgs[group[y]]
				switch {
				case a.City != "" && directory.Fold(strings.TrimSpace(a.City)) == directory.Fold(strings.TrimSpace(b.City)):
					add(a, b, ReasonNameCity)
				case WebsiteHost(a.Website) != "" && WebsiteHost(a.Website) == WebsiteHost(b.Website):
					add(a, b, ReasonNameWebsite)
				}
			}
		}
	}
	rank := map[string]int{ReasonVAT: 0, ReasonNameCity: 1, ReasonNameWebsite: 1}
	slices.SortStableFunc(out, func(x, y MergeCandidate) int {
		return cmp.Or(cmp.Compare(rank[x.Reason], rank[y.Reason]), cmp.Compare(directory.Fold(x.A.Name), directory.Fold(y.A.Name)),
			cmp.Compare(x.A.ID, y.A.ID), cmp.Compare(x.B.ID, y.B.ID))
	})
	return out
}

// pairKey orders two ids so that a pair has one key.
func pairKey(a, b string) [2]string {
	if b < a {
		a, b = b, a
	}
	return [2]string{a, b}
}

// PairKey is the key of an unordered pair of organisation ids.
func PairKey(a, b string) [2]string { return pairKey(a, b) }

// ValidateMerge checks a merge request: two organisations, not the same.
func ValidateMerge(into, from string) error {
	var errs validate.Errors
	into, from = strings.TrimSpace(into), strings.TrimSpace(from)
	if into == "" {
		errs.Add("into", validate.Required)
	}
	if from == "" {
		errs.Add("from", validate.Required)
	}
	if into != "" && into == from {
		errs.Add("from", validate.InvalidChoice, "choices", "an organisation other than into")
	}
	return errs.Err()
}

// ValidatePair checks a pair of organisations marked as distinct.
func ValidatePair(a, b string) error {
	var errs validate.Errors
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if a == "" {
		errs.Add("a", validate.Required)
	}
	if b == "" {
		errs.Add("b", validate.Required)
	}
	if a != "" && a == b {
		errs.Add("b", validate.InvalidChoice, "choices", "an organisation other than a")
	}
	return errs.Err()
}
