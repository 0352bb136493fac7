package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// BenchmarkPages measures server render time per page type (handler and
// template, without the network), on the demo alliance grown by
// ESCNET_BENCH_ORGS extra organisations (default 0; docs/benchmarks.md
// records 100,000):
//
//	ESCNET_BENCH_ORGS=100000 go test -run '^$' -bench BenchmarkPages -benchtime 200x ./internal/web/
func BenchmarkPages(b *testing.B) {
	db := storetest.NewSQLite(b)
	ctx := access.WithScope(context.Background(), access.System)
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		b.Fatal(err)
	}
	extra, _ := strconv.Atoi(os.Getenv("ESCNET_BENCH_ORGS"))
	if extra > 0 {
		growDirectory(b, db, extra)
	}
	s, err := New(db, Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	pages := map[string]string{
		"home":                   "/",
		"clusters":               "/clusters",
		"cluster":                "/clusters/hsd",
		"organisations":          "/organisations",
		"organisations-filtered": "/organisations?country=NL&kind=company",
		"organisation":           "/organisations/tno",
		"people":                 "/people",
		"capabilities":           "/capabilities",
		"capability":             "/capabilities/cybersecurity",
		"facilities":             "/facilities",
		"search":                 "/search?q=security",
	}
	for name, path := range pages {
		b.Run(name, func(b *testing.B) {
			before := db.Queries()
			for b.Loop() {
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
			b.ReportMetric(float64(db.Queries()-before)/float64(b.N), "queries/op")
		})
	}
}

// growDirectory adds n organisations (public, in the demo's clusters, with
// capabilities) in one transaction per 1,000.
func growDirectory(b *testing.B, db *sqlstore.DB, n int) {
	b.Helper()
	ctx := access.WithScope(context.Background(), access.System)
	svc := directory.NewService(db)
	clusters := []string{"hsd", "safe-cluster", "censec", "kit"}
	countries := []string{"NL", "FR", "DK", "DE", "BE", "FI", "ES", "IT"}
	caps := []string{"cybersecurity", "drones.counter-drone", "cbrne.detection", "crisis-management.early-warning"}
	for i := range n {
		o := &directory.Organisation{Slug: fmt.Sprintf("bench-%d", i), Name: fmt.Sprintf("Bench Organisation %06d security", i),
			Kind: directory.Kinds[i%len(directory.Kinds)], Country: countries[i%len(countries)],
			Capabilities: []string{caps[i%len(caps)]}, Memberships: []directory.Membership{{ClusterID: clusters[i%len(clusters)], Role: "member"}}}
		if err := svc.CreateOrganisation(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
}
