package facilities

import (
	"errors"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := schedule.Location(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func week(opens, closes string, days ...int) []Opening {
	var out []Opening
	for _, d := range days {
		out = append(out, Opening{Day: d, Opens: opens, Closes: closes})
	}
	return out
}

func snapshotFor(r Resource, now time.Time, nearby ...Booking) Snapshot {
	return Snapshot{Now: now, Facility: directory.Facility{ID: "f", OrganisationID: "owner", TimeZone: "Europe/Amsterdam"}, Resource: r, Nearby: nearby}
}

func booking(id, status string, s, e time.Time) Booking {
	return Booking{ID: id, ResourceID: "r", OrganisationID: "guest", Status: status, StartsAt: s, EndsAt: e, BlockedUntil: e, TimeZone: "Europe/Amsterdam"}
}

func fieldOf(err error) (string, string) {
	var ve validate.Errors
	var ce *store.ConflictError
	switch {
	case errors.As(err, &ve):
		return ve[0].Field, ve[0].Code
	case errors.As(err, &ce):
		return ce.Field, ce.Code
	}
	return "", ""
}

func TestDecideRequest(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, ams) // a Monday
	at := func(day, hour int) time.Time { return time.Date(2026, 5, day, hour, 0, 0, 0, ams) }
	r := Resource{ID: "r", Approval: ApprovalAuto, MinMinutes: 60, MaxMinutes: 8 * 60, LeadMinutes: 24 * 60, BufferMinutes: 30, Active: true,
		OpeningHours: week("08:00", "18:00", 1, 2, 3, 4, 5),
		Quotas:       []Quota{{Period: PeriodWeek, Unit: UnitHours, Limit: 6}}}
	held := booking("held", StatusConfirmed, at(6, 10), at(6, 12))
	held.BlockedUntil = at(6, 12).Add(30 * time.Minute)
	tests := []struct {
		name       string
		s, e       time.Time
		org        string
		waitlist   bool
		want       string // status, or field:code
		blackout   bool
		orgBooking bool
	}{
		{"fits: confirmed at once", at(7, 9), at(7, 11), "guest", false, StatusConfirmed, false, false},
		{"in the past", at(1, 9), at(1, 11), "guest", false, "starts_at:" + BookingInPast, false, false},
		{"within the lead time", at(4, 14), at(4, 16), "guest", false, "starts_at:" + BookingLeadTime, false, false},
		{"too short", at(7, 9), at(7, 9).Add(30 * time.Minute), "guest", false, "ends_at:" + BookingTooShort, false, false},
		{"too long", at(7, 8), at(7, 17).Add(time.Hour), "guest", false, "ends_at:" + BookingTooLong, false, false},
		{"on a Sunday", at(10, 9), at(10, 11), "guest", false, "starts_at:" + BookingClosed, false, false},
		{"overlapping a held booking", at(6, 11), at(6, 13), "guest", false, "starts_at:" + BookingTaken, false, false},
		{"inside the buffer after it", at(6, 12).Add(15 * time.Minute), at(6, 14), "guest", false, "starts_at:" + BookingTaken, false, false},
		{"ending inside the buffer before it", at(6, 8), at(6, 10).Add(-15 * time.Minute), "guest", false, "starts_at:" + BookingTaken, false, false},
		{"after the buffer", at(6, 12).Add(30 * time.Minute), at(6, 14), "guest", false, StatusConfirmed, false, false},
		{"overlapping, waiting list", at(6, 11), at(6, 13), "guest", true, StatusWaitlisted, false, false},
		{"in a blackout", at(8, 9), at(8, 11), "guest", false, "starts_at:" + BookingBlackout, true, false},
		{"over the weekly quota", at(7, 9), at(7, 12), "guest", false, "starts_at:" + BookingQuota, false, true},
		{"the owner has no quota", at(7, 9), at(7, 12), "owner", false, StatusConfirmed, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := snapshotFor(r, now.UTC(), held)
			if tt.blackout {
				s.Blackouts = []Blackout{{Kind: "maintenance", StartsAt: at(8, 0), EndsAt: at(9, 0), Reason: "inspection"}}
			}
			if tt.orgBooking {
				s.OrgBookings = []Booking{booking("old", StatusConfirmed, at(5, 9), at(5, 13))}
				s.OrgBookings[0].OrganisationID = tt.org
			}
			b := Booking{ID: "new", ResourceID: "r", OrganisationID: tt.org, StartsAt: tt.s.UTC(), EndsAt: tt.e.UTC(), TimeZone: "Europe/Amsterdam"}
			steps, err := DecideRequest(b, s, tt.waitlist)
			got := ""
			if err != nil {
				f, c := fieldOf(err)
				got = f + ":" + c
			} else {
				got = steps[len(steps)-1].Booking.Status
			}
			if got != tt.want {
				t.Errorf("got %s (%v), want %s", got, err, tt.want)
			}
		})
	}
	r.Active = false
	if _, err := DecideRequest(Booking{StartsAt: at(7, 9), EndsAt: at(7, 10), TimeZone: "Europe/Amsterdam"}, snapshotFor(r, now), false); err == nil {
		t.Error("an inactive resource took a booking")
	}
}

