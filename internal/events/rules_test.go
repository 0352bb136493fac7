package events

import (
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

func TestDecidePlace(t *testing.T) {
	for _, tc := range []struct {
		name      string
		ev        Event
		confirmed int
		existing  bool
		want      string
		wantErr   string
	}{
		{"places left", Event{Capacity: 2}, 1, false, StatusConfirmed, ""},
		{"no limit", Event{}, 500, false, StatusConfirmed, ""},
		{"full with waiting list", Event{Capacity: 2, Waitlist: true}, 2, false, StatusWaiting, ""},
		{"full without waiting list", Event{Capacity: 2}, 2, false, "", validate.EventFull},
		{"approval", Event{Capacity: 2, Approval: true}, 2, false, StatusPending, ""},
		{"second registration", Event{}, 0, true, "", validate.AlreadyRegistered},
	} {
		p := Places{Event: tc.ev, Confirmed: tc.confirmed}
		if tc.existing {
			p.Existing = &Registration{}
		}
		r := Registration{}
		err := decidePlace(p, &r)
		var ve validate.Errors
		var ce *store.ConflictError
		got := ""
		switch {
		case errors.As(err, &ve):
			got = ve[0].Code
		case errors.As(err, &ce):
			got = ce.Code
		case err != nil:
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got != tc.wantErr || (err == nil && r.Status != tc.want) {
			t.Errorf("%s: status %q, error %q; want %q, %q", tc.name, r.Status, got, tc.want, tc.wantErr)
		}
	}
}

func TestValidateAnswers(t *testing.T) {
	e := Event{Questions: []Question{{ID: "diet", Label: "Diet", Required: true}, {ID: "role", Label: "Role", Choices: []string{"police", "fire"}}}}
	for _, tc := range []struct {
		answers map[string]string
		field   string
	}{
		{map[string]string{}, "answers.diet"},
		{map[string]string{"diet": "none", "role": "army"}, "answers.role"},
		{map[string]string{"diet": "none", "shoe": "42"}, "answers.shoe"},
	} {
		errs := validateAnswers(e, RegisterInput{Answers: tc.answers})
		if len(errs) != 1 || errs[0].Field != tc.field {
			t.Errorf("answers %v: %v, want one error on %s", tc.answers, errs, tc.field)
		}
	}
	if errs := validateAnswers(e, RegisterInput{Answers: map[string]string{"diet": "vegan", "role": "fire"}}); len(errs) != 0 {
		t.Errorf("good answers refused: %v", errs)
	}
}

func TestSlots(t *testing.T) {
	in := EventInput{Slug: "b", Kind: KindMeeting, Title: "B", Language: "en", Organisers: []string{"x"}, VenueKind: VenueOnline,
		OnlineURL: "https://meet.example.test/b", TimeZone: "Europe/Helsinki", StartsAt: "2027-06-01T08:00", EndsAt: "2027-06-02T18:00",
		Visibility: "public", Brokerage: &Brokerage{Days: []MeetingDay{{Date: "2027-06-01", Start: "09:00", End: "12:00"}, {Date: "2027-06-02", Start: "13:00", End: "14:00"}},
			SlotMinutes: 30, Breaks: []Break{{Start: "10:30", End: "11:00"}}, Tables: 3}}
	e, err := BuildEvent(in)
	if err != nil {
		t.Fatal(err)
	}
	slots, err := e.Slots()
	if err != nil {
		t.Fatal(err)
	}
	// Day one: six half hours less the break; day two: two.
	if len(slots) != 7 || slots[0].Day != 0 || slots[6].Day != 1 {
		t.Fatalf("%d slots %v, want 5 + 2", len(slots), slots)
	}
	if got := slots[0].Start.In(e.Location()).Format("15:04"); got != "09:00" {
		t.Errorf("first slot at %s Helsinki time, want 09:00", got)
	}
	if got := slots[0].Start.UTC().Format("15:04"); got != "06:00" {
		t.Errorf("first slot at %s UTC, want 06:00", got)
	}
	in.Translations = map[string]Text{"es": {Title: "B"}}
	if _, err := BuildEvent(in); err == nil {
		t.Error("a translation into an unsupported language was accepted")
	}
}
