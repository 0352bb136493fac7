package practices

import (
	"slices"
	"testing"
)

func TestQueryTermsMatchDocTermsAcrossLanguages(t *testing.T) {
	docs := map[string][]Text{
		"nl": {{Lang: "nl", Title: "Evacuatie bij overstromingen", Body: "De brandweer evacueerde de wijk."}},
		"en": {{Lang: "en", Title: "Flood evacuations", Body: "The fire brigade evacuated the district."}},
		"fr": {{Lang: "fr", Title: "Sécurité des drones", Body: "Détection de drones."}},
	}
	cases := []struct {
		q    string
		want []string
	}{
		{"overstroming", []string{"nl"}},
		{"floods", []string{"en"}},
		{"evacuation", []string{"en"}},
		{"sécurité", []string{"fr"}}, {"Sécurité des drones", []string{"fr"}},
		{"drone", []string{"fr"}},
	}
	for _, c := range cases {
		groups := QueryTerms(c.q)
		var got []string
		for name, texts := range docs {
			terms := DocTerms(texts, nil)
			all := true
			for _, g := range groups {
				if !slices.ContainsFunc(g, func(t string) bool { _, ok := slices.BinarySearch(terms, t); return ok }) {
					all = false
				}
			}
			if all && len(groups) > 0 {
				got = append(got, name)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("query %q matched %v, want %v (groups %v)", c.q, got, c.want, groups)
		}
	}
}
