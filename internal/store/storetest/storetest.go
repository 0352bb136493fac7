// Package storetest is the behavioural suite that every storage engine must
// pass: the same calls, the same results, the same errors.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// PostgresDSN returns the DSN of the test PostgreSQL from
// ESCNET_TEST_POSTGRES, skipping the test when it is unset. When it is set
// and the server does not answer, the test fails: CI sets it on purpose.
func PostgresDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("ESCNET_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("ESCNET_TEST_POSTGRES not set; skipping PostgreSQL run")
	}
	return dsn
}

// NewPostgres returns a migrated database in a fresh schema of the test
// PostgreSQL, dropped when the test ends.
func NewPostgres(t testing.TB) *sqlstore.DB {
	t.Helper()
	base := PostgresDSN(t)
	ctx := context.Background()
	admin, err := engine.Open(ctx, base)
	if err != nil {
		t.Fatalf("ESCNET_TEST_POSTGRES is set but PostgreSQL does not answer: %v", err)
	}
	schema := fmt.Sprintf("t_%s_%d", strings.ToLower(sanitize(t.Name())), os.Getpid())
	if len(schema) > 60 {
		schema = schema[len(schema)-60:]
		schema = "t" + schema[1:]
	}
	if _, err := admin.SQL().ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.SQL().ExecContext(ctx, `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	db, v, err := engine.OpenAndMigrate(ctx, base+sep+"search_path="+schema)
	if err != nil {
		t.Fatalf("migrate: %v", err)
	}
	if v < 1 {
		t.Fatalf("schema version %d after migrate", v)
	}
	t.Cleanup(func() {
		db.Close()
		admin.SQL().ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`)
		admin.Close()
	})
	return db
}

// NewSQLite returns a migrated SQLite database in a temporary file.
func NewSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, _, err := engine.OpenAndMigrate(context.Background(), "sqlite:"+t.TempDir()+"/escnet.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// Run runs the suite; newDB returns a fresh, migrated, empty database.
func Run(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"Taxonomy", testTaxonomy},
		{"MigrateTwice", testMigrateTwice},
		{"ClusterCRUD", testClusterCRUD},
		{"OrganisationCRUD", testOrganisationCRUD},
		{"Uniqueness", testUniqueness},
		{"Pagination", testPagination},
		{"Filters", testFilters},
		{"DeleteRules", testDeleteRules},
		{"People", testPeople},
		{"ChangeFeed", testChangeFeed},
		{"ConcurrentWrites", testConcurrentWrites},
		{"CapabilityRules", testCapabilityRules},
		{"AuditLog", testAuditLog},
		{"ScopeMatchesPolicy", testScopeMatchesPolicy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newDB(t)) })
	}
}

// ctx sees everything, as the application itself does; the access tests
// use narrower scopes on purpose.
var ctx = access.AsSystem(context.Background())

// memberCtx is a signed-in member of no particular organisation.
var memberCtx = access.WithScope(context.Background(), access.Scope{MinReach: 2})

func svc(db *sqlstore.DB) *directory.Service { return directory.NewService(db) }

func cluster(slug, name, country string) *directory.Cluster {
	return &directory.Cluster{Slug: slug, Name: name, Country: country, Themes: []string{"cybersecurity"}}
}

