// Package events holds workshops, conferences, international meetings,
// webinars and trainings: their programme, registration with capacity,
// waiting list and approval, and the 1:1 meetings of brokerage events
// (scheduled by the meetings sub-package). Its Service decides every
// permission from the viewer in the context; its Store only reads and
// writes.
package events

import (
	"time"

	"github.com/escnet/escnet/internal/schedule"
)

// Kinds of events.
const (
	KindWorkshop   = "workshop"
	KindConference = "conference"
	KindMeeting    = "meeting"
	KindWebinar    = "webinar"
	KindTraining   = "training"
)

// Kinds lists the kinds of events.
var Kinds = []string{KindWorkshop, KindConference, KindMeeting, KindWebinar, KindTraining}

// Venue kinds.
const (
	VenueFacility = "facility"
	VenueAddress  = "address"
	VenueOnline   = "online"
)

// Visibilities an event may have (narrowest first).
var Visibilities = []string{"cluster", "alliance", "public"}

// Languages an event's texts may be written in.
var Languages = []string{"en", "nl", "fr", "de"}

// Registration states.
const (
	StatusPending   = "pending" // waits for the organiser's approval
	StatusConfirmed = "confirmed"
	StatusWaiting   = "waiting" // on the waiting list
	StatusDeclined  = "declined"
	StatusCancelled = "cancelled"
)

// Meeting request states.
const (
	MeetingRequested = "requested"
	MeetingAccepted  = "accepted"
	MeetingDeclined  = "declined"
	MeetingCancelled = "cancelled"
)

// Outcomes of a held meeting.
var Outcomes = []string{"follow_up", "letter_of_intent", "joint_proposal", "nothing"}

// Text is an event's title and description in one language.
type Text struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// Question is one question of the registration form.
type Question struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Required bool     `json:"required,omitempty"`
	Choices  []string `json:"choices,omitempty"`
}

