package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// openRedirects are values of next that a browser would follow to another
// host (or run): each must be replaced by a page of this site.
var openRedirects = []string{
	"/\t/evil.example", "/\n/evil.example", "/\r/evil.example", "/\r\n/evil.example", "\t//evil.example",
	"//evil.example", "///evil.example", "////evil.example", `/\evil.example`, `\\evil.example`, `\/evil.example`,
	`/\/evil.example`, "/%09/evil.example", "/%0a/evil.example", "/%0d/evil.example", "/%2F/evil.example",
	"/%2f%2fevil.example", "%2F%2Fevil.example", "/%5Cevil.example", "/%5C%5Cevil.example", "/%252F/evil.example",
	"/%25252F/evil.example", "/%255C/evil.example", "/%2509/evil.example", "https://evil.example", "https:evil.example",
	"http:/evil.example", "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<script>alert(1)</script>",
	"evil.example", " /evil", "/ /evil", "/\u00a0/evil.example", "/\u2215\u2215evil.example", "/\x00/evil.example",
	"",
}

// sameSite are values of next that stay here and are kept.
var sameSite = []string{"/", "/account", "/organisations/tno", "/search?q=drone%20testing&country=NL",
	"/organisations?cursor=abc%3D&limit=20", "/login?next=%2Faccount", "/people/0193-ab#contact", "/@evil.example/x"}

func TestSafeNext(t *testing.T) {
	for _, next := range openRedirects {
		if got := safeNext(next); got != "/account" {
			t.Errorf("safeNext(%q) = %q, want /account", next, got)
		}
	}
	for _, next := range sameSite {
		if got := safeNext(next); got != next {
			t.Errorf("safeNext(%q) = %q, want it kept", next, got)
		}
	}
}

// TestOpenRedirectRefused sends the corpus through the two routes that
// redirect to next: sign-in and the language switch. Every Location must
// be a path of this site.
func TestOpenRedirectRefused(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	for _, next := range openRedirects {
		if next == "" || strings.ContainsRune(next, 0) {
			continue // the switch goes home without a next; a NUL is refused outright (TestNULRefused)
		}
		r := env.do("GET", "/language/nl?next="+url.QueryEscape(next), nil, "Authorization", "")
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || !sameSitePath(loc) || loc != "/account" {
			t.Errorf("language switch, next=%q: %d to %q, want 303 to /account", next, r.status, loc)
		}
	}
	// Sign-in: a few of the corpus (each is a real sign-in; the throttle
	// counts only failures).
	for _, next := range []string{"/\t/evil.example", "/%09/evil.example", `/\evil.example`, "//evil.example", "https:evil.example", "/%2F/evil.example"} {
		r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password, "next", next), "")
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || loc != "/account" {
			t.Errorf("sign-in, next=%q: %d to %q, want 303 to /account", next, r.status, loc)
		}
	}
	r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password, "next", "/organisations/tno"), "")
	if loc := r.header.Get("Location"); loc != "/organisations/tno" {
		t.Errorf("sign-in to a page of the site: to %q", loc)
	}
}

