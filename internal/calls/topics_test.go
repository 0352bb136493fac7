package calls

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/validate"
)

// topicsPath is the shared Funding & Tenders export, outside the module
// on purpose: it is read at test time and never copied into the
// repository.
const topicsPath = "../../../shared/data/calls/horizon-cl3-2026-2027-topics.json"

// want is an expected rule: every structured field exactly, and a piece
// of the sentence it must come from.
type want struct {
	kind      string
	count     int
	types     []string
	countries int
	scope     string
	inMS      int
	indep     bool
	qual      string
	percent   int
	src       string
}

// wantOut is an expected unparsed sentence.
type wantOut struct {
	reason string
	src    string
}

// Rules and sentences that recur across the Cluster 3 topics.
var (
	ecccScope = want{kind: KindAllInScope, types: []string{TypeLegalEntity}, scope: ScopeMemberOrAssociated,
		src: "participation in this topic is limited to legal entities established in Member States and Associated Countries."}
	ecccControl = wantOut{ReasonNotChecked, "controlled by a non-eligible country or by a non-eligible country entity, shall not participate"}
	china       = wantOut{ReasonNotChecked, "controlled by China or by a legal entity established in China are not eligible"}
	networks    = wantOut{ReasonNotChecked, "Subject to restrictions for the protection of European communication networks."}

	police      = []string{"police"}
	ms          = ScopeMemberOrAssociated
	practTypes  = []string{TypePractitioner}
	procurer    = []string{"public_procurer"}
	civilSoc    = []string{TypeCivilSociety}
	civilProt   = []string{"civil_protection", "disaster_risk"}
	borderGuard = []string{"border_guard"}
)

// policeCSO is "at least P Police Authorities and at least 2 Civil
// Society Organisations ... from at least 3 different EU Member States or
// Associated Countries".
func policeCSO(p int) []want {
	src := "Police Authorities and at least 2 Civil Society Organisations (or Non-Governmental Organisations) from at least 3 different"
	return []want{
		{kind: KindMinPractitioners, count: p, types: police, scope: ms, src: src},
		{kind: KindMinEntitiesOfType, count: 2, types: civilSoc, scope: ms, src: src},
		{kind: KindMinCountries, types: []string{"police", TypeCivilSociety}, countries: 3, scope: ms, src: src},
	}
}

// procurement is the PCP/PPI composition: practitioners and public
// procurers from 3 countries, two of the procurers independent and one
// in a Member State.
func procurement() []want {
	src := "of at least 3 practitioners and 3 public procurers."
	return []want{
		{kind: KindMinPractitioners, count: 3, types: practTypes, scope: ScopeAny, src: src},
		{kind: KindMinPractitioners, count: 3, types: procurer, scope: ScopeAny, src: src},
		{kind: KindMinCountries, types: []string{TypePractitioner, "public_procurer"}, countries: 3, scope: ms,
			src: "These beneficiaries must be from at least 3 different EU Member States or Associated Countries."},
		{kind: KindMinPractitioners, count: 2, types: procurer, countries: 2, scope: ms, inMS: 1, indep: true,
			src: "Among the public procurers, minimum two must be independent legal entities that are public procurers, each established in a different Member State or Associated Country and with at least one of them established in a Member State."},
	}
}

func twoFrom2(types []string, src string) []want {
	return []want{{kind: KindMinPractitioners, count: 2, types: types, countries: 2, scope: ms, src: src}}
}

// infra is "at least 3 relevant practitioners from EU Member States or
// Associated Countries" narrowed by the portfolio sentence that follows.
func infra(types ...string) []want {
	return []want{{kind: KindMinPractitioners, count: 3, types: types, scope: ms,
		src: "of at least 3 relevant practitioners from EU Member States or Associated Countries. Depending on the specific"}}
}

