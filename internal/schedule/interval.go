package schedule

import (
	"sort"
	"time"
)

// Interval is a span of time [Start, End).
type Interval struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Overlaps reports whether two half-open intervals share an instant.
func (a Interval) Overlaps(b Interval) bool { return a.Start.Before(b.End) && b.Start.Before(a.End) }

// Length is the interval's elapsed time.
func (a Interval) Length() time.Duration { return a.End.Sub(a.Start) }

// Clip narrows iv to [from, to); the result may be empty (End not after
// Start).
func Clip(iv Interval, from, to time.Time) Interval {
	if iv.Start.Before(from) {
		iv.Start = from
	}
	if iv.End.After(to) {
		iv.End = to
	}
	return iv
}

// Overlap is how much of [s, e) lies inside the given intervals, which
// must not overlap each other (OpenIntervals' are merged).
func Overlap(ivs []Interval, s, e time.Time) time.Duration {
	var d time.Duration
	for _, iv := range ivs {
		c := Clip(iv, s, e)
		if c.End.After(c.Start) {
			d += c.Length()
		}
	}
	return d
}

// Merge sorts intervals and joins those that overlap or touch.
func Merge(ivs []Interval) []Interval {
	out := append([]Interval(nil), ivs...)
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
	return merged
}

// CeilTo rounds t up to a multiple of step after local midnight in loc.
func CeilTo(t time.Time, step time.Duration, loc *time.Location) time.Time {
	l := t.In(loc)
	mid := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	if r := l.Sub(mid) % step; r != 0 {
		return t.Add(step - r)
	}
	return t
}

// Calendar periods.
const (
	Week  = "week"  // Monday to Sunday
	Month = "month" // the calendar month
)

// Period returns the start of the calendar week (Monday) or month
// containing t in loc, and the start of the next one.
func Period(period string, t time.Time, loc *time.Location) (time.Time, time.Time) {
	l := t.In(loc)
	if period == Month {
		s := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, loc)
		return s, time.Date(l.Year(), l.Month()+1, 1, 0, 0, 0, 0, loc)
	}
	back := (int(l.Weekday()) + 6) % 7 // days since Monday
	s := time.Date(l.Year(), l.Month(), l.Day()-back, 0, 0, 0, 0, loc)
	return s, time.Date(s.Year(), s.Month(), s.Day()+7, 0, 0, 0, 0, loc)
}

// MonthsBetween lists the months from the month of from to the month of to
// (inclusive, at most 120) as their first days, in loc.
func MonthsBetween(from, to time.Time, loc *time.Location) []time.Time {
	var out []time.Time
	f, t := from.In(loc), to.In(loc)
	for m := time.Date(f.Year(), f.Month(), 1, 0, 0, 0, 0, loc); !m.After(t) && len(out) < 120; m = m.AddDate(0, 1, 0) {
		out = append(out, m)
	}
	return out
}
