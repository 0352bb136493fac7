package events

import (
	"errors"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/validate"
)

func course() Event {
	e, err := BuildEvent(EventInput{Slug: "course", Kind: KindTraining, Title: "Course", Language: "nl", Organisers: []string{"c"},
		VenueKind: VenueAddress, Venue: "Riskfactory", TimeZone: "Europe/Amsterdam", StartsAt: "2027-03-01T09:00", EndsAt: "2027-06-30T17:00",
		Visibility: "public"})
	if err != nil {
		panic(err)
	}
	return e
}

// TestRepeatWeekly: the same wall-clock hours every week across the
// change to summer time (27 March 2027), up to the end date inclusive.
func TestRepeatWeekly(t *testing.T) {
	e := course()
	in := SessionInput{Title: "Module", StartsAt: "2027-03-15T19:00", EndsAt: "2027-03-15T21:00", Repeat: &Repeat{Freq: RepeatWeekly, Until: "2027-04-05"}}
	occ, errs := occurrences(in, e.location())
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	ss, err := buildSeries(e, occ)
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 4 {
		t.Fatalf("%d occurrences, want 4 (15, 22, 29 March, 5 April)", len(ss))
	}
	for _, s := range ss {
		if h := s.StartsAt.In(e.location()).Hour(); h != 19 {
			t.Errorf("occurrence at %v local hour %d, want 19", s.StartsAt, h)
		}
	}
	if d := ss[2].StartsAt.Sub(ss[1].StartsAt); d != 7*24*time.Hour-time.Hour {
		t.Errorf("across the change to summer time: %v apart, want 167h", d)
	}
}

func TestRepeatMonthlyAndBadInput(t *testing.T) {
	e := course()
	in := SessionInput{Title: "Day", StartsAt: "2027-03-31T09:00", EndsAt: "2027-03-31T12:00", Repeat: &Repeat{Freq: RepeatMonthly, Count: 2}}
	occ, errs := occurrences(in, e.location())
	if len(errs) > 0 || len(occ) != 2 || occ[1].StartsAt != "2027-05-31T09:00" {
		t.Fatalf("monthly on the 31st: %v %v, want 31 March and 31 May (no 31 April)", occ, errs)
	}
	for _, tc := range []struct {
		rp    Repeat
		field string
	}{
		{Repeat{Freq: "daily", Count: 2}, "repeat.freq"},
		{Repeat{Freq: RepeatWeekly}, "repeat.count"},
		{Repeat{Freq: RepeatWeekly, Count: 2, Until: "2027-04-01"}, "repeat.count"},
		{Repeat{Freq: RepeatWeekly, Count: 100}, "repeat.count"},
		{Repeat{Freq: RepeatWeekly, Until: "1 April"}, "repeat.until"},
	} {
		in := SessionInput{Title: "x", StartsAt: "2027-03-15T19:00", EndsAt: "2027-03-15T21:00", Repeat: &tc.rp}
		_, errs := occurrences(in, e.location())
		if !hasField(errs, tc.field) {
			t.Errorf("%+v: errors %v, want one on %s", tc.rp, errs, tc.field)
		}
	}
	// An occurrence after the event's end is refused, naming its date.
	in = SessionInput{Title: "Late", StartsAt: "2027-06-14T09:00", EndsAt: "2027-06-14T12:00", Repeat: &Repeat{Freq: RepeatWeekly, Count: 4}}
	occ, _ = occurrences(in, e.location())
	_, err := buildSeries(e, occ)
	var ve validate.Errors
	if !errors.As(err, &ve) || ve[0].Field != "repeat" || ve[0].Args["date"] != "2027-07-05" {
		t.Errorf("occurrence outside the event: %v", err)
	}
}

func hasField(errs validate.Errors, f string) bool {
	for _, e := range errs {
		if e.Field == f {
			return true
		}
	}
	return false
}