func org(slug, name, country, kind string, clusters ...string) *directory.Organisation {
	o := &directory.Organisation{Slug: slug, Name: name, Country: country, Kind: kind}
	for _, c := range clusters {
		o.Memberships = append(o.Memberships, directory.Membership{ClusterID: c, Role: "member"})
	}
	return o
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func testTaxonomy(t *testing.T, db *sqlstore.DB) {
	caps, err := db.ListCapabilities(ctx)
	must(t, err)
	want, _ := directory.Taxonomy()
	if len(caps) != len(want) {
		t.Fatalf("got %d capabilities, want %d", len(caps), len(want))
	}
	for i := range caps {
		if caps[i].Code != want[i].Code || caps[i].Labels["de"] != want[i].Labels["de"] || caps[i].Parent != want[i].Parent {
			t.Errorf("capability %d = %+v, want %+v", i, caps[i], want[i])
		}
	}
}

func testMigrateTwice(t *testing.T, db *sqlstore.DB) {
	before, err := db.SchemaVersion(ctx)
	must(t, err)
	after, err := engine.Migrate(ctx, db)
	must(t, err)
	if before != after || after < 1 {
		t.Errorf("schema version before %d, after second migrate %d", before, after)
	}
	caps, _ := db.ListCapabilities(ctx)
	want, _ := directory.Taxonomy()
	if len(caps) != len(want) {
		t.Errorf("second migrate changed the taxonomy: %d nodes, want %d", len(caps), len(want))
	}
}

func testClusterCRUD(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	c := cluster("hsd", "The Hague Security Delta", "nl")
	c.Region, c.Joined = "NL33", "2013-01-15"
	c.Commitment = directory.Commitment{Signed: true, SignedOn: "2016-06-02"}
	must(t, s.CreateCluster(ctx, c))
	if c.ID == "" || c.Country != "NL" {
		t.Fatalf("after create: id %q country %q", c.ID, c.Country)
	}
	for _, key := range []string{c.ID, "hsd"} {
		got, err := db.GetCluster(ctx, key)
		must(t, err)
		if got.Name != c.Name || got.Region != "NL33" || !got.Commitment.Signed || got.Commitment.SignedOn != "2016-06-02" ||
			len(got.Themes) != 1 || got.Themes[0] != "cybersecurity" || !got.CreatedAt.Equal(c.CreatedAt) {
			t.Errorf("GetCluster(%q) = %+v, want %+v", key, got, c)
		}
	}
	c.Name = "HSD"
	c.Themes = []string{"drones", "cbrne"}
	must(t, s.UpdateCluster(ctx, c))
	got, _ := db.GetCluster(ctx, "hsd")
	if got.Name != "HSD" || strings.Join(got.Themes, ",") != "drones,cbrne" {
		t.Errorf("after update: %+v", got)
	}
	must(t, db.DeleteCluster(ctx, c.ID))
	if _, err := db.GetCluster(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("GetCluster after delete: err = %v, want ErrNotFound", err)
	}
	if err := db.DeleteCluster(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	missing := cluster("nope", "Nope", "NL")
	missing.ID = "00000000-0000-0000-0000-000000000000"
	if err := s.UpdateCluster(ctx, missing); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update missing: err = %v, want ErrNotFound", err)
	}
}

func testOrganisationCRUD(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	must(t, s.CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
	must(t, s.CreateCluster(ctx, cluster("censec", "CenSec", "DK")))
	o := org("tno", "TNO", "NL", directory.KindResearch, "hsd", "censec")
	o.PIC, o.VAT = "999988133", "nl 8001 7465 6B01"
	o.PractitionerRoles = []string{}
	o.Capabilities = []string{"cybersecurity", "cbrne.detection"}
	must(t, s.CreateOrganisation(ctx, o))
	got, err := db.GetOrganisation(ctx, "tno")
	must(t, err)
	if got.PIC != "999988133" || got.VAT != "NL80017465​6B01" && got.VAT != "NL800174656B01" {
		t.Errorf("identifiers: pic %q vat %q", got.PIC, got.VAT)
	}
	if len(got.Memberships) != 2 || got.Memberships[0].ClusterSlug != "censec" || got.Memberships[1].ClusterName != "HSD" {
		t.Errorf("memberships = %+v", got.Memberships)
	}
	if strings.Join(got.Capabilities, ",") != "cybersecurity,cbrne.detection" {
		t.Errorf("capabilities = %v", got.Capabilities)
	}
	c, _ := db.GetCluster(ctx, "hsd")
	if c.MemberCount != 1 {
		t.Errorf("hsd member count = %d, want 1", c.MemberCount)
	}
	got.Memberships = got.Memberships[:1]
	got.PIC = ""
	must(t, s.UpdateOrganisation(ctx, &got))
	again, _ := db.GetOrganisation(ctx, got.ID)
	if len(again.Memberships) != 1 || again.PIC != "" {
		t.Errorf("after update: memberships %+v pic %q", again.Memberships, again.PIC)
	}
}

func testUniqueness(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	must(t, s.CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
	var ce *store.ConflictError
	if err := s.CreateCluster(ctx, cluster("hsd", "Other", "NL")); !errors.As(err, &ce) || ce.Field != "slug" {
		t.Errorf("duplicate cluster slug: err = %v, want conflict on slug", err)
	}
	a := org("a", "A", "NL", "company")
	a.PIC, a.VAT = "123456789", "NL123456789B01"
	must(t, s.CreateOrganisation(ctx, a))
	tests := []struct {
		name  string
		o     *directory.Organisation
		field string
	}{
		{"pic", &directory.Organisation{Slug: "b", Name: "B", Country: "NL", Kind: "company", PIC: "123456789"}, "pic"},
		{"vat", &directory.Organisation{Slug: "c", Name: "C", Country: "NL", Kind: "company", VAT: "nl123456789b01"}, "vat"},
		{"slug", &directory.Organisation{Slug: "a", Name: "D", Country: "NL", Kind: "company"}, "slug"},
	}
	for _, tt := range tests {
		err := s.CreateOrganisation(ctx, tt.o)
		if !errors.As(err, &ce) || ce.Field != tt.field || !errors.Is(err, store.ErrConflict) {
			t.Errorf("%s: err = %v, want conflict on %s", tt.name, err, tt.field)
		}
	}
	p, err := db.ListOrganisations(ctx, directory.Filter{})
	must(t, err)
	if p.Total != 1 {
		t.Errorf("after refused writes: %d organisations, want 1", p.Total)
	}
	// Two organisations without a PIC do not collide.
	must(t, s.CreateOrganisation(ctx, org("e", "E", "NL", "company")))
	must(t, s.CreateOrganisation(ctx, org("f", "F", "NL", "company")))
}

func testPagination(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	names := []string{"Zeta", "alpha", "Émile", "Beta", "beta", "Gamma", "delta", "Epsilon", "eta"}
	for i, n := range names {
		must(t, s.CreateOrganisation(ctx, org(fmt.Sprintf("o%d", i), n, "NL", "company")))
	}
	var seen []string
	cursor := ""
	for range 10 {
		p, err := db.ListOrganisations(ctx, directory.Filter{Limit: 2, Cursor: cursor})
		must(t, err)
		if p.Total != len(names) {
			t.Fatalf("total = %d, want %d", p.Total, len(names))
		}
		for _, o := range p.Items {
			seen = append(seen, o.Name)
		}
		if p.Next == "" {
			break
		}
		cursor = p.Next
	}
	want := "alpha,Beta,beta,delta,Émile,Epsilon,eta,Gamma,Zeta"
	if got := strings.Join(seen, ","); got != want && got != "alpha,beta,Beta,delta,Émile,Epsilon,eta,Gamma,Zeta" {
		t.Errorf("pages = %s, want %s", got, want)
	}
	if _, err := db.ListOrganisations(ctx, directory.Filter{Cursor: "not-a-cursor"}); err == nil {
		t.Error("bad cursor accepted")
	}
}

func testFilters(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	must(t, s.CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
	must(t, s.CreateCluster(ctx, cluster("safe", "SAFE Cluster", "FR")))
	a := org("brandweer", "Brandweer Twente", "NL", directory.KindPublicBody, "hsd")
	a.PractitionerRoles = []string{"first_responder"}
	a.Capabilities = []string{"first-responders.firefighting"}
	a.Description = "Fire and rescue service; 100% focus"
	b := org("pole", "Pôle Risques", "FR", directory.KindOther, "safe")
	b.Capabilities = []string{"crisis-management.natural-hazards"}
	c := org("acme", "Acme Drones", "NL", directory.KindCompany, "hsd", "safe")
	c.SME = true
	c.Capabilities = []string{"drones.counter-drone"}
	for _, o := range []*directory.Organisation{a, b, c} {
		must(t, s.CreateOrganisation(ctx, o))
	}
	tests := []struct {
		f    directory.Filter
		want string
	}{
		{directory.Filter{Country: "NL"}, "Acme Drones,Brandweer Twente"},
		{directory.Filter{Kind: "public_body"}, "Brandweer Twente"},
		{directory.Filter{Cluster: "safe"}, "Acme Drones,Pôle Risques"},
		{directory.Filter{Capability: "drones"}, "Acme Drones"},
		{directory.Filter{Capability: "first-responders"}, "Brandweer Twente"},
		{directory.Filter{Capability: "first"}, ""},
		{directory.Filter{Role: "first_responder"}, "Brandweer Twente"},
		{directory.Filter{Query: "pole"}, "Pôle Risques"},
		{directory.Filter{Query: "RISQUES pôle"}, "Pôle Risques"},
		{directory.Filter{Query: "100%"}, "Brandweer Twente"},
		// Wildcards are not words: they neither match everything nor fail.
		{directory.Filter{Query: "%"}, "Acme Drones,Brandweer Twente,Pôle Risques"},
		{directory.Filter{Query: "zzz"}, ""},
		{directory.Filter{Query: "drones", Country: "FR"}, ""},
	}
	for _, tt := range tests {
		p, err := db.ListOrganisations(ctx, tt.f)
		must(t, err)
		var got []string
		for _, o := range p.Items {
			got = append(got, o.Name)
		}
		if strings.Join(got, ",") != tt.want || p.Total != len(got) {
			t.Errorf("ListOrganisations(%+v) = %v (total %d), want %q", tt.f, got, p.Total, tt.want)
		}
	}
	facets, err := db.OrganisationFacets(ctx, directory.Filter{})
	must(t, err)
	str := func(fs []directory.Facet) string {
		var parts []string
		for _, f := range fs {
			parts = append(parts, fmt.Sprintf("%s=%d", f.Value, f.Count))
		}
		return strings.Join(parts, ",")
	}
	for name, got := range map[string]string{"country": str(facets.Country), "kind": str(facets.Kind), "cluster": str(facets.Cluster), "capability": str(facets.Capability)} {
		want := map[string]string{
			"country":    "NL=2,FR=1",
			"kind":       "company=1,other=1,public_body=1",
			"cluster":    "hsd=2,safe=2",
			"capability": "crisis-management=1,drones=1,first-responders=1",
		}[name]
		if got != want {
			t.Errorf("facet %s = %s, want %s", name, got, want)
		}
	}
	narrowed, err := db.OrganisationFacets(ctx, directory.Filter{Country: "NL"})
	must(t, err)
	if got := str(narrowed.Cluster); got != "hsd=2,safe=1" {
		t.Errorf("cluster facet in NL = %s, want hsd=2,safe=1", got)
	}
	countries, err := db.OrganisationCountries(ctx, directory.Filter{Capability: "drones"})
	must(t, err)
	if got := str(countries); got != "NL=1" {
		t.Errorf("countries with drones = %s, want NL=1", got)
	}
	cp, err := db.ListClusters(ctx, directory.Filter{Country: "FR"})
	must(t, err)
	if len(cp.Items) != 1 || cp.Items[0].Slug != "safe" || cp.Items[0].MemberCount != 2 {
		t.Errorf("clusters in FR = %+v", cp.Items)
	}
}

func testDeleteRules(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	must(t, s.CreateCluster(ctx, cluster("hsd", "HSD", "NL")))
	o := org("tno", "TNO", "NL", "research", "hsd")
	must(t, s.CreateOrganisation(ctx, o))
	c, _ := db.GetCluster(ctx, "hsd")
	var ce *store.ConflictError
	if err := db.DeleteCluster(ctx, c.ID); !errors.As(err, &ce) || ce.Field != "memberships" {
		t.Errorf("delete cluster with members: err = %v, want conflict on memberships", err)
	}
	if _, err := db.GetCluster(ctx, c.ID); err != nil {
		t.Errorf("cluster gone after refused delete: %v", err)
	}
	p := &directory.Person{Name: "Jan Voorbeeld", OrganisationID: "tno", Listed: true}
	must(t, s.CreatePerson(ctx, p))
	if err := db.DeleteOrganisation(ctx, o.ID); !errors.As(err, &ce) || ce.Field != "people" {
		t.Errorf("delete organisation with people: err = %v, want conflict on people", err)
	}
	must(t, db.DeletePerson(ctx, p.ID))
	must(t, db.DeleteOrganisation(ctx, o.ID))
	must(t, db.DeleteCluster(ctx, c.ID))
}

func testPeople(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	must(t, s.CreateOrganisation(ctx, org("tno", "TNO", "NL", "research")))
	listed := &directory.Person{Name: "Jan Voorbeeld", Email: "Jan@Example.org", OrganisationID: "tno", Listed: true,
		Languages: []string{"nl", "en"}, Expertise: []string{"forensics"}}
	hidden := &directory.Person{Name: "Anna Verborgen", OrganisationID: "tno", Listed: false}
	must(t, s.CreatePerson(ctx, listed))
	must(t, s.CreatePerson(ctx, hidden))
	p, err := db.ListPeople(memberCtx, directory.Filter{})
	must(t, err)
	if p.Total != 1 || p.Items[0].Name != "Jan Voorbeeld" || p.Items[0].Email != "jan@example.org" ||
		strings.Join(p.Items[0].Languages, ",") != "nl,en" || p.Items[0].OrganisationSlug != "tno" {
		t.Errorf("listed people = %+v", p.Items)
	}
	all, err := db.ListPeople(ctx, directory.Filter{})
	must(t, err)
	if all.Total != 2 {
		t.Errorf("with unlisted: total %d, want 2", all.Total)
	}
	if err := s.CreatePerson(ctx, &directory.Person{Name: "X", OrganisationID: "missing"}); err == nil {
		t.Error("person with missing organisation accepted")
	}
}

func testChangeFeed(t *testing.T, db *sqlstore.DB) {
	before, err := db.LatestChange(ctx)
	must(t, err)
	s := svc(db)
	c := cluster("hsd", "HSD", "NL")
	must(t, s.CreateCluster(ctx, c))
	must(t, s.UpdateCluster(ctx, c))
	must(t, db.DeleteCluster(ctx, c.ID))
	changes, err := db.ChangesSince(ctx, before, 10)
	must(t, err)
	var ops []string
	for i, ch := range changes {
		if ch.EntityID != c.ID || ch.Entity != "cluster" || (i > 0 && ch.ID <= changes[i-1].ID) {
			t.Errorf("change %d = %+v", i, ch)
		}
		ops = append(ops, ch.Op)
	}
	if strings.Join(ops, ",") != "create,update,delete" {
		t.Errorf("ops = %v", ops)
	}
	// A refused write leaves no trace in the feed.
	must(t, s.CreateCluster(ctx, cluster("a", "A", "NL")))
	last, _ := db.LatestChange(ctx)
	s.CreateCluster(ctx, cluster("a", "A again", "NL"))
	if again, _ := db.LatestChange(ctx); again != last {
		t.Errorf("refused write appended to the feed: %d → %d", last, again)
	}
}

func testConcurrentWrites(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	const n = 40
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			// Half of them race for the same slug: exactly one may win.
			slug := fmt.Sprintf("org-%d", i)
			if i%2 == 0 {
				slug = "contested"
			}
			errs <- s.CreateOrganisation(ctx, org(slug, "Org "+slug, "NL", "company"))
		})
	}
	wg.Wait()
	close(errs)
	var ok, conflicts int
	for err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, store.ErrConflict):
			conflicts++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != n/2+1 || conflicts != n/2-1 {
		t.Errorf("%d created, %d conflicts; want %d and %d", ok, conflicts, n/2+1, n/2-1)
	}
	p, _ := db.ListOrganisations(ctx, directory.Filter{})
	if p.Total != n/2+1 {
		t.Errorf("%d organisations stored, want %d", p.Total, n/2+1)
	}
}

