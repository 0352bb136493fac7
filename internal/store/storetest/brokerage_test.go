package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/validate"
)

func brokerageInput() events.EventInput {
	return events.EventInput{Slug: "b2b", Kind: events.KindMeeting, Title: "B2B day", Language: "en", Organisers: []string{"hsd"},
		VenueKind: events.VenueAddress, Venue: "HSD Campus", TimeZone: "Europe/Amsterdam", StartsAt: "2027-06-01T09:00",
		EndsAt: "2027-06-01T17:00", Visibility: "alliance", Waitlist: true,
		Brokerage: &events.Brokerage{Days: []events.MeetingDay{{Date: "2027-06-01", Start: "10:00", End: "11:00"}},
			SlotMinutes: 20, Tables: 2, Cap: 0}}
}

// TestBrokerageFlow: confirmed attendees request, accept and decline
// meetings; requests to oneself, to someone not attending and twice are
// refused; accepting more meetings than the slots is refused; the
// scheduler places the accepted ones without anyone in two places and
// keeps them when run again.
func TestBrokerageFlow(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newEventWorld(t, db, brokerageInput())
		var regs []events.Registration
		for i := range 5 {
			r, err := w.svc.Register(attendee(i), w.ev.ID, events.RegisterInput{ShareOrg: true, Offer: "drone detection"})
			must(t, err)
			regs = append(regs, r)
		}
		ask := func(from, to int) (events.Meeting, error) {
			return w.svc.RequestMeeting(attendee(from), w.ev.ID, events.MeetingInput{To: regs[to].ID, Message: "Let us talk"})
		}
		fieldErr := func(name string, err error, field, code string) {
			t.Helper()
			var ve validate.Errors
			var ce *store.ConflictError
			switch {
			case errors.As(err, &ve) && hasError(ve, field, code):
			case errors.As(err, &ce) && ce.Field == field && ce.Code == code:
			default:
				t.Errorf("%s: err = %v, want %s on %s", name, err, code, field)
			}
		}
		_, err := ask(0, 0)
		fieldErr("oneself", err, "to", validate.MeetingSelf)
		_, err = w.svc.RequestMeeting(attendee(0), w.ev.ID, events.MeetingInput{To: "nobody"})
		fieldErr("not attending", err, "to", validate.MeetingNotAttending)
		_, err = w.svc.RequestMeeting(attendee(99), w.ev.ID, events.MeetingInput{To: regs[1].ID})
		fieldErr("requester not attending", err, "event", validate.NotRegistered)
		// Person 0 meets everyone: 4 requests, 3 slots.
		var ms []events.Meeting
		for to := 1; to <= 4; to++ {
			m, err := ask(0, to)
			must(t, err)
			ms = append(ms, m)
		}
		_, err = ask(1, 0)
		fieldErr("second request of a pair", err, "to", validate.MeetingDuplicate)
		m12, err := ask(1, 2)
		must(t, err)
		// Only the one asked may accept.
		if _, err := w.svc.RespondMeeting(attendee(0), ms[0].ID, events.MeetingAccepted, 0); err == nil {
			t.Error("the requester accepted their own request")
		}
		for i := range 3 {
			if _, err := w.svc.RespondMeeting(attendee(i+1), ms[i].ID, events.MeetingAccepted, 0); err != nil {
				t.Fatal(err)
			}
		}
		_, err = w.svc.RespondMeeting(attendee(4), ms[3].ID, events.MeetingAccepted, 0)
		fieldErr("more accepted meetings than slots", err, "to", validate.MeetingTooMany)
		if _, err := w.svc.RespondMeeting(attendee(4), ms[3].ID, events.MeetingDeclined, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.RespondMeeting(attendee(2), m12.ID, events.MeetingAccepted, 0); err != nil {
			t.Fatal(err)
		}
		// A member may not run the scheduler.
		if _, err := w.svc.Schedule(attendee(0), w.ev.ID); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("attendee runs the scheduler: err = %v, want ErrForbidden", err)
		}
		res, err := w.svc.Schedule(w.organiser(), w.ev.ID)
		must(t, err)
		if res.Accepted != 4 || res.Held != 4 || res.Slots != 3 {
			t.Errorf("plan %+v, want 4 accepted, 4 held in 3 slots", res)
		}
		_, all, err := w.svc.Meetings(w.organiser(), w.ev.ID)
		must(t, err)
		first := map[string]int{}
		busy := map[[2]string]bool{}
		for _, m := range all {
			if m.Status != events.MeetingAccepted {
				continue
			}
			if m.StartsAt == nil || !m.Announced {
				t.Errorf("accepted meeting %s not scheduled", m.ID)
				continue
			}
			for _, who := range []string{m.FromID, m.ToID} {
				k := [2]string{who, m.StartsAt.String()}
				if busy[k] {
					t.Errorf("%s is in two places at %v", who, m.StartsAt)
				}
				busy[k] = true
			}
			first[m.ID] = m.Slot*10 + m.Table
		}
		res, err = w.svc.Schedule(w.organiser(), w.ev.ID)
		must(t, err)
		if res.Kept != 4 || res.Moved != 0 {
			t.Errorf("second run %+v, want all 4 kept", res)
		}
		// Outcomes: each side records its own; the figures count them.
		if _, err := w.svc.Outcome(attendee(0), ms[0].ID, "joint_proposal"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Outcome(attendee(1), ms[0].ID, "bogus"); err == nil {
			t.Error("an unknown outcome was accepted")
		}
		if _, err := w.svc.Outcome(attendee(3), ms[0].ID, "follow_up"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a third person recorded an outcome: err = %v, want ErrNotFound", err)
		}
		if _, _, err := w.svc.Figures(attendee(0), w.ev.ID); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("attendee reads the figures: err = %v, want ErrForbidden", err)
		}
		_, figs, err := w.svc.Figures(w.organiser(), w.ev.ID)
		must(t, err)
		got := map[string]int{}
		for _, f := range figs {
			got[f.Key] = f.Value
		}
		want := map[string]int{"registrations": 5, "confirmed": 5, "requested": 5, "accepted": 4, "held": 4, "outcome.joint_proposal": 1}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("figure %s = %d, want %d (all %v)", k, got[k], v, got)
			}
		}
		if chart := events.Chart(figs, func(k string) string { return k + " <b>" }); !strings.Contains(chart, "&lt;b&gt;") || strings.Contains(chart, "<b>") {
			t.Errorf("chart labels not escaped: %.300s", chart)
		}
		// The personal agenda holds the event and the meetings.
		cal, err := w.svc.MyAgendaCalendar(attendee(0))
		must(t, err)
		if n := strings.Count(cal, "BEGIN:VEVENT"); n != 4 {
			t.Errorf("agenda of person 0 has %d entries, want the event and 3 meetings:\n%s", n, cal)
		}
		tok, err := w.svc.NewFeedToken(attendee(0))
		must(t, err)
		feed, err := w.svc.AgendaFeed(context.Background(), tok)
		must(t, err)
		if feed != cal && strings.Count(feed, "BEGIN:VEVENT") != 4 {
			t.Errorf("feed differs from the agenda")
		}
		if _, err := w.svc.AgendaFeed(context.Background(), tok+"x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("wrong token: err = %v, want ErrNotFound", err)
		}
	})
}

