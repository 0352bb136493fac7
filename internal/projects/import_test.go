package projects_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

var ctx = audit.WithActor(context.Background(), audit.Actor{Label: "cli"})

const realData = "../../../shared/data/cordis"

var realFiles = []string{"cordis-fp7projects.csv", "cordis-h2020projects.csv", "cordis-fp7organizations.csv", "cordis-h2020organizations.csv"}

// forEachEngine runs fn on SQLite and, when ESCNET_TEST_POSTGRES is set,
// PostgreSQL. newDB gives a fresh database living as long as its t.
func forEachEngine(t *testing.T, fn func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, func(t *testing.T) *sqlstore.DB { return storetest.NewSQLite(t) }) })
	t.Run("postgres", func(t *testing.T) {
		storetest.PostgresDSN(t)
		fn(t, func(t *testing.T) *sqlstore.DB { return storetest.NewPostgres(t) })
	})
}

func fileSource(t testing.TB, path string) projects.Source {
	t.Helper()
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not found; skipping the test on real CORDIS data", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return projects.Source{Name: filepath.Base(path), Size: st.Size(), Open: func() (io.ReadCloser, error) { return os.Open(path) }}
}

func realSources(t testing.TB, withTopics bool) []projects.Source {
	t.Helper()
	var out []projects.Source
	// Given in the "wrong" order on purpose: organisations before projects.
	for _, f := range slices.Backward(realFiles) {
		out = append(out, fileSource(t, filepath.Join(realData, f)))
	}
	if withTopics {
		out = append(out, fileSource(t, filepath.Join(realData, "cordisref-topics.csv")))
	}
	return out
}

// stringSource is an in-memory file.
func stringSource(name, content string) projects.Source {
	return projects.Source{Name: name, Size: int64(len(content)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(strings.NewReader(content)), nil
	}}
}

func count(t testing.TB, db *sqlstore.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// dump is a canonical text of everything an import or a merge writes,
// without generated ids and times: organisations are named by slug.
func dump(t testing.TB, db *sqlstore.DB) string {
	t.Helper()
	queries := []string{
		`SELECT slug, name, short_name, kind, sme, country, city, website, COALESCE(pic, ''), COALESCE(vat, ''), description, sort_key, search_text FROM organisations ORDER BY slug`,
		`SELECT id, rcn, acronym, title, sort_key, search_text, objective, status, framework, programmes, call_id, funding_scheme, start_date, end_date, website,
			COALESCE(total_cost_cents, -1), COALESCE(eu_contribution_cents, -1), source_updated, content_hash FROM projects ORDER BY id`,
		`SELECT project_id, code, position FROM project_topics ORDER BY project_id, code`,
		`SELECT project_id, subject, position FROM project_subjects ORDER BY project_id, subject`,
		`SELECT code, title, call_name, work_programme, content_hash FROM topics ORDER BY code`,
		`SELECT pa.project_id, pa.pic, o.slug, pa.role, COALESCE(pa.eu_contribution_cents, -1), pa.terminated, pa.position, pa.source_updated, pa.content_hash
			FROM participations pa JOIN organisations o ON o.id = pa.organisation_id ORDER BY pa.project_id, pa.pic`,
		`SELECT c.pic, o.slug, c.name, c.short_name, c.kind, c.sme, c.country, c.city, c.website, c.vat, c.source_rank, c.content_hash
			FROM cordis_organisations c JOIN organisations o ON o.id = c.organisation_id ORDER BY c.pic`,
		`SELECT i.scheme, i.value, o.slug, i.source FROM organisation_identifiers i JOIN organisations o ON o.id = i.organisation_id ORDER BY i.scheme, i.value, o.slug`,
		`SELECT o.slug, r.role, r.position FROM organisation_roles r JOIN organisations o ON o.id = r.organisation_id ORDER BY o.slug, r.role`,
		`SELECT o.slug, c.capability_code, c.position FROM organisation_capabilities c JOIN organisations o ON o.id = c.organisation_id ORDER BY o.slug, c.capability_code`,
		`SELECT o.slug, m.cluster_id, m.role, m.since FROM memberships m JOIN organisations o ON o.id = m.organisation_id ORDER BY o.slug, m.cluster_id`,
		`SELECT p.name, o.slug FROM people p JOIN organisations o ON o.id = p.organisation_id ORDER BY p.name, o.slug`,
		`SELECT f.slug, o.slug FROM facilities f JOIN organisations o ON o.id = f.organisation_id ORDER BY f.slug`,
		`SELECT i.email, o.slug FROM invitations i JOIN organisations o ON o.id = i.organisation_id ORDER BY i.email`,
	}
	var b strings.Builder
	for _, q := range queries {
		rows, err := db.SQL().QueryContext(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if i > 0 {
					b.WriteByte('|')
				}
				switch x := v.(type) {
				case []byte:
					b.Write(x)
				case bool: // PostgreSQL; SQLite gives 0/1
					fmt.Fprint(&b, map[bool]int{false: 0, true: 1}[x])
				default:
					fmt.Fprint(&b, x)
				}
			}
			b.WriteByte('\n')
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// diff reports the first line where two dumps differ.
func diff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return fmt.Sprintf("line %d:\n got  %q\n want %q", i+1, g[i], w[i])
		}
	}
	return fmt.Sprintf("got %d lines, want %d", len(g), len(w))
}