// realTopics holds, for every topic of the shared export, the rules read
// from its "Other eligibility conditions" (besides the general rule) and
// the sentences left for a person, written by reading each topic's text.
var realTopics = map[string]struct {
	action   string
	rules    []want
	unparsed []wantOut
}{
	"HORIZON-CL3-2026-02-CS-ECCC-01": {"RIA", []want{ecccScope}, []wantOut{ecccControl}},
	"HORIZON-CL3-2026-02-CS-ECCC-02": {"IA", []want{ecccScope}, []wantOut{ecccControl}},
	"HORIZON-CL3-2026-02-CS-ECCC-03": {"RIA", []want{ecccScope}, []wantOut{ecccControl}},
	"HORIZON-CL3-2027-02-CS-ECCC-01": {"RIA", []want{ecccScope}, []wantOut{ecccControl}},
	"HORIZON-CL3-2027-02-CS-ECCC-02": {"IA", []want{ecccScope}, []wantOut{ecccControl}},
	"HORIZON-CL3-2027-02-CS-ECCC-03": {"RIA", []want{ecccScope}, []wantOut{ecccControl}},
	"HORIZON-CL3-2027-02-CS-ECCC-04": {"RIA", []want{ecccScope}, []wantOut{ecccControl}},

	"HORIZON-CL3-2026-01-FCT-01": {"RIA", twoFrom2(police, "of at least 2 Police Authorities from at least 2 different EU Member States or Associated Countries."), nil},
	"HORIZON-CL3-2026-01-FCT-02": {"RIA", twoFrom2(police, "of at least 2 Police Authorities from at least 2 different EU Member States or Associated Countries."), []wantOut{networks}},
	"HORIZON-CL3-2026-01-FCT-03": {"IA", policeCSO(3), []wantOut{china}},
	"HORIZON-CL3-2026-01-FCT-04": {"RIA", policeCSO(2), nil},
	"HORIZON-CL3-2026-01-FCT-05": {"IA", policeCSO(3), nil},
	"HORIZON-CL3-2026-01-FCT-06": {"RIA", nil, nil}, // only the Copernicus/Galileo clause
	"HORIZON-CL3-2027-01-FCT-01": {"IA", []want{{kind: KindMinPractitioners, count: 3, types: police, countries: 3, scope: ms,
		src: "of at least 3 Police Authorities from at least 3 different EU Member States or Associated Countries."}}, []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-FCT-02": {"IA", policeCSO(3), []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-FCT-03": {"RIA", policeCSO(2), nil},
	"HORIZON-CL3-2027-01-FCT-04": {"IA", []want{{kind: KindMinPractitioners, count: 3, types: police, countries: 3, scope: ms,
		src: "of at least 3 Police Authorities from at least 3 different EU Member States or Associated Countries."}}, []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-FCT-05": {"IA", policeCSO(3), nil},

	"HORIZON-CL3-2026-01-BM-01": {"IA", twoFrom2(borderGuard, "of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated countries."), []wantOut{china, networks}},
	"HORIZON-CL3-2026-01-BM-02": {"IA", twoFrom2(borderGuard, "of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated Countries."), []wantOut{china, networks}},
	"HORIZON-CL3-2026-01-BM-03": {"CSA", twoFrom2(borderGuard, "of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated Countries."), nil},
	"HORIZON-CL3-2027-01-BM-01": {"RIA", twoFrom2([]string{"border_guard", "customs"}, "of at least 2 Border, Coast Guard or Customs Authorities from at least 2 different"), []wantOut{networks}},
	"HORIZON-CL3-2027-01-BM-02": {"RIA", twoFrom2(borderGuard, "of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated Countries."), []wantOut{networks}},
	"HORIZON-CL3-2027-01-BM-03": {"RIA", twoFrom2([]string{"customs"}, "of at least 2 Customs Authorities from at least 2 different EU Member States or Associated Countries."), []wantOut{networks}},

	"HORIZON-CL3-2026-01-INFRA-01": {"IA", infra("police", "civil_protection", "critical_infrastructure"), []wantOut{china, networks}},
	"HORIZON-CL3-2026-01-INFRA-02": {"RIA", infra("first_responder", "civil_protection", "critical_infrastructure"), nil},
	"HORIZON-CL3-2026-01-INFRA-03": {"IA", infra("police", "first_responder", "civil_protection", "disaster_risk", "critical_infrastructure"), []wantOut{china}},
	"HORIZON-CL3-2027-01-INFRA-01": {"IA", infra("police", "civil_protection", "critical_infrastructure"), []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-INFRA-02": {"IA", infra("police", "critical_infrastructure"), []wantOut{china, networks}},

	"HORIZON-CL3-2026-01-DRS-01": {"RIA", []want{
		{kind: KindMinCountries, count: 3, types: []string{"civil_protection", "disaster_risk", TypeCivilSociety, TypeLocalAuthority}, countries: 3, scope: ms,
			src: "of at least 3 organisations from at least 3 different EU Member States or Associated Countries as follows:"},
		{kind: KindMinEntitiesOfType, count: 1, types: civilSoc, scope: ms, src: "(i) at least one civil society organisation (CSO);"},
		{kind: KindMinPractitioners, count: 1, types: civilProt, scope: ms, src: "(ii) at least one authority in charge of disaster risk (iii)"},
		{kind: KindMinEntitiesOfType, count: 1, types: []string{TypeLocalAuthority}, scope: ms, src: "at least one organisation representing local or regional authorities."},
	}, []wantOut{networks}},
	"HORIZON-CL3-2026-01-DRS-02": {"IA", []want{
		{kind: KindMinPractitioners, count: 2, types: civilProt, scope: ms, src: "of at least 2 authorities in charge of disaster risk or crisis communication and 2 representatives"},
		{kind: KindMinEntitiesOfType, count: 2, types: []string{TypeLocalAuthority}, scope: ms, qual: "in charge of disaster response",
			src: "2 representatives of local or regional authorities in charge of disaster response from at least 3 different"},
		{kind: KindMinCountries, types: []string{"civil_protection", "disaster_risk", TypeLocalAuthority}, countries: 3, scope: ms, src: "in charge of disaster response from at least 3 different EU Member States"},
	}, []wantOut{networks}},
	"HORIZON-CL3-2026-01-DRS-03": {"IA", []want{
		{kind: KindMinPractitioners, count: 2, types: []string{"first_responder"}, scope: ms, src: "of at least 2 practitioner organisations (first responders) and 2 medical emergency authorities"},
		{kind: KindMinPractitioners, count: 2, types: []string{"medical_emergency"}, scope: ms, src: "2 medical emergency authorities from at least 3 different"},
		{kind: KindMinCountries, types: []string{"first_responder", "medical_emergency"}, countries: 3, scope: ms, src: "from at least 3 different EU Member States or Associated Countries."},
	}, []wantOut{china, networks}},
	"HORIZON-CL3-2026-01-DRS-04": {"IA", []want{{kind: KindMinPractitioners, count: 3, types: []string{"first_responder", "civil_protection", "disaster_risk"}, countries: 3, scope: ms,
		src: "of at least 3 first responders or authorities in charge of disaster risk from at least 3 different"}}, []wantOut{china, networks}},
	"HORIZON-CL3-2026-01-DRS-05": {"IA", []want{{kind: KindMinPractitioners, count: 3, types: civilProt, countries: 3, scope: ms,
		src: "of at least 3 authorities in charge of disaster risk from at least 3 different EU Member States or Associated Countries."}}, nil},
	"HORIZON-CL3-2027-01-DRS-01": {"IA", []want{
		{kind: KindMinEntitiesOfType, count: 2, types: []string{TypeTrainingCentre}, scope: ms, src: "at least 2 Training Centres located in EU Member States or Associated Countries, and"},
		{kind: KindMinPractitioners, count: 2, types: practTypes, countries: 2, scope: ms,
			qual: "involved in training, validation and testing of CBRN-E tools and technologies",
			src:  "at least 2 practitioners involved in training, validation and testing of CBRN-E tools and technologies from at least 2 EU Member States"},
	}, nil},
	"HORIZON-CL3-2027-01-DRS-02": {"RIA", []want{
		{kind: KindMinEntitiesOfType, count: 2, types: civilSoc, scope: ms, src: "of at least 2 Civil Society Organisation (CSO) and 2 NGOs"},
		{kind: KindMinEntitiesOfType, count: 2, types: []string{TypeYouth}, scope: ms, src: "2 NGOs representing young people or youth organisations from"},
		{kind: KindMinCountries, types: []string{TypeCivilSociety, TypeYouth}, countries: 3, scope: ms, src: "from at least 3 different EU Member States or Associated Countries."},
	}, []wantOut{networks}},
	"HORIZON-CL3-2027-01-DRS-03": {"IA", []want{
		{kind: KindMinPractitioners, count: 2, types: civilProt, scope: ms, src: "of at least 2 authorities in charge of disaster risk or crisis communication and 2 representatives"},
		{kind: KindMinEntitiesOfType, count: 2, types: []string{TypeLocalAuthority}, scope: ms, qual: "in charge of disaster response",
			src: "2 representatives of local or regional authorities in charge of disaster response, from at least 3 different"},
		{kind: KindMinCountries, types: []string{"civil_protection", "disaster_risk", TypeLocalAuthority}, countries: 3, scope: ms, src: "in charge of disaster response, from at least 3 different EU Member States"},
	}, []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-DRS-04": {"IA", []want{{kind: KindMinPractitioners, count: 3, types: civilProt, countries: 3, scope: ms,
		src: "of at least 3 authorities in charge of disaster risk or crisis communication, from at least 3 different"}}, []wantOut{china, networks}},

	"HORIZON-CL3-2026-01-SSRI-01": {"RIA", []want{
		{kind: KindMinPractitioners, count: 2, types: practTypes, scope: ScopeAny, src: "of at least 2 relevant practitioners and 1 Research and Technology Organisation (RTO)."},
		{kind: KindMinEntitiesOfType, count: 1, types: []string{TypeResearch}, scope: ScopeAny, src: "of at least 2 relevant practitioners and 1 Research and Technology Organisation (RTO)."},
	}, []wantOut{networks}},
	"HORIZON-CL3-2026-01-SSRI-02": {"PCP", procurement(), []wantOut{networks}},
	"HORIZON-CL3-2026-01-SSRI-03": {"PPI", procurement(), []wantOut{networks}},
	"HORIZON-CL3-2026-01-SSRI-04": {"IA", []want{{kind: KindMinPractitioners, count: 3, types: []string{"first_responder"}, scope: ScopeAny,
		src: "of at least 3 first responders’ organisations."}}, []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-SSRI-01": {"IA", []want{
		{kind: KindMinPartners, count: 3, types: []string{TypeLegalEntity}, scope: ScopeAny, src: "A minimum of three (3) to a maximum of seven (7) partners."},
		{kind: KindMaxPartners, count: 7, types: []string{TypeLegalEntity}, scope: ScopeAny, src: "A minimum of three (3) to a maximum of seven (7) partners."},
		{kind: KindMinEntitiesOfType, count: 2, types: []string{TypeSME}, countries: 2, scope: ScopeMember, src: "At least 2 SMEs from 2 different Member States."},
		{kind: KindMinPractitioners, count: 1, types: practTypes, scope: ScopeAny,
			qual: `in the areas addressed by the proposal, namely one of the following options: Option A "Fighting Organised Crime and Terrorism’’ Option B ‘"Disaster-Resilient Society’’ Option C "Resilient Infrastructure’’ and Option D ‘"Border Management’’`,
			src:  "At least 1 end-user organisation in the areas addressed by the proposal"},
		{kind: KindMaxBudgetShare, percent: 15, types: []string{TypeNonSMEIndustry, TypeResearch}, scope: ScopeAny,
			src: "Participation of non-SME industries and Research and Technology Organisations (RTOs) is not excluded, but it must be limited to 15% of the proposed budget."},
		{kind: KindMinBudgetShare, percent: 50, types: []string{TypeSME}, scope: ScopeAny,
			src: "At least 50% of the proposed budget must be allocated to SMEs."},
	}, []wantOut{china, networks}},
	"HORIZON-CL3-2027-01-SSRI-02": {"CSA", []want{
		{kind: KindMinPractitioners, count: 6, types: practTypes, scope: ScopeAny, src: "of at least 6 end-user organisations as well as at least 3 public procurers."},
		{kind: KindMinPractitioners, count: 3, types: procurer, scope: ScopeAny, src: "of at least 6 end-user organisations as well as at least 3 public procurers."},
		{kind: KindMinCountries, types: []string{TypePractitioner, "public_procurer"}, countries: 3, scope: ms,
			src: "These beneficiaries must be from at least 3 different EU Member States or Associated Countries."},
	}, []wantOut{networks, {ReasonNotChecked, "Open market consultations carried out during this project must take place in at least 3"}}},
	"HORIZON-CL3-2027-01-SSRI-03": {"PCP", procurement(), []wantOut{networks}},
}

