// Package facilities holds what makes the alliance's shared testing and
// training facilities bookable: the resources inside a facility, their
// availability rules (opening hours, blackouts, booking lengths, lead and
// buffer times, quotas), the booking state machine, the search for free
// slots across facilities, and usage statistics. The catalogue record of a
// facility itself is directory.Facility. Like the directory, the package
// defines its types, its rules and the Store it needs, and does no I/O of
// its own beyond the interfaces it is given (store, mail).
package facilities

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
)

// Resource kinds: what inside a facility is booked.
var ResourceKinds = []string{"range", "room", "ground", "instrument", "lab", "network", "other"}

// Approval modes of a resource.
const (
	ApprovalAuto      = "auto"      // a request that fits the rules is approved at once
	ApprovalApprovers = "approvers" // the facility's approvers decide
)

// Approvals lists the approval modes.
var Approvals = []string{ApprovalAuto, ApprovalApprovers}

// Resource is something bookable inside a facility (a range, a room, an
// instrument) with the rules a booking of it must satisfy. Lengths and
// times are whole minutes.
type Resource struct {
	ID            string    `json:"id"`
	FacilityID    string    `json:"facility_id"`
	Slug          string    `json:"slug"`
	Name          string    `json:"name"`
	Kind          string    `json:"kind"`
	Description   string    `json:"description,omitempty"`
	Capacity      int       `json:"capacity,omitempty"`
	Approval      string    `json:"approval"`
	MinMinutes    int       `json:"min_minutes"`
	MaxMinutes    int       `json:"max_minutes"`
	LeadMinutes   int       `json:"lead_minutes"`
	BufferMinutes int       `json:"buffer_minutes"`
	OpeningHours  []Opening `json:"opening_hours"`
	Quotas        []Quota   `json:"quotas"`
	Active        bool      `json:"active"`
	Version       int       `json:"version"`
	CreatedAt     time.Time `json:"created_at"`
	UpdatedAt     time.Time `json:"updated_at"`
}

// Opening is one weekly opening interval in the facility's local time
// (schedule's).
type Opening = schedule.Opening

// Quota periods and units.
const (
	PeriodWeek   = schedule.Week
	PeriodMonth  = schedule.Month
	UnitHours    = "hours"
	UnitBookings = "bookings"
)

// Quota limits how much one organisation other than the owner may book of
// a resource per calendar week (Monday to Sunday) or month in the
// facility's time zone.
type Quota struct {
	Period string `json:"period"`
	Unit   string `json:"unit"`
	Limit  int    `json:"limit"`
}

// Blackout kinds.
var BlackoutKinds = []string{"blackout", "maintenance"}

