package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// benchWords are the words the synthetic library is written in: domain
// words in four languages, then filler, drawn with a Zipf-like skew so
// that some words are common and most are rare.
var benchWords = func() []string {
	w := strings.Fields(`flood evacuation drone detection cyber incident exercise fire brigade police border
		overstroming evacuatie brandweer politie oefening crisis hoogwater sensoren
		inondation évacuation pompiers sécurité exercice détection crise
		Hochwasser Evakuierung Feuerwehr Polizei Übung Sicherheit Erkennung Krise`)
	for i := range 3000 {
		w = append(w, fmt.Sprintf("wort%dx", i))
	}
	return w
}()

// fillPractices writes n synthetic entries straight into the tables (one
// transaction, many rows a statement): spread over 40 organisations in 8
// clusters, every kind, level and label, a language each.
func fillPractices(b testing.TB, db *sqlstore.DB, n int) {
	b.Helper()
	ctx := access.AsSystem(context.Background())
	d := svc(db)
	var orgs []string
	for c := range 8 {
		mustTB(b, d.CreateCluster(ctx, cluster(fmt.Sprintf("c%d", c), fmt.Sprintf("Cluster %d", c), "NL")))
		for o := range 5 {
			org := org(fmt.Sprintf("o%d-%d", c, o), fmt.Sprintf("Org %d %d", c, o), "NL", "company", fmt.Sprintf("c%d", c))
			mustTB(b, d.CreateOrganisation(ctx, org))
			orgs = append(orgs, org.ID)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	zipf := rand.NewZipf(rand.New(rand.NewPCG(3, 4)), 1.1, 4, uint64(len(benchWords)-1))
	tx, err := db.SQL().BeginTx(ctx, nil)
	mustTB(b, err)
	now := time.Now().UTC()
	const batch = 200
	var entries, texts, terms []string
	var eArgs, tArgs, mArgs []any
	ph := func(args *[]any, vals ...any) string {
		parts := make([]string, len(vals))
		for i, v := range vals {
			*args = append(*args, v)
			parts[i] = fmt.Sprintf("$%d", len(*args))
		}
		return "(" + strings.Join(parts, ", ") + ")"
	}
	flush := func(force bool) {
		if len(entries) >= batch || (force && len(entries) > 0) {
			_, err := tx.ExecContext(ctx, `INSERT INTO practice_entries (id, kind, organisation_id, axis, visibility, tlp, reach, sort_key, created_at, updated_at) VALUES `+strings.Join(entries, ", "), eArgs...)
			mustTB(b, err)
			_, err = tx.ExecContext(ctx, `INSERT INTO practice_texts (entry_id, lang, original, title, summary, body, updated_at) VALUES `+strings.Join(texts, ", "), tArgs...)
			mustTB(b, err)
			entries, texts, eArgs, tArgs = nil, nil, nil, nil
		}
		for len(terms) >= batch*4 || (force && len(terms) > 0) {
			k := min(len(terms), batch*4)
			var args []any
			var vals []string
			for _, pair := range terms[:k] {
				term, doc, _ := strings.Cut(pair, "|")
				vals = append(vals, ph(&args, term, doc))
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO practice_terms (term, doc_id) VALUES `+strings.Join(vals, ", "), args...)
			mustTB(b, err)
			terms = terms[k:]
		}
		mArgs = nil
	}
	for i := range n {
		id := fmt.Sprintf("00000000-0000-7000-8000-%012d", i)
		words := make([]string, 20)
		for j := range words {
			words[j] = benchWords[zipf.Uint64()]
		}
		title, body := strings.Join(words[:5], " "), strings.Join(words[5:], " ")
		lang := practices.Langs[rng.IntN(4)]
		level := access.Levels[rng.IntN(4)]
		tlp := access.TLPs[rng.IntN(5)]
		entries = append(entries, ph(&eArgs, id, practices.Kinds[i%6], orgs[rng.IntN(len(orgs))], "both", level, tlp,
			int(access.EffectiveReach(level, tlp)), directory.Fold(title), now, now))
		texts = append(texts, ph(&tArgs, id, lang, true, title, "", body, now))
		for _, t := range practices.DocTerms([]practices.Text{{Lang: lang, Title: title, Body: body}}, nil) {
			terms = append(terms, t+"|"+id)
		}
		flush(false)
	}
	flush(true)
	_ = mArgs
	mustTB(b, tx.Commit())
	// The statistics a library of this size would have once the
	// engine's own maintenance (autovacuum) has looked at it.
	_, err = db.SQL().ExecContext(ctx, `ANALYZE`)
	mustTB(b, err)
}

// BenchmarkPracticeSearch measures a search (page, count, five facets and
// summaries) over 100,000 entries as a signed-in member of one cluster,
// on both engines, and reports the 99th percentile:
//
//	ESCNET_TEST_POSTGRES=... go test ./internal/store/storetest/ -run '^$' -bench PracticeSearch -benchtime 400x
func BenchmarkPracticeSearch(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("ESCNET_BENCH_PRACTICES")); err == nil && v > 0 {
		n = v // a smaller library for a quick look
	}
	engines := map[string]func(testing.TB) *sqlstore.DB{"sqlite": func(t testing.TB) *sqlstore.DB { return NewSQLite(t) }, "postgres": func(t testing.TB) *sqlstore.DB { return NewPostgres(t) }}
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			db := engines[name](b)
			start := time.Now()
			fillPractices(b, db, n)
			b.Logf("%s: %d entries written in %s", name, n, time.Since(start).Round(time.Millisecond))
			v := access.Viewer{UserID: "bench", OrganisationID: "", Clusters: []string{}}
			c0, err := db.GetCluster(ctx, "c0")
			mustTB(b, err)
			v.Clusters = []string{c0.ID}
			o, err := db.GetOrganisation(ctx, "o0-0")
			mustTB(b, err)
			v.OrganisationID = o.ID
			s := practices.NewService(db, practices.DirBlobs{Dir: b.TempDir()}, practices.Config{Viewer: viewerOf})
			vctx := as(v)
			queries := []string{"flood", "evacuatie brandweer", "sécurité", "Hochwasser Übung", "drone detection", "wort17x", "wort400x", "crisis", "police exercise", "wort2500x"}
			// The first search builds the in-memory index (as the first
			// search after a server starts does); it is reported apart.
			t0 := time.Now()
			if _, err := s.Search(vctx, practices.Filter{Query: "warm"}); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: search index built in %s", name, time.Since(t0).Round(time.Millisecond))
			rng := rand.New(rand.NewPCG(5, 6))
			var ds []time.Duration
			cpu0 := cpuTime()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				f := practices.Filter{Query: queries[i%len(queries)]}
				if rng.IntN(3) == 0 {
					f.Kind = practices.Kinds[rng.IntN(6)]
				}
				t0 := time.Now()
				if _, err := s.Search(vctx, f); err != nil {
					b.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
			b.StopTimer()
			// CPU time of the process per search: on a shared machine the
			// wall times above include waiting for a core.
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(len(ds)), "cpu-ms/op")
			slices.Sort(ds)
			p := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000 }
			b.ReportMetric(p(0.5), "p50-ms")
			b.ReportMetric(p(0.99), "p99-ms")
		})
	}
}

// cpuTime is the CPU time (user and system) the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func mustTB(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}
