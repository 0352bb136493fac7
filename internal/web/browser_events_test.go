package web

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/events"
)

// TestBrowserBrokerage walks the brokerage flow in each interface
// language on an event of its own: a member registers and asks the
// cluster manager for a meeting; the manager accepts it and runs the
// scheduler; the member sees the meeting in the agenda and downloads the
// agenda as iCalendar.
func TestBrowserBrokerage(t *testing.T) {
	b := newBrowser(t)
	sys := access.AsSystem(context.Background())
	day := time.Now().AddDate(0, 0, 30).Format("2006-01-02")
	manager, err := b.db.GetUserByEmail(sys, "manager.hsd@example.org")
	if err != nil {
		t.Fatal(err)
	}
	mv, err := b.server.viewerOf(sys, manager)
	if err != nil {
		t.Fatal(err)
	}
	mv.WriteAllowed = true
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		t.Run(lang, func(t *testing.T) {
			e, err := b.server.ev.CreateEvent(sys, events.EventInput{Slug: "browser-brokerage-" + lang, Kind: events.KindMeeting,
				Title: "Browser brokerage " + lang, Language: "en", Organisers: []string{"hsd"}, VenueKind: events.VenueAddress,
				Venue: "HSD Campus", TimeZone: "Europe/Amsterdam", StartsAt: day + "T09:00", EndsAt: day + "T17:00", Visibility: "alliance",
				Brokerage: &events.Brokerage{Days: []events.MeetingDay{{Date: day, Start: "10:00", End: "12:00"}}, SlotMinutes: 30, Tables: 4}})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := b.server.ev.Register(access.WithViewer(context.Background(), mv), e.ID, events.RegisterInput{ShareOrg: true}); err != nil {
				t.Fatal(err)
			}
			page := "/events/" + e.Slug

			b.signIn(t, "member.tno@example.org")
			b.visit(t, "/language/"+lang+"?next="+page)
			b.checkLang(t, lang)
			b.do(t, "register", chromedp.Click(chromedp.CSS(`form.register button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`form[action="`+page+`/cancel"]`)))
			b.visit(t, page+"/participants")
			b.do(t, "request a meeting", chromedp.Click(chromedp.CSS(`table.participants form button`)),
				chromedp.WaitVisible(chromedp.CSS(`table.requests`)))
			b.signOut(t)

			b.signIn(t, "manager.hsd@example.org")
			b.visit(t, page+"/meetings")
			// The accepted meeting shows in the organiser's plan, not yet scheduled.
			b.do(t, "accept", chromedp.Click(chromedp.CSS(`table.requests button[value="accepted"]`)),
				chromedp.WaitVisible(chromedp.CSS(`table.plan`)))
			b.do(t, "run the scheduler", chromedp.Click(chromedp.CSS(`#run-scheduler`)), chromedp.WaitVisible(chromedp.CSS(`p.notice`)))
			notice, _ := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(`p.notice`)))
			if !strings.Contains(notice, "1") {
				t.Errorf("scheduler notice %q", notice)
			}
			b.signOut(t)

			b.signIn(t, "member.tno@example.org")
			b.visit(t, page+"/meetings")
			b.checkLang(t, lang)
			rows, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("table.agenda tbody tr").length`))
			if rows != 1 {
				t.Errorf("agenda rows %d, want 1", rows)
			}
			ics, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`fetch(document.querySelector("#agenda-download").href).then(r => r.text())`,
				chromedp.EvalAwaitPromise))
			if err != nil || !strings.Contains(ics, "BEGIN:VCALENDAR") || !strings.Contains(ics, "Browser brokerage "+lang) || !strings.Contains(ics, "Demo Cluster Manager") {
				t.Errorf("agenda download: %v\n%.600s", err, ics)
			}
			b.screenshot(t, "brokerage-agenda-"+lang)
			b.signOut(t)
		})
	}
}

func (b *browserEnv) do(t *testing.T, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		t.Fatalf("%s at %s: %v", what, loc, err)
	}
}

func (b *browserEnv) signOut(t *testing.T) {
	t.Helper()
	b.do(t, "sign out", signOut())
}

// TestEventPagesAccessible visits every event page type in every
// interface language as the alliance administrator (an organiser of
// every event), checks it with axe-core and saves a screenshot.
func TestEventPagesAccessible(t *testing.T) {
	b := newBrowser(t)
	axe := axeSource(t)
	if _, err := demo.LoadEvents(context.Background(), b.db, time.Now()); err != nil {
		t.Fatal(err)
	}
	b.signIn(t, "admin@example.org")
	month := time.Now().AddDate(0, 0, 45).Format("2006-01")
	pages := map[string]string{
		"events":             "/events",
		"event-calendar":     "/events/calendar?month=" + month,
		"event":              "/events/second-international-meeting-2016",
		"event-training":     "/events/riskfactory-safety-awareness-training",
		"event-participants": "/events/security-brokerage-day/participants",
		"event-meetings":     "/events/security-brokerage-day/meetings",
		"event-attendees":    "/events/security-brokerage-day/attendees",
		"event-figures":      "/events/security-brokerage-day/figures",
	}
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		b.visit(t, "/language/"+lang+"?next=/")
		for name, path := range pages {
			b.visit(t, path)
			b.checkLang(t, lang)
			b.checkAccessible(t, axe, name+"-"+lang)
			b.screenshot(t, name+"-"+lang)
		}
	}
}
