package demo_test

import (
	"context"
	"slices"
	"testing"

	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

func TestCapabilityCodesExistInTaxonomy(t *testing.T) {
	nodes, err := directory.Taxonomy()
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, n := range nodes {
		codes = append(codes, n.Code)
	}
	for _, c := range demo.CapabilityCodes {
		if !slices.Contains(codes, c) {
			t.Errorf("demo uses capability %q, which the taxonomy lacks", c)
		}
	}
}

func testLoad(t *testing.T, db *sqlstore.DB) {
	ctx := context.Background()
	empty, err := demo.Empty(ctx, db)
	if err != nil || !empty {
		t.Fatalf("fresh database: empty = %v, err = %v", empty, err)
	}
	n, err := demo.Load(ctx, directory.NewService(db))
	if err != nil {
		t.Fatal(err)
	}
	want := demo.Alliance()
	if n.Clusters != 8 || n.Organisations != len(want.Organisations) || n.People != len(want.People) || n.Facilities != len(want.Facilities) {
		t.Errorf("loaded %+v, want 8 clusters and all of the data", n)
	}
	clusters, err := db.ListClusters(ctx, directory.Filter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	if clusters.Total != 8 {
		t.Errorf("%d clusters stored, want 8", clusters.Total)
	}
	for _, c := range clusters.Items {
		if c.MemberCount == 0 {
			t.Errorf("cluster %s has no members", c.Slug)
		}
	}
	twente, err := db.ListFacilities(ctx, directory.Filter{Cluster: "twente-safety-security"})
	if err != nil || twente.Total < 2 {
		t.Errorf("Twente facilities: %d (err %v), want the drone centre and the Riskfactory", twente.Total, err)
	}
	if empty, _ := demo.Empty(ctx, db); empty {
		t.Error("database still reported empty after the demo load")
	}
}

func TestLoadSQLite(t *testing.T) { testLoad(t, storetest.NewSQLite(t)) }

func TestLoadPostgres(t *testing.T) { testLoad(t, storetest.NewPostgres(t)) }
