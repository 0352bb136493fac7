package facilities

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
)

// The permission decisions of facilities and bookings. Each use case of
// the Service takes the viewer from its context (access.ViewerFrom) and
// asks one of these; docs/access.md states the same rules in words.

// system is ctx with the application's own scope, for lookups a rule
// needs whatever the viewer may see (an owner's clusters).
func system(ctx context.Context) context.Context { return access.WithScope(ctx, access.System) }

// forbidden is the error of a viewer who may see a record but not do
// this to it.
func forbidden(what string) error { return fmt.Errorf("%s: %w", what, store.ErrForbidden) }

// recordOf is the policy's view of a record owned by organisation o.
func recordOf(o directory.Organisation, visibility, tlp string) access.Record {
	r := access.Record{OwnerOrg: o.ID, Visibility: visibility, TLP: tlp}
	for _, m := range o.Memberships {
		r.OwnerClusters = append(r.OwnerClusters, m.ClusterID)
	}
	return r
}

// policy is the booking rules' view of facility f.
func (s *Service) policy(ctx context.Context, f directory.Facility) (access.Facility, error) {
	o, err := s.dir.GetOrganisation(system(ctx), f.OrganisationID)
	if err != nil {
		return access.Facility{}, err
	}
	return access.Facility{Record: recordOf(o, f.Visibility, f.TLP), ID: f.ID, ClusterID: f.ClusterID}, nil
}

// mayChange checks the right to change facility f, its resources,
// blackouts and approvers: the right to change the owner's records.
func (s *Service) mayChange(ctx context.Context, f directory.Facility) error {
	pf, err := s.policy(ctx, f)
	if err != nil {
		return err
	}
	if !access.CanEditOrganisationRecord(access.ViewerFrom(ctx), pf.Record) {
		return forbidden(fmt.Sprintf("change facility %q", f.Slug))
	}
	return nil
}

// MayChange reports whether the viewer may change facility f (for pages
// that offer the forms).
func (s *Service) MayChange(ctx context.Context, f directory.Facility) bool {
	return s.mayChange(ctx, f) == nil
}

// MayApprove reports whether the viewer decides on f's bookings.
func (s *Service) MayApprove(ctx context.Context, f directory.Facility) (bool, error) {
	return s.decides(ctx, f, access.ViewerFrom(ctx))
}

// decides reports whether v decides on f's bookings.
func (s *Service) decides(ctx context.Context, f directory.Facility, v access.Viewer) (bool, error) {
	if v.Anonymous() {
		return false, nil
	}
	pf, err := s.policy(ctx, f)
	if err != nil {
		return false, err
	}
	named, err := s.store.IsNamedApprover(ctx, f.ID, v.UserID)
	if err != nil {
		return false, err
	}
	return access.CanApproveBookings(v, pf, named), nil
}

func party(b Booking) access.BookingParty {
	return access.BookingParty{RequesterID: b.RequesterID, OrganisationID: b.OrganisationID}
}

// MayAct reports whether v may take action on booking b (approver: v
// decides on the facility's bookings). It does not look at the state.
func MayAct(v access.Viewer, action string, b Booking, approver bool) bool {
	ok := false
	switch action {
	case ActionApprove, ActionDecline, ActionComplete:
		ok = approver
	case ActionConfirm:
		ok = access.CanConfirmOrCancel(v, party(b))
	case ActionCancel:
		ok = approver || access.CanConfirmOrCancel(v, party(b))
	}
	return ok && v.WriteAllowed
}

// BookingView is a booking the viewer may see, with its facility, whether
// the viewer decides on it, and the actions the viewer may take now.
type BookingView struct {
	Booking  Booking
	Facility directory.Facility
	Approver bool
	Actions  []string
}

// Booking returns booking id if the viewer may see it: its requester, the
// booking organisation's administrators, the facility's approvers.
// Everyone else gets store.ErrNotFound, as for a booking that does not
// exist.
func (s *Service) Booking(ctx context.Context, id string) (BookingView, error) {
	v := access.ViewerFrom(ctx)
	notFound := fmt.Errorf("booking %q: %w", id, store.ErrNotFound)
	ctx = s.stay(ctx)
	if v.Anonymous() {
		return BookingView{}, notFound
	}
	b, err := s.store.GetBooking(ctx, id)
	if err != nil {
		return BookingView{}, err
	}
	f, err := s.dir.GetFacility(ctx, b.FacilityID)
	if err != nil {
		return BookingView{}, err
	}
	// Seeing follows the role, not the token's scope: a read-only token
	// of an approver reads what the approver reads, and decides nothing.
	reader := v
	reader.WriteAllowed = true
	sees, err := s.decides(ctx, f, reader)
	if err != nil {
		return BookingView{}, err
	}
	if !access.CanSeeBooking(v, party(b), sees) {
		return BookingView{}, notFound
	}
	approver := sees && v.WriteAllowed
	bv := BookingView{Booking: b, Facility: f, Approver: approver}
	for _, a := range Actions {
		if Allowed(a, b.Status) && MayAct(v, a, b, approver) {
			bv.Actions = append(bv.Actions, a)
		}
	}
	return bv, nil
}