// TestStateMachine walks every action from every state.
func TestStateMachine(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, ams)
	future := booking("b", "", time.Date(2026, 5, 6, 10, 0, 0, 0, ams), time.Date(2026, 5, 6, 12, 0, 0, 0, ams))
	past := booking("b", "", time.Date(2026, 4, 6, 10, 0, 0, 0, ams), time.Date(2026, 4, 6, 12, 0, 0, 0, ams))
	r := Resource{ID: "r", Approval: ApprovalApprovers, Active: true}
	allowed := map[string][]string{
		ActionApprove:  {StatusRequested},
		ActionDecline:  {StatusRequested, StatusWaitlisted},
		ActionConfirm:  {StatusApproved},
		ActionCancel:   {StatusRequested, StatusWaitlisted, StatusApproved, StatusConfirmed},
		ActionComplete: {StatusConfirmed},
	}
	for _, action := range Actions {
		for _, status := range Statuses {
			b := future
			if action == ActionComplete {
				b = past
			}
			b.Status = status
			steps, err := DecideAction(action, b, snapshotFor(r, now.UTC()), "u", "a reason")
			want := false
			for _, s := range allowed[action] {
				want = want || s == status
			}
			if want && (err != nil || steps[0].Booking.Status != to[action]) {
				t.Errorf("%s a %s booking: %v, want it %s", action, status, err, to[action])
			}
			if !want {
				if f, _ := fieldOf(err); f != "status" {
					t.Errorf("%s a %s booking: err %v, want a conflict on status", action, status, err)
				}
			}
		}
	}
	// Completing a booking before it ends, cancelling one that has ended,
	// and declining without a reason are refused.
	b := future
	b.Status = StatusConfirmed
	if _, err := DecideAction(ActionComplete, b, snapshotFor(r, now.UTC()), "u", ""); err == nil {
		t.Error("completed a booking that has not ended")
	}
	p := past
	p.Status = StatusConfirmed
	if _, err := DecideAction(ActionCancel, p, snapshotFor(r, now.UTC()), "u", ""); err == nil {
		t.Error("cancelled a booking that has ended")
	}
	b.Status = StatusRequested
	if _, err := DecideAction(ActionDecline, b, snapshotFor(r, now.UTC()), "u", " "); err == nil {
		t.Error("declined without a reason")
	}
}

func TestWaitingListPromotion(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, ams)
	at := func(hour int) time.Time { return time.Date(2026, 5, 6, hour, 0, 0, 0, ams) }
	held := booking("held", StatusConfirmed, at(10), at(12))
	first := booking("first", StatusWaitlisted, at(11), at(13))
	first.CreatedAt = now.Add(-2 * time.Hour)
	second := booking("second", StatusWaitlisted, at(11), at(12))
	second.CreatedAt = now.Add(-time.Hour)
	for _, mode := range []string{ApprovalAuto, ApprovalApprovers} {
		r := Resource{ID: "r", Approval: mode, Active: true}
		steps, err := DecideAction(ActionCancel, held, snapshotFor(r, now.UTC(), held, second, first), "u", "")
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range steps[1:] {
			got = append(got, s.Booking.ID+"="+s.Booking.Status)
		}
		want := "first=approved" // the oldest takes the slot; the other still overlaps it
		if mode == ApprovalApprovers {
			want = "first=requested second=requested" // approvers choose
		}
		if strings.Join(got, " ") != want {
			t.Errorf("%s: promoted %v, want %s", mode, got, want)
		}
	}
}

