package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/escnet/escnet/internal/inquiries"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// testEnv is a server over a database loaded with the demo alliance and
// its demo accounts, with a read-write API token for each.
type testEnv struct {
	t      *testing.T
	db     *sqlstore.DB
	srv    *httptest.Server
	server *Server
	tokens map[string]string // demo account e-mail → token
	admin  string            // the alliance administrator's token
}

// forEachEngine runs fn against SQLite and, when ESCNET_TEST_POSTGRES is
// set, PostgreSQL.
func forEachEngine(t *testing.T, fn func(t *testing.T, env *testEnv)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newEnv(t, storetest.NewSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newEnv(t, storetest.NewPostgres(t))) })
}

// fastParams keeps password hashing cheap in tests; production uses
// accounts.DefaultParams.
var fastParams = accounts.Params{Memory: 1024, Time: 1, Threads: 1}

func newEnv(t *testing.T, db *sqlstore.DB) *testEnv {
	t.Helper()
	return newEnvWith(t, db, envConfig{})
}

// envConfig is what a test may change of the application it runs.
type envConfig struct {
	Accounts accounts.Config
	Mail     mail.Sender
	Logger   *slog.Logger
	// Inquiries configures the contact point (its texts come from the
	// locales).
	Inquiries inquiries.Config
	// Attachments bounds the practices library's files (default: a
	// temporary directory of the test).
	Attachments practices.AttachmentConfig
}

// newApp builds the application over db the way escnet serve does.
func newApp(t testing.TB, db *sqlstore.DB, cfg envConfig) *app.App {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	text, err := MailText()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Accounts.Params = fastParams
	if cfg.Inquiries.Text, err = MailTextIn(); err != nil {
		t.Fatal(err)
	}
	if len(cfg.Inquiries.Secret) == 0 {
		cfg.Inquiries.Secret = []byte("test secret")
	}
	if cfg.Attachments.Dir == "" {
		cfg.Attachments.Dir = t.TempDir()
	}
	return app.New(db, app.Config{Accounts: cfg.Accounts, Mail: cfg.Mail, Logger: cfg.Logger, Text: text, Version: "test",
		Inquiries: cfg.Inquiries, Attachments: cfg.Attachments, Now: callsNow})
}

// callsNow is the calls' clock in the tests: the demo's 2026 topic has
// closed, its 2027 ones are open, whenever the tests run.
func callsNow() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, calls.Brussels) }

