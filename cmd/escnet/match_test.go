package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/storetest"
)

// The partner finder, the consortium builder and the evaluation on the
// command line, on a database with the demo loaded and, where the shared
// CORDIS files are present, those files imported as `escnet import
// cordis` imports them.

// haveCORDIS reports whether the shared CORDIS files are present.
func haveCORDIS() bool {
	_, err := os.Stat(filepath.Join(cordisDir, "cordis-h2020projects.csv"))
	return err == nil
}

// matchDatabase loads the demo into the (migrated, empty) database dsn and
// imports the CORDIS files when they are there.
func matchDatabase(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	db, _, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if !haveCORDIS() {
		t.Log("the shared CORDIS files are absent: the demo only")
		return
	}
	args := []string{"import", "cordis", "--db", dsn, "--topics", filepath.Join(cordisDir, "cordisref-topics.csv")}
	for _, f := range []string{"cordis-fp7organizations.csv", "cordis-h2020organizations.csv", "cordis-fp7projects.csv", "cordis-h2020projects.csv"} {
		args = append(args, filepath.Join(cordisDir, f))
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, args, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
}

// escnet runs a command line and returns its standard output.
func escnet(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, &out, &errOut)
	if err != nil && strings.Contains(err.Error(), "\n") {
		t.Errorf("%v: error spans lines: %q", args, err)
	}
	return out.String(), err
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := escnet(t, args...)
	if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return out
}

// checkPartnersJSON checks `partners --json`: one array, best first, of
// objects with at least id, name, country, score and reasons.
func checkPartnersJSON(t *testing.T, out string, limit int) []live.Partner {
	t.Helper()
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("partners --json is not one JSON array: %v\n%.500s", err, out)
	}
	if len(raw) == 0 || len(raw) > limit {
		t.Fatalf("partners --json: %d organisations, want 1 to %d", len(raw), limit)
	}
	for i, o := range raw {
		for _, k := range []string{"id", "name", "country", "score", "reasons"} {
			if _, ok := o[k]; !ok {
				t.Errorf("organisation %d has no %q: %v", i, k, o)
			}
		}
	}
	var ps []live.Partner
	if err := json.Unmarshal([]byte(out), &ps); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(ps); i++ {
		if ps[i].Score > ps[i-1].Score {
			t.Errorf("not best first at %d: %v after %v", i, ps[i].Score, ps[i-1].Score)
		}
	}
	return ps
}

