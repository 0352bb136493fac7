package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store/storetest"
)

type noMail struct{}

func (noMail) Send(context.Context, mail.Message) error { return nil }

// TestLoadBookings loads the demonstration bookings through the booking
// rules and finds use across clusters at the facilities of the source
// documents.
func TestLoadBookings(t *testing.T) {
	db := storetest.NewSQLite(t)
	ctx := access.AsSystem(context.Background())
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	svc := facilities.NewService(db, db, db, noMail{}, facilities.Config{})
	now := time.Now().UTC()
	n, err := demo.LoadBookings(ctx, db, svc, now)
	if err != nil {
		t.Fatal(err)
	}
	if n < 25 {
		t.Errorf("demo loaded %d bookings, want at least 25", n)
	}
	if again, err := demo.LoadBookings(ctx, db, svc, now); err != nil || again != 0 {
		t.Errorf("second load: %d bookings, %v; want none added", again, err)
	}
	for _, slug := range []string{"twente-airport-drone-centre", "riskfactory-twente", "veiligheidscampus-zwartberg", "hsd-campus"} {
		f, err := db.GetFacility(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if f.Latitude == nil || f.TimeZone == "" {
			t.Errorf("%s has no coordinates or zone", slug)
		}
		bookings, err := db.ListBookings(ctx, facilities.Filter{FacilityID: f.ID})
		if err != nil {
			t.Fatal(err)
		}
		rs, _ := db.ListResources(ctx, f.ID)
		u := facilities.ComputeUsage([]facilities.FacilityData{{Facility: f, Resources: rs, Bookings: bookings}}, now.AddDate(0, -3, 0), now.AddDate(0, 1, 0))
		if len(bookings) < 3 || u.AcrossClusters == 0 {
			t.Errorf("%s: %d bookings, %.0f%% of use from other clusters; want several, some from other clusters", slug, len(bookings), u.AcrossClusters*100)
		}
	}
}
