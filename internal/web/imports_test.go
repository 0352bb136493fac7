package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/escnet/escnet/internal/store/storetest"
)

const cordisDir = "../../../shared/data/cordis"

// upload posts files (name → content) to the import page.
func (env *testEnv) upload(t *testing.T, token string, strict bool, files map[string][]byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for name, data := range files {
		fw, err := mw.CreateFormFile("files", name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(data)
	}
	if strict {
		mw.WriteField("strict", "on")
	}
	mw.Close()
	h := []string{"Content-Type", mw.FormDataContentType()}
	if token != "" {
		h = append(h, "Authorization", "Bearer "+token)
	} else {
		h = append(h, "Authorization", "")
	}
	return env.do("POST", "/admin/import", body.Bytes(), h...)
}

func cordisFiles(t *testing.T) map[string][]byte {
	t.Helper()
	names := []string{"cordis-fp7projects.csv", "cordis-fp7organizations.csv", "cordis-h2020projects.csv", "cordis-h2020organizations.csv"}
	out := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(cordisDir, n))
		if err != nil {
			t.Skipf("CORDIS data not available: %v", err)
		}
		out[n] = b
	}
	return out
}

func TestImportUpload(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	files := cordisFiles(t)
	if r := env.upload(t, env.tokens["member.tno@example.org"], false, files); r.status != 403 {
		t.Errorf("member uploads: %d, want 403", r.status)
	}
	if r := env.upload(t, "", false, files); r.status != 303 && r.status != 401 {
		t.Errorf("anonymous uploads: %d", r.status)
	}
	r := env.upload(t, env.admin, false, files)
	if r.status != 200 {
		t.Fatalf("upload: %d %s", r.status, r.body)
	}
	d := doc(t, r)
	row := func(i int) string { return rowText(d.Find("table tbody tr").Eq(i)) }
	if got := row(0); !strings.HasPrefix(got, "Projects 632 0 0") {
		t.Errorf("projects row %q, want 632 new", got)
	}
	if got := row(2); !strings.HasPrefix(got, "Participations 6,873 0 0") {
		t.Errorf("participations row %q, want 6,873 new", got)
	}
	before, _ := env.db.LatestChange(context.Background())
	again := doc(t, env.upload(t, env.admin, false, files))
	if got := rowText(again.Find("table tbody tr").Eq(0)); !strings.HasPrefix(got, "Projects 0 0 632") {
		t.Errorf("second upload projects row %q, want 632 unchanged", got)
	}
	if after, _ := env.db.LatestChange(context.Background()); after != before {
		t.Errorf("second upload changed the database (change feed %d → %d)", before, after)
	}
}

func TestImportUploadBadInput(t *testing.T) {
	env := newEnv(t, storetest.NewSQLite(t))
	before, _ := env.db.LatestChange(context.Background())
	tests := []struct {
		name   string
		files  map[string][]byte
		strict bool
		status int
		want   string
	}{
		{"no files", map[string][]byte{}, false, 422, "CORDIS"},
		{"not CSV", map[string][]byte{"photo.png": []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")}, false, 422, "photo.png"},
		{"wrong header", map[string][]byte{"x.csv": []byte("a;b;c\n1;2;3\n")}, false, 422, "x.csv"},
		{"strict with a bad row", map[string][]byte{"p.csv": []byte("rcn;id;acronym;status;programme;topics;frameworkProgramme;title;startDate;endDate;projectUrl;objective;totalCost;ecMaxContribution;call;fundingScheme;coordinator;coordinatorCountry;participants;participantCountries;subjects\n" +
			"1;;NOID;SIGNED;P;T;H2020;Title;2017-01-01;2018-01-01;;Obj;1;1;C;RIA;;;;;\n")}, true, 422, "p.csv"},
	}
	for _, tt := range tests {
		r := env.upload(t, env.admin, tt.strict, tt.files)
		if r.status != tt.status || !strings.Contains(string(r.body), tt.want) {
			t.Errorf("%s: status %d (want %d), body lacks %q", tt.name, r.status, tt.status, tt.want)
		}
	}
	if after, _ := env.db.LatestChange(context.Background()); after != before {
		t.Errorf("bad uploads changed the database")
	}
}

// rowText is a table row's cells, separated by spaces.
func rowText(tr *goquery.Selection) string {
	var cells []string
	tr.Find("th, td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
	return strings.Join(cells, " ")
}
