package benchmarks

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/storetest"
)

func fileHash(t testing.TB, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestGenerate: the generator is reproducible, and what it writes reads
// back without a single bad row, in the shape asked for.
func TestGenerate(t *testing.T) {
	a, err := Generate(t.TempDir(), 3000, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Generate(t.TempDir(), 3000, 7)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Generate(t.TempDir(), 3000, 8)
	if err != nil {
		t.Fatal(err)
	}
	if fileHash(t, a.Organisations) != fileHash(t, b.Organisations) || fileHash(t, a.Projects) != fileHash(t, b.Projects) {
		t.Error("the same seed gave different files")
	}
	if fileHash(t, a.Organisations) == fileHash(t, c.Organisations) {
		t.Error("another seed gave the same files")
	}
	if a.NParticipations != 3000 || a.NProjects != 275 || a.NOrganisations < 1000 || a.NOrganisations > 2000 {
		t.Errorf("shape = %+v, want 3000 participations in 275 projects by 1,000-2,000 organisations", a)
	}
	for _, f := range []struct {
		path string
		rows int
	}{{a.Projects, a.NProjects}, {a.Organisations, a.NParticipations}} {
		fh, err := os.Open(f.path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := cordis.NewReader(filepath.Base(f.path), fh)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%v", err)
			}
			if len(rec.Warnings) > 0 {
				t.Errorf("warning %v", &rec.Warnings[0])
			}
			n++
		}
		fh.Close()
		if n != f.rows {
			t.Errorf("%s: %d rows, want %d", f.path, n, f.rows)
		}
	}
}

// TestImportAndBulkAgree: on both engines, the import and the bulk load
// store the same number of participations from the same files (the
// baseline loads what the import loads).
func TestImportAndBulkAgree(t *testing.T) {
	dir := t.TempDir()
	f, err := Generate(dir, 2000, 1)
	if err != nil {
		t.Fatal(err)
	}
	engines := []store.Engine{store.SQLite}
	dsn := os.Getenv("ESCNET_TEST_POSTGRES")
	if dsn != "" {
		engines = append(engines, store.Postgres)
	}
	for _, eng := range engines {
		t.Run(string(eng), func(t *testing.T) {
			res, err := Run(context.Background(), eng, dsn, dir, "synthetic", []string{f.Projects, f.Organisations})
			if err != nil {
				t.Fatal(err)
			}
			if res.Participations != 2000 || res.Import.Elapsed <= 0 || res.Bulk.Elapsed <= 0 || res.Import.PeakHeap == 0 || res.Import.PeakLive == 0 {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

var realData = "../../../shared/data/cordis"

func realPaths(b *testing.B) []string {
	var out []string
	for _, f := range []string{"cordis-fp7projects.csv", "cordis-h2020projects.csv", "cordis-fp7organizations.csv", "cordis-h2020organizations.csv"} {
		p := filepath.Join(realData, f)
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			b.Skipf("%s not found", p)
		}
		out = append(out, p)
	}
	return out
}

// benchN is the synthetic size of the Go benchmarks
// (ESCNET_BENCH_PARTICIPATIONS, default 50,000); the 1,000,000 figures of
// docs/benchmarks.md come from `escnet bench import --synthetic 1000000`.
func benchN(b *testing.B) int {
	if s := os.Getenv("ESCNET_BENCH_PARTICIPATIONS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("ESCNET_BENCH_PARTICIPATIONS=%q", s)
		}
		return n
	}
	return 50_000
}

// runBench runs the import or the bulk load on a fresh database per
// iteration and reports participations per second and the peak live heap.
func runBench(b *testing.B, eng store.Engine, paths []string, bulk bool) {
	dsn := ""
	if eng == store.Postgres {
		dsn = storetest.PostgresDSN(b)
	}
	ctx := context.Background()
	var rows int64
	var peak uint64
	for b.Loop() {
		b.StopTimer()
		db, cleanup, err := Fresh(ctx, eng, dsn, b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		m, err := Measure(func() (int64, error) {
			if bulk {
				return Bulk(ctx, db, paths)
			}
			return Import(ctx, db, paths)
		})
		b.StopTimer()
		cleanup()
		if err != nil {
			b.Fatal(err)
		}
		rows, peak = m.Rows, max(peak, m.PeakLive)
		b.StartTimer()
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "participations/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-live-heap-MiB")
}

func BenchmarkCORDIS(b *testing.B) {
	for _, eng := range []store.Engine{store.SQLite, store.Postgres} {
		for _, data := range []string{"real", "synthetic"} {
			for _, bulk := range []bool{false, true} {
				name := fmt.Sprintf("%s/%s/%s", eng, data, map[bool]string{false: "import", true: "bulk"}[bulk])
				b.Run(name, func(b *testing.B) {
					var paths []string
					if data == "real" {
						paths = realPaths(b)
					} else {
						f, err := Generate(b.TempDir(), benchN(b), 1)
						if err != nil {
							b.Fatal(err)
						}
						paths = []string{f.Projects, f.Organisations}
					}
					runBench(b, eng, paths, bulk)
				})
			}
		}
	}
}