func testCapabilityRules(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	node := &directory.Capability{Code: "drones.swarms", Parent: "drones", Nature: "both",
		Labels: map[string]string{"en": "Swarms", "nl": "Zwermen", "fr": "Essaims", "de": "Schwärme"}}
	must(t, s.CreateCapability(ctx, node))
	var ce *store.ConflictError
	if err := s.CreateCapability(ctx, node); !errors.As(err, &ce) || ce.Field != "code" {
		t.Errorf("duplicate code: err = %v, want conflict on code", err)
	}
	must(t, s.CreateOrganisation(ctx, &directory.Organisation{Slug: "a", Name: "A", Country: "NL", Kind: "company", Capabilities: []string{"drones.swarms"}}))
	if err := db.DeleteCapability(ctx, "drones.swarms"); !errors.As(err, &ce) || ce.Field != "organisations" {
		t.Errorf("delete used capability: err = %v, want conflict on organisations", err)
	}
	if err := db.DeleteCapability(ctx, "drones"); !errors.As(err, &ce) || ce.Field != "children" {
		t.Errorf("delete parent: err = %v, want conflict on children", err)
	}
	node.Labels["en"] = "Drone swarms"
	must(t, s.UpdateCapability(ctx, node.Code, node))
	got, _ := db.GetCapability(ctx, "drones.swarms")
	if got.Labels["en"] != "Drone swarms" || got.Parent != "drones" {
		t.Errorf("after update: %+v", got)
	}
}

