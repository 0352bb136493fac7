package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/validate"
)

// The week grid: a resource's opening hours, bookings and closures over
// one ISO week, in the facility's local time (the zone is shown), with
// links to the weeks before and after. Anyone who may see the facility
// sees when it is taken, not by whom (as the availability API).

type weekPage struct {
	layout
	Facility  directory.Facility
	Resources []facilities.Resource
	Resource  facilities.Resource
	Week      string // YYYY-Www
	Prev      string
	Next      string
	Days      []weekDay
}

type weekDay struct {
	Date    time.Time
	Weekday int
	Entries []weekEntry
}

// weekEntry is one stretch of a day: open, taken or closed.
type weekEntry struct {
	From, To string // local HH:MM (24:00 at the end of the day)
	Kind     string // "open", "taken", "closed"
}

// isoWeek is the YYYY-Www of local time t.
func isoWeek(t time.Time) string {
	y, w := t.ISOWeek()
	return fmt.Sprintf("%04d-W%02d", y, w)
}

// weekStart reads YYYY-Www as the Monday 00:00 of that week in loc.
func weekStart(s string, loc *time.Location) (time.Time, bool) {
	ys, ws, ok := strings.Cut(s, "-W")
	y, err1 := strconv.Atoi(ys)
	w, err2 := strconv.Atoi(ws)
	if !ok || err1 != nil || err2 != nil || len(ys) != 4 || len(ws) != 2 || w < 1 || w > 53 {
		return time.Time{}, false
	}
	// 4 January is always in week 1.
	jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, loc)
	mon := jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+(w-1)*7)
	if _, got := mon.ISOWeek(); got != w {
		return time.Time{}, false
	}
	return mon, true
}

// clip adds the part of [s, e) that falls on day [d, d+1) to the day's
// entries, in local time.
func clip(day *weekDay, next time.Time, s, e time.Time, kind string) {
	if !s.Before(next) || !e.After(day.Date) {
		return
	}
	if s.Before(day.Date) {
		s = day.Date
	}
	to := "24:00"
	if e.Before(next) {
		to = e.In(day.Date.Location()).Format("15:04")
	}
	day.Entries = append(day.Entries, weekEntry{From: s.In(day.Date.Location()).Format("15:04"), To: to, Kind: kind})
}

func (s *Server) pageFacilityWeek(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f, rs, err := s.fac.Resources(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	loc := schedule.LocationOrUTC(f.TimeZone)
	q := r.URL.Query()
	d := weekPage{layout: s.layout(r, f.Name, "facilities"), Facility: f, Resources: rs}
	var errs validate.Errors
	for _, res := range rs {
		if key := q.Get("resource"); res.Slug == key || res.ID == key || key == "" && d.Resource.ID == "" {
			d.Resource = res
		}
	}
	if d.Resource.ID == "" && q.Get("resource") != "" {
		errs.Add("resource", validate.NotFound)
	}
	d.Week = q.Get("week")
	if d.Week == "" {
		d.Week = isoWeek(s.fac.Now().In(loc))
	}
	start, ok := weekStart(d.Week, loc)
	if !ok {
		errs.Add("week", validate.InvalidFormat)
	}
	if len(errs) > 0 {
		return errBadRequest("The week grid needs a resource of the facility and a week written YYYY-Www.", errs)
	}
	end := start.AddDate(0, 0, 7)
	d.Prev, d.Next = isoWeek(start.AddDate(0, 0, -7)), isoWeek(end)
	if d.Resource.ID == "" {
		return s.render(w, http.StatusOK, "facility_week", d)
	}
	a, err := s.fac.Availability(ctx, f, start, end)
	if err != nil {
		return err
	}
	var ra facilities.ResourceAvailability
	for _, x := range a.Resources {
		if x.ResourceID == d.Resource.ID {
			ra = x
		}
	}
	for i := range 7 {
		day := weekDay{Date: start.AddDate(0, 0, i)}
		day.Weekday = int(day.Date.Weekday())
		next := start.AddDate(0, 0, i+1)
		for _, o := range subtract(ra.Open, append(ra.Busy, blackoutIntervals(ra.Blackouts)...)) {
			clip(&day, next, o.Start, o.End, "open")
		}
		for _, b := range ra.Busy {
			clip(&day, next, b.Start, b.End, "taken")
		}
		for _, b := range ra.Blackouts {
			clip(&day, next, b.StartsAt, b.EndsAt, "closed")
		}
		sortEntries(day.Entries)
		d.Days = append(d.Days, day)
	}
	return s.render(w, http.StatusOK, "facility_week", d)
}

func blackoutIntervals(bs []facilities.Blackout) []schedule.Interval {
	var out []schedule.Interval
	for _, b := range bs {
		out = append(out, schedule.Interval{Start: b.StartsAt, End: b.EndsAt})
	}
	return out
}

func sortEntries(es []weekEntry) {
	for i := 1; i < len(es); i++ {
		for j := i; j > 0 && es[j].From < es[j-1].From; j-- {
			es[j], es[j-1] = es[j-1], es[j]
		}
	}
}

// subtract is what remains of the open intervals once the taken ones are
// cut out.
func subtract(open, taken []schedule.Interval) []schedule.Interval {
	taken = schedule.Merge(taken)
	var out []schedule.Interval
	for _, o := range open {
		cur := o.Start
		for _, t := range taken {
			if !t.End.After(cur) || !t.Start.Before(o.End) {
				continue
			}
			if t.Start.After(cur) {
				out = append(out, schedule.Interval{Start: cur, End: t.Start})
			}
			if t.End.After(cur) {
				cur = t.End
			}
		}
		if cur.Before(o.End) {
			out = append(out, schedule.Interval{Start: cur, End: o.End})
		}
	}
	return out
}

// facilitiesUIKeyFamilies are the message keys the facility forms and
// the week grid build in code (for the locale test).
func facilitiesUIKeyFamilies() map[string][]string {
	return map[string][]string{
		"facui.": {"n_days", "n_hours", "hours_decimal"},
		"week.":  {"open", "taken", "closed"},
		"field.": {"resource", "week", "weeks"},
	}
}
