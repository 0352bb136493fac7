package calls

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

func TestDescribe(t *testing.T) {
	tests := []struct {
		rule Rule
		want string
	}{
		{GeneralRule("RIA"), "At least 3 independent legal entities from at least 3 different Member States or Associated Countries, at least one of them in a Member State"},
		{GeneralRule("CSA"), "At least 1 legal entity"},
		{police2from2(), "At least 2 police authorities from at least 2 different Member States or Associated Countries"},
		{Rule{Kind: KindMinPractitioners, Count: 3, Types: []string{"police", "first_responder", "critical_infrastructure"}, CountryScope: ScopeMemberOrAssociated},
			"At least 3 police authorities, first responders' organisations or critical infrastructure operators from Member States or Associated Countries"},
		{Rule{Kind: KindMinEntitiesOfType, Count: 1, Types: []string{TypeResearch}, CountryScope: ScopeAny},
			"At least 1 research and technology organisation"},
		{Rule{Kind: KindMinEntitiesOfType, Count: 2, Types: []string{TypeSME}, MinCountries: 2, CountryScope: ScopeMember},
			"At least 2 SMEs from at least 2 different Member States"},
		{Rule{Kind: KindMinEntitiesOfType, Count: 2, Types: []string{TypeCivilSociety}, Qualifier: "representing young people", CountryScope: ScopeAny},
			"At least 2 civil society organisations representing young people"},
		{Rule{Kind: KindMinCountries, Types: []string{"police", TypeCivilSociety}, MinCountries: 3, CountryScope: ScopeMemberOrAssociated},
			"Together, the police authorities and civil society organisations come from at least 3 different Member States or Associated Countries"},
		{Rule{Kind: KindMinCountries, Count: 3, Types: []string{"civil_protection", TypeLocalAuthority}, MinCountries: 3, CountryScope: ScopeMemberOrAssociated},
			"Together, at least 3 civil protection authorities or local or regional authorities from at least 3 different Member States or Associated Countries"},
		{Rule{Kind: KindMaxPartners, Count: 7, Types: []string{TypeLegalEntity}, CountryScope: ScopeAny}, "At most 7 legal entities"},
		{Rule{Kind: KindAllInScope, CountryScope: ScopeMemberOrAssociated}, "All participants must be established in Member States or Associated Countries"},
		{Rule{Kind: KindMinPractitioners, Count: 2, Types: []string{"public_procurer"}, Independent: true, MinCountries: 2,
			CountryScope: ScopeMemberOrAssociated, MinInMemberState: 2},
			"At least 2 independent public procurers from at least 2 different Member States or Associated Countries, at least 2 of them in Member States"},
	}
	for _, tt := range tests {
		if got := tt.rule.Describe(); got != tt.want {
			t.Errorf("Describe(%+v)\n = %q\nwant %q", tt.rule, got, tt.want)
		}
	}
}

// TestVocabulary keeps the partner types in step with the directory: a
// role added there needs an English noun here.
func TestVocabulary(t *testing.T) {
	types := PartnerTypes()
	for _, role := range directory.PractitionerRoles {
		if !slices.Contains(types, role) || !slices.Contains(PractitionerTypes(), role) {
			t.Errorf("practitioner role %q is not a partner type", role)
		}
	}
	for _, ty := range types {
		if _, ok := typeNouns[ty]; !ok {
			t.Errorf("type %q has no English noun", ty)
		}
	}
	if got := normalizeTypes([]string{"sme", "police", "bogus", "police", "legal_entity"}); !slices.Equal(got, []string{"legal_entity", "police", "sme", "bogus"}) {
		t.Errorf("normalizeTypes = %v", got)
	}
}

