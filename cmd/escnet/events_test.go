package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/engine"
)

// TestEventsCommands drives "escnet events list|attendees|schedule" on
// the demo events.
func TestEventsCommands(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "escnet.db")
	ctx := context.Background()
	db, _, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.LoadEvents(ctx, db, time.Now()); err != nil {
		t.Fatal(err)
	}
	db.Close()
	run1 := func(args ...string) (string, string, error) {
		var out, errb bytes.Buffer
		err := run(ctx, append([]string{"events"}, append(args, "--db", dsn)...), &out, &errb)
		return out.String(), errb.String(), err
	}
	out, _, err := run1("list")
	if err != nil || !strings.Contains(out, "2015-11-26 09:30") || !strings.Contains(out, "security-brokerage-day") || !strings.Contains(out, "60/120") {
		t.Errorf("list: %v\n%s", err, out)
	}
	out, _, err = run1("attendees", "security-brokerage-day")
	if err != nil || strings.Count(out, "(fictitious)") != 60 {
		t.Errorf("attendees: %v, %d fictitious attendees\n%.500s", err, strings.Count(out, "(fictitious)"), out)
	}
	out, _, err = run1("schedule", "security-brokerage-day")
	if err != nil || !strings.Contains(out, "moved 0") {
		t.Errorf("schedule (a second run keeps the plan): %v\n%s", err, out)
	}
	if _, _, err := run1("schedule", "workshop-strengthening-cooperation"); err == nil || !strings.Contains(err.Error(), "no 1:1 meetings") && !strings.Contains(err.Error(), "brokerage") {
		t.Errorf("schedule of an event without meetings: err = %v", err)
	}
	out, _, err = run1("remind", "security-brokerage-day")
	if err != nil || !strings.Contains(out, "reminders sent: 60") {
		t.Errorf("remind: %v\n%s", err, out)
	}
	if _, _, err := run1("attendees"); err != errUsage {
		t.Errorf("attendees without an event: err = %v, want the usage", err)
	}
}