func loadRealTopics(t *testing.T) []Call {
	t.Helper()
	f, err := os.Open(topicsPath)
	if err != nil {
		t.Skipf("topic export not available at %s; skipping", topicsPath)
	}
	defer f.Close()
	calls, err := DecodeTopics(f)
	if err != nil {
		t.Fatalf("DecodeTopics(%s): %v", topicsPath, err)
	}
	return calls
}

// TestRealTopics checks the rules of every topic in the shared export
// against the rules written down by reading its text.
func TestRealTopics(t *testing.T) {
	calls := loadRealTopics(t)
	if len(calls) != len(realTopics) {
		t.Errorf("file has %d topics, table has %d", len(calls), len(realTopics))
	}
	seen := map[string]bool{}
	for _, c := range calls {
		seen[c.ID] = true
		t.Run(c.ID, func(t *testing.T) {
			tt, ok := realTopics[c.ID]
			if !ok {
				t.Fatalf("topic %s is not in the table: read its conditions and add the rules you expect", c.ID)
			}
			if c.ActionType != tt.action {
				t.Errorf("ActionType = %q, want %q", c.ActionType, tt.action)
			}
			if len(c.Rules) == 0 || !ruleEqual(c.Rules[0], GeneralRule(tt.action)) {
				t.Fatalf("first rule = %+v, want the general rule for %s", c.Rules, tt.action)
			}
			wantCount := 3
			if tt.action == "CSA" {
				wantCount = 1
			}
			if got := c.Rules[0].Count; got != wantCount {
				t.Errorf("general rule count = %d, want %d", got, wantCount)
			}
			text := cleanText(EligibilitySection(c.Conditions))
			got := c.Rules[1:]
			if len(got) != len(tt.rules) {
				t.Errorf("got %d topic rules, want %d:\n%s", len(got), len(tt.rules), describeAll(got))
			}
			for i := range min(len(got), len(tt.rules)) {
				checkRule(t, i, got[i], tt.rules[i], text)
			}
			if len(c.Unparsed) != len(tt.unparsed) {
				t.Errorf("got %d unparsed sentences, want %d: %+v", len(c.Unparsed), len(tt.unparsed), c.Unparsed)
			}
			for i := range min(len(c.Unparsed), len(tt.unparsed)) {
				u, w := c.Unparsed[i], tt.unparsed[i]
				if u.Reason != w.reason || !strings.Contains(u.Sentence, w.src) {
					t.Errorf("unparsed[%d] = %s %q, want %s containing %q", i, u.Reason, u.Sentence, w.reason, w.src)
				}
				if !strings.Contains(text, u.Sentence) {
					t.Errorf("unparsed[%d] %q is not a sentence of the conditions", i, u.Sentence)
				}
			}
		})
	}
	for id := range realTopics {
		if !seen[id] {
			t.Errorf("table has %s, which the file does not", id)
		}
	}
}

