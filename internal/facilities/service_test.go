package facilities_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// The permission decisions of the facilities service, without HTTP: each
// use case is called with a viewer in the context, as the web layer, the
// command line and the demo loader do.

type nowhere struct{}

func (nowhere) Send(context.Context, mail.Message) error { return nil }

// world is a facility of Twente Airport (cluster twente) with one resource
// open around the clock and decided by approvers, and KIT Lab (cluster
// kit) that books it.
type world struct {
	svc          *facilities.Service
	fac          directory.Facility
	res          facilities.Resource
	owner, guest directory.Organisation
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	t.Helper()
	sys := access.AsSystem(context.Background())
	d := directory.NewService(db)
	for _, c := range []*directory.Cluster{{Slug: "twente", Name: "Twente", Country: "NL", Themes: []string{"cybersecurity"}},
		{Slug: "kit", Name: "KIT", Country: "DE", Themes: []string{"cybersecurity"}}} {
		must(t, d.CreateCluster(sys, c))
	}
	owner := &directory.Organisation{Slug: "twente-airport", Name: "Twente Airport", Country: "NL", Kind: "company",
		Memberships: []directory.Membership{{ClusterID: "twente", Role: "member"}}}
	guest := &directory.Organisation{Slug: "kit-lab", Name: "KIT Lab", Country: "DE", Kind: "research",
		Memberships: []directory.Membership{{ClusterID: "kit", Role: "member"}}}
	must(t, d.CreateOrganisation(sys, owner))
	must(t, d.CreateOrganisation(sys, guest))
	owner2, err := db.GetOrganisation(sys, owner.ID)
	must(t, err)
	guest2, err := db.GetOrganisation(sys, guest.ID)
	must(t, err)
	w := &world{svc: facilities.NewService(db, db, db, nowhere{}, facilities.Config{}), owner: owner2, guest: guest2}
	f := &directory.Facility{Slug: "drone-range", Name: "Drone range", Kind: "test_range", OrganisationID: owner.ID,
		ClusterID: "twente", Country: "NL", Visibility: "public", TLP: "CLEAR"}
	must(t, w.svc.CreateFacility(sys, f))
	w.fac = *f
	var week []facilities.Opening
	for d := range 7 {
		week = append(week, facilities.Opening{Day: d, Opens: "00:00", Closes: "24:00"})
	}
	r := &facilities.Resource{Slug: "range", Name: "Range", Kind: "range", Approval: facilities.ApprovalApprovers, MaxMinutes: 7 * 24 * 60, OpeningHours: week, Active: true}
	must(t, w.svc.CreateResource(sys, f.ID, r))
	w.res = *r
	return w
}

// spare adds a resource nobody booked.
func (w *world) spare(t *testing.T, n int) string {
	t.Helper()
	r := &facilities.Resource{Slug: "spare-" + string(rune('a'+n)), Name: "Spare", Kind: "room"}
	must(t, w.svc.CreateResource(access.AsSystem(context.Background()), w.fac.ID, r))
	return r.ID
}

// personas of the tests.
func (w *world) viewers() map[string]access.Viewer {
	return map[string]access.Viewer{
		"anonymous":      {},
		"read token":     {UserID: "u-ro", OrganisationID: w.owner.ID, OrgAdmin: true, Clusters: []string{w.owner.Memberships[0].ClusterID}},
		"owner admin":    {UserID: "u-oa", OrganisationID: w.owner.ID, OrgAdmin: true, Clusters: []string{w.owner.Memberships[0].ClusterID}, WriteAllowed: true},
		"owner member":   {UserID: "u-om", OrganisationID: w.owner.ID, Clusters: []string{w.owner.Memberships[0].ClusterID}, WriteAllowed: true},
		"guest member":   {UserID: "u-gm", OrganisationID: w.guest.ID, Clusters: []string{w.guest.Memberships[0].ClusterID}, WriteAllowed: true},
		"twente manager": {UserID: "u-tm", ManagedClusters: []string{w.owner.Memberships[0].ClusterID}, WriteAllowed: true},
		"kit manager":    {UserID: "u-km", ManagedClusters: []string{w.guest.Memberships[0].ClusterID}, WriteAllowed: true},
		"alliance admin": {UserID: "u-aa", AllianceAdmin: true, WriteAllowed: true},
	}
}

func as(v access.Viewer) context.Context { return access.WithViewer(context.Background(), v) }

