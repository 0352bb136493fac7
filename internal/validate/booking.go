package validate

// Message keys of the facilities and bookings rules. They live in their
// own file so that the capability's wording stays together.
const (
	InvalidTimeZone     = "error.invalid_time_zone"
	InvalidTime         = "error.invalid_time"
	NonexistentTime     = "error.time.nonexistent"
	AmbiguousTime       = "error.time.ambiguous"
	InvalidDuration     = "error.invalid_duration"
	NotAfterStart       = "error.booking.not_after_start"
	BookingInPast       = "error.booking.in_past"
	BookingLeadTime     = "error.booking.lead_time"
	BookingTooShort     = "error.booking.too_short"
	BookingTooLong      = "error.booking.too_long"
	BookingClosed       = "error.booking.closed"
	BookingBlackout     = "error.booking.blackout"
	BookingQuota        = "error.booking.quota"
	BookingTaken        = "error.booking.taken"
	BookingInactive     = "error.booking.inactive"
	BookingTransition   = "error.booking.transition"
	BookingOrganisation = "error.booking.organisation"
	NotAnApprover       = "error.booking.not_approver"
)

func init() {
	for k, v := range map[string]string{
		InvalidTimeZone:     "is not a known IANA time zone (such as Europe/Amsterdam)",
		InvalidTime:         "must be a date and time as YYYY-MM-DDTHH:MM (local time) or RFC 3339 with an offset",
		NonexistentTime:     "does not exist in {zone}: the clocks skip it when daylight saving time begins",
		AmbiguousTime:       "happens twice in {zone} when daylight saving time ends; give it with its UTC offset",
		InvalidDuration:     "must be a length such as 90m, 4h or 2d",
		NotAfterStart:       "must be after the start",
		BookingInPast:       "is in the past",
		BookingLeadTime:     "is less than {minutes} minutes from now; the resource must be booked that far ahead",
		BookingTooShort:     "makes the booking {length} minutes long; the minimum is {min} minutes",
		BookingTooLong:      "makes the booking {length} minutes long in real elapsed time; the maximum is {max} minutes",
		BookingClosed:       "is outside the opening hours of the resource",
		BookingBlackout:     "falls in a period when the resource is closed ({kind}: {reason})",
		BookingQuota:        "would take your organisation over its quota of {limit} {unit} per {period} for this resource",
		BookingTaken:        "overlaps a booking that holds this resource",
		BookingInactive:     "is not open for bookings",
		BookingTransition:   "does not allow this step",
		BookingOrganisation: "must be an organisation you belong to or may act for",
		NotAnApprover:       "must each be an account in the owning organisation or in an organisation of the facility's cluster",
	} {
		english[k] = v
	}
}
