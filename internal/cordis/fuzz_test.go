package cordis

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"
	"unicode/utf8"
)

// FuzzReader drives the reader with arbitrary bytes: it must never panic,
// never loop, and whatever it returns must hold the reader's promises.
func FuzzReader(f *testing.F) {
	for _, name := range []string{"testdata/project.csv", "testdata/organization.csv"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(legacyOrgHeader + orgRow("", "") + orgRow("name", `"broken`)))
	f.Add([]byte(legacyOrgHeader + orgRow("ecContribution", "1,5") + orgRow("country", "EL")))
	f.Add([]byte(legacyProjectHeader + "1;2;A;ONG;P;T;FP7;Title;2012-03-01;2015-02-28;;\"multi\nline\";1;1;C;CP\n"))
	f.Add([]byte("code;title;callName\nA;B\u00c3\u00a9;C\n"))
	f.Add([]byte("\xef\xbb\xbfcode;title;callName\n\"x\"\"y\";z;\n"))
	f.Add([]byte("rcn,id,acronym\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			var re *RowError
			if !errors.As(err, &re) || re.File != "fuzz.csv" || re.Problem == "" {
				t.Fatalf("NewReader error %v is not a RowError naming the file", err)
			}
			return
		}
		// Each call consumes at least one line, so a bound on calls is a
		// bound on the loop.
		for range bytes.Count(data, []byte("\n")) + 2 {
			rec, err := r.Next()
			if err == io.EOF {
				return
			}
			var re *RowError
			if errors.As(err, &re) {
				if re.File != "fuzz.csv" || re.Line < 2 || re.Problem == "" {
					t.Fatalf("row error %+v does not name the file, a line after the header and a problem", re)
				}
				continue
			}
			if err != nil {
				t.Fatalf("Next: %v", err)
			}
			n := 0
			if rec.Project != nil {
				n++
				checkText(t, rec.Project.ID, rec.Project.Title, rec.Project.Objective)
				if rec.Project.ID == "" || !digits(rec.Project.ID) || rec.Project.Title == "" {
					t.Fatalf("project without a numeric id or a title: %+v", rec.Project)
				}
			}
			if p := rec.Participation; p != nil {
				n++
				checkText(t, p.Name, p.City, p.ShortName)
				if len(p.PIC) != 9 || !digits(p.PIC) || len(p.Country) != 2 || p.Kind == "" || p.Role == "" {
					t.Fatalf("participation breaks a rule: %+v", p)
				}
			}
			if rec.Topic != nil {
				n++
				checkText(t, rec.Topic.Code, rec.Topic.Title)
			}
			if n != 1 {
				t.Fatalf("record holds %d values, want 1: %+v", n, rec)
			}
		}
		t.Fatalf("reader did not reach the end of %d bytes", len(data))
	})
}

func checkText(t *testing.T, ss ...string) {
	t.Helper()
	for _, s := range ss {
		if !utf8.ValidString(s) || bytes.IndexByte([]byte(s), 0) >= 0 {
			t.Fatalf("text %q is not clean UTF-8", s)
		}
	}
}
