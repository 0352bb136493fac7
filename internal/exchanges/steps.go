package exchanges

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Apply applies the viewer for an offer with a proposed plan: tasks,
// dates within the offer, supervisor, and the host records (facilities of
// the offer) the guest would use.
func (s *Service) Apply(ctx context.Context, offerID string, a Application) (Application, error) {
	v := s.viewer(ctx)
	o, err := s.store.GetOffer(ctx, offerID)
	if err != nil {
		return a, err
	}
	if v.Anonymous() || !v.WriteAllowed || v.OrganisationID == "" {
		return a, store.ErrForbidden
	}
	a.OfferID, a.UserID, a.GuestOrgID = o.ID, v.UserID, v.OrganisationID
	var errs validate.Errors
	errs.Text("tasks", a.Tasks, true, 5000)
	errs.Text("supervisor", a.Supervisor, true, 200)
	dates(&errs, a.StartsOn, a.EndsOn)
	if len(errs) == 0 && (a.StartsOn < o.StartsOn || a.EndsOn > o.EndsOn) {
		errs.Add("starts_on", OutsideOffer, "from", o.StartsOn, "to", o.EndsOn)
	}
	a.Records = list(a.Records)
	for i, r := range a.Records {
		if !slices.Contains(o.Facilities, r) {
			errs.Add("records["+itoa(i)+"]", NotAHostRecord)
		}
	}
	if len(errs) > 0 {
		return a, errs
	}
	guest, err := s.store.OrganisationRef(access.WithScope(ctx, access.System), v.OrganisationID)
	if err != nil {
		return a, err
	}
	a.CrossSector = CrossSector(guest.Kind, o.HostKind)
	if err := s.store.CreateApplication(ctx, &a); err != nil {
		return a, err
	}
	a.Status = a.status()
	return a, nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// party is the viewer's part in an application.
type party struct{ guest, home, host bool }

func (s *Service) load(ctx context.Context, id string) (Application, Offer, party, error) {
	v := s.viewer(ctx)
	a, err := s.store.GetApplication(ctx, id)
	if err != nil {
		return a, Offer{}, party{}, err
	}
	o, err := s.store.GetOffer(access.WithScope(ctx, access.System), a.OfferID)
	if err != nil {
		return a, o, party{}, err
	}
	// Who sees an application: the guest, both organisations' members
	// and the alliance administrator; to everyone else it does not exist.
	p, ok := partyOf(v, a, o)
	if !ok {
		return a, o, p, store.ErrNotFound
	}
	a.Status = a.status()
	return a, o, p, nil
}

// Get returns an application the viewer is party to.
func (s *Service) Get(ctx context.Context, id string) (Application, error) {
	a, _, _, err := s.load(ctx, id)
	return a, err
}

// Approve records the decision of one side ("home": the guest's own
// organisation; "host"). Someone who may not decide for that side is
// refused (403) and nothing changes.
func (s *Service) Approve(ctx context.Context, id, side string, expected int) (Application, error) {
	a, _, p, err := s.load(ctx, id)
	if err != nil {
		return a, err
	}
	var errs validate.Errors
	errs.Choice("side", side, true, "home", "host")
	if len(errs) > 0 {
		return a, errs
	}
	v := s.viewer(ctx)
	switch {
	case side == "home" && p.home:
		a.HomeApprovedBy = v.UserID
	case side == "host" && p.host:
		a.HostApprovedBy = v.UserID
	default:
		return a, &DecisionError{Side: side}
	}
	return s.save(ctx, a, expected)
}

// DecisionError refuses an approval for a side the viewer may not decide
// for: it is store.ErrForbidden (403), and names the field.
type DecisionError struct{ Side string }

func (e *DecisionError) Error() string {
	return "approve as " + e.Side + ": " + store.ErrForbidden.Error()
}

// Unwrap makes the error store.ErrForbidden.
func (e *DecisionError) Unwrap() error { return store.ErrForbidden }

// Fields names the field refused.
func (e *DecisionError) Fields() validate.Errors {
	return validate.Errors{{Field: "side", Code: NotDecider}}
}

func (s *Service) save(ctx context.Context, a Application, expected int) (Application, error) {
	if err := s.store.UpdateApplication(ctx, &a, expected); err != nil {
		return a, err
	}
	a.Status = a.status()
	return a, nil
}

// Sign signs the approved plan: the guest for themself, an administrator
// of the host for the host.
func (s *Service) Sign(ctx context.Context, id string, expected int) (Application, error) {
	a, _, p, err := s.load(ctx, id)
	if err != nil {
		return a, err
	}
	if a.status() != StatusApproved && a.status() != StatusRequested || a.HomeApprovedBy == "" || a.HostApprovedBy == "" {
		return a, validate.Errors{{Field: "status", Code: WrongStep}}
	}
	now := s.cfg.Now()
	switch {
	case p.guest:
		a.GuestSignedAt = &now
	case p.host:
		a.HostSignedAt = &now
	default:
		return a, store.ErrForbidden
	}
	return s.save(ctx, a, expected)
}

// Report writes the guest's or the host's report of a signed stay.
func (s *Service) Report(ctx context.Context, id, text string, expected int) (Application, error) {
	a, _, p, err := s.load(ctx, id)
	if err != nil {
		return a, err
	}
	if a.GuestSignedAt == nil || a.HostSignedAt == nil {
		return a, validate.Errors{{Field: "status", Code: WrongStep}}
	}
	var errs validate.Errors
	errs.Text("report", text, true, 20000)
	if len(errs) > 0 {
		return a, errs
	}
	switch {
	case p.guest:
		a.GuestReport = text
	case p.host:
		a.HostReport = text
	default:
		return a, store.ErrForbidden
	}
	return s.save(ctx, a, expected)
}

// ReportToPractice turns the reports of a finished stay into a lesson
// learned of the host, shared with its clusters (AMBER) until its
// administrators widen it; the host's administrators decide.
func (s *Service) ReportToPractice(ctx context.Context, id string) (practices.Entry, error) {
	a, o, p, err := s.load(ctx, id)
	if err != nil {
		return practices.Entry{}, err
	}
	if !p.host {
		return practices.Entry{}, store.ErrForbidden
	}
	if a.status() != StatusReported {
		return practices.Entry{}, validate.Errors{{Field: "status", Code: WrongStep}}
	}
	vis, tlp := access.Cluster, access.TLPAmber
	body := "## Guest\n\n" + a.GuestReport + "\n\n## Host\n\n" + a.HostReport + "\n\n## Plan\n\n" + a.Tasks
	e, err := s.practices.Create(ctx, practices.EntryInput{Kind: "lesson_learned", OrganisationID: o.OrganisationID, Axis: "both", Visibility: &vis, TLP: &tlp,
		Capabilities: o.Capabilities, Texts: []practices.Text{{Lang: o.Language, Original: true, Title: o.Topic, Summary: "Report of a " + strings.ReplaceAll(o.Kind, "_", " "), Body: body}}})
	if err != nil {
		return e, err
	}
	a.ReportEntryID = e.ID
	_, err = s.save(ctx, a, 0)
	return e, err
}

// MayUse reports whether the viewer, as the guest of a signed plan, may
// use host record id today: the grant named in the plan, through
// access.StayGrants, ending with the stay.
func (s *Service) MayUse(ctx context.Context, id, record string) (bool, error) {
	a, o, _, err := s.load(ctx, id)
	if err != nil {
		return false, err
	}
	stay := access.Stay{GuestUserID: a.UserID, HostOrg: o.OrganisationID, Records: a.Records, StartsOn: a.StartsOn, EndsOn: a.EndsOn,
		Signed: a.GuestSignedAt != nil && a.HostSignedAt != nil}
	return access.StayGrants(s.viewer(ctx), stay, record, s.cfg.Now().Format("2006-01-02")), nil
}

// Offers lists the offers the viewer may see.
func (s *Service) Offers(ctx context.Context) ([]Offer, error) { return s.store.ListOffers(ctx) }

// Requests lists the requests the viewer may see.
func (s *Service) Requests(ctx context.Context) ([]Request, error) { return s.store.ListRequests(ctx) }
