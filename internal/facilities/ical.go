package facilities

import (
	"time"

	"github.com/escnet/escnet/internal/ical"
)

// FeedEntry is one event of a calendar feed. The caller decides what the
// subscriber may read: a busy block, or the booking with its details.
type FeedEntry struct {
	UID         string
	Start, End  time.Time
	Summary     string
	Description string
	Location    string
	URL         string
	Status      string // booking status; TENTATIVE unless confirmed or completed
	Updated     time.Time
}

// Calendar writes a facility's or a user's booking feed with ical. Times
// are written in UTC, which every client converts; X-WR-TIMEZONE names
// the facility's zone for clients that show it.
func Calendar(name, zone string, entries []FeedEntry, now time.Time) (string, error) {
	events := make([]ical.Event, 0, len(entries))
	for _, e := range entries {
		events = append(events, ical.Event{UID: e.UID, Start: e.Start, End: e.End, Summary: e.Summary, Description: e.Description,
			Location: e.Location, URL: e.URL, Status: feedStatus(e.Status), Updated: e.Updated})
	}
	return ical.String(ical.Calendar{Name: name, TimeZone: zone}, events, now)
}

// feedStatus maps a booking status to an event status.
func feedStatus(s string) string {
	switch s {
	case StatusConfirmed, StatusCompleted:
		return ical.Confirmed
	case StatusCancelled, StatusDeclined:
		return ical.Cancelled
	}
	return ical.Tentative
}
