package facilities_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestStayGrant: the guest of a signed exchange plan sees the host
// facility the plan names — though it is shared with its organisation
// only — lists and books its resources, for the days of the stay and not
// before or after; the host's other facility, an unsigned plan and a
// colleague of the guest get nothing.
func TestStayGrant(t *testing.T) {
	t.Parallel()
	db := storetest.NewSQLite(t)
	w := newWorld(t, db)
	sys := access.AsSystem(context.Background())
	secret := *facilityCopy(w.fac)
	secret.Visibility = access.Organisation
	must(t, w.svc.UpdateFacility(sys, &secret))
	other := &directory.Facility{Slug: "hangar", Name: "Hangar", Kind: "test_range", OrganisationID: w.owner.ID, Country: "NL", Visibility: access.Organisation, TLP: "CLEAR"}
	must(t, w.svc.CreateFacility(sys, other))

	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	offer := exchanges.Offer{OrganisationID: w.owner.ID, Kind: "secondment", Topic: "Drone range operations", Language: "en", StartsOn: day(-30), EndsOn: day(60),
		Weeks: 4, Country: "NL", Facilities: []string{w.fac.ID, other.ID}, Visibility: access.Alliance}
	must(t, db.CreateOffer(sys, &offer))
	plan := func(user string, signed bool) {
		a := exchanges.Application{OfferID: offer.ID, UserID: user, GuestOrgID: w.guest.ID, Tasks: "Fly", Supervisor: "S. Upervisor",
			StartsOn: day(-2), EndsOn: day(10), Records: []string{w.fac.ID}}
		must(t, db.CreateApplication(sys, &a))
		if signed {
			now := time.Now().UTC()
			a.HomeApprovedBy, a.HostApprovedBy, a.GuestSignedAt, a.HostSignedAt = "home", "host", &now, &now
			must(t, db.UpdateApplication(sys, &a, 0))
		}
	}
	plan("u-gm", true)        // the guest member of the test world
	plan("u-unsigned", false) // approved by nobody yet
	viewer := func(user string) context.Context {
		return as(access.Viewer{UserID: user, OrganisationID: w.guest.ID, Clusters: []string{w.guest.Memberships[0].ClusterID}, WriteAllowed: true})
	}
	at := func(d int) *facilities.Service {
		clock := func() time.Time { return today.AddDate(0, 0, d) }
		return w.svc.WithStays(exchanges.NewService(db, nil, exchanges.Config{Viewer: access.ViewerFrom, Now: clock}))
	}
	booking := func(s *facilities.Service, ctx context.Context) error {
		start := time.Date(today.Year(), today.Month(), today.Day(), 10, 0, 0, 0, time.UTC).AddDate(0, 0, 3)
		_, err := s.Request(ctx, facilities.RequestInput{Resource: w.res.ID, StartsAt: start.Format(time.RFC3339), EndsAt: start.Add(time.Hour).Format(time.RFC3339)})
		return err
	}

	during := at(0)
	guest := viewer("u-gm")
	if _, err := during.Facility(guest, w.fac.Slug); err != nil {
		t.Fatalf("the guest during the stay does not see the granted facility: %v", err)
	}
	if _, rs, err := during.Resources(guest, w.fac.ID); err != nil || len(rs) != 1 {
		t.Errorf("the guest's resources of the granted facility: %d, %v", len(rs), err)
	}
	if p, err := during.Facilities(guest, directory.Filter{Limit: 50}); err != nil || p.Total != 1 {
		t.Errorf("the guest's catalogue: %d facilities, %v; want the granted one", p.Total, err)
	}
	if err := booking(during, guest); err != nil {
		t.Errorf("the guest books the granted facility: %v", err)
	}
	if _, err := during.Facility(guest, other.Slug); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the host's facility the plan does not name: %v, want not found", err)
	}
	for _, who := range []string{"u-unsigned", "u-colleague"} {
		if _, err := during.Facility(viewer(who), w.fac.Slug); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s sees the facility: %v", who, err)
		}
		if err := booking(during, viewer(who)); err == nil {
			t.Errorf("%s books the facility", who)
		}
	}
	for _, d := range []int{-3, 11} {
		s := at(d)
		if _, err := s.Facility(guest, w.fac.Slug); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("day %+d of the stay: the guest sees the facility (%v); the grant lasts the stay only", d, err)
		}
		if err := booking(s, guest); err == nil {
			t.Errorf("day %+d: the guest books the facility", d)
		}
	}
	// Without the exchanges wired, no grant at all.
	if _, err := w.svc.Facility(guest, w.fac.Slug); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("facilities without stays: %v", err)
	}
}