func checkRule(t *testing.T, i int, got Rule, w want, text string) {
	t.Helper()
	if got.Kind != w.kind || got.Count != w.count || !slices.Equal(got.Types, w.types) ||
		got.MinCountries != w.countries || got.CountryScope != w.scope || got.MinInMemberState != w.inMS ||
		got.Independent != w.indep || got.Qualifier != w.qual || got.Origin != OriginTopic || got.Percent != w.percent {
		t.Errorf("rule[%d] = {%s %d %v countries %d %s inMS %d indep %v qual %q origin %s},\n want {%s %d %v countries %d %s inMS %d indep %v qual %q topic}",
			i, got.Kind, got.Count, got.Types, got.MinCountries, got.CountryScope, got.MinInMemberState, got.Independent, got.Qualifier, got.Origin,
			w.kind, w.count, w.types, w.countries, w.scope, w.inMS, w.indep, w.qual)
	}
	if !strings.Contains(got.Source, w.src) {
		t.Errorf("rule[%d] source = %q, want it to contain %q", i, got.Source, w.src)
	}
	if !strings.Contains(text, got.Source) {
		t.Errorf("rule[%d] source %q is not verbatim in the conditions", i, got.Source)
	}
	if errs := got.Validate(); len(errs) > 0 {
		t.Errorf("rule[%d] does not validate: %v", i, errs)
	}
}