// TestNULRefused sends a NUL byte in a query parameter, a path, a JSON
// string (top level and nested) and a form field: each is refused with 400
// naming the field, on both engines, and nothing is stored.
func TestNULRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		ctx := access.AsSystem(context.Background())
		tno, _ := env.db.GetOrganisation(ctx, "tno")
		before, _ := env.db.LatestChange(ctx)
		orgBody := func(name, role string) map[string]any {
			return map[string]any{"slug": "tno", "name": name, "kind": tno.Kind, "country": tno.Country,
				"memberships": []map[string]string{{"cluster_id": tno.Memberships[0].ClusterID, "role": role}}}
		}
		admin := env.login(t, "admin@example.org", demo.Password)
		tests := []struct {
			name, method, path string
			body               any
			headers            []string
			field              string
		}{
			{"query", "GET", "/api/v1/organisations?q=a%00b", nil, nil, "q"},
			{"query name", "GET", "/api/v1/organisations?q%00x=1", nil, nil, `q\0x`},
			{"search", "GET", "/api/v1/search?q=drone%00", nil, nil, "q"},
			{"page query", "GET", "/organisations?q=%00", nil, nil, "q"},
			{"path", "GET", "/api/v1/organisations/tno%00", nil, nil, "path"},
			{"json", "PUT", "/api/v1/organisations/tno", orgBody("TNO\x00", "member"), nil, "name"},
			{"json nested", "PUT", "/api/v1/organisations/tno", orgBody(tno.Name, "mem\x00ber"), nil, "memberships[0].role"},
			{"form", "POST", "/organisations/tno/edit", form("slug", "tno", "name", "TNO\x00", "kind", tno.Kind, "country", tno.Country),
				[]string{"Authorization", "", "Cookie", sessionCookie + "=" + admin, "Content-Type", "application/x-www-form-urlencoded"}, "name"},
			{"sign-in form", "POST", "/login", form("email", "admin@example.org\x00", "password", demo.Password),
				[]string{"Authorization", "", "Content-Type", "application/x-www-form-urlencoded"}, "email"},
		}
		for _, tt := range tests {
			r := env.do(tt.method, tt.path, tt.body, append([]string{"Authorization", "Bearer " + env.admin}, tt.headers...)...)
			if r.status != http.StatusBadRequest {
				t.Errorf("%s: %s %s = %d, want 400\n%.300s", tt.name, tt.method, tt.path, r.status, r.body)
				continue
			}
			if strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json") {
				var p Problem
				if err := json.Unmarshal(r.body, &p); err != nil || len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Code != validate.NulByte {
					t.Errorf("%s: problem %+v, want field %q code %s", tt.name, p, tt.field, validate.NulByte)
				}
			} else if label := env.server.catalog.localizer("en").T("field." + tt.field); !strings.Contains(string(r.body), label+": holds a NUL character") {
				t.Errorf("%s: the page does not say that %q holds a NUL:\n%.2000s", tt.name, label, r.body)
			}
		}
		if after, _ := env.db.LatestChange(ctx); after != before {
			t.Errorf("the change feed moved by %d", after-before)
		}
		if got, _ := env.db.GetOrganisation(ctx, "tno"); got.Name != tno.Name || strings.ContainsRune(got.Name, 0) {
			t.Errorf("TNO is now %q", got.Name)
		}
	})
}

// TestExportNeutralisesFormulas: organisations whose names a spreadsheet
// would run as a formula come out of GET /api/v1/export/organisations.csv
// with a leading apostrophe, in every formula start.
func TestExportNeutralisesFormulas(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	ctx := access.AsSystem(context.Background())
	hsd, _ := env.db.GetCluster(ctx, "hsd")
	names := []string{`=HYPERLINK("https://evil.example","Click")`, "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
		"\t=1+1", "\r=1+1"}
	for i, name := range names {
		o := &directory.Organisation{Slug: fmt.Sprintf("formula-%d", i), Name: name, Kind: "company", Country: "NL",
			Visibility: access.Public, Memberships: []directory.Membership{{ClusterID: hsd.ID, Role: "member"}}}
		if err := env.server.dir.CreateOrganisation(ctx, o); err != nil {
			t.Fatalf("create %q: %v", name, err)
		}
	}
	r := env.do("GET", "/api/v1/export/organisations.csv?q=formula", nil, "Authorization", "Bearer "+env.admin)
	if r.status != 200 {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range rows[1:] {
		got[row[1]] = row[2] // slug → name
	}
	for i, name := range names {
		slug := fmt.Sprintf("formula-%d", i)
		// Names are trimmed on the way in, so a leading tab or CR goes
		// there and the formula after it is what the export must defuse.
		if want := "'" + strings.TrimSpace(name); got[slug] != want {
			t.Errorf("%s: name cell %q, want %q", slug, got[slug], want)
		}
	}
}
