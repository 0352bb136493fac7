package validate

// Message keys of the events, registration and brokerage rules.
const (
	SessionOutsideEvent = "error.event.session_outside"
	CapacityBelow       = "error.event.capacity_below_confirmed"
	EventFull           = "error.event.full"
	SessionFull         = "error.event.session_full"
	AlreadyRegistered   = "error.event.already_registered"
	MeetingSelf         = "error.meeting.self"
	MeetingNotAttending = "error.meeting.not_attending"
	MeetingTooMany      = "error.meeting.too_many"
	MeetingDuplicate    = "error.meeting.duplicate"
	MeetingTransition   = "error.meeting.transition"
	NotRegistered       = "error.event.not_registered"
	NoBrokerage         = "error.event.no_brokerage"
	UnknownSession      = "error.event.unknown_session"
	RegistrationStep    = "error.event.registration_step"
)

func init() {
	for k, v := range map[string]string{
		SessionOutsideEvent: "must lie within the event ({start} – {end})",
		CapacityBelow:       "is below the {confirmed} places already confirmed",
		EventFull:           "is full and has no waiting list",
		SessionFull:         "is full and the event has no waiting list",
		AlreadyRegistered:   "already holds your registration for this event",
		MeetingSelf:         "is yourself: a meeting needs someone else",
		MeetingNotAttending: "does not attend this event",
		MeetingTooMany:      "already has {count} accepted meetings, as many as the event has places for ({max})",
		MeetingDuplicate:    "already has an open meeting request with you",
		MeetingTransition:   "does not allow this step",
		NotRegistered:       "is not a confirmed attendee of this event",
		NoBrokerage:         "has no 1:1 meetings",
		UnknownSession:      "is not a session of this event",
		RegistrationStep:    "does not allow this step for the registration",
	} {
		english[k] = v
	}
}