func ruleEqual(a, b Rule) bool {
	return a.Kind == b.Kind && a.Count == b.Count && slices.Equal(a.Types, b.Types) && a.Qualifier == b.Qualifier &&
		a.MinCountries == b.MinCountries && a.CountryScope == b.CountryScope && a.MinInMemberState == b.MinInMemberState &&
		a.Independent == b.Independent && a.Source == b.Source && a.Origin == b.Origin
}

func describeAll(rules []Rule) string {
	var b strings.Builder
	for _, r := range rules {
		b.WriteString("  " + r.Describe() + "\n")
	}
	return b.String()
}

// TestRealTopicsFields checks the fields other than rules on the shared
// export: money in cents, dates, keywords without the topic's own
// identifiers, repaired text, and the portal's stage.
func TestRealTopicsFields(t *testing.T) {
	calls := loadRealTopics(t)
	byID := map[string]Call{}
	repaired := 0
	for _, c := range calls {
		byID[c.ID] = c
		if c.TextRepaired {
			repaired++
		}
		for _, field := range []string{c.Title, c.Description, c.Conditions} {
			if strings.Contains(field, "â€") {
				t.Errorf("%s: text still holds mojibake", c.ID)
			}
		}
		if c.Stage != "single-stage" {
			t.Errorf("%s: Stage = %q, want single-stage (deadlineModel)", c.ID, c.Stage)
		}
		if err := ValidateCall(&c); err != nil {
			t.Errorf("%s: ValidateCall: %v", c.ID, err)
		}
	}
	if repaired == 0 {
		t.Error("no topic was flagged TextRepaired, but the export has â€ sequences")
	}
	c := byID["HORIZON-CL3-2026-01-FCT-01"]
	if c.BudgetMin != 4_000_000_00 || c.BudgetMax != 4_000_000_00 {
		t.Errorf("budget = %d..%d cents, want 400000000", c.BudgetMin, c.BudgetMax)
	}
	if c.Deadline != "2026-11-05" || c.ExpectedGrants != 2 {
		t.Errorf("deadline %q, expected grants %d; want 2026-11-05, 2", c.Deadline, c.ExpectedGrants)
	}
	wantKW := []string{"Education and training of police authorities", "Fight against crime and terrorism",
		"Police authorities", "Security", "Sustainable development and climate action"}
	if !slices.Equal(c.Keywords, wantKW) {
		t.Errorf("keywords = %q, want %q", c.Keywords, wantKW)
	}
	if !c.TextRepaired || !strings.Contains(c.Conditions, "“Information about security practitioners”") {
		t.Errorf("FCT-01: TextRepaired = %v; the closing quote was not restored", c.TextRepaired)
	}
	if eccc := byID["HORIZON-CL3-2026-02-CS-ECCC-01"]; eccc.TextRepaired {
		t.Error("ECCC-01 has no mis-encoded text but is flagged TextRepaired")
	}
}

