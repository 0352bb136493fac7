package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/store/storetest"
)

func deskOf(t *testing.T, env *testEnv, cluster string) inquiries.DeskList {
	t.Helper()
	d, err := env.server.inq.Desk(access.WithViewer(context.Background(), access.Viewer{UserID: "x", AllianceAdmin: true}), cluster)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func deskEmails(d inquiries.DeskList) []string {
	var out []string
	for _, m := range d.Items {
		out = append(out, m.Email)
	}
	return out
}

// TestDeskPage: the manager of hsd names a colleague to the desk on the
// page and removes them again; an unknown address, an empty one and a
// stale form name their field and change nothing; a cross-site post and
// a read-only token are refused; the new desk member then works hsd's
// cases. The page reads in the four languages.
func TestDeskPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		mgr := env.tokens["manager.hsd@example.org"]
		for lang, word := range map[string]string{"en": "Desk staff", "nl": "Medewerkers van de balie", "fr": "Personnel de l", "de": "Mitarbeitende der Anlaufstelle"} {
			r := env.do("GET", "/clusters/hsd/desk", nil, "Authorization", "Bearer "+mgr, "Accept-Language", lang)
			if r.status != 200 || !strings.Contains(string(r.body), word) {
				t.Fatalf("GET desk page (%s) = %d, want it to say %q", lang, r.status, word)
			}
			noGoValues(t, "desk page", r.body)
		}
		if r := env.getAs("/inquiries", mgr); !strings.Contains(string(r.body), `href="/clusters/hsd/desk"`) {
			t.Error("the manager's list of cases has no link to the desk page")
		}
		v := deskOf(t, env, "hsd").Version
		post := func(token string, kv ...string) response {
			f := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return env.formAs("/clusters/hsd/desk", f, token)
		}
		for _, c := range []struct {
			name, email, field string
			status             int
		}{
			{"unknown address", "nobody@example.org", "email", 422},
			{"empty address", "", "email", 422},
		} {
			r := post(mgr, "action", "add", "email", c.email, "version", strconv.Itoa(v))
			if r.status != c.status || !strings.Contains(string(r.body), `role="alert"`) {
				t.Errorf("%s: %d, want %d with the problem shown\n%.400s", c.name, r.status, c.status, r.body)
			}
		}
		if d := deskOf(t, env, "hsd"); len(d.Items) != 0 || d.Version != v {
			t.Fatalf("refused additions changed the desk: %v version %d", deskEmails(d), d.Version)
		}
		// Cross-site: refused before anything is read.
		f := url.Values{"action": {"add"}, "email": {"member.tno@example.org"}, "version": {strconv.Itoa(v)}}
		if r := env.do("POST", "/clusters/hsd/desk", f.Encode(), "Authorization", "Bearer "+mgr, "Content-Type", "application/x-www-form-urlencoded",
			"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example"); r.status != http.StatusForbidden {
			t.Errorf("cross-site desk form: %d, want 403", r.status)
		}
		// A read-only token of the manager: refused.
		ctx := access.AsSystem(context.Background())
		u, err := env.db.GetUserByEmail(ctx, "manager.hsd@example.org")
		if err != nil {
			t.Fatal(err)
		}
		_, ro, err := env.server.Accounts().CreateToken(ctx, u, "read only", accounts.ScopeRead)
		if err != nil {
			t.Fatal(err)
		}
		if r := post(ro, "action", "add", "email", "member.tno@example.org", "version", strconv.Itoa(v)); r.status != http.StatusForbidden {
			t.Errorf("read-only token: %d, want 403", r.status)
		}
		if d := deskOf(t, env, "hsd"); len(d.Items) != 0 {
			t.Fatalf("refused posts changed the desk: %v", deskEmails(d))
		}
		// Added, then a form shown before that change is stale.
		if r := post(mgr, "action", "add", "email", "member.tno@example.org", "version", strconv.Itoa(v)); r.status != http.StatusSeeOther {
			t.Fatalf("add: %d\n%.400s", r.status, r.body)
		}
		d := deskOf(t, env, "hsd")
		if got := deskEmails(d); len(got) != 1 || got[0] != "member.tno@example.org" || d.Version != v+1 {
			t.Fatalf("desk after add: %v version %d", got, d.Version)
		}
		page := env.getAs("/clusters/hsd/desk", mgr)
		if !strings.Contains(string(page.body), "member.tno@example.org") {
			t.Error("the desk page does not list the new desk member")
		}
		if r := post(mgr, "action", "add", "email", "admin.tno@example.org", "version", strconv.Itoa(v)); r.status != http.StatusPreconditionFailed ||
			!strings.Contains(string(r.body), `role="alert"`) || !strings.Contains(string(r.body), "member.tno@example.org") {
			t.Errorf("stale form: %d, want 412 with the current list\n%.400s", r.status, r.body)
		}
		// The desk member now sees hsd's cases.
		member := env.tokens["member.tno@example.org"]
		q, err := env.server.inq.Ask(ctx, inquiries.AskInput{Question: "Who can test a counter-drone sensor near an airport?", Name: "A",
			Email: "a@example.org", Kind: "company", Country: "NL", Lang: "en", Consent: true, Cluster: "hsd", Address: "192.0.2.77"})
		if err != nil {
			t.Fatal(err)
		}
		if r := env.getAs("/inquiries/"+q.ID, member); r.status != 200 {
			t.Errorf("new desk member opens an hsd case: %d, want 200", r.status)
		}
		// Removing someone not on the desk names the field; removing the
		// member takes the case away from them.
		if r := post(mgr, "action", "remove", "user", "nobody", "version", strconv.Itoa(d.Version)); r.status != 422 {
			t.Errorf("remove a stranger: %d, want 422", r.status)
		}
		if r := post(mgr, "action", "remove", "user", d.Items[0].UserID, "version", strconv.Itoa(d.Version)); r.status != http.StatusSeeOther {
			t.Fatalf("remove: %d\n%.400s", r.status, r.body)
		}
		if got := deskEmails(deskOf(t, env, "hsd")); len(got) != 0 {
			t.Errorf("desk after remove: %v", got)
		}
		if r := env.getAs("/inquiries/"+q.ID, member); r.status != 404 {
			t.Errorf("removed desk member opens an hsd case: %d, want 404", r.status)
		}
		// Another cluster's desk is not the manager's to change.
		if r := env.getAs("/clusters/flanders-issn/desk", mgr); r.status != 403 {
			t.Errorf("manager of hsd on Flanders' desk page: %d, want 403", r.status)
		}
	})
}

