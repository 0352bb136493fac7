package facilities

import (
	"time"

	ics "github.com/arran4/golang-ical"
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

// Calendar writes an iCalendar (RFC 5545) feed. Times are written in UTC,
// which every client converts; X-WR-TIMEZONE names the facility's zone for
// clients that show it.
func Calendar(name, zone string, entries []FeedEntry, now time.Time) string {
	cal := ics.NewCalendarFor("escnet")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	if zone != "" {
		cal.SetXWRTimezone(zone)
	}
	cal.SetRefreshInterval("PT1H")
	for _, e := range entries {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(now)
		ev.SetStartAt(e.Start)
		ev.SetEndAt(e.End)
		ev.SetSummary(e.Summary)
		if e.Description != "" {
			ev.SetDescription(e.Description)
		}
		if e.Location != "" {
			ev.SetLocation(e.Location)
		}
		if e.URL != "" {
			ev.SetURL(e.URL)
		}
		if !e.Updated.IsZero() {
			ev.SetModifiedAt(e.Updated)
		}
		switch e.Status {
		case StatusConfirmed, StatusCompleted:
			ev.SetStatus(ics.ObjectStatusConfirmed)
		case StatusCancelled, StatusDeclined:
			ev.SetStatus(ics.ObjectStatusCancelled)
		default:
			ev.SetStatus(ics.ObjectStatusTentative)
		}
	}
	return cal.Serialize()
}