func TestDecodeTopicsFixture(t *testing.T) {
	f, err := os.Open("testdata/topics.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	calls, err := DecodeTopics(f)
	if err != nil {
		t.Fatalf("DecodeTopics: %v", err)
	}
	if len(calls) != 2 {
		t.Fatalf("got %d calls, want 2", len(calls))
	}
	a, b := calls[0], calls[1]
	tests := []struct {
		name      string
		got, want any
	}{
		{"id", a.ID, "TEST-CL3-01"},
		{"action type without HORIZON- prefix", a.ActionType, "PCP"},
		{"budget min in cents from a decimal", a.BudgetMin, int64(150_000_050)},
		{"budget max in cents", a.BudgetMax, int64(200_000_000)},
		{"expected grants", a.ExpectedGrants, 2},
		{"deadline from a timestamp", a.Deadline, "2026-09-15"},
		{"stage falls back to stage", a.Stage, "two-stage"},
		{"keywords from an array, deduplicated", strings.Join(a.Keywords, "|"), "drones|Drones Detection"},
		{"title repaired", a.Title, "Counter-drone “systems”"},
		{"repaired flag", a.TextRepaired, true},
		{"rules: general + police", len(a.Rules), 2},
		{"topic rule", a.Rules[1].Describe(), "At least 2 police authorities from at least 2 different Member States or Associated Countries"},
		{"CSA general rule", b.Rules[0].Count, 1},
		{"CSA without conditions has only the general rule", len(b.Rules), 1},
		{"no keywords is an empty list", len(b.Keywords), 0},
		{"clean text not flagged", b.TextRepaired, false},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, tt.got, tt.want)
		}
	}
}

