package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/mail/mailtest"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// bookingEnv is a demo server sending mail to a real SMTP server on
// loopback, with an account at KIT (another cluster than the HSD Campus's)
// that books.
type bookingEnv struct {
	*testEnv
	smtp *mailtest.Server
	kit  string // token of kit.user@example.org
}

func newBookingEnv(t *testing.T, db *sqlstore.DB) *bookingEnv {
	smtp := mailtest.Start(t)
	env := newEnvWith(t, db, envConfig{Mail: mail.SMTP{Addr: smtp.Addr, From: "escnet@example.org"}, Accounts: accounts.Config{BaseURL: "http://escnet.test"}})
	ctx := access.AsSystem(context.Background())
	kit, err := db.GetOrganisation(ctx, "karlsruhe-institute-of-technology")
	if err != nil {
		t.Fatal(err)
	}
	u := accounts.User{Email: "kit.user@example.org", Name: "KIT User", OrganisationID: kit.ID}
	if err := env.server.Accounts().NewUser(ctx, &u, "kit-password-1234"); err != nil {
		t.Fatal(err)
	}
	_, secret, err := env.server.Accounts().CreateToken(ctx, u, "test", accounts.ScopeWrite)
	if err != nil {
		t.Fatal(err)
	}
	return &bookingEnv{testEnv: env, smtp: smtp, kit: secret}
}

func (env *bookingEnv) as(token string) []string { return []string{"Authorization", "Bearer " + token} }

// nextWeekday is the local date of the next given weekday at least two
// days ahead, in Amsterdam.
func nextWeekday(day time.Weekday) string {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	d := time.Now().In(loc).AddDate(0, 0, 2)
	for d.Weekday() != day {
		d = d.AddDate(0, 0, 1)
	}
	return d.Format(time.DateOnly)
}

