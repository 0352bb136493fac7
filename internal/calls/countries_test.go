package calls

import (
	"slices"
	"strings"
	"testing"
)

func TestCountryLists(t *testing.T) {
	tests := []struct {
		code          string
		member, assoc bool
		inScope       map[string]bool
	}{
		{"NL", true, false, map[string]bool{ScopeMember: true, ScopeMemberOrAssociated: true, ScopeAny: true}},
		{"EL", true, false, map[string]bool{ScopeMember: true, ScopeMemberOrAssociated: true}}, // the EU's code for Greece
		{"gr", true, false, nil},
		{"NO", false, true, map[string]bool{ScopeMember: false, ScopeMemberOrAssociated: true}},
		{"UK", false, true, nil},
		{"CH", false, true, nil},
		{"UA", false, true, nil},
		{"XK", false, true, nil},
		{"CA", false, true, nil},
		{"KR", false, true, nil},
		{"NZ", false, true, nil},
		{"US", false, false, map[string]bool{ScopeMemberOrAssociated: false, ScopeAny: true}},
		{"CN", false, false, nil},
		{"LI", false, false, nil}, // EEA, but not associated to Horizon Europe
		{"JP", false, false, nil}, // negotiating, not associated
		{"", false, false, map[string]bool{ScopeMemberOrAssociated: false, ScopeAny: true}},
		{"XX", false, false, nil},
	}
	for _, tt := range tests {
		if got := IsMemberState(tt.code); got != tt.member {
			t.Errorf("IsMemberState(%q) = %v, want %v", tt.code, got, tt.member)
		}
		if got := IsAssociated(tt.code); got != tt.assoc {
			t.Errorf("IsAssociated(%q) = %v, want %v", tt.code, got, tt.assoc)
		}
		for scope, want := range tt.inScope {
			if got := InScope(tt.code, scope); got != want {
				t.Errorf("InScope(%q, %s) = %v, want %v", tt.code, scope, got, want)
			}
		}
	}
	if n := len(MemberStates()); n != 27 {
		t.Errorf("%d Member States, want 27", n)
	}
	if AssociatedSource() == "" {
		t.Error("the associated countries have no source")
	}
	// The lists are copies: a caller cannot change them.
	m := MemberStates()
	m[0] = "US"
	if IsMemberState("US") {
		t.Error("MemberStates returned the package's own slice")
	}
}

func TestParseAssociated(t *testing.T) {
	if _, err := parseAssociated(associatedJSON); err != nil {
		t.Fatalf("embedded list: %v", err)
	}
	codes := map[string]bool{}
	for _, c := range AssociatedCountries() {
		if codes[c.Code] || c.Name == "" {
			t.Errorf("%q: duplicate or unnamed", c.Code)
		}
		codes[c.Code] = true
	}
	tests := []struct{ name, in, want string }{
		{"not a code", `{"source":"s","countries":[{"code":"Norway","name":"Norway"}]}`, "not a country code"},
		{"a Member State", `{"source":"s","countries":[{"code":"NL","name":"Netherlands"}]}`, "is a Member State"},
		{"misspelt key", `{"source":"s","countries":[{"cod":"NO"}]}`, "unknown field"},
		{"trailing data", `{"source":"s","countries":[]} {}`, "trailing data"},
	}
	for _, tt := range tests {
		if _, err := parseAssociated([]byte(tt.in)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
	if slices.ContainsFunc(AssociatedCountries(), func(c AssociatedCountry) bool { return IsMemberState(c.Code) }) {
		t.Error("an Associated Country is also a Member State")
	}
}
