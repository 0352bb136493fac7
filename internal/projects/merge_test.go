package projects_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/validate"
)

func candidates(t *testing.T, db *sqlstore.DB) []projects.MergeCandidate {
	t.Helper()
	keys, err := db.OrganisationKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	distinct, err := db.DistinctPairs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return projects.FindCandidates(keys, distinct)
}

func hasPair(cs []projects.MergeCandidate, a, b string) bool {
	return slices.ContainsFunc(cs, func(c projects.MergeCandidate) bool {
		return c.A.PIC == a && c.B.PIC == b || c.A.PIC == b && c.B.PIC == a
	})
}

// TestMergeAndUndo merges two duplicates of the real data, with people,
// memberships and capabilities on both sides, checks what moved, that a
// re-import keeps the merge, and that undo restores the database exactly.
func TestMergeAndUndo(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		if _, err := projects.Import(ctx, db, realSources(t, true), projects.Options{}); err != nil {
			t.Fatal(err)
		}
		// Linköping University appears under two PICs with one VAT number.
		const keep, dup = "999852236", "888897696"
		cs := candidates(t, db)
		if len(cs) != 19 || !hasPair(cs, keep, dup) {
			t.Fatalf("%d candidates, want 19 including Linköping's two PICs", len(cs))
		}
		into := orgByPIC(t, db, keep)
		from := orgByPIC(t, db, dup)

		// Directory data on both sides: a shared cluster, a person, a
		// capability.
		svc := directory.NewService(db)
		c := &directory.Cluster{Slug: "censec", Name: "CenSec", Country: "SE", Themes: []string{}}
		c2 := &directory.Cluster{Slug: "tampere", Name: "Tampere", Country: "FI", Themes: []string{}}
		must(t, svc.CreateCluster(access.AsSystem(ctx), c))
		must(t, svc.CreateCluster(access.AsSystem(ctx), c2))
		from.Memberships = []directory.Membership{{ClusterID: c.ID, Role: "member"}, {ClusterID: c2.ID, Role: "partner"}}
		from.Capabilities = []string{"cybersecurity"}
		must(t, svc.UpdateOrganisation(access.AsSystem(ctx), &from))
		into.Memberships = []directory.Membership{{ClusterID: c.ID, Role: "founder"}}
		must(t, svc.UpdateOrganisation(access.AsSystem(ctx), &into))
		p := &directory.Person{Name: "Ada Researcher", OrganisationID: from.ID, Listed: true}
		must(t, svc.CreatePerson(access.AsSystem(ctx), p))
		if _, err := db.SQL().ExecContext(ctx, `INSERT INTO invitations (id, hash, email, organisation_id, org_admin, invited_by, created_at, expires_at)
			VALUES ('inv-1', 'h1', 'new@liu.example', $1, $2, 'admin', $3, $3)`, from.ID, false, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}

		before := dump(t, db)
		trInto, _ := db.TrackRecord(ctx, into.ID)
		trFrom, _ := db.TrackRecord(ctx, from.ID)

		m, err := db.MergeOrganisations(ctx, into.Slug, from.ID)
		if err != nil {
			t.Fatal(err)
		}
		if m.Into.ID != into.ID || m.From.ID != from.ID || m.Moved.Participations != trFrom.Projects || m.Moved.People != 1 ||
			m.Moved.Memberships != 1 || m.Moved.Identifiers != 2 || m.Actor != "cli" {
			t.Errorf("merge = %+v", m)
		}
		if _, err := db.GetOrganisation(ctx, from.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("merged organisation still there: %v", err)
		}
		tr, err := db.TrackRecord(ctx, into.ID)
		if err != nil || tr.Projects != trInto.Projects+trFrom.Projects {
			t.Errorf("track record after merge: %d projects, want %d + %d (%v)", tr.Projects, trInto.Projects, trFrom.Projects, err)
		}
		got, _ := db.GetOrganisation(ctx, into.ID)
		if len(got.Memberships) != 2 || got.Memberships[0].Role != "founder" || !slices.Contains(got.Capabilities, "cybersecurity") {
			t.Errorf("kept organisation after merge: memberships %+v, capabilities %v", got.Memberships, got.Capabilities)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM people WHERE id = $1 AND organisation_id = $2`, p.ID, into.ID); n != 1 {
			t.Errorf("the person did not move to the kept organisation")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM invitations WHERE organisation_id = $1`, into.ID); n != 1 {
			t.Errorf("the open invitation did not move to the kept organisation")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM organisation_identifiers WHERE organisation_id = $1 AND scheme = 'pic' AND value = $2`, into.ID, dup); n != 1 {
			t.Errorf("the merged organisation's PIC is not kept as an identifier")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log WHERE action = 'organisation_merge.create' AND actor_label = 'cli'`); n != 1 {
			t.Errorf("%d audit entries for the merge, want 1", n)
		}
		if cs := candidates(t, db); hasPair(cs, keep, dup) || len(cs) != 18 {
			t.Errorf("%d candidates after the merge, want 18 without the merged pair", len(cs))
		}

		// A re-import of the same files keeps the merge and changes nothing.
		merged := dump(t, db)
		sum, err := projects.Import(ctx, db, realSources(t, true), projects.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Organisations.Changed()+sum.Participations.Changed()+sum.Linked != 0 {
			t.Errorf("re-import after a merge changed something: %+v", sum)
		}
		if after := dump(t, db); after != merged {
			t.Errorf("re-import after a merge changed the data: %s", diff(after, merged))
		}

		// Undo restores everything as it was.
		if _, err := db.UndoMerge(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
		if after := dump(t, db); after != before {
			t.Errorf("after undo the data differs from before the merge: %s", diff(after, before))
		}
		restored, err := db.GetOrganisation(ctx, from.ID)
		if err != nil || !restored.CreatedAt.Equal(from.CreatedAt) || restored.Slug != from.Slug {
			t.Errorf("restored organisation = %+v, %v", restored, err)
		}
		var ce *store.ConflictError
		if _, err := db.UndoMerge(ctx, m.ID); !errors.As(err, &ce) || ce.Field != "id" {
			t.Errorf("second undo: err = %v, want a conflict on id", err)
		}
		ms, err := db.ListMerges(ctx, 10)
		if err != nil || len(ms) != 1 || ms[0].UndoneAt == nil || ms[0].From.PIC != dup {
			t.Errorf("merges = %+v, %v; want the one merge, undone", ms, err)
		}

		// Marked distinct, the pair is no longer a candidate.
		must(t, db.MarkDistinct(ctx, into.ID, from.Slug))
		must(t, db.MarkDistinct(ctx, from.ID, into.ID)) // twice: no change
		if cs := candidates(t, db); hasPair(cs, keep, dup) || len(cs) != 18 {
			t.Errorf("%d candidates after marking the pair distinct, want 18", len(cs))
		}
		if n := count(t, db, `SELECT COUNT(*) FROM changes WHERE entity = 'organisation_distinct'`); n != 1 {
			t.Errorf("%d change entries for marking distinct, want 1", n)
		}
	})
}

func TestMergeRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		svc := directory.NewService(db)
		a := &directory.Organisation{Slug: "a", Name: "A", Kind: "company", Country: "NL"}
		must(t, svc.CreateOrganisation(access.AsSystem(ctx), a))
		latest, _ := db.LatestChange(ctx)
		tests := []struct {
			into, from, field string
		}{
			{"a", "a", "from"},
			{"a", "nope", "from"},
			{"nope", "a", "into"},
		}
		for _, tt := range tests {
			_, err := db.MergeOrganisations(ctx, tt.into, tt.from)
			var ve validate.Errors
			if !errors.As(err, &ve) || ve[0].Field != tt.field {
				t.Errorf("merge %s into %s: err = %v, want an error on %s", tt.from, tt.into, err, tt.field)
			}
		}
		if _, err := db.UndoMerge(ctx, "00000000-0000-0000-0000-000000000000"); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("undo of an unknown merge: err = %v, want not found", err)
		}
		if l, _ := db.LatestChange(ctx); l != latest {
			t.Errorf("refused merges wrote to the change feed")
		}
	})
}

func orgByPIC(t *testing.T, db *sqlstore.DB, pic string) directory.Organisation {
	t.Helper()
	var id string
	if err := db.SQL().QueryRowContext(ctx, `SELECT id FROM organisations WHERE pic = $1`, pic).Scan(&id); err != nil {
		t.Fatalf("organisation with PIC %s: %v", pic, err)
	}
	o, err := db.GetOrganisation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
