package sqlite

import (
	"errors"
	"regexp"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"
)

// exclusionMessage is how the triggers that stand in for PostgreSQL's
// exclusion constraints abort: "<constraint>: <why>".
var exclusionMessage = regexp.MustCompile(`\b(ex_\w+):`)

// Exclusion reports whether err is one of those trigger aborts and names
// the constraint, e.g. ex_bookings_slot.
func (dialect) Exclusion(err error) (string, bool) {
	var se *sqlite3.Error
	if !errors.As(err, &se) || se.Code()&0xff != sqlite3lib.SQLITE_CONSTRAINT {
		return "", false
	}
	m := exclusionMessage.FindStringSubmatch(se.Error())
	if m == nil {
		return "", false
	}
	return m[1], true
}
