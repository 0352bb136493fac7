package directory_test

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// The directory's use cases decide who may do what without HTTP: each
// test builds a small alliance and acts as each kind of viewer.

// world is two clusters (c1, c2) with one organisation each (o1 in c1,
// o2 in c2), a person in o1, and the viewers around them.
type world struct {
	db      *sqlstore.DB
	svc     *directory.Service
	c1, c2  directory.Cluster
	o1, o2  directory.Organisation
	person  directory.Person
	viewers map[string]access.Viewer
}

func forEachEngine(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, newWorld(t, storetest.NewSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, newWorld(t, storetest.NewPostgres(t))) })
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func newWorld(t *testing.T, db *sqlstore.DB) *world {
	w := &world{db: db, svc: directory.NewService(db)}
	sys := access.AsSystem(context.Background())
	w.c1 = directory.Cluster{Slug: "c1", Name: "Cluster One", Country: "NL"}
	w.c2 = directory.Cluster{Slug: "c2", Name: "Cluster Two", Country: "DE"}
	must(t, w.svc.CreateCluster(sys, &w.c1))
	must(t, w.svc.CreateCluster(sys, &w.c2))
	w.o1 = directory.Organisation{Slug: "o1", Name: "Org One", Kind: "company", Country: "NL", Visibility: access.Cluster,
		Memberships: []directory.Membership{{ClusterID: w.c1.ID, Role: "member"}}}
	w.o2 = directory.Organisation{Slug: "o2", Name: "Org Two", Kind: "research", Country: "DE", Visibility: access.Public,
		Memberships: []directory.Membership{{ClusterID: w.c2.ID, Role: "member"}}}
	must(t, w.svc.CreateOrganisation(sys, &w.o1))
	must(t, w.svc.CreateOrganisation(sys, &w.o2))
	w.person = directory.Person{Name: "Ada", OrganisationID: w.o1.ID, Listed: true, Visibility: access.Cluster}
	must(t, w.svc.CreatePerson(sys, &w.person))
	w.viewers = map[string]access.Viewer{
		"anonymous":   {},
		"read-only":   {UserID: "u0", AllianceAdmin: true},
		"member o1":   {UserID: "u1", OrganisationID: w.o1.ID, Clusters: []string{w.c1.ID}, WriteAllowed: true},
		"admin o1":    {UserID: "u2", OrganisationID: w.o1.ID, Clusters: []string{w.c1.ID}, OrgAdmin: true, WriteAllowed: true},
		"admin o2":    {UserID: "u3", OrganisationID: w.o2.ID, Clusters: []string{w.c2.ID}, OrgAdmin: true, WriteAllowed: true},
		"manager c1":  {UserID: "u4", ManagedClusters: []string{w.c1.ID}, WriteAllowed: true},
		"manager c2":  {UserID: "u5", ManagedClusters: []string{w.c2.ID}, WriteAllowed: true},
		"alliance":    {UserID: "u6", AllianceAdmin: true, WriteAllowed: true},
		"person self": {UserID: "u7", PersonID: w.person.ID, OrganisationID: w.o1.ID, Clusters: []string{w.c1.ID}, WriteAllowed: true},
	}
	return w
}

func (w *world) as(name string) context.Context {
	v, ok := w.viewers[name]
	if !ok {
		panic("no viewer " + name)
	}
	return access.WithViewer(context.Background(), v)
}

// outcome names what an error means to a caller.
func outcome(err error) string {
	var ve validate.Errors
	var ce *store.ConflictError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, store.ErrNotFound):
		return "not found"
	case errors.Is(err, store.ErrForbidden):
		return "forbidden"
	case errors.Is(err, store.ErrStale):
		return "stale"
	case errors.As(err, &ce):
		return "conflict"
	case errors.As(err, &ve):
		return "invalid"
	}
	return "error: " + err.Error()
}

// TestOrganisationProfileEdits: who may change o1's profile (memberships
// unchanged). o1 is shared with its cluster: outside it, it does not
// exist.
func TestOrganisationProfileEdits(t *testing.T) {
	want := map[string]string{
		"anonymous": "not found", "read-only": "forbidden", "member o1": "forbidden", "admin o1": "ok",
		"admin o2": "not found", "manager c1": "ok", "manager c2": "not found", "alliance": "ok", "person self": "forbidden",
	}
	forEachEngine(t, func(t *testing.T, w *world) {
		for who, wantOutcome := range want {
			o := w.o1
			o.Description = "edited by " + who
			o.Version = 0
			if got := outcome(w.svc.UpdateOrganisation(w.as(who), &o)); got != wantOutcome {
				t.Errorf("%s updates o1: %s, want %s", who, got, wantOutcome)
			}
		}
	})
}