func TestGeneralRule(t *testing.T) {
	for _, at := range []string{"RIA", "IA", "HORIZON-PCP", "PPI", "horizon-ria", ""} {
		g := GeneralRule(at)
		if g.Count != 3 || g.MinCountries != 3 || g.MinInMemberState != 1 || !g.Independent ||
			g.CountryScope != ScopeMemberOrAssociated || g.Origin != OriginGeneral {
			t.Errorf("GeneralRule(%q) = %+v, want 3 independent from 3 MS/AC, 1 in a MS", at, g)
		}
		if errs := g.Validate(); len(errs) > 0 {
			t.Errorf("GeneralRule(%q) does not validate: %v", at, errs)
		}
	}
	for _, at := range []string{"CSA", "HORIZON-CSA", " csa "} {
		if g := GeneralRule(at); g.Count != 1 || g.MinCountries != 0 || g.Independent || g.CountryScope != ScopeAny {
			t.Errorf("GeneralRule(%q) = %+v, want one legal entity anywhere", at, g)
		}
	}
	for in, want := range map[string]string{"HORIZON-PCP": "PCP", " ria ": "RIA", "CSA": "CSA", "": ""} {
		if got := NormalizeActionType(in); got != want {
			t.Errorf("NormalizeActionType(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRuleValidate(t *testing.T) {
	ok := police2from2()
	tests := []struct {
		name   string
		edit   func(r *Rule)
		fields []string
	}{
		{"valid", func(r *Rule) {}, nil},
		{"unknown kind", func(r *Rule) { r.Kind = "min_magic" }, []string{"kind"}},
		{"missing scope and origin", func(r *Rule) { r.CountryScope, r.Origin = "", "" }, []string{"country_scope", "origin"}},
		{"zero count", func(r *Rule) { r.Count = 0 }, []string{"count"}},
		{"count too large", func(r *Rule) { r.Count = MaxRuleCount + 1 }, []string{"count"}},
		{"unknown type", func(r *Rule) { r.Types = []string{"police", "wizard"} }, []string{"types[1]"}},
		{"duplicate type", func(r *Rule) { r.Types = []string{"police", "police"} }, []string{"types[1]"}},
		{"no types", func(r *Rule) { r.Types = nil }, []string{"types"}},
		{"non-practitioner in min_practitioners", func(r *Rule) { r.Types = []string{TypeSME} }, []string{"types[0]"}},
		{"legal entity in min_entities_of_type", func(r *Rule) { r.Kind, r.Types = KindMinEntitiesOfType, []string{TypeLegalEntity} }, []string{"types[0]"}},
		{"more countries than partners", func(r *Rule) { r.MinCountries = 3 }, []string{"min_countries"}},
		{"more Member States than the EU has", func(r *Rule) {
			r.Kind, r.Types, r.Count, r.MinCountries, r.CountryScope = KindMinPartners, []string{TypeLegalEntity}, 30, 28, ScopeMember
		}, []string{"min_countries"}},
		{"more in Member States than counted", func(r *Rule) { r.MinInMemberState = 3 }, []string{"min_in_member_state"}},
		{"all_in_scope with a count and no scope", func(r *Rule) {
			r.Kind, r.Types, r.MinCountries, r.CountryScope = KindAllInScope, []string{TypeLegalEntity}, 0, ScopeAny
		}, []string{"count", "country_scope"}},
		{"max_partners with countries", func(r *Rule) { r.Kind, r.Types = KindMaxPartners, nil }, []string{"min_countries"}},
		{"min_countries without countries", func(r *Rule) { r.Kind, r.MinCountries = KindMinCountries, 0 }, []string{"min_countries"}},
		{"source too long", func(r *Rule) { r.Source = strings.Repeat("x", 5001) }, []string{"source"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rule := ok
			rule.Types = slices.Clone(ok.Types)
			tt.edit(&rule)
			var fields []string
			for _, fe := range rule.Validate() {
				fields = append(fields, fe.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("Validate fields = %v, want %v", fields, tt.fields)
			}
		})
	}
}

func TestRuleNormalize(t *testing.T) {
	r := Rule{Kind: " min_partners ", Count: 1, Origin: "manual ", CountryScope: "any", Source: "  typed  "}
	r.Normalize()
	if r.Kind != KindMinPartners || r.Origin != OriginManual || r.Source != "typed" || !slices.Equal(r.Types, []string{TypeLegalEntity}) {
		t.Errorf("Normalize = %+v", r)
	}
	if errs := r.Validate(); len(errs) != 0 {
		t.Errorf("normalised rule: %v", errs)
	}
	p := Rule{Types: []string{" sme", "police", "sme"}}
	p.Normalize()
	if !slices.Equal(p.Types, []string{"police", "sme"}) {
		t.Errorf("types = %v, want [police sme]", p.Types)
	}
}

func TestValidateCall(t *testing.T) {
	valid := func() Call {
		return Call{ID: "HORIZON-CL3-2026-01-FCT-01", Title: " Title ", ActionType: "HORIZON-RIA", Stage: "single-stage",
			Deadline: "2026-11-05", BudgetMin: 100, BudgetMax: 200, Keywords: []string{"a", "A", " b "},
			PortalURL: "https://ec.europa.eu/x", Rules: []Rule{GeneralRule("RIA"), police2from2()}}
	}
	c := valid()
	if err := ValidateCall(&c); err != nil {
		t.Fatalf("ValidateCall(valid) = %v", err)
	}
	if c.Title != "Title" || c.ActionType != "RIA" || !slices.Equal(c.Keywords, []string{"a", "b"}) || c.Unparsed == nil {
		t.Errorf("not normalised: %+v", c)
	}
	tests := []struct {
		name   string
		edit   func(c *Call)
		fields []string
	}{
		{"missing id and title", func(c *Call) { c.ID, c.Title = "", "" }, []string{"id", "title"}},
		{"id with spaces", func(c *Call) { c.ID = "HORIZON CL3" }, []string{"id"}},
		{"bad stage, date, url", func(c *Call) { c.Stage, c.Deadline, c.PortalURL = "three-stage", "2026-13-01", "javascript:alert(1)" },
			[]string{"stage", "deadline", "portal_url"}},
		{"bad action type", func(c *Call) { c.ActionType = "R&D" }, []string{"action_type"}},
		{"budget range reversed", func(c *Call) { c.BudgetMin = 300 }, []string{"budget_min"}},
		{"negative money", func(c *Call) { c.BudgetMin, c.BudgetMax, c.ExpectedGrants = -1, -1, -1 }, []string{"budget_min", "budget_max", "expected_grants"}},
		{"a bad rule is named by index", func(c *Call) { c.Rules[1].Count = 0 }, []string{"rules[1].count"}},
		{"rules that cannot all be met", func(c *Call) {
			c.Rules = append(c.Rules, Rule{Kind: KindMaxPartners, Count: 2, Types: []string{TypeLegalEntity}, CountryScope: ScopeAny, Origin: OriginManual})
		}, []string{"rules[0].count", "rules[0].min_countries"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			tt.edit(&c)
			err := ValidateCall(&c)
			var errs validate.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v, want validate.Errors", err)
			}
			var fields []string
			for _, fe := range errs {
				fields = append(fields, fe.Field)
			}
			if !slices.Equal(fields, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", fields, tt.fields, err)
			}
		})
	}
}
