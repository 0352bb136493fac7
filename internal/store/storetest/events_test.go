package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/validate"
)

type eventWorld struct {
	svc     *events.Service
	db      *sqlstore.DB
	cluster string
	ev      events.Event
}

// organiser is the manager of the organising cluster.
func (w *eventWorld) organiser() context.Context {
	return access.WithViewer(context.Background(), access.Viewer{UserID: "org-1", Email: "organiser@example.test",
		ManagedClusters: []string{w.cluster}, Clusters: []string{w.cluster}, WriteAllowed: true})
}

// attendee is signed-in member n.
func attendee(n int) context.Context {
	return access.WithViewer(context.Background(), access.Viewer{UserID: fmt.Sprintf("user-%d", n),
		Email: fmt.Sprintf("user%d@example.test", n), WriteAllowed: true})
}

func newEventWorld(t *testing.T, db *sqlstore.DB, in events.EventInput) *eventWorld {
	t.Helper()
	d := svc(db)
	c := cluster("hsd", "The Hague Security Delta", "NL")
	must(t, d.CreateCluster(ctx, c))
	w := &eventWorld{svc: events.NewService(db, db, noEventUsers{}, discard{}, events.Config{}), db: db, cluster: c.ID}
	if in.Slug == "" {
		in = events.EventInput{Slug: "brokerage-day", Kind: events.KindMeeting, Title: "Brokerage day", Language: "en",
			Organisers: []string{"hsd"}, VenueKind: events.VenueAddress, Venue: "HSD Campus, Wilhelmina van Pruisenweg 104, The Hague",
			TimeZone: "Europe/Amsterdam", StartsAt: "2027-06-01T09:00", EndsAt: "2027-06-02T17:00", Visibility: "alliance", Capacity: 10}
	}
	ev, err := w.svc.CreateEvent(w.organiser(), in)
	must(t, err)
	w.ev = ev
	return w
}

type noEventUsers struct{}

func (noEventUsers) GetUser(context.Context, string) (accounts.User, error) {
	return accounts.User{}, store.ErrNotFound
}

func engines(t *testing.T, run func(*testing.T, *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) { run(t, NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, NewPostgres(t)) })
}

// TestRegistrationRace fires 300 concurrent registrations at the last 10
// places of an event with a waiting list: exactly 10 are confirmed, the
// other 290 wait, on both engines.
func TestRegistrationRace(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		in := events.EventInput{Slug: "race", Kind: events.KindWorkshop, Title: "Race", Language: "en", Organisers: []string{"hsd"},
			VenueKind: events.VenueOnline, OnlineURL: "https://meet.example.test/race", TimeZone: "Europe/Amsterdam",
			StartsAt: "2027-03-01T10:00", EndsAt: "2027-03-01T12:00", Visibility: "public", Capacity: 15, Waitlist: true}
		w := newEventWorld(t, db, in)
		for i := range 5 { // the first 5 places are taken
			if _, err := w.svc.Register(attendee(1000+i), w.ev.ID, events.RegisterInput{}); err != nil {
				t.Fatal(err)
			}
		}
		const n = 300
		var wg sync.WaitGroup
		start := make(chan struct{})
		statuses := make(chan string, n)
		errs := make(chan error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				r, err := w.svc.Register(attendee(i), w.ev.ID, events.RegisterInput{})
				if err != nil {
					errs <- err
					return
				}
				statuses <- r.Status
			}()
		}
		began := time.Now()
		close(start)
		wg.Wait()
		close(statuses)
		close(errs)
		for err := range errs {
			t.Errorf("registration failed: %v", err)
		}
		got := map[string]int{}
		for s := range statuses {
			got[s]++
		}
		if got[events.StatusConfirmed] != 10 || got[events.StatusWaiting] != n-10 {
			t.Errorf("answers: %v, want 10 confirmed and %d waiting", got, n-10)
		}
		rs, err := db.ListRegistrations(ctx, w.ev.ID)
		must(t, err)
		held := map[string]int{}
		for _, r := range rs {
			held[r.Status]++
		}
		if held[events.StatusConfirmed] != 15 || held[events.StatusWaiting] != n-10 {
			t.Errorf("database holds %v, want 15 confirmed and %d waiting", held, n-10)
		}
		t.Logf("%d concurrent registrations on %s in %v", n, db.Engine(), time.Since(began).Round(time.Millisecond))
	})
}

