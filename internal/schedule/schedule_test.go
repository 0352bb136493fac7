package schedule

import (
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/validate"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := Location(name)
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

func TestParseLocal(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	tests := []struct {
		in, want, code string
	}{
		{"2026-05-12T09:00", "2026-05-12T07:00:00Z", ""},
		{"2026-05-12 09:00:30", "2026-05-12T07:00:30Z", ""},
		{"2026-01-12T09:00", "2026-01-12T08:00:00Z", ""},
		{"2026-05-12T09:00:00+02:00", "2026-05-12T07:00:00Z", ""},
		{"2026-05-12T07:00:00Z", "2026-05-12T07:00:00Z", ""},
		// Spring forward: 29 March 2026, 02:00 → 03:00.
		{"2026-03-29T02:00", "", NonexistentTime},
		{"2026-03-29T02:59", "", NonexistentTime},
		{"2026-03-29T03:00", "2026-03-29T01:00:00Z", ""},
		{"2026-03-29T01:59", "2026-03-29T00:59:00Z", ""},
		// Fall back: 25 October 2026, 03:00 → 02:00.
		{"2026-10-25T02:00", "", AmbiguousTime},
		{"2026-10-25T02:30", "", AmbiguousTime},
		{"2026-10-25T02:30:00+02:00", "2026-10-25T00:30:00Z", ""},
		{"2026-10-25T02:30:00+01:00", "2026-10-25T01:30:00Z", ""},
		{"2026-10-25T03:00", "2026-10-25T02:00:00Z", ""},
		{"2026-02-30T10:00", "", InvalidTime},
		{"2026-05-12T24:00", "", InvalidTime},
		{"tomorrow", "", InvalidTime},
		{"", "", InvalidTime},
	}
	for _, tt := range tests {
		got, code := ParseLocal(tt.in, ams)
		if code != tt.code {
			t.Errorf("ParseLocal(%q) code = %q, want %q", tt.in, code, tt.code)
			continue
		}
		if tt.want != "" && got.Format(time.RFC3339) != tt.want {
			t.Errorf("ParseLocal(%q) = %s, want %s", tt.in, got.Format(time.RFC3339), tt.want)
		}
	}
	// A zone without daylight saving has no gaps.
	if _, code := ParseLocal("2026-03-29T02:30", mustLoc(t, "Asia/Tokyo")); code != "" {
		t.Errorf("Tokyo 02:30 refused: %s", code)
	}
	if _, err := Location("Europe/Atlantis"); err == nil {
		t.Error("Location(Europe/Atlantis) succeeded")
	}
}

func TestParseLength(t *testing.T) {
	for in, want := range map[string]time.Duration{"90m": 90 * time.Minute, "4h": 4 * time.Hour, "2d": 48 * time.Hour, "1d12h": 36 * time.Hour} {
		if got, ok := ParseLength(in); !ok || got != want {
			t.Errorf("ParseLength(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0m", "4", "-1h", "2 days", "h"} {
		if _, ok := ParseLength(in); ok {
			t.Errorf("ParseLength(%q) accepted", in)
		}
	}
}

func TestOpenIntervals(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	day := week("08:00", "18:00", 0, 1, 2, 3, 4, 5, 6)
	// On the day the clocks go back, 08:00–18:00 local is still 10 hours;
	// the night before it is 25 hours from close to open... of wall time
	// 14 hours, of real time 15.
	from := time.Date(2026, 10, 24, 0, 0, 0, 0, ams)
	open := OpenIntervals(day, ams, from, from.AddDate(0, 0, 2))
	if len(open) != 2 {
		t.Fatalf("two days give %d intervals: %v", len(open), open)
	}
	for _, iv := range open {
		if iv.End.Sub(iv.Start) != 10*time.Hour {
			t.Errorf("opening %v lasts %v, want 10h", iv, iv.End.Sub(iv.Start))
		}
	}
	if gap := open[1].Start.Sub(open[0].End); gap != 15*time.Hour {
		t.Errorf("closed night across the change lasts %v, want 15h", gap)
	}
	// Around the clock every day is one interval.
	clock := week("00:00", "24:00", 0, 1, 2, 3, 4, 5, 6)
	open = OpenIntervals(clock, ams, from, from.AddDate(0, 0, 3))
	if len(open) != 1 || open[0].End.Sub(open[0].Start) != 73*time.Hour {
		t.Errorf("three days around the clock across the change: %v, want one interval of 73h", open)
	}
}

func TestFreeSlots(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	at := func(day, hour, min int) time.Time { return time.Date(2026, 5, day, hour, min, 0, 0, ams) }
	hours := week("08:00", "20:00", 1, 2, 3, 4, 5, 6)
	busy := []Interval{{at(6, 7, 0), at(6, 13, 0)}} // held 08–12 with an hour's buffer either side
	format := func(ivs []Interval) []string {
		var out []string
		for _, iv := range ivs {
			out = append(out, iv.Start.In(ams).Format("02T15:04")+"/"+iv.End.In(ams).Format("02T15:04"))
		}
		return out
	}
	tests := []struct {
		name string
		q    Query
		want string
	}{
		{"four hours after the held span", Query{From: at(6, 0, 0), To: at(7, 0, 0), Length: 4 * time.Hour, Limit: 5}, "06T13:00/06T17:00"},
		{"rounded up to the quarter hour", Query{From: at(7, 9, 7), To: at(7, 12, 0), Length: time.Hour, Limit: 1}, "07T09:15/07T10:15"},
		{"two whole days", Query{From: at(5, 0, 0), To: at(10, 0, 0), Days: 2, Limit: 10}, "07T08:00/08T20:00 08T08:00/09T20:00"},
		{"longer than the maximum", Query{From: at(7, 0, 0), To: at(8, 0, 0), Length: 3 * time.Hour, Max: 2 * time.Hour}, ""},
		{"shorter than the minimum", Query{From: at(7, 0, 0), To: at(8, 0, 0), Length: 30 * time.Minute, Min: time.Hour}, ""},
		{"Sunday is closed", Query{From: at(10, 0, 0), To: at(11, 0, 0), Length: time.Hour}, ""},
		{"empty window", Query{From: at(7, 0, 0), To: at(7, 0, 0), Length: time.Hour}, ""},
	}
	for _, tt := range tests {
		got := strings.Join(format(FreeSlots(hours, ams, busy, tt.q)), " ")
		if got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestPeriodAndCheckOpenings(t *testing.T) {
	ams := mustLoc(t, "Europe/Amsterdam")
	wed := time.Date(2026, 5, 6, 15, 0, 0, 0, ams)
	if s, e := Period(Week, wed, ams); !s.Equal(time.Date(2026, 5, 4, 0, 0, 0, 0, ams)) || !e.Equal(time.Date(2026, 5, 11, 0, 0, 0, 0, ams)) {
		t.Errorf("week of %v: %v – %v, want Monday 4 – Monday 11 May", wed, s, e)
	}
	if s, e := Period(Month, wed, ams); !s.Equal(time.Date(2026, 5, 1, 0, 0, 0, 0, ams)) || !e.Equal(time.Date(2026, 6, 1, 0, 0, 0, 0, ams)) {
		t.Errorf("month of %v: %v – %v", wed, s, e)
	}
	var errs validate.Errors
	CheckOpenings(&errs, "opening_hours", []Opening{{Day: 1, Opens: "08:00", Closes: "18:00"}, {Day: 7, Opens: "8:00", Closes: "07:00"}, {Day: 2, Opens: "24:00", Closes: "24:00"}, {Day: 3, Opens: "10:00", Closes: "09:00"}})
	var got []string
	for _, fe := range errs {
		got = append(got, fe.Field+"="+fe.Code)
	}
	want := "opening_hours[1].day=error.invalid_choice opening_hours[1].opens=error.invalid_format opening_hours[2].opens=error.invalid_format opening_hours[2].closes=" + NotAfterStart + " opening_hours[3].closes=" + NotAfterStart
	if strings.Join(got, " ") != want {
		t.Errorf("CheckOpenings: %v\nwant %s", got, want)
	}
	if m := Merge([]Interval{{wed.Add(2 * time.Hour), wed.Add(3 * time.Hour)}, {wed, wed.Add(time.Hour)}, {wed.Add(time.Hour), wed.Add(90 * time.Minute)}}); len(m) != 2 || m[0].Length() != 90*time.Minute {
		t.Errorf("Merge: %v, want two intervals, the first 90 minutes", m)
	}
	if ValidZone("UTC") || ValidZone("../etc/passwd") || !ValidZone("Europe/Brussels") {
		t.Error("ValidZone: UTC and paths must be refused, Europe/Brussels accepted")
	}
}
