package csvexport

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestNeutralise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"TNO", "TNO"},
		{"=HYPERLINK(\"http://evil.example\")", "'=HYPERLINK(\"http://evil.example\")"},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-3", "-3"},
		{"+4.5", "+4.5"},
		{"-Inf", "'-Inf"},
		{"+1e3", "'+1e3"},
		{"-", "'-"},
		{"a=b", "a=b"},
	}
	for _, tt := range tests {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := New(&buf)
	w.Write("name", "count")
	w.Write(`=IMPORTXML("x")`, "-1")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := rows[1][0], `'=IMPORTXML("x")`; got != want {
		t.Errorf("cell = %q, want %q", got, want)
	}
	if got, want := rows[1][1], "-1"; got != want {
		t.Errorf("number cell = %q, want %q", got, want)
	}
}
