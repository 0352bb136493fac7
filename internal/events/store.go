package events

import (
	"context"
	"time"
)

// Places is what a registration write sees inside its transaction, with
// the event locked: the event as stored, its sessions, and the viewer's
// live registration if any.
type Places struct {
	Event     Event
	Sessions  []Session // with Confirmed filled in
	Existing  *Registration
	Confirmed int // confirmed registrations of the event
}

// Store is what the events service needs from an engine. Reads take the
// viewer's access.Scope from the context; writes run in one transaction
// each, and the functions passed in decide inside it, with the event's row
// locked, so that no event or session ever goes over capacity.
type Store interface {
	CreateEvent(ctx context.Context, e *Event) error
	// UpdateEvent stores e if its version is still expect (0: no check);
	// check runs inside the transaction with the number of confirmed
	// registrations. Raising the capacity promotes from the waiting list:
	// the promoted registrations are returned.
	UpdateEvent(ctx context.Context, e *Event, expect int, check func(confirmed int) error) ([]Registration, error)
	GetEvent(ctx context.Context, idOrSlug string) (Event, error)
	ListEvents(ctx context.Context, f Filter) ([]Event, error)

	CreateEventSession(ctx context.Context, s *Session) error
	// CreateEventSessions adds several sessions in one transaction.
	CreateEventSessions(ctx context.Context, ss []*Session) error
	UpdateEventSession(ctx context.Context, s *Session, expect int, check func(confirmed int) error) error
	ListEventSessions(ctx context.Context, eventID string) ([]Session, error)

	// Register decides with decide (which sets r's and its sessions'
	// statuses or refuses) and stores r, all in one transaction.
	Register(ctx context.Context, r *Registration, decide func(Places, *Registration) error) error
	GetRegistration(ctx context.Context, id string) (Registration, error)
	// LiveRegistration returns userID's registration for the event that
	// is not cancelled or declined.
	LiveRegistration(ctx context.Context, eventID, userID string) (Registration, error)
	ListRegistrations(ctx context.Context, eventID string) ([]Registration, error)
	ListUserRegistrations(ctx context.Context, userID string) ([]Registration, error)
	// SetRegistrationStatus moves a registration to status (cancel,
	// approve, decline) after step allows it; freed places go to the
	// waiting list in order. It returns the registration as stored and
	// the registrations promoted.
	SetRegistrationStatus(ctx context.Context, id string, expect int, step func(Places, *Registration) (string, error)) (Registration, []Registration, error)
	CheckIn(ctx context.Context, id string, at time.Time) (Registration, error)
	// SetFeedToken sets (or replaces) userID's agenda feed token hash;
	// FeedUser finds the user of a token hash.
	SetFeedToken(ctx context.Context, userID, tokenHash string) error
	FeedUser(ctx context.Context, tokenHash string) (string, error)

	// CreateMeeting stores m after check has seen the accepted meetings of
	// both sides (inside the transaction).
	CreateMeeting(ctx context.Context, m *Meeting, check func(accepted map[string]int, open bool) error) error
	GetMeeting(ctx context.Context, id string) (Meeting, error)
	// SetMeetingStatus moves a meeting to status after check has seen the
	// accepted meetings of both sides.
	SetMeetingStatus(ctx context.Context, id string, expect int, status string, check func(Meeting, map[string]int) error) (Meeting, error)
	SetOutcome(ctx context.Context, id, side, outcome string) (Meeting, error)
	ListMeetings(ctx context.Context, eventID string) ([]Meeting, error)
	// SavePlan writes the slots and tables of the event's accepted
	// meetings and marks them announced.
	SavePlan(ctx context.Context, eventID string, placed []Meeting) error
	SetUnavailable(ctx context.Context, registrationID string, times []Unavailable) error
	// ClaimEventReminders marks the event's confirmed registrations not
	// reminded yet as reminded at at and returns them; of concurrent
	// callers (several nodes) each registration goes to one only.
	ClaimEventReminders(ctx context.Context, eventID string, at time.Time) ([]Registration, error)
	ListUnavailable(ctx context.Context, eventID string) ([]Unavailable, error)
}