// feed is the change feed as (entity, op, key) lines, organisations named
// by slug so that two databases compare.
func feed(t testing.TB, db *sqlstore.DB) []string {
	t.Helper()
	rows, err := db.SQL().QueryContext(ctx, `SELECT c.entity, c.op, COALESCE(o.slug, c.entity_id) FROM changes c
		LEFT JOIN organisations o ON o.id = c.entity_id ORDER BY c.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e, op, k string
		if err := rows.Scan(&e, &op, &k); err != nil {
			t.Fatal(err)
		}
		if e != "capability" { // the taxonomy seeded by migrate
			out = append(out, e+" "+op+" "+k)
		}
	}
	return out
}

// TestImportRealData is the acceptance test: the four CORDIS files
// give 632 projects, 6,873 participations and 3,070 organisations. The
// numbers arise from the files as they are: the 321 FP7 and 311 H2020
// project ids are all distinct (no project is in both programmes); each of
// the 4,072 + 2,801 organisation rows is a distinct (project, PIC) pair
// whose project is in the files, so none is dropped; and the rows name
// 3,070 distinct PICs. A PIC is CORDIS's identity of a legal entity, so
// each becomes one organisation, even where two PICs share a VAT number
// (ten such numbers occur): those pairs are listed as merge candidates
// rather than merged behind the administrator's back. "MISSING" and other
// VAT placeholders are no VAT number, so they link nothing.
func TestImportRealData(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		sum, err := projects.Import(ctx, db, realSources(t, true), projects.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			what      string
			got, want int
		}{
			{"projects in the database", count(t, db, `SELECT COUNT(*) FROM projects`), 632},
			{"participations in the database", count(t, db, `SELECT COUNT(*) FROM participations`), 6873},
			{"organisations in the database", count(t, db, `SELECT COUNT(*) FROM organisations`), 3070},
			{"distinct participants", count(t, db, `SELECT COUNT(DISTINCT organisation_id) FROM participations`), 3070},
			{"topics", count(t, db, `SELECT COUNT(*) FROM topics`), 294},
			{"summary: new projects", sum.Projects.New, 632},
			{"summary: new organisations", sum.Organisations.New, 3070},
			{"summary: new participations", sum.Participations.New, 6873},
			{"summary: rejected rows", sum.Rejected, 0},
			{"summary: warnings", sum.Warnings, 0},
			{"coordinators", count(t, db, `SELECT COUNT(*) FROM participations WHERE role = 'coordinator'`), 633},
			{"participations of unknown amount", count(t, db, `SELECT COUNT(*) FROM participations WHERE eu_contribution_cents IS NULL`), 248},
			{"organisations in Greece (EL)", count(t, db, `SELECT COUNT(DISTINCT pa.pic) FROM participations pa JOIN organisations o ON o.id = pa.organisation_id WHERE o.country = 'GR'`),
				count(t, db, `SELECT COUNT(*) FROM organisations WHERE country = 'GR'`)},
			{"organisations in EL or UK left", count(t, db, `SELECT COUNT(*) FROM organisations WHERE country IN ('EL', 'UK')`), 0},
			{"VAT numbers held by a second PIC", count(t, db, `SELECT COUNT(*) FROM organisation_identifiers WHERE scheme = 'vat'`), 10},
		}
		for _, tt := range tests {
			if tt.got != tt.want {
				t.Errorf("%s = %d, want %d", tt.what, tt.got, tt.want)
			}
		}
		// EU contributions in cents: the DARIUS coordinator, 842858 euro.
		if n := count(t, db, `SELECT eu_contribution_cents FROM participations WHERE project_id = '284851' AND pic = '997989448'`); n != 84285800 {
			t.Errorf("DARIUS coordinator contribution = %d cents, want 84285800", n)
		}

		// A second import of the same files changes nothing at all.
		before, feedBefore := dump(t, db), len(feed(t, db))
		latest, err := db.LatestChange(ctx)
		if err != nil {
			t.Fatal(err)
		}
		audits := count(t, db, `SELECT COUNT(*) FROM audit_log`)
		states := dumpStates(t, db)
		sum, err = projects.Import(ctx, db, realSources(t, true), projects.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if c := sum.Projects.Changed() + sum.Organisations.Changed() + sum.Participations.Changed() + sum.Topics.Changed() + sum.Linked; c != 0 {
			t.Errorf("second import changed %d records: %+v", c, sum)
		}
		if sum.Projects.Unchanged != 632 || sum.Participations.Unchanged != 6873 {
			t.Errorf("second import: %d projects and %d participations unchanged, want 632 and 6873", sum.Projects.Unchanged, sum.Participations.Unchanged)
		}
		if after := dump(t, db); after != before {
			t.Errorf("second import changed the data: %s", diff(after, before))
		}
		if l, _ := db.LatestChange(ctx); l != latest || len(feed(t, db)) != feedBefore {
			t.Errorf("second import appended to the change feed (latest %d, was %d)", l, latest)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM audit_log`); n != audits {
			t.Errorf("second import wrote %d audit entries", n-audits)
		}
		if s := dumpStates(t, db); s != states {
			t.Errorf("second import rewrote the import state:\n%s\nwas\n%s", s, states)
		}
	})
}

