package facilities

import "github.com/escnet/escnet/internal/validate"

// Message keys of the booking rules; the time keys they use besides are
// schedule's.
const (
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
	validate.Define(map[string]string{
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
	})
}
