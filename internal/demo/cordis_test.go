package demo_test

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestEmbeddedCORDISIsTheSharedSubset: the compressed copy in the binary
// holds exactly the files of ../shared/data/cordis (when present).
func TestEmbeddedCORDISIsTheSharedSubset(t *testing.T) {
	t.Parallel()
	src, err := demo.CORDISSources()
	if err != nil {
		t.Fatal(err)
	}
	if len(src) != 5 {
		t.Fatalf("%d embedded files, want the four CORDIS exports and the topics", len(src))
	}
	for _, s := range src {
		shared := filepath.Join("..", "..", "..", "shared", "data", "cordis", s.Name)
		want, err := os.ReadFile(shared)
		if os.IsNotExist(err) {
			t.Skipf("%s absent", shared)
		} else if err != nil {
			t.Fatal(err)
		}
		r, err := s.Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if sha256.Sum256(got) != sha256.Sum256(want) {
			t.Errorf("%s: embedded copy (%d bytes) differs from %s (%d bytes)", s.Name, len(got), shared, len(want))
		}
	}
}

// TestLoadAllWithCORDIS: the whole demo brings the 632 security projects
// and their 6,873 participations through the import path, leaves the
// demo's own PICs as they were, links the members CORDIS knows to their
// records, and a second import of the same copy changes nothing.
func TestLoadAllWithCORDIS(t *testing.T) {
	a := app.New(storetest.NewSQLite(t), app.Config{Mail: noMail{}})
	t.Cleanup(func() { a.Close() })
	start := time.Now()
	n, err := demo.LoadAll(context.Background(), a, time.Now().UTC())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("whole demo with CORDIS loaded in %s", time.Since(start).Round(time.Millisecond))
	if n.Projects != 632 || n.Participations != 6873 {
		t.Errorf("loaded %d projects, %d participations; want 632 and 6873", n.Projects, n.Participations)
	}
	ctx := access.AsSystem(context.Background())
	page, err := a.Projects.List(ctx, projects.Filter{Limit: 1})
	if err != nil || page.Total != 632 {
		t.Errorf("projects listed: %d, %v; want 632", page.Total, err)
	}
	for _, o := range demo.Alliance().Organisations {
		got, err := a.Directory.Store().GetOrganisation(access.WithScope(ctx, access.System), o.Slug)
		if err != nil {
			t.Fatalf("%s: %v", o.Slug, err)
		}
		if o.PIC != "" && got.PIC != o.PIC {
			t.Errorf("%s: PIC %q after the import, the demo says %q", o.Slug, got.PIC, o.PIC)
		}
	}
	// The import links the members CORDIS knows to their records: they
	// gain the PIC (and with it their projects), keeping their slug.
	for _, slug := range []string{"tno", "vtt", "aarhus-university", "university-of-twente", "unibw-muenchen", "federale-politie"} {
		got, err := a.Directory.Store().GetOrganisation(access.WithScope(ctx, access.System), slug)
		if err != nil || got.PIC == "" {
			t.Errorf("%s: not linked to its CORDIS record after the demo load (PIC %q, %v)", slug, got.PIC, err)
		}
	}
	sum, err := demo.LoadCORDIS(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Projects.New+sum.Projects.Updated+sum.Participations.New+sum.Participations.Updated != 0 {
		t.Errorf("second load changed records: %+v", sum)
	}
}
