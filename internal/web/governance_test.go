package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/governance"
)

// joinForm is a valid application as the public form sends it.
func joinForm() url.Values {
	return url.Values{"kind": {"cluster"}, "name": {"Baltic Safety Cluster"}, "country": {"LT"}, "city": {"Vilnius"},
		"description": {"Safety and security innovation in the Baltic states."}, "organisation": {"Baltic Safety Cluster Association"},
		"members.companies": {"12"}, "members.smes": {"9"}, "members.knowledge_institutions": {"3"}, "members.government": {"2"},
		"members.practitioners": {"1"}, "members.total": {"18"}, "staff_fte": {"1,5"}, "contact.name": {"Rūta Jonaitė"},
		"contact.email": {"ruta@baltic-safety.test"}, "letter_of_intent": {"We intend to join the alliance."}}
}

// TestJoinThroughPages applies through the public form, follows the
// application through its private link, and accepts it as the alliance
// administrator: the cluster exists afterwards.
func TestJoinThroughPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		for _, tc := range []struct {
			name, field, value, want string
		}{
			{"no contact", "contact.email", "", "Contact e-mail: is required"},
			{"SMEs more than companies", "members.smes", "13", "SMEs among the companies: is more than the companies (12)"},
			{"total does not add up", "members.total", "20", "Members in all: is 20, but the members by helix add up to 18"},
			{"staff not a number", "staff_fte", "half", "Staff: has an invalid format"},
		} {
			f := joinForm()
			f.Set(tc.field, tc.value)
			r := env.post("/join", f.Encode(), "")
			if r.status != 422 || !strings.Contains(string(r.body), tc.want) {
				t.Errorf("%s: %d, want 422 saying %q\n%.400s", tc.name, r.status, tc.want, r.body)
			}
		}
		if r := env.do("GET", "/api/v1/applications", nil, "Authorization", "Bearer "+env.admin); !strings.Contains(string(r.body), `"items": []`) {
			t.Fatalf("bad input stored an application: %s", r.body)
		}
		r := env.post("/join", joinForm().Encode(), "")
		if r.status != 303 || !strings.HasPrefix(r.header.Get("Location"), "/join/") {
			t.Fatalf("submit: %d %s", r.status, r.header.Get("Location"))
		}
		private := r.header.Get("Location")
		page := string(env.get(private, "").body)
		for _, want := range []string{"Baltic Safety Cluster", "Waiting for review", "1.5"} {
			if !strings.Contains(page, want) {
				t.Errorf("private page lacks %q", want)
			}
		}
		if r := env.get("/join/not-the-secret", ""); r.status != 404 {
			t.Errorf("wrong link: %d, want 404", r.status)
		}
		list := string(env.do("GET", "/api/v1/applications", nil, "Authorization", "Bearer "+env.admin).body)
		id := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(list)[1]
		admin := []string{"Authorization", "Bearer " + env.admin, "Content-Type", "application/x-www-form-urlencoded"}
		if r := env.do("POST", "/admin/applications/"+id, url.Values{"action": {"accept"}, "version": {"1"}}.Encode(), admin...); r.status != 303 {
			t.Fatalf("accept: %d %.300s", r.status, r.body)
		}
		if r := env.get("/clusters/baltic-safety-cluster", ""); r.status != 200 {
			t.Errorf("the accepted cluster's page: %d", r.status)
		}
		if page := string(env.get(private, "").body); !strings.Contains(page, "Accepted") {
			t.Errorf("the applicant does not see the acceptance")
		}
	})
}

// TestJoinAPIBadInput checks that the API names the field of bad input
// and of contradictory criteria, and changes nothing.
func TestJoinAPIBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		in := ApplicationInput{Kind: "cluster", Name: "X Cluster", Country: "LT", Description: "Safety.", Organisation: "X Office",
			Letter: "We intend to join.", Contact: governance.Contact{Name: "A", Email: "a@example.org"}}
		in.Members.Companies, in.Members.SMEs, in.Members.Total = 2, 3, 2
		r := env.do("POST", "/api/v1/applications", in, "Authorization", "")
		if r.status != 422 || !strings.Contains(string(r.body), `"field": "members.smes"`) {
			t.Errorf("SMEs over companies: %d %s", r.status, r.body)
		}
		r = env.do("PUT", "/api/v1/join/criteria", map[string]any{"members": map[string]int{"min": 20, "max": 10}})
		if r.status != 422 || !strings.Contains(string(r.body), `"field": "members.min"`) {
			t.Errorf("min above max: %d %s", r.status, r.body)
		}
		if r := env.do("GET", "/api/v1/join/criteria", nil); !strings.Contains(string(r.body), `"min": 15`) || r.header.Get("ETag") != "" {
			t.Errorf("criteria changed by bad input: %s", r.body)
		}
	})
}

