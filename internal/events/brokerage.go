package events

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/events/meetings"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

func errNoBrokerage() error { return validate.Errors{{Field: "event", Code: validate.NoBrokerage}} }

// MeetingInput asks another attendee for a 1:1 meeting.
type MeetingInput struct {
	To      string `json:"to"` // the other attendee's registration id
	Message string `json:"message"`
}

// myConfirmed returns the viewer's confirmed registration for e.
func (s *Service) myConfirmed(ctx context.Context, e Event, field string) (Registration, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return Registration{}, store.ErrForbidden
	}
	me, err := s.store.LiveRegistration(ctx, e.ID, v.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && me.Status != StatusConfirmed) {
		return Registration{}, validate.Errors{{Field: field, Code: validate.NotRegistered}}
	}
	return me, err
}

// maxMeetings is the most accepted meetings one person may hold: the
// slots, or the cap when lower.
func maxMeetings(e Event) (int, error) {
	slots, err := e.Slots()
	if err != nil {
		return 0, err
	}
	n := len(slots)
	if e.Brokerage.Cap > 0 {
		n = min(n, e.Brokerage.Cap)
	}
	return n, nil
}

// RequestMeeting asks another confirmed attendee of a brokerage event for
// a meeting. Oneself, someone not attending, or a pair with an open
// request already are refused, naming the field.
func (s *Service) RequestMeeting(ctx context.Context, eventID string, in MeetingInput) (Meeting, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Meeting{}, err
	}
	if e.Brokerage == nil {
		return Meeting{}, validate.Errors{{Field: "event", Code: validate.NoBrokerage}}
	}
	me, err := s.myConfirmed(ctx, e, "event")
	if err != nil {
		return Meeting{}, err
	}
	var errs validate.Errors
	errs.Text("message", in.Message, false, 2000)
	if in.To == me.ID {
		errs.Add("to", validate.MeetingSelf)
	} else if other, err := s.store.GetRegistration(ctx, in.To); err != nil || other.EventID != e.ID || other.Status != StatusConfirmed {
		errs.Add("to", validate.MeetingNotAttending)
	}
	if len(errs) > 0 {
		return Meeting{}, errs
	}
	m := Meeting{EventID: e.ID, FromID: me.ID, ToID: in.To, Status: MeetingRequested, Message: strings.TrimSpace(in.Message), Slot: -1, Table: -1}
	err = s.store.CreateMeeting(ctx, &m, func(_ map[string]int, open bool) error {
		if open {
			return &store.ConflictError{Field: "to", Code: validate.MeetingDuplicate}
		}
		return nil
	})
	return m, err
}

// RespondMeeting accepts or declines a request made to the viewer; either
// side may cancel. Accepting is refused when either side already holds as
// many accepted meetings as the event has places for them.
func (s *Service) RespondMeeting(ctx context.Context, id, status string, expect int) (Meeting, error) {
	m, err := s.store.GetMeeting(ctx, id)
	if err != nil {
		return Meeting{}, err
	}
	e, err := s.store.GetEvent(ctx, m.EventID)
	if err != nil {
		return Meeting{}, err
	}
	me, err := s.myConfirmed(ctx, e, "status")
	if err != nil {
		if s.CanManage(ctx, e) && status == MeetingCancelled {
			me = Registration{}
		} else {
			return Meeting{}, store.ErrNotFound
		}
	}
	if me.ID != "" && me.ID != m.FromID && me.ID != m.ToID {
		return Meeting{}, store.ErrNotFound
	}
	limit, err := maxMeetings(e)
	if err != nil {
		return Meeting{}, err
	}
	return s.store.SetMeetingStatus(ctx, id, expect, status, func(cur Meeting, accepted map[string]int) error {
		ok := false
		switch status {
		case MeetingAccepted, MeetingDeclined:
			ok = cur.Status == MeetingRequested && me.ID == cur.ToID
		case MeetingCancelled:
			ok = cur.Status == MeetingRequested || cur.Status == MeetingAccepted
		}
		if !ok {
			return validate.Errors{{Field: "status", Code: validate.MeetingTransition}}
		}
		if status == MeetingAccepted {
			for _, side := range []string{cur.FromID, cur.ToID} {
				if accepted[side] >= limit {
					f := "to"
					if side == cur.ToID {
						f = "status"
					}
					return validate.Errors{{Field: f, Code: validate.MeetingTooMany, Args: map[string]any{"count": accepted[side], "max": limit}}}
				}
			}
		}
		return nil
	})
}

