package listing

import (
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/validate"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []Cursor{{"acme", "0190-1"}, {"", "x"}, {"é ü/+=", "id with spaces"}} {
		got, err := DecodeCursor(c.Encode())
		if err != nil || got != c {
			t.Errorf("DecodeCursor(Encode(%+v)) = %+v, %v", c, got, err)
		}
	}
}

func TestDecodeCursorRefusesGarbage(t *testing.T) {
	for _, s := range []string{"", "!!!", "bm90IGpzb24", Cursor{Key: "k"}.Encode()} {
		_, err := DecodeCursor(s)
		var ve validate.Errors
		if !errors.As(err, &ve) || ve[0].Field != "cursor" || ve[0].Code != validate.InvalidFormat {
			t.Errorf("DecodeCursor(%q) = %v, want an invalid cursor field", s, err)
		}
	}
}