// TestWaitingListPromotion cancels a confirmed place and finds the first
// on the waiting list confirmed; raising the capacity promotes the next;
// lowering it below the confirmed places is refused.
func TestWaitingListPromotion(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		in := events.EventInput{Slug: "small", Kind: events.KindTraining, Title: "Small", Language: "en", Organisers: []string{"hsd"},
			VenueKind: events.VenueAddress, Venue: "Riskfactory, Enschede", TimeZone: "Europe/Amsterdam",
			StartsAt: "2027-03-01T10:00", EndsAt: "2027-03-01T12:00", Visibility: "public", Capacity: 2, Waitlist: true}
		w := newEventWorld(t, db, in)
		var regs []events.Registration
		for i := range 4 {
			r, err := w.svc.Register(attendee(i), w.ev.ID, events.RegisterInput{})
			must(t, err)
			regs = append(regs, r)
		}
		want := []string{"confirmed", "confirmed", "waiting", "waiting"}
		for i, r := range regs {
			if r.Status != want[i] {
				t.Errorf("registration %d: %s, want %s", i, r.Status, want[i])
			}
		}
		if _, err := w.svc.Cancel(attendee(0), regs[0].ID, regs[0].Version); err != nil {
			t.Fatal(err)
		}
		status := func(i int) string {
			r, err := db.GetRegistration(ctx, regs[i].ID)
			must(t, err)
			return r.Status
		}
		if status(2) != "confirmed" || status(3) != "waiting" {
			t.Errorf("after a cancellation: %s, %s; want the first waiting confirmed, the second waiting", status(2), status(3))
		}
		in.Capacity = 1
		_, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, 0)
		var ve validate.Errors
		if !errors.As(err, &ve) || ve[0].Field != "capacity" || ve[0].Code != validate.CapacityBelow {
			t.Errorf("capacity below confirmed: err = %v, want %s on capacity", err, validate.CapacityBelow)
		}
		in.Capacity = 3
		if _, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, 0); err != nil {
			t.Fatal(err)
		}
		if status(3) != "confirmed" {
			t.Errorf("after raising the capacity: %s, want confirmed", status(3))
		}
		// A second registration by the same person is refused; after a
		// cancellation a new one is allowed.
		_, err = w.svc.Register(attendee(1), w.ev.ID, events.RegisterInput{})
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Field != "event" || ce.Code != validate.AlreadyRegistered {
			t.Errorf("second registration: err = %v, want a conflict on event", err)
		}
		if _, err := w.svc.Register(attendee(0), w.ev.ID, events.RegisterInput{}); err != nil {
			t.Errorf("registration after cancelling: %v", err)
		}
	})
}

