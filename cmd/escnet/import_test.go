package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/directory"
)

const cordisDir = "../../../shared/data/cordis"

func TestImportCommand(t *testing.T) {
	if _, err := os.Stat(filepath.Join(cordisDir, "cordis-fp7projects.csv")); err != nil {
		t.Skip("the shared CORDIS files are absent")
	}
	dir := t.TempDir()
	db := filepath.Join(dir, "escnet.db")
	files := []string{"import", "cordis", "--db", db}
	for _, f := range []string{"cordis-fp7organizations.csv", "cordis-h2020organizations.csv", "cordis-fp7projects.csv", "cordis-h2020projects.csv"} {
		files = append(files, filepath.Join(cordisDir, f))
	}
	// Flags after the files work too.
	args := append(files, "--topics", filepath.Join(cordisDir, "cordisref-topics.csv"))
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	for _, want := range []string{"projects        632 new", "organisations   3,070 new", "participations  6,873 new", "topics          294 new", "rows rejected   0"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
	// Not a terminal: plain progress lines, no carriage returns.
	if strings.Contains(errOut.String(), "\r") || !strings.Contains(errOut.String(), "importing: 100%") {
		t.Errorf("progress on a non-terminal:\n%q", errOut.String())
	}

	// What the records show beyond doubt: public bodies named as
	// municipalities and regions are local or regional authorities.
	checkActorTypes(t, db)

	out.Reset()
	if err := run(context.Background(), files, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "projects        0 new, 0 updated, 632 unchanged") || !strings.Contains(out.String(), "participations  0 new, 0 updated, 6,873 unchanged") {
		t.Errorf("second import summary:\n%s", out.String())
	}

	out.Reset()
	if err := run(context.Background(), []string{"orgs", "candidates", "--db", db, "--limit", "3"}, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "19 candidate pairs") || !strings.Contains(out.String(), "same_vat") {
		t.Errorf("candidates:\n%s", out.String())
	}
}

func TestImportCommandBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	projects := write("p.csv", "rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme\n"+
		"1;100;GOOD;ONG;FP7-SECURITY;SEC-1;FP7;Good;2012-03-01;2015-02-28;;Obj;1000;800;CALL;CP\n")
	orgs := write("o.csv", "projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber\n"+
		"1;100;GOOD;coordinator;900000011;ALPHA BV;;PRC;false;500;NL;;Delft;;;\n"+
		"1;999;GONE;participant;900000012;BETA BV;;PRC;false;300;NL;;Delft;;;\n"+
		"1;100;GOOD;participant;900000013;GAMMA BV;;PRC;false;3OO;ZZ;;Delft;;;\n")
	db := filepath.Join(dir, "escnet.db")
	tests := []struct {
		name    string
		args    []string
		wantErr string
		wantOut []string // in stdout+stderr
	}{
		{"strict stops before writing", []string{"import", "cordis", "--strict", "--db", db, projects, orgs}, "2 bad rows",
			[]string{"o.csv:3: projectID: project 999 is missing", "o.csv:4: ecContribution: not a number"}},
		{"default skips bad rows", []string{"import", "cordis", "--db", db, projects, orgs}, "",
			[]string{"o.csv:3: projectID: project 999 is missing", "rows rejected   2", "participations  1 new"}},
		{"not a CSV file", []string{"import", "cordis", "--db", db, write("x.xlsx", "PK\x03\x04junk")}, "not a CORDIS export",
			[]string{"x.xlsx: a ZIP archive"}},
		{"unknown source", []string{"import", "openaire", "--db", db, projects}, "usage", nil},
		{"no files", []string{"import", "cordis", "--db", db}, "usage", nil},
		{"missing file", []string{"import", "cordis", "--db", db, filepath.Join(dir, "nope.csv")}, "no such file", nil},
		{"help", []string{"help", "import"}, "", []string{"Usage: escnet import cordis", "--strict"}},
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
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("err = %v, want one containing %q", err, tt.wantErr)
				}
			case err != nil && !errors.Is(err, flag.ErrHelp):
				t.Errorf("err = %v", err)
			}
			all := out.String() + errOut.String()
			for _, w := range tt.wantOut {
				if !strings.Contains(all, w) {
					t.Errorf("output lacks %q:\n%s", w, all)
				}
			}
		})
	}
	// The strict run wrote nothing: the default run after it found the
	// good rows new ("participations  1 new" above).
}

func TestThousands(t *testing.T) {
	for in, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 6873: "6,873", 1000000: "1,000,000", -1234: "-1,234"} {
		if got := thousands(in); got != want {
			t.Errorf("thousands(%d) = %q, want %q", in, got, want)
		}
	}
	if !regexp.MustCompile(`CPUs`).MatchString(machine()) {
		t.Errorf("machine() = %q", machine())
	}
}

// checkActorTypes: after the CORDIS import, the public bodies named as
// municipalities or regions ("GEMEENTE DEN HAAG", "AYUNTAMIENTO DE
// MADRID") are local authorities, and only public bodies are.
func checkActorTypes(t *testing.T, db string) {
	t.Helper()
	a, _, err := app.Open(context.Background(), db, app.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	ctx := access.AsSystem(context.Background())
	p, err := a.Directory.ListOrganisations(ctx, directory.Filter{Role: directory.ActorLocalAuthority, Limit: directory.MaxListLimit})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, o := range p.Items {
		names[strings.ToUpper(o.Name)] = true
		if o.Kind != directory.KindPublicBody {
			t.Errorf("%s (%s) is a local authority", o.Name, o.Kind)
		}
	}
	if p.Total < 50 || !names["GEMEENTE DEN HAAG"] || !names["AYUNTAMIENTO DE MADRID"] || names["MINISTERIUM FUER INNERES UND KOMMUNALES NORDRHEIN-WESTFALEN"] {
		t.Errorf("%d local authorities after the import: %v", p.Total, names)
	}
}
