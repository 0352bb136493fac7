package cordis

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// realData is where the shared CORDIS exports live, relative to this
// package; tests that need them skip when they are absent.
const realData = "../../../shared/data/cordis"

func openReal(t testing.TB, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(realData, name))
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not found; skipping the test on real CORDIS data", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// readAll reads every record, collecting row errors.
func readAll(t testing.TB, r *Reader) (recs []Record, rowErrs []*RowError) {
	t.Helper()
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, rowErrs
		}
		var re *RowError
		if errors.As(err, &re) {
			rowErrs = append(rowErrs, re)
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
}

func TestRealFiles(t *testing.T) {
	tests := []struct {
		file   string
		layout Layout
		rows   int
	}{
		{"cordis-fp7projects.csv", LegacyProjects, 321},
		{"cordis-h2020projects.csv", LegacyProjects, 311},
		{"cordis-fp7organizations.csv", LegacyOrganisations, 4072},
		{"cordis-h2020organizations.csv", LegacyOrganisations, 2801},
		{"cordisref-topics.csv", Topics, 294},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, err := NewReader(tt.file, openReal(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if r.Layout() != tt.layout {
				t.Errorf("layout = %v, want %v", r.Layout(), tt.layout)
			}
			recs, errs := readAll(t, r)
			if len(recs) != tt.rows || len(errs) != 0 {
				t.Errorf("got %d records and %d row errors (first: %v), want %d records and none", len(recs), len(errs), first(errs), tt.rows)
			}
			for _, rec := range recs {
				for _, w := range rec.Warnings {
					t.Errorf("unexpected warning %v", &w)
				}
			}
		})
	}
}

func first(errs []*RowError) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}

