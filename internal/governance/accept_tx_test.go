package governance_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// failingInviter invites through the accounts service until it is told
// to fail, then fails the way a database can.
type failingInviter struct {
	acc    *accounts.Service
	failAt string // the address whose invitation fails
}

var errInjected = errors.New("injected failure")

func (f *failingInviter) InviteManager(ctx context.Context, inviter accounts.User, email string, o directory.Organisation, clusterID string) (accounts.Invitation, error) {
	if email == f.failAt {
		return accounts.Invitation{}, errInjected
	}
	return f.acc.InviteManager(ctx, inviter, email, o, clusterID)
}

// TestAcceptIsAllOrNothing makes the acceptance fail at its last step,
// after the cluster, its organisation, the decision and the first
// manager's invitation were written: none of them is left, nobody was
// mailed, and a second acceptance succeeds.
func TestAcceptIsAllOrNothing(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.NewSQLite, "postgres": storetest.NewPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			smtp := mailtest.Start(t)
			m := mail.Deferred{Sender: mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}}
			dir := directory.NewService(db)
			acc := accounts.NewService(db, db, m, accounts.Config{BaseURL: "https://escnet.test", Text: text, Params: accounts.Params{Memory: 1024, Time: 1, Threads: 1}})
			inv := &failingInviter{acc: acc, failAt: "second@baltic-safety.test"}
			gov := governance.NewService(db, dir, inv, m, governance.Config{BaseURL: "https://escnet.test", Text: text})

			a := application()
			a.Managers = []string{"ruta@baltic-safety.test", "second@baltic-safety.test"}
			if _, err := gov.Submit(anon, &a); err != nil {
				t.Fatal(err)
			}
			smtp.Wait(t, 1)
			before, _ := gov.Get(admin, a.ID)
			if _, err := gov.Accept(admin, a.ID, before.Version); !errors.Is(err, errInjected) {
				t.Fatalf("accept with a failing invitation: %v, want the injected failure", err)
			}
			sys := access.AsSystem(anon)
			if c, err := db.GetCluster(sys, "baltic-safety-cluster"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("cluster left behind: %+v, %v", c, err)
			}
			if o, err := db.GetOrganisation(sys, "baltic-safety-cluster-office"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("organisation left behind: %+v, %v", o, err)
			}
			var n int
			if err := db.SQL().QueryRowContext(anon, `SELECT COUNT(*) FROM invitations`).Scan(&n); err != nil || n != 0 {
				t.Errorf("invitations left behind: %d, %v", n, err)
			}
			after, _ := gov.Get(admin, a.ID)
			if after.State != governance.StateSubmitted || after.Version != before.Version || len(after.Notes) != len(before.Notes) || after.ClusterID != "" {
				t.Errorf("application after the failure: state %s, version %d (was %d), %d notes (were %d), cluster %q",
					after.State, after.Version, before.Version, len(after.Notes), len(before.Notes), after.ClusterID)
			}
			time.Sleep(200 * time.Millisecond) // a mail sent too early would have arrived
			if got := len(smtp.Messages()); got != 1 {
				t.Errorf("%d messages after a failed acceptance, want only the submission's", got)
			}

			inv.failAt = ""
			got, err := gov.Accept(admin, a.ID, after.Version)
			if err != nil {
				t.Fatalf("accept again: %v", err)
			}
			if c, err := db.GetCluster(sys, got.ClusterID); err != nil || c.Slug != "baltic-safety-cluster" {
				t.Fatalf("cluster = %+v, %v", c, err)
			}
			smtp.Wait(t, 4) // two invitations and the applicant's notice
			links := regexp.MustCompile(`/invitations/([A-Za-z0-9_-]+)`)
			var valid int
			for _, msg := range smtp.Messages() {
				if s := links.FindStringSubmatch(msg.Data); s != nil {
					if _, err := acc.Invitation(anon, s[1]); err != nil {
						t.Errorf("mailed invitation does not work: %v", err)
					}
					valid++
				}
			}
			if valid != 2 {
				t.Errorf("%d invitations mailed, want 2", valid)
			}
		})
	}
}