// TestMembershipHoles: changing memberships by editing the organisation is
// for the managers of the cluster concerned and the alliance administrator
// only; an organisation administrator asks instead.
func TestMembershipHoles(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		join := func(o directory.Organisation, c directory.Cluster) directory.Organisation {
			o.Memberships = append(append([]directory.Membership{}, o.Memberships...), directory.Membership{ClusterID: c.ID, Role: "member"})
			return o
		}
		cases := []struct {
			name, who string
			change    func() directory.Organisation
			want      string
		}{
			{"org admin adds own organisation to another cluster", "admin o1", func() directory.Organisation { return join(w.o1, w.c2) }, "forbidden"},
			{"org admin ends own membership", "admin o1", func() directory.Organisation { o := w.o1; o.Memberships = nil; return o }, "forbidden"},
			{"org admin changes own role", "admin o1", func() directory.Organisation {
				o := w.o1
				o.Memberships = []directory.Membership{{ClusterID: w.c1.ID, Role: "founder"}}
				return o
			}, "forbidden"},
			{"manager of c1 adds o1 to c2, which they do not manage", "manager c1", func() directory.Organisation { return join(w.o1, w.c2) }, "forbidden"},
			{"manager of c2 adds o2 to c1, which they do not manage", "manager c2", func() directory.Organisation { return join(w.o2, w.c1) }, "forbidden"},
			{"manager of c1 changes the role in c1", "manager c1", func() directory.Organisation {
				o := w.o1
				o.Memberships = []directory.Membership{{ClusterID: w.c1.ID, Role: "partner"}}
				return o
			}, "ok"},
			{"alliance administrator adds o2 to c1", "alliance", func() directory.Organisation { return join(w.o2, w.c1) }, "ok"},
		}
		for _, c := range cases {
			o := c.change()
			o.Version = 0
			if got := outcome(w.svc.UpdateOrganisation(w.as(c.who), &o)); got != c.want {
				t.Errorf("%s: %s, want %s", c.name, got, c.want)
			}
		}
		// A cluster manager adds an organisation only into clusters they manage.
		o := directory.Organisation{Slug: "o3", Name: "Org Three", Kind: "company", Country: "NL",
			Memberships: []directory.Membership{{ClusterID: w.c1.ID, Role: "member"}, {ClusterID: w.c2.ID, Role: "member"}}}
		if got := outcome(w.svc.CreateOrganisation(w.as("manager c1"), &o)); got != "forbidden" {
			t.Errorf("manager of c1 creates an organisation in c1 and c2: %s, want forbidden", got)
		}
	})
}

// TestDeleteOrganisation: only the alliance administrator deletes an
// organisation (docs/access.md says why).
func TestDeleteOrganisation(t *testing.T) {
	want := map[string]string{
		"anonymous": "not found", "read-only": "forbidden", "member o1": "forbidden", "admin o1": "forbidden",
		"admin o2": "not found", "manager c1": "forbidden", "manager c2": "not found", "person self": "forbidden",
	}
	forEachEngine(t, func(t *testing.T, w *world) {
		for who, wantOutcome := range want {
			if got := outcome(w.svc.DeleteOrganisation(w.as(who), w.o1.ID)); got != wantOutcome {
				t.Errorf("%s deletes o1: %s, want %s", who, got, wantOutcome)
			}
		}
		// o1 still has a person: even the administrator is refused until it
		// is gone, then the delete goes through.
		if got := outcome(w.svc.DeleteOrganisation(w.as("alliance"), w.o1.ID)); got != "conflict" {
			t.Errorf("alliance deletes o1 with a person: %s, want conflict", got)
		}
		must(t, w.svc.DeletePerson(w.as("admin o1"), w.person.ID))
		if got := outcome(w.svc.DeleteOrganisation(w.as("alliance"), w.o1.ID)); got != "ok" {
			t.Errorf("alliance deletes o1: %s, want ok", got)
		}
		if _, err := w.svc.GetOrganisation(access.AsSystem(context.Background()), w.o1.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("after delete: %v, want not found", err)
		}
	})
}