func newEnvWith(t *testing.T, db *sqlstore.DB, cfg envConfig) *testEnv {
	t.Helper()
	ctx := context.Background()
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	a := newApp(t, db, cfg)
	s, err := New(a, Config{Version: "test", Logger: a.Log})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadAccounts(ctx, db, s.Accounts()); err != nil {
		t.Fatal(err)
	}
	env := &testEnv{t: t, db: db, server: s, tokens: map[string]string{}}
	for _, a := range demo.Accounts {
		u, err := db.GetUserByEmail(ctx, a.Email)
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := s.Accounts().CreateToken(ctx, u, "test", accounts.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		env.tokens[a.Email] = secret
	}
	env.admin = env.tokens["admin@example.org"]
	env.srv = httptest.NewServer(s.Handler())
	t.Cleanup(env.srv.Close)
	return env
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (env *testEnv) do(method, path string, body any, headers ...string) response {
	env.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			env.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, env.srv.URL+path, rd)
	if err != nil {
		env.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method != http.MethodGet {
		req.Header.Set("Authorization", "Bearer "+env.admin)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	client := *env.srv.Client()
	// Redirects are answers to check, not to follow.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		env.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		env.t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, data}
}

func decode[T any](t *testing.T, r response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

func TestListClusters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		r := env.do("GET", "/api/v1/clusters", nil)
		if r.status != 200 {
			t.Fatalf("status %d: %s", r.status, r.body)
		}
		p := decode[directory.Page[directory.Cluster]](t, r)
		want := map[string]bool{"hsd": true, "safe-cluster": true, "censec": true, "tampere-safety-security": true,
			"kit": true, "munich-security-cluster": true, "flanders-issn": true, "twente-safety-security": true}
		if p.Total != 8 || len(p.Items) != 8 {
			t.Fatalf("got %d clusters (total %d), want 8", len(p.Items), p.Total)
		}
		for _, c := range p.Items {
			if !want[c.Slug] {
				t.Errorf("unexpected cluster %q", c.Slug)
			}
		}
		// Pages of 3 walk all eight in the same order.
		var walked []string
		next := ""
		for range 5 {
			r := env.do("GET", "/api/v1/clusters?limit=3&cursor="+next, nil)
			page := decode[directory.Page[directory.Cluster]](t, r)
			for _, c := range page.Items {
				walked = append(walked, c.Slug)
			}
			if next = page.Next; next == "" {
				break
			}
		}
		var all []string
		for _, c := range p.Items {
			all = append(all, c.Slug)
		}
		if strings.Join(walked, ",") != strings.Join(all, ",") {
			t.Errorf("paged walk %v, want %v", walked, all)
		}
		fr := decode[directory.Page[directory.Cluster]](t, env.do("GET", "/api/v1/clusters?country=fr", nil))
		if fr.Total != 1 || fr.Items[0].Slug != "safe-cluster" {
			t.Errorf("clusters in FR = %+v", fr.Items)
		}
	})
}

func TestOrganisationLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		in := map[string]any{
			"slug": "voorbeeld-sensing", "name": "Voorbeeld Sensing B.V.", "kind": "company", "sme": true,
			"country": "NL", "city": "Delft", "pic": "912345678", "vat": "NL999999999B01",
			"capabilities": []string{"cbrne.detection"},
			"memberships":  []map[string]string{{"cluster_id": "hsd", "role": "member", "since": "2024-03-01"}},
		}
		r := env.do("POST", "/api/v1/organisations", in)
		if r.status != http.StatusCreated {
			t.Fatalf("create: status %d: %s", r.status, r.body)
		}
		o := decode[directory.Organisation](t, r)
		if r.header.Get("Location") != "/api/v1/organisations/"+o.ID || o.Memberships[0].ClusterSlug != "hsd" || !o.SME {
			t.Errorf("created %+v, location %q", o, r.header.Get("Location"))
		}
		in["name"] = "Voorbeeld Sensing"
		in["memberships"] = []map[string]string{{"cluster_id": "twente-safety-security", "role": "partner"}}
		r = env.do("PUT", "/api/v1/organisations/voorbeeld-sensing", in)
		if r.status != 200 {
			t.Fatalf("update: status %d: %s", r.status, r.body)
		}
		got := decode[directory.Organisation](t, env.do("GET", "/api/v1/organisations/"+o.ID, nil))
		if got.Name != "Voorbeeld Sensing" || len(got.Memberships) != 1 || got.Memberships[0].ClusterSlug != "twente-safety-security" {
			t.Errorf("after update: %+v", got)
		}
		if r := env.do("DELETE", "/api/v1/organisations/"+o.ID, nil); r.status != http.StatusNoContent {
			t.Fatalf("delete: status %d: %s", r.status, r.body)
		}
		if r := env.do("GET", "/api/v1/organisations/"+o.ID, nil); r.status != 404 || r.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("after delete: status %d, type %q", r.status, r.header.Get("Content-Type"))
		}
	})
}

