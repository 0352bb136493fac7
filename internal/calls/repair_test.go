package calls

import "testing"

func TestRepairText(t *testing.T) {
	tests := []struct {
		name, in, want string
		repaired       bool
	}{
		{"closing quote as in the portal export (0x9D kept as U+009D)",
			"table “Information about security practitionersâ€\u009d in", "table “Information about security practitioners” in", true},
		{"opening and closing quotes", "â€œquotedâ€\u009d", "“quoted”", true},
		{"apostrophe", "Unionâ€™s", "Union’s", true},
		{"en dash", "2026â€“2027", "2026–2027", true},
		{"Latin-1 letter", "PÃ´le Risques", "Pôle Risques", true},
		{"four-byte character", "ðŸš’ fire", "🚒 fire", true},
		{"correct dashes and quotes stay", "Programme – the ‘Framework’’ — ok", "Programme – the ‘Framework’’ — ok", false},
		{"correct accents stay", "Skłodowska, Köln, Pôle, Zürich", "Skłodowska, Köln, Pôle, Zürich", false},
		{"a lead character alone stays", "â la carte", "â la carte", false},
		{"truncated sequence stays", "endâ€", "endâ€", false},
		{"plain ASCII", "at least 3 partners", "at least 3 partners", false},
		{"empty", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, repaired := RepairText(tt.in)
			if got != tt.want || repaired != tt.repaired {
				t.Errorf("RepairText(%q) = %q, %v; want %q, %v", tt.in, got, repaired, tt.want, tt.repaired)
			}
			// Repairing twice changes nothing more.
			if again, more := RepairText(got); again != got || more {
				t.Errorf("second RepairText(%q) = %q, %v", got, again, more)
			}
		})
	}
}
