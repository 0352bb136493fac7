package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/store/engine"
)

// twoTopics is a small Funding & Tenders export: one topic whose
// conditions give a rule and a sentence for a person, one without
// conditions.
const twoTopics = `[
  {
    "topicId": "HORIZON-CL3-2026-01-BM-01",
    "title": "Advanced border surveillance and situational awareness",
    "programme": "Horizon Europe",
    "callIdentifier": "HORIZON-CL3-2026-01",
    "actionType": "IA",
    "deadline": "2026-11-05",
    "budgetMin": 6000000,
    "budgetMax": 6000000,
    "expectedGrants": 2,
    "keywords": "Border surveillance, Situational awareness",
    "topicConditions": "3. Other Eligible ConditionsThe following additional eligibility criteria apply:This topic requires the active involvement, as beneficiaries, of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated Countries. Entities established in an eligible country but which are directly or indirectly controlled by China or by a legal entity established in China are not eligible to participate in the action.4. Financial and operational capacity and exclusion"
  },
  {
    "topicId": "HORIZON-CL3-2026-02-CS-ECCC-01",
    "title": "Security in software and hardware development",
    "programme": "Horizon Europe",
    "actionType": "RIA",
    "deadline": "2026-09-15"
  }
]`

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// storedCalls opens the database and returns how many calls it holds and
// the newest change-feed entry.
func storedCalls(t *testing.T, dsn string) (int, int64) {
	t.Helper()
	ctx := context.Background()
	db, _, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := db.ListCalls(ctx, calls.Filter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	last, err := db.LatestChange(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return p.Total, last
}

func TestImportCalls(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "calls.db")
	file := writeFile(t, "topics.json", twoTopics)
	importOnce := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := run(context.Background(), append([]string{"import", "calls"}, args...), &out, &errOut); err != nil {
			t.Fatalf("import: %v\n%s", err, errOut.String())
		}
		return out.String()
	}

	out := importOnce("--db", dsn, file)
	for _, want := range []string{
		"Imported 2 call topics from topics.json",
		"calls         2 new, 0 updated, 0 unchanged",
		"rules parsed  1 from the topics' conditions",
		"to check      1 sentences in 1 topics",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("first import printed\n%s\nwant a line with %q", out, want)
		}
	}
	n, feed := storedCalls(t, dsn)
	if n != 2 {
		t.Errorf("%d calls stored, want 2", n)
	}

	// The same file again, flags after the file this time: nothing
	// changes, nothing is appended to the change feed.
	out = importOnce(file, "--db", dsn)
	if !strings.Contains(out, "calls         0 new, 0 updated, 2 unchanged") {
		t.Errorf("second import printed\n%s\nwant 2 unchanged", out)
	}
	if n2, feed2 := storedCalls(t, dsn); n2 != 2 || feed2 != feed {
		t.Errorf("second import: %d calls, change feed %d → %d; want 2 and no new entries", n2, feed, feed2)
	}

	// The portal moves a deadline: one call is updated.
	moved := writeFile(t, "topics.json", strings.Replace(twoTopics, `"deadline": "2026-09-15"`, `"deadline": "2026-10-01"`, 1))
	out = importOnce("--db", dsn, moved)
	if !strings.Contains(out, "calls         0 new, 1 updated, 1 unchanged") {
		t.Errorf("import of a changed file printed\n%s\nwant 1 updated", out)
	}
}

func TestImportCallsRefusesBadInput(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "calls.db")
	noID := strings.Replace(twoTopics, `"topicId": "HORIZON-CL3-2026-02-CS-ECCC-01",`, ``, 1)
	dup := strings.Replace(twoTopics, `HORIZON-CL3-2026-02-CS-ECCC-01`, `HORIZON-CL3-2026-01-BM-01`, 1)
	badBudget := strings.Replace(twoTopics, `"budgetMin": 6000000`, `"budgetMin": "six million"`, 1)
	tests := []struct {
		name       string
		body       string
		wantStderr []string // lines naming the item and the problem
	}{
		{"not JSON", "topicId,title\nX,Y\n", []string{"topics.json: topics: is not valid JSON"}},
		{"not an array", `{"topicId": "X"}`, []string{"topics.json: topics: has the wrong type (expected array)"}},
		{"truncated", twoTopics[:len(twoTopics)/2], []string{"topics.json: topics"}},
		{"a topic without id", noID, []string{"topics.json: topics[1].topicId: is required"}},
		{"the same topic twice", dup, []string{"topics.json: topics[1].topicId (topic HORIZON-CL3-2026-01-BM-01): is already used by another record"}},
		{"a budget in words", badBudget, []string{"topics.json: topics[0].budgetMin (topic HORIZON-CL3-2026-01-BM-01): has the wrong type (expected number)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := writeFile(t, "topics.json", tt.body)
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{"import", "calls", "--db", dsn, file}, &out, &errOut)
			if err == nil || errors.Is(err, errUsage) || !strings.Contains(err.Error(), "nothing was imported") {
				t.Errorf("err = %v, want a failure saying nothing was imported", err)
			}
			for _, want := range tt.wantStderr {
				if !strings.Contains(errOut.String(), want) {
					t.Errorf("stderr = %q, want it to contain %q", errOut.String(), want)
				}
			}
			if out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", out.String())
			}
		})
	}
	// None of the refused files wrote anything.
	if n, _ := storedCalls(t, dsn); n != 0 {
		t.Errorf("%d calls stored after refused imports, want 0", n)
	}
}

func TestImportCallsCommandLine(t *testing.T) {
	dir := t.TempDir()
	file := writeFile(t, "topics.json", twoTopics)
	tests := []struct {
		name    string
		args    []string
		wantErr string // substring of the error; "usage" for errUsage
	}{
		{"no file", []string{"import", "calls"}, "usage"},
		{"two files", []string{"import", "calls", file, file}, "usage"},
		{"unknown flag", []string{"import", "calls", "--strict", file}, "usage"},
		{"missing file", []string{"import", "calls", "--db", filepath.Join(dir, "x.db"), filepath.Join(dir, "none.json")}, "no such file"},
		{"a directory", []string{"import", "calls", "--db", filepath.Join(dir, "x.db"), dir}, "is a directory"},
		{"source after flags", []string{"import", "--db", filepath.Join(dir, "x.db"), "calls", file}, "usage"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tt.args, &out, &errOut)
			switch {
			case tt.wantErr == "usage":
				if !errors.Is(err, errUsage) {
					t.Errorf("err = %v, want a usage error", err)
				}
			case err == nil || !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "calls", "-h"}, &out, &out); err == nil || !strings.Contains(out.String(), "Funding & Tenders") {
		t.Errorf("import calls -h: err %v, output %q", err, out.String())
	}
}