// TestBadInput checks that each bad request gets a 4xx problem naming the
// field, and that the database is unchanged (the change feed did not move).
func TestBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		tno := decode[directory.Organisation](t, env.do("GET", "/api/v1/organisations/tno", nil))
		org := func(change func(m map[string]any)) map[string]any {
			m := map[string]any{"slug": "new-org", "name": "New Org", "kind": "company", "country": "NL"}
			change(m)
			return m
		}
		big := `{"slug":"x","name":"` + strings.Repeat("a", maxBody) + `"}`
		tests := []struct {
			name    string
			method  string
			path    string
			body    any
			headers []string
			status  int
			field   string
		}{
			{"unknown field", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["colour"] = "blue" }), nil, 400, "colour"},
			{"wrong type", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["sme"] = "yes" }), nil, 400, "sme"},
			{"wrong type in list", "POST", "/api/v1/clusters", `{"slug":"x","name":"X","country":"NL","themes":"drones"}`, nil, 400, "themes"},
			{"malformed JSON", "POST", "/api/v1/clusters", `{"slug":`, nil, 400, "body"},
			{"two JSON values", "POST", "/api/v1/clusters", `{} {}`, nil, 400, "body"},
			{"body too large", "POST", "/api/v1/clusters", big, nil, 413, "body"},
			{"wrong content type", "POST", "/api/v1/clusters", `{}`, []string{"Content-Type", "text/plain"}, 415, ""},
			{"invalid country", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["country"] = "XX" }), nil, 422, "country"},
			{"EU alias is fine but NLD is not", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["country"] = "NLD" }), nil, 422, "country"},
			{"missing name", "POST", "/api/v1/organisations", org(func(m map[string]any) { delete(m, "name") }), nil, 422, "name"},
			{"bad kind", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["kind"] = "army" }), nil, 422, "kind"},
			{"bad role", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["practitioner_roles"] = []string{"wizard"} }), nil, 422, "practitioner_roles[0]"},
			{"bad pic", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["pic"] = "12ab" }), nil, 422, "pic"},
			{"unknown capability", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["capabilities"] = []string{"drones", "magic"} }), nil, 422, "capabilities[1]"},
			{"duplicate slug", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["slug"] = "tno" }), nil, 409, "slug"},
			{"duplicate PIC", "POST", "/api/v1/organisations", org(func(m map[string]any) { m["pic"] = "999984059" }), nil, 409, "pic"},
			{"missing cluster", "POST", "/api/v1/organisations", org(func(m map[string]any) {
				m["memberships"] = []map[string]string{{"cluster_id": "no-such-cluster", "role": "member"}}
			}), nil, 422, "memberships[0].cluster_id"},
			{"missing organisation", "POST", "/api/v1/people", map[string]any{"name": "Demo Person", "organisation_id": "nope"}, nil, 422, "organisation_id"},
			{"bad e-mail", "POST", "/api/v1/people", map[string]any{"name": "Demo Person", "organisation_id": "tno", "email": "not-mail"}, nil, 422, "email"},
			{"duplicate cluster slug", "POST", "/api/v1/clusters", map[string]any{"slug": "hsd", "name": "Again", "country": "NL"}, nil, 409, "slug"},
			{"bad region for country", "POST", "/api/v1/clusters", map[string]any{"slug": "x", "name": "X", "country": "NL", "region": "DE21"}, nil, 422, "region"},
			{"delete cluster with members", "DELETE", "/api/v1/clusters/hsd", nil, nil, 409, "memberships"},
			{"delete organisation with people", "DELETE", "/api/v1/organisations/" + tno.ID, nil, nil, 409, "people"},
			{"delete capability in use", "DELETE", "/api/v1/capabilities/drones", nil, nil, 409, "children"},
			{"missing record", "PUT", "/api/v1/clusters/no-such-cluster", map[string]any{"slug": "x", "name": "X", "country": "NL"}, nil, 404, ""},
			{"unknown query parameter", "GET", "/api/v1/organisations?contry=NL", nil, nil, 400, "contry"},
			{"bad limit", "GET", "/api/v1/organisations?limit=5000", nil, nil, 400, "limit"},
			{"bad cursor", "GET", "/api/v1/organisations?cursor=zzz", nil, nil, 422, "cursor"},
			{"bad kind filter", "GET", "/api/v1/organisations?kind=army", nil, nil, 400, "kind"},
			{"no token", "POST", "/api/v1/clusters", map[string]any{"slug": "x", "name": "X", "country": "NL"}, []string{"Authorization", ""}, 401, ""},
			{"wrong token", "DELETE", "/api/v1/people/x", nil, []string{"Authorization", "Bearer nope"}, 401, ""},
			{"revoked-looking token", "GET", "/api/v1/clusters", nil, []string{"Authorization", "Bearer esc_0190000000007000800000000000000a_xxxxxxxxxxxxxxxxxxxxxxxx"}, 401, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, err := env.db.LatestChange(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				r := env.do(tt.method, tt.path, tt.body, tt.headers...)
				if r.status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
					t.Errorf("content type %q, want application/problem+json", ct)
				}
				p := decode[Problem](t, r)
				if p.Status != tt.status || p.Title == "" {
					t.Errorf("problem = %+v", p)
				}
				if tt.field != "" {
					found := false
					for _, f := range p.Errors {
						if f.Field == tt.field && f.Detail != "" && f.Code != "" {
							found = true
						}
					}
					if !found {
						t.Errorf("problem does not name field %q: %s", tt.field, r.body)
					}
				}
				after, err := env.db.LatestChange(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if after != before {
					t.Errorf("database changed: change feed %d → %d", before, after)
				}
			})
		}
	})
}

