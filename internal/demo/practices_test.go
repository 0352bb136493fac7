package demo_test

import (
	"context"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestDemoPractices: every kind and every label, more than one language,
// several clusters, and summaries, all marked as demonstration data.
func TestDemoPractices(t *testing.T) {
	db := storetest.NewSQLite(t)
	n, err := demo.Load(context.Background(), directory.NewService(db))
	if err != nil {
		t.Fatal(err)
	}
	ctx := access.WithScope(context.Background(), access.System)
	all, err := db.ListForExport(ctx, practices.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if n.Practices != len(all) || len(all) < 8 {
		t.Fatalf("loaded %d practices, listed %d", n.Practices, len(all))
	}
	kinds, tlps, langs, clusters := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	bilingual := 0
	for _, e := range all {
		kinds[e.Kind], tlps[e.TLP] = true, true
		for _, c := range e.OrganisationClust {
			clusters[c] = true
		}
		for _, tx := range e.Texts {
			langs[tx.Lang] = true
		}
		if len(e.Texts) > 1 {
			bilingual++
		}
	}
	if len(kinds) != len(practices.Kinds) || len(tlps) != len(access.TLPs) || len(langs) < 4 || len(clusters) < 4 || bilingual < 2 {
		t.Errorf("demo practices cover kinds %v, labels %v, languages %v, %d clusters, %d bilingual", kinds, tlps, langs, len(clusters), bilingual)
	}
	res, err := db.SearchEntries(ctx, practices.Filter{Limit: 50}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Summaries) != 2 {
		t.Errorf("%d summaries, want 2", len(res.Summaries))
	}
}
