package projects_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// admin is the context of an alliance administrator with a read-write
// credential, as the service sees it.
func admin() context.Context {
	v := access.Viewer{UserID: "u-admin", AllianceAdmin: true, WriteAllowed: true}
	return access.WithScope(access.WithViewer(ctx, v), access.ScopeOf(v))
}

// twoDuplicates stores two organisations that are one, the second with
// a person, a membership, a capability, an account and a booking.
func twoDuplicates(t *testing.T, db *sqlstore.DB) (into, from directory.Organisation) {
	t.Helper()
	sys := access.AsSystem(ctx)
	svc := directory.NewService(db)
	c := &directory.Cluster{Slug: "censec", Name: "CenSec", Country: "DK", Themes: []string{}}
	must(t, svc.CreateCluster(sys, c))
	into = directory.Organisation{Slug: "acme", Name: "Acme Security", Kind: "company", Country: "DK", PIC: "999000001",
		Visibility: access.Public, Memberships: []directory.Membership{}}
	from = directory.Organisation{Slug: "acme-as", Name: "Acme Security A/S", Kind: "company", Country: "DK", PIC: "999000002",
		Visibility: access.Public, Capabilities: []string{"cybersecurity"},
		Memberships: []directory.Membership{{ClusterID: c.ID, Role: "member"}}}
	must(t, svc.CreateOrganisation(sys, &into))
	must(t, svc.CreateOrganisation(sys, &from))
	must(t, svc.CreatePerson(sys, &directory.Person{Name: "Ada Researcher", OrganisationID: from.ID, Listed: true}))
	now := time.Now().UTC()
	if _, err := db.SQL().ExecContext(ctx, `INSERT INTO users (id, email, organisation_id, password_hash, created_at, updated_at)
		VALUES ('u-from', 'ada@acme.example', $1, 'x', $2, $2)`, from.ID, now); err != nil {
		t.Fatal(err)
	}
	return into, from
}

// TestParallelMerges sends 20 identical merges at once through the
// service: exactly one succeeds, the others are conflicts, one merge is
// recorded, and undoing it restores exactly what was there before.
func TestParallelMerges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		into, from := twoDuplicates(t, db)
		before := dump(t, db)
		users := func(org string) int {
			return count(t, db, `SELECT COUNT(*) FROM users WHERE organisation_id = $1`, org)
		}
		svc := projects.NewService(db, db)
		const n = 20
		var wg sync.WaitGroup
		errs := make([]error, n)
		merges := make([]projects.Merge, n)
		start := make(chan struct{})
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				merges[i], errs[i] = svc.Merge(admin(), into.Slug, from.Slug)
			}()
		}
		close(start)
		wg.Wait()
		ok, conflicts := 0, 0
		var m projects.Merge
		for i, err := range errs {
			var ce *store.ConflictError
			switch {
			case err == nil:
				ok++
				m = merges[i]
			case errors.As(err, &ce) && ce.Code == projects.AlreadyMerged:
				conflicts++
			default:
				t.Errorf("merge %d: %v, want success or a conflict (%s)", i, err, projects.AlreadyMerged)
			}
		}
		if ok != 1 || conflicts != n-1 {
			t.Fatalf("%d merges succeeded and %d were conflicts, want 1 and %d", ok, conflicts, n-1)
		}
		if got := count(t, db, `SELECT COUNT(*) FROM organisation_merges`); got != 1 {
			t.Errorf("%d merge records, want 1", got)
		}
		if m.Moved.People != 1 || m.Moved.Memberships != 1 {
			t.Errorf("moved %+v, want 1 person and 1 membership", m.Moved)
		}
		if got := users(into.ID); got != 1 {
			t.Errorf("%d accounts moved to the organisation kept, want 1", got)
		}
		if _, err := svc.Merge(admin(), into.ID, from.ID); !errors.Is(err, store.ErrConflict) {
			t.Errorf("merging it again by id: %v, want a conflict", err)
		}

		// Undo, 5 at once: one undoes, the others are told it is undone.
		undoErrs := make([]error, 5)
		for i := range undoErrs {
			wg.Add(1)
			go func() { defer wg.Done(); _, undoErrs[i] = svc.Undo(admin(), m.ID) }()
		}
		wg.Wait()
		undone := 0
		for _, err := range undoErrs {
			var ce *store.ConflictError
			switch {
			case err == nil:
				undone++
			case errors.As(err, &ce) && ce.Code == projects.AlreadyUndone:
			default:
				t.Errorf("undo: %v", err)
			}
		}
		if undone != 1 {
			t.Errorf("%d undos succeeded, want 1", undone)
		}
		if after := dump(t, db); after != before {
			t.Errorf("after undo the data differs from before the merge: %s", diff(after, before))
		}
		if got := users(from.ID); got != 1 {
			t.Errorf("after undo %d accounts belong to the restored organisation, want 1", got)
		}
		// After the undo it can be merged again.
		if _, err := svc.Merge(admin(), into.Slug, from.Slug); err != nil {
			t.Errorf("merge after undo: %v", err)
		}
	})
}

// TestMergePermissions decides at the service, without HTTP, who may
// merge, mark distinct, undo and list candidates.
func TestMergePermissions(t *testing.T) {
	db := storetest.NewSQLite(t)
	into, from := twoDuplicates(t, db)
	svc := projects.NewService(db, db)
	viewers := map[string]access.Viewer{
		"anonymous":          {},
		"member":             {UserID: "u1", OrganisationID: into.ID, WriteAllowed: true},
		"organisation admin": {UserID: "u2", OrganisationID: into.ID, OrgAdmin: true, WriteAllowed: true},
		"cluster manager":    {UserID: "u3", ManagedClusters: []string{"censec"}, WriteAllowed: true},
		"admin, read token":  {UserID: "u4", AllianceAdmin: true},
	}
	for name, v := range viewers {
		vctx := access.WithScope(access.WithViewer(ctx, v), access.ScopeOf(v))
		if _, err := svc.Merge(vctx, into.Slug, from.Slug); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s merges: %v, want ErrForbidden", name, err)
		}
		if err := svc.MarkDistinct(vctx, into.Slug, from.Slug); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s marks distinct: %v, want ErrForbidden", name, err)
		}
		if _, err := svc.Undo(vctx, "any"); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s undoes: %v, want ErrForbidden", name, err)
		}
		if _, _, err := svc.Candidates(vctx, 10); (err == nil) != v.AllianceAdmin {
			t.Errorf("%s lists candidates: %v", name, err)
		}
		if _, err := svc.ImportFiles(vctx, nil, projects.Options{}); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("%s imports: %v, want ErrForbidden", name, err)
		}
	}
	if _, err := svc.Undo(admin(), "no-such-merge"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("undo of a merge that does not exist: %v, want ErrNotFound", err)
	}
	if _, err := svc.Merge(admin(), into.Slug, into.ID); err == nil {
		t.Errorf("merging an organisation into itself succeeded")
	}
	if _, err := svc.Merge(admin(), into.Slug, from.Slug); err != nil {
		t.Errorf("the alliance administrator merges: %v", err)
	}
}