// mailTo waits for a message to addr whose text contains want.
func (env *bookingEnv) mailTo(t *testing.T, addr, want string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		for _, m := range env.smtp.Messages() {
			if len(m.To) > 0 && m.To[0] == addr && strings.Contains(m.Data, want) {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("no e-mail to %s containing %q; got %d messages", addr, want, len(env.smtp.Messages()))
}

func TestBookingLifecycle(t *testing.T) {
	run := func(t *testing.T, db *sqlstore.DB) {
		env := newBookingEnv(t, db)
		admin, tnoAdmin, tnoMember := env.admin, env.tokens["admin.tno@example.org"], env.tokens["member.tno@example.org"]
		var weekdays []map[string]any
		for d := 1; d <= 5; d++ {
			weekdays = append(weekdays, map[string]any{"day": d, "opens": "08:00", "closes": "18:00"})
		}
		r := env.do("POST", "/api/v1/facilities/hsd-campus/resources", map[string]any{"slug": "lab-room", "name": "Lab room", "kind": "room",
			"min_minutes": 60, "max_minutes": 480, "lead_minutes": 60, "buffer_minutes": 30, "opening_hours": weekdays,
			"quotas": []map[string]any{{"period": "week", "unit": "bookings", "limit": 2}}}, env.as(admin)...)
		if r.status != http.StatusCreated {
			t.Fatalf("create resource: %d %s", r.status, r.body)
		}
		room := decode[facilities.Resource](t, r)

		// Approvers across organisations: TNO's administrator decides for
		// the HSD foundation; someone from KIT (another cluster) may not.
		if r := env.do("PUT", "/api/v1/facilities/hsd-campus/approvers", map[string]any{"approvers": []string{"kit.user@example.org"}}, env.as(admin)...); r.status != 422 ||
			decode[Problem](t, r).Errors[0].Code != "error.booking.not_approver" {
			t.Errorf("naming an approver outside the owner's clusters: %d %s", r.status, r.body)
		}
		if r := env.do("PUT", "/api/v1/facilities/hsd-campus/approvers", map[string]any{"approvers": []string{"admin.tno@example.org"}}, env.as(admin)...); r.status != 200 {
			t.Fatalf("name approver: %d %s", r.status, r.body)
		}

		tue := nextWeekday(time.Tuesday)
		book := func(token, start, end string, waitlist bool) response {
			return env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": room.ID, "starts_at": tue + "T" + start, "ends_at": tue + "T" + end,
				"purpose": "Workshop", "waitlist": waitlist}, env.as(token)...)
		}
		r = book(env.kit, "10:00", "12:00", false)
		if r.status != http.StatusCreated {
			t.Fatalf("request: %d %s", r.status, r.body)
		}
		b := decode[facilities.Booking](t, r)
		if b.Status != facilities.StatusRequested || b.TimeZone != "Europe/Amsterdam" || b.Minutes() != 120 {
			t.Errorf("booking = %s, %s, %d min; want requested, Europe/Amsterdam, 120", b.Status, b.TimeZone, b.Minutes())
		}
		env.mailTo(t, "admin.tno@example.org", "Booking request: Lab room")
		env.mailTo(t, "manager.hsd@example.org", "Booking request: Lab room")

		// A colleague of the approver who is no approver does not see it.
		if r := env.do("POST", "/api/v1/bookings/"+b.ID+"/approve", nil, env.as(tnoMember)...); r.status != 404 {
			t.Errorf("approve by a member who may not see the booking: %d, want 404", r.status)
		}
		// The requester sees it but may not approve it.
		if r := env.do("POST", "/api/v1/bookings/"+b.ID+"/approve", nil, env.as(env.kit)...); r.status != 403 {
			t.Errorf("approve by the requester: %d, want 403", r.status)
		}
		if r := env.do("POST", "/api/v1/bookings/"+b.ID+"/approve", nil, env.as(tnoAdmin)...); r.status != 200 || decode[facilities.Booking](t, r).Status != facilities.StatusApproved {
			t.Fatalf("approve by the named approver: %d %s", r.status, r.body)
		}
		env.mailTo(t, "kit.user@example.org", "has been approved")
		if r := env.do("POST", "/api/v1/bookings/"+b.ID+"/confirm", nil, env.as(env.kit)...); r.status != 200 || decode[facilities.Booking](t, r).Status != facilities.StatusConfirmed {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}

		// The slot is held, buffer included: 12:15 is within the 30
		// minutes after; a request waits or is refused.
		if r := book(tnoMember, "12:15", "13:30", false); r.status != 409 || decode[Problem](t, r).Errors[0].Field != "starts_at" {
			t.Errorf("request inside the buffer: %d %s, want 409 on starts_at", r.status, r.body)
		}
		r = book(tnoMember, "11:00", "13:00", true)
		waiting := decode[facilities.Booking](t, r)
		if r.status != 201 || waiting.Status != facilities.StatusWaitlisted {
			t.Fatalf("request with waiting list: %d %s", r.status, r.body)
		}
		if r := book(env.kit, "12:30", "14:00", false); r.status != 201 {
			t.Errorf("request after the buffer: %d %s", r.status, r.body)
		}

		// Cancelling frees the slot: the waiting request moves up.
		if r := env.do("POST", "/api/v1/bookings/"+b.ID+"/cancel", map[string]string{"reason": "Plans changed"}, env.as(env.kit)...); r.status != 200 {
			t.Fatalf("cancel: %d %s", r.status, r.body)
		}
		if got := decode[facilities.Booking](t, env.do("GET", "/api/v1/bookings/"+waiting.ID, nil, env.as(admin)...)); got.Status != facilities.StatusRequested {
			t.Errorf("waiting booking after the cancellation: %s, want requested", got.Status)
		}
		env.mailTo(t, "member.tno@example.org", "has come free")

		// Approving a cancelled booking is refused and changes nothing.
		before, _ := db.LatestChange(context.Background())
		if r := env.do("POST", "/api/v1/bookings/"+b.ID+"/approve", nil, env.as(tnoAdmin)...); r.status != 409 || decode[Problem](t, r).Errors[0].Field != "status" {
			t.Errorf("approving a cancelled booking: %d %s, want 409 on status", r.status, r.body)
		}
		if after, _ := db.LatestChange(context.Background()); after != before {
			t.Errorf("a refused approval moved the change feed from %d to %d", before, after)
		}
		if r := env.do("POST", "/api/v1/bookings/"+waiting.ID+"/decline", map[string]string{}, env.as(tnoAdmin)...); r.status != 422 || decode[Problem](t, r).Errors[0].Field != "reason" {
			t.Errorf("declining without a reason: %d %s", r.status, r.body)
		}

		// Every step is audited.
		entries, err := db.AuditLog(context.Background(), auditFilter(b.ID))
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range entries {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"booking.request", "booking.approve", "booking.confirm", "booking.cancel"} {
			if !strings.Contains(strings.Join(actions, " "), want) {
				t.Errorf("audit log of the booking %v lacks %s", actions, want)
			}
		}

		// Pages: the booking page shows the steps the viewer may take.
		page := doc(t, env.do("GET", "/bookings/"+waiting.ID, nil, env.as(tnoAdmin)...))
		if n := page.Find(`form input[name="action"][value="approve"]`).Length(); n != 1 {
			t.Errorf("booking page for the approver has %d approve forms, want 1", n)
		}
		page = doc(t, env.do("GET", "/facilities/hsd-campus", nil, env.as(env.kit)...))
		if page.Find(`a[href="/facilities/hsd-campus/book"]`).Length() != 1 || !strings.Contains(page.Find("table").Text(), "Lab room") {
			t.Errorf("facility page lacks the resource or the booking link")
		}
	}
	t.Run("sqlite", func(t *testing.T) { run(t, storetest.NewSQLite(t)) })
	t.Run("postgres", func(t *testing.T) { run(t, storetest.NewPostgres(t)) })
}