func dumpStates(t testing.TB, db *sqlstore.DB) string {
	t.Helper()
	rows, err := db.SQL().QueryContext(ctx, `SELECT hash, name, line, done, updated_at FROM import_files ORDER BY hash`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var h, n string
		var line int
		var done bool
		var at any
		if err := rows.Scan(&h, &n, &line, &done, &at); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, h, n, line, done, at)
	}
	return b.String()
}

// TestImportResume interrupts an import after some batches and runs it
// again: the database ends as after one clean run, with the same change
// feed, and the second run skips what the first committed.
func TestImportResume(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		clean := newDB(t)
		if _, err := projects.Import(ctx, clean, realSources(t, true), projects.Options{}); err != nil {
			t.Fatal(err)
		}
		want, wantFeed := dump(t, clean), feed(t, clean)
		// Batches of 500: topics 1, FP7 projects 1, H2020 projects 1, FP7
		// organisations 9, H2020 organisations 6.
		for _, stopAfter := range []int{2, 7, 15} {
			t.Run(fmt.Sprintf("stopped after %d batches", stopAfter), func(t *testing.T) {
				db := newDB(t)
				killed, cancel := context.WithCancel(ctx)
				defer cancel()
				_, err := projects.Import(killed, db, realSources(t, true), projects.Options{AfterBatch: func(n int) {
					if n == stopAfter {
						cancel()
					}
				}})
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("interrupted import: err = %v, want context.Canceled", err)
				}
				if n := count(t, db, `SELECT COUNT(*) FROM participations`); n >= 6873 {
					t.Fatalf("the interrupted import stored all %d participations; it should have stopped midway", n)
				}
				sum, err := projects.Import(ctx, db, realSources(t, true), projects.Options{})
				if err != nil {
					t.Fatal(err)
				}
				resumed := 0
				for _, f := range sum.Files {
					resumed += f.Resumed
				}
				if resumed == 0 {
					t.Errorf("the second run skipped no committed rows: %+v", sum.Files)
				}
				if got := dump(t, db); got != want {
					t.Errorf("after an interrupted and a second run the data differs from one clean run: %s", diff(got, want))
				}
				if got := feed(t, db); !slices.Equal(got, wantFeed) {
					t.Errorf("change feed has %d entries, one clean run %d", len(got), len(wantFeed))
				}
			})
		}
	})
}