// Outcome records what came of a held meeting, for the viewer's side.
func (s *Service) Outcome(ctx context.Context, id, outcome string) (Meeting, error) {
	m, err := s.store.GetMeeting(ctx, id)
	if err != nil {
		return Meeting{}, err
	}
	e, err := s.store.GetEvent(ctx, m.EventID)
	if err != nil {
		return Meeting{}, err
	}
	me, err := s.myConfirmed(ctx, e, "outcome")
	if err != nil || (me.ID != m.FromID && me.ID != m.ToID) {
		return Meeting{}, store.ErrNotFound
	}
	var errs validate.Errors
	errs.Choice("outcome", outcome, true, Outcomes...)
	if m.Status != MeetingAccepted || m.Slot < 0 {
		errs.Add("outcome", validate.MeetingTransition)
	}
	if len(errs) > 0 {
		return Meeting{}, errs
	}
	side := "from"
	if me.ID == m.ToID {
		side = "to"
	}
	return s.store.SetOutcome(ctx, id, side, outcome)
}

// MyMeetings returns the viewer's meeting requests and meetings at an
// event, with the registration they belong to.
func (s *Service) MyMeetings(ctx context.Context, eventID string) (Event, Registration, []Meeting, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Event{}, Registration{}, nil, err
	}
	me, err := s.MyRegistration(ctx, e.ID)
	if err != nil {
		return e, Registration{}, nil, err
	}
	ms, err := s.meetingsOf(ctx, e.ID, me.ID)
	return e, me, ms, err
}

func (s *Service) meetingsOf(ctx context.Context, eventID, regID string) ([]Meeting, error) {
	all, err := s.store.ListMeetings(ctx, eventID)
	if err != nil {
		return nil, err
	}
	var out []Meeting
	for _, m := range all {
		if m.FromID == regID || m.ToID == regID {
			out = append(out, m)
		}
	}
	return out, nil
}

// Meetings lists every meeting request of an event (organisers only).
func (s *Service) Meetings(ctx context.Context, eventID string) (Event, []Meeting, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return Event{}, nil, err
	}
	if !s.CanManage(ctx, e) {
		return Event{}, nil, store.ErrForbidden
	}
	ms, err := s.store.ListMeetings(ctx, e.ID)
	return e, ms, err
}

// SetUnavailable replaces the times an attendee cannot meet (organisers,
// or the attendee for themself). Times must lie within the event.
func (s *Service) SetUnavailable(ctx context.Context, registrationID string, times []Unavailable) error {
	r, e, self, err := s.registrationFor(ctx, registrationID)
	if err != nil {
		return err
	}
	if !self && !s.CanManage(ctx, e) || !access.ViewerFrom(ctx).WriteAllowed {
		return store.ErrForbidden
	}
	var errs validate.Errors
	for i, u := range times {
		f := "times[" + itoa(i) + "]"
		if !u.EndsAt.After(u.StartsAt) {
			errs.Add(f+".ends_at", schedule.NotAfterStart)
		}
		if u.StartsAt.Before(e.StartsAt) || u.EndsAt.After(e.EndsAt) {
			errs.Add(f+".starts_at", validate.SessionOutsideEvent, "start", e.StartsAt.Format(time.RFC3339), "end", e.EndsAt.Format(time.RFC3339))
		}
		times[i].RegistrationID = r.ID
	}
	if len(errs) > 0 {
		return errs
	}
	return s.store.SetUnavailable(ctx, r.ID, times)
}

// PlanResult reports a scheduler run.
type PlanResult struct {
	Accepted int `json:"accepted"`
	Held     int `json:"held"`
	Gaps     int `json:"gaps"`
	Kept     int `json:"kept"`
	Moved    int `json:"moved"`
	Slots    int `json:"slots"`
	Tables   int `json:"tables"`
}

