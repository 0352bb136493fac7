package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/csvexport"
	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The events API: each handler decodes, calls one events.Service method
// and encodes; every permission decision is the service's.

// eventFilter reads the event list's parameters.
func eventFilter(q url.Values) (events.Filter, error) {
	limit, errs := checkQuery(q, "from", "to", "kind", "cluster")
	f := events.Filter{Kind: q.Get("kind"), Cluster: q.Get("cluster"), Limit: limit}
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &f.From}, {"to", &f.To}} {
		if v := q.Get(p.name); v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				errs.Add(p.name, validate.InvalidFormat)
			}
			*p.t = t
		}
	}
	errs.Choice("kind", f.Kind, false, events.Kinds...)
	if len(errs) > 0 {
		return f, errBadRequest("Unknown or malformed query parameters.", errs)
	}
	return f, nil
}

func (s *Server) apiListEvents(w http.ResponseWriter, r *http.Request) error {
	f, err := eventFilter(r.URL.Query())
	if err != nil {
		return err
	}
	evs, err := s.ev.ListEvents(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": evs})
}

func (s *Server) apiGetEvent(w http.ResponseWriter, r *http.Request) error {
	e, err := s.ev.GetEvent(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, e.Version)
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiCreateEvent(w http.ResponseWriter, r *http.Request) error {
	var in events.EventInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := s.ev.CreateEvent(r.Context(), in)
	if err != nil {
		return s.eventErr(r, err)
	}
	w.Header().Set("Location", "/api/v1/events/"+url.PathEscape(e.Slug))
	setETag(w, e.Version)
	return writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiUpdateEvent(w http.ResponseWriter, r *http.Request) error {
	expect, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in events.EventInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := s.ev.UpdateEvent(r.Context(), r.PathValue("id"), in, expect)
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, e.Version)
	return writeJSON(w, http.StatusOK, e)
}

// eventErr turns a refusal of an anonymous visitor into 401, so that the
// API asks them to sign in.
func (s *Server) eventErr(r *http.Request, err error) error {
	if errors.Is(err, store.ErrForbidden) {
		return errForbidden(viewerFrom(r.Context()))
	}
	return err
}

func (s *Server) apiAddSession(w http.ResponseWriter, r *http.Request) error {
	var in events.SessionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ses, err := s.ev.AddSession(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, ses.Version)
	return writeJSON(w, http.StatusCreated, ses)
}

func (s *Server) apiUpdateSession(w http.ResponseWriter, r *http.Request) error {
	expect, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in events.SessionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ses, err := s.ev.UpdateSession(r.Context(), r.PathValue("id"), r.PathValue("session"), in, expect)
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, ses.Version)
	return writeJSON(w, http.StatusOK, ses)
}

func writeCalendar(w http.ResponseWriter, name, body string) error {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write([]byte(body))
	return err
}

func (s *Server) apiEventCalendar(w http.ResponseWriter, r *http.Request) error {
	cal, err := s.ev.EventCalendar(r.Context(), r.PathValue("id"), r.PathValue("session"))
	if err != nil {
		return err
	}
	return writeCalendar(w, "event.ics", cal)
}

func (s *Server) apiRegister(w http.ResponseWriter, r *http.Request) error {
	var in events.RegisterInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	reg, err := s.ev.Register(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, reg.Version)
	return writeJSON(w, http.StatusCreated, reg)
}

func (s *Server) apiMyRegistration(w http.ResponseWriter, r *http.Request) error {
	if viewerFrom(r.Context()).Anonymous() {
		return errForbidden(viewerFrom(r.Context()))
	}
	reg, err := s.ev.MyRegistration(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, reg.Version)
	return writeJSON(w, http.StatusOK, reg)
}

func (s *Server) apiAttendees(w http.ResponseWriter, r *http.Request) error {
	_, rs, err := s.ev.Attendees(r.Context(), r.PathValue("id"))
	if err != nil {
		return s.eventErr(r, err)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": rs})
}

func (s *Server) apiParticipants(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.ev.Participants(r.Context(), r.PathValue("id"))
	if err != nil {
		return s.eventErr(r, err)
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": rs})
}

// apiBadges is the attendee list and badges as CSV: name, and the
// organisation and e-mail only where the attendee agreed to share them.
func (s *Server) apiBadges(w http.ResponseWriter, r *http.Request) error {
	e, rs, err := s.ev.Attendees(r.Context(), r.PathValue("id"))
	if err != nil {
		return s.eventErr(r, err)
	}
	cw := csvexport.ForDownload(w, "escnet-attendees-"+e.Slug+".csv")
	if err := cw.Write("name", "organisation", "email", "status", "checked_in"); err != nil {
		return err
	}
	for _, reg := range rs {
		if reg.Status != events.StatusConfirmed {
			continue
		}
		sh := events.Shared(reg)
		in := ""
		if reg.CheckedInAt != nil {
			in = reg.CheckedInAt.Format(time.RFC3339)
		}
		if err := cw.Write(sh.Name, sh.Org, sh.Email, reg.Status, in); err != nil {
			return err
		}
	}
	return cw.Flush()
}

// RegistrationStep is the body of a registration's state change.
type RegistrationStep struct {
	Action string `json:"action"` // cancel, approve, decline, check_in
}

func (s *Server) apiRegistrationStep(w http.ResponseWriter, r *http.Request) error {
	expect, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in RegistrationStep
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	ctx, id := r.Context(), r.PathValue("id")
	var reg events.Registration
	switch in.Action {
	case "cancel":
		reg, err = s.ev.Cancel(ctx, id, expect)
	case "approve", "decline":
		reg, err = s.ev.Decide(ctx, id, in.Action == "approve", expect)
	case "check_in":
		reg, err = s.ev.CheckIn(ctx, id)
	default:
		var errs validate.Errors
		errs.Choice("action", in.Action, true, "cancel", "approve", "decline", "check_in")
		return errs
	}
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, reg.Version)
	return writeJSON(w, http.StatusOK, reg)
}

// UnavailableInput lists the times an attendee cannot meet.
type UnavailableInput struct {
	Times []events.Unavailable `json:"times"`
}

func (s *Server) apiSetUnavailable(w http.ResponseWriter, r *http.Request) error {
	var in UnavailableInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.ev.SetUnavailable(r.Context(), r.PathValue("id"), in.Times); err != nil {
		return s.eventErr(r, err)
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiRequestMeeting(w http.ResponseWriter, r *http.Request) error {
	var in events.MeetingInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.ev.RequestMeeting(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, m.Version)
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiMyMeetings(w http.ResponseWriter, r *http.Request) error {
	if viewerFrom(r.Context()).Anonymous() {
		return errForbidden(viewerFrom(r.Context()))
	}
	_, _, ms, err := s.ev.MyMeetings(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": ms})
}

// MeetingStep is the body of a meeting's state change or outcome.
type MeetingStep struct {
	Status  string `json:"status,omitempty"`  // accepted, declined, cancelled
	Outcome string `json:"outcome,omitempty"` // after the meeting
}

func (s *Server) apiMeetingStep(w http.ResponseWriter, r *http.Request) error {
	expect, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in MeetingStep
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	var m events.Meeting
	if in.Outcome != "" {
		m, err = s.ev.Outcome(r.Context(), r.PathValue("id"), in.Outcome)
	} else {
		var errs validate.Errors
		errs.Choice("status", in.Status, true, events.MeetingAccepted, events.MeetingDeclined, events.MeetingCancelled)
		if len(errs) > 0 {
			return errs
		}
		m, err = s.ev.RespondMeeting(r.Context(), r.PathValue("id"), in.Status, expect)
	}
	if err != nil {
		return s.eventErr(r, err)
	}
	setETag(w, m.Version)
	return writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiSchedule(w http.ResponseWriter, r *http.Request) error {
	res, err := s.ev.Schedule(r.Context(), r.PathValue("id"))
	if err != nil {
		return s.eventErr(r, err)
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiMyAgenda(w http.ResponseWriter, r *http.Request) error {
	cal, err := s.ev.MyAgendaCalendar(r.Context())
	if err != nil {
		return s.eventErr(r, err)
	}
	return writeCalendar(w, "agenda.ics", cal)
}

// AgendaFeed is a new secret agenda feed address.
type AgendaFeed struct {
	URL string `json:"url"`
}

func (s *Server) apiNewAgendaFeed(w http.ResponseWriter, r *http.Request) error {
	tok, err := s.ev.NewFeedToken(r.Context())
	if err != nil {
		return s.eventErr(r, err)
	}
	return writeJSON(w, http.StatusCreated, AgendaFeed{URL: s.accounts.Config().BaseURL + "/agenda/" + tok + ".ics"})
}

func (s *Server) handleAgendaFeed(w http.ResponseWriter, r *http.Request) error {
	cal, err := s.ev.AgendaFeed(r.Context(), strings.TrimSuffix(r.PathValue("token"), ".ics"))
	if err != nil {
		return err
	}
	return writeCalendar(w, "agenda.ics", cal)
}

// apiFiguresCSV is the event's figures as CSV (organisers only).
func (s *Server) apiFiguresCSV(w http.ResponseWriter, r *http.Request) error {
	e, figs, err := s.ev.Figures(r.Context(), r.PathValue("id"))
	if err != nil {
		return s.eventErr(r, err)
	}
	cw := csvexport.ForDownload(w, "escnet-figures-"+e.Slug+".csv")
	if err := cw.Write("figure", "value"); err != nil {
		return err
	}
	for _, f := range figs {
		if err := cw.Write(f.Key, strconv.Itoa(f.Value)); err != nil {
			return err
		}
	}
	return cw.Flush()
}
