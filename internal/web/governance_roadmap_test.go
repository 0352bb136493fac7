package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/demo"
)

// TestRoadmapForms adds and edits roadmap items through the pages as a
// cluster manager: a milestone outside its action is refused naming its
// date with nothing stored, an edit carries the version in a hidden field
// and a stale one is refused, the form speaks four languages, and a
// visitor without an account is refused.
func TestRoadmapForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		idOf := func(r response) string {
			t.Helper()
			m := regexp.MustCompile(`"id": "([0-9a-f-]{36})"`).FindStringSubmatch(string(r.body))
			if r.status/100 != 2 || m == nil {
				t.Fatalf("%d %s", r.status, r.body)
			}
			return m[1]
		}
		hsd := idOf(env.do("GET", "/api/v1/clusters/hsd", nil))
		goal := idOf(env.do("POST", "/api/v1/roadmap", ItemInput{Kind: "goal", Title: "Visibility in the EU"}))
		action := idOf(env.do("POST", "/api/v1/roadmap", ItemInput{Kind: "action", ParentID: goal, Title: "Joint lobby in Brussels", Owners: []string{hsd}, Starts: "2016-09-01", Ends: "2017-06-30"}))
		bearer := "Bearer " + env.tokens[demo.Accounts[1].Email] // manages HSD
		page := func(path, lang string) response {
			return env.do("GET", path, nil, "Authorization", bearer, "Accept-Language", lang)
		}
		post := func(path string, f url.Values) response {
			return env.do("POST", path, f.Encode(), "Authorization", bearer, "Content-Type", "application/x-www-form-urlencoded")
		}
		for lang, want := range map[string]string{"en": "Add to the roadmap", "nl": "Toevoegen aan de roadmap", "fr": "Ajouter à la feuille de route", "de": "Zur Roadmap hinzufügen"} {
			if r := page("/roadmap/new", lang); r.status != 200 || !strings.Contains(string(r.body), want) {
				t.Errorf("new item form in %s: %d, lacks %q", lang, r.status, want)
			}
		}
		if r := env.get("/roadmap/new", ""); r.status != 401 && r.status != 303 {
			t.Errorf("new item form for a visitor: %d", r.status)
		}
		ms := url.Values{"kind": {"milestone"}, "parent_id": {action}, "title": {"Position paper sent"}, "owners": {hsd}, "due": {"2017-07-15"}}
		if r := post("/roadmap/new", ms); r.status != 422 || !strings.Contains(string(r.body), "outside the dates of its action") {
			t.Errorf("milestone outside its action: %d %.300s", r.status, r.body)
		}
		if strings.Contains(string(env.get("/roadmap", "").body), "Position paper sent") {
			t.Error("the refused milestone was stored")
		}
		ms.Set("due", "2017-06-15")
		if r := post("/roadmap/new", ms); r.status != 303 {
			t.Fatalf("add milestone: %d %.300s", r.status, r.body)
		}
		r := page("/roadmap/"+action+"/edit", "en")
		if r.status != 200 || !strings.Contains(string(r.body), `name="version" value="1"`) || !strings.Contains(string(r.body), "Joint lobby in Brussels") {
			t.Fatalf("edit form: %d %.500s", r.status, r.body)
		}
		edit := url.Values{"version": {"1"}, "title": {"Joint lobby in Brussels and Strasbourg"}, "owners": {hsd}, "starts": {"2016-09-01"}, "ends": {"2017-05-31"}}
		if r := post("/roadmap/"+action+"/edit", edit); r.status != 422 || !strings.Contains(string(r.body), "Position paper sent") {
			t.Errorf("action dates leaving its milestone outside: %d %.300s", r.status, r.body)
		}
		edit.Set("ends", "2017-09-30")
		if r := post("/roadmap/"+action+"/edit", edit); r.status != 303 {
			t.Fatalf("edit: %d %.300s", r.status, r.body)
		}
		edit.Set("title", "An older edit")
		if r := post("/roadmap/"+action+"/edit", edit); r.status != 412 || !strings.Contains(string(r.body), `name="version" value="2"`) {
			t.Errorf("stale edit: %d %.300s", r.status, r.body)
		}
		// The status, from the edit page: a bad one is refused naming it,
		// an old version is stale, a good one joins the history.
		if r := post("/roadmap/"+action+"/status", url.Values{"version": {"2"}, "status": {"late"}}); r.status != 422 {
			t.Errorf("unknown status: %d", r.status)
		}
		if r := post("/roadmap/"+action+"/status", url.Values{"version": {"1"}, "status": {"running"}}); r.status != 412 {
			t.Errorf("status on an old version: %d", r.status)
		}
		if r := post("/roadmap/"+action+"/status", url.Values{"version": {"2"}, "status": {"running"}, "note": {"Meetings booked in Brussels"}}); r.status != 303 {
			t.Fatalf("status: %d %.300s", r.status, r.body)
		}
		if r := page("/roadmap/"+action+"/edit", "nl"); !strings.Contains(string(r.body), "Meetings booked in Brussels") || !strings.Contains(string(r.body), `name="version" value="3"`) {
			t.Errorf("edit page lacks the status history or the new version")
		}
		roadmap := string(env.get("/roadmap", "").body)
		if !strings.Contains(roadmap, "Joint lobby in Brussels and Strasbourg") || strings.Contains(roadmap, "An older edit") {
			t.Errorf("roadmap after the edits lacks the new title or shows the stale one")
		}
		// The timeline beside the table: an accessible SVG with a text
		// alternative on the edited action and the new milestone.
		for _, want := range []string{`<svg xmlns="http://www.w3.org/2000/svg" class="chart timeline" role="img"`, `<desc id="roadmap-tl-desc">Actions, as bars from start to end: 1. Milestones, as diamonds on their date: 1.`,
			"Action: Joint lobby in Brussels and Strasbourg, 2016-09-01 – 2017-09-30, running", "Milestone: Position paper sent, 2017-06-15, planned",
			`<th scope="row">Joint lobby in Brussels and Strasbourg`} {
			if !strings.Contains(roadmap, want) {
				t.Errorf("roadmap page lacks %s", want)
			}
		}
		if r := env.do("PUT", "/api/v1/roadmap/"+action, ItemEditInput{Title: "Via the API", Owners: []string{hsd}, Starts: "2016-09-01", Ends: "2017-09-30"}, "If-Match", `"v2"`); r.status != 412 {
			t.Errorf("API edit with an old If-Match: %d", r.status)
		}
		if r := env.do("PUT", "/api/v1/roadmap/"+action, ItemEditInput{Title: "Via the API", Owners: []string{hsd}, Starts: "2016-09-01", Ends: "2017-09-30"}, "If-Match", `"v3"`); r.status != 200 || r.header.Get("ETag") != `"v4"` {
			t.Errorf("API edit: %d %s %s", r.status, r.header.Get("ETag"), r.body)
		}
	})
}
