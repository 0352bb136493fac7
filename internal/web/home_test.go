package web

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestHomePage checks the home page as a starting point: a visitor is
// shown how to ask and join, coming events, open calls and practices; a
// cluster manager also what needs them, and "new" marks only what appeared
// after their previous sign-in.
func TestHomePage(t *testing.T) {
	env := fullDemoEnv(t)
	anon := string(env.do("GET", "/", nil).body)
	for _, want := range []string{`href="/ask"`, `href="/join"`, `id="h-events"`, `href="/calls/DEMO-CL3-2027-01-DRS-01"`, `href="/practices/`, `href="/clusters/hsd"`} {
		if !strings.Contains(anon, want) {
			t.Errorf("anonymous home page lacks %s", want)
		}
	}
	if strings.Contains(anon, `id="h-needs"`) || strings.Contains(anon, `href="/inquiries/`) {
		t.Error("anonymous home page shows a member's section or a question")
	}
	ctx := context.Background()
	u, err := env.db.GetUserByEmail(ctx, "manager.hsd@example.org")
	if err != nil {
		t.Fatal(err)
	}
	home := func() string {
		return string(env.do("GET", "/", nil, "Authorization", "Bearer "+env.tokens["manager.hsd@example.org"]).body)
	}
	// Previous visit an hour ago: the demo's content is newer.
	for _, at := range []time.Time{time.Now().Add(-time.Hour), time.Now()} {
		if err := env.db.RecordLogin(ctx, u.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	page := home()
	for _, want := range []string{`id="h-needs"`, `href="/events/`, `href="/inquiries/`, `class="badge-new"`, `href="/bookings"`} {
		if !strings.Contains(page, want) {
			t.Errorf("manager's home page lacks %s", want)
		}
	}
	// Previous visit after everything was made: nothing is new.
	for _, at := range []time.Time{time.Now().Add(time.Hour), time.Now().Add(2 * time.Hour)} {
		if err := env.db.RecordLogin(ctx, u.ID, at); err != nil {
			t.Fatal(err)
		}
	}
	if page := home(); strings.Contains(page, `class="badge-new"`) {
		t.Error("home page marks items as new that are older than the previous visit")
	}
}

// TestBookingsToDecideHoldsOnlyOpenRequests checks that "To decide" on the
// bookings page lists only requests and waiting-list entries, and that
// confirmed coming bookings are listed apart.
func TestBookingsToDecideHoldsOnlyOpenRequests(t *testing.T) {
	env := fullDemoEnv(t)
	page := string(env.do("GET", "/bookings", nil, "Authorization", "Bearer "+env.tokens["admin@example.org"]).body)
	start := strings.Index(page, "<h2>To decide</h2>")
	if start < 0 {
		t.Fatalf("no To decide section on the bookings page")
	}
	rest := page[start+len("<h2>To decide</h2>"):]
	section := rest[:strings.Index(rest, "<h2>")]
	if !strings.Contains(section, "status-requested") && !strings.Contains(section, "status-waitlisted") {
		t.Errorf("To decide lists no open request in the demo: %s", section)
	}
	for _, s := range []string{"status-confirmed", "status-approved"} {
		if strings.Contains(section, s) {
			t.Errorf("To decide lists a booking with %s", s)
		}
	}
	if !strings.Contains(page, "Coming bookings at the facilities you approve") {
		t.Error("the confirmed coming bookings are not listed apart")
	}
}

// TestBrokerageParticipantsShowPostings checks that the brokerage's
// participant list reuses the partner-search postings: an attendee who
// shares their organisation shows its current offers and requests.
func TestBrokerageParticipantsShowPostings(t *testing.T) {
	env := fullDemoEnv(t)
	var found bool
	for _, who := range []string{"admin@example.org", "manager.hsd@example.org", "member.tno@example.org", "admin.tno@example.org"} {
		r := env.do("GET", "/events/security-brokerage-day/participants", nil, "Authorization", "Bearer "+env.tokens[who])
		if r.status != 200 {
			continue
		}
		if strings.Contains(string(r.body), `<ul class="postings"><li><a href="/postings/`) {
			found = true
			break
		}
	}
	if !found {
		t.Error("no participant list of the demo brokerage day shows a posting of an attendee's organisation")
	}
}
