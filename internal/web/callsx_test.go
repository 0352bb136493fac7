package web

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/match/live"
)

// The demo's closed topic (its deadline was 2026-09-15; the tests' calls
// clock is 2026-12-02).
const closedCall = "DEMO-CL3-2026-02-CS-01"

func TestConsortiaBudgetAndClosedAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		anon := []string{"Authorization", ""}
		r := env.do("POST", "/api/v1/consortia", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Lead: "tno"}, anon...)
		res := decode[live.Consortia](t, r)
		if r.status != 200 || res.Status != calls.StatusOpen || res.Budget != 400_000_000 {
			t.Fatalf("consortia: %d, status %q, budget %d", r.status, res.Status, res.Budget)
		}
		for n, p := range res.Proposals {
			var sum int64
			for k, m := range p.Members {
				sum += m.BudgetCents
				if m.BudgetCents <= 0 || p.Budget.Shares[k].ID != m.ID {
					t.Errorf("proposal %d: %s gets %d", n, m.Name, m.BudgetCents)
				}
			}
			if sum != res.Budget || p.Budget.Total != res.Budget {
				t.Errorf("proposal %d: shares add up to %d of %d", n, sum, res.Budget)
			}
		}
		// A smaller budget within the call's range is not possible (the
		// range is one amount); outside it is refused naming the field.
		for _, tt := range []struct {
			name  string
			body  ConsortiumInput
			field string
			code  string
		}{
			{"closed call", ConsortiumInput{Call: closedCall}, "call", live.CallClosed},
			{"budget above the call's", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Budget: 900_000_000}, "budget", "error.invalid_choice"},
			{"negative budget", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Budget: -1}, "budget", "error.invalid_choice"},
		} {
			r := env.do("POST", "/api/v1/consortia", tt.body, anon...)
			p := decode[Problem](t, r)
			if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Code != tt.code {
				t.Errorf("%s: %d %s, want 422 on %s (%s)", tt.name, r.status, r.body, tt.field, tt.code)
			}
		}
		// A budget rule that contradicts another: 422 naming the field,
		// nothing changed.
		cur := decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+demoCall, nil))
		in := callInputOf(cur)
		in.Rules = append(in.Rules,
			calls.Rule{Kind: calls.KindMaxBudgetShare, Percent: 10, Types: []string{calls.TypeSME}},
			calls.Rule{Kind: calls.KindMinBudgetShare, Percent: 40, Types: []string{calls.TypeSME}})
		r = env.do("PUT", "/api/v1/calls/"+demoCall, in)
		p := decode[Problem](t, r)
		field := "rules[" + strconv.Itoa(len(in.Rules)-1) + "].percent"
		if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != field || p.Errors[0].Code != calls.BudgetContradicts {
			t.Errorf("contradicting budget rules: %d %s, want 422 on %s", r.status, r.body, field)
		}
		if after := decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+demoCall, nil)); after.Version != cur.Version || len(after.Rules) != len(cur.Rules) {
			t.Errorf("the refused change was stored: version %d → %d", cur.Version, after.Version)
		}
	})
}

func TestCallStatusPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		anon := []string{"Authorization", ""}
		d := doc(t, env.do("GET", "/calls", nil, anon...))
		if strings.Contains(d.Find("table.calls").Text(), closedCall) || d.Find("tr.closed").Length() != 0 {
			t.Error("the default list shows the closed call")
		}
		d = doc(t, env.do("GET", "/calls?status=all", nil, "Accept-Language", "nl", "Authorization", ""))
		rows := d.Find("table.calls tbody tr")
		if rows.Length() != 4 || !rows.Last().HasClass("closed") || !strings.Contains(rows.Last().Text(), closedCall) ||
			!strings.Contains(rows.Last().Text(), "gesloten") || !strings.Contains(rows.First().Text(), "open") {
			t.Errorf("status=all: %d rows, last %q", rows.Length(), rows.Last().Text())
		}
		d = doc(t, env.do("GET", "/calls/"+closedCall, nil, anon...))
		if d.Find("p.notice").Length() == 0 || !strings.Contains(d.Find("dl.facts").Text(), "closed") {
			t.Errorf("closed call page: %q", d.Find("dl.facts").Text())
		}
		r := env.do("GET", "/calls/"+closedCall+"/consortium", nil, "Accept-Language", "fr", "Authorization", "")
		d = doc(t, r)
		if r.status != 422 || d.Find("section.proposal").Length() != 0 || !strings.Contains(d.Find("ul.errors").Text(), "est clos") {
			t.Errorf("consortium for a closed call: %d, errors %q", r.status, d.Find("ul.errors").Text())
		}
		r = env.do("GET", "/calls/DEMO-CL3-2027-01-DRS-01/consortium?lead=tno&proposals=1", nil, anon...)
		d = doc(t, r)
		if cells := d.Find("section.proposal table.members tbody tr td:nth-of-type(3)"); r.status != 200 || cells.Length() == 0 || !strings.Contains(cells.First().Text(), "€") || !strings.Contains(cells.First().Text(), "%") {
			t.Errorf("consortium budget per partner: %d %q", r.status, cells.Text())
		}
	})
}