// TestEventBadInput: each bad input of the issue is refused with its field
// and message key, and nothing is written.
func TestEventBadInput(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		w := newEventWorld(t, db, events.EventInput{})
		org := w.organiser()
		base := events.EventInput{Slug: "x", Kind: events.KindWorkshop, Title: "X", Language: "en", Organisers: []string{"hsd"},
			VenueKind: events.VenueAddress, Venue: "HSD Campus", TimeZone: "Europe/Amsterdam", StartsAt: "2027-03-28T01:00",
			EndsAt: "2027-03-28T05:00", Visibility: "public"}
		for _, tc := range []struct {
			name, field, code string
			edit              func(*events.EventInput)
		}{
			{"end before start", "ends_at", "error.booking.not_after_start", func(in *events.EventInput) { in.EndsAt = "2027-03-28T00:30" }},
			{"DST gap", "starts_at", "error.time.nonexistent", func(in *events.EventInput) { in.StartsAt = "2027-03-28T02:30" }},
			{"unknown zone", "time_zone", "error.invalid_time_zone", func(in *events.EventInput) { in.TimeZone = "Europe/Atlantis" }},
			{"no organiser", "organisers", validate.Required, func(in *events.EventInput) { in.Organisers = nil }},
			{"unknown capability", "capabilities[0]", validate.InvalidChoice, func(in *events.EventInput) { in.Capabilities = []string{"no-such-capability"} }},
			{"unknown organiser", "organisers", validate.InvalidChoice, func(in *events.EventInput) { in.Organisers = []string{"no-such-cluster"} }},
		} {
			in := base
			tc.edit(&in)
			_, err := w.svc.CreateEvent(org, in)
			var ve validate.Errors
			if !errors.As(err, &ve) || !hasError(ve, tc.field, tc.code) {
				t.Errorf("%s: err = %v, want %s on %s", tc.name, err, tc.code, tc.field)
			}
		}
		if _, err := db.GetEvent(ctx, "x"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a refused event was written: %v", err)
		}
		for _, tc := range []struct {
			name, field, code string
			in                events.SessionInput
		}{
			{"session before the event", "starts_at", validate.SessionOutsideEvent, events.SessionInput{Title: "Early", StartsAt: "2027-05-31T09:00", EndsAt: "2027-06-01T10:00"}},
			{"session after the event", "ends_at", validate.SessionOutsideEvent, events.SessionInput{Title: "Late", StartsAt: "2027-06-02T16:00", EndsAt: "2027-06-02T18:00"}},
			{"session ends before it starts", "ends_at", "error.booking.not_after_start", events.SessionInput{Title: "Odd", StartsAt: "2027-06-01T11:00", EndsAt: "2027-06-01T10:00"}},
			{"speaker not in the directory", "speakers[0].person_id", validate.InvalidChoice, events.SessionInput{Title: "Talk", StartsAt: "2027-06-01T11:00", EndsAt: "2027-06-01T12:00",
				Speakers: []events.Speaker{{PersonID: "no-such-person"}}}},
			{"guest without a name", "speakers[0].name", validate.Required, events.SessionInput{Title: "Talk", StartsAt: "2027-06-01T11:00", EndsAt: "2027-06-01T12:00",
				Speakers: []events.Speaker{{Affiliation: "Somewhere"}}}},
		} {
			_, err := w.svc.AddSession(org, w.ev.ID, tc.in)
			var ve validate.Errors
			if !errors.As(err, &ve) || !hasError(ve, tc.field, tc.code) {
				t.Errorf("%s: err = %v, want %s on %s", tc.name, err, tc.code, tc.field)
			}
		}
		if ss, _ := db.ListEventSessions(ctx, w.ev.ID); len(ss) != 0 {
			t.Errorf("%d refused sessions written", len(ss))
		}
		// A member who does not organise may not add a session.
		if _, err := w.svc.AddSession(attendee(1), w.ev.ID, events.SessionInput{Title: "Mine", StartsAt: "2027-06-01T10:00", EndsAt: "2027-06-01T11:00"}); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("member adds a session: err = %v, want ErrForbidden", err)
		}
	})
}

// TestFullEventWithoutWaitlist: the registration after the last place is
// refused on the field event, and nothing is written.
func TestFullEventWithoutWaitlist(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		in := events.EventInput{Slug: "full", Kind: events.KindWebinar, Title: "Full", Language: "en", Organisers: []string{"hsd"},
			VenueKind: events.VenueOnline, OnlineURL: "https://meet.example.test/full", TimeZone: "Europe/Paris",
			StartsAt: "2027-03-01T10:00", EndsAt: "2027-03-01T12:00", Visibility: "public", Capacity: 1}
		w := newEventWorld(t, db, in)
		if _, err := w.svc.Register(attendee(1), w.ev.ID, events.RegisterInput{}); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.Register(attendee(2), w.ev.ID, events.RegisterInput{})
		var ve validate.Errors
		if !errors.As(err, &ve) || !hasError(ve, "event", validate.EventFull) {
			t.Errorf("full event: err = %v, want %s on event", err, validate.EventFull)
		}
		rs, _ := db.ListRegistrations(ctx, w.ev.ID)
		if len(rs) != 1 {
			t.Errorf("%d registrations stored, want 1", len(rs))
		}
	})
}

func hasError(ve validate.Errors, field, code string) bool {
	for _, fe := range ve {
		if fe.Field == field && fe.Code == code {
			return true
		}
	}
	return false
}

