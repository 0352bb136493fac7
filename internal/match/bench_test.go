package match_test

import (
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/eval"
	"github.com/escnet/escnet/internal/match/synth"
)

// The benchmarks run on a synthetic alliance of ESCNET_BENCH_ORGS
// organisations (100,000) and ESCNET_BENCH_PARTICIPATIONS participations
// (1,000,000), its words drawn from the real CORDIS objectives when
// ../../../shared/data/cordis is there.
var (
	benchOnce sync.Once
	benchIx   *match.Index
	benchData synth.Data
	benchErr  error
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// realObjectives reads the objectives of the shared CORDIS exports, or
// none when they are absent.
func realObjectives() []string {
	var c eval.CORDIS
	for _, name := range []string{"cordis-fp7projects.csv", "cordis-h2020projects.csv"} {
		f, err := os.Open(filepath.Join("../../../shared/data/cordis", name))
		if err != nil {
			return nil
		}
		r, err := cordis.NewReader(name, f)
		if err == nil {
			err = c.Read(r)
		}
		f.Close()
		if err != nil {
			return nil
		}
	}
	var out []string
	for _, p := range c.Projects {
		out = append(out, p.Title+" "+p.Objective)
	}
	return out
}

func benchIndex(b *testing.B) (*match.Index, synth.Data) {
	b.Helper()
	benchOnce.Do(func() {
		start := time.Now()
		benchData = synth.Generate(synth.Config{Seed: 2026,
			Orgs:           envInt("ESCNET_BENCH_ORGS", 100_000),
			Participations: envInt("ESCNET_BENCH_PARTICIPATIONS", 1_000_000),
			Texts:          realObjectives()})
		gen := time.Since(start)
		benchIx, benchErr = match.Build(benchData.Snapshot, match.BuildOptions{Analyzer: synth.Analyzer()})
		parts := 0
		for _, p := range benchData.Snapshot.Projects {
			parts += len(p.Participants)
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.Logf("synthetic alliance: %d organisations, %d projects, %d participations, %d themes; generated in %v, indexed in %v; heap %d MiB",
			len(benchData.Snapshot.Orgs), len(benchData.Snapshot.Projects), parts, len(benchData.Themes),
			gen.Round(time.Millisecond), (time.Since(start) - gen).Round(time.Millisecond), ms.HeapAlloc>>20)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchIx, benchData
}

// benchQueries are a seeded mix: idea texts (a title and an objective's
// worth of words from a theme) and call-like texts (a dozen words), half
// of them with a lead.
func benchQueries(ix *match.Index, d synth.Data, n int) []match.Query {
	r := rand.New(rand.NewPCG(1, 2))
	qs := make([]match.Query, n)
	for i := range qs {
		words := strings.Fields(d.Themes[r.IntN(len(d.Themes))])
		k := 12
		if i%2 == 0 {
			k = 140
		}
		var b strings.Builder
		for j := range k {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(words[r.IntN(len(words))])
		}
		qs[i].Text = b.String()
		if i%4 < 2 {
			for {
				o := d.Snapshot.Orgs[r.IntN(len(d.Snapshot.Orgs))]
				if ix.PastProjects(o.ID) > 0 {
					qs[i].Lead = o.ID
					break
				}
			}
		}
	}
	return qs
}

// reportLatency adds p50 and p99 in milliseconds to the benchmark.
func reportLatency(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	at := func(q float64) float64 {
		return float64(lat[min(len(lat)-1, int(q*float64(len(lat))))]) / 1e6
	}
	b.ReportMetric(at(0.5), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
	b.ReportMetric(float64(lat[len(lat)-1])/1e6, "max-ms")
}

// BenchmarkPartnerQuery ranks partners on one core (GOMAXPROCS=1).
func BenchmarkPartnerQuery(b *testing.B) {
	ix, d := benchIndex(b)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	qs := benchQueries(ix, d, 1000)
	for _, q := range qs[:50] { // warm the pools and caches
		if _, err := ix.Rank(q); err != nil {
			b.Fatal(err)
		}
	}
	lat := make([]time.Duration, 0, b.N)
	runtime.GC() // the garbage of generating and indexing is not the query's
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := ix.Rank(qs[i%len(qs)]); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// BenchmarkConsortium15 builds three alternative consortia of 15 under a
// Cluster 3-like set of rules, on one core.
func BenchmarkConsortium15(b *testing.B) {
	ix, d := benchIndex(b)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	qs := benchQueries(ix, d, 100)
	rules := []calls.Rule{
		calls.GeneralRule("IA"),
		{Kind: calls.KindMinPractitioners, Count: 2, Types: []string{directory.RolePolice}, MinCountries: 2,
			CountryScope: calls.ScopeMemberOrAssociated, Origin: calls.OriginTopic},
		{Kind: calls.KindMinEntitiesOfType, Count: 1, Types: []string{calls.TypeSME}, CountryScope: calls.ScopeAny, Origin: calls.OriginTopic},
	}
	lat := make([]time.Duration, 0, b.N)
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		props, err := ix.Consortium(match.ConsortiumRequest{Query: qs[i%len(qs)], Rules: rules, Size: 15})
		if err != nil {
			var ie *match.InfeasibleError
			if !errors.As(err, &ie) {
				b.Fatal(err)
			}
		}
		lat = append(lat, time.Since(t0))
		if i == 0 && len(props) > 0 {
			b.Logf("first proposal: score %.2f, %d members, rules satisfied: %v", props[0].Score, len(props[0].Members), calls.Satisfied(props[0].Results))
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}