// testMatchCommands drives the three commands on a loaded database.
func testMatchCommands(t *testing.T, dsn string) {
	// A demo call: first responders rank with the call's partner type
	// as a reason.
	out := mustRun(t, "partners", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--limit", "10")
	if !strings.HasPrefix(out, "Partners for DEMO-CL3-2027-01-DRS-01:") || !strings.Contains(out, "of a kind the call asks for: ") ||
		!regexp.MustCompile(`(?m)^ +1\. .+ score \d+\.\d{3}$`).MatchString(out) {
		t.Errorf("partners --call:\n%s", out)
	}
	// An idea, as JSON: the demo member that declares counter-drone
	// systems comes first among the demo's.
	ps := checkPartnersJSON(t, mustRun(t, "partners", "--db", dsn, "--text", "counter-drone detection at Twente Airport", "--limit", "10", "--json"), 10)
	if !slices.ContainsFunc(ps, func(p live.Partner) bool { return p.Slug == "proef-drones" }) {
		t.Errorf("counter-drone idea: proef-drones not in %v", slugs(ps))
	}

	if haveCORDIS() {
		// On CORDIS data: a lead by PIC (Fraunhofer, linked to the demo
		// organisation by its PIC) brings its past partners, with the
		// projects they shared.
		ps := checkPartnersJSON(t, mustRun(t, "partners", "--db", dsn, "--text", "maritime border surveillance with unmanned systems",
			"--lead", "999984059", "--exclude", "tno", "--limit", "20", "--json"), 20)
		var worked, withPIC int
		for _, p := range ps {
			if p.PIC != "" {
				withPIC++
			}
			for _, re := range p.Reasons {
				if re.Kind == match.ReasonWorkedWith && re.Who == match.WhoLead && re.Count > 0 {
					worked++
				}
			}
			if p.PIC == "999984059" || p.Slug == "tno" {
				t.Errorf("the lead or an excluded organisation is ranked: %s", p.Name)
			}
		}
		if worked < 5 || withPIC < 10 {
			t.Errorf("CORDIS partners: %d worked with the lead, %d with a PIC, of %d: %v", worked, withPIC, len(ps), slugs(ps))
		}
	}

	// Consortia for a call with a lead: every rule met, the lead first.
	out = mustRun(t, "consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--lead", "tno", "--size", "5", "--proposals", "2")
	if !strings.Contains(out, "Consortia for DEMO-CL3-2027-01-DRS-01 (open), 5 partners each, sharing EUR 4 000 000.00") || !strings.Contains(out, "Proposal 2:") ||
		!regexp.MustCompile(`(?m)^     budget EUR [0-9 ]+\.\d\d \(\d+\.\d+%\)$`).MatchString(out) ||
		!regexp.MustCompile(`  1\. Netherlands Organisation for Applied Scientific Research TNO \(.*\)  \[lead\]`).MatchString(out) ||
		strings.Contains(out, "NOT MET") || !strings.Contains(out, "[2] met: 3 of 3") {
		t.Errorf("consortium:\n%s", out)
	}
	var props []live.Proposal
	if err := json.Unmarshal([]byte(mustRun(t, "consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--json")), &props); err != nil {
		t.Fatal(err)
	}
	if len(props) == 0 || len(props[0].Members) != live.DefaultSize || len(props[0].Results) == 0 {
		t.Errorf("consortium --json: %d proposals", len(props))
	}

	// The evaluation prints its table on CORDIS data; on the demo alone
	// (no projects) it says there is nothing to replay.
	out, err := escnet(t, "eval", "partners", "--db", dsn, "--cutoff", "2017-01-01")
	switch {
	case haveCORDIS() && err != nil:
		t.Errorf("eval: %v", err)
	case haveCORDIS():
		if os.Getenv("ESCNET_PRINT_EVAL") != "" {
			t.Log("\n" + out)
		}
		for _, want := range []string{"Cutoff 2017-01-01: 91 projects evaluated", "| query | method | recall@10 | recall@20 | recall@50 | nDCG@20 |",
			"| topic | escnet |", "| idea | escnet, hand-set weights |", "| idea | lead's partners |", "Partners to find: 795 seen before the cutoff",
			"Lift of escnet over popularity, idea queries: recall@20 "} {
			if !strings.Contains(out, want) {
				t.Errorf("eval output lacks %q:\n%s", want, out)
			}
		}
	case err == nil || !strings.Contains(err.Error(), "no project with a start date"):
		t.Errorf("eval on the demo alone: %v", err)
	}
}

func slugs(ps []live.Partner) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Slug
	}
	return out
}

func TestMatchCommands(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "escnet.db")
	matchDatabase(t, dsn)
	testMatchCommands(t, dsn)

	if haveCORDIS() {
		if _, err := escnet(t, "eval", "partners", "--db", dsn, "--cutoff", "2008-01-01"); err == nil ||
			!strings.Contains(err.Error(), `--cutoff "2008-01-01": no project starts before it`) {
			t.Errorf("eval before the data: %v", err)
		}
		if _, err := escnet(t, "eval", "partners", "--db", dsn, "--cutoff", "2025-01-01"); err == nil ||
			!strings.Contains(err.Error(), "the data ends on 2018-10-01") {
			t.Errorf("eval after the data: %v", err)
		}
	}
}

