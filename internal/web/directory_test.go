package web

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/directory"
)

// TestConcurrentUpdatesIfMatch: 30 clients each read an organisation,
// append their mark to its description and write it back with If-Match,
// reading again after a 412 until their write goes in. Every version gets
// exactly one 200, every other attempt at it is a 412, and no mark is lost.
func TestConcurrentUpdatesIfMatch(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		const clients = 30
		var mu sync.Mutex
		// won counts, per version a PUT was based on (its If-Match), the PUTs
		// that were accepted: exactly one may win from each version. (The
		// answer's own ETag is the record as read after the write, which a
		// faster client may already have changed again.)
		won := map[string]int{}
		stale, attempts := 0, 0
		var wg sync.WaitGroup
		errs := make(chan string, clients)
		for i := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				mark := fmt.Sprintf("[client %02d]", i)
				for try := 0; try < 200; try++ {
					r := env.do("GET", "/api/v1/organisations/tno", nil)
					var o directory.Organisation
					if r.status != 200 || json.Unmarshal(r.body, &o) != nil {
						errs <- fmt.Sprintf("GET: %d %s", r.status, r.body)
						return
					}
					body := map[string]any{"slug": o.Slug, "name": o.Name, "short_name": o.ShortName, "kind": o.Kind, "sme": o.SME,
						"practitioner_roles": o.PractitionerRoles, "country": o.Country, "city": o.City, "website": o.Website, "pic": o.PIC,
						"vat": o.VAT, "description": o.Description + " " + mark, "capabilities": o.Capabilities,
						"memberships": membershipInputs(o.Memberships)}
					put := env.do("PUT", "/api/v1/organisations/tno", body, "If-Match", r.header.Get("ETag"))
					mu.Lock()
					attempts++
					switch put.status {
					case 200:
						won[r.header.Get("ETag")]++
					case 412:
						stale++
					}
					mu.Unlock()
					switch put.status {
					case 200:
						return
					case 412:
						continue
					}
					errs <- fmt.Sprintf("PUT: %d %s", put.status, put.body)
					return
				}
				errs <- mark + " never got its write in"
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
		var o directory.Organisation
		r := env.do("GET", "/api/v1/organisations/tno", nil)
		if err := json.Unmarshal(r.body, &o); err != nil {
			t.Fatal(err)
		}
		for i := range clients {
			if mark := fmt.Sprintf("[client %02d]", i); !strings.Contains(o.Description, mark) {
				t.Errorf("%s was lost", mark)
			}
		}
		if len(won) != clients {
			t.Errorf("%d versions written, want %d", len(won), clients)
		}
		for etag, n := range won {
			if n != 1 {
				t.Errorf("%d writes based on %s were accepted, want one", n, etag)
			}
		}
		if o.Version != 1+clients || r.header.Get("ETag") != fmt.Sprintf(`"v%d"`, 1+clients) {
			t.Errorf("final version %d (ETag %s), want %d", o.Version, r.header.Get("ETag"), 1+clients)
		}
		if attempts != clients+stale {
			t.Errorf("%d attempts = %d successes + %d stale?", attempts, clients, stale)
		}
		t.Logf("%d clients: %d writes, %d refused as stale (412)", clients, clients, stale)
	})
}

func membershipInputs(ms []directory.Membership) []map[string]string {
	out := []map[string]string{}
	for _, m := range ms {
		out = append(out, map[string]string{"cluster_id": m.ClusterID, "role": m.Role, "since": m.Since})
	}
	return out
}

// TestIfMatchRefusals: a stale or foreign If-Match is 412 and changes
// nothing, on every editable directory record.
func TestIfMatchRefusals(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		for _, path := range []string{"/api/v1/clusters/hsd", "/api/v1/organisations/tno", "/api/v1/capabilities/drones"} {
			r := env.do("GET", path, nil)
			if r.header.Get("ETag") != `"v1"` {
				t.Errorf("GET %s: ETag %q, want \"v1\"", path, r.header.Get("ETag"))
			}
			var rec map[string]any
			if err := json.Unmarshal(r.body, &rec); err != nil {
				t.Fatal(err)
			}
			body := writable(path, rec)
			for _, tag := range []string{`"v7"`, `"x1"`, `W/"v0"`} {
				if got := env.do("PUT", path, body, "If-Match", tag); got.status != 412 {
					t.Errorf("PUT %s If-Match %s: %d, want 412\n%s", path, tag, got.status, got.body)
				}
			}
			if got := env.do("GET", path, nil); got.header.Get("ETag") != `"v1"` {
				t.Errorf("after refused PUTs of %s: ETag %s, want \"v1\"", path, got.header.Get("ETag"))
			}
			if got := env.do("PUT", path, body, "If-Match", `"v1"`); got.status != 200 || got.header.Get("ETag") != `"v2"` {
				t.Errorf("PUT %s If-Match \"v1\": %d ETag %s, want 200 \"v2\"\n%s", path, got.status, got.header.Get("ETag"), got.body)
			}
		}
	})
}

// writable keeps the fields of a record that its input type accepts.
func writable(path string, rec map[string]any) map[string]any {
	keep := map[string][]string{
		"clusters":      {"slug", "name", "country", "region", "city", "website", "description", "themes", "joined", "commitment"},
		"organisations": {"slug", "name", "short_name", "kind", "sme", "practitioner_roles", "country", "city", "website", "pic", "vat", "description", "capabilities", "visibility", "tlp"},
		"capabilities":  {"parent", "labels", "nature", "source"},
	}
	kind := strings.Split(path, "/")[3]
	out := map[string]any{}
	for _, k := range keep[kind] {
		if v, ok := rec[k]; ok {
			out[k] = v
		}
	}
	if ms, ok := rec["memberships"].([]any); ok {
		var in []map[string]any
		for _, m := range ms {
			m := m.(map[string]any)
			in = append(in, map[string]any{"cluster_id": m["cluster_id"], "role": m["role"], "since": m["since"]})
		}
		out["memberships"] = in
	}
	return out
}

