// Package ical writes iCalendar (RFC 5545) feeds: one VCALENDAR of
// VEVENTs, each with a UID, a DTSTAMP, a start and an end in UTC or in a
// named IANA zone (with the VTIMEZONE that defines it), and optional
// summary, description, location, URL, status and last modification.
// Facilities' booking feeds use it; events, sessions and meetings can.
//
// Text is escaped as RFC 5545 TEXT (backslash, semicolon, comma and line
// breaks), other control characters are dropped, every line ends with
// CRLF and lines longer than 75 octets are folded without splitting a
// UTF-8 sequence, so no value can start a line of its own: a name
// holding "\r\nBEGIN:VEVENT" stays inside its property.
package ical

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Event statuses (RFC 5545 3.8.1.11 for VEVENT).
const (
	Tentative = "TENTATIVE"
	Confirmed = "CONFIRMED"
	Cancelled = "CANCELLED"
)

// Event is one VEVENT.
type Event struct {
	UID        string
	Start, End time.Time
	// TZID, when set, writes Start and End as local times in that IANA
	// zone (a VTIMEZONE for it is added); otherwise they are written in
	// UTC.
	TZID        string
	Summary     string
	Description string
	Location    string
	URL         string
	Status      string // Tentative, Confirmed, Cancelled or empty
	Updated     time.Time
}

// Calendar is a feed's header.
type Calendar struct {
	Name string
	// TimeZone names the zone clients should show the feed in
	// (X-WR-TIMEZONE); it does not change how times are written.
	TimeZone string
	// Refresh is how often a subscriber should reload (an hour when zero).
	Refresh time.Duration
}

const prodID = "-//escnet//escnet//EN"

// Write writes the feed to w; now is every event's DTSTAMP.
func Write(w io.Writer, c Calendar, events []Event, now time.Time) error {
	var b bytes.Buffer
	line := func(name, value string) { writeLine(&b, name+":"+value) }
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", prodID)
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	if c.Name != "" {
		line("NAME", Text(c.Name))
		line("X-WR-CALNAME", Text(c.Name))
	}
	if c.TimeZone != "" {
		line("X-WR-TIMEZONE", Text(c.TimeZone))
	}
	refresh := c.Refresh
	if refresh <= 0 {
		refresh = time.Hour
	}
	writeLine(&b, "REFRESH-INTERVAL;VALUE=DURATION:"+duration(refresh))
	line("X-PUBLISHED-TTL", duration(refresh))
	zones, err := timezones(events)
	if err != nil {
		return err
	}
	for _, z := range zones {
		z.write(&b)
	}
	for _, e := range events {
		writeEvent(&b, e, now)
	}
	line("END", "VCALENDAR")
	_, err = w.Write(b.Bytes())
	return err
}

// String returns the feed as a string.
func String(c Calendar, events []Event, now time.Time) (string, error) {
	var b strings.Builder
	err := Write(&b, c, events, now)
	return b.String(), err
}

func writeEvent(b *bytes.Buffer, e Event, now time.Time) {
	line := func(name, value string) { writeLine(b, name+":"+value) }
	line("BEGIN", "VEVENT")
	line("UID", Text(e.UID))
	line("DTSTAMP", utc(now))
	if loc := zoneOf(e.TZID); loc != nil {
		tzid := paramValue(e.TZID)
		line("DTSTART;TZID="+tzid, e.Start.In(loc).Format("20060102T150405"))
		line("DTEND;TZID="+tzid, e.End.In(loc).Format("20060102T150405"))
	} else {
		line("DTSTART", utc(e.Start))
		line("DTEND", utc(e.End))
	}
	if e.Summary != "" {
		line("SUMMARY", Text(e.Summary))
	}
	if e.Description != "" {
		line("DESCRIPTION", Text(e.Description))
	}
	if e.Location != "" {
		line("LOCATION", Text(e.Location))
	}
	if u := uri(e.URL); u != "" {
		line("URL", u)
	}
	switch e.Status {
	case Tentative, Confirmed, Cancelled:
		line("STATUS", e.Status)
	}
	if !e.Updated.IsZero() {
		line("LAST-MODIFIED", utc(e.Updated))
	}
	line("END", "VEVENT")
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// duration writes d as an RFC 5545 DURATION of whole minutes or more.
func duration(d time.Duration) string {
	m := int(d / time.Minute)
	if m < 1 {
		m = 1
	}
	s := "PT"
	if h := m / 60; h > 0 {
		s += strconv.Itoa(h) + "H"
	}
	if m%60 > 0 {
		s += strconv.Itoa(m%60) + "M"
	}
	return s
}

// Text escapes s as an RFC 5545 TEXT value: backslash, semicolon and
// comma get a backslash, a line break (CRLF, LF or a bare CR) becomes
// \n, and every other control character (tab aside) is dropped, as is
// invalid UTF-8.
func Text(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == ';' || c == ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// uri keeps a URI value free of what would break the line: control
// characters, spaces and quotes are dropped.
func uri(s string) string {
	return strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || r == '"' || r == '<' || r == '>' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
}

// paramValue quotes a parameter value that holds a separator (RFC 5545
// 3.2), after dropping what a parameter may never hold.
func paramValue(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	if strings.ContainsAny(s, ";:,") {
		return `"` + s + `"`
	}
	return s
}

// writeLine writes one content line, folded at 75 octets (RFC 5545 3.1):
// a CRLF and a space before each continuation, never inside a UTF-8
// sequence.
func writeLine(b *bytes.Buffer, l string) {
	const limit = 75
	width := 0
	for len(l) > 0 {
		_, size := utf8.DecodeRuneInString(l)
		if width+size > limit {
			b.WriteString("\r\n ")
			width = 1
		}
		b.WriteString(l[:size])
		width += size
		l = l[size:]
	}
	b.WriteString("\r\n")
}