// TestBookingBadInput refuses each bad request with a reason naming the
// field, and changes nothing.
func TestBookingBadInput(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	var weekdays, allWeek []map[string]any
	for d := 0; d <= 6; d++ {
		if d >= 1 && d <= 5 {
			weekdays = append(weekdays, map[string]any{"day": d, "opens": "08:00", "closes": "18:00"})
		}
		allWeek = append(allWeek, map[string]any{"day": d, "opens": "00:00", "closes": "24:00"})
	}
	mk := func(slug string, hours []map[string]any, max int, quotas []map[string]any) facilities.Resource {
		r := env.do("POST", "/api/v1/facilities/twente-airport-drone-centre/resources", map[string]any{"slug": slug, "name": slug, "kind": "range",
			"approval": "auto", "min_minutes": 60, "max_minutes": max, "opening_hours": hours, "quotas": quotas}, env.as(env.admin)...)
		if r.status != 201 {
			t.Fatalf("create resource: %d %s", r.status, r.body)
		}
		return decode[facilities.Resource](t, r)
	}
	day := mk("day-range", weekdays, 480, []map[string]any{{"period": "month", "unit": "hours", "limit": 6}})
	clock := mk("clock-range", allWeek, 24*60, nil)
	tue, wed := nextWeekday(time.Tuesday), nextWeekday(time.Wednesday)
	if r := env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": day.ID, "starts_at": wed + "T09:00", "ends_at": wed + "T13:00"}, env.as(env.kit)...); r.status != 201 ||
		decode[facilities.Booking](t, r).Status != facilities.StatusConfirmed {
		t.Fatalf("a booking that fits, on a resource approving automatically: %d %s", r.status, r.body)
	}
	year := time.Now().Year() + 1
	tests := []struct {
		name             string
		resource         facilities.Resource
		start, end, zone string
		status           int
		field, code      string
	}{
		{"in the past", day, "2020-01-07T10:00", "2020-01-07T11:00", "", 422, "starts_at", "error.booking.in_past"},
		{"zero length", day, tue + "T10:00", tue + "T10:00", "", 422, "ends_at", "error.booking.not_after_start"},
		{"negative length", day, tue + "T11:00", tue + "T10:00", "", 422, "ends_at", "error.booking.not_after_start"},
		{"outside opening hours", day, tue + "T17:00", tue + "T19:00", "", 422, "ends_at", "error.booking.closed"},
		{"overlapping", day, wed + "T12:00", wed + "T14:00", "", 409, "starts_at", "error.booking.taken"},
		{"over quota", day, tue + "T09:00", tue + "T12:00", "", 422, "starts_at", "error.booking.quota"},
		{"too short", day, tue + "T09:00", tue + "T09:30", "", 422, "ends_at", "error.booking.too_short"},
		{"time zone that does not exist", day, tue + "T09:00", tue + "T10:00", "Europe/Atlantis", 422, "time_zone", "error.invalid_time_zone"},
		{"malformed time", day, "next tuesday", tue + "T10:00", "", 422, "starts_at", "error.invalid_time"},
		// Daylight saving time in Amsterdam: on the last Sunday of March
		// 02:00–03:00 does not exist; on the last Sunday of October
		// 02:00–03:00 happens twice; a day across the autumn change lasts
		// 25 hours of real time.
		{"in the spring-forward gap", clock, lastSunday(year, time.March) + "T02:30", lastSunday(year, time.March) + "T05:00", "", 422, "starts_at", "error.time.nonexistent"},
		{"in the fall-back overlap", clock, lastSunday(year, time.October) + "T01:00", lastSunday(year, time.October) + "T02:30", "", 422, "ends_at", "error.time.ambiguous"},
		{"across the autumn change, 25 hours", clock, dayBefore(lastSunday(year, time.October)) + "T12:00", lastSunday(year, time.October) + "T12:00", "", 422, "ends_at", "error.booking.too_long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := env.db.LatestChange(context.Background())
			r := env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": tt.resource.ID, "starts_at": tt.start, "ends_at": tt.end, "time_zone": tt.zone}, env.as(env.kit)...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			p := decode[Problem](t, r)
			found := false
			for _, e := range p.Errors {
				found = found || (e.Field == tt.field && e.Code == tt.code)
			}
			if !found {
				t.Errorf("errors %+v, want %s on %s", p.Errors, tt.code, tt.field)
			}
			if after, _ := env.db.LatestChange(context.Background()); after != before {
				t.Errorf("refused request moved the change feed from %d to %d", before, after)
			}
		})
	}
	// The spring day is 23 hours long and fits the 24-hour maximum.
	spring := lastSunday(year, time.March)
	if r := env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": clock.ID, "starts_at": dayBefore(spring) + "T12:00", "ends_at": spring + "T12:00"}, env.as(env.kit)...); r.status != 201 ||
		decode[facilities.Booking](t, r).Minutes() != 23*60 {
		t.Errorf("a day across the spring change: %d %s, want 201 and 1380 minutes", r.status, r.body)
	}
}