// outcome names an error as the web layer would answer it.
func outcome(err error) string {
	var ve validate.Errors
	var ce *store.ConflictError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, store.ErrForbidden):
		return "forbidden"
	case errors.Is(err, store.ErrNotFound):
		return "not found"
	case errors.Is(err, store.ErrStale):
		return "stale"
	case errors.As(err, &ve):
		return "invalid " + ve[0].Field + " " + ve[0].Code
	case errors.As(err, &ce):
		return "conflict " + ce.Field
	}
	return "error: " + err.Error()
}

func TestFacilityPermissions(t *testing.T) {
	w := newWorld(t, storetest.NewSQLite(t))
	// Who may change the facility: the owner's administrators, managers of
	// a cluster the owner belongs to, alliance administrators.
	change := map[string]string{"anonymous": "forbidden", "read token": "forbidden", "owner admin": "ok", "owner member": "forbidden",
		"guest member": "forbidden", "twente manager": "ok", "kit manager": "forbidden", "alliance admin": "ok"}
	// Who sees the named approvers: those who decide on the bookings.
	approvers := map[string]string{"anonymous": "forbidden", "read token": "forbidden", "owner admin": "ok", "owner member": "forbidden",
		"guest member": "forbidden", "twente manager": "ok", "kit manager": "forbidden", "alliance admin": "ok"}
	n := 0
	for name, v := range w.viewers() {
		ctx := as(v)
		n++
		checks := []struct {
			op   string
			err  error
			want string
		}{
			{"create a resource", w.svc.CreateResource(ctx, w.fac.ID, &facilities.Resource{Slug: "room-" + string(rune('a'+n)), Name: "Room", Kind: "room"}), change[name]},
			{"update the resource", w.svc.UpdateResource(ctx, &facilities.Resource{ID: w.res.ID, Slug: "range", Name: "Range", Kind: "range", OpeningHours: w.res.OpeningHours, Active: true}), change[name]},
			{"close it", second(w.svc.CreateBlackout(ctx, w.fac.ID, facilities.BlackoutInput{StartsAt: "2040-01-01T08:00", EndsAt: "2040-01-01T09:00"})), change[name]},
			{"set the approvers", second(w.svc.SetApprovers(ctx, w.fac.ID, nil)), change[name]},
			{"list the approvers", second(w.svc.Approvers(ctx, w.fac.ID)), approvers[name]},
			{"update the facility", w.svc.UpdateFacility(ctx, facilityCopy(w.fac)), change[name]},
			{"delete a resource", w.svc.DeleteResource(ctx, w.spare(t, n)), change[name]},
		}
		for _, c := range checks {
			if got := outcome(c.err); got != c.want {
				t.Errorf("%s: %s = %s, want %s", name, c.op, got, c.want)
			}
		}
	}
	// Deleting is changing: refused to the guest, allowed to the owner.
	if got := outcome(w.svc.DeleteFacility(as(w.viewers()["guest member"]), w.fac.ID)); got != "forbidden" {
		t.Errorf("guest member deletes the facility: %s, want forbidden", got)
	}
	if got := outcome(w.svc.DeleteFacility(as(w.viewers()["owner admin"]), w.fac.ID)); got != "ok" {
		t.Errorf("owner admin deletes the facility: %s, want ok", got)
	}
}

func second[T any](_ T, err error) error { return err }

func facilityCopy(f directory.Facility) *directory.Facility {
	c := f
	c.Version = 0
	return &c
}

// TestFacilityCluster: a facility's cluster decides, with its owner, who
// approves its bookings; it must be a cluster the owning organisation
// belongs to, on creation and on every update, whoever makes the change.
func TestFacilityCluster(t *testing.T) {
	for _, engine := range []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", storetest.NewSQLite}, {"postgres", storetest.NewPostgres}} {
		t.Run(engine.name, func(t *testing.T) {
			w := newWorld(t, engine.open(t))
			kit := w.guest.Memberships[0].ClusterID
			for _, who := range []string{"owner admin", "twente manager", "alliance admin"} {
				ctx := as(w.viewers()[who])
				f := facilityCopy(w.fac)
				f.ClusterID = kit
				if got, want := outcome(w.svc.UpdateFacility(ctx, f)), "invalid cluster_id "+facilities.FacilityCluster; got != want {
					t.Errorf("%s moves the facility into a cluster its owner is not in: %s, want %s", who, got, want)
				}
				n := &directory.Facility{Slug: "lab-" + who[:5], Name: "Lab", Kind: "laboratory", OrganisationID: w.owner.ID, ClusterID: kit, Country: "NL"}
				if got, want := outcome(w.svc.CreateFacility(ctx, n)), "invalid cluster_id "+facilities.FacilityCluster; got != want {
					t.Errorf("%s creates a facility in a cluster its owner is not in: %s, want %s", who, got, want)
				}
			}
			got, err := w.svc.Facility(access.AsSystem(context.Background()), w.fac.ID)
			must(t, err)
			if got.ClusterID != w.fac.ClusterID || got.Version != w.fac.Version {
				t.Errorf("facility after refused moves: cluster %q version %d, want %q and %d", got.ClusterID, got.Version, w.fac.ClusterID, w.fac.Version)
			}
			// Its own cluster, or none, is fine.
			f := facilityCopy(w.fac)
			f.ClusterID = ""
			must(t, w.svc.UpdateFacility(as(w.viewers()["owner admin"]), f))
		})
	}
}