const fixtures = "../cordis/testdata"

// TestImportNewerLayout imports the newer project.csv/organization.csv
// layout on top of the H2020/FP7 files: an organisation known by its PIC
// is linked (not duplicated) and updated from the newer export; fields
// follow the newest row; an older row does not overwrite a newer one.
func TestImportNewerLayout(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		if _, err := projects.Import(ctx, db, realSources(t, false), projects.Options{}); err != nil {
			t.Fatal(err)
		}
		sum, err := projects.Import(ctx, db, []projects.Source{
			fileSource(t, filepath.Join(fixtures, "organization.csv")),
			fileSource(t, filepath.Join(fixtures, "project.csv")),
		}, projects.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Projects.New != 3 || sum.Participations.New != 7 || sum.Organisations.New != 4 || sum.Organisations.Updated != 1 || sum.Rejected != 0 {
			t.Errorf("summary = %+v, want 3 new projects, 7 participations, 4 new organisations and Fraunhofer updated", sum)
		}
		if sum.Warnings != 1 || sum.WarningList[0].Field != "title" || sum.WarningList[0].File != "project.csv" {
			t.Errorf("warnings = %+v, want the repaired title of project.csv", sum.WarningList)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM organisations`); n != 3074 {
			t.Errorf("%d organisations, want 3070 + 4 new", n)
		}
		// Fraunhofer (999984059) is linked: one organisation, now with the
		// newer export's name, and participations in both layouts.
		if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE pic = '999984059'`); n != 1 {
			t.Errorf("%d organisations with Fraunhofer's PIC, want 1", n)
		}
		if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE pic = '999984059' AND name = 'FRAUNHOFER GESELLSCHAFT ZUR FOERDERUNG DER ANGEWANDTEN FORSCHUNG EV'`); n != 1 {
			t.Errorf("Fraunhofer does not carry the newer export's name")
		}
		p, err := db.GetProject(ctx, "101100001")
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCostCents == nil || *p.TotalCostCents != 499987550 || len(p.Participants) != 4 || p.Participants[0].Role != "coordinator" ||
			p.Participants[0].PIC != "999984059" || p.Participants[1].Country != "GR" || p.Participants[3].Role != "third_party" {
			t.Errorf("project 101100001 = %+v", p)
		}
		p, err = db.GetProject(ctx, "101100002")
		if err != nil {
			t.Fatal(err)
		}
		if p.Title != "Border checks at the edge’s limits (fixture)" {
			t.Errorf("title = %q, want it repaired", p.Title)
		}
		// SME only for companies; "MISSING" is no VAT number.
		if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE pic = '900000002' AND sme = $1 AND kind = 'company'`, true); n != 1 {
			t.Errorf("Fixture Drones is not an SME company")
		}
		if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE pic = '900000003' AND vat IS NULL`); n != 1 {
			t.Errorf("the placeholder VAT MISSING was stored")
		}
		// KENTRO FIXTURE's rows: 2024-05-13 (project 101100001) and
		// 2024-01-02 (project 101100003); the newer one speaks.
		if n := count(t, db, `SELECT COUNT(*) FROM cordis_organisations WHERE pic = '900000001' AND source_rank LIKE '2024-05-13%'`); n != 1 {
			t.Errorf("KENTRO FIXTURE follows an older row")
		}
		// And again: nothing changes.
		before := dump(t, db)
		sum, err = projects.Import(ctx, db, []projects.Source{
			fileSource(t, filepath.Join(fixtures, "project.csv")),
			fileSource(t, filepath.Join(fixtures, "organization.csv")),
		}, projects.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Projects.Changed()+sum.Organisations.Changed()+sum.Participations.Changed() != 0 {
			t.Errorf("second import of the newer layout changed something: %+v", sum)
		}
		if after := dump(t, db); after != before {
			t.Errorf("second import changed the data: %s", diff(after, before))
		}
	})
}

const projHeader = "rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;coordinatorCountry;participants;participantCountries;subjects\n"
const orgHeader = "projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber\n"

func projLine(id, title string) string {
	return "1;" + id + ";ACR" + id + ";ONG;FP7-SECURITY;SEC-1;FP7;" + title + ";2012-03-01;2015-02-28;;Objective;1000;800;CALL;CP;;;;;\"security;crisis\"\n"
}

func orgLine(project, role, pic, name, country, city, amount, vat string) string {
	return "1;" + project + ";ACR;" + role + ";" + pic + ";" + name + ";;PRC;false;" + amount + ";" + country + ";;" + city + ";;;" + vat + "\n"
}

// TestImportUpdates: a newer export updates what changed; a field someone
// edited by hand in the directory stays as they left it.
func TestImportUpdates(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		v1 := []projects.Source{
			stringSource("p.csv", projHeader+projLine("100", "First title")+projLine("101", "Other")),
			stringSource("o.csv", orgHeader+orgLine("100", "coordinator", "900000011", "ALPHA SECURITY BV", "NL", "Delft", "500", "NL111111111B01")+
				orgLine("101", "participant", "900000011", "ALPHA SECURITY BV", "NL", "Delft", "300", "NL111111111B01")),
		}
		if _, err := projects.Import(ctx, db, v1, projects.Options{}); err != nil {
			t.Fatal(err)
		}
		// Someone edits the name by hand.
		o, err := db.GetOrganisation(ctx, "alpha-security-bv")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.SQL().ExecContext(ctx, `UPDATE organisations SET name = 'Alpha Security' WHERE id = $1`, o.ID); err != nil {
			t.Fatal(err)
		}
		v2 := []projects.Source{
			stringSource("p2.csv", projHeader+projLine("100", "Second title")+projLine("101", "Other")),
			stringSource("o2.csv", orgHeader+orgLine("100", "coordinator", "900000011", "ALPHA SECURITY B.V.", "NL", "Den Haag", "500", "NL111111111B01")+
				orgLine("101", "participant", "900000011", "ALPHA SECURITY BV", "NL", "Delft", "350.5", "NL111111111B01")),
		}
		sum, err := projects.Import(ctx, db, v2, projects.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Projects.Updated != 1 || sum.Projects.Unchanged != 1 || sum.Participations.Updated != 1 || sum.Participations.Unchanged != 1 {
			t.Errorf("summary = %+v, want one project and one participation updated", sum)
		}
		p, _ := db.GetProject(ctx, "100")
		if p.Title != "Second title" {
			t.Errorf("title = %q, want the newer export's", p.Title)
		}
		if n := count(t, db, `SELECT eu_contribution_cents FROM participations WHERE project_id = '101'`); n != 35050 {
			t.Errorf("contribution = %d cents, want 35050", n)
		}
		// The organisation follows its latest project (101), which still
		// says Delft; the hand-edited name stays.
		o, err = db.GetOrganisation(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "Alpha Security" || o.City != "Delft" {
			t.Errorf("organisation = %q in %q, want the hand-edited name in Delft", o.Name, o.City)
		}
		// A newer export of project 101 moves the organisation.
		v3 := []projects.Source{stringSource("o3.csv", orgHeader+orgLine("101", "participant", "900000011", "ALPHA SECURITY BV", "NL", "Den Haag", "350.5", "NL111111111B01"))}
		if sum, err = projects.Import(ctx, db, v3, projects.Options{}); err != nil {
			t.Fatal(err)
		}
		o, _ = db.GetOrganisation(ctx, o.ID)
		if o.Name != "Alpha Security" || o.City != "Den Haag" || sum.Organisations.Updated != 1 {
			t.Errorf("after a newer export: %q in %q (%+v), want the hand-edited name in Den Haag", o.Name, o.City, sum.Organisations)
		}
	})
}

// TestImportBadInput: a bad row is named by file, line and problem; the
// default run stores every good row, a strict run stores nothing; a file
// that is no CORDIS export stops the import before it writes.
func TestImportBadInput(t *testing.T) {
	files := func() []projects.Source {
		return []projects.Source{
			stringSource("p.csv", projHeader+projLine("100", "Good")+"1;;NOID;ONG;FP7-SECURITY;SEC-1;FP7;No id;2012-03-01;2015-02-28;;Obj;1;1;CALL;CP\n"),
			stringSource("o.csv", orgHeader+
				orgLine("100", "coordinator", "900000011", "ALPHA BV", "NL", "Delft", "500", "")+
				orgLine("999", "participant", "900000012", "BETA BV", "NL", "Delft", "300", "")+ // project 999 is missing
				orgLine("100", "participant", "900000013", "GAMMA BV", "XX", "Delft", "300", "")+ // unknown country
				orgLine("100", "participant", "900000014", "DELTA BV", "DE", "Köln", "3OO", "")+ // non-numeric amount
				orgLine("100", "participant", "900000015", "EPSILON â€? BV", "DE", "Köln", "1", "")+ // mis-encoded
				orgLine("100", "participant", "900000016", "ZETA BV", "BE", "Gent", "100", "")),
		}
	}
	wantProblems := []string{
		"p.csv:3: id: missing: a row without a project id",
		"o.csv:4: country: unknown country code \"XX\"",
		"o.csv:5: ecContribution: not a number: \"3OO\" (amounts are written like 1234.56)",
		"o.csv:6: name: mis-encoded text that cannot be repaired",
		"o.csv:3: projectID: project 999 is missing",
	}
	check := func(t *testing.T, sum projects.Summary) {
		t.Helper()
		var got []string
		for _, p := range sum.Problems {
			got = append(got, p.Error())
		}
		if len(got) != len(wantProblems) || sum.Rejected != len(wantProblems) {
			t.Fatalf("problems (%d rejected):\n%s\nwant:\n%s", sum.Rejected, strings.Join(got, "\n"), strings.Join(wantProblems, "\n"))
		}
		for _, w := range wantProblems {
			if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
				t.Errorf("no problem %q among:\n%s", w, strings.Join(got, "\n"))
			}
		}
	}
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		t.Run("default", func(t *testing.T) {
			db := newDB(t)
			sum, err := projects.Import(ctx, db, files(), projects.Options{})
			if err != nil {
				t.Fatal(err)
			}
			check(t, sum)
			if p, o := count(t, db, `SELECT COUNT(*) FROM projects`), count(t, db, `SELECT COUNT(*) FROM participations`); p != 1 || o != 2 {
				t.Errorf("stored %d projects and %d participations, want the good 1 and 2", p, o)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE pic = '900000012'`); n != 0 {
				t.Errorf("the organisation of a rejected row was created")
			}
		})
		t.Run("strict", func(t *testing.T) {
			db := newDB(t)
			latest, _ := db.LatestChange(ctx)
			sum, err := projects.Import(ctx, db, files(), projects.Options{Strict: true})
			if !errors.Is(err, projects.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			check(t, sum)
			if l, _ := db.LatestChange(ctx); l != latest || count(t, db, `SELECT COUNT(*) FROM projects`)+count(t, db, `SELECT COUNT(*) FROM import_files`) != 0 {
				t.Errorf("a strict run with bad rows wrote something")
			}
		})
		t.Run("strict and clean", func(t *testing.T) {
			db := newDB(t)
			warnings := 0
			sum, err := projects.Import(ctx, db, []projects.Source{
				stringSource("p.csv", projHeader+projLine("100", "Good")),
				stringSource("o.csv", orgHeader+orgLine("100", "coordinator", "900000011", "ALPHA SOCI\u00c3\u2030T\u00c3\u2030", "NL", "Delft", "500", "")),
			}, projects.Options{Strict: true, Problem: func(e cordis.RowError, warning bool) {
				if warning {
					warnings++
				}
			}})
			if err != nil || sum.Projects.New != 1 || sum.Participations.New != 1 {
				t.Errorf("strict import of good files: %+v, %v", sum, err)
			}
			// A repaired name is a warning, reported once although a
			// strict import reads the file twice.
			if sum.Warnings != 1 || len(sum.WarningList) != 1 || warnings != 1 || sum.Files[1].Warnings != 1 || sum.Files[1].Rows != 1 {
				t.Errorf("warnings: %d in the summary, %d reported, files %+v; want 1", sum.Warnings, warnings, sum.Files)
			}
			if n := count(t, db, `SELECT COUNT(*) FROM organisations WHERE name = 'ALPHA SOCIÉTÉ'`); n != 1 {
				t.Errorf("the repaired name was not stored")
			}
		})
		t.Run("bad file", func(t *testing.T) {
			db := newDB(t)
			latest, _ := db.LatestChange(ctx)
			sum, err := projects.Import(ctx, db, []projects.Source{
				stringSource("p.csv", projHeader+projLine("100", "Good")),
				stringSource("export.xlsx", "PK\x03\x04 a workbook"),
				stringSource("comma.csv", strings.ReplaceAll(orgHeader, ";", ",")),
			}, projects.Options{})
			if !errors.Is(err, projects.ErrBadFile) {
				t.Fatalf("err = %v, want ErrBadFile", err)
			}
			if len(sum.Problems) != 2 || !strings.Contains(sum.Problems[0].Error(), "export.xlsx: a ZIP archive") ||
				!strings.Contains(sum.Problems[1].Error(), "comma.csv:1: wrong delimiter") {
				t.Errorf("problems = %v", sum.Problems)
			}
			if l, _ := db.LatestChange(ctx); l != latest {
				t.Errorf("an import with a bad file wrote something")
			}
		})
	})
}