func TestUnlistedPeopleAreHidden(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		all, err := env.db.ListPeople(access.AsSystem(context.Background()), directory.Filter{Limit: 200})
		if err != nil {
			t.Fatal(err)
		}
		var hidden []directory.Person
		for _, p := range all.Items {
			if !p.Listed {
				hidden = append(hidden, p)
			}
		}
		if len(hidden) == 0 {
			t.Fatal("demo has no unlisted person to test with")
		}
		member := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"]}
		list := decode[directory.Page[directory.Person]](t, env.do("GET", "/api/v1/people?limit=200", nil, member...))
		for _, p := range list.Items {
			if !p.Listed {
				t.Errorf("API lists unlisted %s to a member", p.Name)
			}
		}
		for _, p := range hidden {
			if p.OrganisationSlug == "tno" {
				continue // TNO's own administrators may see them; covered by the authorization test
			}
			if r := env.do("GET", "/api/v1/people/"+p.ID, nil, member...); r.status != 404 {
				t.Errorf("API shows unlisted %s: status %d", p.Name, r.status)
			}
			if r := env.do("GET", "/people/"+p.ID, nil, member...); r.status != 404 {
				t.Errorf("page shows unlisted %s: status %d", p.Name, r.status)
			}
			if r := env.do("GET", "/people", nil, member...); bytes.Contains(r.body, []byte(p.Name)) {
				t.Errorf("people page lists unlisted %s", p.Name)
			}
			if r := env.do("GET", "/api/v1/people/"+p.ID, nil, "Authorization", "Bearer "+env.admin); r.status != 200 {
				t.Errorf("alliance administrator cannot see unlisted %s: status %d", p.Name, r.status)
			}
		}
	})
}

func doc(t *testing.T, r response) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		admin := []string{"Authorization", "Bearer " + env.admin}
		person := decode[directory.Page[directory.Person]](t, env.do("GET", "/api/v1/people?limit=1", nil, admin...)).Items[0]
		tests := []struct {
			path     string
			selector string
			want     string // text the selection must contain
			minCount int
		}{
			{"/", "ul.cards li.card h3 a", "The Hague Security Delta", 8},
			{"/clusters", "table tbody tr", "CenSec", 8},
			{"/clusters?country=DE", "table tbody tr td a", "KIT", 2},
			{"/clusters/twente-safety-security", "h1", "Twente Safety & Security", 1},
			{"/clusters/twente-safety-security", "main ul li a[href^='/facilities/']", "Riskfactory", 2},
			{"/organisations", "table tbody tr", "TNO", 40},
			{"/organisations?kind=public_body&country=BE", "table tbody tr td a[href='/organisations/stad-genk']", "Genk", 1},
			{"/organisations/tno", "dl.facts dd a[href='/clusters/hsd']", "Hague", 1},
			{"/people", "table tbody tr", "", 10},
			{"/people/" + person.ID, "h1", person.Name, 1},
			{"/capabilities", "ul.tree > li", "Cybersecurity", 11},
			{"/capabilities/cybersecurity", "main h2 + ul li a", "Cryptology", 15},
			{"/facilities", "table tbody tr", "Veiligheidscampus Zwartberg", 4},
			{"/organisations?capability=drones", "table tbody tr", "", 1},
		}
		for _, tt := range tests {
			r := env.do("GET", tt.path, nil, admin...)
			if r.status != 200 {
				t.Errorf("%s: status %d", tt.path, r.status)
				continue
			}
			if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("%s: content type %q", tt.path, ct)
			}
			sel := doc(t, r).Find(tt.selector)
			if sel.Length() < tt.minCount {
				t.Errorf("%s: %d × %q, want at least %d", tt.path, sel.Length(), tt.selector, tt.minCount)
			}
			if !strings.Contains(sel.Text(), tt.want) {
				t.Errorf("%s: %q does not contain %q", tt.path, tt.selector, tt.want)
			}
		}
		for _, path := range []string{"/clusters/nope", "/organisations/nope", "/people/nope", "/capabilities/nope", "/facilities/nope", "/no-such-page"} {
			r := env.do("GET", path, nil)
			if r.status != 404 || doc(t, r).Find("h1").Text() != "Not found" {
				t.Errorf("%s: status %d, want a 404 page", path, r.status)
			}
		}
		// A bad filter shows the problem on the page instead of failing.
		r := env.do("GET", "/organisations?country=XX", nil)
		if r.status != 200 || !strings.Contains(doc(t, r).Find("ul.errors").Text(), "country") {
			t.Errorf("bad filter: status %d, errors %q", r.status, doc(t, r).Find("ul.errors").Text())
		}
	})
}

