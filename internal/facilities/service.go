package facilities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Users is what bookings need to know about accounts: who requested, who
// approves, where to write to.
type Users interface {
	GetUser(ctx context.Context, id string) (accounts.User, error)
	GetUserByEmail(ctx context.Context, email string) (accounts.User, error)
	// ApproverEmails returns the addresses of everyone who decides on the
	// facility's bookings: its named approvers, the administrators of the
	// owning organisation and the managers of the facility's cluster.
	ApproverEmails(ctx context.Context, facilityID string) ([]string, error)
}

// Config holds the service's settings; its Text renders the
// e-mails' message keys (mail.booking.*).
type Config = mail.NoticeConfig

// Service applies the booking rules around a Store and sends the
// notices.
type Service struct {
	store Store
	dir   directory.Store
	users Users
	mail  mail.Sender
	cfg   Config
	stays Stays // may be nil: no exchange grants (stays.go)
}

// NewService returns a Service.
func NewService(s Store, dir directory.Store, users Users, m mail.Sender, cfg Config) *Service {
	cfg = cfg.WithDefaults()
	return &Service{store: s, dir: dir, users: users, mail: m, cfg: cfg}
}

// Store returns the underlying store for reads.
func (s *Service) Store() Store { return s.store }

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.cfg.Now() }

// Resources lists the resources of a facility the viewer may see.
func (s *Service) Resources(ctx context.Context, facilityKey string) (directory.Facility, []Resource, error) {
	ctx = s.stay(ctx)
	f, err := s.dir.GetFacility(ctx, facilityKey)
	if err != nil {
		return f, nil, err
	}
	rs, err := s.store.ListResources(ctx, f.ID)
	return f, rs, err
}

// Resource returns a resource of a facility the viewer may see.
func (s *Service) Resource(ctx context.Context, id string) (Resource, error) {
	ctx = s.stay(ctx)
	return s.store.GetResource(ctx, id)
}

// CreateResource adds resource r to facility facilityKey, for those who
// may change the facility.
func (s *Service) CreateResource(ctx context.Context, facilityKey string, r *Resource) error {
	f, err := s.dir.GetFacility(ctx, facilityKey)
	if err != nil {
		return err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return err
	}
	r.FacilityID = f.ID
	if err := ValidateResource(r); err != nil {
		return err
	}
	return s.store.CreateResource(ctx, r)
}

// UpdateResource replaces resource r.ID, for those who may change its
// facility. r.Version is the version the caller read (0: no check); a
// different current version is store.ErrStale. r is then the stored
// resource.
func (s *Service) UpdateResource(ctx context.Context, r *Resource) error {
	cur, err := s.store.GetResource(ctx, r.ID)
	if err != nil {
		return err
	}
	f, err := s.dir.GetFacility(ctx, cur.FacilityID)
	if err != nil {
		return err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return err
	}
	r.FacilityID = cur.FacilityID
	if err := ValidateResource(r); err != nil {
		return err
	}
	if err := s.store.UpdateResource(ctx, r); err != nil {
		return err
	}
	updated, err := s.store.GetResource(ctx, r.ID)
	if err == nil {
		*r = updated
	}
	return err
}

// DeleteResource removes a resource that was never booked, for those who
// may change its facility; a booked one is a conflict (deactivate it).
func (s *Service) DeleteResource(ctx context.Context, id string) error {
	cur, err := s.store.GetResource(ctx, id)
	if err != nil {
		return err
	}
	f, err := s.dir.GetFacility(ctx, cur.FacilityID)
	if err != nil {
		return err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return err
	}
	return s.store.DeleteResource(ctx, cur.ID)
}

// BlackoutInput is a blackout as given: local times in the facility's zone
// (or RFC 3339).
type BlackoutInput struct {
	Resource string `json:"resource_id"`
	Kind     string `json:"kind"`
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
	Reason   string `json:"reason"`
}