func auditFilter(entityID string) audit.Filter { return audit.Filter{EntityID: entityID, Limit: 100} }

func lastSunday(year int, month time.Month) string {
	d := time.Date(year, month+1, 0, 12, 0, 0, 0, time.UTC)
	for d.Weekday() != time.Sunday {
		d = d.AddDate(0, 0, -1)
	}
	return d.Format(time.DateOnly)
}

func dayBefore(date string) string {
	d, _ := time.Parse(time.DateOnly, date)
	return d.AddDate(0, 0, -1).Format(time.DateOnly)
}

// TestCalendarFeedsParse reads the facility, resource and personal feeds
// back with the iCalendar library.
func TestCalendarFeedsParse(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	var allWeek []map[string]any
	for d := 0; d <= 6; d++ {
		allWeek = append(allWeek, map[string]any{"day": d, "opens": "06:00", "closes": "22:00"})
	}
	r := env.do("POST", "/api/v1/facilities/riskfactory-twente/resources", map[string]any{"slug": "scene", "name": "Kitchen scene", "kind": "room",
		"approval": "auto", "opening_hours": allWeek}, env.as(env.admin)...)
	res := decode[facilities.Resource](t, r)
	tue := nextWeekday(time.Tuesday)
	r = env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": res.ID, "starts_at": tue + "T09:00", "ends_at": tue + "T11:00", "purpose": "Fire safety class"}, env.as(env.kit)...)
	if r.status != 201 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	b := decode[facilities.Booking](t, r)
	for _, in := range []map[string]string{{"kind": "facility", "target_id": "riskfactory-twente"}, {"kind": "resource", "target_id": res.ID}, {"kind": "user"}} {
		r := env.do("POST", "/api/v1/calendars", in, env.as(env.kit)...)
		if r.status != 201 {
			t.Fatalf("create %s feed: %d %s", in["kind"], r.status, r.body)
		}
		nc := decode[NewCalendar](t, r)
		path := strings.TrimPrefix(nc.URL, "http://escnet.test")
		feed := env.do("GET", path, nil, "Authorization", "")
		if feed.status != 200 || !strings.HasPrefix(feed.header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("%s feed: %d %s", in["kind"], feed.status, feed.header.Get("Content-Type"))
		}
		cal, err := ics.ParseCalendar(strings.NewReader(string(feed.body)))
		if err != nil {
			t.Fatalf("%s feed does not parse: %v\n%s", in["kind"], err, feed.body)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("%s feed has %d events, want 1", in["kind"], len(events))
		}
		start, err := events[0].GetStartAt()
		if err != nil || !start.Equal(b.StartsAt) {
			t.Errorf("%s feed: event starts %v (%v), want %v", in["kind"], start, err, b.StartsAt)
		}
		if sum := events[0].GetProperty(ics.ComponentPropertySummary); sum == nil || !strings.Contains(sum.Value, "Kitchen scene") {
			t.Errorf("%s feed: summary %v", in["kind"], sum)
		}
		// Revoked, the address answers 404.
		if r := env.do("DELETE", "/api/v1/calendars/"+nc.Calendar.ID, nil, env.as(env.kit)...); r.status != 204 {
			t.Fatalf("revoke: %d", r.status)
		}
		if r := env.do("GET", path, nil, "Authorization", ""); r.status != 404 {
			t.Errorf("revoked %s feed: %d, want 404", in["kind"], r.status)
		}
	}
	if r := env.do("GET", "/calendar/cal_not-a-secret.ics", nil, "Authorization", ""); r.status != 404 {
		t.Errorf("unknown feed: %d, want 404", r.status)
	}
}

