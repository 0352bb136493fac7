package web

import (
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/calls"
)

// TestCallETag: the API sends the call's version as its ETag, a write
// naming an older one fails with 412 and changes nothing, and of 20
// concurrent read-modify-writes naming the same version exactly one
// wins. Edit and rule forms carry the version and say, on 412, that
// someone else changed the call.
func TestCallETag(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		const id = "HORIZON-CL3-2027-01-BM-19"
		r := env.do("POST", "/api/v1/calls", borderInput(id))
		if r.status != 201 || r.header.Get("ETag") != `"v1"` {
			t.Fatalf("create: status %d, ETag %q", r.status, r.header.Get("ETag"))
		}
		r = env.do("GET", "/api/v1/calls/"+id, nil)
		if got := r.header.Get("ETag"); got != `"v1"` || decode[calls.Call](t, r).Version != 1 {
			t.Fatalf("GET: ETag %q, want \"v1\"", got)
		}
		in := borderInput("")
		in.Title = "Mobile biometric kits, first correction"
		if r := env.do("PUT", "/api/v1/calls/"+id, in, "If-Match", `"v1"`); r.status != 200 || r.header.Get("ETag") != `"v2"` {
			t.Fatalf("PUT with the current ETag: status %d, ETag %q: %s", r.status, r.header.Get("ETag"), r.body)
		}
		stale := in
		stale.Title = "A change made on version 1"
		for _, h := range []string{`"v1"`, `W/"v1"`, `"abc"`} {
			if r := env.do("PUT", "/api/v1/calls/"+id, stale, "If-Match", h); r.status != 412 {
				t.Errorf("PUT with If-Match %s: status %d, want 412", h, r.status)
			}
		}
		if r := env.do("DELETE", "/api/v1/calls/"+id, nil, "If-Match", `"v1"`); r.status != 412 {
			t.Errorf("DELETE with a stale If-Match: status %d, want 412", r.status)
		}
		if c := decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+id, nil)); c.Title != in.Title || c.Version != 2 {
			t.Errorf("after refused writes: %q version %d, want %q version 2", c.Title, c.Version, in.Title)
		}

		// 20 read-modify-writes of version 2 at once: one wins.
		var wg sync.WaitGroup
		statuses := make([]int, 20)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w := in
				w.Title = "Concurrent change " + strconv.Itoa(i)
				statuses[i] = env.do("PUT", "/api/v1/calls/"+id, w, "If-Match", `"v2"`).status
			}()
		}
		wg.Wait()
		won := 0
		for _, s := range statuses {
			switch s {
			case 200:
				won++
			case 412:
			default:
				t.Errorf("concurrent PUT: status %d", s)
			}
		}
		if won != 1 {
			t.Errorf("%d of 20 concurrent writes of version 2 succeeded, want 1 (statuses %v)", won, statuses)
		}

		// Forms: the edit form carries the version; an edit from an old
		// form is refused with the message and the current call.
		manager := []string{"Authorization", "Bearer " + env.tokens["manager.hsd@example.org"], "Content-Type", "application/x-www-form-urlencoded"}
		page := doc(t, env.do("GET", "/calls/"+id+"/edit", nil, manager...))
		if v, _ := page.Find(`form input[name="version"]`).First().Attr("value"); v != "3" {
			t.Errorf("edit form version = %q, want 3", v)
		}
		edit := url.Values{"title": {"From an old form"}, "action_type": {"IA"}, "version": {"2"}}
		r = env.do("POST", "/calls/"+id+"/edit", edit.Encode(), manager...)
		if msg := doc(t, r).Find("ul.errors").Text(); r.status != 412 || !strings.Contains(msg, "Someone else changed this call") {
			t.Errorf("edit from an old form: status %d, errors %q; want 412 saying someone else changed it", r.status, msg)
		}
		rule := url.Values{"action": {"remove"}, "version": {"2"}}
		r = env.do("POST", "/calls/"+id+"/rules/1", rule.Encode(), manager...)
		if msg := doc(t, r).Find("ul.errors, .errors").Text(); r.status != 412 || !strings.Contains(msg, "Someone else changed this call") {
			t.Errorf("rule removed from an old page: status %d, errors %q; want 412", r.status, msg)
		}
		if c := decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+id, nil)); c.Version != 3 || len(c.Rules) != 2 {
			t.Errorf("after refused forms: version %d, %d rules; want 3 and 2", c.Version, len(c.Rules))
		}
		edit.Set("version", "3")
		if r := env.do("POST", "/calls/"+id+"/edit", edit.Encode(), manager...); r.status != 303 {
			t.Errorf("edit from the current form: status %d", r.status)
		}
	})
}