func TestMatchCommandsBadInput(t *testing.T) {
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "escnet.db")
	ctx := context.Background()
	db, _, err := engine.OpenAndMigrate(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, directory.NewService(db)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	closed := filepath.Join(t.TempDir(), "closed.json")
	if err := os.WriteFile(closed, []byte(`[{"topicId": "OLD-CL3-2020-01", "title": "A closed topic", "actionType": "RIA", "deadline": "2020-11-05"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := escnet(t, "import", "calls", "--db", dsn, closed); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		args    []string
		wantErr string // "usage" for a wrong command line
	}{
		{"consortium for a closed call", []string{"consortium", "--db", dsn, "--call", "OLD-CL3-2020-01"}, "--call: is closed: its deadline (2020-11-05, 17:00 Brussels time) has passed"},
		{"consortium budget outside the call's", []string{"consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--budget", "9000000"}, "--budget: must be one of: 400000000..400000000"},
		{"consortium negative budget", []string{"consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--budget", "-1"}, "--budget -1: give an amount in euros"},
		{"no query", []string{"partners", "--db", dsn}, "usage"},
		{"stray argument", []string{"partners", "--db", dsn, "--text", "drones", "extra"}, "unexpected argument"},
		{"unknown flag", []string{"partners", "--db", dsn, "--text", "drones", "--top", "5"}, "usage"},
		{"unknown lead", []string{"partners", "--db", dsn, "--text", "drones", "--lead", "999999999"}, `--lead: organisation "999999999" is not known`},
		{"unknown call", []string{"partners", "--db", dsn, "--call", "NO-SUCH-CALL"}, "--call: no such call"},
		{"limit", []string{"partners", "--db", dsn, "--text", "drones", "--limit", "0"}, "--limit 0: use 1 to 1000"},
		{"country and kind", []string{"partners", "--db", dsn, "--text", "drones", "--country", "Holland", "--kind", "startup"},
			"--country: is not an ISO 3166-1 alpha-2 country code; --kind: must be one of"},
		{"lead excluded", []string{"partners", "--db", dsn, "--text", "drones", "--lead", "tno", "--exclude", "kpn,tno"}, "--exclude: must be one of"},
		{"no words", []string{"partners", "--db", dsn, "--text", "the of and"}, "--text: the query has no searchable words"},
		{"consortium without call", []string{"consortium", "--db", dsn, "--lead", "tno"}, "usage"},
		{"consortium size", []string{"consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--size", "51"}, "--size 51: use 1 to 50"},
		{"consortium smaller than lead and locked", []string{"consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-DRS-01", "--size", "1", "--lead", "tno", "--locked", "kpn"}, "--size: must be one of: 2..50"},
		{"no consortium possible", []string{"consortium", "--db", dsn, "--call", "DEMO-CL3-2027-01-BM-01"},
			`no consortium satisfies the rule "At least 2 border or coast guard authorities`},
		{"eval without subcommand", []string{"eval", "--cutoff", "2017-01-01"}, "usage"},
		{"eval without cutoff", []string{"eval", "partners", "--db", dsn}, "usage"},
		{"eval bad cutoff", []string{"eval", "partners", "--db", dsn, "--cutoff", "1 January 2017"}, `--cutoff "1 January 2017": not a date`},
		{"eval no projects", []string{"eval", "partners", "--db", dsn, "--cutoff", "2017-01-01"}, "the data holds no project with a start date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := escnet(t, tt.args...)
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
	for _, cmd := range []string{"partners", "consortium", "eval"} {
		out, err := escnet(t, "help", cmd)
		if err != nil && !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: escnet "+cmd) {
			t.Errorf("help %s: %v\n%s", cmd, err, out)
		}
	}
}

// TestMatchCommandsPostgres runs the commands on PostgreSQL, in a schema
// of its own, when ESCNET_TEST_POSTGRES is set.
func TestMatchCommandsPostgres(t *testing.T) {
	base := storetest.PostgresDSN(t)
	ctx := context.Background()
	admin, err := engine.Open(ctx, base)
	if err != nil {
		t.Fatalf("ESCNET_TEST_POSTGRES is set but PostgreSQL does not answer: %v", err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("t_match_commands_%d", os.Getpid())
	if _, err := admin.SQL().ExecContext(ctx, `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.SQL().ExecContext(ctx, `CREATE SCHEMA "`+schema+`"`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.SQL().ExecContext(context.Background(), `DROP SCHEMA IF EXISTS "`+schema+`" CASCADE`) })
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	dsn := base + sep + "search_path=" + schema
	matchDatabase(t, dsn)
	testMatchCommands(t, dsn)
}
