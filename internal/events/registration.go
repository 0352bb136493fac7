package events

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// RegisterInput is a registration form.
type RegisterInput struct {
	Answers    map[string]string `json:"answers"`
	Sessions   []string          `json:"sessions"`
	ShareEmail bool              `json:"share_email"`
	ShareOrg   bool              `json:"share_organisation"`
	Offer      string            `json:"offer"`
	Seek       string            `json:"seek"`
}

func validateAnswers(e Event, in RegisterInput) validate.Errors {
	var errs validate.Errors
	for _, q := range e.Questions {
		a := strings.TrimSpace(in.Answers[q.ID])
		f := "answers." + q.ID
		switch {
		case q.Required && a == "":
			errs.Add(f, validate.Required)
		case len(q.Choices) > 0 && a != "":
			errs.Choice(f, a, false, q.Choices...)
		default:
			errs.Text(f, a, false, 2000)
		}
	}
	for id := range in.Answers {
		if !slices.ContainsFunc(e.Questions, func(q Question) bool { return q.ID == id }) {
			errs.Add("answers."+id, validate.InvalidChoice, "choices", "the questions of the form")
		}
	}
	errs.Text("offer", in.Offer, false, 2000)
	errs.Text("seek", in.Seek, false, 2000)
	return errs
}

// Register registers the viewer for an event. The place is decided inside
// the store's transaction with the event locked: confirmed while places
// are left (or pending when the organiser approves), else on the waiting
// list when the event keeps one, else refused.
func (s *Service) Register(ctx context.Context, eventID string, in RegisterInput) (Registration, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Registration{}, err
	}
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return Registration{}, store.ErrForbidden
	}
	if errs := validateAnswers(e, in); len(errs) > 0 {
		return Registration{}, errs
	}
	r := Registration{EventID: e.ID, UserID: v.UserID, PersonID: v.PersonID, Email: v.Email, Answers: in.Answers,
		ShareEmail: in.ShareEmail, ShareOrg: in.ShareOrg, Offer: in.Offer, Seek: in.Seek}
	if u, err := s.users.GetUser(ctx, v.UserID); err == nil {
		r.Name, r.Email = u.Name, u.Email
	}
	if r.Name == "" {
		r.Name = r.Email
	}
	if v.OrganisationID != "" {
		if o, err := s.dir.GetOrganisation(access.WithScope(ctx, access.System), v.OrganisationID); err == nil {
			r.Org, r.OrgID = o.Name, o.ID
		}
	}
	for _, id := range in.Sessions {
		r.Sessions = append(r.Sessions, SessionChoice{SessionID: id})
	}
	if r.Answers == nil {
		r.Answers = map[string]string{}
	}
	if err := s.store.Register(ctx, &r, decidePlace); err != nil {
		return Registration{}, err
	}
	s.notify(ctx, e, r, "registered."+r.Status)
	return r, nil
}

// decidePlace is the capacity rule, run with the event locked.
func decidePlace(p Places, r *Registration) error {
	if p.Existing != nil {
		return &store.ConflictError{Field: "event", Code: validate.AlreadyRegistered}
	}
	e := p.Event
	full := e.Capacity > 0 && p.Confirmed >= e.Capacity
	switch {
	case e.Approval:
		r.Status = StatusPending
	case !full:
		r.Status = StatusConfirmed
	case e.Waitlist:
		r.Status = StatusWaiting
	default:
		return validate.Errors{{Field: "event", Code: validate.EventFull}}
	}
	var errs validate.Errors
	for i, c := range r.Sessions {
		f := "sessions[" + itoa(i) + "]"
		k := slices.IndexFunc(p.Sessions, func(x Session) bool { return x.ID == c.SessionID })
		if k < 0 {
			errs.Add(f, validate.UnknownSession)
			continue
		}
		ses := p.Sessions[k]
		sfull := ses.Capacity > 0 && ses.Confirmed >= ses.Capacity
		switch {
		case r.Status != StatusConfirmed:
			r.Sessions[i].Status = StatusWaiting // held until the registration is confirmed
		case !sfull:
			r.Sessions[i].Status = StatusConfirmed
		case e.Waitlist:
			r.Sessions[i].Status = StatusWaiting
		default:
			errs.Add(f, validate.SessionFull)
		}
	}
	return errs.Err()
}

func itoa(i int) string { return strconv.Itoa(i) }

// MyRegistration returns the viewer's live registration for an event.
func (s *Service) MyRegistration(ctx context.Context, eventID string) (Registration, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return Registration{}, store.ErrNotFound
	}
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Registration{}, err
	}
	return s.store.LiveRegistration(ctx, e.ID, v.UserID)
}