// CreateBlackout closes facility facilityKey (or one of its resources)
// for a period, for those who may change the facility.
func (s *Service) CreateBlackout(ctx context.Context, facilityKey string, in BlackoutInput) (Blackout, error) {
	f, err := s.dir.GetFacility(ctx, facilityKey)
	if err != nil {
		return Blackout{}, err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return Blackout{}, err
	}
	var errs validate.Errors
	b := Blackout{FacilityID: f.ID, Kind: in.Kind, Reason: in.Reason}
	loc, err := schedule.Location(f.TimeZone)
	if err != nil {
		return b, err
	}
	b.StartsAt = schedule.ParseField(&errs, "starts_at", in.StartsAt, loc)
	b.EndsAt = schedule.ParseField(&errs, "ends_at", in.EndsAt, loc)
	if in.Resource != "" {
		r, err := s.store.GetResource(ctx, in.Resource)
		if errors.Is(err, store.ErrNotFound) || (err == nil && r.FacilityID != f.ID) {
			errs.Add("resource_id", validate.NotFound)
		} else if err != nil {
			return b, err
		} else {
			b.ResourceID = r.ID
		}
	}
	if len(errs) > 0 {
		return b, errs
	}
	if err := ValidateBlackout(&b); err != nil {
		return b, err
	}
	return b, s.store.CreateBlackout(ctx, &b)
}

// DeleteBlackout ends a closure, for those who may change its facility.
func (s *Service) DeleteBlackout(ctx context.Context, id string) error {
	b, err := s.store.GetBlackout(ctx, id)
	if err != nil {
		return err
	}
	f, err := s.dir.GetFacility(ctx, b.FacilityID)
	if err != nil {
		return err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return err
	}
	return s.store.DeleteBlackout(ctx, b.ID)
}

// Approvers lists the named approvers of facility facilityKey: known to
// those who decide with them.
func (s *Service) Approvers(ctx context.Context, facilityKey string) ([]Approver, error) {
	f, err := s.dir.GetFacility(ctx, facilityKey)
	if err != nil {
		return nil, err
	}
	if ok, err := s.MayApprove(ctx, f); err != nil {
		return nil, err
	} else if !ok {
		return nil, forbidden(fmt.Sprintf("approvers of facility %q", f.Slug))
	}
	return s.store.ListApprovers(ctx, f.ID)
}

// SetApprovers names the accounts (by e-mail address) that decide on the
// bookings of facility facilityKey, for those who may change it, and
// returns the new list. Each must belong to the owning organisation or to
// an organisation in the facility's cluster or the owner's clusters:
// approval across organisations, within the owner's reach.
func (s *Service) SetApprovers(ctx context.Context, facilityKey string, emails []string) ([]Approver, error) {
	f, err := s.dir.GetFacility(ctx, facilityKey)
	if err != nil {
		return nil, err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return nil, err
	}
	ids, err := s.approverIDs(ctx, f, emails)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetApprovers(ctx, f.ID, ids); err != nil {
		return nil, err
	}
	return s.store.ListApprovers(ctx, f.ID)
}

// approverIDs resolves and checks the named approvers of f.
func (s *Service) approverIDs(ctx context.Context, f directory.Facility, emails []string) ([]string, error) {
	sys := system(ctx)
	owner, err := s.dir.GetOrganisation(sys, f.OrganisationID)
	if err != nil {
		return nil, err
	}
	clusters := []string{}
	if f.ClusterID != "" {
		clusters = append(clusters, f.ClusterID)
	}
	for _, m := range owner.Memberships {
		clusters = append(clusters, m.ClusterID)
	}
	var errs validate.Errors
	var ids []string
	for i, e := range emails {
		field := fmt.Sprintf("approvers[%d]", i)
		u, err := s.users.GetUserByEmail(ctx, accounts.NormalizeEmail(e))
		if errors.Is(err, store.ErrNotFound) {
			errs.Add(field, validate.NotFound)
			continue
		} else if err != nil {
			return nil, err
		}
		ok := u.OrganisationID == owner.ID
		if !ok && u.OrganisationID != "" {
			o, err := s.dir.GetOrganisation(sys, u.OrganisationID)
			if err != nil {
				return nil, err
			}
			for _, m := range o.Memberships {
				ok = ok || slices.Contains(clusters, m.ClusterID)
			}
		}
		switch {
		case !ok:
			errs.Add(field, NotAnApprover)
		case slices.Contains(ids, u.ID):
			errs.Add(field, validate.Duplicate)
		default:
			ids = append(ids, u.ID)
		}
	}
	return ids, errs.Err()
}

