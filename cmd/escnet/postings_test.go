package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
)

// TestPostingsList lists the demo's postings from the command line.
func TestPostingsList(t *testing.T) {
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "p.db")
	a, _, err := app.Open(ctx, dsn, app.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadAll(ctx, a, time.Now(), demo.WithoutCORDIS()); err != nil {
		t.Fatal(err)
	}
	a.Close()
	var stdout, stderr bytes.Buffer
	if err := run(ctx, []string{"postings", "list", "--db", dsn, "--kind", "offer"}, &stdout, &stderr); err != nil {
		t.Fatalf("postings list: %v\n%s", err, stderr.String())
	}
	out := stdout.String()
	if !strings.Contains(out, "INTERESTED") || !strings.Contains(out, "fraunhofer") || strings.Contains(out, "seek") {
		t.Errorf("postings list --kind offer:\n%s", out)
	}
	if err := run(ctx, []string{"postings", "list", "--db", dsn, "--kind", "sell"}, &stdout, &stderr); !errors.Is(err, errUsage) {
		t.Errorf("--kind sell: %v, want a usage error", err)
	}
}
