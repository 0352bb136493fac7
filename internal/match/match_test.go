package match

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// fixture is a small alliance: a lead that worked with a fire brigade and
// a university on crisis communication, a drone company, police forces,
// and a member known only by its declared capabilities.
func fixture() Snapshot {
	orgs := []Org{
		{ID: "lead", Name: "Lead Research Institute", Kind: directory.KindResearch, Country: "NL", Clusters: []string{"HSD"}},
		{ID: "fire", Name: "Bomberos de Madrid", Kind: directory.KindPublicBody, Roles: []string{directory.RoleFirstResponder}, Country: "ES"},
		{ID: "uni", Name: "Crisis University", Kind: directory.KindHigherEducation, Country: "BE"},
		{ID: "drone", Name: "DroneWorks", Kind: directory.KindCompany, SME: true, Country: "DE", Clusters: []string{"Munich"}},
		{ID: "police-fr", Name: "Police nationale", Kind: directory.KindPublicBody, Roles: []string{directory.RolePolice}, Country: "FR"},
		{ID: "police-fi", Name: "Poliisi", Kind: directory.KindPublicBody, Roles: []string{directory.RolePolice}, Country: "FI"},
		{ID: "cyber", Name: "CyberLab", Kind: directory.KindCompany, Country: "DK"},
		{ID: "declared", Name: "Twente Drone Centre", Kind: directory.KindCompany, SME: true, Country: "NL",
			Clusters:    []string{"TSS"},
			Description: "Wij testen drones en systemen voor drone-detectie op het vliegveld.",
			Capabilities: []Capability{{Code: "counter-uas", Labels: map[string]string{
				"en": "Counter-drone systems", "nl": "Drone-detectie en -bestrijding", "fr": "Lutte anti-drones", "de": "Drohnenabwehr"}}}},
		{ID: "hidden", Name: "Secret Drone Agency", Kind: directory.KindPublicBody, Roles: []string{directory.RolePolice}, Country: "IT"},
	}
	projects := []Project{
		{ID: "p1", Acronym: "CRISCOM", Title: "Communication between first responders in crisis management", Start: "2014-05-01",
			Objective:    "Interoperable communication for fire brigades and first responders during large crises.",
			Participants: []Participant{{"lead", RoleCoordinator}, {"fire", "participant"}, {"uni", "participant"}}},
		{ID: "p2", Acronym: "ALERT", Title: "Public warning and crisis communication", Start: "2016-02-01",
			Objective:    "Warning citizens and coordinating first responders in crisis communication.",
			Participants: []Participant{{"uni", RoleCoordinator}, {"fire", "participant"}, {"police-fr", "participant"}}},
		{ID: "p3", Acronym: "SKYGUARD", Title: "Detection of drones near airports", Start: "2017-03-01",
			Objective:    "Counter-drone detection and tracking systems protecting airports against unmanned aircraft.",
			Participants: []Participant{{"drone", RoleCoordinator}, {"police-fi", "participant"}, {"hidden", "participant"}}},
		{ID: "p4", Acronym: "CYSHIELD", Title: "Cyber security for hospitals", Start: "2017-06-01",
			Objective:    "Protecting hospital networks against ransomware.",
			Participants: []Participant{{"cyber", RoleCoordinator}, {"uni", "participant"}, {"lead", "participant"}}},
	}
	return Snapshot{Orgs: orgs, Projects: projects}
}