// TestSessionCapacity: a full session without a waiting list refuses the
// registration on its field and writes nothing; with a waiting list the
// session place waits and is promoted when one frees; a stale version is
// refused.
func TestSessionCapacity(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		in := events.EventInput{Slug: "sessions", Kind: events.KindConference, Title: "Sessions", Language: "en", Organisers: []string{"hsd"},
			VenueKind: events.VenueAddress, Venue: "HSD Campus", TimeZone: "Europe/Amsterdam",
			StartsAt: "2027-03-01T09:00", EndsAt: "2027-03-01T17:00", Visibility: "public"}
		w := newEventWorld(t, db, in)
		ses, err := w.svc.AddSession(w.organiser(), w.ev.ID, events.SessionInput{Title: "Lab tour", StartsAt: "2027-03-01T14:00", EndsAt: "2027-03-01T15:00", Capacity: 1})
		must(t, err)
		first, err := w.svc.Register(attendee(1), w.ev.ID, events.RegisterInput{Sessions: []string{ses.ID}})
		must(t, err)
		if first.Sessions[0].Status != events.StatusConfirmed {
			t.Errorf("first in the session: %s, want confirmed", first.Sessions[0].Status)
		}
		_, err = w.svc.Register(attendee(2), w.ev.ID, events.RegisterInput{Sessions: []string{ses.ID}})
		var ve validate.Errors
		if !errors.As(err, &ve) || !hasError(ve, "sessions[0]", validate.SessionFull) {
			t.Errorf("full session without waiting list: err = %v, want %s on sessions[0]", err, validate.SessionFull)
		}
		if rs, _ := db.ListRegistrations(ctx, w.ev.ID); len(rs) != 1 {
			t.Errorf("%d registrations stored after a refusal, want 1", len(rs))
		}
		_, err = w.svc.Register(attendee(3), w.ev.ID, events.RegisterInput{Sessions: []string{"no-such-session"}})
		if !errors.As(err, &ve) || !hasError(ve, "sessions[0]", validate.UnknownSession) {
			t.Errorf("unknown session: err = %v", err)
		}
		// With a waiting list the second waits for the session, and gets
		// the place when the first cancels.
		in.Waitlist = true
		e, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, w.ev.Version)
		must(t, err)
		if _, err := w.svc.UpdateEvent(w.organiser(), w.ev.ID, in, w.ev.Version); !errors.Is(err, store.ErrStale) {
			t.Errorf("update with an old version: err = %v, want ErrStale", err)
		}
		if e.Version != w.ev.Version+1 {
			t.Errorf("version %d after an update, want %d", e.Version, w.ev.Version+1)
		}
		second, err := w.svc.Register(attendee(2), w.ev.ID, events.RegisterInput{Sessions: []string{ses.ID}})
		must(t, err)
		if second.Status != events.StatusConfirmed || second.Sessions[0].Status != events.StatusWaiting {
			t.Errorf("second: %s, session %s; want confirmed, session waiting", second.Status, second.Sessions[0].Status)
		}
		if _, err := w.svc.Cancel(attendee(1), first.ID, 0); err != nil {
			t.Fatal(err)
		}
		got, err := db.GetRegistration(ctx, second.ID)
		must(t, err)
		if got.Sessions[0].Status != events.StatusConfirmed {
			t.Errorf("after the cancellation the second's session place is %s, want confirmed", got.Sessions[0].Status)
		}
		// Capacity of a session below its confirmed places.
		_, err = w.svc.UpdateSession(w.organiser(), w.ev.ID, ses.ID, events.SessionInput{Title: "Lab tour", StartsAt: "2027-03-01T14:00", EndsAt: "2027-03-01T15:00", Capacity: 0}, 0)
		must(t, err)
	})
}

// TestBrokerageSlotsBadInput: meeting days in a DST gap, outside the
// event, or ending before they start are refused with their field.
func TestBrokerageSlotsBadInput(t *testing.T) {
	base := brokerageInput()
	base.StartsAt, base.EndsAt = "2027-03-27T09:00", "2027-03-28T17:00"
	for _, tc := range []struct {
		name, field, code string
		day               events.MeetingDay
	}{
		{"DST gap", "brokerage.days[0].start", "error.time.nonexistent", events.MeetingDay{Date: "2027-03-28", Start: "02:30", End: "04:00"}},
		{"outside the event", "brokerage.days[0].date", validate.SessionOutsideEvent, events.MeetingDay{Date: "2027-04-01", Start: "10:00", End: "12:00"}},
		{"end before start", "brokerage.days[0].end", "error.booking.not_after_start", events.MeetingDay{Date: "2027-03-27", Start: "12:00", End: "10:00"}},
	} {
		in := base
		b := *in.Brokerage
		b.Days = []events.MeetingDay{tc.day}
		in.Brokerage = &b
		_, err := events.BuildEvent(in)
		var ve validate.Errors
		if !errors.As(err, &ve) || !hasError(ve, tc.field, tc.code) {
			t.Errorf("%s: err = %v, want %s on %s", tc.name, err, tc.code, tc.field)
		}
	}
}
