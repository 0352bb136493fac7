// Package schedule holds the time arithmetic that bookable things share:
// IANA time zones, local wall-clock times (with the daylight saving time
// gaps and overlaps refused rather than guessed), lengths, half-open
// intervals, weekly opening hours and the search for free spans. It knows
// nothing of facilities, events or meetings; they build on it. Its
// message keys (error.invalid_time_zone, error.time.*, ...) are its own.
package schedule

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	// Times are given in the zones of places: the binary carries the IANA
	// database so that they resolve on any machine.
	_ "time/tzdata"

	"github.com/escnet/escnet/internal/validate"
)

// Message keys of the schedule rules.
const (
	InvalidTimeZone = "error.invalid_time_zone"
	InvalidTime     = "error.invalid_time"
	NonexistentTime = "error.time.nonexistent"
	AmbiguousTime   = "error.time.ambiguous"
	InvalidDuration = "error.invalid_duration"
	NotAfterStart   = "error.booking.not_after_start"
)

func init() {
	validate.Define(map[string]string{
		InvalidTimeZone: "is not a known IANA time zone (such as Europe/Amsterdam)",
		InvalidTime:     "must be a date and time as YYYY-MM-DDTHH:MM (local time) or RFC 3339 with an offset",
		NonexistentTime: "does not exist in {zone}: the clocks skip it when daylight saving time begins",
		AmbiguousTime:   "happens twice in {zone} when daylight saving time ends; give it with its UTC offset",
		InvalidDuration: "must be a length such as 90m, 4h or 2d",
		NotAfterStart:   "must be after the start",
	})
}

// ErrBadZone is returned by Location for a name ValidZone refuses.
var ErrBadZone = errors.New("unknown time zone")

// ValidZone reports whether name is an IANA time zone this binary knows.
// "UTC" and "Local" are refused: a place is somewhere.
func ValidZone(name string) bool {
	if name == "" || name == "Local" || name == "UTC" || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

// Location loads a place's zone, refusing what ValidZone refuses.
func Location(name string) (*time.Location, error) {
	if !ValidZone(name) {
		return nil, fmt.Errorf("time zone %q: %w", name, ErrBadZone)
	}
	return time.LoadLocation(name)
}

// LocationOrUTC is Location for display: an unknown zone shows UTC.
func LocationOrUTC(name string) *time.Location {
	if loc, err := Location(name); err == nil {
		return loc
	}
	return time.UTC
}

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
		return time.Time{}, InvalidTime
	}
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	y, mo, d, h, mi, sec := n[0], time.Month(n[1]), n[2], n[3], n[4], n[5]
	if mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, InvalidTime
	}
	wall := time.Date(y, mo, d, h, mi, sec, 0, time.UTC)
	if wall.Day() != d { // 31 April and the like
		return time.Time{}, InvalidTime
	}
	instants := WallInstants(wall, loc)
	switch len(instants) {
	case 0:
		return time.Time{}, NonexistentTime
	case 1:
		return instants[0], ""
	}
	return time.Time{}, AmbiguousTime
}

// ParseField parses the local time v of field into errs (Required when
// empty, the ParseLocal key with the zone otherwise), to the minute.
func ParseField(errs *validate.Errors, field, v string, loc *time.Location) time.Time {
	if strings.TrimSpace(v) == "" {
		errs.Add(field, validate.Required)
		return time.Time{}
	}
	t, code := ParseLocal(v, loc)
	if code != "" {
		errs.Add(field, code, "zone", loc.String())
	}
	return t.Truncate(time.Minute)
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

// FormatLocal shows t in loc as "2006-01-02 15:04".
func FormatLocal(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04") }
