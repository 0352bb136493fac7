// Package listing holds what every paged list shares: the page of items
// with its total and the opaque cursor of the next page. A cursor names the
// last row of a page by its sort key and id, so that the next page starts
// after it however the rows around it change; lists order by (key, id).
package listing

import (
	"encoding/base64"
	"encoding/json"

	"github.com/escnet/escnet/internal/validate"
)

// Page is one page of a list in a stable order.
type Page[T any] struct {
	Items []T    `json:"items"`
	Total int    `json:"total"`
	Next  string `json:"next,omitempty"`
}

// Cursor is the position after which the next page starts.
type Cursor struct {
	Key string `json:"k"`
	ID  string `json:"i"`
}

// Encode returns the cursor in its opaque, URL-safe form.
func (c Cursor) Encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reads a cursor from Page.Next; anything else is a
// validation error on field "cursor".
func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return Cursor{}, validate.Errors{{Field: "cursor", Code: validate.InvalidFormat}}
	}
	return c, nil
}
