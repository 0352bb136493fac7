package web

import (
	"context"
	"github.com/escnet/escnet/internal/directory"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/storetest"
)

// clock lets a test move time forward.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time          { return time.Now().UTC().Add(time.Duration(c.offset.Load())) }
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// accountEnv is a server that sends mail to a real SMTP server on loopback.
func accountEnv(t *testing.T) (*testEnv, *mailtest.Server, *clock) {
	smtp := mailtest.Start(t)
	clk := &clock{}
	env := newEnvWith(t, storetest.NewSQLite(t), envConfig{
		Mail:     mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"},
		Accounts: accounts.Config{BaseURL: "http://escnet.test", Now: clk.now},
	})
	return env, smtp, clk
}

func form(kv ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

// post sends a form without credentials (as a browser would, with its
// own cookie if given).
func (env *testEnv) post(path, body, cookie string) response {
	h := []string{"Authorization", "", "Content-Type", "application/x-www-form-urlencoded"}
	if cookie != "" {
		h = append(h, "Cookie", sessionCookie+"="+cookie)
	}
	return env.do("POST", path, body, h...)
}

func (env *testEnv) get(path, cookie string) response {
	h := []string{"Authorization", ""}
	if cookie != "" {
		h = append(h, "Cookie", sessionCookie+"="+cookie)
	}
	return env.do("GET", path, nil, h...)
}

// login signs in and returns the session cookie's value.
func (env *testEnv) login(t *testing.T, email, password string) string {
	t.Helper()
	r := env.post("/login", form("email", email, "password", password), "")
	if r.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d", email, r.status)
	}
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == sessionCookie {
			return c.Value
		}
	}
	t.Fatal("no session cookie after sign-in")
	return ""
}

func (env *testEnv) auditCount(t *testing.T, action string) int {
	t.Helper()
	entries, err := env.db.AuditLog(context.Background(), audit.Filter{Action: action, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return len(entries)
}

func TestLoginSession(t *testing.T) {
	env, _, clk := accountEnv(t)
	r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password), "")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/account" {
		t.Fatalf("sign in: status %d, location %q", r.status, r.header.Get("Location"))
	}
	cookie := (&http.Response{Header: r.header}).Cookies()[0]
	if cookie.Name != sessionCookie || !cookie.Secure || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Errorf("session cookie = %+v", cookie)
	}
	// A second sign-in gets a new session id: an id planted before sign-in
	// (session fixation) is worthless.
	second := env.login(t, "member.tno@example.org", demo.Password)
	if second == cookie.Value {
		t.Error("sign-in reused the session id")
	}
	if r := env.get("/api/v1/me", cookie.Value); r.status != 200 || !strings.Contains(string(r.body), "member.tno@example.org") {
		t.Errorf("/api/v1/me with session: %d %s", r.status, r.body)
	}
	// Idle expiry.
	clk.advance(3 * time.Hour)
	if r := env.get("/api/v1/me", cookie.Value); r.status != 401 {
		t.Errorf("after 3 idle hours: status %d, want 401", r.status)
	}
	clk.offset.Store(0)
	// Logout ends the session.
	fresh := env.login(t, "member.tno@example.org", demo.Password)
	env.post("/logout", "", fresh)
	if r := env.get("/api/v1/me", fresh); r.status != 401 {
		t.Errorf("after logout: status %d, want 401", r.status)
	}
}

func TestAbsoluteSessionExpiry(t *testing.T) {
	env, _, clk := accountEnv(t)
	cookie := env.login(t, "member.tno@example.org", demo.Password)
	// Keep the session busy (never 2 hours idle): it lives until 7 days
	// after sign-in and then ends anyway.
	for i := range 95 {
		clk.advance(110 * time.Minute)
		r := env.get("/api/v1/me", cookie)
		elapsed := time.Duration(i+1) * 110 * time.Minute
		if want := 200; elapsed < 7*24*time.Hour && r.status != want {
			t.Fatalf("after %s of use: status %d, want %d", elapsed, r.status, want)
		}
	}
	if r := env.get("/api/v1/me", cookie); r.status != 401 {
		t.Errorf("after 7+ days: status %d, want 401", r.status)
	}
}

