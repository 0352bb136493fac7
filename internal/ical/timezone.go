package ical

import (
	"bytes"
	"fmt"
	"slices"
	"time"
)

// zoneOf loads an event's zone; nil (UTC) when empty or unknown.
func zoneOf(tzid string) *time.Location {
	if tzid == "" || tzid == "UTC" || tzid == "Local" {
		return nil
	}
	loc, err := time.LoadLocation(tzid)
	if err != nil {
		return nil
	}
	return loc
}

// vtimezone is a VTIMEZONE written from Go's zone data: the offset in
// force before the feed's first event and every transition from then to a
// year after its last, each as its own STANDARD or DAYLIGHT observance.
type vtimezone struct {
	id          string
	transitions []transition
}

type transition struct {
	at         time.Time // UTC instant of the change
	name       string
	from, to   int // offsets in seconds
	isDaylight bool
}

// timezones builds a VTIMEZONE for each zone the events name.
func timezones(events []Event) ([]vtimezone, error) {
	spans := map[string][2]time.Time{}
	var ids []string
	for _, e := range events {
		if zoneOf(e.TZID) == nil {
			continue
		}
		sp, ok := spans[e.TZID]
		if !ok {
			ids = append(ids, e.TZID)
			sp = [2]time.Time{e.Start, e.End}
		}
		if e.Start.Before(sp[0]) {
			sp[0] = e.Start
		}
		if e.End.After(sp[1]) {
			sp[1] = e.End
		}
		spans[e.TZID] = sp
	}
	slices.Sort(ids)
	var out []vtimezone
	for _, id := range ids {
		loc := zoneOf(id)
		sp := spans[id]
		from, to := sp[0].AddDate(-1, 0, 0), sp[1].AddDate(1, 0, 0)
		if to.Sub(from) > 50*365*24*time.Hour {
			return nil, fmt.Errorf("ical: events in %s span more than 50 years", id)
		}
		out = append(out, vtimezone{id: id, transitions: transitionsOf(loc, from, to)})
	}
	return out, nil
}

// transitionsOf finds the instants at which loc's offset changes between
// from and to: a probe every 12 hours, then a search to the second. The
// first entry is the state at from.
func transitionsOf(loc *time.Location, from, to time.Time) []transition {
	name, off := from.In(loc).Zone()
	out := []transition{{at: from, name: name, from: off, to: off, isDaylight: from.In(loc).IsDST()}}
	for t := from; t.Before(to); {
		next := t.Add(12 * time.Hour)
		if _, o := next.In(loc).Zone(); o != off {
			lo, hi := t, next // offset off at lo, o at hi
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, m := mid.In(loc).Zone(); m == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			n, _ := hi.In(loc).Zone()
			out = append(out, transition{at: hi, name: n, from: off, to: o, isDaylight: hi.In(loc).IsDST()})
			off = o
		}
		t = next
	}
	return out
}

func (z vtimezone) write(b *bytes.Buffer) {
	writeLine(b, "BEGIN:VTIMEZONE")
	writeLine(b, "TZID:"+Text(z.id))
	for _, tr := range z.transitions {
		kind := "STANDARD"
		if tr.isDaylight {
			kind = "DAYLIGHT"
		}
		writeLine(b, "BEGIN:"+kind)
		// DTSTART is the local time before the change, as RFC 5545 wants.
		writeLine(b, "DTSTART:"+tr.at.Add(time.Duration(tr.from)*time.Second).UTC().Format("20060102T150405"))
		writeLine(b, "TZOFFSETFROM:"+offset(tr.from))
		writeLine(b, "TZOFFSETTO:"+offset(tr.to))
		if tr.name != "" {
			writeLine(b, "TZNAME:"+Text(tr.name))
		}
		writeLine(b, "END:"+kind)
	}
	writeLine(b, "END:VTIMEZONE")
}

// offset writes seconds east of UTC as ±hhmm (±hhmmss when needed).
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}
