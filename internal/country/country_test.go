package country

import "testing"

func TestNormalize(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"NL", "NL", true},
		{"nl", "NL", true},
		{"EL", "GR", true},
		{"UK", "GB", true},
		{"XX", "", false},
		{"EU", "", false},
		{"N", "", false},
		{"NLD", "", false},
		{"1A", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := Normalize(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestName(t *testing.T) {
	if got := Name("NL", "nl"); got != "Nederland" {
		t.Errorf("Name(NL, nl) = %q, want Nederland", got)
	}
	if got := Name("DE", "fr"); got != "Allemagne" {
		t.Errorf("Name(DE, fr) = %q, want Allemagne", got)
	}
}
