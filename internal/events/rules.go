package events

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/validate"
)

// EventInput is an event as a form or the API gives it: times as local
// dates and times in the venue's zone ("2026-06-01T09:00") or RFC 3339.
type EventInput struct {
	Slug         string          `json:"slug"`
	Kind         string          `json:"kind"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	Language     string          `json:"language"`
	Translations map[string]Text `json:"translations"`
	Organisers   []string        `json:"organisers"`
	VenueKind    string          `json:"venue_kind"`
	FacilityID   string          `json:"facility_id"`
	Venue        string          `json:"venue"`
	OnlineURL    string          `json:"online_url"`
	TimeZone     string          `json:"time_zone"`
	StartsAt     string          `json:"starts_at"`
	EndsAt       string          `json:"ends_at"`
	Visibility   string          `json:"visibility"`
	Capabilities []string        `json:"capabilities"`
	Capacity     int             `json:"capacity"`
	Waitlist     bool            `json:"waitlist"`
	Approval     bool            `json:"approval"`
	Questions    []Question      `json:"questions"`
	Brokerage    *Brokerage      `json:"brokerage"`
	Calls        []string        `json:"calls"`
	Audience     string          `json:"audience"`
	Level        string          `json:"level"`
}

// SessionInput is a programme item as a form or the API gives it.
type SessionInput struct {
	Title    string    `json:"title"`
	Room     string    `json:"room"`
	StartsAt string    `json:"starts_at"`
	EndsAt   string    `json:"ends_at"`
	Capacity int       `json:"capacity"`
	Speakers []Speaker `json:"speakers"`
	// Repeat, when adding, makes the session recur (a course's weekly
	// or monthly sessions): every occurrence is stored as a session.
	Repeat *Repeat `json:"repeat,omitempty"`
}

// Levels of a training.
var Levels = []string{"introductory", "intermediate", "advanced"}

// parseTime reads a local time in the venue's zone, refusing a time the
// clocks skip (a DST gap) or show twice, naming the field.
func parseTime(errs *validate.Errors, field, s string, loc *time.Location) time.Time {
	return schedule.ParseField(errs, field, s, loc)
}

// BuildEvent validates in and returns the event it describes. The venue's
// zone is in.TimeZone (the service fills it from the facility).
func BuildEvent(in EventInput) (Event, error) {
	var errs validate.Errors
	errs.Slug("slug", in.Slug)
	errs.Choice("kind", in.Kind, true, Kinds...)
	errs.Text("title", in.Title, true, 200)
	errs.Text("description", in.Description, false, 20000)
	errs.Choice("language", in.Language, true, Languages...)
	for lang, t := range in.Translations {
		f := "translations." + lang
		if !slices.Contains(Languages, lang) {
			errs.Add(f, validate.InvalidChoice, "choices", strings.Join(Languages, ", "))
			continue
		}
		errs.Text(f+".title", t.Title, true, 200)
		errs.Text(f+".description", t.Description, false, 20000)
	}
	if len(in.Organisers) == 0 {
		errs.Add("organisers", validate.Required)
	}
	errs.Choice("venue_kind", in.VenueKind, true, VenueFacility, VenueAddress, VenueOnline)
	switch in.VenueKind {
	case VenueFacility:
		if in.FacilityID == "" {
			errs.Add("facility_id", validate.Required)
		}
	case VenueAddress:
		errs.Text("venue", in.Venue, true, 300)
	case VenueOnline:
		if in.OnlineURL == "" {
			errs.Add("online_url", validate.Required)
		}
	}
	errs.Text("venue", in.Venue, false, 300)
	errs.URL("online_url", in.OnlineURL)
	errs.Choice("visibility", in.Visibility, true, Visibilities...)
	if in.Capacity < 0 {
		errs.Add("capacity", validate.InvalidFormat)
	}
	errs.Text("audience", in.Audience, false, 300)
	errs.Choice("level", in.Level, false, Levels...)
	validateQuestions(&errs, in.Questions)
	e := Event{Slug: in.Slug, Kind: in.Kind, Title: strings.TrimSpace(in.Title), Description: in.Description, Language: in.Language,
		Translations: in.Translations, Organisers: in.Organisers, VenueKind: in.VenueKind, FacilityID: in.FacilityID, Venue: in.Venue,
		OnlineURL: in.OnlineURL, TimeZone: in.TimeZone, Visibility: in.Visibility, Capabilities: in.Capabilities, Capacity: in.Capacity,
		Waitlist: in.Waitlist, Approval: in.Approval, Questions: in.Questions, Brokerage: in.Brokerage, Audience: in.Audience, Level: in.Level, Calls: in.Calls}
	if e.Calls == nil {
		e.Calls = []string{}
	}
	if len(e.Calls) > 10 {
		errs.Add("calls", validate.InvalidChoice, "choices", "at most 10 calls")
	}
	if e.Capabilities == nil {
		e.Capabilities = []string{}
	}
	if e.Questions == nil {
		e.Questions = []Question{}
	}
	loc, err := schedule.Location(in.TimeZone)
	if err != nil {
		errs.Add("time_zone", schedule.InvalidTimeZone)
		return e, errs
	}
	e.StartsAt = parseTime(&errs, "starts_at", in.StartsAt, loc)
	e.EndsAt = parseTime(&errs, "ends_at", in.EndsAt, loc)
	if !e.StartsAt.IsZero() && !e.EndsAt.IsZero() && !e.EndsAt.After(e.StartsAt) {
		errs.Add("ends_at", schedule.NotAfterStart)
	}
	if e.Brokerage != nil && len(errs) == 0 {
		if _, err := e.Slots(); err != nil {
			return e, err
		}
	}
	return e, errs.Err()
}

func validateQuestions(errs *validate.Errors, qs []Question) {
	seen := map[string]bool{}
	for i, q := range qs {
		f := fmt.Sprintf("questions[%d]", i)
		errs.Slug(f+".id", q.ID)
		if seen[q.ID] {
			errs.Add(f+".id", validate.Duplicate)
		}
		seen[q.ID] = true
		errs.Text(f+".label", q.Label, true, 300)
	}
}

// BuildSession validates in as a session of e.
func BuildSession(e Event, in SessionInput) (Session, error) {
	var errs validate.Errors
	errs.Text("title", in.Title, true, 200)
	errs.Text("room", in.Room, false, 100)
	if in.Capacity < 0 {
		errs.Add("capacity", validate.InvalidFormat)
	}
	for i, sp := range in.Speakers {
		errs.Text(fmt.Sprintf("speakers[%d].name", i), sp.Name, sp.PersonID == "", 200)
		errs.Text(fmt.Sprintf("speakers[%d].affiliation", i), sp.Affiliation, false, 200)
	}
	s := Session{EventID: e.ID, Title: strings.TrimSpace(in.Title), Room: in.Room, Capacity: in.Capacity, Speakers: in.Speakers}
	if s.Speakers == nil {
		s.Speakers = []Speaker{}
	}
	loc, err := schedule.Location(e.TimeZone)
	if err != nil {
		errs.Add("time_zone", schedule.InvalidTimeZone)
		return s, errs
	}
	s.StartsAt = parseTime(&errs, "starts_at", in.StartsAt, loc)
	s.EndsAt = parseTime(&errs, "ends_at", in.EndsAt, loc)
	if len(errs) == 0 {
		if !s.EndsAt.After(s.StartsAt) {
			errs.Add("ends_at", schedule.NotAfterStart)
		}
		span := []any{"start", e.StartsAt.In(loc).Format("2006-01-02 15:04"), "end", e.EndsAt.In(loc).Format("2006-01-02 15:04")}
		if s.StartsAt.Before(e.StartsAt) || s.StartsAt.After(e.EndsAt) {
			errs.Add("starts_at", validate.SessionOutsideEvent, span...)
		}
		if s.EndsAt.After(e.EndsAt) || s.EndsAt.Before(e.StartsAt) {
			errs.Add("ends_at", validate.SessionOutsideEvent, span...)
		}
	}
	return s, errs.Err()
}

// Slots turns the brokerage settings into meeting slots (UTC), refusing
// days, times and breaks that do not exist in the venue's zone, lie
// outside the event, or end before they start.
func (e Event) Slots() ([]Slot, error) {
	b := e.Brokerage
	var errs validate.Errors
	loc, err := schedule.Location(e.TimeZone)
	if err != nil || b == nil {
		errs.Add("brokerage", validate.Required)
		return nil, errs
	}
	if b.SlotMinutes < 5 || b.SlotMinutes > 240 {
		errs.Add("brokerage.slot_minutes", validate.InvalidFormat)
	}
	if b.Tables < 1 {
		errs.Add("brokerage.tables", validate.InvalidFormat)
	}
	if b.Cap < 0 {
		errs.Add("brokerage.cap", validate.InvalidFormat)
	}
	if len(b.Days) == 0 {
		errs.Add("brokerage.days", validate.Required)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	var slots []Slot
	for d, day := range b.Days {
		f := fmt.Sprintf("brokerage.days[%d]", d)
		start := parseTime(&errs, f+".start", day.Date+"T"+day.Start, loc)
		end := parseTime(&errs, f+".end", day.Date+"T"+day.End, loc)
		if len(errs) > 0 {
			continue
		}
		if !end.After(start) {
			errs.Add(f+".end", schedule.NotAfterStart)
			continue
		}
		if start.Before(e.StartsAt) || end.After(e.EndsAt) {
			errs.Add(f+".date", validate.SessionOutsideEvent, "start", e.StartsAt.In(loc).Format("2006-01-02 15:04"), "end", e.EndsAt.In(loc).Format("2006-01-02 15:04"))
			continue
		}
		breaks := e.breaksOn(&errs, day.Date, loc)
		step := time.Duration(b.SlotMinutes) * time.Minute
		for t := start; !t.Add(step).After(end); t = t.Add(step) {
			if !overlapsAny(t, t.Add(step), breaks) {
				slots = append(slots, Slot{Day: d, Start: t, End: t.Add(step)})
			}
		}
	}
	return slots, errs.Err()
}

func (e Event) breaksOn(errs *validate.Errors, date string, loc *time.Location) [][2]time.Time {
	var out [][2]time.Time
	for i, br := range e.Brokerage.Breaks {
		f := fmt.Sprintf("brokerage.breaks[%d]", i)
		s := parseTime(errs, f+".start", date+"T"+br.Start, loc)
		en := parseTime(errs, f+".end", date+"T"+br.End, loc)
		if !s.IsZero() && !en.IsZero() && !en.After(s) {
			errs.Add(f+".end", schedule.NotAfterStart)
		}
		out = append(out, [2]time.Time{s, en})
	}
	return out
}

func overlapsAny(s, e time.Time, ivs [][2]time.Time) bool {
	for _, iv := range ivs {
		if s.Before(iv[1]) && iv[0].Before(e) {
			return true
		}
	}
	return false
}
