package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store/engine"
)

// TestPracticesExportImport exports the demo library as Markdown files,
// imports them into a second demo database and finds the same number of
// language versions; RED entries are not exported.
func TestPracticesExportImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	mk := func(name string) string {
		dsn := "sqlite:" + filepath.Join(dir, name)
		db, _, err := engine.OpenAndMigrate(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
			t.Fatal(err)
		}
		db.Close()
		return dsn
	}
	src, dst := mk("a.db"), mk("b.db")
	out := filepath.Join(dir, "md")
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"practices", "export", "--db", src, "--dir", out}, &stdout, &stderr); err != nil {
		t.Fatalf("export: %v\n%s", err, stderr.String())
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.md"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		if strings.Contains(string(b), "tlp: RED") {
			t.Errorf("%s: a RED entry was exported", f)
		}
	}
	if len(files) < 8 {
		t.Fatalf("exported %d files", len(files))
	}
	stdout.Reset()
	if err := run(ctx, []string{"practices", "import", "--db", dst, "--dir", out}, &stdout, &stderr); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr.String())
	}
	db, _, err := engine.OpenAndMigrate(ctx, dst)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := db.ListForExport(access.WithScope(ctx, access.System), practices.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	versions := 0
	for _, e := range all {
		versions += len(e.Texts)
	}
	// The second database holds its own demo entries and the imported ones.
	own := 0
	for _, p := range all {
		if p.CreatedBy == "demo" {
			own += len(p.Texts)
		}
	}
	if versions-own != len(files) {
		t.Errorf("imported %d language versions, exported %d files (%s)", versions-own, len(files), stdout.String())
	}
	stdout.Reset()
	if err := run(ctx, []string{"exchanges", "list", "--db", dst}, &stdout, &stderr); err != nil || !strings.Contains(stdout.String(), "OFFER") {
		t.Errorf("exchanges list: %v\n%s", err, stdout.String())
	}
}
