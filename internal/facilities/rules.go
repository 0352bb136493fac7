package facilities

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	// Bookings are given in the facilities' zones: the binary carries the
	// IANA database so that they resolve on any machine.
	_ "time/tzdata"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Location loads a facility's zone (directory validation guarantees it).
func Location(name string) (*time.Location, error) {
	if !directory.ValidZone(name) {
		return nil, fmt.Errorf("time zone %q: %w", name, errBadZone)
	}
	return time.LoadLocation(name)
}

var errBadZone = fmt.Errorf("unknown time zone")

var localTimeRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$`)

// ParseLocal reads a time given either as a local date and time in loc
// ("2026-05-12T09:00", seconds optional) or as RFC 3339 with an offset.
// A local time that the clocks skip when daylight saving time begins, or
// that happens twice when it ends, is refused with its message key: the
// rule is that a wall-clock time must name exactly one instant.
func ParseLocal(s string, loc *time.Location) (time.Time, string) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), ""
	}
	m := localTimeRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, validate.InvalidTime
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	y, mo, d, h, mi, sec := n[0], time.Month(n[1]), n[2], n[3], n[4], n[5]
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, validate.InvalidTime
	}
	wall := time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
	if wall.Day() != d { // 31 April and the like
		return time.Time{}, validate.InvalidTime
	}
	instants := WallInstants(wall, loc)
	switch len(instants) {
	case 0:
		return time.Time{}, validate.NonexistentTime
	case 1:
		return instants[0], ""
	}
	return time.Time{}, validate.AmbiguousTime
}

// WallInstants returns every instant at which the clocks in loc show the
// wall time w (given with UTC as a carrier): none in a spring-forward gap,
// two in a fall-back overlap, one otherwise. Zone changes happen at most
// once a day, so the offsets a day before and after cover every case.
func WallInstants(w time.Time, loc *time.Location) []time.Time {
	var out []time.Time
	for _, probe := range []time.Duration{-24 * time.Hour, 0, 24 * time.Hour} {
		_, off := w.Add(probe).In(loc).Zone()
		u := w.Add(-time.Duration(off) * time.Second).UTC()
		l := u.In(loc)
		if l.Year() == w.Year() && l.YearDay() == w.YearDay() && l.Hour() == w.Hour() && l.Minute() == w.Minute() && l.Second() == w.Second() &&
			!slices.ContainsFunc(out, u.Equal) {
			out = append(out, u)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

var durationRE = regexp.MustCompile(`^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$`)

// ParseLength reads a length such as "90m", "4h", "2d" or "1d12h"; a day
// is 24 hours of elapsed time.
func ParseLength(s string) (time.Duration, bool) {
	m := durationRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || s == "" {
		return 0, false
	}
	var d time.Duration
	for i, unit := range []time.Duration{24 * time.Hour, time.Hour, time.Minute} {
		if m[i+1] != "" {
			n, err := strconv.Atoi(m[i+1])
			if err != nil || n > 10000 {
				return 0, false
			}
			d += time.Duration(n) * unit
		}
	}
	return d, d > 0
}

// Interval is a span of time [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether two half-open intervals share an instant.
func (a Interval) Overlaps(b Interval) bool { return a.Start.Before(b.End) && b.Start.Before(a.End) }

func (a Interval) length() time.Duration { return a.End.Sub(a.Start) }

// clockMinutes reads "HH:MM" (00:00–24:00) as minutes after midnight.
func clockMinutes(s string) (int, bool) {
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	h, err1 := strconv.Atoi(s[:2])
	m, err2 := strconv.Atoi(s[3:])
	if err1 != nil || err2 != nil || m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// OpenIntervals returns the resource's opening times between from and to
// as instants, merged where one day's closing meets the next day's
// opening (a range open around the clock is one interval). Opening hours
// are local wall-clock times, so a day on which daylight saving time
// begins or ends is an hour shorter or longer.
func OpenIntervals(r Resource, loc *time.Location, from, to time.Time) []Interval {
	var out []Interval
	lf := from.In(loc)
	day := time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -1)
	for ; day.Before(to); day = nextDay(day, loc) {
		for _, o := range r.OpeningHours {
			if o.Day != int(day.Weekday()) {
				continue
			}
			a, ok1 := clockMinutes(o.Opens)
			b, ok2 := clockMinutes(o.Closes)
			if !ok1 || !ok2 || b <= a {
				continue
			}
			iv := Interval{at(day, a, loc), at(day, b, loc)}
			if iv.End.After(from) && iv.Start.Before(to) {
				out = append(out, iv)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start.Before(out[j].Start) })
	var merged []Interval
	for _, iv := range out {
		if n := len(merged); n > 0 && !iv.Start.After(merged[n-1].End) {
			if iv.End.After(merged[n-1].End) {
				merged[n-1].End = iv.End
			}
			continue
		}
		merged = append(merged, iv)
	}
	for i := range merged {
		merged[i] = clip(merged[i], from, to)
	}
	return merged
}

func nextDay(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, loc)
}

// at is the instant of minutes after local midnight of day (24:00 is the
// next midnight).
func at(day time.Time, minutes int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), minutes/60, minutes%60, 0, 0, loc)
}

func clip(iv Interval, from, to time.Time) Interval {
	if iv.Start.Before(from) {
		iv.Start = from
	}
	if iv.End.After(to) {
		iv.End = to
	}
	return iv
}

// openOverlap is how much of [s, e) lies inside the given open intervals.
func openOverlap(open []Interval, s, e time.Time) time.Duration {
	var d time.Duration
	for _, iv := range open {
		c := clip(iv, s, e)
		if c.End.After(c.Start) {
			d += c.length()
		}
	}
	return d
}

// BookedOpenTime is how much of booking [s, e) falls within r's opening
// hours: what quotas and usage count.
func BookedOpenTime(r Resource, loc *time.Location, s, e time.Time) time.Duration {
	return openOverlap(OpenIntervals(r, loc, s, e), s, e)
}

// withinOpening reports whether a booking starts in open time and ends in
// open time (it may span a closed night between two open days).
func withinOpening(r Resource, loc *time.Location, s, e time.Time) (startOK, endOK bool) {
	for _, iv := range OpenIntervals(r, loc, s.Add(-time.Minute), e.Add(time.Minute)) {
		if !s.Before(iv.Start) && s.Before(iv.End) {
			startOK = true
		}
		if e.After(iv.Start) && !e.After(iv.End) {
			endOK = true
		}
	}
	return startOK, endOK
}

// ValidateResource normalises r and reports every bad field.
func ValidateResource(r *Resource) error {
	var errs validate.Errors
	r.Slug = strings.ToLower(strings.TrimSpace(r.Slug))
	r.Name = strings.TrimSpace(r.Name)
	r.Description = strings.TrimSpace(r.Description)
	errs.Slug("slug", r.Slug)
	errs.Text("name", r.Name, true, 200)
	errs.Choice("kind", r.Kind, true, ResourceKinds...)
	errs.Text("description", r.Description, false, 5000)
	if r.Approval == "" {
		r.Approval = ApprovalApprovers
	}
	errs.Choice("approval", r.Approval, true, Approvals...)
	const year = 366 * 24 * 60
	if r.MinMinutes == 0 {
		r.MinMinutes = 30
	}
	if r.MaxMinutes == 0 {
		r.MaxMinutes = 14 * 24 * 60
	}
	for _, c := range []struct {
		field string
		v     int
		lo    int
	}{{"capacity", r.Capacity, 0}, {"min_minutes", r.MinMinutes, 1}, {"max_minutes", r.MaxMinutes, 1},
		{"lead_minutes", r.LeadMinutes, 0}, {"buffer_minutes", r.BufferMinutes, 0}} {
		if c.v < c.lo || c.v > year {
			errs.Add(c.field, validate.InvalidChoice, "choices", fmt.Sprintf("%d..%d", c.lo, year))
		}
	}
	if r.MaxMinutes < r.MinMinutes {
		errs.Add("max_minutes", validate.InvalidChoice, "choices", fmt.Sprintf("%d or more (min_minutes)", r.MinMinutes))
	}
	if r.OpeningHours == nil {
		r.OpeningHours = []Opening{}
	}
	for i, o := range r.OpeningHours {
		f := fmt.Sprintf("opening_hours[%d]", i)
		if o.Day < 0 || o.Day > 6 {
			errs.Add(f+".day", validate.InvalidChoice, "choices", "0 (Sunday) .. 6 (Saturday)")
		}
		a, ok1 := clockMinutes(o.Opens)
		b, ok2 := clockMinutes(o.Closes)
		if !ok1 || a == 24*60 {
			errs.Add(f+".opens", validate.InvalidFormat)
		}
		if !ok2 {
			errs.Add(f+".closes", validate.InvalidFormat)
		} else if ok1 && b <= a {
			errs.Add(f+".closes", validate.NotAfterStart)
		}
	}
	if r.Quotas == nil {
		r.Quotas = []Quota{}
	}
	for i, q := range r.Quotas {
		f := fmt.Sprintf("quotas[%d]", i)
		errs.Choice(f+".period", q.Period, true, PeriodWeek, PeriodMonth)
		errs.Choice(f+".unit", q.Unit, true, UnitHours, UnitBookings)
		if q.Limit < 1 || q.Limit > 100000 {
			errs.Add(f+".limit", validate.InvalidChoice, "choices", "1..100000")
		}
	}
	return errs.Err()
}

// ValidateBlackout checks a blackout period.
func ValidateBlackout(b *Blackout) error {
	var errs validate.Errors
	b.Reason = strings.TrimSpace(b.Reason)
	if b.Kind == "" {
		b.Kind = "blackout"
	}
	errs.Choice("kind", b.Kind, true, BlackoutKinds...)
	errs.Text("reason", b.Reason, false, 500)
	if !b.EndsAt.After(b.StartsAt) {
		errs.Add("ends_at", validate.NotAfterStart)
	}
	return errs.Err()
}

// periodStart returns the start of the quota period containing t in loc
// and the start of the next one.
func periodStart(period string, t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	if period == PeriodMonth {
		s := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		return s, time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc)
	}
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	s := time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
	return s, time.Date(s.Year(), s.Month(), s.Day()+7, 0, 0, 0, 0, loc)
}

// QuotaWindow is the span in which the booking organisation's bookings
// count towards r's quotas for a booking starting at start: the widest of
// the periods that contain start.
func QuotaWindow(r Resource, loc *time.Location, start time.Time) (time.Time, time.Time) {
	from, to := start, start
	for _, q := range r.Quotas {
		s, e := periodStart(q.Period, start, loc)
		if s.Before(from) {
			from = s
		}
		if e.After(to) {
			to = e
		}
	}
	return from, to
}

// countsForQuota reports whether a booking in status s uses quota.
func countsForQuota(s string) bool {
	return s == StatusRequested || Holds(s) || s == StatusCompleted
}

// CheckRules checks a booking against the resource's rules at s.Now:
// length, lead time, opening hours, blackouts and quotas. It does not look
// at other bookings' slots (see conflicts).
func CheckRules(b Booking, s Snapshot) error {
	var errs validate.Errors
	r := s.Resource
	loc, err := Location(b.TimeZone)
	if err != nil {
		errs.Add("time_zone", validate.InvalidTimeZone)
		return errs
	}
	if !b.EndsAt.After(b.StartsAt) {
		errs.Add("ends_at", validate.NotAfterStart)
		return errs
	}
	switch lead := time.Duration(r.LeadMinutes) * time.Minute; {
	case !b.StartsAt.After(s.Now):
		errs.Add("starts_at", validate.BookingInPast)
	case b.StartsAt.Before(s.Now.Add(lead)):
		errs.Add("starts_at", validate.BookingLeadTime, "minutes", r.LeadMinutes)
	}
	length := b.Minutes()
	if length < r.MinMinutes {
		errs.Add("ends_at", validate.BookingTooShort, "length", length, "min", r.MinMinutes)
	}
	if length > r.MaxMinutes {
		errs.Add("ends_at", validate.BookingTooLong, "length", length, "max", r.MaxMinutes)
	}
	if len(errs) > 0 {
		return errs // the rest needs a sane span
	}
	startOK, endOK := withinOpening(r, loc, b.StartsAt, b.EndsAt)
	if !startOK {
		errs.Add("starts_at", validate.BookingClosed)
	}
	if !endOK {
		errs.Add("ends_at", validate.BookingClosed)
	}
	span := Interval{b.StartsAt, b.EndsAt}
	for _, bo := range s.Blackouts {
		if (bo.ResourceID == "" || bo.ResourceID == r.ID) && span.Overlaps(Interval{bo.StartsAt, bo.EndsAt}) {
			errs.Add("starts_at", validate.BookingBlackout, "kind", bo.Kind, "reason", bo.Reason)
			break
		}
	}
	if b.OrganisationID != s.Facility.OrganisationID {
		for _, q := range r.Quotas {
			ps, pe := periodStart(q.Period, b.StartsAt, loc)
			used := quotaUse(q, r, loc, b)
			for _, o := range s.OrgBookings {
				if o.ID != b.ID && o.OrganisationID == b.OrganisationID && countsForQuota(o.Status) &&
					!o.StartsAt.Before(ps) && o.StartsAt.Before(pe) {
					used += quotaUse(q, r, loc, o)
				}
			}
			if used > float64(q.Limit) {
				errs.Add("starts_at", validate.BookingQuota, "limit", q.Limit, "unit", q.Unit, "period", q.Period)
				break
			}
		}
	}
	return errs.Err()
}

// quotaUse is what one booking counts against q: one booking, or the
// hours it covers inside opening hours.
func quotaUse(q Quota, r Resource, loc *time.Location, b Booking) float64 {
	if q.Unit == UnitBookings {
		return 1
	}
	return BookedOpenTime(r, loc, b.StartsAt, b.EndsAt).Hours()
}

// blocks reports whether holding booking o keeps b's slot: their spans,
// each widened by its buffer at the end, overlap. Buffers thus hold on
// both sides, and the database constraint checks the same spans.
func blocks(o, b Booking) bool {
	return o.ID != b.ID && Holds(o.Status) && o.StartsAt.Before(b.BlockedUntil) && b.StartsAt.Before(o.BlockedUntil)
}

func conflicts(b Booking, nearby []Booking) bool {
	return slices.ContainsFunc(nearby, func(o Booking) bool { return blocks(o, b) })
}

func errTaken() error { return &store.ConflictError{Field: "starts_at", Code: validate.BookingTaken} }

func errTransition() error {
	return &store.ConflictError{Field: "status", Code: validate.BookingTransition}
}
