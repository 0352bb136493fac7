package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/validate"
)

func addUser(t *testing.T, db *sqlstore.DB, id, org string, admin bool) {
	t.Helper()
	_, err := db.SQL().ExecContext(context.Background(), `INSERT INTO users (id, email, name, organisation_id, alliance_admin, org_admin, password_hash, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`, id, id+"@example.org", id, org, false, admin, "!", false, time.Now().UTC())
	must(t, err)
}

// TestExchangeFromOfferToReport takes one exchange through every step on
// both engines: an offer by a host, a request, the match, the
// application, approval by both organisations (and refusal of one who
// may not decide), both signatures, the stay's access to the named host
// record (ending with the stay), both reports, and the practices entry.
func TestExchangeFromOfferToReport(t *testing.T) {
	for name, newDB := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": func(t testing.TB) *sqlstore.DB { return NewSQLite(t) }, "postgres": func(t testing.TB) *sqlstore.DB { return NewPostgres(t) }} {
		t.Run(name, func(t *testing.T) { testExchange(t, newDB(t)) })
	}
}

func testExchange(t *testing.T, db *sqlstore.DB) {
	w := newPracticeWorld(t, db, 1<<20) // owner (hsd, public body), peer (hsd), outsider (kit)
	d := svc(db)
	lab := org("example-lab", "Example Lab", "DE", "research", "kit")
	must(t, d.CreateOrganisation(ctx, lab))
	labO, err := db.GetOrganisation(ctx, lab.ID)
	must(t, err)
	fac := &directory.Facility{Slug: "example-range", Name: "Example range", Kind: "test_range", OrganisationID: w.owner.ID, Country: "NL", Visibility: access.Public}
	must(t, d.CreateFacility(ctx, fac))
	addUser(t, db, "u-admin", w.owner.ID, true)
	day := "2027-03-10"
	clock := func() time.Time { t, _ := time.Parse(time.DateOnly, day); return t }
	svc := exchanges.NewService(db, w.svc, exchanges.Config{Viewer: viewerOf, Now: clock})
	hostMember := w.member
	guest := access.Viewer{UserID: "u-guest", OrganisationID: labO.ID, Clusters: clustersOfOrg(labO), WriteAllowed: true}
	guestAdmin := access.Viewer{UserID: "u-guest-admin", OrganisationID: labO.ID, Clusters: clustersOfOrg(labO), OrgAdmin: true, WriteAllowed: true}

	offer := exchanges.Offer{Kind: "secondment", Topic: "Flood response command post", Capabilities: []string{"crisis-management.natural-hazards"},
		Language: "nl", StartsOn: "2027-03-01", EndsOn: "2027-05-31", Weeks: 8, Place: "Den Haag", Country: "NL", Facilities: []string{fac.ID}}
	// Bad input: an exchange ending before it starts; a host without approver.
	bad := offer
	bad.EndsOn = "2027-02-01"
	if _, err := svc.CreateOffer(as(hostMember), bad); !hasField(err, "ends_on", exchanges.EndsBeforeStart) {
		t.Errorf("offer ending before it starts: %v", err)
	}
	noApprover := offer
	noApprover.OrganisationID = w.peer.ID
	if _, err := svc.CreateOffer(as(w.peerV), noApprover); !hasField(err, "organisation_id", exchanges.NoApprover) {
		t.Errorf("offer of a host without approver: %v", err)
	}
	if os, _ := svc.Offers(as(hostMember)); len(os) != 0 {
		t.Fatalf("refused offers stored: %d", len(os))
	}
	o, err := svc.CreateOffer(as(hostMember), offer)
	must(t, err)

	req, err := svc.CreateRequest(as(guest), exchanges.Request{Topic: "Learn flood command", Capabilities: []string{"crisis-management"}, Language: "nl", Country: "NL",
		StartsOn: "2027-03-01", EndsOn: "2027-04-30"})
	must(t, err)
	ms, err := svc.Match(as(guest), req.ID)
	must(t, err)
	if len(ms) != 1 || ms[0].Offer.ID != o.ID || !ms[0].CrossSector || !ms[0].Language || !ms[0].Overlap || len(ms[0].Shared) != 1 {
		t.Fatalf("matches = %+v, want the offer, cross-sector (research → public body)", ms)
	}

	plan := exchanges.Application{Tasks: "Shadow the command post; run one drill.", Supervisor: "Anna Example", StartsOn: "2027-03-05", EndsOn: "2027-03-20", Records: []string{fac.ID}}
	outside := plan
	outside.EndsOn = "2027-06-30"
	if _, err := svc.Apply(as(guest), o.ID, outside); !hasField(err, "starts_on", exchanges.OutsideOffer) {
		t.Errorf("plan outside the offer: %v", err)
	}
	a, err := svc.Apply(as(guest), o.ID, plan)
	must(t, err)
	if !a.CrossSector || a.Status != exchanges.StatusRequested {
		t.Errorf("application = %+v", a)
	}
	// Approving what one may not decide: the host's member for the host,
	// the guest for their own organisation, the host for the guest's side.
	for _, c := range []struct {
		who  string
		v    access.Viewer
		side string
	}{{"host member", hostMember, "host"}, {"guest", guest, "home"}, {"host admin for home", w.admin, "home"}} {
		if _, err := svc.Approve(as(c.v), a.ID, c.side, 0); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s approving %s: %v, want forbidden", c.who, c.side, err)
		}
	}
	if _, err := svc.Approve(as(w.outV), a.ID, "host", 0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("outsider approving: %v, want not found", err)
	}
	if _, err := svc.Sign(as(guest), a.ID, 0); !hasField(err, "status", exchanges.WrongStep) {
		t.Errorf("signing before approval: %v", err)
	}
	got, _ := svc.Get(as(guest), a.ID)
	if got.Version != 1 {
		t.Errorf("refused steps changed the application: version %d", got.Version)
	}
	_, err = svc.Approve(as(guestAdmin), a.ID, "home", 1)
	must(t, err)
	_, err = svc.Approve(as(w.admin), a.ID, "host", 0)
	must(t, err)
	if ok, _ := svc.MayUse(as(guest), a.ID, fac.ID); ok {
		t.Error("guest may use the host record before the plan is signed")
	}
	_, err = svc.Sign(as(guest), a.ID, 0)
	must(t, err)
	a, err = svc.Sign(as(w.admin), a.ID, 0)
	must(t, err)
	if a.Status != exchanges.StatusSigned {
		t.Fatalf("status %s, want signed", a.Status)
	}
	for _, c := range []struct {
		day, record string
		v           access.Viewer
		want        bool
	}{{"2027-03-10", fac.ID, guest, true}, {"2027-03-10", "other", guest, false}, {"2027-03-10", fac.ID, hostMember, false}, {"2027-03-21", fac.ID, guest, false}, {"2027-03-04", fac.ID, guest, false}} {
		day = c.day
		if ok, err := svc.MayUse(as(c.v), a.ID, c.record); err != nil || ok != c.want {
			t.Errorf("MayUse on %s of %s by %s = %v, %v; want %v", c.day, c.record, c.v.UserID, ok, err, c.want)
		}
	}
	_, err = svc.Report(as(guest), a.ID, "I learned how the command post splits tasks.", 0)
	must(t, err)
	a, err = svc.Report(as(w.admin), a.ID, "The guest brought a sensor-fusion view we lacked.", 0)
	must(t, err)
	if a.Status != exchanges.StatusReported {
		t.Fatalf("status %s, want reported", a.Status)
	}
	if _, err := svc.ReportToPractice(as(guest), a.ID); !errors.Is(err, store.ErrForbidden) {
		t.Errorf("guest turning the report into an entry: %v", err)
	}
	e, err := svc.ReportToPractice(as(w.admin), a.ID)
	must(t, err)
	if e.OrganisationID != w.owner.ID || e.Kind != "lesson_learned" || e.TLP != access.TLPAmber {
		t.Errorf("entry = %+v", e)
	}
	res, err := w.svc.Search(as(w.peerV), practices.Filter{Query: "command post"})
	must(t, err)
	if res.Total != 1 {
		t.Errorf("search for the report entry: %d", res.Total)
	}
	_ = validate.Required
}

func clustersOfOrg(o directory.Organisation) []string {
	var out []string
	for _, m := range o.Memberships {
		out = append(out, m.ClusterID)
	}
	return out
}