func TestSecurityHeaders(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	for _, path := range []string{"/", "/api/v1/clusters", "/no-such-page"} {
		r := env.do("GET", path, nil)
		csp := r.header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: headers %v", path, r.header)
		}
		if r.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no request id", path)
		}
	}
	// No inline scripts or styles anywhere in a page.
	d := doc(t, env.do("GET", "/organisations", nil))
	if n := d.Find("script:not([src]), style, [style]").Length(); n != 0 {
		t.Errorf("%d inline scripts or styles", n)
	}
}

func TestCrossOriginWriteRefused(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	before, _ := env.db.LatestChange(context.Background())
	r := env.do("POST", "/api/v1/clusters", map[string]any{"slug": "x", "name": "X", "country": "NL"},
		"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if r.status != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", r.status)
	}
	if after, _ := env.db.LatestChange(context.Background()); after != before {
		t.Errorf("cross-site POST changed the database")
	}
}

func TestHealthAndMetrics(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		h := decode[Health](t, env.do("GET", "/healthz", nil))
		if h.Status != "ok" || h.SchemaVersion < 1 || h.Engine != string(env.db.Engine()) {
			t.Errorf("health = %+v", h)
		}
		env.do("GET", "/api/v1/clusters", nil)
		r := env.do("GET", "/metrics", nil)
		if !bytes.Contains(r.body, []byte(`escnet_http_requests_total{code="200",route="GET /api/v1/clusters"}`)) {
			t.Errorf("metrics lack the request counter:\n%.2000s", r.body)
		}
	})
}

func TestStaticFiles(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	href, _ := doc(t, env.do("GET", "/", nil)).Find(`link[rel="stylesheet"]`).Attr("href")
	r := env.do("GET", href, nil)
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/css") || !strings.Contains(r.header.Get("Cache-Control"), "immutable") {
		t.Errorf("%s: status %d, headers %v", href, r.status, r.header)
	}
	if r := env.do("GET", "/static/style.css", nil); r.status != 404 {
		t.Errorf("unhashed name served: %d", r.status)
	}
}

// TestQueriesPerPageDoNotGrow checks that list pages issue the same number
// of queries whatever the number of rows (no query per row).
func TestQueriesPerPageDoNotGrow(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	count := func(path string) int64 {
		before := env.db.Queries()
		if r := env.do("GET", path, nil); r.status != 200 {
			t.Fatalf("%s: %d", path, r.status)
		}
		return env.db.Queries() - before
	}
	paths := []string{"/organisations", "/clusters", "/people", "/facilities", "/clusters/hsd", "/"}
	small := map[string]int64{}
	for _, p := range paths {
		count(p) // the first visit may build what later ones reuse (the practices index)
		small[p] = count(p)
	}
	ctx := access.AsSystem(context.Background())
	svc := directory.NewService(env.db)
	for i := range 120 {
		o := &directory.Organisation{Slug: fmt.Sprintf("extra-%d", i), Name: fmt.Sprintf("Extra %d", i), Kind: "company", Country: "NL",
			Capabilities: []string{"drones"}, Memberships: []directory.Membership{{ClusterID: "hsd", Role: "member"}}}
		if err := svc.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
		p := &directory.Person{Name: fmt.Sprintf("Extra Person %d", i), OrganisationID: o.ID, Listed: true, Visibility: "public"}
		if err := svc.CreatePerson(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range paths {
		count(p) // the writes invalidated caches: refill them first
		if got := count(p); got > small[p] {
			t.Errorf("%s: %d queries with more data, %d before", p, got, small[p])
		}
	}
}

// TestSecretsStayOutOfTheLog checks that one-time links and feed tokens in
// addresses are not written to the request log.
func TestSecretsStayOutOfTheLog(t *testing.T) {
	var logs bytes.Buffer
	env := newEnvWith(t, storetest.NewSQLite(t), envConfig{Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	const secret = "s3cr3t-link-value-0123456789"
	for _, path := range []string{"/reset/" + secret, "/invitations/" + secret, "/calendar/" + secret} {
		env.do("GET", path, nil)
	}
	if strings.Contains(logs.String(), secret) {
		t.Errorf("the log holds a secret from an address:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "/reset/{token}") {
		t.Errorf("the log lacks the route of the reset page:\n%s", logs.String())
	}
}
