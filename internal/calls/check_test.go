package calls

import (
	"slices"
	"testing"
)

func police2from2() Rule {
	return Rule{Kind: KindMinPractitioners, Count: 2, Types: []string{"police"}, MinCountries: 2,
		CountryScope: ScopeMemberOrAssociated, Origin: OriginTopic}
}

func TestCheck(t *testing.T) {
	general := GeneralRule("RIA")
	pol := func(id, c string) Member { return Member{ID: id, Country: c, Roles: []string{"police"}} }
	org := func(id, c, group string) Member { return Member{ID: id, Country: c, IndependentGroup: group} }
	tests := []struct {
		name         string
		rule         Rule
		members      []Member
		satisfied    bool
		have         int
		countries    int
		contributors []string
		missing      string
	}{
		{"police: one short, the brief's example", police2from2(),
			[]Member{pol("nl-police", "NL"), {ID: "tno", Country: "NL", Kind: "research"}},
			false, 1, 1, []string{"nl-police"},
			"1 more police authority from a Member State or Associated Country other than NL"},
		{"police: two in one country", police2from2(),
			[]Member{pol("a", "NL"), pol("b", "NL")},
			false, 2, 1, []string{"a", "b"},
			"1 more police authority from a Member State or Associated Country other than NL"},
		{"police: a third-country police does not count", police2from2(),
			[]Member{pol("a", "NL"), pol("us", "US")},
			false, 1, 1, []string{"a"},
			"1 more police authority from a Member State or Associated Country other than NL"},
		{"police: two countries", police2from2(),
			[]Member{pol("a", "NL"), pol("b", "EL")},
			true, 2, 2, []string{"a", "b"}, ""},
		{"police: none at all", police2from2(), nil, false, 0, 0, []string{},
			"2 more police authorities, each from a different Member State or Associated Country"},
		{"general: three independent entities, one in a Member State", general,
			[]Member{org("a", "NL", ""), org("b", "NO", ""), org("c", "CH", "")},
			true, 3, 3, []string{"a", "b", "c"}, ""},
		{"general: one group is one entity", general,
			[]Member{org("a", "NL", "g"), org("b", "DE", "g"), org("c", "BE", "")},
			false, 2, 2, []string{"a", "b", "c"},
			"1 more independent legal entity from a Member State or Associated Country other than BE, DE and NL"},
		{"general: all in one country", general,
			[]Member{org("a", "NL", ""), org("b", "NL", ""), org("c", "NL", "")},
			false, 3, 1, []string{"a", "b", "c"},
			"2 more independent legal entities, each from a different Member State or Associated Country other than NL"},
		{"general: no Member State", general,
			[]Member{org("a", "NO", ""), org("b", "CH", ""), org("c", "IS", "")},
			false, 3, 3, []string{"a", "b", "c"},
			"1 more independent legal entity from a Member State"},
		{"general: a group counts in one of its countries only", general,
			[]Member{org("a1", "DE", "a"), org("a2", "NO", "a"), org("b", "DE", ""), org("c", "CH", "")},
			true, 3, 3, []string{"a1", "a2", "b", "c"}, ""},
		{"general: empty consortium", general, []Member{}, false, 0, 0, []string{},
			"3 more independent legal entities, each from a different Member State or Associated Country, at least 1 of them in a Member State"},
		{"CSA: one entity anywhere", GeneralRule("HORIZON-CSA"), []Member{org("a", "US", "")}, true, 1, 1, []string{"a"}, ""},
		{"SMEs from Member States only",
			Rule{Kind: KindMinEntitiesOfType, Count: 2, Types: []string{TypeSME}, MinCountries: 2, CountryScope: ScopeMember},
			[]Member{{ID: "a", Country: "NL", SME: true}, {ID: "b", Country: "NO", SME: true}, {ID: "c", Country: "DE"}},
			false, 1, 1, []string{"a"}, "1 more SME from a Member State other than NL"},
		{"research organisation from the kind", Rule{Kind: KindMinEntitiesOfType, Count: 1, Types: []string{TypeResearch}, CountryScope: ScopeAny},
			[]Member{{ID: "uni", Kind: "higher_education"}, {ID: "tno", Kind: "research"}}, true, 1, 0, []string{"tno"}, ""},
		{"any practitioner role counts as practitioner", Rule{Kind: KindMinPractitioners, Count: 2, Types: []string{TypePractitioner}, CountryScope: ScopeAny},
			[]Member{pol("a", "NL"), {ID: "b", Country: "BE", Roles: []string{"other_end_user"}}, {ID: "c", Country: "BE"}},
			true, 2, 2, []string{"a", "b"}, ""},
		{"civil society from member types", Rule{Kind: KindMinEntitiesOfType, Count: 2, Types: []string{TypeCivilSociety}, CountryScope: ScopeAny,
			Qualifier: "representing young people"},
			[]Member{{ID: "ngo", Types: []string{TypeCivilSociety}}}, false, 1, 0, []string{"ngo"},
			"1 more civil society organisation representing young people"},
		{"together from three countries",
			Rule{Kind: KindMinCountries, Types: []string{"police", TypeCivilSociety}, MinCountries: 3, CountryScope: ScopeMemberOrAssociated},
			[]Member{pol("p1", "NL"), pol("p2", "NL"), {ID: "cso", Country: "NL", Types: []string{TypeCivilSociety}}},
			false, 3, 1, []string{"p1", "p2", "cso"},
			"2 more police authorities or civil society organisations, each from a different Member State or Associated Country other than NL"},
		{"maximum of partners", Rule{Kind: KindMaxPartners, Count: 2, Types: []string{TypeLegalEntity}, CountryScope: ScopeAny},
			[]Member{org("a", "NL", ""), org("b", "NL", ""), org("c", "NL", ""), org("d", "NL", "")},
			false, 4, 0, []string{}, "2 partners too many: the call allows at most 2"},
		{"only Member States or Associated Countries",
			Rule{Kind: KindAllInScope, Types: []string{TypeLegalEntity}, CountryScope: ScopeMemberOrAssociated},
			[]Member{org("a", "NL", ""), org("b", "US", ""), org("c", "", "")},
			false, 1, 0, []string{"a"},
			"b (US) and c (no country) are not established in a Member State or Associated Country; only partners from Member States or Associated Countries may take part"},
		{"unknown kind never passes", Rule{Kind: "min_magic"}, []Member{org("a", "NL", "")}, false, 0, 0, []string{}, `unknown rule kind "min_magic"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.rule.Check(tt.members)
			if got.Satisfied != tt.satisfied || got.Have != tt.have || got.Countries != tt.countries {
				t.Errorf("Check = satisfied %v, have %d, countries %d; want %v, %d, %d",
					got.Satisfied, got.Have, got.Countries, tt.satisfied, tt.have, tt.countries)
			}
			if !slices.Equal(got.Contributors, tt.contributors) {
				t.Errorf("contributors = %q, want %q", got.Contributors, tt.contributors)
			}
			if got.Missing != tt.missing {
				t.Errorf("missing = %q,\n want %q", got.Missing, tt.missing)
			}
			minKind := tt.rule.Kind != KindMaxPartners && tt.rule.Kind != KindAllInScope
			if minKind && (got.Need != tt.rule.Count || got.NeedCountries != tt.rule.MinCountries) {
				t.Errorf("need = %d/%d, want the rule's %d/%d", got.Need, got.NeedCountries, tt.rule.Count, tt.rule.MinCountries)
			}
		})
	}
}

func TestCheckAll(t *testing.T) {
	rules := []Rule{GeneralRule("IA"), police2from2()}
	members := []Member{
		{ID: "nl-police", Country: "NL", Roles: []string{"police"}},
		{ID: "be-police", Country: "BE", Roles: []string{"police"}},
		{ID: "tno", Country: "NL", Kind: "research"},
	}
	results := CheckAll(rules, members)
	if len(results) != 2 {
		t.Fatalf("got %d results, want 2", len(results))
	}
	// Two countries only: the general rule fails, the police rule holds.
	if results[0].Satisfied || !results[1].Satisfied || Satisfied(results) {
		t.Errorf("satisfied = %v, %v, all %v; want false, true, false", results[0].Satisfied, results[1].Satisfied, Satisfied(results))
	}
	if results[1].Rule.Kind != KindMinPractitioners {
		t.Errorf("result does not carry its rule: %+v", results[1].Rule)
	}
	members = append(members, Member{ID: "no", Country: "NO"})
	if results = CheckAll(rules, members); !Satisfied(results) {
		t.Errorf("with a Norwegian partner: %+v", results)
	}
}