// TestImportLinksExisting: organisations already in the directory are
// linked by PIC, or by VAT number when they have no PIC, not duplicated;
// what was entered by hand stays, empty fields are filled.
func TestImportLinksExisting(t *testing.T) {
	db := storetest.NewSQLite(t)
	for _, o := range []struct{ slug, name, pic, vat, city string }{
		{"fraunhofer", "Fraunhofer-Gesellschaft", "999984059", "", "Munich"},
		{"tno", "TNO", "", "NL800174656B01", ""},
	} {
		_, err := db.SQL().ExecContext(ctx, `INSERT INTO organisations (id, slug, name, short_name, sort_key, search_text, kind, sme, country, city, website, pic, vat, description, created_at, updated_at)
			VALUES ($1, $2, $3, '', $4, $4, 'research', $5, 'DE', $6, '', $7, $8, 'Entered by hand.', $9, $9)`,
			"00000000-0000-7000-8000-00000000000"+o.slug[:1], o.slug, o.name, strings.ToLower(o.name), false, o.city, nullIfEmpty(o.pic), nullIfEmpty(o.vat), "2024-01-01 00:00:00")
		if err != nil {
			t.Fatal(err)
		}
	}
	sum, err := projects.Import(ctx, db, []projects.Source{
		stringSource("p.csv", projHeader+projLine("100", "Good")),
		stringSource("o.csv", orgHeader+
			orgLine("100", "coordinator", "999984059", "FRAUNHOFER GESELLSCHAFT EV", "DE", "MUNCHEN", "500", "DE129515865")+
			orgLine("100", "participant", "999988133", "NEDERLANDSE ORGANISATIE VOOR TOEGEPAST NATUURWETENSCHAPPELIJK ONDERZOEK TNO", "NL", "DEN HAAG", "300", "NL800174656B01")),
	}, projects.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Linked != 2 || sum.Organisations.New != 0 || count(t, db, `SELECT COUNT(*) FROM organisations`) != 2 {
		t.Errorf("summary %+v: want both organisations linked, none new", sum)
	}
	f, _ := db.GetOrganisation(ctx, "fraunhofer")
	if f.Name != "Fraunhofer-Gesellschaft" || f.City != "Munich" || f.VAT != "DE129515865" || f.Description != "Entered by hand." {
		t.Errorf("fraunhofer = %+v: want the hand-entered name and city, the VAT number filled in", f)
	}
	tno, _ := db.GetOrganisation(ctx, "tno")
	if tno.PIC != "999988133" || tno.City != "DEN HAAG" {
		t.Errorf("tno = %+v: want the PIC and city filled in", tno)
	}
	tr, err := db.TrackRecord(ctx, "tno")
	if err != nil || tr.Projects != 1 || len(tr.Partners) != 1 || tr.Partners[0].Slug != "fraunhofer" {
		t.Errorf("track record = %+v, %v", tr, err)
	}
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
