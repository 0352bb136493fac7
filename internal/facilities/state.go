package facilities

import (
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/validate"
)

// Actions on a booking after its request.
const (
	ActionApprove  = "approve"
	ActionDecline  = "decline"
	ActionConfirm  = "confirm"
	ActionCancel   = "cancel"
	ActionComplete = "complete"
)

// Actions lists them.
var Actions = []string{ActionApprove, ActionDecline, ActionConfirm, ActionCancel, ActionComplete}

// from lists the states each action may start from: the state machine.
var from = map[string][]string{
	ActionApprove:  {StatusRequested},
	ActionDecline:  {StatusRequested, StatusWaitlisted},
	ActionConfirm:  {StatusApproved},
	ActionCancel:   {StatusRequested, StatusWaitlisted, StatusApproved, StatusConfirmed},
	ActionComplete: {StatusConfirmed},
}

// to is the state each action leads to.
var to = map[string]string{
	ActionApprove:  StatusApproved,
	ActionDecline:  StatusDeclined,
	ActionConfirm:  StatusConfirmed,
	ActionCancel:   StatusCancelled,
	ActionComplete: StatusCompleted,
}

// Allowed reports whether action may be taken on a booking in status.
func Allowed(action, status string) bool { return slices.Contains(from[action], status) }

// DecideRequest decides a new request b against snapshot s: it must fit
// the rules; when its slot is held by another booking it waits on the
// waiting list if the requester agreed (waitlist), and is refused
// otherwise; on a resource with automatic approval it is approved and
// confirmed at once, else it waits for the approvers.
func DecideRequest(b Booking, s Snapshot, waitlist bool) ([]Step, error) {
	if !s.Resource.Active {
		return nil, validate.Errors{{Field: "resource_id", Code: BookingInactive}}
	}
	b.BlockedUntil = b.EndsAt.Add(time.Duration(s.Resource.BufferMinutes) * time.Minute)
	if err := CheckRules(b, s); err != nil {
		return nil, err
	}
	b.Status = StatusRequested
	steps := []Step{{b, "request"}}
	switch {
	case conflicts(b, s.Nearby):
		if !waitlist {
			return nil, errTaken()
		}
		steps[0].Booking.Status = StatusWaitlisted
		steps[0].Action = "waitlist"
	case s.Resource.Approval == ApprovalAuto:
		b.Status = StatusApproved
		steps = append(steps, Step{b, ActionApprove})
		b.Status = StatusConfirmed
		steps = append(steps, Step{b, ActionConfirm})
	}
	return steps, nil
}

// DecideAction decides action on booking b (taken by userID) against
// snapshot s. Approving checks the slot again and moves the overlapping
// requests to the waiting list; cancelling a booking that held its slot
// promotes the waiting bookings that now fit, oldest first.
func DecideAction(action string, b Booking, s Snapshot, userID, reason string) ([]Step, error) {
	if !Allowed(action, b.Status) {
		return nil, errTransition()
	}
	reason = strings.TrimSpace(reason)
	var errs validate.Errors
	errs.Text("reason", reason, action == ActionDecline, 1000)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	was := b.Status
	b.Status = to[action]
	b.UpdatedAt = s.Now
	switch action {
	case ActionApprove:
		if !b.StartsAt.After(s.Now) {
			return nil, validate.Errors{{Field: "starts_at", Code: BookingInPast}}
		}
		if conflicts(b, s.Nearby) {
			return nil, errTaken()
		}
		b.DecidedBy = userID
	case ActionDecline:
		b.Reason, b.DecidedBy = reason, userID
	case ActionCancel:
		if !b.EndsAt.After(s.Now) {
			return nil, validate.Errors{{Field: "ends_at", Code: BookingInPast}}
		}
		b.Reason = reason
	case ActionComplete:
		if b.EndsAt.After(s.Now) {
			return nil, errTransition()
		}
	}
	steps := []Step{{b, action}}
	switch {
	case action == ActionApprove:
		for _, o := range s.Nearby {
			if o.Status == StatusRequested && o.ID != b.ID && o.StartsAt.Before(b.BlockedUntil) && b.StartsAt.Before(o.BlockedUntil) {
				o.Status, o.UpdatedAt = StatusWaitlisted, s.Now
				steps = append(steps, Step{o, "waitlist"})
			}
		}
	case action == ActionCancel && Holds(was):
		steps = append(steps, promote(b, s)...)
	}
	return steps, nil
}

// promote moves waiting bookings that fit once freed is gone: to
// approved on a resource with automatic approval (the requester then
// confirms), to requested otherwise.
func promote(freed Booking, s Snapshot) []Step {
	holding := []Booking{}
	var waiting []Booking
	for _, o := range s.Nearby {
		switch {
		case o.ID == freed.ID:
		case Holds(o.Status):
			holding = append(holding, o)
		case o.Status == StatusWaitlisted && o.StartsAt.After(s.Now) && o.StartsAt.Before(freed.BlockedUntil) && freed.StartsAt.Before(o.BlockedUntil):
			waiting = append(waiting, o)
		}
	}
	slices.SortFunc(waiting, func(a, b Booking) int { return a.CreatedAt.Compare(b.CreatedAt) })
	var steps []Step
	for _, o := range waiting {
		if conflicts(o, holding) {
			continue
		}
		o.UpdatedAt = s.Now
		if s.Resource.Approval == ApprovalAuto {
			o.Status = StatusApproved
			holding = append(holding, o)
		} else {
			o.Status = StatusRequested
		}
		steps = append(steps, Step{o, "promote"})
	}
	return steps
}