// TestClusterAndTaxonomyRights: clusters are the alliance administrator's
// to add and delete and their managers' to change; the taxonomy is the
// alliance administrator's.
func TestClusterAndTaxonomyRights(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		for _, who := range []string{"anonymous", "read-only", "member o1", "admin o1", "manager c1", "alliance"} {
			ctx := w.as(who)
			wantAdmin := map[bool]string{true: "ok", false: "forbidden"}[who == "alliance"]
			c := directory.Cluster{Slug: "new-" + map[bool]string{true: "x", false: "y"}[who == "alliance"], Name: "New", Country: "NL"}
			if got := outcome(w.svc.CreateCluster(ctx, &c)); got != wantAdmin {
				t.Errorf("%s creates a cluster: %s, want %s", who, got, wantAdmin)
			}
			edit := w.c1
			edit.Description, edit.Version = "by "+who, 0
			wantEdit := map[bool]string{true: "ok", false: "forbidden"}[who == "alliance" || who == "manager c1"]
			if got := outcome(w.svc.UpdateCluster(ctx, &edit)); got != wantEdit {
				t.Errorf("%s edits c1: %s, want %s", who, got, wantEdit)
			}
			node := directory.Capability{Code: "drones", Labels: map[string]string{"en": "D", "nl": "D", "fr": "D", "de": "D"}, Nature: "both"}
			if got := outcome(w.svc.UpdateCapability(ctx, "drones", &node)); got != wantAdmin {
				t.Errorf("%s edits a capability: %s, want %s", who, got, wantAdmin)
			}
			if got := outcome(w.svc.DeleteCluster(ctx, w.c2.ID)); got != map[bool]string{true: "conflict", false: "forbidden"}[who == "alliance"] {
				t.Errorf("%s deletes c2 (which has a member): %s", who, got)
			}
		}
	})
}

// TestPeopleRights: people are changed by themselves and by those who may
// change their organisation's records; widening needs the owner.
func TestPeopleRights(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		for who, want := range map[string]string{"member o1": "forbidden", "person self": "ok", "admin o1": "ok", "manager c1": "ok", "admin o2": "not found"} {
			p := w.person
			p.Title, p.Version = "by "+who, 0
			if got := outcome(w.svc.UpdatePerson(w.as(who), &p)); got != want {
				t.Errorf("%s edits the person: %s, want %s", who, got, want)
			}
		}
		// A cluster manager may narrow but not widen.
		p := w.person
		p.Visibility, p.Version = access.Public, 0
		if got := outcome(w.svc.UpdatePerson(w.as("manager c1"), &p)); got != "forbidden" {
			t.Errorf("manager widens a person: %s, want forbidden", got)
		}
		p.Visibility = access.Organisation
		if got := outcome(w.svc.UpdatePerson(w.as("manager c1"), &p)); got != "ok" {
			t.Errorf("manager narrows a person: %s, want ok", got)
		}
		// A person in an organisation the viewer cannot see: a bad reference.
		np := directory.Person{Name: "New", OrganisationID: w.o1.ID, Listed: true}
		var ve validate.Errors
		if err := w.svc.CreatePerson(w.as("admin o2"), &np); !errors.As(err, &ve) || ve[0].Field != "organisation_id" {
			t.Errorf("admin o2 adds a person to hidden o1: %v, want invalid organisation_id", err)
		}
	})
}

// TestStaleVersion: an update based on an older version is refused and
// changes nothing; one based on the current version moves it by one.
func TestStaleVersion(t *testing.T) {
	forEachEngine(t, func(t *testing.T, w *world) {
		ctx := w.as("alliance")
		cur, err := w.svc.GetOrganisation(ctx, w.o1.ID)
		must(t, err)
		if cur.Version != 1 {
			t.Fatalf("new organisation has version %d, want 1", cur.Version)
		}
		first := cur
		first.Description = "first"
		must(t, w.svc.UpdateOrganisation(ctx, &first))
		if first.Version != 2 {
			t.Errorf("after an update: version %d, want 2", first.Version)
		}
		second := cur // still version 1
		second.Description = "second"
		if got := outcome(w.svc.UpdateOrganisation(ctx, &second)); got != "stale" {
			t.Errorf("update based on version 1 after version 2: %s, want stale", got)
		}
		got, err := w.svc.GetOrganisation(ctx, w.o1.ID)
		must(t, err)
		if got.Description != "first" || got.Version != 2 {
			t.Errorf("after the stale update: %q v%d, want \"first\" v2", got.Description, got.Version)
		}
		for name, update := range map[string]func(int) error{
			"cluster": func(v int) error { c := w.c1; c.Version = v; return w.svc.UpdateCluster(ctx, &c) },
			"person":  func(v int) error { p := w.person; p.Version = v; return w.svc.UpdatePerson(ctx, &p) },
			"capability": func(v int) error {
				c, err := w.svc.GetCapability(ctx, "drones")
				must(t, err)
				c.Version = v
				return w.svc.UpdateCapability(ctx, "drones", &c)
			},
		} {
			if got := outcome(update(1)); got != "ok" {
				t.Errorf("%s at version 1: %s, want ok", name, got)
			}
			if got := outcome(update(1)); got != "stale" {
				t.Errorf("%s at version 1 again: %s, want stale", name, got)
			}
		}
	})
}
