package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestLoadExchanges: the demonstration holds offers of hosts in several
// clusters, requests, and applications in every state; the guest of the
// stay under way may see the host's training ground today.
func TestLoadExchanges(t *testing.T) {
	a := app.New(storetest.NewSQLite(t), app.Config{Mail: noMail{}})
	t.Cleanup(func() { a.Close() })
	n, err := demo.LoadAll(context.Background(), a, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	sys := access.AsSystem(context.Background())
	views, err := a.Exchanges.Applications(sys)
	if err != nil || n.Exchanges != len(views) || len(views) < 4 {
		t.Fatalf("applications: %d counted, %d listed, %v", n.Exchanges, len(views), err)
	}
	states, hosts, entries := map[string]int{}, map[string]bool{}, 0
	for _, v := range views {
		states[v.Status]++
		hosts[v.Offer.OrganisationID] = true
		if v.ReportEntryID != "" {
			entries++
		}
	}
	for _, s := range []string{exchanges.StatusRequested, exchanges.StatusApproved, exchanges.StatusSigned, exchanges.StatusReported} {
		if states[s] == 0 {
			t.Errorf("no demo application %s: %v", s, states)
		}
	}
	if len(hosts) < 3 || entries != 1 {
		t.Errorf("hosts %d, practices entries from reports %d", len(hosts), entries)
	}
	if rs, err := a.Exchanges.Requests(sys); err != nil || len(rs) < 3 {
		t.Errorf("requests: %d, %v", len(rs), err)
	}
	u, err := a.Accounts.Store().GetUserByEmail(sys, "guest.sdis13@example.org")
	if err != nil {
		t.Fatal(err)
	}
	guest := access.WithViewer(context.Background(), access.Viewer{UserID: u.ID, OrganisationID: u.OrganisationID, WriteAllowed: true})
	if ids, err := a.Exchanges.StayFacilities(guest); err != nil || len(ids) != 1 {
		t.Fatalf("the demo stay grants %v, %v; want the training ground", ids, err)
	}
	if _, err := a.Facilities.Facility(guest, "veiligheidscampus-zwartberg"); err != nil {
		t.Errorf("the guest does not see the granted facility: %v", err)
	}
}
