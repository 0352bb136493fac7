package match_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
)

// BenchmarkPostgresTSRank is the reference for BenchmarkPartnerQuery:
// PostgreSQL's own full-text ranking (ts_rank over a GIN-indexed
// tsvector) on the same synthetic organisations, one document per
// organisation made of its declared description and the titles of its
// projects (the objectives would make the table ten times larger). The
// query is the same text, its words joined with OR (ts_rank's usual use
// for a long query). It runs only with ESCNET_TEST_POSTGRES, in a
// schema of its own that it drops at the end.
func BenchmarkPostgresTSRank(b *testing.B) {
	dsn := os.Getenv("ESCNET_TEST_POSTGRES")
	if dsn == "" {
		b.Skip("ESCNET_TEST_POSTGRES not set; skipping the PostgreSQL reference")
	}
	ix, d := benchIndex(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatalf("ESCNET_TEST_POSTGRES is set but PostgreSQL does not answer: %v", err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("bench_match_%d", os.Getpid())
	exec := func(sql string) {
		b.Helper()
		if _, err := conn.Exec(ctx, sql); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`CREATE SCHEMA ` + schema)
	defer conn.Exec(context.Background(), `DROP SCHEMA `+schema+` CASCADE`)
	exec(`SET search_path = ` + schema)
	exec(`CREATE TABLE profiles (id text PRIMARY KEY, doc text NOT NULL,
		tsv tsvector GENERATED ALWAYS AS (to_tsvector('english', doc)) STORED)`)

	titles := map[string][]string{}
	for _, p := range d.Snapshot.Projects {
		for _, pt := range p.Participants {
			titles[pt.OrgID] = append(titles[pt.OrgID], p.Title)
		}
	}
	start := time.Now()
	rows := make([][]any, 0, len(d.Snapshot.Orgs))
	for _, o := range d.Snapshot.Orgs {
		doc := strings.TrimSpace(o.Description + "\n" + strings.Join(titles[o.ID], "\n"))
		rows = append(rows, []any{o.ID, doc})
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"profiles"}, []string{"id", "doc"}, pgx.CopyFromRows(rows)); err != nil {
		b.Fatal(err)
	}
	exec(`CREATE INDEX profiles_tsv ON profiles USING gin (tsv)`)
	exec(`ANALYZE profiles`)
	b.Logf("loaded %d profiles with a GIN index in %v", len(rows), time.Since(start).Round(time.Millisecond))

	qs := benchQueries(ix, d, 1000)
	tsq := make([]string, len(qs))
	for i, q := range qs {
		tsq[i] = orQuery(q.Text, 32)
	}
	const sql = `SELECT id, ts_rank(tsv, q) AS r FROM profiles, to_tsquery('english', $1) q
		WHERE tsv @@ q ORDER BY r DESC, id LIMIT 20`
	run := func(i int) {
		rs, err := conn.Query(ctx, sql, tsq[i%len(tsq)])
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for rs.Next() {
			n++
		}
		if err := rs.Err(); err != nil {
			b.Fatal(err)
		}
	}
	for i := range 20 {
		run(i)
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		run(i)
		lat = append(lat, time.Since(t0))
	}
	b.StopTimer()
	reportLatency(b, lat)
}

// orQuery turns text into a tsquery of at most n distinct words joined by
// OR; only letters reach the query, so its syntax cannot break.
func orQuery(text string, n int) string {
	var words []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) < 3 || seen[w] {
			continue
		}
		seen[w] = true
		words = append(words, w)
		if len(words) == n {
			break
		}
	}
	return strings.Join(words, " | ")
}
