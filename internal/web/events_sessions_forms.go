package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/validate"
)

// The programme forms of the event edit page: change a session, or add
// one, which may repeat (a course's weekly or monthly sessions).

// sessionForm is a session form as typed.
type sessionForm struct {
	Title, Room, StartsAt, EndsAt, Capacity, Speakers string
	Freq, Interval, Count, Until                      string
}

// sessionFields is what the template of a session's fields needs.
type sessionFields struct {
	L      *Localizer
	Prefix string
	F      sessionForm
	Repeat bool
}

// Fields is the form with what its template needs: the localizer, the
// prefix of its element ids, and whether it offers to repeat.
func (f sessionForm) Fields(l *Localizer, prefix string, repeat bool) sessionFields {
	return sessionFields{L: l, Prefix: prefix, F: f, Repeat: repeat}
}

// sessionEdit is a stored session with its form.
type sessionEdit struct {
	ID      string
	Version int
	F       sessionForm
}

func sessionEdits(e events.Event) []sessionEdit {
	loc := e.Location()
	out := make([]sessionEdit, 0, len(e.Sessions))
	for _, ses := range e.Sessions {
		f := sessionForm{Title: ses.Title, Room: ses.Room, StartsAt: ses.StartsAt.In(loc).Format(localInput), EndsAt: ses.EndsAt.In(loc).Format(localInput)}
		if ses.Capacity > 0 {
			f.Capacity = fmt.Sprint(ses.Capacity)
		}
		var sp []string
		for _, p := range ses.Speakers {
			if p.Affiliation != "" {
				sp = append(sp, p.Name+" ("+p.Affiliation+")")
			} else {
				sp = append(sp, p.Name)
			}
		}
		f.Speakers = strings.Join(sp, "\n")
		out = append(out, sessionEdit{ID: ses.ID, Version: ses.Version, F: f})
	}
	return out
}

func readSessionForm(v url.Values) sessionForm {
	return sessionForm{Title: v.Get("title"), Room: v.Get("room"), StartsAt: v.Get("starts_at"), EndsAt: v.Get("ends_at"),
		Capacity: v.Get("capacity"), Speakers: v.Get("speakers"), Freq: v.Get("repeat_freq"), Interval: v.Get("repeat_interval"),
		Count: v.Get("repeat_count"), Until: v.Get("repeat_until")}
}

// input turns the form into the service's input. Speakers are one a
// line, "Name (Affiliation)"; a speaker of the stored session keeps the
// directory person it names.
func (f sessionForm) input(old []events.Speaker) (events.SessionInput, validate.Errors) {
	var errs validate.Errors
	in := events.SessionInput{Title: f.Title, Room: strings.TrimSpace(f.Room), StartsAt: f.StartsAt, EndsAt: f.EndsAt,
		Capacity: formInt(&errs, "capacity", f.Capacity), Speakers: []events.Speaker{}}
	for _, l := range lines(f.Speakers) {
		sp := events.Speaker{Name: l}
		if i := strings.LastIndex(l, " ("); i > 0 && strings.HasSuffix(l, ")") {
			sp.Name, sp.Affiliation = strings.TrimSpace(l[:i]), strings.TrimSpace(l[i+2:len(l)-1])
		}
		for _, o := range old {
			if o.Name == sp.Name && o.PersonID != "" {
				sp.PersonID = o.PersonID
			}
		}
		in.Speakers = append(in.Speakers, sp)
	}
	if f.Freq != "" {
		in.Repeat = &events.Repeat{Freq: f.Freq, Interval: formInt(&errs, "repeat.interval", f.Interval),
			Count: formInt(&errs, "repeat.count", f.Count), Until: strings.TrimSpace(f.Until)}
	}
	return in, errs
}

// sessionFormError shows the edit page again with the programme form's
// problems, or returns err when it is not about the input.
func (s *Server) sessionFormError(w http.ResponseWriter, r *http.Request, e events.Event, err error, typed *sessionForm, at string) error {
	msgs, status, ok := s.eventProblems(r, s.eventErr(r, err))
	if !ok {
		return s.eventErr(r, err)
	}
	_, clusters, cerr := s.editableEvent(r)
	if cerr != nil {
		return cerr
	}
	data := s.editPage(r, e, formOfEvent(e), clusters)
	data.SessionErrors = msgs
	if typed != nil && status != http.StatusPreconditionFailed {
		if at == "" {
			data.NewSession = *typed
		}
		for i := range data.Sessions {
			if data.Sessions[i].ID == at {
				data.Sessions[i].F = *typed
			}
		}
	}
	return s.render(w, status, "event_edit", data)
}

func (s *Server) postAddSession(w http.ResponseWriter, r *http.Request) error {
	e, _, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := readSessionForm(r.PostForm)
	in, errs := f.input(nil)
	if err = errs.Err(); err == nil {
		_, err = s.ev.AddSession(r.Context(), e.ID, in)
	}
	if err != nil {
		return s.sessionFormError(w, r, e, err, &f, "")
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(e.Slug)+"/edit#programme", http.StatusSeeOther)
	return nil
}

func (s *Server) postEditSession(w http.ResponseWriter, r *http.Request) error {
	e, _, err := s.editableEvent(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	id := r.PathValue("id")
	var old []events.Speaker
	for _, ses := range e.Sessions {
		if ses.ID == id {
			old = ses.Speakers
		}
	}
	f := readSessionForm(r.PostForm)
	f.Freq = "" // a stored session does not repeat
	in, errs := f.input(old)
	if err = errs.Err(); err == nil {
		_, err = s.ev.UpdateSession(r.Context(), e.ID, id, in, formVersion(r))
	}
	if err != nil {
		return s.sessionFormError(w, r, e, err, &f, id)
	}
	http.Redirect(w, r, "/events/"+url.PathEscape(e.Slug)+"/edit#programme", http.StatusSeeOther)
	return nil
}