// registrationFor loads a registration and its event as the viewer sees
// them; self reports whether it is the viewer's own.
func (s *Service) registrationFor(ctx context.Context, id string) (Registration, Event, bool, error) {
	r, err := s.store.GetRegistration(ctx, id)
	if err != nil {
		return Registration{}, Event{}, false, err
	}
	e, err := s.store.GetEvent(ctx, r.EventID)
	if err != nil {
		return Registration{}, Event{}, false, err
	}
	v := access.ViewerFrom(ctx)
	self := !v.Anonymous() && r.UserID == v.UserID
	if !self && !s.CanManage(ctx, e) {
		return Registration{}, Event{}, false, store.ErrNotFound
	}
	return r, e, self, nil
}

// Cancel cancels a registration: the attendee's own, or any for the
// organiser. The freed place goes to the first on the waiting list.
func (s *Service) Cancel(ctx context.Context, id string, expect int) (Registration, error) {
	_, e, self, err := s.registrationFor(ctx, id)
	if err != nil {
		return Registration{}, err
	}
	if self && !access.ViewerFrom(ctx).WriteAllowed {
		return Registration{}, store.ErrForbidden
	}
	return s.step(ctx, e, id, expect, func(p Places, r *Registration) (string, error) {
		if r.Status == StatusCancelled || r.Status == StatusDeclined {
			return "", validate.Errors{{Field: "status", Code: validate.RegistrationStep}}
		}
		return StatusCancelled, nil
	})
}

// Decide approves or declines a pending registration (organisers only).
// An approved registration takes a place if one is left, else waits.
func (s *Service) Decide(ctx context.Context, id string, approve bool, expect int) (Registration, error) {
	_, e, _, err := s.registrationFor(ctx, id)
	if err != nil {
		return Registration{}, err
	}
	if !s.CanManage(ctx, e) {
		return Registration{}, store.ErrForbidden
	}
	return s.step(ctx, e, id, expect, func(p Places, r *Registration) (string, error) {
		if r.Status != StatusPending && !(r.Status == StatusWaiting && !approve) {
			return "", validate.Errors{{Field: "status", Code: validate.RegistrationStep}}
		}
		if !approve {
			return StatusDeclined, nil
		}
		if p.Event.Capacity == 0 || p.Confirmed < p.Event.Capacity {
			return StatusConfirmed, nil
		}
		return StatusWaiting, nil
	})
}

func (s *Service) step(ctx context.Context, e Event, id string, expect int, fn func(Places, *Registration) (string, error)) (Registration, error) {
	r, promoted, err := s.store.SetRegistrationStatus(ctx, id, expect, fn)
	if err != nil {
		return Registration{}, err
	}
	s.notify(ctx, e, r, "status."+r.Status)
	s.notifyAll(ctx, e, promoted, "promoted")
	return r, nil
}

// CheckIn marks an attendee as arrived (organisers only).
func (s *Service) CheckIn(ctx context.Context, id string) (Registration, error) {
	r, e, _, err := s.registrationFor(ctx, id)
	if err != nil {
		return Registration{}, err
	}
	if !s.CanManage(ctx, e) {
		return Registration{}, store.ErrForbidden
	}
	if r.Status != StatusConfirmed {
		return Registration{}, validate.Errors{{Field: "status", Code: validate.RegistrationStep}}
	}
	return s.store.CheckIn(ctx, id, s.cfg.Now())
}

// Attendees lists an event's registrations for its organisers (all, with
// e-mail addresses and answers).
func (s *Service) Attendees(ctx context.Context, eventID string) (Event, []Registration, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Event{}, nil, err
	}
	if !s.CanManage(ctx, e) {
		return Event{}, nil, store.ErrForbidden
	}
	rs, err := s.store.ListRegistrations(ctx, e.ID)
	return e, rs, err
}

// Participants lists an event's confirmed attendees as other attendees
// see them: only what each agreed to share. Only organisers and confirmed
// attendees may browse.
func (s *Service) Participants(ctx context.Context, eventID string) ([]Registration, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return nil, err
	}
	v := access.ViewerFrom(ctx)
	if !s.CanManage(ctx, e) {
		me, err := s.store.LiveRegistration(ctx, e.ID, v.UserID)
		if v.Anonymous() || err != nil || me.Status != StatusConfirmed {
			return nil, store.ErrForbidden
		}
	}
	rs, err := s.store.ListRegistrations(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	out := []Registration{}
	for _, r := range rs {
		if r.Status == StatusConfirmed {
			out = append(out, Shared(r))
		}
	}
	return out, nil
}

// Shared is what a registration shows beyond its organisers: the name,
// the organisation and e-mail only when agreed, the brokerage profile.
func Shared(r Registration) Registration {
	out := Registration{ID: r.ID, EventID: r.EventID, Name: r.Name, Status: r.Status, Offer: r.Offer, Seek: r.Seek,
		ShareEmail: r.ShareEmail, ShareOrg: r.ShareOrg}
	if r.ShareEmail {
		out.Email = r.Email
	}
	if r.ShareOrg {
		out.Org, out.OrgID = r.Org, r.OrgID
	}
	return out
}
