package schedule

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/escnet/escnet/internal/validate"
)

// Opening is one weekly opening interval in a place's local time: Day 0
// is Sunday … 6 Saturday; Opens and Closes are "HH:MM", Closes may be
// "24:00".
type Opening struct {
	Day    int    `json:"day"`
	Opens  string `json:"opens"`
	Closes string `json:"closes"`
}

// ClockMinutes reads "HH:MM" (00:00–24:00) as minutes after midnight.
func ClockMinutes(s string) (int, bool) {
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

// CheckOpenings reports every bad entry of hours under field
// ("opening_hours[2].closes").
func CheckOpenings(errs *validate.Errors, field string, hours []Opening) {
	for i, o := range hours {
		f := fmt.Sprintf("%s[%d]", field, i)
		if o.Day < 0 || o.Day > 6 {
			errs.Add(f+".day", validate.InvalidChoice, "choices", "0 (Sunday) .. 6 (Saturday)")
		}
		a, ok1 := ClockMinutes(o.Opens)
		b, ok2 := ClockMinutes(o.Closes)
		if !ok1 || a == 24*60 {
			errs.Add(f+".opens", validate.InvalidFormat)
		}
		if !ok2 {
			errs.Add(f+".closes", validate.InvalidFormat)
		} else if ok1 && b <= a {
			errs.Add(f+".closes", NotAfterStart)
		}
	}
}

// OpenIntervals returns the opening times of hours between from and to
// as instants, merged where one day's closing meets the next day's
// opening (a place open around the clock is one interval). Opening hours
// are local wall-clock times, so a day on which daylight saving time
// begins or ends is an hour shorter or longer.
func OpenIntervals(hours []Opening, loc *time.Location, from, to time.Time) []Interval {
	var out []Interval
	lf := from.In(loc)
	day := time.Date(lf.Year(), lf.Month(), lf.Day(), 0, 0, 0, 0, loc).AddDate(0, 0, -1)
	for ; day.Before(to); day = nextDay(day, loc) {
		for _, o := range hours {
			if o.Day != int(day.Weekday()) {
				continue
			}
			a, ok1 := ClockMinutes(o.Opens)
			b, ok2 := ClockMinutes(o.Closes)
			if !ok1 || !ok2 || b <= a {
				continue
			}
			iv := Interval{at(day, a, loc), at(day, b, loc)}
			if iv.End.After(from) && iv.Start.Before(to) {
				out = append(out, iv)
			}
		}
	}
	merged := Merge(out)
	for i := range merged {
		merged[i] = Clip(merged[i], from, to)
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

// OpenTime is how much of [s, e) falls within the opening hours.
func OpenTime(hours []Opening, loc *time.Location, s, e time.Time) time.Duration {
	return Overlap(OpenIntervals(hours, loc, s, e), s, e)
}

// Within reports whether a span [s, e) starts in open time and ends in
// open time (it may span a closed night between two open days).
func Within(hours []Opening, loc *time.Location, s, e time.Time) (startOK, endOK bool) {
	for _, iv := range OpenIntervals(hours, loc, s.Add(-time.Minute), e.Add(time.Minute)) {
		if !s.Before(iv.Start) && s.Before(iv.End) {
			startOK = true
		}
		if e.After(iv.Start) && !e.After(iv.End) {
			endOK = true
		}
	}
	return startOK, endOK
}

// Query is a search for free time between From and To: either Length of
// continuous time, or Days whole consecutive days (from opening on the
// first to closing on the last). A span must last between Min and Max
// (no bound when zero); at most Limit spans are returned (3 when zero).
type Query struct {
	From, To time.Time
	Length   time.Duration
	Days     int
	Min, Max time.Duration
	Limit    int
}

// Step is the grid free spans of a given length start on: the quarter
// hour after local midnight.
const Step = 15 * time.Minute

// FreeSlots finds the spans that fit q inside the opening hours and
// outside every busy interval, earliest first and not overlapping each
// other.
func FreeSlots(hours []Opening, loc *time.Location, busy []Interval, q Query) []Interval {
	limit := q.Limit
	if limit <= 0 {
		limit = 3
	}
	if !q.From.Before(q.To) {
		return nil
	}
	lengthOK := func(d time.Duration) bool { return d >= q.Min && (q.Max == 0 || d <= q.Max) }
	fits := func(s, e time.Time) bool {
		iv := Interval{s, e}
		if slices.ContainsFunc(busy, iv.Overlaps) {
			return false
		}
		startOK, endOK := Within(hours, loc, s, e)
		return startOK && endOK
	}
	var out []Interval
	open := OpenIntervals(hours, loc, q.From, q.To.Add(24*time.Hour))
	if q.Days > 0 {
		// Whole days: the opening of one local day to the closing of the
		// last, for each run of days.
		for i, iv := range open {
			if len(out) >= limit || !iv.Start.Before(q.To) {
				break
			}
			startDay := iv.Start.In(loc)
			lastDay := time.Date(startDay.Year(), startDay.Month(), startDay.Day()+q.Days-1, 0, 0, 0, 0, loc)
			var end time.Time
			for _, jv := range open[i:] {
				l := jv.End.Add(-time.Nanosecond).In(loc)
				if l.Year() == lastDay.Year() && l.YearDay() == lastDay.YearDay() {
					end = jv.End
				}
			}
			if end.IsZero() || end.After(q.To) {
				continue
			}
			if lengthOK(end.Sub(iv.Start)) && fits(iv.Start, end) {
				out = append(out, Interval{iv.Start, end})
			}
		}
		return out
	}
	length := q.Length
	if length <= 0 || !lengthOK(length) {
		return nil
	}
	for _, iv := range open {
		s := iv.Start
		if s.Before(q.From) {
			s = q.From
		}
		s = CeilTo(s, Step, loc)
		for ; s.Before(iv.End) && !s.Add(length).After(q.To) && len(out) < limit; s = s.Add(Step) {
			if fits(s, s.Add(length)) {
				out = append(out, Interval{s, s.Add(length)})
				// Next slot after this one, not overlapping it.
				s = s.Add(length - Step)
			}
		}
		if len(out) >= limit {
			break
		}
	}
	return out
}
