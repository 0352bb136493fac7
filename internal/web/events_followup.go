package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/validate"
)

// The brokerage follow-up: meeting suggestions (whom to meet, ranked by
// the partner finder), an attendee's unavailable times, and the outcome
// of a held meeting. Each handler calls one events.Service method.

// suggestionRow is a suggested organisation as the event page shows it.
type suggestionRow struct {
	Organisation, Profile string
	Reasons               []string
	Attendees             []participantRow
	Asked                 bool
}

// suggestionRows are the viewer's meeting suggestions in the interface
// language; a partner finder that is not ready yet gives none.
func (s *Server) suggestionRows(r *http.Request, e events.Event) []suggestionRow {
	sg, err := s.ev.Suggestions(r.Context(), e.ID)
	if err != nil {
		s.log.DebugContext(r.Context(), "no meeting suggestions", "event", e.ID, "err", err)
		return nil
	}
	l := s.loc(r)
	caps, _, _ := s.capabilityMap(r)
	out := make([]suggestionRow, 0, len(sg))
	for _, g := range sg {
		ranked := match.Ranked{Name: g.Organisation, Kind: g.Kind, Country: g.Country}
		row := suggestionRow{Organisation: g.Organisation, Profile: kindText(l, ranked), Asked: g.Asked}
		if g.Country != "" {
			row.Profile += ", " + l.Country(g.Country)
		}
		for _, f := range g.Consortium {
			row.Reasons = append(row.Reasons, l.T("suggest.consortium", "call", f.CallTitle))
		}
		if len(g.OfferWords) > 0 {
			row.Reasons = append(row.Reasons, l.T("suggest.offer_words", "words", strings.Join(g.OfferWords, ", ")))
		}
		var reasons []match.Reason // the profile is in the heading already
		for _, re := range g.Reasons {
			if re.Kind != match.ReasonProfile {
				reasons = append(reasons, re)
			}
		}
		row.Reasons = append(row.Reasons, reasonTexts(l, caps, match.Ranked{Name: g.Organisation, Kind: g.Kind, Country: g.Country, Reasons: reasons})...)
		for _, a := range g.Attendees {
			row.Attendees = append(row.Attendees, participantRow{ID: a.ID, Name: a.Name, Offer: a.Offer, Seek: a.Seek})
		}
		out = append(out, row)
	}
	return out
}

// MeetingSuggestionList is the API's answer.
type MeetingSuggestionList struct {
	Items []events.Suggestion `json:"items"`
}

func (s *Server) apiSuggestions(w http.ResponseWriter, r *http.Request) error {
	sg, err := s.ev.Suggestions(r.Context(), r.PathValue("id"))
	if err != nil {
		return s.eventErr(r, err)
	}
	return writeJSON(w, http.StatusOK, MeetingSuggestionList{Items: sg})
}

type unavailablePage struct {
	layout
	Event  events.Event
	Title  string
	Name   string
	Action string
	Times  string
	Errors []string
}

// unavailableText writes the times as the form's lines, on the venue's
// clocks: "2026-06-01 10:00-11:00".
func unavailableText(e events.Event, us []events.Unavailable) string {
	loc := e.Location()
	var out []string
	for _, u := range us {
		s, en := u.StartsAt.In(loc), u.EndsAt.In(loc)
		line := s.Format("2006-01-02 15:04") + "-" + en.Format("15:04")
		if en.Format("2006-01-02") != s.Format("2006-01-02") {
			line = s.Format("2006-01-02 15:04") + " - " + en.Format("2006-01-02 15:04")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// readUnavailable reads the lines "2026-06-01 10:00-11:00" (or
// "2026-06-01 22:00 - 2026-06-02 01:00").
func readUnavailable(text string) ([]events.LocalSpan, validate.Errors) {
	var errs validate.Errors
	var out []events.LocalSpan
	for i, l := range lines(text) {
		if a, b, ok := strings.Cut(l, " - "); ok && len(strings.TrimSpace(b)) > 5 {
			out = append(out, events.LocalSpan{StartsAt: strings.Replace(strings.TrimSpace(a), " ", "T", 1), EndsAt: strings.Replace(strings.TrimSpace(b), " ", "T", 1)})
			continue
		}
		date, span, _ := strings.Cut(l, " ")
		start, end, ok := clockSpan(span)
		if !ok {
			errs.Add(fmt.Sprintf("times[%d]", i), validate.InvalidFormat)
			continue
		}
		out = append(out, events.LocalSpan{StartsAt: date + "T" + start, EndsAt: date + "T" + end})
	}
	return out, errs
}

func (s *Server) unavailableData(r *http.Request) (unavailablePage, error) {
	e, reg, us, err := s.ev.Unavailability(r.Context(), r.PathValue("id"))
	if err != nil {
		return unavailablePage{}, s.eventErr(r, err)
	}
	if e.Slug != r.PathValue("slug") {
		return unavailablePage{}, &httpError{status: http.StatusNotFound, title: "Not found", detail: "The event has no such registration."}
	}
	l := s.loc(r)
	title := e.TextIn(l.Lang).Title
	return unavailablePage{layout: s.layout(r, l.T("title.unavailable", "event", title), "events"), Event: e, Title: title, Name: reg.Name,
		Action: "/events/" + url.PathEscape(e.Slug) + "/registrations/" + url.PathEscape(reg.ID) + "/unavailable", Times: unavailableText(e, us)}, nil
}

func (s *Server) pageUnavailable(w http.ResponseWriter, r *http.Request) error {
	data, err := s.unavailableData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "event_unavailable", data)
}

func (s *Server) postUnavailable(w http.ResponseWriter, r *http.Request) error {
	data, err := s.unavailableData(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	text := r.PostFormValue("times")
	spans, errs := readUnavailable(text)
	if err = errs.Err(); err == nil {
		err = s.ev.SetUnavailableLocal(r.Context(), r.PathValue("id"), spans)
	}
	if err != nil {
		msgs, status, ok := s.eventProblems(r, s.eventErr(r, err))
		if !ok {
			return s.eventErr(r, err)
		}
		data.Times, data.Errors = text, msgs
		return s.render(w, status, "event_unavailable", data)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(data.Event.Slug)+"/meetings", http.StatusSeeOther)
	return nil
}

// postOutcome records what came of a meeting, for the viewer's side.
func (s *Server) postOutcome(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.ev.Outcome(r.Context(), r.PathValue("id"), r.PostFormValue("outcome")); err != nil {
		return s.meetingsFormError(w, r, err)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(r.PathValue("slug"))+"/meetings", http.StatusSeeOther)
	return nil
}
