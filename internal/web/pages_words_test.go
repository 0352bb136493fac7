package web

import (
	"context"
	"html"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/store/storetest"
)

// fullDemoEnv is a server over the whole demo (every capability's data),
// with a write token for each demo account.
func fullDemoEnv(t *testing.T) *testEnv {
	t.Helper()
	db := storetest.NewSQLite(t)
	a := newApp(t, db, envConfig{})
	if _, err := demo.LoadAll(context.Background(), a, time.Now()); err != nil {
		t.Fatal(err)
	}
	s, err := New(a, Config{Version: "test", Logger: a.Log})
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.LoadAccounts(context.Background(), db, s.Accounts()); err != nil {
		t.Fatal(err)
	}
	env := &testEnv{t: t, db: db, server: s, tokens: map[string]string{}}
	for _, da := range demo.Accounts {
		u, err := db.GetUserByEmail(context.Background(), da.Email)
		if err != nil {
			t.Fatal(err)
		}
		_, secret, err := s.Accounts().CreateToken(context.Background(), u, "t", accounts.ScopeWrite)
		if err != nil {
			t.Fatal(err)
		}
		env.tokens[da.Email] = secret
	}
	env.srv = httptest.NewServer(s.Handler())
	t.Cleanup(env.srv.Close)
	return env
}

// pageWords are the patterns a page meant for people must not show: ids,
// Go values, raw scores and internal codes.
var pageWords = []struct {
	what string
	re   *regexp.Regexp
}{
	{"a UUID", regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)},
	{"a Go value", regexp.MustCompile(`0x[0-9a-f]{6,}|<nil>|%!|map\[|<no value>|\{\{`)},
	{"a raw score", regexp.MustCompile(`(?i)\b(?:score|relevance|helix|coverage|weight)\b\W{0,3}\d+[.,]\d+|(?i)\bscore\b`)},
	{"an internal code", regexp.MustCompile(`\b[a-z]+_[a-z_]+\b`)},
}

// skipCrawl says which links the crawl does not follow: files, feeds,
// the API, language switches and private token links.
func skipCrawl(p string) bool {
	for _, prefix := range []string{"/static/", "/api/", "/language/", "/logout", "/calendar/", "/agenda/", "/inquiries/follow/", "/join/", "/reset/", "/invitations/", "/metrics", "/healthz", "/readyz"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	for _, part := range []string{"/files/", "/attachments/", "/export", ".atom", ".ics", ".csv", ".svg", "format=csv", "/download"} {
		if strings.Contains(p, part) {
			return true
		}
	}
	return false
}

// TestPagesShowNoIdsOrGoValues crawls every page reachable by links from
// the home page and the section pages, on the whole demo, as an alliance
// administrator, a cluster manager, a member and an anonymous visitor,
// and fails on a UUID, a Go value, a raw score, a taxonomy code or an
// internal code (snake_case) in a page's text.
func TestPagesShowNoIdsOrGoValues(t *testing.T) {
	env := fullDemoEnv(t)
	caps, err := env.server.dir.ListCapabilities(access.AsSystem(context.Background()), "")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, c := range caps {
		if strings.Contains(c.Code, ".") {
			codes = append(codes, regexp.QuoteMeta(c.Code))
		}
	}
	taxonomyCode := regexp.MustCompile(`\b(?:` + strings.Join(codes, "|") + `)\b`)
	tag := regexp.MustCompile(`(?s)<[^>]*>`)
	link := regexp.MustCompile(`href="(/[^"#]*)"`)
	seeds := []string{"/", "/clusters", "/organisations", "/people", "/capabilities", "/facilities", "/calls", "/events", "/events?when=all",
		"/partners?text=drone+detection+at+airports&lead=tno", "/practices", "/ask", "/inquiries", "/inquiries/stats", "/roadmap", "/letter", "/join",
		"/bookings", "/account", "/membership-requests", "/postings", "/postings/mine", "/events/new", "/events/security-brokerage-day/edit", "/events/riskfactory-safety-awareness-training/edit", "/events/security-brokerage-day/meetings", "/admin/applications", "/admin/users", "/admin/merges", "/admin/import", "/projects", "/search?q=drone", "/exchanges", "/slots?kind=test_range&days=1"}
	for _, who := range []string{"admin@example.org", "manager.hsd@example.org", "member.tno@example.org", ""} {
		seen := map[string]bool{}
		variants := map[string]int{}
		queue := slices.Clone(seeds)
		pages := 0
		for len(queue) > 0 && pages < 500 {
			p := queue[0]
			queue = queue[1:]
			if seen[p] || skipCrawl(p) {
				continue
			}
			seen[p] = true
			u, _ := url.Parse(p)
			if u.RawQuery != "" {
				if variants[u.Path]++; variants[u.Path] > 3 {
					continue
				}
			}
			var r response
			if who == "" {
				r = env.do("GET", p, nil)
			} else {
				r = env.do("GET", p, nil, "Authorization", "Bearer "+env.tokens[who])
			}
			if r.status >= 500 {
				t.Errorf("%s GET %s: %d", who, p, r.status)
				continue
			}
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				continue
			}
			pages++
			body := string(r.body)
			text := html.UnescapeString(tag.ReplaceAllString(body, " "))
			for _, w := range pageWords {
				if m := w.re.FindAllString(text, 3); len(m) > 0 {
					t.Errorf("%s GET %s shows %s: %q", who, p, w.what, m)
				}
			}
			if m := taxonomyCode.FindAllString(text, 3); len(m) > 0 {
				t.Errorf("%s GET %s shows a taxonomy code: %q", who, p, m)
			}
			for _, m := range link.FindAllStringSubmatch(body, -1) {
				next := html.UnescapeString(m[1])
				if !seen[next] {
					queue = append(queue, next)
				}
			}
		}
		if min := map[bool]int{true: 40, false: 120}[who == ""]; pages < min {
			t.Errorf("%q: only %d pages reached; do the pages still link to each other?", who, pages)
		}
		t.Logf("%q: %d pages checked", who, pages)
	}
}
