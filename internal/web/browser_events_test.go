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
// language on an event of its own: the cluster manager creates the event
// through the organisers' form (with its brokerage settings) and adds a
// session; a member registers and asks the manager for a meeting; the
// manager accepts it and runs the scheduler; the member sees the meeting
// in the agenda, downloads the agenda as iCalendar and records the
// meeting's outcome.
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
			slug := "browser-brokerage-" + lang
			page := "/events/" + slug

			b.signIn(t, "manager.hsd@example.org")
			b.visit(t, "/language/"+lang+"?next=/events")
			b.do(t, "open the new event form", chromedp.Click(chromedp.CSS(`#new-event`)), chromedp.WaitVisible(chromedp.CSS(`form.event-form`)))
			b.checkLang(t, lang)
			b.do(t, "fill in the event",
				chromedp.SendKeys(chromedp.CSS(`#slug`), slug),
				chromedp.SetValue(chromedp.CSS(`#kind`), "meeting"),
				chromedp.SendKeys(chromedp.CSS(`#title`), "Browser brokerage "+lang),
				chromedp.SetValue(chromedp.CSS(`#language`), "en"),
				chromedp.SendKeys(chromedp.CSS(`#venue`), "HSD Campus"),
				chromedp.SetValue(chromedp.CSS(`#time_zone`), "Europe/Amsterdam"),
				chromedp.SetValue(chromedp.CSS(`#starts_at`), day+"T09:00"),
				chromedp.SetValue(chromedp.CSS(`#ends_at`), day+"T17:00"),
				chromedp.Click(chromedp.CSS(`#brokerage`)),
				chromedp.SendKeys(chromedp.CSS(`#days`), day+" 10:00-12:00"),
				chromedp.SendKeys(chromedp.CSS(`#slot_minutes`), "30"),
				chromedp.SendKeys(chromedp.CSS(`#tables`), "4"),
				chromedp.Click(chromedp.CSS(`#save-event`)),
				chromedp.WaitVisible(chromedp.CSS(`#add-session`)))
			b.do(t, "add a session",
				chromedp.SendKeys(chromedp.CSS(`#new-title`), "Pitches"),
				chromedp.SetValue(chromedp.CSS(`#new-starts`), day+"T13:00"),
				chromedp.SetValue(chromedp.CSS(`#new-ends`), day+"T14:00"),
				chromedp.Click(chromedp.CSS(`#add-session button[type="submit"]`)),
				chromedp.WaitVisible(chromedp.CSS(`form.session-form input[value="Pitches"]`)))
			b.signOut(t)
			e, err := b.server.ev.GetEvent(sys, slug)
			if err != nil || e.Brokerage == nil || len(e.Sessions) != 1 {
				t.Fatalf("the form stored %+v, %v", e, err)
			}
			if _, err := b.server.ev.Register(access.WithViewer(context.Background(), mv), e.ID, events.RegisterInput{ShareOrg: true}); err != nil {
				t.Fatal(err)
			}

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
			b.do(t, "record the outcome", chromedp.SetValue(chromedp.CSS(`form.outcome select`), "letter_of_intent"),
				chromedp.Click(chromedp.CSS(`form.outcome button`)),
				chromedp.WaitReady(chromedp.CSS(`form.outcome option[value="letter_of_intent"][selected]`)))
			b.visit(t, page+"/meetings")
			if got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector("form.outcome select").value`)); got != "letter_of_intent" {
				t.Errorf("the agenda shows the outcome %q, want letter_of_intent", got)
			}
			_, _, ms, err := b.server.ev.MyMeetings(access.WithViewer(context.Background(), mv), e.ID)
			if err != nil || len(ms) != 1 || ms[0].OutcomeFrom != "letter_of_intent" {
				t.Errorf("outcome not recorded: %+v, %v", ms, err)
			}
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
	// The administrator attends the brokerage day too (acting for TNO,
	// showing it), so that the event page shows meeting suggestions.
	sys := access.AsSystem(context.Background())
	admin, err := b.db.GetUserByEmail(sys, "admin@example.org")
	if err != nil {
		t.Fatal(err)
	}
	av, err := b.server.viewerOf(sys, admin)
	if err != nil {
		t.Fatal(err)
	}
	tno, err := b.db.GetOrganisation(sys, "tno")
	if err != nil {
		t.Fatal(err)
	}
	av.WriteAllowed, av.OrganisationID = true, tno.ID
	reg, err := b.server.ev.Register(access.WithViewer(context.Background(), av), "security-brokerage-day",
		events.RegisterInput{ShareOrg: true, Seek: "drone detection and cyber range exercises"})
	if err != nil {
		t.Fatal(err)
	}
	if sg, err := b.server.ev.Suggestions(access.WithViewer(context.Background(), av), "security-brokerage-day"); err != nil || len(sg) == 0 {
		t.Fatalf("no suggestions for the administrator: %v", err)
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
		"event-new":          "/events/new",
		"event-edit":         "/events/security-brokerage-day/edit",
		"event-brokerage":    "/events/security-brokerage-day",
		"event-unavailable":  "/events/security-brokerage-day/registrations/" + reg.ID + "/unavailable",
	}
	for _, lang := range []string{"en", "nl", "fr", "de"} {
		b.visit(t, "/language/"+lang+"?next=/")
		for name, path := range pages {
			b.visit(t, path)
			if name == "event-brokerage" {
				if n, _ := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.meeting-suggestions > li").length`)); n == 0 {
					t.Errorf("%s: the event page shows no meeting suggestions", lang)
				}
			}
			b.checkLang(t, lang)
			b.checkAccessible(t, axe, name+"-"+lang)
			b.screenshot(t, name+"-"+lang)
		}
	}
}
