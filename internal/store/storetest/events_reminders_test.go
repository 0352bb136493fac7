package storetest

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// TestReminderJob runs the scheduled reminder job with a fake clock and a
// loopback SMTP server: nothing before the lead time; then each confirmed
// attendee gets exactly one reminder although two nodes run the job at
// the same moment; a later run sends nothing more, except to someone who
// registered since. On both engines.
func TestReminderJob(t *testing.T) {
	engines(t, func(t *testing.T, db *sqlstore.DB) {
		srv := mailtest.Start(t)
		in := events.EventInput{Slug: "remind", Kind: events.KindWorkshop, Title: "Reminder workshop", Language: "en",
			Organisers: []string{"hsd"}, VenueKind: events.VenueAddress, Venue: "North America Room", TimeZone: "Europe/Amsterdam",
			StartsAt: "2027-03-01T14:00", EndsAt: "2027-03-01T15:00", Visibility: "public", Capacity: 3, Waitlist: true}
		w := newEventWorld(t, db, in)
		var clock atomic.Int64
		clock.Store(time.Date(2027, 2, 27, 12, 0, 0, 0, time.UTC).Unix())
		now := func() time.Time { return time.Unix(clock.Load(), 0).UTC() }
		text := func(_ context.Context, key string, args ...any) string { return key + argString(args) }
		node := func() *events.Service {
			return events.NewService(db, db, noEventUsers{}, mail.SMTP{Addr: srv.Addr, From: "events@escnet.test"}, events.Config{Text: text, Now: now})
		}
		a, b := node(), node()
		for i := range 4 { // 3 confirmed, 1 waiting
			if _, err := a.Register(attendee(i), w.ev.ID, events.RegisterInput{}); err != nil {
				t.Fatal(err)
			}
		}
		srv.Wait(t, 4) // the confirmations
		if n, err := a.RemindDue(ctx, 24*time.Hour); err != nil || n != 0 {
			t.Fatalf("two days before: sent %d, %v; want 0", n, err)
		}
		clock.Store(time.Date(2027, 2, 28, 16, 0, 0, 0, time.UTC).Unix()) // 21 h before
		var wg sync.WaitGroup
		var sent atomic.Int64
		for _, s := range []*events.Service{a, b, a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				n, err := s.RemindDue(ctx, 24*time.Hour)
				if err != nil {
					t.Errorf("reminder job: %v", err)
				}
				sent.Add(int64(n))
			}()
		}
		wg.Wait()
		if sent.Load() != 3 {
			t.Errorf("four concurrent runs sent %d reminders, want 3 (one per confirmed attendee)", sent.Load())
		}
		srv.Wait(t, 7)
		time.Sleep(200 * time.Millisecond) // a duplicate would arrive now
		reminded := map[string]int{}
		for _, m := range srv.Messages()[4:] {
			if strings.Contains(m.Data, "mail.event.reminder") {
				reminded[m.To[0]]++
			}
		}
		if len(reminded) != 3 || reminded["user0@example.test"] != 1 || reminded["user3@example.test"] != 0 {
			t.Errorf("reminders by address: %v, want one each to user0..user2", reminded)
		}
		if n, err := b.RemindDue(ctx, 24*time.Hour); err != nil || n != 0 {
			t.Errorf("second run: sent %d, %v; want 0", n, err)
		}
		// Someone promoted from the waiting list since gets theirs on the
		// next run.
		rs, err := db.ListRegistrations(ctx, w.ev.ID)
		must(t, err)
		if _, err := a.Cancel(attendee(0), rs[0].ID, 0); err != nil {
			t.Fatal(err)
		}
		if n, err := b.RemindDue(ctx, 24*time.Hour); err != nil || n != 1 {
			t.Errorf("after a promotion: sent %d, %v; want 1", n, err)
		}
		// Once the event has started, nothing more.
		clock.Store(time.Date(2027, 3, 1, 13, 30, 0, 0, time.UTC).Unix())
		if n, err := a.RemindDue(ctx, 24*time.Hour); err != nil || n != 0 {
			t.Errorf("after the start: sent %d, %v; want 0", n, err)
		}
	})
}
