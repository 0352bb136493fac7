package calls

import (
	"errors"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

func TestParseBudgetRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		kind    string
		percent int
		types   []string
	}{
		{"At least 50% of the proposed budget must be allocated to SMEs.", KindMinBudgetShare, 50, []string{TypeSME}},
		{"A minimum of 30 % of the total budget shall be allocated to civil society organisations.", KindMinBudgetShare, 30, []string{TypeCivilSociety}},
		{"Participation of non-SME industries and Research and Technology Organisations (RTOs) is not excluded, but it must be limited to 15% of the proposed budget.",
			KindMaxBudgetShare, 15, []string{TypeNonSMEIndustry, TypeResearch}},
		{"The participation of large enterprises must be limited to 20 per cent of the EU contribution.", KindMaxBudgetShare, 20, []string{TypeNonSMEIndustry}},
		{"No more than 40% of the budget may go to research and technology organisations.", KindMaxBudgetShare, 40, []string{TypeResearch}},
	}
	for _, tt := range tests {
		rules, unparsed := ParseConditions(tt.in)
		if len(rules) != 1 || len(unparsed) != 0 {
			t.Errorf("ParseConditions(%q) = %v, %v; want one rule", tt.in, describeAll(rules), unparsed)
			continue
		}
		r := rules[0]
		if r.Kind != tt.kind || r.Percent != tt.percent || strings.Join(r.Types, ",") != strings.Join(tt.types, ",") || r.Source != tt.in {
			t.Errorf("ParseConditions(%q) = %s %d%% %v (source %q), want %s %d%% %v", tt.in, r.Kind, r.Percent, r.Types, r.Source, tt.kind, tt.percent, tt.types)
		}
	}
}

func ssri01Rules() []Rule {
	return []Rule{
		GeneralRule("IA"),
		{Kind: KindMaxBudgetShare, Percent: 15, Types: []string{TypeNonSMEIndustry, TypeResearch}, CountryScope: ScopeAny, Origin: OriginTopic},
		{Kind: KindMinBudgetShare, Percent: 50, Types: []string{TypeSME}, CountryScope: ScopeAny, Origin: OriginTopic},
	}
}

func TestProposeSplit(t *testing.T) {
	t.Parallel()
	sme := func(id string) Member { return Member{ID: id, Kind: directory.KindCompany, SME: true, Country: "NL"} }
	rto := func(id string) Member { return Member{ID: id, Kind: directory.KindResearch, Country: "DE"} }
	police := Member{ID: "police", Kind: directory.KindPublicBody, Roles: []string{"police"}, Country: "BE"}
	big := Member{ID: "big", Kind: directory.KindCompany, Country: "FR"}
	members := []Member{rto("fraunhofer"), rto("tno"), sme("a"), sme("b"), police, big}
	const total = 1_500_000_00
	sp, err := ProposeSplit(ssri01Rules(), members, total)
	if err != nil {
		t.Fatalf("ProposeSplit: %v", err)
	}
	var sum, smes, capped int64
	for i, s := range sp.Shares {
		sum += s.Cents
		if s.ID != members[i].ID || s.Cents <= 0 {
			t.Errorf("share %d = %+v: want member %s with a positive part", i, s, members[i].ID)
		}
		switch s.ID {
		case "a", "b":
			smes += s.Cents
		case "fraunhofer", "tno", "big":
			capped += s.Cents
		}
	}
	if sum != total {
		t.Errorf("shares add up to %d, want %d", sum, total)
	}
	if smes*2 < total {
		t.Errorf("SMEs receive %d of %d, want at least half", smes, total)
	}
	if capped*100 > 15*total {
		t.Errorf("RTOs and non-SME industry receive %d of %d, want at most 15%%", capped, total)
	}
	if len(sp.Results) != 2 || !Satisfied(sp.Results) {
		t.Errorf("results = %+v, want two satisfied budget rules", sp.Results)
	}

	// No SME: the minimum cannot be met, and the error names the rule.
	_, err = ProposeSplit(ssri01Rules(), []Member{rto("x"), police}, total)
	if err == nil || !strings.Contains(err.Error(), "50% of the budget to SMEs") {
		t.Errorf("ProposeSplit without an SME: %v, want an error naming the SME rule", err)
	}
	// Only capped members: the cap cannot be met.
	_, err = ProposeSplit(ssri01Rules(), []Member{rto("x"), big, sme("s")}, total)
	if err != nil {
		t.Errorf("ProposeSplit with an SME to take the rest: %v", err)
	}
	_, err = ProposeSplit(ssri01Rules()[:2], []Member{rto("x"), big}, total)
	if err == nil {
		t.Error("ProposeSplit with only capped members succeeded")
	}
	// No budget stated: percentages only.
	sp, err = ProposeSplit(ssri01Rules(), members, 0)
	if err != nil || sp.Shares[2].Cents != 0 || sp.Shares[2].Percent <= 0 {
		t.Errorf("ProposeSplit without a budget = %+v, %v; want percentages without cents", sp.Shares, err)
	}
}