func testAuditLog(t *testing.T, db *sqlstore.DB) {
	actx := audit.WithActor(ctx, audit.Actor{UserID: "u1", Label: "ada@example.org", IP: "192.0.2.7", RequestID: "r1"})
	c := cluster("hsd", "HSD", "NL")
	must(t, svc(db).CreateCluster(actx, c))
	must(t, db.Audit(actx, "login.failed", "user", "u1", "wrong password"))
	entries, err := db.AuditLog(ctx, audit.Filter{UserID: "u1"})
	must(t, err)
	if len(entries) != 2 {
		t.Fatalf("%d entries for u1, want 2: %+v", len(entries), entries)
	}
	if e := entries[1]; e.Action != "cluster.create" || e.EntityID != c.ID || e.Actor.IP != "192.0.2.7" || e.Actor.Label != "ada@example.org" {
		t.Errorf("write entry = %+v", e)
	}
	if e := entries[0]; e.Action != "login.failed" || e.Detail != "wrong password" {
		t.Errorf("login entry = %+v", e)
	}
	if got, _ := db.AuditLog(ctx, audit.Filter{Action: "login"}); len(got) != 1 {
		t.Errorf("action prefix filter: %d entries, want 1", len(got))
	}
	// The log is append-only even for someone with SQL access.
	if _, err := db.SQL().ExecContext(ctx, `UPDATE audit_log SET actor_label = 'nobody'`); err == nil {
		t.Error("audit_log accepted an UPDATE")
	}
	if _, err := db.SQL().ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
		t.Error("audit_log accepted a DELETE")
	}
	if got, _ := db.AuditLog(ctx, audit.Filter{UserID: "u1"}); len(got) != 2 {
		t.Errorf("after refused changes: %d entries, want 2", len(got))
	}
}

