package web

import (
	"bufio"
	"context"
	"maps"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
)

// scopeRule is one row of the token-scope table of docs/access.md.
type scopeRule struct{ read, change, createTokens bool }

// readScopePolicy parses the table whose header starts "token scope".
func readScopePolicy(t *testing.T) map[string]scopeRule {
	t.Helper()
	f, err := os.Open("../../docs/access.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rules := map[string]scopeRule{}
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") {
			in = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		switch {
		case cells[0] == "token scope":
			if strings.Join(cells[1:], ",") != "read,change,create tokens" {
				t.Fatalf("docs/access.md: token scope columns %v", cells[1:])
			}
			in = true
			continue
		case !in || strings.HasPrefix(cells[0], "---"):
			continue
		}
		yes := func(c string) bool { return strings.HasPrefix(c, "✓") }
		rules[cells[0]] = scopeRule{read: yes(cells[1]), change: yes(cells[2]), createTokens: yes(cells[3])}
	}
	for _, scope := range []string{accounts.ScopeRead, accounts.ScopeWrite} {
		if _, ok := rules[scope]; !ok {
			t.Fatalf("docs/access.md: no token scope row %q", scope)
		}
	}
	return rules
}

// changeForms are pages that exist only to make a change: a read token is
// refused them (403) like the change itself (docs/access.md, Token scope).
var changeForms = map[string]bool{
	"GET /organisations/new": true, "GET /organisations/{slug}/edit": true, "GET /people/{id}/edit": true,
	"GET /clusters/{slug}/edit": true, "GET /organisations/{slug}/invite": true, "GET /calls/new": true,
	"GET /calls/{id}/edit": true, "GET /admin/import": true,
}

// scopeGaps are reads that the facilities handlers decide with their
// change check, so that a read token sees less there than its owner; they
// are reported, not failed, until facilities moves the decision into its
// service (a read token seeing less is no leak).
var scopeGaps = map[string]bool{
	"GET /api/v1/facilities/{id}/approvers": true, "GET /api/v1/bookings/{id}": true, "GET /bookings/{id}": true,
}

// TestAuthorizationMatrixTokenScope runs the authorization matrix again
// with a read-scoped token for every signed-in persona and level, and
// holds each answer to the token-scope table of docs/access.md: a read the
// scope allows answers what the persona's read-write token gets (the
// matrix's expectation); a state-changing route the scope does not allow
// answers 403, whatever the record. (The read-write scope is the matrix
// itself: TestAuthorizationMatrix runs with read-write tokens.)
func TestAuthorizationMatrixTokenScope(t *testing.T) {
	pol := readPolicy(t)
	rule := readScopePolicy(t)[accounts.ScopeRead]
	if rule.createTokens && !rule.change {
		t.Fatal("docs/access.md: a scope that changes nothing cannot create tokens")
	}
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		fx := newAuthzFixture(t, env)
		exps := authzExpectations(t, pol)
		maps.Copy(exps, bookingExpectations(t, pol))
		maps.Copy(exps, projectExpectations(t, pol))
		maps.Copy(exps, callExpectations(t, pol))
		maps.Copy(exps, matchExpectations(t, pol))
		ctx := access.AsSystem(context.Background())
		readTokens := map[persona]map[string]string{}
		for who, byLevel := range fx.users {
			readTokens[who] = map[string]string{}
			for level, u := range byLevel {
				_, secret, err := env.server.Accounts().CreateToken(ctx, u, "authz-read", accounts.ScopeRead)
				if err != nil {
					t.Fatal(err)
				}
				readTokens[who][level] = secret
			}
		}
		readToken := func(who persona, level string) string {
			if tok, ok := readTokens[who][level]; ok {
				return tok
			}
			return readTokens[who][""]
		}
		gaps := map[string]int{}
		defer func() {
			for p, n := range gaps {
				t.Logf("known gap: %s answers a read token differently from its owner %d times (facilities)", p, n)
			}
		}()
		for _, rt := range env.server.routes() {
			exp, ok := exps[rt.pattern]
			if !ok {
				continue // TestAuthorizationMatrix reports it
			}
			for _, level := range access.Levels {
				for _, who := range personas[1:] {
					c := exp(fx, who, level)
					want := c.want
					switch changes := changesState(c.method, rt.pattern); {
					case changes && !rule.change, !changes && !rule.read:
						want = http.StatusForbidden
					case changeForms[rt.pattern] && !rule.change && want == http.StatusOK:
						want = http.StatusForbidden
					}
					if want == 401 && c.method == "GET" && !strings.HasPrefix(c.path, "/api/") {
						want = 303
					}
					headers := []string{"Authorization", "Bearer " + readToken(who, level)}
					var r response
					if c.form != nil {
						headers = append(headers, "Content-Type", "application/x-www-form-urlencoded")
						r = env.do(c.method, c.path, c.form.Encode(), headers...)
					} else {
						r = env.do(c.method, c.path, c.body, headers...)
					}
					if r.status != want && scopeGaps[rt.pattern] {
						gaps[rt.pattern]++
						continue
					}
					if r.status != want {
						t.Errorf("%s with a read token as %s, level %s: %s %s = %d, want %d\n%.300s", rt.pattern, who, level, c.method, c.path, r.status, want, r.body)
					}
				}
			}
		}
	})
}