func TestWrongPasswordAndThrottling(t *testing.T) {
	env, _, _ := accountEnv(t)
	before, _ := env.db.LatestChange(context.Background())
	known := env.post("/login", form("email", "member.tno@example.org", "password", "wrong password!"), "")
	unknown := env.post("/login", form("email", "nobody@example.org", "password", "wrong password!"), "")
	if known.status != 401 || unknown.status != 401 {
		t.Fatalf("wrong password: %d, unknown account: %d; want 401 both", known.status, unknown.status)
	}
	// No account enumeration: the two answers read the same.
	msg := regexp.MustCompile(`(?s)<p class="notice"[^>]*>(.*?)</p>`)
	if a, b := msg.FindStringSubmatch(string(known.body)), msg.FindStringSubmatch(string(unknown.body)); a == nil || b == nil || a[1] != b[1] {
		t.Errorf("messages differ: %q vs %q", a, b)
	}
	if n := env.auditCount(t, "login.failed"); n != 2 {
		t.Errorf("%d failed sign-ins audited, want 2", n)
	}
	for range 4 {
		env.post("/login", form("email", "member.tno@example.org", "password", "wrong password!"), "")
	}
	// Five failures: even the right password is refused for a while.
	r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password), "")
	if r.status != http.StatusTooManyRequests {
		t.Errorf("after 5 failures: status %d, want 429", r.status)
	}
	if env.auditCount(t, "login.throttled") != 1 {
		t.Error("throttled sign-in not audited")
	}
	// Another account from the same address still works (under the
	// per-address limit).
	env.login(t, "admin.tno@example.org", demo.Password)
	// Failed sign-ins change no directory data.
	if after, _ := env.db.LatestChange(context.Background()); after != before {
		t.Error("failed sign-ins wrote to the change feed")
	}
}

func TestThrottlingPerAddress(t *testing.T) {
	env, _, _ := accountEnv(t)
	for i := range 20 {
		env.post("/login", form("email", "nobody"+strings.Repeat("x", i)+"@example.org", "password", "wrong password!"), "")
	}
	r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password), "")
	if r.status != http.StatusTooManyRequests {
		t.Errorf("after 20 failures from one address: status %d, want 429", r.status)
	}
}

var linkPattern = regexp.MustCompile(`http://escnet\.test(/[a-z]+/[A-Za-z0-9_-]+)`)