// TestLetterThroughPages publishes a letter, signs it as the manager of
// HSD through the page, and checks the bad input the issue names: a second
// signature of the same version, a signature for a cluster one does not
// manage; the cluster page shows the status.
func TestLetterThroughPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		r := env.do("POST", "/api/v1/letter", LetterInput{Title: "Letter of Commitment", PublishedOn: "2016-06-01",
			Texts: []governance.LetterText{{Lang: "en", Text: "We commit."}, {Lang: "nl", Text: "Wij verbinden ons."}}})
		if r.status != 201 {
			t.Fatalf("publish: %d %s", r.status, r.body)
		}
		id := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(string(r.body))[1]
		hsd := string(env.do("GET", "/api/v1/clusters/hsd", nil).body)
		hsdID := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(hsd)[1]
		kit := string(env.do("GET", "/api/v1/clusters/kit", nil).body)
		kitID := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(kit)[1]
		manager := []string{"Authorization", "Bearer " + env.tokens[demo.Accounts[1].Email], "Content-Type", "application/x-www-form-urlencoded"}
		sign := func(cluster, confirm string) response {
			return env.do("POST", "/letter/"+id+"/sign", url.Values{"cluster_id": {cluster}, "signer_name": {"Demo Cluster Manager"}, "confirm": {confirm}}.Encode(), manager...)
		}
		if r := sign(hsdID, ""); r.status != 422 || !strings.Contains(string(r.body), "confirm") {
			t.Errorf("unconfirmed: %d", r.status)
		}
		if r := sign(kitID, "yes"); r.status != 403 {
			t.Errorf("for a cluster not managed: %d, want 403", r.status)
		}
		if r := sign(hsdID, "yes"); r.status != 303 {
			t.Fatalf("sign: %d %.300s", r.status, r.body)
		}
		if r := sign(hsdID, "yes"); r.status != 422 || !strings.Contains(string(r.body), "is already used") {
			t.Errorf("second signature: %d %.500s", r.status, r.body)
		}
		letter := string(env.do("GET", "/api/v1/letter/"+id, nil).body)
		if n := strings.Count(letter, `"signer_name"`); n != 1 {
			t.Errorf("%d signatures stored, want 1", n)
		}
		page := string(env.get("/clusters/hsd", "").body)
		if !strings.Contains(page, "version 1 signed on") || !strings.Contains(page, "Demo Cluster Manager") {
			t.Errorf("cluster page lacks the letter status")
		}
		if page := string(env.get("/clusters/kit", "").body); !strings.Contains(page, "not yet signed") {
			t.Errorf("unsigned cluster's page does not say so")
		}
		if r := env.get("/letter", ""); r.status != 200 || !strings.Contains(string(r.body), "We commit.") {
			t.Errorf("letter page: %d", r.status)
		}
	})
}

// TestRoadmapThroughAPI adds a goal, an action and a milestone, refuses a
// milestone outside its action's dates naming due, updates a status and
// finds it all in the roadmap table.
func TestRoadmapThroughAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		idOf := func(r response) string {
			t.Helper()
			m := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(string(r.body))
			if r.status != 201 || m == nil {
				t.Fatalf("add: %d %s", r.status, r.body)
			}
			return m[1]
		}
		hsd := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(string(env.do("GET", "/api/v1/clusters/hsd", nil).body))[1]
		goal := idOf(env.do("POST", "/api/v1/roadmap", ItemInput{Kind: "goal", Title: "A larger share of EU innovation funding"}))
		action := idOf(env.do("POST", "/api/v1/roadmap", ItemInput{Kind: "action", ParentID: goal, Title: "Explore a joint KIC Security bid", Owners: []string{hsd}, Starts: "2016-09-01", Ends: "2018-12-31"}))
		bad := env.do("POST", "/api/v1/roadmap", ItemInput{Kind: "milestone", ParentID: action, Title: "Too late", Owners: []string{hsd}, Due: "2019-01-15"})
		if bad.status != 422 || !strings.Contains(string(bad.body), `"field": "due"`) {
			t.Errorf("milestone outside its action: %d %s", bad.status, bad.body)
		}
		m := idOf(env.do("POST", "/api/v1/roadmap", ItemInput{Kind: "milestone", ParentID: action, Title: "Partners for the bid found", Owners: []string{hsd}, Due: "2017-06-30"}))
		if r := env.do("POST", "/api/v1/roadmap/"+m+"/status", StatusInput{Status: "running", Note: "Talks with SAFE and CenSec"}); r.status != 200 {
			t.Fatalf("status: %d %s", r.status, r.body)
		}
		page := string(env.get("/roadmap", "").body)
		for _, want := range []string{"A larger share of EU innovation funding", "Explore a joint KIC Security bid", "Partners for the bid found", "running", "Talks with SAFE and CenSec", "The Hague Security Delta"} {
			if !strings.Contains(page, want) {
				t.Errorf("roadmap page lacks %q", want)
			}
		}
		if strings.Contains(page, "Too late") {
			t.Error("the refused milestone was stored")
		}
	})
}
