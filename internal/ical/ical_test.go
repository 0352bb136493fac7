package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

func parse(t *testing.T, feed string) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(strings.NewReader(feed))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, feed)
	}
	return cal
}

func mustString(t *testing.T, c Calendar, events []Event, now time.Time) string {
	t.Helper()
	s, err := String(c, events, now)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"x;y,z", `x\;y\,z`},
		{"one\ntwo", `one\ntwo`},
		{"one\r\ntwo", `one\ntwo`},
		{"bare\rcr", `bare\ncr`},
		{"tab\tbell\a nul\x00 del\x7f", "tab\tbell nul del"},
		{"bad \xff utf8", "bad  utf8"},
		{"Liège – Zürich", "Liège – Zürich"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestInjectedEvent: a name or purpose that tries to close the event and
// open another stays one property of one event, for every line break a
// client might honour.
func TestInjectedEvent(t *testing.T) {
	s := time.Date(2026, 5, 6, 8, 0, 0, 0, time.UTC)
	for _, brk := range []string{"\r\n", "\n", "\r"} {
		evil := "Range" + brk + "END:VEVENT" + brk + "BEGIN:VEVENT" + brk + "UID:evil" + brk + "DTSTART:20260101T000000Z" + brk + "SUMMARY:injected"
		feed := mustString(t, Calendar{Name: evil, TimeZone: "Europe/Amsterdam"}, []Event{
			{UID: "a@escnet" + brk + "X:1", Start: s, End: s.Add(time.Hour), Summary: evil, Description: evil, Location: evil,
				URL: "https://example.org/b" + brk + "BEGIN:VEVENT", Status: Confirmed},
		}, s)
		unfolded := strings.ReplaceAll(feed, "\r\n ", "")
		if n := strings.Count(unfolded, "\r\nBEGIN:VEVENT\r\n"); n != 1 {
			t.Errorf("break %q: %d lines BEGIN:VEVENT in the feed, want 1\n%s", brk, n, feed)
		}
		for i, l := range strings.Split(strings.TrimSuffix(feed, "\r\n"), "\r\n") {
			if strings.ContainsAny(l, "\r\n") {
				t.Errorf("break %q: line %d holds a bare line break: %q", brk, i, l)
			}
		}
		cal := parse(t, feed)
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("break %q: parsed %d events, want 1", brk, len(events))
		}
		sum := events[0].GetProperty(ics.ComponentPropertySummary).Value
		if !strings.Contains(sum, "BEGIN:VEVENT") || !strings.HasPrefix(sum, "Range") {
			t.Errorf("break %q: summary %q lost the text", brk, sum)
		}
		if id := events[0].Id(); !strings.HasPrefix(id, "a@escnet") {
			t.Errorf("break %q: UID %q", brk, id)
		}
	}
}

func TestFoldingAndLineEnds(t *testing.T) {
	s := time.Date(2026, 5, 6, 8, 0, 0, 0, time.UTC)
	long := strings.Repeat("Übungsgelände für Drohnen, Brandschutz; ", 12) // multi-byte characters across fold points
	feed := mustString(t, Calendar{Name: "Feed"}, []Event{{UID: "u@escnet", Start: s, End: s.Add(time.Hour), Summary: long, Description: long}}, s)
	if !strings.HasSuffix(feed, "END:VCALENDAR\r\n") {
		t.Errorf("feed does not end with END:VCALENDAR CRLF: %q", feed[len(feed)-20:])
	}
	if strings.Count(feed, "\n") != strings.Count(feed, "\r\n") {
		t.Error("a line ends with a bare LF")
	}
	for i, l := range strings.Split(feed, "\r\n") {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets, want at most 75: %q", i, len(l), l)
		}
		if !bytes.Equal([]byte(strings.ToValidUTF8(l, "?")), []byte(l)) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i, l)
		}
	}
	cal := parse(t, feed)
	if got := cal.Events()[0].GetProperty(ics.ComponentPropertySummary).Value; got != Text(long) && got != long {
		t.Errorf("summary after unfolding:\n%q\nwant\n%q", got, long)
	}
}

func TestParsesBack(t *testing.T) {
	s := time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC) // 02:30 CET, after the clocks went back
	summer := time.Date(2026, 7, 1, 8, 0, 0, 0, time.UTC)
	events := []Event{
		{UID: "utc@escnet", Start: summer, End: summer.Add(2 * time.Hour), Summary: "In UTC", Status: Tentative, URL: "https://escnet.example/bookings/1",
			Updated: summer.Add(-time.Hour)},
		{UID: "local@escnet", Start: s, End: s.Add(time.Hour), TZID: "Europe/Amsterdam", Summary: "Local, across the change", Status: Confirmed},
		{UID: "summer@escnet", Start: summer, End: summer.Add(time.Hour), TZID: "Europe/Amsterdam", Summary: "Local in summer"},
	}
	feed := mustString(t, Calendar{Name: "Drone range", TimeZone: "Europe/Amsterdam"}, events, summer)
	for _, want := range []string{"BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam", "DTSTART;TZID=Europe/Amsterdam:20261025T023000", "DTSTART:20260701T080000Z",
		"TZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100", "STATUS:CONFIRMED", "X-WR-TIMEZONE:Europe/Amsterdam", "LAST-MODIFIED:20260701T070000Z"} {
		if !strings.Contains(feed, want) {
			t.Errorf("feed lacks %q\n%s", want, feed)
		}
	}
	cal := parse(t, feed)
	got := cal.Events()
	if len(got) != len(events) {
		t.Fatalf("%d events, want %d", len(got), len(events))
	}
	for i, e := range events {
		start, err := got[i].GetStartAt()
		if err != nil || !start.Equal(e.Start) {
			t.Errorf("%s: start %v (%v), want %v", e.UID, start, err, e.Start)
		}
		end, err := got[i].GetEndAt()
		if err != nil || !end.Equal(e.End) {
			t.Errorf("%s: end %v (%v), want %v", e.UID, end, err, e.End)
		}
	}
	if n := strings.Count(feed, "BEGIN:VTIMEZONE"); n != 1 {
		t.Errorf("%d VTIMEZONE components, want one for the one zone", n)
	}
}