func build(t testing.TB) *Index {
	t.Helper()
	ix, err := Build(fixture(), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(rs []Ranked) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

func reasonText(r Ranked, kind string) string {
	for _, re := range r.Reasons {
		if re.Kind == kind {
			return re.Text
		}
	}
	return ""
}

func find(t *testing.T, rs []Ranked, id string) Ranked {
	t.Helper()
	for _, r := range rs {
		if r.ID == id {
			return r
		}
	}
	t.Fatalf("%s not ranked; got %v", id, ids(rs))
	return Ranked{}
}

func TestRankBySimilarProjects(t *testing.T) {
	ix := build(t)
	res, err := ix.Rank(Query{Text: "crisis communication for first responders"})
	if err != nil {
		t.Fatal(err)
	}
	got := ids(res.Orgs)
	if len(got) < 3 || !slices.Contains(got[:3], "fire") || !slices.Contains(got[:3], "uni") {
		t.Fatalf("top 3 = %v, want fire and uni among them", got)
	}
	fire := find(t, res.Orgs, "fire")
	if txt := reasonText(fire, ReasonSimilarProjects); !strings.Contains(txt, "2 similar past projects") || !strings.Contains(txt, "ALERT, 2016") {
		t.Errorf("fire's similar-projects reason = %q, want 2 projects, best ALERT 2016", txt)
	}
	if txt := reasonText(fire, ReasonProfile); txt != "first responder, ES" {
		t.Errorf("fire's profile reason = %q, want %q", txt, "first responder, ES")
	}
	if len(fire.Similar) != 2 || fire.Similar[0].Acronym != "ALERT" {
		t.Errorf("fire's similar projects = %+v, want ALERT first of 2", fire.Similar)
	}
}

func TestRankFindsDeclaredOnlyMemberInAnyLanguage(t *testing.T) {
	ix := build(t)
	for _, text := range []string{
		"counter-drone systems",
		"Drone-detectie op luchthavens en het vliegveld", // Dutch
		"Lutte anti-drones dans les aéroports",           // French
		"Drohnenabwehr an Flughäfen",                     // German
	} {
		res, err := ix.Rank(Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		got := ids(res.Orgs)
		if !slices.Contains(got[:min(3, len(got))], "declared") {
			t.Errorf("query %q: top = %v, want the declared-only member in the top 3", text, got)
			continue
		}
		d := find(t, res.Orgs, "declared")
		if txt := reasonText(d, ReasonDeclared) + reasonText(d, ReasonCapability); !strings.Contains(txt, "Counter-drone systems") &&
			!strings.Contains(txt, "describes itself") {
			t.Errorf("query %q: declared reason = %q", text, txt)
		}
	}
}

func TestRankLeadNetwork(t *testing.T) {
	ix := build(t)
	without, err := ix.Rank(Query{Text: "crisis"})
	if err != nil {
		t.Fatal(err)
	}
	with, err := ix.Rank(Query{Text: "crisis", Lead: "lead"})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(with.Orgs), "lead") {
		t.Errorf("the lead is ranked as its own partner: %v", ids(with.Orgs))
	}
	a, b := find(t, without.Orgs, "fire"), find(t, with.Orgs, "fire")
	if b.Score <= a.Score {
		t.Errorf("fire's score with the lead %v, without %v: want higher with the lead it worked with", b.Score, a.Score)
	}
	if txt := reasonText(b, ReasonWorkedWith); txt != "worked once with your lead (CRISCOM, 2014)" {
		t.Errorf("worked-with reason = %q", txt)
	}
	police := find(t, with.Orgs, "police-fr")
	if txt := reasonText(police, ReasonSharedPartners); !strings.Contains(txt, "shares 2 partners with your lead") {
		t.Errorf("police-fr shared-partners reason = %q", txt)
	}
	// A lead alone, without text, ranks its network.
	res, err := ix.Rank(Query{Lead: "lead"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Orgs); len(got) == 0 || !slices.Contains(got[:3], "uni") {
		t.Errorf("lead-only query: %v, want uni (worked with the lead twice) on top", got)
	}
}

func TestRankVisibilityFiltersExclusions(t *testing.T) {
	ix := build(t)
	visible := func(id string) bool { return id != "hidden" }
	tests := []struct {
		name string
		q    Query
		want func([]string) string // "" when fine
	}{
		{"hidden never ranked", Query{Text: "drones airports", Visible: visible}, func(got []string) string {
			if slices.Contains(got, "hidden") {
				return "hidden organisation ranked"
			}
			return ""
		}},
		{"without visibility it is", Query{Text: "drones airports"}, func(got []string) string {
			if !slices.Contains(got, "hidden") {
				return "hidden organisation missing when everything is visible"
			}
			return ""
		}},
		{"country filter", Query{Text: "crisis drones", Filter: Filter{Countries: []string{"es", "DE"}}}, func(got []string) string {
			if !slices.Equal(sortedIDs(got), []string{"drone", "fire"}) {
				return "want only fire and drone"
			}
			return ""
		}},
		{"role filter", Query{Text: "crisis drones", Filter: Filter{Roles: []string{directory.RolePolice}}, Visible: visible}, func(got []string) string {
			if !slices.Equal(sortedIDs(got), []string{"police-fi", "police-fr"}) {
				return "want only the two visible police forces"
			}
			return ""
		}},
		{"kind and cluster filter", Query{Text: "drones", Filter: Filter{Kinds: []string{directory.KindCompany}, Clusters: []string{"TSS"}}}, func(got []string) string {
			if !slices.Equal(got, []string{"declared"}) {
				return "want only the TSS company"
			}
			return ""
		}},
		{"excluded and locked", Query{Text: "crisis communication", Excluded: []string{"fire", "nobody"}, Locked: []string{"uni"}}, func(got []string) string {
			if slices.Contains(got, "fire") || slices.Contains(got, "uni") {
				return "excluded or locked organisation ranked"
			}
			return ""
		}},
	}
	for _, tt := range tests {
		res, err := ix.Rank(tt.q)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if msg := tt.want(ids(res.Orgs)); msg != "" {
			t.Errorf("%s: got %v: %s", tt.name, ids(res.Orgs), msg)
		}
	}
}

func sortedIDs(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func TestRankBadInput(t *testing.T) {
	ix := build(t)
	hideLead := func(id string) bool { return id != "lead" }
	tests := []struct {
		name  string
		q     Query
		field string
		code  string
	}{
		{"empty", Query{Text: "   "}, "text", validate.Required},
		{"only function words", Query{Text: "the and of 2024"}, "text", validate.InvalidFormat},
		{"huge", Query{Text: strings.Repeat("drones ", MaxQueryBytes/7+10)}, "text", validate.TooLong},
		{"not UTF-8", Query{Text: "drones \xff"}, "text", validate.InvalidFormat},
		{"unknown lead", Query{Text: "drones", Lead: "nobody"}, "lead", validate.NotFound},
		{"invisible lead", Query{Text: "drones", Lead: "lead", Visible: hideLead}, "lead", validate.NotFound},
		{"unknown locked", Query{Text: "drones", Locked: []string{"fire", "ghost"}}, "locked[1]", validate.NotFound},
		{"locked and excluded", Query{Text: "drones", Locked: []string{"fire"}, Excluded: []string{"fire"}}, "excluded", validate.InvalidChoice},
		{"lead excluded", Query{Text: "drones", Lead: "lead", Excluded: []string{"lead"}}, "excluded", validate.InvalidChoice},
		{"bad country", Query{Text: "drones", Filter: Filter{Countries: []string{"Spain"}}}, "filter.countries[0]", validate.InvalidCountry},
		{"bad kind", Query{Text: "drones", Filter: Filter{Kinds: []string{"ngo"}}}, "filter.kinds[0]", validate.InvalidChoice},
		{"bad role", Query{Text: "drones", Filter: Filter{Roles: []string{"firefighter"}}}, "filter.roles[0]", validate.InvalidChoice},
		{"bad limit", Query{Text: "drones", Limit: MaxLimit + 1}, "limit", validate.InvalidChoice},
	}
	for _, tt := range tests {
		_, err := ix.Rank(tt.q)
		var qe *QueryError
		if !errors.As(err, &qe) || !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%s: err = %v, want a *QueryError", tt.name, err)
			continue
		}
		if qe.Field != tt.field || qe.Code != tt.code {
			t.Errorf("%s: field %q code %q, want %q %q (%v)", tt.name, qe.Field, qe.Code, tt.field, tt.code, err)
		}
		if qe.Message == "" || len(qe.Validation()) != 1 {
			t.Errorf("%s: no message or validation errors", tt.name)
		}
	}
}

func TestBuildRefusesDuplicateIDs(t *testing.T) {
	s := fixture()
	s.Orgs = append(s.Orgs, Org{ID: "lead", Name: "again"})
	if _, err := Build(s, BuildOptions{}); err == nil || !strings.Contains(err.Error(), `"lead" twice`) {
		t.Errorf("Build with a duplicate id: err = %v", err)
	}
}

func TestBuildAddsParticipantOnlyOrgs(t *testing.T) {
	s := fixture()
	s.Projects[0].Participants = append(s.Projects[0].Participants, Participant{OrgID: "pic-999", Role: "participant"})
	ix, err := Build(s, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !ix.Has("pic-999") || ix.PastProjects("pic-999") != 1 || ix.CoParticipations("lead", "pic-999") != 1 {
		t.Errorf("participant-only organisation not indexed with its project")
	}
	if got := ix.CoParticipations("lead", "uni"); got != 2 {
		t.Errorf("CoParticipations(lead, uni) = %d, want 2", got)
	}
}

// police2 is the rule of many Cluster 3 topics: 2 police authorities
// from 2 countries.
func police2() calls.Rule {
	return calls.Rule{Kind: calls.KindMinPractitioners, Count: 2, Types: []string{directory.RolePolice},
		MinCountries: 2, CountryScope: calls.ScopeMemberOrAssociated, Origin: calls.OriginTopic}
}

func TestConsortium(t *testing.T) {
	ix := build(t)
	rules := []calls.Rule{calls.GeneralRule("RIA"), police2()}
	props, err := ix.Consortium(ConsortiumRequest{
		Query: Query{Text: "crisis communication and drones for first responders", Lead: "lead",
			Locked: []string{"fire"}, Excluded: []string{"cyber"}, Visible: func(id string) bool { return id != "hidden" }},
		Rules: rules, Size: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(props) == 0 || len(props) > DefaultProposals {
		t.Fatalf("got %d proposals, want 1..%d", len(props), DefaultProposals)
	}
	seen := map[string]bool{}
	for i, p := range props {
		got := make([]string, len(p.Members))
		for k, m := range p.Members {
			got[k] = m.ID
		}
		if len(got) != 5 || got[0] != "lead" || !p.Members[0].Lead || got[1] != "fire" || !p.Members[1].Locked {
			t.Errorf("proposal %d = %v, want 5 members, lead then the locked fire brigade first", i, got)
		}
		if slices.Contains(got, "cyber") || slices.Contains(got, "hidden") {
			t.Errorf("proposal %d = %v holds an excluded or hidden organisation", i, got)
		}
		if !calls.Satisfied(p.Results) {
			t.Errorf("proposal %d breaks a rule: %+v", i, p.Results)
		}
		for _, m := range p.Members {
			if slices.Contains(m.Roles, directory.RolePolice) && !slices.Contains(m.Rules, 1) {
				t.Errorf("proposal %d: police member %s does not list the police rule: %v", i, m.ID, m.Satisfies)
			}
		}
		key := strings.Join(sortedIDs(got), ",")
		if seen[key] {
			t.Errorf("proposal %d repeats an earlier one: %v", i, got)
		}
		seen[key] = true
		if i > 0 && p.Score > props[i-1].Score+1e-9 {
			t.Errorf("proposal %d scores %v, more than the one before (%v)", i, p.Score, props[i-1].Score)
		}
	}
}

func TestConsortiumBadInput(t *testing.T) {
	ix := build(t)
	visible := func(id string) bool { return id != "hidden" }
	base := Query{Text: "crisis drones", Lead: "lead", Visible: visible}
	tests := []struct {
		name    string
		req     ConsortiumRequest
		field   string // a *QueryError on this field, or
		missing string // an *InfeasibleError whose message holds this
	}{
		{"size zero", ConsortiumRequest{Query: base, Size: 0}, "size", ""},
		{"size huge", ConsortiumRequest{Query: base, Size: MaxConsortiumSize + 1}, "size", ""},
		{"too many proposals", ConsortiumRequest{Query: base, Size: 3, Proposals: 99}, "proposals", ""},
		{"locked beyond size", ConsortiumRequest{Query: Query{Text: "crisis", Lead: "lead", Locked: []string{"fire", "uni"}}, Size: 2}, "size", ""},
		{"max partners below size", ConsortiumRequest{Query: base, Size: 5,
			Rules: []calls.Rule{{Kind: calls.KindMaxPartners, Count: 4, Types: []string{calls.TypeLegalEntity}, CountryScope: calls.ScopeAny, Origin: calls.OriginTopic}}}, "size", ""},
		{"broken rule", ConsortiumRequest{Query: base, Size: 3, Rules: []calls.Rule{{Kind: "min_magic", Count: 1}}}, "rules[0].kind", ""},
		{"contradiction", ConsortiumRequest{Query: Query{Text: "crisis", Locked: []string{"fire"}, Excluded: []string{"fire"}}, Size: 3}, "excluded", ""},
		{"no such partners", ConsortiumRequest{Query: base, Size: 4, Rules: []calls.Rule{{Kind: calls.KindMinPractitioners, Count: 1,
			Types: []string{directory.RoleBorderGuard}, CountryScope: calls.ScopeAny, Origin: calls.OriginTopic}}}, "", "border or coast guard"},
		{"hidden police do not count", ConsortiumRequest{Query: Query{Text: "crisis", Visible: func(id string) bool { return id != "police-fi" && id != "hidden" }},
			Size: 4, Rules: []calls.Rule{police2()}}, "", "1 more police authority from a Member State or Associated Country other than FR"},
		{"no room", ConsortiumRequest{Query: base, Size: 2, Rules: []calls.Rule{calls.GeneralRule("RIA")}}, "", "raise the size"},
	}
	for _, tt := range tests {
		_, err := ix.Consortium(tt.req)
		if tt.field != "" {
			var qe *QueryError
			if !errors.As(err, &qe) || qe.Field != tt.field {
				t.Errorf("%s: err = %v, want a *QueryError on %s", tt.name, err, tt.field)
			}
			continue
		}
		var ie *InfeasibleError
		if !errors.As(err, &ie) || !errors.Is(err, ErrInfeasible) || !strings.Contains(err.Error(), tt.missing) {
			t.Errorf("%s: err = %v, want an *InfeasibleError mentioning %q", tt.name, err, tt.missing)
		}
	}
}

// TestRankConcurrent runs queries from many goroutines on one index (run
// with -race): the index is shared, the per-query work is not.
func TestRankConcurrent(t *testing.T) {
	ix := build(t)
	want, err := ix.Rank(Query{Text: "crisis communication", Lead: "lead"})
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 16)
	for g := 0; g < 16; g++ {
		go func() {
			for i := 0; i < 50; i++ {
				got, err := ix.Rank(Query{Text: "crisis communication", Lead: "lead"})
				if err == nil && !slices.Equal(ids(got.Orgs), ids(want.Orgs)) {
					err = errors.New("concurrent ranking differs: " + strings.Join(ids(got.Orgs), ","))
				}
				if err != nil {
					errs <- err
					return
				}
				if _, err := ix.Rank(Query{Text: "drones airports"}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 16; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