// TestMembershipHolesHTTP: an organisation administrator's PUT that adds
// their organisation to another cluster is refused (it was accepted
// before), and the edit form keeps memberships it may not change.
func TestMembershipHolesHTTP(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		tok := env.tokens["admin.tno@example.org"]
		r := env.do("GET", "/api/v1/organisations/tno", nil)
		var o map[string]any
		if err := json.Unmarshal(r.body, &o); err != nil {
			t.Fatal(err)
		}
		body := writable("/api/v1/organisations/tno", o)
		body["memberships"] = append(body["memberships"].([]map[string]any), map[string]any{"cluster_id": "kit", "role": "member"})
		if got := env.do("PUT", "/api/v1/organisations/tno", body, "Authorization", "Bearer "+tok); got.status != 403 {
			t.Errorf("org admin adds TNO to kit: %d, want 403\n%s", got.status, got.body)
		}
		// Asking is the way in: the request waits for kit's manager.
		got := env.do("POST", "/api/v1/organisations/tno/membership-requests", map[string]string{"cluster_id": "kit", "role": "member"},
			"Authorization", "Bearer "+tok)
		if got.status != 201 {
			t.Fatalf("org admin asks to join kit: %d\n%s", got.status, got.body)
		}
		var req directory.MembershipRequest
		if err := json.Unmarshal(got.body, &req); err != nil {
			t.Fatal(err)
		}
		if got := env.do("POST", "/api/v1/membership-requests/"+req.ID+"/decision", map[string]string{"decision": "accept"},
			"Authorization", "Bearer "+tok); got.status != 403 {
			t.Errorf("org admin accepts their own request: %d, want 403", got.status)
		}
		if got := env.do("POST", "/api/v1/membership-requests/"+req.ID+"/decision", map[string]string{"decision": "maybe"}); got.status != 422 {
			t.Errorf("decision maybe: %d, want 422", got.status)
		}
		if got := env.do("POST", "/api/v1/membership-requests/"+req.ID+"/decision", map[string]string{"decision": "accept"}); got.status != 200 {
			t.Errorf("alliance administrator accepts: %d\n%s", got.status, got.body)
		}
		r = env.do("GET", "/api/v1/organisations/tno", nil)
		if !strings.Contains(string(r.body), `"cluster_slug": "kit"`) {
			t.Errorf("after accepting, TNO is not in kit:\n%.500s", r.body)
		}
		// The org admin's edit form leaves out memberships it may not
		// change, and saving the form keeps them.
		form := url.Values{"slug": {"tno"}, "name": {"TNO"}, "kind": {"research"}, "country": {"NL"}, "description": {"Saved by the form."}}
		if got := env.do("POST", "/organisations/tno/edit", form.Encode(), "Authorization", "Bearer "+tok,
			"Content-Type", "application/x-www-form-urlencoded"); got.status != 303 {
			t.Fatalf("org admin saves the form: %d\n%.800s", got.status, got.body)
		}
		r = env.do("GET", "/api/v1/organisations/tno", nil)
		if !strings.Contains(string(r.body), `"cluster_slug": "kit"`) || !strings.Contains(string(r.body), "Saved by the form.") {
			t.Errorf("after the form, memberships changed or the text was not saved:\n%.800s", r.body)
		}
	})
}

// TestEditFormStale: a form saved after someone else changed the record
// says so (412) and saves nothing; the form it shows again carries the
// current version, so saving once more goes through on purpose.
func TestEditFormStale(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		page := env.do("GET", "/organisations/tno/edit", nil, "Authorization", "Bearer "+env.admin)
		if page.status != 200 || !strings.Contains(string(page.body), `name="version" value="1"`) {
			t.Fatalf("edit form: %d, without version 1:\n%.300s", page.status, page.body)
		}
		r := env.do("GET", "/api/v1/organisations/tno", nil)
		var o map[string]any
		if err := json.Unmarshal(r.body, &o); err != nil {
			t.Fatal(err)
		}
		body := writable("/api/v1/organisations/tno", o)
		body["description"] = "Changed meanwhile."
		if got := env.do("PUT", "/api/v1/organisations/tno", body); got.status != 200 {
			t.Fatalf("PUT: %d", got.status)
		}
		form := url.Values{"slug": {"tno"}, "name": {"TNO"}, "kind": {"research"}, "country": {"NL"},
			"description": {"From the old form."}, "version": {"1"}}
		got := env.do("POST", "/organisations/tno/edit", form.Encode(), "Content-Type", "application/x-www-form-urlencoded")
		if got.status != 412 {
			t.Fatalf("stale form: %d, want 412\n%.500s", got.status, got.body)
		}
		if !strings.Contains(string(got.body), "changed by someone else") || !strings.Contains(string(got.body), `name="version" value="2"`) {
			t.Errorf("stale form page does not say so or lacks the current version:\n%s", got.body)
		}
		if r := env.do("GET", "/api/v1/organisations/tno", nil); !strings.Contains(string(r.body), "Changed meanwhile.") {
			t.Errorf("the stale form overwrote the change")
		}
		form.Set("version", "2")
		if got := env.do("POST", "/organisations/tno/edit", form.Encode(), "Content-Type", "application/x-www-form-urlencoded"); got.status != 303 {
			t.Errorf("saving again: %d, want 303", got.status)
		}
	})
}
