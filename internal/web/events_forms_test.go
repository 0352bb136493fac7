package web

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/events"
)

// TestEventForms walks the organisers' forms as the alliance
// administrator: bad input refused naming the field (an end before the
// start, a time the clocks skip, an unreadable meeting day) with nothing
// written; an event created; a stale version refused; a capacity below
// the places confirmed refused; a weekly course session added three
// times, and one repeating past the event's end adding nothing; an
// attendee's unavailable times set through the form.
func TestEventForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		form := url.Values{"slug": {"form-brokerage"}, "kind": {"meeting"}, "title": {"Form brokerage"}, "language": {"en"},
			"organisers": {"hsd"}, "venue_kind": {"address"}, "venue": {"HSD Campus"}, "time_zone": {"Europe/Amsterdam"},
			"starts_at": {"2031-03-30T02:30"}, "ends_at": {"2031-03-30T01:00"}, "visibility": {"alliance"}, "capacity": {"5"},
			"brokerage": {"on"}, "days": {"2031-04-01 10:00"}, "slot_minutes": {"30"}, "tables": {"4"}, "title_nl": {"Matchmaking via formulier"}}
		r := env.formAs("/events/new", form, "")
		body := string(r.body)
		if r.status != 422 || !strings.Contains(body, "Start: does not exist in Europe/Amsterdam") {
			t.Fatalf("DST gap: %d, want 422 naming the start\n%.3000s", r.status, body)
		}
		form.Set("starts_at", "2031-03-31T09:00")
		r = env.formAs("/events/new", form, "")
		if body = string(r.body); r.status != 422 || !strings.Contains(body, "End: ") || !strings.Contains(body, "Meeting days (line 1)") {
			t.Fatalf("end before start, bad day: %d, want 422 naming the end and the meeting day\n%.3000s", r.status, body)
		}
		if r := env.getAs("/events/form-brokerage", env.admin); r.status != 404 {
			t.Fatalf("a refused form wrote the event: %d", r.status)
		}
		form.Set("ends_at", "2031-04-03T17:00")
		form.Set("days", "2031-04-01 10:00-12:00\n2031-04-02 14:00-16:00")
		if r := env.formAs("/events/new", form, ""); r.status != 303 || r.header.Get("Location") != "/events/form-brokerage/edit" {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		sys := access.AsSystem(context.Background())
		e, err := env.server.ev.GetEvent(sys, "form-brokerage")
		if err != nil || e.Brokerage == nil || len(e.Brokerage.Days) != 2 || e.Translations["nl"].Title != "Matchmaking via formulier" {
			t.Fatalf("stored: %+v, %v", e, err)
		}
		edit := env.getAs("/events/form-brokerage/edit", env.admin)
		if edit.status != 200 || !strings.Contains(string(edit.body), `name="version" value="1"`) || !strings.Contains(string(edit.body), "2031-04-02 14:00-16:00") {
			t.Fatalf("edit page: %d\n%.2000s", edit.status, edit.body)
		}

		// Lost update: the second save with the old version is refused.
		form.Set("version", "1")
		form.Set("title", "Form brokerage day")
		if r := env.formAs("/events/form-brokerage/edit", form, ""); r.status != 303 {
			t.Fatalf("save: %d %s", r.status, r.body)
		}
		form.Set("title", "Someone else's title")
		if r := env.formAs("/events/form-brokerage/edit", form, ""); r.status != 412 || !strings.Contains(string(r.body), "changed this event in the meantime") {
			t.Fatalf("stale save: %d, want 412", r.status)
		}

		// Capacity below the places confirmed.
		var regs []events.Registration
		for i := range 3 {
			ctx := access.WithViewer(context.Background(), access.Viewer{UserID: fmt.Sprintf("form-user-%d", i), Email: fmt.Sprintf("form%d@example.test", i), WriteAllowed: true})
			reg, err := env.server.ev.Register(ctx, e.ID, events.RegisterInput{})
			if err != nil {
				t.Fatal(err)
			}
			regs = append(regs, reg)
		}
		form.Set("version", "2")
		form.Set("capacity", "2")
		if r := env.formAs("/events/form-brokerage/edit", form, ""); r.status != 422 || !strings.Contains(string(r.body), "Capacity: is below the 3 places") {
			t.Fatalf("capacity below confirmed: %d, want 422\n%.3000s", r.status, r.body)
		}

		// A weekly session three times; then one repeating past the end.
		ses := url.Values{"title": {"Module"}, "starts_at": {"2031-03-31T19:00"}, "ends_at": {"2031-03-31T20:00"}, "repeat_freq": {"weekly"}, "repeat_count": {"3"}}
		if r := env.formAs("/events/form-brokerage/sessions", ses, ""); r.status != 422 || !strings.Contains(string(r.body), "occurrence 2 (2031-04-07)") {
			t.Fatalf("repeat past the end: %d, want 422 naming occurrence 2\n%.3000s", r.status, r.body)
		}
		if e, _ = env.server.ev.GetEvent(sys, e.ID); len(e.Sessions) != 0 {
			t.Fatalf("a refused series added %d sessions", len(e.Sessions))
		}
		ses.Set("repeat_freq", "")
		ses.Set("starts_at", "2031-04-01T09:00")
		ses.Set("ends_at", "2031-04-01T08:00")
		if r := env.formAs("/events/form-brokerage/sessions", ses, ""); r.status != 422 || !strings.Contains(string(r.body), "End: ") {
			t.Fatalf("session ending before it starts: %d", r.status)
		}
		ses.Set("ends_at", "2031-04-01T09:30")
		ses.Set("speakers", "Ada Lovelace (TNO)\nAlan Turing")
		if r := env.formAs("/events/form-brokerage/sessions", ses, ""); r.status != 303 {
			t.Fatalf("add session: %d %s", r.status, r.body)
		}
		if e, _ = env.server.ev.GetEvent(sys, e.ID); len(e.Sessions) != 1 || len(e.Sessions[0].Speakers) != 2 || e.Sessions[0].Speakers[0].Affiliation != "TNO" {
			t.Fatalf("session: %+v", e.Sessions)
		}
		ses.Set("title", "Opening panel")
		ses.Set("version", "1")
		if r := env.formAs("/events/form-brokerage/sessions/"+e.Sessions[0].ID, ses, ""); r.status != 303 {
			t.Fatalf("edit session: %d %s", r.status, r.body)
		}

		// Unavailable times: an unreadable line and a time outside the
		// event are refused naming the line; then stored.
		path := "/events/form-brokerage/registrations/" + regs[0].ID + "/unavailable"
		if r := env.formAs(path, url.Values{"times": {"2031-04-01 10:00-10:30\ntomorrow"}}, ""); r.status != 422 || !strings.Contains(string(r.body), "Unavailable times (line 2)") {
			t.Fatalf("bad line: %d\n%.3000s", r.status, r.body)
		}
		if r := env.formAs(path, url.Values{"times": {"2031-05-01 10:00-10:30"}}, ""); r.status != 422 || !strings.Contains(string(r.body), "Unavailable times (line 1)") {
			t.Fatalf("outside the event: %d\n%.3000s", r.status, r.body)
		}
		if r := env.formAs(path, url.Values{"times": {"2031-04-01 10:00-10:30"}}, ""); r.status != 303 {
			t.Fatalf("set times: %d %s", r.status, r.body)
		}
		if r := env.getAs(path, env.admin); r.status != 200 || !strings.Contains(string(r.body), "2031-04-01 10:00-10:30") {
			t.Fatalf("times page: %d", r.status)
		}
	})
}