// Schedule runs the meeting scheduler over the event's accepted meetings
// (organisers only), stores the plan, and sends each attendee with
// meetings their agenda by e-mail.
func (s *Service) Schedule(ctx context.Context, eventID string) (PlanResult, error) {
	e, err := s.store.GetEvent(ctx, eventID)
	if err != nil {
		return PlanResult{}, err
	}
	if !s.CanManage(ctx, e) {
		return PlanResult{}, store.ErrForbidden
	}
	if e.Brokerage == nil {
		return PlanResult{}, validate.Errors{{Field: "brokerage", Code: validate.NoBrokerage}}
	}
	slots, err := e.Slots()
	if err != nil {
		return PlanResult{}, err
	}
	in, err := s.planInput(ctx, e, slots)
	if err != nil {
		return PlanResult{}, err
	}
	plan, err := meetings.Schedule(&in.problem)
	if err != nil {
		return PlanResult{}, err
	}
	placed := make([]Meeting, len(in.accepted))
	for i, m := range in.accepted {
		pl := plan.Places[i]
		m.Slot, m.Table, m.StartsAt, m.EndsAt = pl.Slot, pl.Table, nil, nil
		if pl.Slot >= 0 {
			st, en := slots[pl.Slot].Start, slots[pl.Slot].End
			m.StartsAt, m.EndsAt = &st, &en
		}
		placed[i] = m
	}
	if err := s.store.SavePlan(ctx, e.ID, placed); err != nil {
		return PlanResult{}, err
	}
	s.sendAgendas(ctx, e, in.regs, placed)
	return PlanResult{Accepted: len(in.accepted), Held: plan.Held, Gaps: plan.Gaps, Kept: plan.Kept, Moved: plan.Moved,
		Slots: len(slots), Tables: e.Brokerage.Tables}, nil
}

type planInput struct {
	problem  meetings.Problem
	accepted []Meeting
	regs     []Registration
}

// planInput turns the event's state into a scheduling problem: people are
// the confirmed registrations, unavailable slots come from their stated
// times and the sessions they take part in.
func (s *Service) planInput(ctx context.Context, e Event, slots []Slot) (planInput, error) {
	var in planInput
	regs, err := s.store.ListRegistrations(ctx, e.ID)
	if err != nil {
		return in, err
	}
	index := map[string]int{}
	for _, r := range regs {
		if r.Status == StatusConfirmed {
			index[r.ID] = len(in.regs)
			in.regs = append(in.regs, r)
		}
	}
	p := meetings.Problem{People: len(in.regs), Tables: e.Brokerage.Tables, Cap: e.Brokerage.Cap, Unavailable: make([][]int, len(in.regs))}
	for _, sl := range slots {
		p.Slots = append(p.Slots, meetings.Slot{Day: sl.Day})
	}
	busy, err := s.busyTimes(ctx, e, in.regs)
	if err != nil {
		return in, err
	}
	for i, r := range in.regs {
		for k, sl := range slots {
			if slices.ContainsFunc(busy[r.ID], func(u Unavailable) bool { return sl.Start.Before(u.EndsAt) && u.StartsAt.Before(sl.End) }) {
				p.Unavailable[i] = append(p.Unavailable[i], k)
			}
		}
	}
	all, err := s.store.ListMeetings(ctx, e.ID)
	if err != nil {
		return in, err
	}
	for _, m := range all {
		a, okA := index[m.FromID]
		b, okB := index[m.ToID]
		if m.Status != MeetingAccepted || !okA || !okB {
			continue
		}
		q := meetings.Request{A: a, B: b}
		if m.Announced && m.Slot >= 0 && m.Slot < len(slots) {
			q.Announced = &meetings.Place{Slot: m.Slot, Table: m.Table}
		}
		p.Requests = append(p.Requests, q)
		in.accepted = append(in.accepted, m)
	}
	in.problem = p
	return in, nil
}

// busyTimes collects, per registration, its stated unavailable times and
// the confirmed sessions it takes part in.
func (s *Service) busyTimes(ctx context.Context, e Event, regs []Registration) (map[string][]Unavailable, error) {
	out := map[string][]Unavailable{}
	un, err := s.store.ListUnavailable(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	for _, u := range un {
		out[u.RegistrationID] = append(out[u.RegistrationID], u)
	}
	sessions, err := s.store.ListEventSessions(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range regs {
		for _, c := range r.Sessions {
			if c.Status != StatusConfirmed {
				continue
			}
			if k := slices.IndexFunc(sessions, func(x Session) bool { return x.ID == c.SessionID }); k >= 0 {
				out[r.ID] = append(out[r.ID], Unavailable{RegistrationID: r.ID, StartsAt: sessions[k].StartsAt, EndsAt: sessions[k].EndsAt})
			}
		}
	}
	return out, nil
}
