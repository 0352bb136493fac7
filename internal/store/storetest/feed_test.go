package storetest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/feed"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// TestMemberCountsAfterLateCommit reproduces a late commit on
// PostgreSQL: transaction A adds a membership and takes a change-feed id,
// transaction B takes the next id and commits, the member counts are read
// and cached, and only then does A commit. The next read must count A's
// member although the newest id of the feed did not move.
func TestMemberCountsAfterLateCommit(t *testing.T) {
	db := NewPostgres(t)
	ctx := access.AsSystem(context.Background())
	s := svc(db)
	c := cluster("hsd", "HSD", "NL")
	must(t, s.CreateCluster(ctx, c))
	must(t, s.CreateOrganisation(ctx, org("a", "A", "NL", "company", c.ID)))
	b := org("b", "B", "NL", "company")
	must(t, s.CreateOrganisation(ctx, b))
	members := func() int {
		t.Helper()
		got, err := db.GetCluster(ctx, c.ID)
		must(t, err)
		return got.MemberCount
	}
	if n := members(); n != 1 {
		t.Fatalf("members before = %d, want 1", n)
	}

	inA, release, doneA := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		doneA <- db.Transact(ctx, func(tx *sqlstore.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, 'member', '')`, c.ID, b.ID); err != nil {
				return err
			}
			if err := tx.Change(ctx, "membership", b.ID, "create"); err != nil {
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
	// B takes a higher id and commits first.
	must(t, s.CreateOrganisation(ctx, org("c", "C", "NL", "company")))
	if n := members(); n != 1 {
		t.Fatalf("members while A runs = %d, want 1", n)
	}
	close(release)
	must(t, <-doneA)
	if n := members(); n != 2 {
		t.Errorf("members after A's late commit = %d, want 2 (stale count served)", n)
	}
}

// TestFeedOnEngines follows the feed of a real database: the named
// entities only, a wake-up from a commit in this process, and Next ending
// when the database closes.
func TestFeedOnEngines(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": NewSQLite, "postgres": NewPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := access.AsSystem(context.Background())
			s := svc(db)
			f := db.Feed()
			pos, err := f.Position(ctx)
			must(t, err)
			fl := f.Follow(pos, "organisation")
			got := make(chan feed.Batch, 1)
			go func() {
				b, err := fl.Next(ctx)
				if err != nil {
					t.Error(err)
				}
				got <- b
			}()
			must(t, s.CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
			o := org("a", "A", "NL", "company")
			must(t, s.CreateOrganisation(ctx, o))
			select {
			case b := <-got:
				if len(b.Changes) != 1 || b.Changes[0].EntityID != o.ID || b.Changes[0].Op != "create" {
					t.Errorf("Next = %+v, want the organisation's create", b.Changes)
				}
			case <-time.After(time.Second):
				// Well below the polling interval: the commit woke it.
				t.Fatal("a commit in this process did not wake the follower")
			}
			ended := make(chan error, 1)
			go func() { _, err := fl.Next(ctx); ended <- err }()
			time.Sleep(20 * time.Millisecond)
			db.Close()
			select {
			case err := <-ended:
				if !errors.Is(err, feed.ErrClosed) {
					t.Errorf("Next after Close = %v, want feed.ErrClosed", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("closing the database did not end Next")
			}
		})
	}
}

// TestNotifyWakesAnotherNode: two nodes on one PostgreSQL schema; a write
// on the first wakes a follower on the second through LISTEN/NOTIFY,
// well before the polling interval.
func TestNotifyWakesAnotherNode(t *testing.T) {
	node1 := NewPostgres(t)
	ctx := access.AsSystem(context.Background())
	var schema string
	must(t, node1.SQL().QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema))
	base := PostgresDSN(t)
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	node2, err := engine.Open(ctx, base+sep+"search_path="+schema)
	must(t, err)
	defer node2.Close()
	if poll := node2.Feed().Options().Poll; poll < 2*time.Second {
		t.Fatalf("the polling interval %v is too short for this test", poll)
	}
	pos, err := node2.Feed().Position(ctx)
	must(t, err)
	fl := node2.Feed().Follow(pos, "cluster")
	got := make(chan time.Duration, 1)
	// The first Wait starts the listener, which wakes once on connecting;
	// Next polls then and waits again.
	go func() {
		_, err := fl.Next(ctx)
		if err != nil {
			t.Error(err)
		}
		got <- 0
	}()
	time.Sleep(500 * time.Millisecond) // the listener connects
	start := time.Now()
	must(t, svc(node1).CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
	select {
	case <-got:
		if took := time.Since(start); took > time.Second {
			t.Errorf("the other node saw the write after %v", took)
		}
	case <-time.After(time.Second):
		t.Fatal("a write on one node did not wake the other within a second (polling is 2 s)")
	}
}
