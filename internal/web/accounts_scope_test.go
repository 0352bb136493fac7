package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/store/storetest"
)

// routePath fills a route pattern's wildcards with values that exist
// where they can (the token's own id, TNO's slug), so that a refusal
// is the guard's and not a 404.
func routePath(pattern, tokenID string) (method, path string) {
	method, path, _ = strings.Cut(pattern, " ")
	path = strings.TrimSuffix(path, "{$}")
	fill := map[string]string{"id": tokenID, "slug": "tno", "token": "not-a-real-token", "code": "drones", "lang": "nl", "file": "style.css", "n": "0"}
	return method, regexp.MustCompile(`\{([a-z]+)\.*\}`).ReplaceAllStringFunc(path, func(m string) string {
		return fill[strings.Trim(m, "{}.")]
	})
}

// TestReadTokenChangesNothing calls every state-changing route of the
// router with a read-scoped token of the alliance administrator (the
// widest roles there are): each one is refused with 403 and nothing
// changes — no change feed entry, no audit entry, no new or revoked
// token, the account still there.
func TestReadTokenChangesNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		ctx := access.AsSystem(context.Background())
		u, err := env.db.GetUserByEmail(ctx, "admin@example.org")
		if err != nil {
			t.Fatal(err)
		}
		tok, secret, err := env.server.Accounts().CreateToken(ctx, u, "read only", accounts.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		tokensBefore, _ := env.db.ListTokens(ctx, u.ID)
		changesBefore, _ := env.db.LatestChange(ctx)
		auditBefore, _ := env.db.AuditLog(ctx, audit.Filter{Limit: 500})
		checked := 0
		for _, rt := range env.server.routes() {
			method, path := routePath(rt.pattern, tok.ID)
			if method == http.MethodGet {
				continue
			}
			checked++
			headers := []string{"Authorization", "Bearer " + secret}
			var body any = map[string]any{}
			if !strings.HasPrefix(path, "/api/") {
				headers = append(headers, "Content-Type", "application/x-www-form-urlencoded")
				body = url.Values{"name": {"minted"}, "scope": {accounts.ScopeWrite}, "confirm": {u.Email}, "email": {"x@example.org"},
					"password": {"a-long-enough-password"}, "action": {"nothing"}}.Encode()
			}
			r := env.do(method, path, body, headers...)
			if readOnlyRoutes[rt.pattern] {
				if r.status == http.StatusForbidden {
					t.Errorf("%s (a read) with a read token: 403, want it answered", rt.pattern)
				}
				continue
			}
			if r.status != http.StatusForbidden {
				t.Errorf("%s with a read token: %d, want 403\n%.200s", rt.pattern, r.status, r.body)
			}
		}
		if checked < 50 {
			t.Fatalf("only %d state-changing routes found", checked)
		}
		if after, _ := env.db.LatestChange(ctx); after != changesBefore {
			t.Errorf("the change feed moved by %d", after-changesBefore)
		}
		if after, _ := env.db.AuditLog(ctx, audit.Filter{Limit: 500}); len(after) != len(auditBefore) {
			t.Errorf("%d audit entries written, want none: first %+v", len(after)-len(auditBefore), after[0])
		}
		tokensAfter, _ := env.db.ListTokens(ctx, u.ID)
		if len(tokensAfter) != len(tokensBefore) {
			t.Errorf("%d tokens after, %d before: a read token minted one", len(tokensAfter), len(tokensBefore))
		}
		for _, tk := range tokensAfter {
			if tk.RevokedAt != nil {
				t.Errorf("token %q was revoked by a read token", tk.Name)
			}
		}
		if got, err := env.db.GetUser(ctx, u.ID); err != nil || got.Email != u.Email {
			t.Errorf("account after the read token's calls: %+v, %v", got, err)
		}
		// Reads still work with the token.
		if r := env.do("GET", "/api/v1/me", nil, "Authorization", "Bearer "+secret); r.status != 200 {
			t.Errorf("GET /api/v1/me with a read token: %d", r.status)
		}
	})
}

// TestReadTokenPagesHole is the report's own case: the account pages
// accepted a read token and minted a read-write token with it.
func TestReadTokenPagesHole(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	ctx := access.AsSystem(context.Background())
	u, _ := env.db.GetUserByEmail(ctx, "admin.tno@example.org")
	_, secret, err := env.server.Accounts().CreateToken(ctx, u, "read only", accounts.ScopeRead)
	if err != nil {
		t.Fatal(err)
	}
	h := []string{"Authorization", "Bearer " + secret, "Content-Type", "application/x-www-form-urlencoded"}
	r := env.do("POST", "/account/tokens", form("name", "minted", "scope", "read-write"), h...)
	if r.status != 403 || strings.Contains(string(r.body), "esc_") {
		t.Errorf("POST /account/tokens with a read token: %d (token in body: %v), want 403", r.status, strings.Contains(string(r.body), "esc_"))
	}
	if r := env.do("POST", "/account/delete", form("confirm", u.Email), h...); r.status != 403 {
		t.Errorf("POST /account/delete with a read token: %d, want 403", r.status)
	}
	if _, err := env.db.GetUserByEmail(ctx, u.Email); err != nil {
		t.Errorf("the account was erased with a read token: %v", err)
	}
}
