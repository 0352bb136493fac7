package live_test

import (
	"io"
	"log/slog"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestViewAfterLateCommit: on PostgreSQL a transaction that changed an
// organisation takes a change-feed id, another takes the next and
// commits, the view is refreshed, and only then does the first commit.
// The next refresh must rebuild and rank the organisation on its new
// description.
func TestViewAfterLateCommit(t *testing.T) {
	db := loaded(t, storetest.NewPostgres(t))
	svc := live.New(db, live.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	defer svc.Close()
	if _, err := svc.View(sys); err != nil {
		t.Fatal(err)
	}
	org, err := db.GetOrganisation(sys, "tno")
	if err != nil {
		t.Fatal(err)
	}
	inA, release, doneA := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		doneA <- db.Transact(sys, func(tx *sqlstore.Tx) error {
			if _, err := tx.ExecContext(sys, `UPDATE organisations SET description = 'quantum gravimetry for tunnels' WHERE id = $1`, org.ID); err != nil {
				return err
			}
			if err := tx.Change(sys, "organisation", org.ID, "update"); err != nil {
				return err
			}
			close(inA)
			<-release
			return nil
		})
	}()
	select {
	case <-inA:
	case err := <-doneA:
		t.Fatalf("transaction A: %v", err)
	}
	// B takes a higher id and commits first; it is not an entity the
	// snapshot reads.
	p := &directory.Person{Name: "Late Tester", OrganisationID: org.ID, Visibility: "public"}
	if err := directory.NewService(db).CreatePerson(sys, p); err != nil {
		t.Fatal(err)
	}
	v, err := svc.Refresh(sys)
	if err != nil {
		t.Fatal(err)
	}
	if v.Mark.Awaiting() == 0 {
		t.Errorf("the view does not await the running transaction's id (mark %d)", v.Mark.Last)
	}
	close(release)
	if err := <-doneA; err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Refresh(sys); err != nil {
		t.Fatal(err)
	}
	res, err := svc.Partners(sys, live.PartnerRequest{Text: "quantum gravimetry tunnels"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.Partners, func(p live.Partner) bool { return p.Slug == "tno" }) {
		t.Errorf("after the late commit the view does not know TNO's new description")
	}
}