func TestCheckBudgetRoom(t *testing.T) {
	t.Parallel()
	rules := ssri01Rules()
	noSME := rules[2].Check([]Member{{ID: "r", Kind: directory.KindResearch}})
	if noSME.Satisfied || !strings.Contains(noSME.Missing, "SME") {
		t.Errorf("min share without an SME = %+v, want unsatisfied naming an SME", noSME)
	}
	onlyCapped := rules[1].Check([]Member{{ID: "r", Kind: directory.KindResearch}, {ID: "c", Kind: directory.KindCompany}})
	if onlyCapped.Satisfied {
		t.Errorf("cap with only capped members = %+v, want unsatisfied", onlyCapped)
	}
}

// TestBudgetContradictions: a budget rule that contradicts another is a
// validation error naming the field, for a call typed in and for an
// import.
func TestBudgetContradictions(t *testing.T) {
	t.Parallel()
	min := func(p int, types ...string) Rule {
		return Rule{Kind: KindMinBudgetShare, Percent: p, Types: types, CountryScope: ScopeAny, Origin: OriginManual}
	}
	maxr := func(p int, types ...string) Rule {
		return Rule{Kind: KindMaxBudgetShare, Percent: p, Types: types, CountryScope: ScopeAny, Origin: OriginManual}
	}
	tests := []struct {
		name  string
		rules []Rule
		field string // "" when valid
	}{
		{"SSRI-01", ssri01Rules(), ""},
		{"minimum above a cap on the same group", []Rule{maxr(15, TypeSME), min(50, TypeSME)}, "rules[1].percent"},
		{"minimum of a narrower group above the cap", []Rule{min(40, TypeYouth), maxr(20, TypeCivilSociety)}, "rules[1].percent"},
		{"minimum for a police authority above the practitioners' cap", []Rule{maxr(10, TypePractitioner), min(20, "police")}, "rules[1].percent"},
		{"minimums of exclusive groups over 100%", []Rule{min(60, TypeSME), min(50, TypeResearch)}, "rules[1].percent"},
		{"minimums of groups that may overlap", []Rule{min(60, TypeSME), min(50, TypeCivilSociety)}, ""},
		{"a minimum of 0%", []Rule{min(0, TypeSME)}, "rules[0].percent"},
		{"a cap of 100%", []Rule{maxr(100, TypeSME)}, "rules[0].percent"},
		{"a budget rule with a count", []Rule{{Kind: KindMinBudgetShare, Percent: 10, Count: 2, Types: []string{TypeSME}, CountryScope: ScopeAny, Origin: OriginManual}}, "rules[0].count"},
		{"a count rule with a percent", []Rule{{Kind: KindMinEntitiesOfType, Count: 2, Percent: 10, Types: []string{TypeSME}, CountryScope: ScopeAny, Origin: OriginManual}}, "rules[0].percent"},
	}
	for _, tt := range tests {
		c := Call{ID: "X-1", Title: "x", Rules: tt.rules}
		err := ValidateCall(&c)
		var ve validate.Errors
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: ValidateCall = %v, want valid", tt.name, err)
		case tt.field != "" && (!errors.As(err, &ve) || !hasField(ve, tt.field)):
			t.Errorf("%s: ValidateCall = %v, want an error on %s", tt.name, err, tt.field)
		}
	}
}

// TestImportRefusesContradictoryBudget: a topic whose conditions state
// budget shares no split can meet is an import error naming the topic's
// field, and no call is returned.
func TestImportRefusesContradictoryBudget(t *testing.T) {
	t.Parallel()
	doc := `[{"topicId": "T-1", "title": "ok"},
	{"topicId": "T-2", "title": "bad", "topicConditions": "At least 60% of the proposed budget must be allocated to SMEs. At least 50% of the proposed budget must be allocated to research and technology organisations."}]`
	calls, err := DecodeTopics(strings.NewReader(doc))
	var ve validate.Errors
	if calls != nil || !errors.As(err, &ve) || !hasField(ve, "topics[1].topicConditions") {
		t.Fatalf("DecodeTopics = %d calls, %v; want none and an error on topics[1].topicConditions", len(calls), err)
	}
	for _, fe := range ve {
		if fe.Code == BudgetContradicts && fe.Args["rule"] == nil {
			t.Errorf("error %+v does not say which rule", fe)
		}
	}
}