// RequestInput is a booking request as given. Times are local to TimeZone
// (the facility's when empty) unless they carry a UTC offset.
type RequestInput struct {
	Resource     string `json:"resource_id"`
	Organisation string `json:"organisation_id"`
	StartsAt     string `json:"starts_at"`
	EndsAt       string `json:"ends_at"`
	TimeZone     string `json:"time_zone"`
	Purpose      string `json:"purpose"`
	Participants int    `json:"participants"`
	// Waitlist asks to wait on the waiting list when the slot is taken,
	// instead of being refused.
	Waitlist bool `json:"waitlist"`
	// Weeks books the same local hours weekly for that many weeks (1 to
	// MaxWeeks; 0 is 1), all or nothing.
	Weeks int `json:"weeks"`
	// Facility, when set (the booking form of one facility), is the
	// facility (id or slug) the resource must belong to.
	Facility string `json:"-"`
}

// Parse turns the input into a booking of resource r of facility f by
// organisation org, reporting every bad field.
func (in RequestInput) Parse(f directory.Facility, r Resource) (Booking, error) {
	var errs validate.Errors
	b := Booking{ResourceID: r.ID, FacilityID: f.ID, TimeZone: strings.TrimSpace(in.TimeZone),
		Purpose: strings.TrimSpace(in.Purpose), Participants: in.Participants}
	if b.TimeZone == "" {
		b.TimeZone = f.TimeZone
	}
	errs.Text("purpose", b.Purpose, false, 2000)
	if in.Participants < 0 || in.Participants > 100000 {
		errs.Add("participants", validate.InvalidChoice, "choices", "0..100000")
	} else if r.Capacity > 0 && in.Participants > r.Capacity {
		errs.Add("participants", validate.InvalidChoice, "choices", fmt.Sprintf("0..%d (the resource's capacity)", r.Capacity))
	}
	loc, err := schedule.Location(b.TimeZone)
	if err != nil {
		errs.Add("time_zone", schedule.InvalidTimeZone)
		return b, errs
	}
	b.StartsAt = schedule.ParseField(&errs, "starts_at", in.StartsAt, loc)
	b.EndsAt = schedule.ParseField(&errs, "ends_at", in.EndsAt, loc)
	if len(errs) == 0 && !b.EndsAt.After(b.StartsAt) {
		errs.Add("ends_at", schedule.NotAfterStart)
	}
	return b, errs.Err()
}

// clusterFor picks the cluster a booking organisation's use counts for:
// the facility's own cluster when the organisation is a member of it (or
// of one of the owner's), else its first cluster.
func (s *Service) clusterFor(ctx context.Context, org directory.Organisation, f directory.Facility) string {
	if len(org.Memberships) == 0 {
		return ""
	}
	ownerClusters := []string{f.ClusterID}
	if owner, err := s.dir.GetOrganisation(access.WithScope(ctx, access.System), f.OrganisationID); err == nil {
		for _, m := range owner.Memberships {
			ownerClusters = append(ownerClusters, m.ClusterID)
		}
	}
	for _, m := range org.Memberships {
		if m.ClusterID == f.ClusterID {
			return m.ClusterID
		}
	}
	for _, m := range org.Memberships {
		if slices.Contains(ownerClusters, m.ClusterID) {
			return m.ClusterID
		}
	}
	return org.Memberships[0].ClusterID
}