func TestFacilityVersions(t *testing.T) {
	w := newWorld(t, storetest.NewSQLite(t))
	ctx := as(w.viewers()["owner admin"])
	if w.fac.Version != 1 || w.res.Version != 1 {
		t.Fatalf("new facility version %d, resource version %d, want 1 and 1", w.fac.Version, w.res.Version)
	}
	f := facilityCopy(w.fac)
	f.Version, f.Description = 1, "first"
	must(t, w.svc.UpdateFacility(ctx, f))
	if f.Version != 2 {
		t.Errorf("version after an update %d, want 2", f.Version)
	}
	stale := facilityCopy(w.fac)
	stale.Version, stale.Description = 1, "lost update"
	if got := outcome(w.svc.UpdateFacility(ctx, stale)); got != "stale" {
		t.Errorf("update naming version 1 after version 2: %s, want stale", got)
	}
	r := w.res
	r.Version, r.Name = 1, "Range A"
	must(t, w.svc.UpdateResource(ctx, &r))
	r.Version, r.Name = 1, "Range B"
	if got := outcome(w.svc.UpdateResource(ctx, &r)); got != "stale" {
		t.Errorf("resource update naming version 1 after version 2: %s, want stale", got)
	}
	got, err := w.svc.Resource(ctx, w.res.ID)
	must(t, err)
	if got.Name != "Range A" || got.Version != 2 {
		t.Errorf("resource %q version %d, want Range A at version 2", got.Name, got.Version)
	}
}

func TestBookingPermissions(t *testing.T) {
	w := newWorld(t, storetest.NewSQLite(t))
	vs := w.viewers()
	start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
	slot := 0
	in := func(org string) facilities.RequestInput {
		slot++
		s := start.Add(time.Duration(slot) * 3 * time.Hour)
		return facilities.RequestInput{Resource: w.res.ID, Organisation: org, StartsAt: s.Format(time.RFC3339), EndsAt: s.Add(time.Hour).Format(time.RFC3339)}
	}
	requests := []struct {
		who, org, want string
	}{
		{"anonymous", "", "forbidden"},
		{"read token", "", "forbidden"},
		{"guest member", "", "ok"}, // for their own organisation by default
		{"guest member", w.guest.ID, "ok"},
		{"guest member", w.owner.ID, "invalid organisation_id " + facilities.BookingOrganisation},
		{"owner member", w.guest.ID, "invalid organisation_id " + facilities.BookingOrganisation},
		{"kit manager", w.guest.ID, "ok"}, // on behalf of an organisation of their cluster
		{"kit manager", w.owner.ID, "invalid organisation_id " + facilities.BookingOrganisation},
		{"alliance admin", "", "invalid organisation_id " + validate.Required}, // no organisation of their own
		{"alliance admin", w.guest.ID, "ok"},                                   // on behalf of any
		{"guest member", "no-such-org", "invalid organisation_id " + validate.NotFound},
	}
	for _, r := range requests {
		_, err := w.svc.Request(as(vs[r.who]), in(r.org))
		if got := outcome(err); got != r.want {
			t.Errorf("%s books for %q: %s, want %s", r.who, r.org, got, r.want)
		}
	}
	// A request of the guest, then who may see it and take which step.
	b, err := w.svc.Request(as(vs["guest member"]), in(""))
	must(t, err)
	steps := []struct {
		who, action, want string
	}{
		{"owner member", facilities.ActionApprove, "not found"}, // may not see it
		{"kit manager", facilities.ActionApprove, "not found"},
		{"guest member", facilities.ActionApprove, "forbidden"}, // the requester does not approve
		{"read token", facilities.ActionApprove, "forbidden"},   // the owner's administrator reads it; a read-only token decides nothing
		{"owner admin", facilities.ActionApprove, "ok"},
		{"owner admin", facilities.ActionConfirm, "forbidden"}, // the requesting side confirms
		{"guest member", facilities.ActionConfirm, "ok"},
		{"guest member", facilities.ActionComplete, "forbidden"},
		{"twente manager", facilities.ActionCancel, "ok"}, // approvers may cancel
	}
	for _, s := range steps {
		_, err := w.svc.Act(as(vs[s.who]), b.ID, s.action, "")
		if got := outcome(err); got != s.want {
			t.Errorf("%s: %s = %s, want %s", s.who, s.action, got, s.want)
		}
	}
	// A booked resource stays: deactivate it instead.
	if got := outcome(w.svc.DeleteResource(as(vs["owner admin"]), w.res.ID)); got != "conflict id" {
		t.Errorf("deleting a booked resource: %s, want conflict id", got)
	}
	// Seeing a booking follows the same rule.
	for who, want := range map[string]string{"guest member": "ok", "owner admin": "ok", "read token": "ok", "twente manager": "ok", "alliance admin": "ok",
		"owner member": "not found", "kit manager": "not found", "anonymous": "not found"} {
		if got := outcome(second(w.svc.Booking(as(vs[who]), b.ID))); got != want {
			t.Errorf("%s reads the booking: %s, want %s", who, got, want)
		}
	}
}