func TestRealRecordFields(t *testing.T) {
	r, err := NewReader("cordis-fp7organizations.csv", openReal(t, "cordis-fp7organizations.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	got := *rec.Participation
	want := Participation{ProjectID: "284851", PIC: "988554064", Role: RoleParticipant, Name: "DFRC AG", ShortName: "DFRC",
		Activity: "PRC", Kind: "company", Country: "CH", City: "Zug", Website: "www.dfrc.ch", VAT: "CH732169", EUContribution: Cents(63220000)}
	if got != want {
		t.Errorf("first participation = %+v, want %+v", got, want)
	}
	if rec.Line != 2 {
		t.Errorf("line = %d, want 2", rec.Line)
	}

	r, err = NewReader("cordis-fp7projects.csv", openReal(t, "cordis-fp7projects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rec, err = r.Next()
	if err != nil {
		t.Fatal(err)
	}
	p := rec.Project
	if p.ID != "284851" || p.Acronym != "DARIUS" || p.Framework != "FP7" || strings.Join(p.Programmes, ",") != "FP7-SECURITY" ||
		strings.Join(p.Topics, ",") != "SEC-2011.4.2-2" || p.StartDate != "2012-03-01" || p.TotalCost != Cents(1064558100) ||
		p.EUMax != Cents(747583000) || p.Call != "FP7-SEC-2011-1" || p.FundingScheme != "CP-IP" || !strings.HasPrefix(p.Objective, "Unmanned systems") {
		t.Errorf("first project = %+v", p)
	}
	// The objective spans several lines; the next record starts after it.
	rec, err = r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Project.ID != "285663" || rec.Line != 7 {
		t.Errorf("second project %s on line %d, want 285663 on line 7", rec.Project.ID, rec.Line)
	}
}

func TestNewerLayout(t *testing.T) {
	f, err := os.Open("testdata/project.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := NewReader("project.csv", f)
	if err != nil {
		t.Fatal(err)
	}
	if r.Layout() != Projects {
		t.Fatalf("layout = %v, want project.csv", r.Layout())
	}
	recs, errs := readAll(t, r)
	if len(recs) != 3 || len(errs) != 0 {
		t.Fatalf("got %d records, errors %v; want 3 records", len(recs), errs)
	}
	p := recs[0].Project
	if p.ID != "101100001" || p.TotalCost != Cents(499987550) || p.Framework != "HORIZON" || p.Call != "HORIZON-CL3-2022-DRS-01" ||
		strings.Join(p.Programmes, ",") != "HORIZON.2.3" || p.Updated != "2024-05-13 10:21:44" || !strings.Contains(p.Objective, "two lines; and") {
		t.Errorf("project 1 = %+v", p)
	}
	// Double-encoded text is repaired, with a warning naming the field.
	p = recs[1].Project
	if p.Title != "Border checks at the edge’s limits (fixture)" {
		t.Errorf("title = %q, want the repaired text", p.Title)
	}
	if len(recs[1].Warnings) != 1 || recs[1].Warnings[0].Field != "title" || recs[1].Warnings[0].Line != 4 {
		t.Errorf("warnings = %+v, want one on title at line 4", recs[1].Warnings)
	}
	// Unknown amounts stay unknown; an empty acronym falls back to the id;
	// a bare date is a valid update time.
	p = recs[2].Project
	if p.TotalCost.Known || p.EUMax.Known || p.Acronym != "101100003" || p.Call != "HORIZON-CL3-2021-CS-01" || p.Updated != "2024-01-02 00:00:00" {
		t.Errorf("project 3 = %+v", p)
	}

	f2, err := os.Open("testdata/organization.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	r, err = NewReader("organization.csv", f2)
	if err != nil {
		t.Fatal(err)
	}
	if r.Layout() != Organisations {
		t.Fatalf("layout = %v, want organization.csv", r.Layout())
	}
	recs, errs = readAll(t, r)
	if len(recs) != 7 || len(errs) != 0 {
		t.Fatalf("got %d records, errors %v; want 7 records", len(recs), errs)
	}
	tests := []struct {
		i    int
		want Participation
	}{
		{1, Participation{ProjectID: "101100001", PIC: "900000001", Role: RoleParticipant, Name: "KENTRO FIXTURE ASFALEIAS", ShortName: "KEFIX",
			Activity: "PUB", Kind: "public_body", Country: "GR", City: "ATHINA", VAT: "EL999999901", EUContribution: Cents(80000025),
			Order: 2, Updated: "2024-05-13 10:21:44"}},
		{2, Participation{ProjectID: "101100001", PIC: "900000002", Role: RoleParticipant, Name: "Fixture Drones B.V.", ShortName: "FixDrones",
			Activity: "PRC", Kind: "company", SME: true, Country: "NL", City: "ENSCHEDE", Website: "www.fixture-drones.example",
			VAT: "NL999999902B01", EUContribution: Cents(64987525), Order: 3, Updated: "2024-05-13 10:21:44"}},
		{3, Participation{ProjectID: "101100001", PIC: "900000003", Role: RoleThirdParty, Name: "Veiligheidsregio Fixture", ShortName: "VRF",
			Activity: "PUB", Kind: "public_body", Country: "NL", City: "ZWOLLE", Order: 4, Updated: "2024-05-13 10:21:44"}},
		{5, Participation{ProjectID: "101100002", PIC: "900000004", Role: RoleAssociatedPartner, Name: "Gränspolis Fixture",
			Activity: "PUB", Kind: "public_body", Country: "SE", City: "Stockholm", Website: "https://polis.example/", Terminated: true,
			Order: 2, Updated: "2024-05-13 10:21:44"}},
	}
	for _, tt := range tests {
		if got := *recs[tt.i].Participation; got != tt.want {
			t.Errorf("participation %d = %+v, want %+v", tt.i, got, tt.want)
		}
	}
}

const legacyOrgHeader = "projectRcn;projectID;projectAcronym;role;id;name;shortName;activityType;endOfParticipation;ecContribution;country;street;city;postCode;organizationUrl;vatNumber\n"
const legacyProjectHeader = "rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;coordinatorCountry;participants;participantCountries;subjects\n"

// orgRow is a good legacy organisation row with one field replaced.
func orgRow(field, value string) string {
	cols := strings.Split(strings.TrimSpace(legacyOrgHeader), ";")
	vals := []string{"1", "284851", "DARIUS", "participant", "988554064", "DFRC AG", "DFRC", "PRC", "false", "632200", "CH", "Street 7", "Zug", "6300", "www.dfrc.ch", "CH732169"}
	for i, c := range cols {
		if c == field {
			vals[i] = value
		}
	}
	return strings.Join(vals, ";") + "\n"
}

// TestBadFiles checks that files which cannot be read as a CORDIS export
// are refused as a whole, with the reason.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		name    string
		content string
		want    string
	}{
		{"empty", "", "empty file"},
		{"zip (xlsx)", "PK\x03\x04\x14\x00\x06\x00rest of a workbook", "ZIP archive"},
		{"gzip", "\x1f\x8b\x08\x00\x00\x00", "gzip"},
		{"binary", "rcn;id\x00\x01\x02\x03", "binary data"},
		{"utf-16", "\xff\xfer\x00c\x00n\x00", "UTF-16"},
		{"not a CORDIS header", "name;email;phone\nx;y;z\n", "unknown header"},
		{"plain text", "Dear colleagues,\nplease find attached the list.\n", "unknown header"},
		{"truncated header", "rcn;id;acronym;status;programme;topics;frameworkProgramme;title;start\n", "wrong or truncated header for projects (H2020/FP7 layout): missing columns ecMaxContribution, fundingScheme"},
		{"header missing a required column", strings.Replace(legacyOrgHeader, ";country;", ";land;", 1), "missing columns country"},
		{"comma delimiter", strings.ReplaceAll(legacyOrgHeader, ";", ","), "wrong delimiter: the columns are separated by ','"},
		{"tab delimiter", strings.ReplaceAll(legacyProjectHeader, ";", "\t"), "wrong delimiter: the columns are separated by tabs"},
		{"duplicate column", "code;title;callName;title\n", "names column \"title\" twice"},
		{"broken quoting in header", "code;\"title;callName\n", "header: broken quoting"},
		{"latin-1 header", "code;t\xeftle;callName\n", "header is not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader("in.csv", strings.NewReader(tt.content))
			var re *RowError
			if !errors.As(err, &re) {
				t.Fatalf("err = %v, want a *RowError", err)
			}
			if re.File != "in.csv" || !strings.Contains(re.Problem, tt.want) {
				t.Errorf("err = %v, want one naming in.csv and containing %q", err, tt.want)
			}
		})
	}
}

// TestBadRows checks each kind of bad row: the reader names the line, the
// column and the problem, and goes on with the next row.
func TestBadRows(t *testing.T) {
	tests := []struct {
		name      string
		header    string
		row       string
		wantLine  int
		wantField string
		want      string
	}{
		{"row without a PIC", legacyOrgHeader, orgRow("id", ""), 2, "id", "missing: a row without a PIC"},
		{"row without a project id", legacyOrgHeader, orgRow("projectID", " "), 2, "projectID", "missing: a row without a project id"},
		{"PIC of 8 digits", legacyOrgHeader, orgRow("id", "98855406"), 2, "id", `not a PIC: "98855406" (9 digits expected)`},
		{"project id with letters", legacyOrgHeader, orgRow("projectID", "28485X"), 2, "projectID", "not a project id"},
		{"non-numeric amount", legacyOrgHeader, orgRow("ecContribution", "632 200 EUR"), 2, "ecContribution", `not a number: "632 200 EUR"`},
		{"amount with two separators", legacyOrgHeader, orgRow("ecContribution", "1.234.5"), 2, "ecContribution", "not a number"},
		{"unknown country", legacyOrgHeader, orgRow("country", "XX"), 2, "country", `unknown country code "XX"`},
		{"country name instead of code", legacyOrgHeader, orgRow("country", "Germany"), 2, "country", "unknown country code"},
		{"missing country", legacyOrgHeader, orgRow("country", ""), 2, "country", "missing"},
		{"unknown role", legacyOrgHeader, orgRow("role", "sponsor"), 2, "role", `unknown role "sponsor"`},
		{"unknown activity type", legacyOrgHeader, orgRow("activityType", "XYZ"), 2, "activityType", `unknown activity type "XYZ"`},
		{"missing name", legacyOrgHeader, orgRow("name", ""), 2, "name", "missing"},
		{"unrepairable mojibake", legacyOrgHeader, orgRow("name", "DFRC â€? AG"), 2, "name", "mis-encoded text that cannot be repaired"},
		{"latin-1 bytes", legacyOrgHeader, orgRow("city", "Z\xfcrich"), 2, "city", "not valid UTF-8"},
		{"not a boolean", legacyOrgHeader, orgRow("endOfParticipation", "maybe"), 2, "endOfParticipation", "not true or false"},
		{"truncated row", legacyOrgHeader, "1;284851;DARIUS;participant;988554064;DFRC AG;DFRC\n", 2, "", "truncated row: 7 fields, the layout needs at least 11"},
		{"unquoted semicolon", legacyOrgHeader, strings.Replace(orgRow("", ""), "DFRC AG", "DFRC; AG", 1), 2, "", "17 fields but the header has 16"},
		{"bare quote", legacyOrgHeader, strings.Replace(orgRow("", ""), "DFRC AG", `DFRC "AG"`, 1), 2, "", `broken quoting: a " inside an unquoted field`},
		{"stray quote after quoted field", legacyOrgHeader, strings.Replace(orgRow("", ""), "DFRC AG", `"DFRC" AG`, 1), 2, "", "broken quoting"},
		{"project without id", legacyProjectHeader, "1;;ACR;ONG;FP7-SECURITY;SEC-1;FP7;Title;2012-03-01;2015-02-28;;Obj;1;1;CALL;CP\n", 2, "id", "missing: a row without a project id"},
		{"project with a bad date", legacyProjectHeader, "1;123;ACR;ONG;FP7-SECURITY;SEC-1;FP7;Title;2012-13-01;2015-02-28;;Obj;1;1;CALL;CP\n", 2, "startDate", "not a date"},
		{"project with a bad amount", legacyProjectHeader, "1;123;ACR;ONG;FP7-SECURITY;SEC-1;FP7;Title;2012-03-01;2015-02-28;;Obj;1e6;1;CALL;CP\n", 2, "totalCost", `not a number: "1e6"`},
		{"project without title", legacyProjectHeader, "1;123;ACR;ONG;FP7-SECURITY;SEC-1;FP7;;2012-03-01;2015-02-28;;Obj;1;1;CALL;CP\n", 2, "title", "missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := orgRow("", "")
			if tt.header == legacyProjectHeader {
				good = "2;124;GOOD;ONG;FP7-SECURITY;SEC-1;FP7;Good;2012-03-01;2015-02-28;;Obj;1;1;CALL;CP\n"
			}
			r, err := NewReader("in.csv", strings.NewReader(tt.header+tt.row+good))
			if err != nil {
				t.Fatal(err)
			}
			recs, errs := readAll(t, r)
			if len(errs) != 1 {
				t.Fatalf("got row errors %v, want exactly one", errs)
			}
			e := errs[0]
			if e.File != "in.csv" || e.Line != tt.wantLine || e.Field != tt.wantField || !strings.Contains(e.Problem, tt.want) {
				t.Errorf("got %v (line %d, field %q), want line %d, field %q, problem containing %q", e, e.Line, e.Field, tt.wantLine, tt.wantField, tt.want)
			}
			// The reader goes on: the good row after the bad one is read.
			if len(recs) != 1 {
				t.Errorf("got %d good records after the bad row, want 1", len(recs))
			}
		})
	}
}

// TestNULByte: a NUL in the first few kilobytes marks a binary file; later
// it rejects the row.
func TestNULByte(t *testing.T) {
	in := legacyOrgHeader + strings.Repeat(orgRow("", ""), 60) + orgRow("city", "Zu\x00g")
	r, err := NewReader("in.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	recs, errs := readAll(t, r)
	if len(recs) != 60 || len(errs) != 1 || errs[0].Line != 62 || errs[0].Field != "city" || !strings.Contains(errs[0].Problem, "NUL byte") {
		t.Errorf("got %d records and errors %v; want 60 records and a NUL error on city at line 62", len(recs), errs)
	}
}

func TestUnclosedQuote(t *testing.T) {
	in := legacyOrgHeader + orgRow("", "") + strings.Replace(orgRow("", ""), "DFRC AG", `"DFRC AG`, 1) + orgRow("", "")
	r, err := NewReader("in.csv", strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	recs, errs := readAll(t, r)
	if len(recs) != 1 || len(errs) != 1 || errs[0].Line != 3 || !strings.Contains(errs[0].Problem, "broken quoting") {
		t.Errorf("got %d records and errors %v; want 1 record and one quoting error at line 3", len(recs), errs)
	}
}

func TestWarnings(t *testing.T) {
	tests := []struct {
		name, field, value string
		check              func(p *Participation) bool
		want               string
	}{
		{"repaired mojibake", "name", "SOCIÃ‰TÃ‰ GÃ‰NÃ‰RALE", func(p *Participation) bool { return p.Name == "SOCIÉTÉ GÉNÉRALE" }, "mis-encoded text repaired"},
		{"doubly repaired", "city", "MÃƒÂ¼nchen", func(p *Participation) bool { return p.City == "München" }, "mis-encoded text repaired"},
		{"bad VAT dropped", "vatNumber", "NL12", func(p *Participation) bool { return p.VAT == "" }, "is not a VAT number"},
		{"replacement character", "name", "DFRC \uFFFD AG", func(p *Participation) bool { return p.Name == "DFRC \uFFFD AG" }, "U+FFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader("in.csv", strings.NewReader(legacyOrgHeader+orgRow(tt.field, tt.value)))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if !tt.check(rec.Participation) {
				t.Errorf("participation = %+v", rec.Participation)
			}
			if len(rec.Warnings) != 1 || rec.Warnings[0].Field != tt.field || !strings.Contains(rec.Warnings[0].Problem, tt.want) {
				t.Errorf("warnings = %+v, want one on %s containing %q", rec.Warnings, tt.field, tt.want)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		in      string
		want    Amount
		wantErr bool
	}{
		{"", Amount{}, false},
		{"632200", Cents(63220000), false},
		{"165488.5", Cents(16548850), false},
		{"36263.800000000003", Cents(3626380), false},
		{"297905.59999999998", Cents(29790560), false},
		{"1234,5", Cents(123450), false},
		{"0.005", Cents(1), false},
		{"0.004", Cents(0), false},
		{"-12.345", Cents(-1235), false},
		{".5", Cents(50), false},
		{"12.", Cents(1200), false},
		{"abc", Amount{}, true},
		{"1,234.5", Amount{}, true},
		{"1e6", Amount{}, true},
		{".", Amount{}, true},
		{"-", Amount{}, true},
		{"9999999999999999", Amount{}, true},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseAmount(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		in, want string
		warn     bool
		wantErr  bool
	}{
		{"  ENTENTE POUR LA FORÊT MÉDITERRANÉENNE ", "ENTENTE POUR LA FORÊT MÉDITERRANÉENNE", false, false},
		{"SÃO PAULO", "SÃO PAULO", false, false}, // Ã followed by a plain letter is Portuguese
		{"CÂBLE", "CÂBLE", false, false},
		{"Ö’s", "Ö’s", false, false}, // would "repair" into Hebrew: left alone
		{"Caf\u00c3\u00a9", "Café", true, false},
		{"it\u00e2\u20ac\u2122s", "it’s", true, false},
		{"\u00e2\u20ac\u0153quoted\u00e2\u20ac\u009d", "“quoted”", true, false},
		{"Gda\u00c5\u201esk", "Gdańsk", true, false},
		{"\u00c5\u0081\u00c3\u00b3d\u00c5\u00ba", "Łódź", true, false},
		{"\u00ce\u2018\u00ce\u00b8\u00ce\u00ae\u00ce\u00bd\u00ce\u00b1", "Αθήνα", true, false},
		{"\u00c3\u0192\u00c2\u00a9", "é", true, false},
		{"broken \u00e2\u20ac", "", false, true},
		{"x\xe9y", "", false, true},
	}
	for _, tt := range tests {
		got, warning, err := cleanText(tt.in)
		if got != tt.want || (warning != "") != tt.warn || (err != nil) != tt.wantErr {
			t.Errorf("cleanText(%q) = %q, warning %q, err %v; want %q, warning %v, error %v", tt.in, got, warning, err, tt.want, tt.warn, tt.wantErr)
		}
	}
}

func TestNormalizeVAT(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"NL812548383B01", "NL812548383B01", true},
		{"nl 8125.483-83b01", "NL812548383B01", true},
		{"MISSING", "", true},
		{"", "", true},
		{"n/a", "", true},
		{"EL9", "", false},
		{"see website", "", true},
		{"VAT EXEMPTION", "", true},
		{"12", "", false},
		{"NL 12 ab", "", false},
		{"GB123456789012345678901", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeVAT(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeVAT(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