// Request books a resource for an organisation on behalf of the viewer:
// a signed-in member for their own organisation (the default), or anyone
// who may change the records of the organisation named (its
// administrators, the managers of its clusters, alliance administrators,
// who need no organisation of their own). The rules are checked and the
// booking written in one transaction that holds the resource; notices go
// out after the commit.
func (s *Service) Request(ctx context.Context, in RequestInput) (Booking, error) {
	ctx = s.stay(ctx)
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return Booking{}, forbidden("book")
	}
	var errs validate.Errors
	if in.Resource == "" {
		errs.Add("resource_id", validate.Required)
	}
	if in.Organisation == "" {
		in.Organisation = v.OrganisationID
	}
	if in.Organisation == "" {
		errs.Add("organisation_id", validate.Required)
	}
	if in.Weeks < 0 || in.Weeks > MaxWeeks {
		errs.Add("weeks", SeriesWeeks, "max", MaxWeeks)
	}
	if in.Weeks > 1 && in.Waitlist {
		errs.Add("waitlist", validate.InvalidChoice, "choices", "false for a weekly series")
	}
	if len(errs) > 0 {
		return Booking{}, errs
	}
	r, err := s.store.GetResource(ctx, in.Resource)
	if errors.Is(err, store.ErrNotFound) {
		return Booking{}, validate.Errors{{Field: "resource_id", Code: validate.NotFound}}
	} else if err != nil {
		return Booking{}, err
	}
	f, err := s.dir.GetFacility(ctx, r.FacilityID)
	if err != nil {
		return Booking{}, err
	}
	if in.Facility != "" && in.Facility != f.ID && in.Facility != f.Slug {
		return Booking{}, validate.Errors{{Field: "resource_id", Code: validate.NotFound}}
	}
	org, err := s.dir.GetOrganisation(system(ctx), in.Organisation)
	if errors.Is(err, store.ErrNotFound) {
		return Booking{}, validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	} else if err != nil {
		return Booking{}, err
	}
	if !access.CanBook(v, org.ID, recordOf(org, "", "").OwnerClusters) {
		return Booking{}, validate.Errors{{Field: "organisation_id", Code: BookingOrganisation}}
	}
	requester := v.UserID
	if requester == access.SystemViewer.UserID {
		requester = "" // the application's own bookings (the demo) have no requester
	}
	return s.request(ctx, f, r, org, requester, in)
}

// request books r of f for org once the viewer's right is settled.
func (s *Service) request(ctx context.Context, f directory.Facility, r Resource, org directory.Organisation, requesterID string, in RequestInput) (Booking, error) {
	b, err := in.Parse(f, r)
	if err != nil {
		return b, err
	}
	b.OrganisationID, b.OrganisationName, b.RequesterID = org.ID, org.Name, requesterID
	b.ResourceName, b.FacilityName, b.FacilitySlug = r.Name, f.Name, f.Slug
	b.ClusterID = s.clusterFor(ctx, org, f)
	if in.Weeks > 1 {
		return s.requestSeries(ctx, f, b, in.Weeks)
	}
	now := s.cfg.Now()
	steps, err := s.store.CreateBooking(ctx, &b, func(nb Booking, snap Snapshot) ([]Step, error) {
		snap.Now = now
		return DecideRequest(nb, snap, in.Waitlist)
	})
	if err != nil {
		return b, err
	}
	if len(steps) > 0 {
		b = steps[len(steps)-1].Booking
	}
	s.notify(ctx, f, steps)
	return b, nil
}

