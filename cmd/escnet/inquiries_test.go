package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestInquiriesCommands: the demo's questions are listed, shown with
// their thread (and, when open, their routing), and counted in the statistics; a missing one is an error.
func TestInquiriesCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "demo.db")
	_, out := startServe(t, "--db", dsn, "--demo")
	if !strings.Contains(out.String(), "Loaded 7 demonstration questions") {
		t.Fatalf("serve --demo does not report the questions:\n%s", out.String())
	}
	cmd := func(args ...string) (string, error) {
		var o bytes.Buffer
		err := run(context.Background(), append(args, "--db", dsn), &o, &o)
		return o.String(), err
	}
	list, err := cmd("inquiries", "list", "--state", "closed")
	if err != nil || !strings.Contains(list, "SAFE Cluster") || strings.Contains(list, "Flanders.ISSN") {
		t.Errorf("inquiries list --state closed: %v\n%s", err, list)
	}
	show, err := cmd("inquiries", "show", "4")
	if err != nil || !strings.Contains(show, "Stromnetz") || !strings.Contains(show, "Erika Mustermann") {
		t.Errorf("inquiries show 4: %v\n%s", err, show)
	}
	// An open case lists its routing, the practices library included.
	flood, err := cmd("inquiries", "show", "2")
	if err != nil || !strings.Contains(flood, "Suggested experts: ") || !strings.Contains(flood, "Suggested practices: ") ||
		!strings.Contains(flood, "Evacuatie van een wijk bij hoogwater") {
		t.Errorf("inquiries show 2: %v, want the suggestions with the flood lesson\n%s", err, flood)
	}
	stats, err := cmd("inquiries", "stats", "--csv")
	if err != nil || !strings.HasPrefix(stats, "dimension,key,received") || !strings.Contains(stats, "kind,government,") {
		t.Errorf("inquiries stats --csv: %v\n%s", err, stats)
	}
	if _, err := cmd("inquiries", "show", "99"); err == nil {
		t.Error("inquiries show 99 succeeded")
	}
}
