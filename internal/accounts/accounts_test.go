package accounts

import (
	"strings"
	"testing"
)

var testParams = Params{Memory: 1024, Time: 1, Threads: 1}

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery", testParams)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string", h)
	}
	h2, _ := HashPassword("correct horse battery", testParams)
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		hash, password string
		ok             bool
		err            bool
	}{
		{h, "correct horse battery", true, false},
		{h, "correct horse batterx", false, false},
		{h, "", false, false},
		{"$argon2i$v=19$m=1024,t=1,p=1$c2FsdA$a2V5", "x", false, true},
		{"not a hash", "x", false, true},
		{"$argon2id$v=19$m=x,t=1,p=1$c2FsdA$a2V5", "x", false, true},
		{"$argon2id$v=19$m=1024,t=1,p=1$!!!$a2V5", "x", false, true},
	}
	for _, tt := range tests {
		ok, err := CheckPassword(tt.hash, tt.password)
		if ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("CheckPassword(%.30q, %q) = %v, %v; want %v, err=%v", tt.hash, tt.password, ok, err, tt.ok, tt.err)
		}
	}
}

func TestAPITokenFormat(t *testing.T) {
	id := "01930000-0000-7000-8000-0000000000ab"
	tok, hash := NewAPIToken(id)
	compact, secret, ok := ParseAPIToken(tok)
	if !ok || ExpandID(compact) != id || HashSecret(secret) != hash {
		t.Fatalf("ParseAPIToken(%q) = %q, %q, %v", tok, compact, secret, ok)
	}
	for _, bad := range []string{"", "esc_", "esc_abc_def", "xyz_" + tok[4:], strings.Replace(tok, "_", "-", -1), "esc_" + strings.Repeat("a", 32)} {
		if _, _, ok := ParseAPIToken(bad); ok {
			t.Errorf("ParseAPIToken(%q) accepted", bad)
		}
	}
	if !SameHash(hash, hash) || SameHash(hash, HashSecret("other")) {
		t.Error("SameHash is wrong")
	}
}