// TestDeskAPIVersion: the API sends the list's ETag and refuses a PUT
// with an older If-Match (412), changing nothing.
func TestDeskAPIVersion(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	mgr := env.tokens["manager.hsd@example.org"]
	r := env.do("GET", "/api/v1/clusters/hsd/desk", nil, "Authorization", "Bearer "+mgr)
	etag := r.header.Get("ETag")
	if r.status != 200 || etag == "" {
		t.Fatalf("GET desk: %d, ETag %q", r.status, etag)
	}
	put := func(tag string, emails ...string) response {
		return env.do("PUT", "/api/v1/clusters/hsd/desk", map[string]any{"emails": emails}, "Authorization", "Bearer "+mgr, "If-Match", tag)
	}
	ok := put(etag, "member.tno@example.org")
	if ok.status != 200 || ok.header.Get("ETag") == etag {
		t.Fatalf("PUT with the current ETag: %d, ETag %q", ok.status, ok.header.Get("ETag"))
	}
	if r := put(etag, "admin.tno@example.org"); r.status != http.StatusPreconditionFailed {
		t.Errorf("PUT with an old ETag: %d, want 412", r.status)
	}
	if r := put(ok.header.Get("ETag"), "nobody@example.org"); r.status != 422 || !strings.Contains(string(r.body), `"field": "desk[0]"`) {
		t.Errorf("PUT with an unknown address: %d\n%s", r.status, r.body)
	}
	if got := deskEmails(deskOf(t, env, "hsd")); len(got) != 1 || got[0] != "member.tno@example.org" {
		t.Errorf("desk after refused PUTs: %v", got)
	}
}