// TestFollowingCallsAPI: a member follows the calls that match TNO, gets
// a secret Atom feed address and subscribes to the digest; the address
// reads without signing in and a new one replaces it.
func TestFollowingCallsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		member := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"]}
		r := env.do("GET", "/api/v1/following/calls", nil, member...)
		fc := decode[FollowedCalls](t, r)
		if r.status != 200 || len(fc.Calls) == 0 || fc.Subscribed {
			t.Fatalf("following: %d %s", r.status, r.body)
		}
		for _, m := range fc.Calls {
			if m.Call.Status == calls.StatusClosed || m.Call.ID == closedCall {
				t.Errorf("a closed call is followed: %s", m.Call.ID)
			}
		}
		r = env.do("PUT", "/api/v1/following/calls/digest", DigestInput{Subscribed: true}, member...)
		if r.status != 200 || !decode[FollowedCalls](t, env.do("GET", "/api/v1/following/calls", nil, member...)).Subscribed {
			t.Errorf("subscribe: %d %s", r.status, r.body)
		}
		r = env.do("POST", "/api/v1/following/calls/feed", map[string]any{}, member...)
		feed := decode[CallsFeed](t, r)
		if r.status != 201 || !strings.Contains(feed.URL, "/feeds/calls/") {
			t.Fatalf("feed: %d %s", r.status, r.body)
		}
		path := feed.URL[strings.Index(feed.URL, "/feeds/calls/"):]
		r = env.do("GET", path, nil, "Authorization", "")
		body := string(r.body)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/atom+xml") ||
			!strings.Contains(body, "<feed xmlns=\"http://www.w3.org/2005/Atom\">") || !strings.Contains(body, fc.Calls[0].Call.ID) ||
			strings.Contains(body, closedCall) {
			t.Errorf("feed: %d %s\n%s", r.status, r.header.Get("Content-Type"), body)
		}
		if r := env.do("POST", "/api/v1/following/calls/feed", map[string]any{}, member...); r.status != 201 {
			t.Fatalf("new feed: %d", r.status)
		}
		if r := env.do("GET", path, nil, "Authorization", ""); r.status != 404 {
			t.Errorf("the replaced feed address answers %d, want 404", r.status)
		}
		// Bad input: not a boolean.
		if r := env.do("PUT", "/api/v1/following/calls/digest", map[string]any{"subscribed": "yes"}, member...); r.status != 400 && r.status != 422 {
			t.Errorf("digest with a string: %d", r.status)
		}
	})
}

func TestFollowingCallsPage(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		if r := env.do("GET", "/following/calls", nil, "Authorization", ""); r.status != 303 {
			t.Errorf("anonymous: %d, want 303 to the sign-in page", r.status)
		}
		member := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"], "Accept-Language", "de"}
		poster := append(slices.Clone(member), "Content-Type", "application/x-www-form-urlencoded")
		r := env.do("GET", "/following/calls", nil, member...)
		d := doc(t, r)
		if r.status != 200 || d.Find("table.calls tbody tr").Length() == 0 || !strings.Contains(d.Find("h1").Text(), "Ausschreibungen") {
			t.Fatalf("page: %d %q", r.status, d.Find("main").Text())
		}
		r = env.do("POST", "/following/calls", form("action", "feed"), poster...)
		if d := doc(t, r); r.status != 200 || !strings.Contains(d.Find("code").Text(), "/feeds/calls/") {
			t.Errorf("feed address: %d %q", r.status, d.Find("p.notice").Text())
		}
		if r := env.do("POST", "/following/calls", form("action", "subscribe"), poster...); r.status != 303 {
			t.Errorf("subscribe: %d", r.status)
		}
		if d := doc(t, env.do("GET", "/following/calls", nil, member...)); d.Find(`input[value="unsubscribe"]`).Length() != 1 {
			t.Error("after subscribing the page does not offer to unsubscribe")
		}
		if r := env.do("POST", "/following/calls", form("action", "shout"), poster...); r.status != 400 {
			t.Errorf("unknown action: %d", r.status)
		}
	})
}