// TestUsageAndSlots books across clusters and reads the use back: the
// page draws the chart, the CSV splits by cluster, and the free-slot
// search finds the facility by distance.
func TestUsageAndSlots(t *testing.T) {
	env := newBookingEnv(t, storetest.NewSQLite(t))
	var allWeek []map[string]any
	for d := 0; d <= 6; d++ {
		allWeek = append(allWeek, map[string]any{"day": d, "opens": "08:00", "closes": "20:00"})
	}
	r := env.do("POST", "/api/v1/facilities/twente-airport-drone-centre/resources", map[string]any{"slug": "range", "name": "Drone range", "kind": "range",
		"approval": "auto", "max_minutes": 3 * 24 * 60, "opening_hours": allWeek}, env.as(env.admin)...)
	res := decode[facilities.Resource](t, r)
	tue := nextWeekday(time.Tuesday)
	if r := env.do("POST", "/api/v1/bookings", map[string]any{"resource_id": res.ID, "starts_at": tue + "T08:00", "ends_at": tue + "T12:00"}, env.as(env.kit)...); r.status != 201 {
		t.Fatalf("book: %d %s", r.status, r.body)
	}
	u := decode[facilities.Usage](t, env.do("GET", "/api/v1/facilities/twente-airport-drone-centre/usage", nil))
	var booked float64
	for _, m := range u.Months {
		booked += m.BookedHours
	}
	if booked != 4 || u.AcrossClusters != 1 {
		t.Errorf("usage: %v hours booked, %v across clusters; want 4 hours, all from another cluster", booked, u.AcrossClusters)
	}
	page := doc(t, env.do("GET", "/facilities/twente-airport-drone-centre/usage", nil))
	if page.Find("figure.chart svg rect").Length() < 2 || !strings.Contains(page.Find("figcaption").Text(), "KIT") {
		t.Errorf("usage page lacks the chart or the booking cluster")
	}
	csv := env.do("GET", "/api/v1/facilities/twente-airport-drone-centre/usage.csv", nil)
	if !strings.HasPrefix(string(csv.body), "month,available_hours,booked_hours,cluster_id") || !strings.Contains(string(csv.body), ",true\n") {
		t.Errorf("usage CSV:\n%s", csv.body)
	}
	// Two whole days near Eindhoven (Enschede is about 140 km away), but
	// not within 50 km.
	tueDay, _ := time.Parse(time.DateOnly, tue)
	q := "/api/v1/slots?kind=test_range&capability=drones.testing&near=Eindhoven&days=2&from=" + tue + "&to=" + tueDay.AddDate(0, 0, 5).Format(time.DateOnly)
	slots := decode[SlotList](t, env.do("GET", q+"&within_km=500", nil))
	if slots.Total == 0 || slots.Items[0].FacilitySlug != "twente-airport-drone-centre" || slots.Items[0].DistanceKm == nil || *slots.Items[0].DistanceKm > 200 {
		t.Fatalf("slots within 500 km: %+v", slots.Items)
	}
	for _, s := range slots.Items {
		if s.StartsLocal == tue+"T08:00" {
			t.Errorf("slot %s–%s overlaps the booking on %s", s.StartsLocal, s.EndsLocal, tue)
		}
		if s.EndsAt.Sub(s.StartsAt) != 36*time.Hour {
			t.Errorf("two whole days %s–%s last %v, want 36h (08:00 to 20:00 the next day)", s.StartsLocal, s.EndsLocal, s.EndsAt.Sub(s.StartsAt))
		}
	}
	// The page shows the same distance as the API, as a localised number.
	pageQ := strings.Replace(q, "/api/v1/slots", "/slots", 1) + "&within_km=500"
	for _, lang := range []struct{ lang, sep string }{{"en", "."}, {"de", ","}, {"fr", ","}} {
		html := string(env.do("GET", pageQ, nil, "Accept-Language", lang.lang).body)
		for _, bad := range []string{"0x", "%!", "<nil>", "map["} {
			if strings.Contains(html, bad) {
				t.Errorf("/slots (%s) shows %q", lang.lang, bad)
			}
		}
		want := strings.Replace(strconv.FormatFloat(*slots.Items[0].DistanceKm, 'f', 1, 64), ".", lang.sep, 1) + " km"
		if !strings.Contains(html, want) {
			t.Errorf("/slots (%s) lacks the distance %q", lang.lang, want)
		}
	}
	if far := decode[SlotList](t, env.do("GET", q+"&within_km=50", nil)); far.Total != 0 {
		t.Errorf("slots within 50 km of Eindhoven: %d, want none", far.Total)
	}
	if r := env.do("GET", "/api/v1/slots?near=Atlantis", nil); r.status != 400 {
		t.Errorf("unknown place: %d, want 400", r.status)
	}
}
