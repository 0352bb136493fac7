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
	"time"

	"github.com/google/uuid"

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
	ctx := access.AsSystem(context.Background())
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		b.Fatal(err)
	}
	extra, _ := strconv.Atoi(os.Getenv("ESCNET_BENCH_ORGS"))
	if extra > 0 {
		growDirectory(b, db, extra)
	}
	s, err := New(newApp(b, db, envConfig{}), Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
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

// growDirectory adds n public organisations (in the demo's clusters, with
// a capability) in one transaction of prepared inserts: a benchmark's
// setup, not the application's write path, which goes one record at a
// time through the rules and the change feed.
func growDirectory(b *testing.B, db *sqlstore.DB, n int) {
	b.Helper()
	ctx := access.AsSystem(context.Background())
	clusters := []string{"hsd", "safe-cluster", "censec", "kit"}
	var clusterIDs []string
	for _, slug := range clusters {
		c, err := db.GetCluster(ctx, slug)
		if err != nil {
			b.Fatal(err)
		}
		clusterIDs = append(clusterIDs, c.ID)
	}
	countries := []string{"NL", "FR", "DK", "DE", "BE", "FI", "ES", "IT"}
	caps := []string{"cybersecurity", "drones.counter-drone", "cbrne.detection", "crisis-management.early-warning"}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	org, err := tx.PrepareContext(ctx, `INSERT INTO organisations (id, slug, name, short_name, sort_key, search_text, kind, sme, country, city, website, description, created_at, updated_at, visibility, tlp, reach)
		VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, '', '', '', $9, $9, 'public', 'CLEAR', 3)`)
	if err != nil {
		b.Fatal(err)
	}
	member, err := tx.PrepareContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, 'member', '')`)
	if err != nil {
		b.Fatal(err)
	}
	capability, err := tx.PrepareContext(ctx, `INSERT INTO organisation_capabilities (organisation_id, capability_code, position) VALUES ($1, $2, 0)`)
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	for i := range n {
		id := uuid.Must(uuid.NewV7()).String()
		name := fmt.Sprintf("Bench Organisation %06d security", i)
		if _, err := org.ExecContext(ctx, id, fmt.Sprintf("bench-%d", i), name, directory.Fold(name), directory.SearchText(name),
			directory.Kinds[i%len(directory.Kinds)], false, countries[i%len(countries)], now); err != nil {
			b.Fatal(err)
		}
		if _, err := member.ExecContext(ctx, clusterIDs[i%len(clusterIDs)], id); err != nil {
			b.Fatal(err)
		}
		if _, err := capability.ExecContext(ctx, id, caps[i%len(caps)]); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
