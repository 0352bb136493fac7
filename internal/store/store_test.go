package store

import "testing"

func TestParseDSN(t *testing.T) {
	tests := []struct {
		in      string
		want    DSN
		wantErr bool
	}{
		{"escnet.db", DSN{SQLite, "escnet.db"}, false},
		{"sqlite:/tmp/x.db", DSN{SQLite, "/tmp/x.db"}, false},
		{"sqlite:///tmp/x.db", DSN{SQLite, "/tmp/x.db"}, false},
		{"postgres://u@h/db", DSN{Postgres, "postgres://u@h/db"}, false},
		{"postgresql://u@h/db", DSN{Postgres, "postgresql://u@h/db"}, false},
		{"mysql://u@h/db", DSN{}, true},
		{"", DSN{}, true},
		{"sqlite:", DSN{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDSN(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDSN(%q) = %v, %v; want %v, err=%v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestRedacted(t *testing.T) {
	d := DSN{Postgres, "postgres://alice:s3cret@db:5432/escnet"}
	if got, want := d.Redacted(), "postgres://alice:xxxxx@db:5432/escnet"; got != want {
		t.Errorf("Redacted() = %q, want %q", got, want)
	}
}
