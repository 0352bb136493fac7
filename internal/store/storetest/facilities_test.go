package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// noUsers answers that nobody exists: these tests send no notices.
type noUsers struct{}

func (noUsers) GetUser(context.Context, string) (accounts.User, error) {
	return accounts.User{}, store.ErrNotFound
}
func (noUsers) GetUserByEmail(context.Context, string) (accounts.User, error) {
	return accounts.User{}, store.ErrNotFound
}
func (noUsers) ApproverEmails(context.Context, string) ([]string, error) { return nil, nil }

type discard struct{}

func (discard) Send(context.Context, mail.Message) error { return nil }

// bookingWorld is a facility with one resource open around the clock and
// an organisation of another cluster that books it.
type bookingWorld struct {
	svc    *facilities.Service
	fac    directory.Facility
	res    facilities.Resource
	booker directory.Organisation
}

func newBookingWorld(t *testing.T, db *sqlstore.DB, approval string) *bookingWorld {
	t.Helper()
	d := svc(db)
	must(t, d.CreateCluster(ctx, cluster("twente", "Twente", "NL")))
	must(t, d.CreateCluster(ctx, cluster("kit", "KIT", "DE")))
	owner := org("twente-airport", "Twente Airport", "NL", "company", "twente")
	must(t, d.CreateOrganisation(ctx, owner))
	booker := org("kit-lab", "KIT Lab", "DE", "research", "kit")
	must(t, d.CreateOrganisation(ctx, booker))
	f := &directory.Facility{Slug: "drone-range", Name: "Drone range", Kind: "test_range", OrganisationID: owner.ID,
		ClusterID: "twente", Country: "NL", Visibility: "public"}
	must(t, d.CreateFacility(ctx, f))
	if f.TimeZone != "Europe/Amsterdam" {
		t.Fatalf("facility time zone = %q, want the country's Europe/Amsterdam", f.TimeZone)
	}
	fs := facilities.NewService(db, db, noUsers{}, discard{}, facilities.Config{})
	var week []facilities.Opening
	for d := range 7 {
		week = append(week, facilities.Opening{Day: d, Opens: "00:00", Closes: "24:00"})
	}
	r := &facilities.Resource{Slug: "range-a", Name: "Range A", Kind: "range", Approval: approval, MinMinutes: 30,
		MaxMinutes: 7 * 24 * 60, BufferMinutes: 0, OpeningHours: week, Active: true}
	must(t, fs.CreateResource(access.AsSystem(ctx), f.ID, r))
	return &bookingWorld{svc: fs, fac: *f, res: *r, booker: *booker}
}

// TestNoDoubleBooking fires 200 concurrent overlapping requests at four
// slots of one resource and finds exactly one confirmed booking per slot;
// every other request waits on the waiting list or is refused as a
// conflict on starts_at.
func TestNoDoubleBooking(t *testing.T) {
	run := func(t *testing.T, db *sqlstore.DB) {
		w := newBookingWorld(t, db, facilities.ApprovalAuto)
		const slots, perSlot = 4, 50
		base := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
		type result struct {
			slot int
			b    facilities.Booking
			err  error
		}
		results := make(chan result, slots*perSlot)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range slots * perSlot {
			wg.Add(1)
			go func() {
				defer wg.Done()
				slot := i % slots
				// Every request of a slot overlaps every other of it: they
				// start within an hour of each other and last two.
				s := base.Add(time.Duration(slot) * 24 * time.Hour).Add(time.Duration(i%4) * 15 * time.Minute)
				in := facilities.RequestInput{Resource: w.res.ID, Organisation: w.booker.ID, StartsAt: s.Format(time.RFC3339), EndsAt: s.Add(2 * time.Hour).Format(time.RFC3339),
					Waitlist: i%2 == 0}
				<-start
				b, err := w.svc.Request(access.AsSystem(ctx), in)
				results <- result{slot, b, err}
			}()
		}
		began := time.Now()
		close(start)
		wg.Wait()
		close(results)
		confirmed := map[int]int{}
		for r := range results {
			var ce *store.ConflictError
			switch {
			case r.err == nil && r.b.Status == facilities.StatusConfirmed:
				confirmed[r.slot]++
			case r.err == nil && r.b.Status == facilities.StatusWaitlisted:
			case errors.As(r.err, &ce) && ce.Field == "starts_at" && ce.Code == facilities.BookingTaken:
			default:
				t.Errorf("slot %d: request ended in %q, %v; want confirmed, waitlisted or a conflict on starts_at", r.slot, r.b.Status, r.err)
			}
		}
		for s := range slots {
			if confirmed[s] != 1 {
				t.Errorf("slot %d: %d requests confirmed, want exactly 1", s, confirmed[s])
			}
		}
		// What the database holds agrees.
		all, err := db.ListBookings(ctx, facilities.Filter{ResourceID: w.res.ID, Status: facilities.StatusConfirmed, Limit: 1000})
		must(t, err)
		if len(all) != slots {
			t.Errorf("database holds %d confirmed bookings, want %d (one per slot)", len(all), slots)
		}
		for i, a := range all {
			for _, b := range all[i+1:] {
				if a.StartsAt.Before(b.EndsAt) && b.StartsAt.Before(a.EndsAt) {
					t.Errorf("confirmed bookings %s and %s overlap", a.ID, b.ID)
				}
			}
		}
		t.Logf("%d concurrent requests on %s in %v", slots*perSlot, db.Engine(), time.Since(began).Round(time.Millisecond))
	}
	t.Run("sqlite", func(t *testing.T) { run(t, NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, NewPostgres(t)) })
}

// TestDatabaseRefusesOverlap bypasses the rules: a decision that confirms
// an overlapping booking is refused by the database itself (the exclusion
// constraint on PostgreSQL, the trigger on SQLite), named as a conflict on
// starts_at, and leaves nothing behind.
func TestDatabaseRefusesOverlap(t *testing.T) {
	run := func(t *testing.T, db *sqlstore.DB) {
		w := newBookingWorld(t, db, facilities.ApprovalAuto)
		s := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour)
		confirm := func(b facilities.Booking, _ facilities.Snapshot) ([]facilities.Step, error) {
			b.Status, b.BlockedUntil = facilities.StatusConfirmed, b.EndsAt
			return []facilities.Step{{Booking: b, Action: "request"}}, nil
		}
		mk := func(from, to time.Time) *facilities.Booking {
			return &facilities.Booking{ResourceID: w.res.ID, FacilityID: w.fac.ID, OrganisationID: w.booker.ID, RequesterID: "u",
				StartsAt: from, EndsAt: to, TimeZone: "Europe/Amsterdam"}
		}
		if _, err := db.CreateBooking(ctx, mk(s, s.Add(2*time.Hour)), confirm); err != nil {
			t.Fatal(err)
		}
		before, err := db.LatestChange(ctx)
		must(t, err)
		_, err = db.CreateBooking(ctx, mk(s.Add(time.Hour), s.Add(3*time.Hour)), confirm)
		var ce *store.ConflictError
		if !errors.As(err, &ce) || ce.Field != "starts_at" {
			t.Fatalf("overlapping confirmed booking: err = %v, want a conflict on starts_at", err)
		}
		after, err := db.LatestChange(ctx)
		must(t, err)
		if after != before {
			t.Errorf("change feed moved from %d to %d on a refused booking", before, after)
		}
		// Back to back is not an overlap: [start, end) intervals.
		if _, err := db.CreateBooking(ctx, mk(s.Add(2*time.Hour), s.Add(3*time.Hour)), confirm); err != nil {
			t.Errorf("adjacent booking refused: %v", err)
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, NewPostgres(t)) })
}