// Event is one event. Times are UTC; TimeZone is the venue's zone, in
// which the programme is shown.
type Event struct {
	ID          string `json:"id"`
	Slug        string `json:"slug"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Description string `json:"description"`
	Language    string `json:"language"`
	// Translations holds the texts in other languages.
	Translations map[string]Text `json:"translations,omitempty"`
	// Organisers are the ids of the organising clusters, the first leads.
	Organisers   []string   `json:"organisers"`
	VenueKind    string     `json:"venue_kind"`
	FacilityID   string     `json:"facility_id,omitempty"`
	Venue        string     `json:"venue,omitempty"` // address or room name
	OnlineURL    string     `json:"online_url,omitempty"`
	TimeZone     string     `json:"time_zone"`
	StartsAt     time.Time  `json:"starts_at"`
	EndsAt       time.Time  `json:"ends_at"`
	Visibility   string     `json:"visibility"`
	Capabilities []string   `json:"capabilities"`
	Capacity     int        `json:"capacity"` // 0: no limit
	Waitlist     bool       `json:"waitlist"`
	Approval     bool       `json:"approval"`
	Questions    []Question `json:"questions"`
	Brokerage    *Brokerage `json:"brokerage,omitempty"`
	// Calls are the ids of open calls the event is linked to: the
	// meeting suggestions use the consortium builder for them.
	Calls     []string  `json:"calls"`
	Audience  string    `json:"audience,omitempty"` // trainings
	Level     string    `json:"level,omitempty"`    // trainings
	Confirmed int       `json:"confirmed"`          // places taken (read only)
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Sessions  []Session `json:"sessions,omitempty"`
}

// location is the venue's zone (UTC if unknown).
func (e Event) location() *time.Location { return schedule.LocationOrUTC(e.TimeZone) }

// Location is the venue's zone (UTC if unknown).
func (e Event) Location() *time.Location { return e.location() }

// TextIn returns the event's title and description in lang, falling back
// to the event's own language.
func (e Event) TextIn(lang string) Text {
	if t, ok := e.Translations[lang]; ok && t.Title != "" {
		return t
	}
	return Text{Title: e.Title, Description: e.Description}
}

// Speaker is a person of the directory or a guest.
type Speaker struct {
	PersonID    string `json:"person_id,omitempty"`
	Name        string `json:"name"`
	Affiliation string `json:"affiliation,omitempty"`
}

// Session is one item of an event's programme.
type Session struct {
	ID        string    `json:"id"`
	EventID   string    `json:"event_id"`
	Title     string    `json:"title"`
	Room      string    `json:"room,omitempty"`
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Capacity  int       `json:"capacity"`
	Speakers  []Speaker `json:"speakers"`
	Confirmed int       `json:"confirmed"`
	Version   int       `json:"version"`
}

// Registration is one person's registration for an event.
type Registration struct {
	ID       string `json:"id"`
	EventID  string `json:"event_id"`
	UserID   string `json:"-"`
	PersonID string `json:"-"`
	Name     string `json:"name"`
	Email    string `json:"email,omitempty"`
	Org      string `json:"organisation,omitempty"`
	// OrgID is the directory organisation the attendee acts for (the
	// meeting suggestions rank it); "" for a guest.
	OrgID   string            `json:"-"`
	Status  string            `json:"status"`
	Answers map[string]string `json:"answers,omitempty"`
	// Sessions are the chosen sessions with their own state (confirmed or
	// waiting).
	Sessions []SessionChoice `json:"sessions,omitempty"`
	// ShareEmail and ShareOrg are what the attendee agreed to show on the
	// attendee list, the badges and to other participants.
	ShareEmail  bool       `json:"share_email"`
	ShareOrg    bool       `json:"share_organisation"`
	Offer       string     `json:"offer,omitempty"` // brokerage: what they offer
	Seek        string     `json:"seek,omitempty"`  // brokerage: what they look for
	CheckedInAt *time.Time `json:"checked_in_at,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// SessionChoice is a registration's place in one session.
type SessionChoice struct {
	SessionID string `json:"session_id"`
	Status    string `json:"status"`
}

// Brokerage holds an event's 1:1 meeting settings. Days and breaks are
// local dates and clock times in the venue's zone.
type Brokerage struct {
	Days        []MeetingDay `json:"days"`
	SlotMinutes int          `json:"slot_minutes"`
	Breaks      []Break      `json:"breaks,omitempty"`
	Tables      int          `json:"tables"`
	Cap         int          `json:"cap"` // most meetings per person, 0 = no cap
}

// MeetingDay is one day of meetings: "2026-06-01", from "09:00" to "12:30".
type MeetingDay struct {
	Date  string `json:"date"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// Break is a pause in the meeting days, as clock times on every day.
type Break struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// Slot is one meeting slot (UTC).
type Slot struct {
	Day        int
	Start, End time.Time
}

// Meeting is a 1:1 meeting request between two registrations.
type Meeting struct {
	ID          string     `json:"id"`
	EventID     string     `json:"event_id"`
	FromID      string     `json:"from"`
	ToID        string     `json:"to"`
	FromName    string     `json:"from_name"`
	ToName      string     `json:"to_name"`
	Status      string     `json:"status"`
	Message     string     `json:"message,omitempty"`
	Slot        int        `json:"slot"`  // -1: not scheduled
	Table       int        `json:"table"` // 1-based on pages; -1: none
	StartsAt    *time.Time `json:"starts_at,omitempty"`
	EndsAt      *time.Time `json:"ends_at,omitempty"`
	Announced   bool       `json:"announced"`
	OutcomeFrom string     `json:"outcome_from,omitempty"`
	OutcomeTo   string     `json:"outcome_to,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Unavailable is a time an attendee cannot meet.
type Unavailable struct {
	RegistrationID string    `json:"registration_id"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
}

// Filter selects events for a list.
type Filter struct {
	From, To time.Time // events overlapping [From, To); zero: no bound
	Kind     string
	Cluster  string
	Limit    int
}