func TestDecodeTopicsBadInput(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		fields []string // the fields the errors must name, in order
		codes  []string
	}{
		{"not JSON", `this is not json`, []string{"topics"}, []string{validate.Malformed}},
		{"empty input", ``, []string{"topics"}, []string{validate.Malformed}},
		{"object instead of array", `{"topicId":"X"}`, []string{"topics"}, []string{validate.WrongType}},
		{"truncated array", `[{"topicId":"A","title":"a"}`, []string{"topics"}, []string{validate.Malformed}},
		{"trailing data", `[] []`, []string{"topics"}, []string{validate.Malformed}},
		{"element not an object", `[{"topicId":"A","title":"a"}, 7]`, []string{"topics[1]"}, []string{validate.WrongType}},
		{"missing topicId", `[{"topicId":"A","title":"a"},{"title":"b"}]`, []string{"topics[1].topicId"}, []string{validate.Required}},
		{"missing title and blank id", `[{"topicId":"  "}]`, []string{"topics[0].topicId", "topics[0].title"}, []string{validate.Required, validate.Required}},
		{"topicId of the wrong type", `[{"topicId":42,"title":"a"}]`, []string{"topics[0].topicId"}, []string{validate.WrongType}},
		{"budget as text", `[{"topicId":"A","title":"a","budgetMin":"lots"}]`, []string{"topics[0].budgetMin"}, []string{validate.WrongType}},
		{"negative budget", `[{"topicId":"A","title":"a","budgetMax":-5}]`, []string{"topics[0].budgetMax"}, []string{validate.InvalidFormat}},
		{"fraction of a cent", `[{"topicId":"A","title":"a","budgetMax":1.001}]`, []string{"topics[0].budgetMax"}, []string{validate.InvalidFormat}},
		{"budget range reversed", `[{"topicId":"A","title":"a","budgetMin":5,"budgetMax":4}]`, []string{"topics[0].budgetMin"}, []string{validate.InvalidChoice}},
		{"bad deadline", `[{"topicId":"A","title":"a","deadline":"15/09/2026"}]`, []string{"topics[0].deadline"}, []string{validate.InvalidDate}},
		{"keywords of the wrong type", `[{"topicId":"A","title":"a","keywords":{"a":1}}]`, []string{"topics[0].keywords"}, []string{validate.WrongType}},
		{"bad portal url", `[{"topicId":"A","title":"a","portalUrl":"ftp://x"}]`, []string{"topics[0].portalUrl"}, []string{validate.InvalidURL}},
		{"duplicate topicId", `[{"topicId":"A","title":"a"},{"topicId":"A","title":"b"}]`, []string{"topics[1].topicId"}, []string{validate.Duplicate}},
		{"every bad topic at once", `[{"title":"a"},{"topicId":"B"}]`, []string{"topics[0].topicId", "topics[1].title"}, []string{validate.Required, validate.Required}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls, err := DecodeTopics(strings.NewReader(tt.in))
			if calls != nil {
				t.Errorf("calls = %v, want nil on bad input", calls)
			}
			var errs validate.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("err = %v (%T), want validate.Errors", err, err)
			}
			var fields, codes []string
			for _, fe := range errs {
				fields = append(fields, fe.Field)
				codes = append(codes, fe.Code)
			}
			if !slices.Equal(fields, tt.fields) || !slices.Equal(codes, tt.codes) {
				t.Errorf("errors = %v %v, want %v %v (%v)", fields, codes, tt.fields, tt.codes, err)
			}
		})
	}
}

func TestDecodeTopicsStage(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[{"topicId":"A","title":"a","stage":"two-stage","deadlineModel":"single-stage"}]`, "single-stage"},
		{`[{"topicId":"A","title":"a","stage":"two-stage","submissionProcedure":{"abbreviation":"single-stage"}}]`, "single-stage"},
		{`[{"topicId":"A","title":"a","stage":"two-stage","deadlineModel":5}]`, "two-stage"},
		{`[{"topicId":"A","title":"a"}]`, ""},
	}
	for _, tt := range tests {
		calls, err := DecodeTopics(strings.NewReader(tt.in))
		if err != nil || len(calls) != 1 || calls[0].Stage != tt.want {
			t.Errorf("DecodeTopics(%s) = %+v, %v; want stage %q", tt.in, calls, err, tt.want)
		}
	}
}

func TestDecodeTopicsEmptyArray(t *testing.T) {
	calls, err := DecodeTopics(strings.NewReader(" [ ] "))
	if err != nil || calls == nil || len(calls) != 0 {
		t.Errorf("DecodeTopics([]) = %v, %v; want an empty list and no error", calls, err)
	}
}
