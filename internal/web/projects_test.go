package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/storetest"
)

// importFixtures loads the small CORDIS fixtures of the newer layout
// (../cordis/testdata): three projects; Fraunhofer (PIC 999984059) links
// to the demo organisation, four participants are new.
func importFixtures(t *testing.T, env *testEnv, extra ...projects.Source) {
	t.Helper()
	var srcs []projects.Source
	for _, name := range []string{"project.csv", "organization.csv"} {
		path := filepath.Join("../cordis/testdata", name)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, projects.Source{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }})
	}
	ctx := audit.WithActor(access.AsSystem(context.Background()), audit.Actor{Label: "cli"})
	sum, err := projects.Import(ctx, env.db, append(srcs, extra...), projects.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(extra) == 0 && sum.Linked != 1 || sum.Rejected != 0 {
		t.Fatalf("fixture import: %+v", sum)
	}
}

func TestProjectsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		importFixtures(t, env)
		tests := []struct {
			path  string
			total int
		}{
			{"/api/v1/projects", 3},
			{"/api/v1/projects?q=border", 1},
			{"/api/v1/projects?organisation=fraunhofer", 1},
			{"/api/v1/projects?topic=HORIZON-CL3-2021-CS-01-01", 1},
			{"/api/v1/projects?framework=horizon&limit=2", 3},
			{"/api/v1/projects?framework=FP7", 0},
		}
		for _, tt := range tests {
			r := env.do("GET", tt.path, nil)
			if r.status != 200 {
				t.Fatalf("%s: status %d: %s", tt.path, r.status, r.body)
			}
			if p := decode[directory.Page[projects.Project]](t, r); p.Total != tt.total {
				t.Errorf("%s: total %d, want %d", tt.path, p.Total, tt.total)
			}
		}
		// Paging walks all three in order.
		p := decode[directory.Page[projects.Project]](t, env.do("GET", "/api/v1/projects?limit=2", nil))
		next := decode[directory.Page[projects.Project]](t, env.do("GET", "/api/v1/projects?limit=2&cursor="+p.Next, nil))
		if len(p.Items) != 2 || len(next.Items) != 1 || next.Next != "" || p.Items[0].Acronym != "101100003" {
			t.Errorf("pages: %+v then %+v", p.Items, next.Items)
		}

		r := env.do("GET", "/api/v1/projects/101100001", nil)
		if r.status != 200 {
			t.Fatalf("get project: %d %s", r.status, r.body)
		}
		pr := decode[projects.Project](t, r)
		if len(pr.Participants) != 4 || pr.Participants[0].OrganisationSlug != "fraunhofer" || pr.Participants[0].Role != "coordinator" ||
			*pr.TotalCostCents != 499987550 || pr.Objective == "" || len(pr.Topics) != 1 {
			t.Errorf("project = %+v", pr)
		}
		// Unknown amounts are absent, not zero.
		if r := env.do("GET", "/api/v1/projects/101100003", nil); bytes.Contains(r.body, []byte("total_cost_cents")) {
			t.Errorf("an unknown amount is in the JSON: %s", r.body)
		}

		tr := decode[projects.TrackRecord](t, env.do("GET", "/api/v1/organisations/fraunhofer/track-record", nil))
		if tr.Projects != 1 || tr.Coordinated != 1 || tr.EUContributionCents != 125000000 || len(tr.Partners) != 3 ||
			len(tr.ByYear) != 1 || tr.ByYear[0].Year != 2023 || tr.Topics[0].Code != "HORIZON-CL3-2022-DRS-01-02" {
			t.Errorf("track record = %+v", tr)
		}
		// KENTRO FIXTURE: two projects, one coordinated, one amount unknown.
		kentro := decode[directory.Page[directory.Organisation]](t, env.do("GET", "/api/v1/organisations?q=kentro&membership=outsiders", nil))
		if kentro.Total != 1 {
			t.Fatalf("kentro: %+v", kentro)
		}
		tr = decode[projects.TrackRecord](t, env.do("GET", "/api/v1/organisations/"+kentro.Items[0].Slug+"/track-record", nil))
		if tr.Projects != 2 || tr.Coordinated != 1 || tr.UnknownAmounts != 1 || tr.EUContributionCents != 80000025 || len(tr.ByYear) != 2 {
			t.Errorf("kentro's track record = %+v", tr)
		}

		bad := []struct {
			path, field string
			status      int
		}{
			{"/api/v1/projects?colour=red", "colour", 400},
			{"/api/v1/projects?limit=0", "limit", 400},
			{"/api/v1/projects?limit=many", "limit", 400},
			{"/api/v1/projects?cursor=garbage", "cursor", 422},
			{"/api/v1/projects/999999", "", 404},
			{"/api/v1/organisations/nope/track-record", "", 404},
		}
		for _, tt := range bad {
			r := env.do("GET", tt.path, nil)
			if r.status != tt.status || r.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("%s: status %d (%s), want %d problem+json", tt.path, r.status, r.header.Get("Content-Type"), tt.status)
				continue
			}
			if tt.field != "" {
				if p := decode[Problem](t, r); len(p.Errors) == 0 || p.Errors[0].Field != tt.field {
					t.Errorf("%s: errors %+v, want one on %s", tt.path, p.Errors, tt.field)
				}
			}
		}
	})
}

func TestMergeAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		importFixtures(t, env)
		// Two records of one organisation: same name and city.
		ctx := access.AsSystem(context.Background())
		dup := &directory.Organisation{Slug: "fixture-drones-nl", Name: "FIXTURE DRONES", Kind: "company", Country: "NL", City: "Enschede"}
		if err := directory.NewService(env.db).CreateOrganisation(ctx, dup); err != nil {
			t.Fatal(err)
		}
		r := env.do("GET", "/api/v1/merge-candidates", nil, "Authorization", "Bearer "+env.admin)
		if r.status != 200 {
			t.Fatalf("merge candidates: %d %s", r.status, r.body)
		}
		cl := decode[CandidateList](t, r)
		var kept string
		for _, c := range cl.Items {
			if c.A.ID == dup.ID || c.B.ID == dup.ID {
				kept = c.A.ID
				if kept == dup.ID {
					kept = c.B.ID
				}
			}
		}
		if kept == "" {
			t.Fatalf("candidates %+v do not pair fixture-drones-nl", cl.Items)
		}
		// Refused without the role, or with a bad body.
		if r := env.do("POST", "/api/v1/merges", MergeInput{Into: kept, From: dup.ID}, "Authorization", ""); r.status != 401 {
			t.Errorf("anonymous merge: %d", r.status)
		}
		for _, tt := range []struct {
			body   any
			status int
			field  string
		}{
			{MergeInput{Into: kept}, 422, "from"},
			{MergeInput{Into: kept, From: kept}, 422, "from"},
			{MergeInput{Into: kept, From: "nope"}, 422, "from"},
			{`{"into": 3}`, 400, "into"},
			{`{"into": "a", "from": "b", "extra": 1}`, 400, "extra"},
		} {
			r := env.do("POST", "/api/v1/merges", tt.body)
			if p := decode[Problem](t, r); r.status != tt.status || len(p.Errors) == 0 || p.Errors[0].Field != tt.field {
				t.Errorf("merge %v: %d %+v, want %d on %s", tt.body, r.status, p.Errors, tt.status, tt.field)
			}
		}
		r = env.do("POST", "/api/v1/merges", MergeInput{Into: kept, From: "fixture-drones-nl"})
		if r.status != 201 {
			t.Fatalf("merge: %d %s", r.status, r.body)
		}
		m := decode[projects.Merge](t, r)
		if r.header.Get("Location") != "/api/v1/merges/"+m.ID || m.From.ID != dup.ID || m.Actor != "admin@example.org" {
			t.Errorf("merge = %+v, location %q", m, r.header.Get("Location"))
		}
		if r := env.do("GET", "/api/v1/organisations/fixture-drones-nl", nil, "Authorization", "Bearer "+env.admin); r.status != 404 {
			t.Errorf("merged organisation: %d, want 404", r.status)
		}
		ms := decode[MergeList](t, env.do("GET", "/api/v1/merges", nil, "Authorization", "Bearer "+env.admin))
		if len(ms.Items) != 1 || ms.Items[0].ID != m.ID {
			t.Errorf("merges = %+v", ms.Items)
		}
		if r := env.do("DELETE", "/api/v1/merges/"+m.ID, nil); r.status != 200 || decode[projects.Merge](t, r).UndoneAt == nil {
			t.Fatalf("undo: %d %s", r.status, r.body)
		}
		if r := env.do("DELETE", "/api/v1/merges/"+m.ID, nil); r.status != 409 {
			t.Errorf("second undo: %d, want 409", r.status)
		}
		if r := env.do("GET", "/api/v1/organisations/fixture-drones-nl", nil); r.status != 200 {
			t.Errorf("organisation after undo: %d", r.status)
		}
		if r := env.do("POST", "/api/v1/distinct-organisations", DistinctInput{A: kept, B: "fixture-drones-nl"}); r.status != 204 {
			t.Errorf("mark distinct: %d %s", r.status, r.body)
		}
		cl2 := decode[CandidateList](t, env.do("GET", "/api/v1/merge-candidates", nil, "Authorization", "Bearer "+env.admin))
		if cl2.Total != cl.Total-1 {
			t.Errorf("%d candidates after marking a pair distinct, want %d", cl2.Total, cl.Total-1)
		}
		var n int
		if err := env.db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action LIKE 'organisation_merge.%' AND actor_label = 'admin@example.org'`).Scan(&n); err != nil || n != 2 {
			t.Errorf("%d audit entries for merge and undo, want 2 (%v)", n, err)
		}
	})
}

func TestProjectPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		importFixtures(t, env)
		page := func(path string, headers ...string) *goquery.Document {
			t.Helper()
			r := env.do("GET", path, nil, headers...)
			if r.status != 200 {
				t.Fatalf("%s: status %d: %.300s", path, r.status, r.body)
			}
			doc, err := goquery.NewDocumentFromReader(bytes.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			return doc
		}
		doc := page("/projects")
		if n := doc.Find("table.projects tbody tr").Length(); n != 3 {
			t.Errorf("/projects lists %d projects, want 3", n)
		}
		doc = page("/projects?organisation=fraunhofer")
		if h := doc.Find("h1").Text(); !strings.Contains(h, "Fraunhofer") || doc.Find("table.projects tbody tr").Length() != 1 {
			t.Errorf("/projects?organisation=fraunhofer: heading %q", h)
		}
		doc = page("/projects/101100001")
		if h := doc.Find("h1").Text(); !strings.Contains(h, "FIXRESPOND") {
			t.Errorf("project heading %q", h)
		}
		if got := strings.TrimSpace(doc.Find("dd.total-cost").Text()); got != "€4,999,876" {
			t.Errorf("total cost %q, want €4,999,876", got)
		}
		rows := doc.Find("table.participants tbody tr")
		if rows.Length() != 4 || !strings.Contains(rows.First().Text(), "coordinator") || !strings.Contains(rows.Last().Text(), "third party") {
			t.Errorf("participants: %d rows: %q", rows.Length(), rows.Text())
		}
		doc = page("/projects/101100001", "Accept-Language", "de")
		if got := strings.TrimSpace(doc.Find("dd.total-cost").Text()); got != "4.999.876 €" || !strings.Contains(doc.Find("table.participants").Text(), "Koordinator") {
			t.Errorf("German page: total cost %q", got)
		}
		doc = page("/projects/101100003")
		if got := strings.TrimSpace(doc.Find("dd.eu-contribution").Text()); got != "unknown" {
			t.Errorf("unknown amount shows %q", got)
		}
		doc = page("/organisations/fraunhofer")
		sec := doc.Find("section.track-record")
		if sec.Length() != 1 || sec.Find("ol.partners li").Length() != 3 || !strings.Contains(sec.Find(".track-summary").Text(), "€1,250,000") ||
			sec.Find("table.by-year tbody tr").Length() != 1 {
			t.Errorf("track record section: %q", sec.Text())
		}
		if doc := page("/organisations/tno"); doc.Find("section.track-record").Length() != 0 {
			t.Errorf("an organisation without projects shows a track record")
		}
		if r := env.do("GET", "/projects/999999", nil); r.status != 404 {
			t.Errorf("missing project page: %d", r.status)
		}
	})
}

// TestTrackRecordQueriesDoNotGrow: the organisation page issues as many
// queries for an organisation with 40 projects as for one with 1.
func TestTrackRecordQueriesDoNotGrow(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	importFixtures(t, env)
	count := func() int64 {
		before := env.db.Queries()
		if r := env.do("GET", "/organisations/fraunhofer", nil); r.status != 200 {
			t.Fatalf("status %d", r.status)
		}
		return env.db.Queries() - before
	}
	small := count()
	var p, o strings.Builder
	p.WriteString("rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme\n")
	o.WriteString("projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber\n")
	for i := range 40 {
		id := 200000 + i
		fmt.Fprintf(&p, "%d;%d;P%d;CLOSED;FP7-SECURITY;SEC-%d;FP7;Project %d;20%02d-01-01;20%02d-12-31;;Objective;1000;800;CALL;CP\n", i, id, i, i%5, i, 10+i%10, 12+i%10)
		fmt.Fprintf(&o, "%d;%d;P%d;participant;999984059;FRAUNHOFER;;REC;false;100;DE;;MUNCHEN;;;\n", i, id, i)
		fmt.Fprintf(&o, "%d;%d;P%d;coordinator;9%08d;PARTNER %d;;PRC;false;200;NL;;DELFT;;;\n", i, id, i, i%7, i%7)
	}
	src := func(name, s string) projects.Source {
		return projects.Source{Name: name, Size: int64(len(s)), Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(s)), nil }}
	}
	importFixtures(t, env, src("p.csv", p.String()), src("o.csv", o.String()))
	if got := count(); got != small {
		t.Errorf("/organisations/fraunhofer: %d queries with 41 projects, %d with 1", got, small)
	}
	if r := env.do("GET", "/organisations/fraunhofer", nil); !bytes.Contains(r.body, []byte("41 projects")) {
		t.Errorf("the page does not count 41 projects")
	}
}

var _ = http.StatusOK
