package live_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// The snapshot as the engines read it: the demo and the small CORDIS
// fixtures of ../../cordis/testdata, on SQLite and (with
// ESCNET_TEST_POSTGRES) PostgreSQL.

var sys = audit.WithActor(access.AsSystem(context.Background()), audit.Actor{Label: "test"})

func loaded(t *testing.T, db *sqlstore.DB) *sqlstore.DB {
	t.Helper()
	if _, err := demo.Load(sys, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	var srcs []projects.Source
	for _, name := range []string{"project.csv", "organization.csv"} {
		b, err := os.ReadFile(filepath.Join("../../cordis/testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, projects.Source{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }})
	}
	if _, err := projects.Import(sys, db, srcs, projects.Options{}); err != nil {
		t.Fatal(err)
	}
	return db
}

func forEachEngine(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, loaded(t, storetest.NewSQLite(t))) })
	t.Run("postgres", func(t *testing.T) { fn(t, loaded(t, storetest.NewPostgres(t))) })
}

func TestMatchDataReadsEverythingInFixedQueries(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		read := func() (live.Data, int64) {
			q := db.Queries()
			d, err := db.MatchData(sys)
			if err != nil {
				t.Fatal(err)
			}
			return d, db.Queries() - q
		}
		d, n := read()
		orgs := map[string]live.Org{}
		for _, o := range d.Orgs {
			orgs[o.Slug] = o
		}
		tno, fraunhofer := orgs["tno"], orgs["fraunhofer"]
		if len(tno.Capabilities) == 0 || len(tno.Capabilities[0].Labels) != 4 || tno.Capabilities[0].Labels["de"] == "" {
			t.Errorf("tno's capabilities: %+v, want labels in 4 languages", tno.Capabilities)
		}
		if !slices.Contains(tno.Clusters, "The Hague Security Delta") || len(tno.ClusterIDs) != len(tno.Clusters) || tno.Visibility != access.Public {
			t.Errorf("tno: clusters %v (%v), visibility %q", tno.Clusters, tno.ClusterIDs, tno.Visibility)
		}
		if fraunhofer.PIC != "999984059" || fraunhofer.Kind != directory.KindResearch || fraunhofer.Description == "" {
			t.Errorf("fraunhofer: %+v", fraunhofer)
		}
		if vrt := orgs["veiligheidsregio-twente"]; !slices.Contains(vrt.Roles, directory.RoleFirstResponder) {
			t.Errorf("veiligheidsregio-twente roles %v", vrt.Roles)
		}
		if len(d.Projects) != 3 || len(d.Clusters) != 8 {
			t.Fatalf("%d projects, %d clusters", len(d.Projects), len(d.Clusters))
		}
		for _, p := range d.Projects {
			if p.ID != "101100001" {
				continue
			}
			if len(p.Participants) != 4 || p.Participants[0].OrgID != fraunhofer.ID || p.Participants[0].Role != "coordinator" ||
				p.Start != "2023-10-01" || len(p.Topics) != 1 || p.Objective == "" || p.Scheme == "" {
				t.Errorf("project 101100001: %+v", p)
			}
		}

		// More organisations, the same number of queries.
		svc := directory.NewService(db)
		for _, slug := range []string{"extra-one", "extra-two", "extra-three"} {
			o := &directory.Organisation{Slug: slug, Name: slug, Kind: "company", Country: "NL", PractitionerRoles: []string{"police"},
				Capabilities: []string{"drones"}, Memberships: []directory.Membership{{ClusterID: "hsd", Role: "member"}}}
			if err := svc.CreateOrganisation(sys, o); err != nil {
				t.Fatal(err)
			}
		}
		d2, n2 := read()
		if n2 != n || n != 10 || len(d2.Orgs) != len(d.Orgs)+3 {
			t.Errorf("queries: %d, then %d with 3 more organisations; want 10 each", n, n2)
		}
	})
}

func TestServiceOnTheDatabase(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *sqlstore.DB) {
		svc := live.New(db, live.Options{})
		res, err := svc.Partners(sys, live.PartnerRequest{Text: "first responders situational picture", Lead: "fraunhofer"})
		if err != nil {
			t.Fatal(err)
		}
		var pics []string
		for _, p := range res.Partners {
			pics = append(pics, p.PIC)
		}
		if !slices.Contains(pics, "900000002") || !slices.Contains(pics, "900000001") {
			t.Errorf("Fraunhofer's partners in FIXRESPOND not ranked: %v", pics)
		}
		var ve validate.Errors
		if _, err := svc.Partners(sys, live.PartnerRequest{Call: "NOPE"}); !errors.As(err, &ve) || ve[0].Field != "call" {
			t.Errorf("unknown call: %v", err)
		}
		_, err = svc.Consortium(sys, live.ConsortiumRequest{Call: "DEMO-CL3-2027-01-FCT-01"})
		var ie *live.InfeasibleError
		if !errors.As(err, &ie) || ie.Index < 1 || ie.Missing == "" {
			t.Errorf("a call asking for civil society organisations: %v", err)
		}
		// An anonymous viewer does not see a cluster-only organisation.
		o := &directory.Organisation{Slug: "cluster-only", Name: "Cluster Only Sensors", Kind: "company", Country: "NL",
			Description: "hyperspectral sensors for tunnels", Visibility: access.Cluster,
			Memberships: []directory.Membership{{ClusterID: "hsd", Role: "member"}}}
		if err := directory.NewService(db).CreateOrganisation(sys, o); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Refresh(sys); err != nil {
			t.Fatal(err)
		}
		for scope, want := range map[string]bool{"anonymous": false, "system": true} {
			ctx := context.Background()
			if scope == "system" {
				ctx = sys
			}
			res, err := svc.Partners(ctx, live.PartnerRequest{Text: "hyperspectral tunnel sensors"})
			if err != nil {
				t.Fatal(err)
			}
			got := slices.ContainsFunc(res.Partners, func(p live.Partner) bool { return p.Slug == "cluster-only" })
			if got != want {
				t.Errorf("%s sees the cluster-only organisation: %v, want %v", scope, got, want)
			}
		}
	})
}
