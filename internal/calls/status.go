package calls

import (
	"time"
	// Deadlines are Brussels time: the binary carries the IANA database
	// so that the zone resolves on any machine.
	_ "time/tzdata"

	"github.com/escnet/escnet/internal/directory"
)

// Statuses of a call, from its dates at a given moment.
const (
	// StatusForthcoming: announced, not yet open for submission.
	StatusForthcoming = "forthcoming"
	// StatusOpen: open for submission until the deadline.
	StatusOpen = "open"
	// StatusClosed: the deadline has passed.
	StatusClosed = "closed"
)

// Statuses lists the statuses in the order lists show them.
var Statuses = []string{StatusOpen, StatusForthcoming, StatusClosed}

// Status filters of a list besides the statuses themselves: the default
// shows the calls one can still apply to, "all" every call, closed last.
const (
	StatusCurrent = "current" // open and forthcoming (the default)
	StatusAll     = "all"
)

// StatusFilters lists what a list's status filter accepts.
var StatusFilters = []string{StatusCurrent, StatusOpen, StatusForthcoming, StatusClosed, StatusAll}

// DeadlineHour is the hour, Brussels time, at which a deadline day ends:
// Funding & Tenders topics close at 17:00:00 Brussels time.
const DeadlineHour = 17

// Brussels is the zone of the Funding & Tenders deadlines.
var Brussels = mustZone("Europe/Brussels")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // the embedded database has it
	}
	return loc
}

// ClosesAt is the moment the call closes: DeadlineHour on its deadline day,
// Brussels time; zero when it has no (readable) deadline.
func (c Call) ClosesAt() time.Time {
	d, err := time.ParseInLocation(time.DateOnly, c.Deadline, Brussels)
	if err != nil {
		return time.Time{}
	}
	return d.Add(DeadlineHour * time.Hour)
}

// StatusAt is the call's status at now: closed once its deadline has
// passed; forthcoming before its opening day (Brussels), or, when it has
// none, while the portal's status at the last import said so; open
// otherwise.
func (c Call) StatusAt(now time.Time) string {
	if closes := c.ClosesAt(); !closes.IsZero() && !now.Before(closes) {
		return StatusClosed
	}
	if c.Opens != "" {
		if c.Opens > Today(now) {
			return StatusForthcoming
		}
		return StatusOpen
	}
	if c.PortalStatus == StatusForthcoming {
		return StatusForthcoming
	}
	return StatusOpen
}

// Today is the calendar day in Brussels at now.
func Today(now time.Time) directory.Date { return now.In(Brussels).Format(time.DateOnly) }

// OpenFrom is the first deadline day of a call still open at now: today
// (Brussels) before DeadlineHour, tomorrow from then on. A list's store
// compares deadlines with it.
func OpenFrom(now time.Time) directory.Date {
	local := now.In(Brussels)
	if local.Hour() >= DeadlineHour {
		local = local.AddDate(0, 0, 1)
	}
	return local.Format(time.DateOnly)
}

// WithStatus sets c.Status for now.
func (c *Call) WithStatus(now time.Time) { c.Status = c.StatusAt(now) }
