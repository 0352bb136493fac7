package web

import (
	"context"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/demo"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/store/storetest"
)

// TestPagesShowNoIdsOrGoValues walks the list pages of the new
// capabilities and the detail pages they link to, on the whole demo, as an
// alliance administrator, a cluster manager and a member, and fails on a
// UUID or a Go value (0x…, <nil>, %!, map[) in a page's text.
func TestPagesShowNoIdsOrGoValues(t *testing.T) {
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
	defer env.srv.Close()
	uuid := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	tag := regexp.MustCompile(`<[^>]*>`)
	gov := regexp.MustCompile(`0x[0-9a-f]{6,}|<nil>|%!|map\[`)
	seen := 0
	defer func() {
		if seen < 20 {
			t.Errorf("only %d detail pages reached: do the lists still link to them?", seen)
		}
	}()
	for _, who := range []string{"admin@example.org", "manager.hsd@example.org", "member.tno@example.org"} {
		for _, p := range []string{"/", "/events", "/inquiries", "/practices", "/roadmap", "/letter", "/membership-requests", "/admin/applications", "/bookings", "/organisations/tno", "/clusters/hsd", "/facilities", "/exchanges", "/events?when=all",
			"/events/security-brokerage-day/edit", "/events/riskfactory-safety-awareness-training/edit", "/events/new", "/events/security-brokerage-day/meetings"} {
			r := env.do("GET", p, nil, "Authorization", "Bearer "+env.tokens[who])
			text := tag.ReplaceAllString(string(r.body), " ")
			if m := uuid.FindAllString(text, 3); len(m) > 0 || gov.MatchString(text) {
				t.Errorf("%s %s %d: uuids %v go %v", who, p, r.status, m, gov.FindAllString(text, 3))
			}
			for _, href := range regexp.MustCompile(`href="(/(?:events|inquiries|practices|roadmap|admin/applications|bookings|exchanges)/[^"?#]+)"`).FindAllStringSubmatch(string(r.body), 6) {
				d := env.do("GET", href[1], nil, "Authorization", "Bearer "+env.tokens[who])
				dt := tag.ReplaceAllString(string(d.body), " ")
				if m := uuid.FindAllString(dt, 3); len(m) > 0 || gov.MatchString(dt) || d.status >= 500 {
					t.Errorf("%s %s %d: uuids %v go %v", who, href[1], d.status, m, gov.FindAllString(dt, 3))
				}
				seen++
			}
			if r.status >= 500 {
				t.Errorf("%s %s: %d", who, p, r.status)
			}
		}
	}
}