func TestPasswordReset(t *testing.T) {
	env, smtp, clk := accountEnv(t)
	old := env.login(t, "member.tno@example.org", demo.Password)
	r := env.post("/reset", form("email", "Member.TNO@example.org"), "")
	if r.status != 200 {
		t.Fatalf("reset request: %d", r.status)
	}
	// The same answer for an unknown address, and no e-mail for it.
	sent := "If an account exists for this address"
	if r2 := env.post("/reset", form("email", "nobody@example.org"), ""); r2.status != 200 || !strings.Contains(string(r2.body), sent) || !strings.Contains(string(r.body), sent) {
		t.Errorf("reset answers differ or lack the message")
	}
	msg := smtp.Wait(t, 1)
	if len(msg.To) != 1 || msg.To[0] != "member.tno@example.org" || !strings.Contains(msg.Data, "Subject: Reset your escnet password") {
		t.Fatalf("reset e-mail = %+v", msg)
	}
	time.Sleep(50 * time.Millisecond)
	if n := len(smtp.Messages()); n != 1 {
		t.Errorf("%d e-mails sent, want 1 (none for the unknown address)", n)
	}
	m := linkPattern.FindStringSubmatch(msg.Data)
	if m == nil {
		t.Fatalf("no link in %q", msg.Data)
	}
	link := m[1]
	if r := env.post(link, form("password", "short"), ""); r.status != 422 {
		t.Errorf("too short a password: %d, want 422", r.status)
	}
	if r := env.post(link, form("password", "a brand new password"), ""); r.status != 200 {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	// The old session ended with the password change.
	if r := env.get("/api/v1/me", old); r.status != 401 {
		t.Errorf("old session after reset: %d, want 401", r.status)
	}
	env.login(t, "member.tno@example.org", "a brand new password")
	// Reused link.
	if r := env.post(link, form("password", "another new password"), ""); r.status != http.StatusGone {
		t.Errorf("reused link: %d, want 410", r.status)
	}
	// Expired link.
	env.post("/reset", form("email", "member.tno@example.org"), "")
	expired := linkPattern.FindStringSubmatch(smtp.Wait(t, 2).Data)[1]
	clk.advance(2 * time.Hour)
	if r := env.post(expired, form("password", "another new password"), ""); r.status != http.StatusGone {
		t.Errorf("expired link: %d, want 410", r.status)
	}
	clk.offset.Store(0)
	if n := env.auditCount(t, "password.reset_refused"); n != 2 {
		t.Errorf("%d refused resets audited, want 2", n)
	}
	env.login(t, "member.tno@example.org", "a brand new password")
}

func TestInvitation(t *testing.T) {
	env, smtp, _ := accountEnv(t)
	orgAdmin := env.login(t, "admin.tno@example.org", demo.Password)
	r := env.post("/organisations/tno/invite", form("email", "new.colleague@example.org"), orgAdmin)
	if r.status != 200 {
		t.Fatalf("invite: %d %s", r.status, r.body)
	}
	msg := smtp.Wait(t, 1)
	link := linkPattern.FindStringSubmatch(msg.Data)[1]
	if r := env.get(link, ""); r.status != 200 || !strings.Contains(string(r.body), "new.colleague@example.org") {
		t.Errorf("invitation page: %d", r.status)
	}
	if r := env.post(link, form("name", "New Colleague", "password", "a good long password"), ""); r.status != 200 {
		t.Fatalf("accept: %d %s", r.status, r.body)
	}
	cookie := env.login(t, "new.colleague@example.org", "a good long password")
	me := decode[Me](t, env.get("/api/v1/me", cookie))
	tno, _ := env.db.GetOrganisation(access.AsSystem(context.Background()), "tno")
	if me.OrganisationID != tno.ID || me.Role != "member" {
		t.Errorf("new account = %+v", me)
	}
	if r := env.post(link, form("name", "Again", "password", "a good long password"), ""); r.status != http.StatusGone {
		t.Errorf("reused invitation: %d, want 410", r.status)
	}
	// A member may not invite.
	member := env.login(t, "member.tno@example.org", demo.Password)
	if r := env.post("/organisations/tno/invite", form("email", "x@example.org"), member); r.status != 403 {
		t.Errorf("member invites: %d, want 403", r.status)
	}
}

func TestAPITokens(t *testing.T) {
	env, _, _ := accountEnv(t)
	cookie := env.login(t, "admin.tno@example.org", demo.Password)
	h := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	r := env.do("POST", "/api/v1/tokens", map[string]string{"name": "ci", "scope": "read"}, "Authorization", "", "Cookie", sessionCookie+"="+cookie)
	if r.status != 201 {
		t.Fatalf("create token: %d %s", r.status, r.body)
	}
	ro := decode[NewToken](t, r)
	if ro.Token == "" || !strings.HasPrefix(ro.Token, "esc_") {
		t.Fatalf("token = %+v", ro)
	}
	// Shown once: listing never returns the secret.
	list := env.do("GET", "/api/v1/tokens", nil, h(ro.Token)...)
	// The secret is what follows "esc_<prefix>_"; it may itself hold "_".
	secret := strings.SplitN(ro.Token, "_", 3)[2]
	if strings.Contains(string(list.body), ro.Token) || strings.Contains(string(list.body), secret) {
		t.Error("token list shows the secret")
	}
	// Read-only tokens read but do not write.
	if r := env.do("GET", "/api/v1/organisations/tno", nil, h(ro.Token)...); r.status != 200 {
		t.Errorf("read with read token: %d", r.status)
	}
	before, _ := env.db.LatestChange(context.Background())
	if r := env.do("PUT", "/api/v1/organisations/tno", map[string]any{"slug": "tno", "name": "TNO", "kind": "research", "country": "NL"}, h(ro.Token)...); r.status != 403 {
		t.Errorf("write with read token: %d, want 403", r.status)
	}
	// Last use is recorded.
	got := decode[TokenList](t, env.do("GET", "/api/v1/tokens", nil, h(ro.Token)...))
	if len(got.Items) == 0 || got.Items[0].LastUsedAt == nil {
		t.Errorf("last use not recorded: %+v", got.Items)
	}
	// Revoked tokens are refused and the refusal is audited.
	if r := env.do("DELETE", "/api/v1/tokens/"+ro.ID, nil, "Authorization", "", "Cookie", sessionCookie+"="+cookie); r.status != 204 {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := env.do("GET", "/api/v1/organisations/tno", nil, h(ro.Token)...); r.status != 401 {
		t.Errorf("revoked token: %d, want 401", r.status)
	}
	entries, _ := env.db.AuditLog(context.Background(), audit.Filter{Action: "token.refused"})
	if len(entries) != 1 || entries[0].Detail != "revoked" {
		t.Errorf("refused token audit = %+v", entries)
	}
	if after, _ := env.db.LatestChange(context.Background()); after != before+1 {
		t.Errorf("change feed moved by %d, want 1 (the revocation)", after-before)
	}
}

func TestGuessedIDAnswers404(t *testing.T) {
	env, _, _ := accountEnv(t)
	ctx := access.AsSystem(context.Background())
	// An organisation-level person of another organisation.
	p, err := env.db.ListPeople(ctx, directoryFilterCluster("kit"))
	if err != nil || len(p.Items) == 0 {
		t.Fatal(err)
	}
	target := p.Items[0]
	target.Visibility = access.Organisation
	if err := env.server.dir.UpdatePerson(ctx, &target); err != nil {
		t.Fatal(err)
	}
	member := env.tokens["member.tno@example.org"]
	for _, path := range []string{"/api/v1/people/" + target.ID, "/people/" + target.ID} {
		r := env.do("GET", path, nil, "Authorization", "Bearer "+member)
		if r.status != 404 {
			t.Errorf("%s: %d, want 404", path, r.status)
		}
	}
	r := env.do("PUT", "/api/v1/people/"+target.ID, map[string]any{"name": "Changed", "organisation_id": target.OrganisationID}, "Authorization", "Bearer "+member)
	if r.status != 404 {
		t.Errorf("PUT on a hidden person: %d, want 404", r.status)
	}
	if got, _ := env.db.GetPerson(ctx, target.ID); got.Name != target.Name {
		t.Error("hidden person changed")
	}
}

func TestWideningNeedsOwner(t *testing.T) {
	env, _, _ := accountEnv(t)
	ctx := access.AsSystem(context.Background())
	tno, _ := env.db.GetOrganisation(ctx, "tno")
	body := func(vis, tlp string) map[string]any {
		return map[string]any{"slug": "tno", "name": tno.Name, "kind": tno.Kind, "country": tno.Country, "visibility": vis, "tlp": tlp,
			"memberships": []map[string]string{{"cluster_id": tno.Memberships[0].ClusterID, "role": tno.Memberships[0].Role}}}
	}
	admin := []string{"Authorization", "Bearer " + env.admin}
	owner := []string{"Authorization", "Bearer " + env.tokens["admin.tno@example.org"]}
	// The alliance administrator may narrow...
	if r := env.do("PUT", "/api/v1/organisations/tno", body("cluster", "CLEAR"), admin...); r.status != 200 {
		t.Fatalf("narrow: %d %s", r.status, r.body)
	}
	// ...but not widen again, by visibility or by TLP.
	if r := env.do("PUT", "/api/v1/organisations/tno", body("public", "CLEAR"), admin...); r.status != 403 {
		t.Errorf("admin widens: %d, want 403", r.status)
	}
	if r := env.do("PUT", "/api/v1/organisations/tno", body("cluster", "AMBER+STRICT"), owner...); r.status != 200 {
		t.Fatalf("owner narrows by TLP: %d", r.status)
	}
	if r := env.do("PUT", "/api/v1/organisations/tno", body("cluster", "CLEAR"), admin...); r.status != 403 {
		t.Errorf("admin loosens TLP: %d, want 403", r.status)
	}
	// The owner may widen.
	if r := env.do("PUT", "/api/v1/organisations/tno", body("public", "CLEAR"), owner...); r.status != 200 {
		t.Errorf("owner widens: %d", r.status)
	}
}

func TestRedNeverExported(t *testing.T) {
	env, _, _ := accountEnv(t)
	ctx := access.AsSystem(context.Background())
	tno, _ := env.db.GetOrganisation(ctx, "tno")
	tno.TLP = access.TLPRed
	if err := env.server.dir.UpdateOrganisation(ctx, &tno); err != nil {
		t.Fatal(err)
	}
	admin := []string{"Authorization", "Bearer " + env.admin}
	if r := env.do("GET", "/api/v1/organisations/tno", nil, admin...); r.status != 200 {
		t.Errorf("admin reads RED record: %d", r.status)
	}
	csv := env.do("GET", "/api/v1/export/organisations.csv", nil, admin...)
	if csv.status != 200 || strings.Contains(string(csv.body), tno.ID) || !strings.Contains(string(csv.body), "Fraunhofer") {
		t.Errorf("export: status %d, contains RED record %v", csv.status, strings.Contains(string(csv.body), tno.ID))
	}
	if env.auditCount(t, "export.organisations") != 1 {
		t.Error("export not audited")
	}
}

func TestPersonalDataAndDeletion(t *testing.T) {
	env, _, _ := accountEnv(t)
	ctx := access.AsSystem(context.Background())
	// Link the member's account to a person record.
	u, _ := env.db.GetUserByEmail(ctx, "member.tno@example.org")
	people, _ := env.db.ListPeople(ctx, directoryFilterOrg("tno"))
	if len(people.Items) == 0 {
		t.Fatal("no TNO person in the demo")
	}
	person := people.Items[0]
	u.PersonID = person.ID
	if err := env.db.UpdateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	cookie := env.login(t, "member.tno@example.org", demo.Password)
	r := env.get("/account/export", cookie)
	if r.status != 200 || r.header.Get("Content-Disposition") == "" {
		t.Fatalf("export: %d", r.status)
	}
	data := decode[PersonalData](t, r)
	if data.Account.Email != "member.tno@example.org" || data.Person == nil || data.Person.ID != person.ID || len(data.Activity) == 0 {
		t.Errorf("personal data = %+v", data)
	}
	if strings.Contains(string(r.body), "argon2id") {
		t.Error("export contains the password hash")
	}
	// Deleting needs the e-mail address typed in.
	if r := env.post("/account/delete", form("confirm", "wrong@example.org"), cookie); r.status != 422 {
		t.Errorf("delete without confirmation: %d", r.status)
	}
	if r := env.post("/account/delete", form("confirm", "member.tno@example.org"), cookie); r.status != 200 {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	if r := env.get("/api/v1/me", cookie); r.status != 401 {
		t.Errorf("session after deletion: %d, want 401", r.status)
	}
	if _, err := env.db.GetUserByEmail(ctx, "member.tno@example.org"); err == nil {
		t.Error("e-mail address still on file")
	}
	p, err := env.db.GetPerson(ctx, person.ID)
	if err != nil || p.Name == person.Name || p.Email != "" || p.Listed {
		t.Errorf("person after erasure = %+v (err %v)", p, err)
	}
	if r := env.post("/login", form("email", "member.tno@example.org", "password", demo.Password), ""); r.status != 401 {
		t.Errorf("sign in after deletion: %d", r.status)
	}
}

func TestCrossOriginRefusedAndAudited(t *testing.T) {
	env, _, _ := accountEnv(t)
	cookie := env.login(t, "admin@example.org", demo.Password)
	before, _ := env.db.LatestChange(context.Background())
	r := env.do("POST", "/account/tokens", form("name", "forged", "scope", "read-write"),
		"Authorization", "", "Cookie", sessionCookie+"="+cookie, "Content-Type", "application/x-www-form-urlencoded",
		"Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")
	if r.status != 403 {
		t.Errorf("forged POST: %d, want 403", r.status)
	}
	if after, _ := env.db.LatestChange(context.Background()); after != before {
		t.Error("forged POST changed something")
	}
	if env.auditCount(t, "request.cross_origin_refused") != 1 {
		t.Error("forged POST not audited")
	}
}

func TestAuditLogForAdminsOnly(t *testing.T) {
	env, _, _ := accountEnv(t)
	env.post("/login", form("email", "member.tno@example.org", "password", "wrong password!"), "")
	r := env.do("GET", "/api/v1/audit?action=login", nil, "Authorization", "Bearer "+env.admin)
	list := decode[AuditList](t, r)
	if r.status != 200 || len(list.Items) == 0 || list.Items[0].Action != "login.failed" || list.Items[0].Actor.IP == "" {
		t.Errorf("audit = %d %+v", r.status, list.Items)
	}
	if r := env.do("GET", "/api/v1/audit", nil, "Authorization", "Bearer "+env.tokens["manager.hsd@example.org"]); r.status != 403 {
		t.Errorf("cluster manager reads audit: %d", r.status)
	}
	// There is no route that changes an entry.
	for _, rt := range env.server.routes() {
		if strings.Contains(rt.pattern, "audit") && !strings.HasPrefix(rt.pattern, "GET ") {
			t.Errorf("route %q changes the audit log", rt.pattern)
		}
	}
}

func directoryFilterCluster(c string) directoryFilter { return directoryFilter{Cluster: c, Limit: 50} }
func directoryFilterOrg(o string) directoryFilter     { return directoryFilter{Organisation: o, Limit: 50} }

type directoryFilter = directory.Filter