// TestCalendarTokensAndUsage: feeds are the viewer's own (a read-only
// token creates none, another user revokes none), a feed answers with
// what its owner may see, and a usage download is audited.
func TestCalendarTokensAndUsage(t *testing.T) {
	db := storetest.NewSQLite(t)
	w := newWorld(t, db)
	sys := access.AsSystem(context.Background())
	u := accounts.User{Email: "guest@example.org", Name: "Guest", OrganisationID: w.guest.ID}
	must(t, accounts.NewService(db, db, nowhere{}, accounts.Config{}).NewUser(sys, &u, "guest-password-1234"))
	me := access.Viewer{UserID: u.ID, OrganisationID: w.guest.ID, Clusters: []string{w.guest.Memberships[0].ClusterID}, WriteAllowed: true}
	ro := me
	ro.WriteAllowed = false
	if got := outcome(second(w.svc.CreateCalendar(as(ro), facilities.CalendarInput{Kind: "user"}))); got != "forbidden" {
		t.Errorf("read-only token creates a feed: %s, want forbidden", got)
	}
	if got := outcome(second(w.svc.CreateCalendar(as(me), facilities.CalendarInput{Kind: "facility", Target: "no-such-facility"}))); got != "invalid target_id "+validate.NotFound {
		t.Errorf("feed of a facility that does not exist: %s", got)
	}
	nc, err := w.svc.CreateCalendar(as(me), facilities.CalendarInput{Kind: "facility", Target: w.fac.Slug})
	must(t, err)
	secret := nc.URL[strings.LastIndex(nc.URL, "/")+1 : len(nc.URL)-len(".ics")]
	label := func(key string, _ ...any) string { return key }
	b, err := w.svc.Request(as(me), facilities.RequestInput{Resource: w.res.ID, StartsAt: time.Now().Add(72 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339),
		EndsAt: time.Now().Add(74 * time.Hour).UTC().Truncate(time.Hour).Format(time.RFC3339), Purpose: "secret purpose"})
	must(t, err)
	// Requested is not yet held: the guest's facility feed shows it not.
	feed, err := w.svc.Feed(context.Background(), secret, label)
	must(t, err)
	if strings.Contains(feed, b.ID) {
		t.Errorf("a requested booking is in the requester's facility feed:\n%s", feed)
	}
	list, err := w.svc.Calendars(as(me))
	must(t, err)
	if len(list) != 1 || list[0].ID != nc.Calendar.ID {
		t.Fatalf("calendars %+v, want the one", list)
	}
	other := w.viewers()["owner admin"]
	if err := w.svc.RevokeCalendar(as(other), nc.Calendar.ID); err == nil {
		t.Error("another user revoked the feed")
	}
	must(t, w.svc.RevokeCalendar(as(me), nc.Calendar.ID))
	if got := outcome(second(w.svc.Feed(context.Background(), secret, label))); got != "not found" {
		t.Errorf("revoked feed: %s, want not found", got)
	}

	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, _, err := w.svc.FacilityUsage(as(me), w.fac.ID, from, from.AddDate(0, 2, 0), true); err != nil {
		t.Fatal(err)
	}
	entries, err := db.AuditLog(sys, audit.Filter{Action: "export.usage", Limit: 10})
	must(t, err)
	if len(entries) != 1 || entries[0].EntityID != w.fac.ID {
		t.Errorf("audit of the usage download: %+v, want one export.usage of the facility", entries)
	}
}