func TestUsage(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	f := directory.Facility{ID: "f", ClusterID: "twente", TimeZone: "Europe/Amsterdam"}
	r := Resource{ID: "r", Active: true, OpeningHours: week("08:00", "18:00", 1, 2, 3, 4, 5)}
	b1 := booking("1", StatusCompleted, time.Date(2026, 4, 7, 8, 0, 0, 0, ams), time.Date(2026, 4, 8, 18, 0, 0, 0, ams)) // two days, 20 open hours
	b1.ClusterID = "safe"
	b2 := booking("2", StatusConfirmed, time.Date(2026, 4, 9, 8, 0, 0, 0, ams), time.Date(2026, 4, 9, 13, 0, 0, 0, ams))
	b2.ClusterID = "twente"
	b3 := booking("3", StatusCancelled, time.Date(2026, 4, 10, 8, 0, 0, 0, ams), time.Date(2026, 4, 10, 13, 0, 0, 0, ams))
	blackout := Blackout{StartsAt: time.Date(2026, 4, 13, 0, 0, 0, 0, ams), EndsAt: time.Date(2026, 4, 14, 0, 0, 0, 0, ams)}
	u := ComputeUsage([]FacilityData{{Facility: f, Resources: []Resource{r}, Blackouts: []Blackout{blackout}, Bookings: []Booking{b1, b2, b3}}},
		time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
	if len(u.Months) != 1 {
		t.Fatalf("months %v", u.Months)
	}
	m := u.Months[0]
	// April 2026 has 22 weekdays; one is closed: 21 × 10 hours.
	if m.AvailableHours != 210 || m.BookedHours != 25 || m.ByCluster["safe"] != 20 || m.ByCluster["twente"] != 5 {
		t.Errorf("April: %+v, want 210 available, 25 booked (20 safe, 5 twente)", m)
	}
	if u.AcrossClusters != 0.8 {
		t.Errorf("across clusters %v, want 0.8", u.AcrossClusters)
	}
}

func TestFreeSlotsAndDistance(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	now := time.Date(2026, 5, 4, 9, 0, 0, 0, ams)
	f := directory.Facility{ID: "f", Slug: "range", TimeZone: "Europe/Amsterdam"}
	r := Resource{ID: "r", Active: true, MinMinutes: 60, MaxMinutes: 3 * 24 * 60, BufferMinutes: 60, OpeningHours: week("08:00", "20:00", 1, 2, 3, 4, 5, 6)}
	held := booking("h", StatusConfirmed, time.Date(2026, 5, 6, 8, 0, 0, 0, ams), time.Date(2026, 5, 6, 12, 0, 0, 0, ams))
	held.BlockedUntil = held.EndsAt.Add(time.Hour)
	q := SlotQuery{From: time.Date(2026, 5, 5, 0, 0, 0, 0, ams), To: time.Date(2026, 5, 10, 0, 0, 0, 0, ams), Days: 2, PerResource: 10}
	var got []string
	for _, s := range FreeSlots(f, r, nil, []Booking{held}, q, now) {
		got = append(got, s.StartsLocal+"/"+s.EndsLocal)
	}
	want := "2026-05-07T08:00/2026-05-08T20:00 2026-05-08T08:00/2026-05-09T20:00"
	if strings.Join(got, " ") != want {
		t.Errorf("two-day slots: %v, want %s", got, want)
	}
	q = SlotQuery{From: time.Date(2026, 5, 6, 0, 0, 0, 0, ams), To: time.Date(2026, 5, 7, 0, 0, 0, 0, ams), Length: 4 * time.Hour, PerResource: 2}
	slots := FreeSlots(f, r, nil, []Booking{held}, q, now)
	// 08:00–12:00 is held and 12:00–13:00 is its buffer; 13:00–17:00 fits,
	// and no second slot fits before closing at 20:00.
	if len(slots) != 1 || slots[0].StartsLocal != "2026-05-06T13:00" {
		t.Errorf("four-hour slots on the 6th: %+v, want only 13:00", slots)
	}
	ein, _ := LookupPlace("eindhoven")
	if d := DistanceKm(ein.Latitude, ein.Longitude, 52.2758, 6.8903); d < 130 || d > 160 {
		t.Errorf("Eindhoven–Twente Airport %.0f km, want about 145", d)
	}
	if _, ok := LookupPlace("Liege"); !ok {
		t.Error("Liège not found without its accent")
	}
}

func TestCalendarParsesBack(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	s := time.Date(2026, 5, 6, 10, 0, 0, 0, ams)
	feed, err := Calendar("Drone range", "Europe/Amsterdam", []FeedEntry{
		{UID: "a@escnet", Start: s, End: s.Add(2 * time.Hour), Summary: "Range, booked; with a comma", Status: StatusConfirmed},
		{UID: "b@escnet", Start: s.Add(24 * time.Hour), End: s.Add(26 * time.Hour), Summary: "Requested", Status: StatusRequested, Description: "line one\nline two"},
	}, s)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(feed))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, feed)
	}
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	start, err := events[0].GetStartAt()
	if err != nil || !start.Equal(s) {
		t.Errorf("start %v (%v), want %v", start, err, s)
	}
	if got := events[0].GetProperty(ics.ComponentPropertySummary).Value; got != "Range, booked; with a comma" {
		t.Errorf("summary %q", got)
	}
	if got := events[1].GetProperty(ics.ComponentPropertyStatus).Value; got != "TENTATIVE" {
		t.Errorf("status of a request %q, want TENTATIVE", got)
	}
}

// TestCalendarInjection: a purpose or name holding a line break and
// "BEGIN:VEVENT" does not make a second event (it did when the feed wrote
// a bare CR unescaped).
func TestCalendarInjection(t *testing.T) {
	s := time.Date(2026, 5, 6, 8, 0, 0, 0, time.UTC)
	evil := "Drone range\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil\r\nDTSTART:20260101T000000Z\r\nDTEND:20260101T010000Z\r\nSUMMARY:free beer"
	feed, err := Calendar(evil, "Europe/Amsterdam", []FeedEntry{{UID: "a@escnet", Start: s, End: s.Add(time.Hour), Summary: evil, Description: "x\rBEGIN:VEVENT", Status: StatusConfirmed}}, s)
	if err != nil {
		t.Fatal(err)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(feed))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if n := len(cal.Events()); n != 1 {
		t.Errorf("%d events parsed back, want 1\n%s", n, feed)
	}
	if strings.Contains(strings.ReplaceAll(feed, "\r\n", ""), "\r") || strings.Count(feed, "\n") != strings.Count(feed, "\r\n") {
		t.Error("the feed holds a bare CR or LF")
	}
}