// TestEventMails: confirmation, waiting list, promotion and agenda e-mails
// go over real SMTP on loopback.
func TestEventMails(t *testing.T) {
	srv := mailtest.Start(t)
	db := NewSQLite(t)
	w := newEventWorld(t, db, events.EventInput{Slug: "mail", Kind: events.KindWorkshop, Title: "Mail workshop", Language: "en",
		Organisers: []string{"hsd"}, VenueKind: events.VenueAddress, Venue: "North America Room", TimeZone: "Europe/Amsterdam",
		StartsAt: "2027-03-01T14:00", EndsAt: "2027-03-01T15:00", Visibility: "public", Capacity: 1, Waitlist: true})
	text := func(_ context.Context, key string, args ...any) string { return key + argString(args) }
	w.svc = events.NewService(db, db, noEventUsers{}, mail.SMTP{Addr: srv.Addr, From: "events@escnet.test"}, events.Config{Text: text})
	a, err := w.svc.Register(attendee(1), w.ev.ID, events.RegisterInput{})
	must(t, err)
	m := srv.Wait(t, 1)
	if m.To[0] != "user1@example.test" || !strings.Contains(m.Data, "mail.event.registered.confirmed.subject") {
		t.Errorf("confirmation: to %v, data %q", m.To, m.Data)
	}
	if _, err := w.svc.Register(attendee(2), w.ev.ID, events.RegisterInput{}); err != nil {
		t.Fatal(err)
	}
	m = srv.Wait(t, 2)
	if m.To[0] != "user2@example.test" || !strings.Contains(m.Data, "mail.event.registered.waiting.subject") {
		t.Errorf("waiting: to %v, data %q", m.To, m.Data)
	}
	if _, err := w.svc.Cancel(attendee(1), a.ID, 0); err != nil {
		t.Fatal(err)
	}
	srv.Wait(t, 4)
	got := map[string]string{}
	for _, msg := range srv.Messages()[2:] {
		got[msg.To[0]] = msg.Data
	}
	if !strings.Contains(got["user1@example.test"], "mail.event.status.cancelled") {
		t.Errorf("cancellation mail missing: %v", got)
	}
	if !strings.Contains(got["user2@example.test"], "mail.event.promoted") || !strings.Contains(got["user2@example.test"], "Mail workshop") {
		t.Errorf("promotion mail missing or without the event: %v", got)
	}
	// A new time is written to every live registration; a reminder to
	// the confirmed ones.
	in := events.EventInput{Slug: "mail", Kind: events.KindWorkshop, Title: "Mail workshop", Language: "en",
		Organisers: []string{"hsd"}, VenueKind: events.VenueAddress, Venue: "North America Room", TimeZone: "Europe/Amsterdam",
		StartsAt: "2027-03-01T15:00", EndsAt: "2027-03-01T16:00", Visibility: "public", Capacity: 1, Waitlist: true}
	if _, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, 0); err != nil {
		t.Fatal(err)
	}
	m = srv.Wait(t, 5)
	if m.To[0] != "user2@example.test" || !strings.Contains(m.Data, "mail.event.changed") || !strings.Contains(m.Data, "2027-03-01 15:00") {
		t.Errorf("change mail: to %v, data %q", m.To, m.Data)
	}
	n, err := w.svc.SendReminders(w.organiser(), w.ev.ID)
	if err != nil || n != 1 {
		t.Fatalf("reminders: %d, %v; want 1", n, err)
	}
	m = srv.Wait(t, 6)
	if m.To[0] != "user2@example.test" || !strings.Contains(m.Data, "mail.event.reminder") {
		t.Errorf("reminder: to %v, data %q", m.To, m.Data)
	}
	if _, err := w.svc.SendReminders(attendee(2), w.ev.ID); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("an attendee sends reminders: err = %v, want ErrForbidden", err)
	}
}