// Blackout is a period in which a resource (or, without ResourceID, every
// resource of the facility) cannot be booked.
type Blackout struct {
	ID         string    `json:"id"`
	FacilityID string    `json:"facility_id"`
	ResourceID string    `json:"resource_id,omitempty"`
	Kind       string    `json:"kind"`
	StartsAt   time.Time `json:"starts_at"`
	EndsAt     time.Time `json:"ends_at"`
	Reason     string    `json:"reason,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Booking states. A request is approved automatically or by an approver,
// or declined with a reason; an approved booking is confirmed by its
// requester, then cancelled or completed. A request that does not fit
// because the slot is taken may wait on the waiting list.
const (
	StatusRequested  = "requested"
	StatusWaitlisted = "waitlisted"
	StatusApproved   = "approved"
	StatusConfirmed  = "confirmed"
	StatusDeclined   = "declined"
	StatusCancelled  = "cancelled"
	StatusCompleted  = "completed"
)

// Statuses lists the booking states.
var Statuses = []string{StatusRequested, StatusWaitlisted, StatusApproved, StatusConfirmed, StatusDeclined, StatusCancelled, StatusCompleted}

// Holds reports whether a booking in status s occupies its slot: approved
// and confirmed bookings do, and the database refuses two of them that
// overlap on one resource.
func Holds(s string) bool { return s == StatusApproved || s == StatusConfirmed }

// Booking is a request for a resource from StartsAt to EndsAt (exclusive),
// kept in UTC together with the time zone it was asked in.
type Booking struct {
	ID               string    `json:"id"`
	ResourceID       string    `json:"resource_id"`
	ResourceName     string    `json:"resource_name,omitempty"`
	FacilityID       string    `json:"facility_id"`
	FacilityName     string    `json:"facility_name,omitempty"`
	FacilitySlug     string    `json:"facility_slug,omitempty"`
	OrganisationID   string    `json:"organisation_id"`
	OrganisationName string    `json:"organisation_name,omitempty"`
	ClusterID        string    `json:"cluster_id,omitempty"` // the booking organisation's cluster, for usage
	RequesterID      string    `json:"requester_id"`
	Status           string    `json:"status"`
	StartsAt         time.Time `json:"starts_at"`
	EndsAt           time.Time `json:"ends_at"`
	// BlockedUntil is EndsAt plus the resource's buffer time: the slot a
	// holding booking keeps from others.
	BlockedUntil time.Time `json:"blocked_until"`
	TimeZone     string    `json:"time_zone"`
	Purpose      string    `json:"purpose,omitempty"`
	Participants int       `json:"participants,omitempty"`
	Reason       string    `json:"reason,omitempty"` // why it was declined or cancelled
	DecidedBy    string    `json:"decided_by,omitempty"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Minutes is the booking's length in real elapsed time.
func (b Booking) Minutes() int { return int(b.EndsAt.Sub(b.StartsAt) / time.Minute) }

// Step is one change of a booking's state, as the store writes and audits
// it: Action is request, approve, decline, confirm, cancel, complete,
// waitlist or promote.
type Step struct {
	Booking Booking
	Action  string
}

// Snapshot is what the rules need to know about a resource at one moment,
// read inside the transaction that will write the outcome, so that the
// check and the write cannot be separated by another booking.
type Snapshot struct {
	Now      time.Time
	Facility directory.Facility
	Resource Resource
	// Blackouts overlapping the window around the booking.
	Blackouts []Blackout
	// Nearby are the other live bookings (requested, waitlisted, approved,
	// confirmed) of the resource overlapping the window.
	Nearby []Booking
	// OrgBookings are the booking organisation's bookings of the resource
	// that count towards its quotas (requested, approved, confirmed,
	// completed) starting within the quota window.
	OrgBookings []Booking
}

// Window is the span of time a snapshot must cover for a booking from
// start to end on r: the booking widened by the buffer on both sides.
func Window(r Resource, start, end time.Time) (time.Time, time.Time) {
	buf := time.Duration(r.BufferMinutes) * time.Minute
	return start.Add(-buf), end.Add(buf)
}

// Filter narrows a list of bookings.
type Filter struct {
	FacilityID  string
	ResourceID  string
	RequesterID string
	// FacilityIDs narrows to the bookings of these facilities (an empty,
	// non-nil list matches nothing).
	FacilityIDs []string
	// Organisation lists the bookings of one booking organisation.
	Organisation string
	Status       string
	From, To     time.Time // bookings overlapping [From, To) when set
	Limit        int
}

// Approver is a person named to decide on a facility's bookings.
type Approver struct {
	UserID         string `json:"user_id"`
	Email          string `json:"email"`
	Name           string `json:"name,omitempty"`
	OrganisationID string `json:"organisation_id,omitempty"`
}

// CalendarToken is a secret address for an iCalendar feed: of a facility,
// of a resource, or of the user's own bookings. Only its hash is stored.
type CalendarToken struct {
	ID        string     `json:"id"`
	UserID    string     `json:"user_id"`
	Kind      string     `json:"kind"` // facility, resource or user
	TargetID  string     `json:"target_id,omitempty"`
	Name      string     `json:"name"`
	Hash      string     `json:"-"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Calendar feed kinds.
var CalendarKinds = []string{"facility", "resource", "user"}

// Store is what bookings need from a storage engine. Reads apply the
// access scope in the context to the facility, like the directory does.
type Store interface {
	ListResources(ctx context.Context, facilityID string) ([]Resource, error)
	GetResource(ctx context.Context, id string) (Resource, error)
	CreateResource(ctx context.Context, r *Resource) error
	UpdateResource(ctx context.Context, r *Resource) error
	// DeleteResource removes a resource that has no bookings (a
	// store.ConflictError on "id" with validate.InUse otherwise).
	DeleteResource(ctx context.Context, id string) error

	ListBlackouts(ctx context.Context, facilityID string, from, to time.Time) ([]Blackout, error)
	GetBlackout(ctx context.Context, id string) (Blackout, error)
	CreateBlackout(ctx context.Context, b *Blackout) error
	DeleteBlackout(ctx context.Context, id string) error

	ListApprovers(ctx context.Context, facilityID string) ([]Approver, error)
	SetApprovers(ctx context.Context, facilityID string, userIDs []string) error

	// CreateBooking runs decide on a snapshot of b's resource taken inside
	// a write transaction that holds the resource, and writes the steps it
	// returns (the first being b's own request), each audited.
	// It sets b's id and times before calling decide.
	CreateBooking(ctx context.Context, b *Booking, decide func(Booking, Snapshot) ([]Step, error)) ([]Step, error)
	// ChangeBooking does the same for an existing booking.
	ChangeBooking(ctx context.Context, id string, decide func(Booking, Snapshot) ([]Step, error)) ([]Step, error)
	GetBooking(ctx context.Context, id string) (Booking, error)
	ListBookings(ctx context.Context, f Filter) ([]Booking, error)
	// ApprovableFacilities lists the facilities whose bookings the viewer
	// may decide on (see access.CanApproveBookings).
	ApprovableFacilities(ctx context.Context, v access.Viewer) ([]string, error)
	// IsNamedApprover reports whether the user is a named approver of the
	// facility.
	IsNamedApprover(ctx context.Context, facilityID, userID string) (bool, error)

	CreateCalendarToken(ctx context.Context, t *CalendarToken) error
	CalendarTokenByHash(ctx context.Context, hash string) (CalendarToken, error)
	ListCalendarTokens(ctx context.Context, userID string) ([]CalendarToken, error)
	RevokeCalendarToken(ctx context.Context, userID, id string, at time.Time) error

	// Audit records an export (usage downloads).
	Audit(ctx context.Context, action, entity, entityID, detail string) error
}

// Local is the booking's span in the zone it was asked in, for display:
// "2026-05-12 09:00 – 2026-05-12 11:00".
func (b Booking) Local() string {
	loc := schedule.LocationOrUTC(b.TimeZone)
	return schedule.FormatLocal(b.StartsAt, loc) + " – " + schedule.FormatLocal(b.EndsAt, loc)
}
