package live_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// sharedData is the shared data directory, relative to this package.
const sharedData = "../../../../shared/data"

// demoWithCORDIS loads the demo into a fresh SQLite database, imports the
// shared CORDIS files as `escnet import cordis` does and the 45 real
// Horizon Europe Cluster 3 topics as `escnet import calls` does; it skips
// when the shared files are absent.
func demoWithCORDIS(t *testing.T) *sqlstore.DB {
	t.Helper()
	dir := filepath.Join(sharedData, "cordis")
	names := []string{"cordisref-topics.csv", "cordis-fp7organizations.csv", "cordis-h2020organizations.csv",
		"cordis-fp7projects.csv", "cordis-h2020projects.csv"}
	var srcs []projects.Source
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("shared CORDIS files absent: %v", err)
		}
		srcs = append(srcs, projects.Source{Name: name, Size: int64(len(b)), Open: func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }})
	}
	topics, err := os.ReadFile(filepath.Join(sharedData, "calls", "horizon-cl3-2026-2027-topics.json"))
	if err != nil {
		t.Skipf("shared topics absent: %v", err)
	}
	db := storetest.NewSQLite(t)
	if _, err := demo.Load(sys, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	if _, err := projects.Import(sys, db, srcs, projects.Options{}); err != nil {
		t.Fatal(err)
	}
	cs, err := calls.DecodeTopics(bytes.NewReader(topics))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calls.NewService(db).Import(sys, cs); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestProbe(t *testing.T) {
	if os.Getenv("PROBE") == "" {
		t.Skip()
	}
	db := demoWithCORDIS(t)
	svc := live.New(db, live.Options{})
	for _, req := range []live.PartnerRequest{
		{Text: "A counter-drone system to detect, track and neutralise unauthorised drones over airports and public events", Limit: 200},
		{Call: "HORIZON-CL3-2026-01-BM-01", Limit: 20},
		{Call: "HORIZON-CL3-2026-01-SSRI-01", Limit: 20},
	} {
		res, err := svc.Partners(sys, req)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("terms %v, %d candidates", res.Terms, res.Candidates)
		for i, p := range res.Partners {
			if i < 10 || p.Slug == "muster-aerospace" {
				t.Logf("%d %s %s %.3f %+v %v", i+1, p.Slug, p.Name, p.Score, p.Signals, p.Reasons)
			}
		}
	}
}