// Act takes action (approve, decline, confirm, cancel, complete) on
// booking id as the viewer: approvers approve, decline and complete; the
// requesting side (the requester, the booking organisation's
// administrators) confirms; both may cancel. A booking the viewer may not
// see is store.ErrNotFound; one the viewer sees but may not act on is
// store.ErrForbidden. It returns the booking as stored.
func (s *Service) Act(ctx context.Context, id, action, reason string) (Booking, error) {
	if !slices.Contains(Actions, action) {
		return Booking{}, validate.Errors{{Field: "action", Code: validate.InvalidChoice, Args: map[string]any{"choices": strings.Join(Actions, ", ")}}}
	}
	bv, err := s.Booking(ctx, id)
	if err != nil {
		return Booking{}, err
	}
	v := access.ViewerFrom(ctx)
	if !MayAct(v, action, bv.Booking, bv.Approver) {
		return Booking{}, forbidden(action + " booking")
	}
	userID := v.UserID
	if userID == access.SystemViewer.UserID {
		userID = ""
	}
	now := s.cfg.Now()
	steps, err := s.store.ChangeBooking(ctx, bv.Booking.ID, func(b Booking, snap Snapshot) ([]Step, error) {
		snap.Now = now
		return DecideAction(action, b, snap, userID, reason)
	})
	if err != nil {
		return Booking{}, err
	}
	s.notify(ctx, bv.Facility, steps)
	return s.store.GetBooking(ctx, bv.Booking.ID)
}

// notify writes to the requester and the approvers about each step. A
// failed e-mail is logged, not returned: the booking is written.
func (s *Service) notify(ctx context.Context, f directory.Facility, steps []Step) {
	if len(steps) == 0 {
		return
	}
	var approvers []string
	approversLoaded := false
	for i, st := range steps {
		// An automatic approval reports once, as the confirmation.
		if st.Action == "request" && i+1 < len(steps) && steps[i+1].Booking.ID == st.Booking.ID {
			continue
		}
		if st.Action == ActionApprove && i+1 < len(steps) && steps[i+1].Action == ActionConfirm && steps[i+1].Booking.ID == st.Booking.ID {
			continue
		}
		toRequester, toApprovers := noticeAudience(st)
		if !toRequester && !toApprovers {
			continue
		}
		b := st.Booking
		key := "mail.booking." + st.Action
		if st.Action == ActionConfirm && i > 0 && steps[i-1].Booking.ID == b.ID {
			key = "mail.booking.auto_confirm"
		}
		loc := schedule.LocationOrUTC(b.TimeZone)
		args := []any{"facility", f.Name, "resource", b.ResourceName, "organisation", b.OrganisationName,
			"start", schedule.FormatLocal(b.StartsAt, loc), "end", schedule.FormatLocal(b.EndsAt, loc),
			"zone", b.TimeZone, "reason", b.Reason, "link", s.cfg.BaseURL + "/bookings/" + b.ID}
		var to []string
		if toRequester {
			if u, err := s.users.GetUser(ctx, b.RequesterID); err == nil && u.Email != "" {
				to = append(to, u.Email)
			}
		}
		if toApprovers {
			if !approversLoaded {
				approvers, _ = s.users.ApproverEmails(ctx, f.ID)
				approversLoaded = true
			}
			to = append(to, approvers...)
		}
		slices.Sort(to)
		for _, addr := range slices.Compact(to) {
			m := mail.Message{To: addr, Subject: s.cfg.Text(ctx, key+".subject", args...), Text: s.cfg.Text(ctx, key+".body", args...)}
			if err := s.mail.Send(ctx, m); err != nil {
				s.cfg.Logger.WarnContext(ctx, "booking notice not sent", "booking", b.ID, "to", addr, "err", err)
			}
		}
	}
}

// NoticeSteps are the steps that send e-mail; each has the message keys
// "mail.booking.<step>.subject" and ".body" (auto_confirm: a request that
// is confirmed at once).
var NoticeSteps = []string{"request", "waitlist", "promote", ActionApprove, ActionDecline, ActionConfirm, "auto_confirm", ActionCancel}

// noticeAudience says who hears of a step.
func noticeAudience(st Step) (requester, approvers bool) {
	switch st.Action {
	case "request":
		return true, true
	case "waitlist", "promote", ActionApprove, ActionDecline:
		return true, false
	case ActionConfirm:
		return true, true
	case ActionCancel:
		return true, true
	}
	return false, false
}