// idsOf returns the id of every item.
func idsOf[T any](items []T, id func(T) string) []string {
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, id(it))
	}
	return out
}

// testScopeMatchesPolicy checks that the SQL the store runs for a scope
// selects exactly the records that access.Scope.CanSee allows, for every
// visibility × TLP × viewer combination, on lists, counts and gets.
func testScopeMatchesPolicy(t *testing.T, db *sqlstore.DB) {
	s := svc(db)
	must(t, s.CreateCluster(ctx, cluster("a", "A", "NL")))
	must(t, s.CreateCluster(ctx, cluster("b", "B", "BE")))
	ca, _ := db.GetCluster(ctx, "a")
	cb, _ := db.GetCluster(ctx, "b")
	viewerOrg := org("viewer-org", "Viewer Org", "NL", "company", "a")
	must(t, s.CreateOrganisation(ctx, viewerOrg))
	type rec struct {
		org    directory.Organisation
		person directory.Person
		fac    directory.Facility
	}
	var recs []rec
	for i, level := range access.Levels {
		for j, tlp := range access.TLPs {
			for k, cl := range []string{"a", "b"} {
				o := org(fmt.Sprintf("o-%d-%d-%d", i, j, k), fmt.Sprintf("Org %d %d %d", i, j, k), "NL", "company", cl)
				o.Visibility, o.TLP = level, tlp
				must(t, s.CreateOrganisation(ctx, o))
				p := &directory.Person{Name: "Person " + o.Slug, OrganisationID: o.ID, Listed: (i+j)%2 == 0, Visibility: access.Public, TLP: access.TLPClear}
				must(t, s.CreatePerson(ctx, p))
				f := &directory.Facility{Slug: "f-" + o.Slug, Name: "Facility " + o.Slug, Kind: "laboratory", OrganisationID: o.ID, Country: "NL",
					Visibility: access.Public, TLP: access.TLPClear}
				must(t, s.CreateFacility(ctx, f))
				recs = append(recs, rec{*o, *p, *f})
			}
		}
	}
	clustersOf := map[string][]string{}
	for _, r := range recs {
		for _, m := range r.org.Memberships {
			clustersOf[r.org.ID] = append(clustersOf[r.org.ID], m.ClusterID)
		}
	}
	scopes := map[string]access.Scope{
		"anonymous":        access.ScopeOf(access.Viewer{}),
		"member in A":      access.ScopeOf(access.Viewer{UserID: "u", OrganisationID: viewerOrg.ID, Clusters: []string{ca.ID}}),
		"admin of o-0-0-0": access.ScopeOf(access.Viewer{UserID: "u", OrganisationID: recs[0].org.ID, OrgAdmin: true, Clusters: []string{ca.ID}}),
		"manager of B":     access.ScopeOf(access.Viewer{UserID: "u", ManagedClusters: []string{cb.ID}}),
		"alliance admin":   access.ScopeOf(access.Viewer{UserID: "u", AllianceAdmin: true}),
		"member bulk":      access.ScopeOf(access.Viewer{UserID: "u", OrganisationID: viewerOrg.ID, Clusters: []string{ca.ID}}).ForBulk(),
		"admin bulk":       access.ScopeOf(access.Viewer{UserID: "u", AllianceAdmin: true}).ForBulk(),
	}
	for name, sc := range scopes {
		sctx := access.WithScope(context.Background(), sc)
		orgs, err := db.ListOrganisations(sctx, directory.Filter{Limit: 200})
		must(t, err)
		people, err := db.ListPeople(sctx, directory.Filter{Limit: 200})
		must(t, err)
		facs, err := db.ListFacilities(sctx, directory.Filter{Limit: 200})
		must(t, err)
		listed := func(ids []string, id string) bool { return slices.Contains(ids, id) }
		orgIDs := idsOf(orgs.Items, func(o directory.Organisation) string { return o.ID })
		personIDs := idsOf(people.Items, func(p directory.Person) string { return p.ID })
		facIDs := idsOf(facs.Items, func(f directory.Facility) string { return f.ID })
		for _, r := range recs {
			orec := access.Record{OwnerOrg: r.org.ID, OwnerClusters: clustersOf[r.org.ID], Visibility: r.org.Visibility, TLP: r.org.TLP}
			orgSeen := sc.CanSee(orec)
			if got := listed(orgIDs, r.org.ID); got != orgSeen {
				t.Errorf("%s: organisation %s (%s, %s) listed = %v, policy says %v", name, r.org.Slug, r.org.Visibility, r.org.TLP, got, orgSeen)
			}
			_, err := db.GetOrganisation(sctx, r.org.ID)
			if got := err == nil; got != orgSeen {
				t.Errorf("%s: get organisation %s = %v, policy says %v", name, r.org.Slug, got, orgSeen)
			}
			prec := access.Record{OwnerOrg: r.org.ID, OwnerClusters: clustersOf[r.org.ID], Visibility: r.person.Visibility, TLP: r.person.TLP,
				PersonID: r.person.ID, Unlisted: !r.person.Listed}
			personSeen := sc.CanSee(prec) && orgSeen
			if got := listed(personIDs, r.person.ID); got != personSeen {
				t.Errorf("%s: person of %s (listed %v) listed = %v, policy says %v", name, r.org.Slug, r.person.Listed, got, personSeen)
			}
			if _, err := db.GetPerson(sctx, r.person.ID); (err == nil) != personSeen {
				t.Errorf("%s: get person of %s = %v, policy says %v", name, r.org.Slug, err == nil, personSeen)
			}
			if got := listed(facIDs, r.fac.ID); got != orgSeen {
				t.Errorf("%s: facility of %s listed = %v, want %v", name, r.org.Slug, got, orgSeen)
			}
		}
		if orgs.Total != len(orgs.Items) {
			t.Errorf("%s: total %d but %d items", name, orgs.Total, len(orgs.Items))
		}
		// Member counts only count what the viewer may see.
		a, err := db.GetCluster(sctx, "a")
		must(t, err)
		want := 0
		for _, o := range orgs.Items {
			for _, m := range o.Memberships {
				if m.ClusterID == ca.ID {
					want++
				}
			}
		}
		if a.MemberCount != want {
			t.Errorf("%s: cluster A member count %d, want %d", name, a.MemberCount, want)
		}
	}
}
