package svg

import (
	"strings"
	"testing"
)

func TestSafeURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"/organisations?country=NL", "/organisations?country=NL"},
		{"https://example.org/x", "https://example.org/x"},
		{"mailto:a@example.org", "mailto:a@example.org"},
		{"javascript:alert(1)", "#ZgotmplZ"},
		{"JavaScript:alert(1)", "#ZgotmplZ"},
		{"//evil.example/x", "//evil.example/x"},
		{"data:text/html,x", "#ZgotmplZ"},
	}
	for _, tt := range tests {
		if got := SafeURL(tt.in); got != tt.want {
			t.Errorf("SafeURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEscAndIDs(t *testing.T) {
	var b strings.Builder
	EscTo(&b, `<a href="x">'&'</a>`)
	if got, want := b.String(), Esc(`<a href="x">'&'</a>`); got != want {
		t.Errorf("EscTo = %q, Esc = %q", got, want)
	}
	if got := CleanID("9 <x>", "map"); got != "map9x" {
		t.Errorf("CleanID = %q, want map9x", got)
	}
	if got := CleanID("org-map_1", "map"); got != "org-map_1" {
		t.Errorf("CleanID kept id = %q", got)
	}
	if got := Num(12.345); got != "12.3" {
		t.Errorf("Num(12.345) = %q, want 12.3", got)
	}
	if got := CountText(1, [2]string{"member", "members"}); got != "1 member" {
		t.Errorf("CountText(1) = %q", got)
	}
	if got := CountText(0, [2]string{"member", "members"}); got != "no members" {
		t.Errorf("CountText(0) = %q", got)
	}
}