func argString(args []any) string {
	var b strings.Builder
	for i := 0; i+1 < len(args); i += 2 {
		b.WriteString(" " + args[i].(string) + "=" + strings.ReplaceAll(toString(args[i+1]), "\n", " "))
	}
	return b.String()
}

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	return ""
}

// TestAgendaMail: after the scheduler runs, both sides of a meeting get
// their agenda by e-mail, with the time and the table.
func TestAgendaMail(t *testing.T) {
	srv := mailtest.Start(t)
	db := NewSQLite(t)
	w := newEventWorld(t, db, brokerageInput())
	text := func(_ context.Context, key string, args ...any) string { return key + argString(args) }
	w.svc = events.NewService(db, db, noEventUsers{}, mail.SMTP{Addr: srv.Addr, From: "events@escnet.test"}, events.Config{Text: text})
	a, err := w.svc.Register(attendee(1), w.ev.ID, events.RegisterInput{})
	must(t, err)
	b, err := w.svc.Register(attendee(2), w.ev.ID, events.RegisterInput{})
	must(t, err)
	m, err := w.svc.RequestMeeting(attendee(1), w.ev.ID, events.MeetingInput{To: b.ID})
	must(t, err)
	if _, err := w.svc.RespondMeeting(attendee(2), m.ID, events.MeetingAccepted, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Schedule(w.organiser(), w.ev.ID); err != nil {
		t.Fatal(err)
	}
	srv.Wait(t, 4) // two confirmations, two agendas
	got := map[string]string{}
	for _, msg := range srv.Messages()[2:] {
		got[msg.To[0]] = msg.Data
	}
	for who, with := range map[string]string{a.Email: b.Name, b.Email: a.Name} {
		d := got[who]
		if !strings.Contains(d, "mail.event.agenda") || !strings.Contains(d, "2027-06-01 10:00") || !strings.Contains(d, with) {
			t.Errorf("agenda of %s: %q; want the 10:00 meeting with %s", who, d, with)
		}
	}
}
