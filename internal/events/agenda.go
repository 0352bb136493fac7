package events

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/ical"
	"github.com/escnet/escnet/internal/store"
)

// EventCalendar is the iCalendar file of an event (sessionID empty) or of
// one of its sessions, for anyone who may see the event.
func (s *Service) EventCalendar(ctx context.Context, idOrSlug, sessionID string) (string, error) {
	e, err := s.GetEvent(ctx, idOrSlug)
	if err != nil {
		return "", err
	}
	var evs []ical.Event
	if sessionID == "" {
		evs = append(evs, s.icalEvent(e))
	}
	for _, ses := range e.Sessions {
		if sessionID == "" || ses.ID == sessionID {
			evs = append(evs, s.icalSession(e, ses))
		}
	}
	if sessionID != "" && len(evs) == 0 {
		return "", store.ErrNotFound
	}
	return ical.String(ical.Calendar{Name: e.Title, TimeZone: e.TimeZone}, evs, s.cfg.Now())
}

func (s *Service) where(e Event) string {
	if e.VenueKind == VenueOnline {
		return e.OnlineURL
	}
	return e.Venue
}

func (s *Service) icalEvent(e Event) ical.Event {
	return ical.Event{UID: e.ID + "@escnet", Start: e.StartsAt, End: e.EndsAt, TZID: e.TimeZone, Summary: e.Title,
		Description: e.Description, Location: s.where(e), URL: s.cfg.BaseURL + "/events/" + e.Slug, Status: ical.Confirmed, Updated: e.UpdatedAt}
}

func (s *Service) icalSession(e Event, ses Session) ical.Event {
	loc := s.where(e)
	if ses.Room != "" {
		loc = ses.Room + ", " + loc
	}
	names := make([]string, 0, len(ses.Speakers))
	for _, sp := range ses.Speakers {
		names = append(names, sp.Name)
	}
	desc := e.Title
	if len(names) > 0 {
		desc += "\n" + joinNames(names)
	}
	return ical.Event{UID: ses.ID + "@escnet", Start: ses.StartsAt, End: ses.EndsAt, TZID: e.TimeZone, Summary: ses.Title,
		Description: desc, Location: loc, URL: s.cfg.BaseURL + "/events/" + e.Slug, Status: ical.Confirmed}
}

func joinNames(ns []string) string {
	out := ""
	for i, n := range ns {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

func (s *Service) icalMeeting(e Event, m Meeting, with string) ical.Event {
	return ical.Event{UID: m.ID + "@escnet", Start: *m.StartsAt, End: *m.EndsAt, TZID: e.TimeZone,
		Summary: fmt.Sprintf("1:1 — %s", with), Description: m.Message, Location: fmt.Sprintf("Table %d, %s", m.Table+1, s.where(e)),
		URL: s.cfg.BaseURL + "/events/" + e.Slug + "/meetings", Status: ical.Confirmed}
}

// agendaOf builds the calendar entries of userID: every confirmed
// registration's event, its confirmed sessions and its scheduled meetings.
func (s *Service) agendaOf(ctx context.Context, userID string) ([]ical.Event, error) {
	regs, err := s.store.ListUserRegistrations(ctx, userID)
	if err != nil {
		return nil, err
	}
	var out []ical.Event
	for _, r := range regs {
		if r.Status != StatusConfirmed {
			continue
		}
		e, err := s.GetEvent(ctx, r.EventID)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s.icalEvent(e))
		for _, c := range r.Sessions {
			k := slices.IndexFunc(e.Sessions, func(x Session) bool { return x.ID == c.SessionID })
			if c.Status == StatusConfirmed && k >= 0 {
				out = append(out, s.icalSession(e, e.Sessions[k]))
			}
		}
		ms, err := s.meetingsOf(ctx, e.ID, r.ID)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if m.Status == MeetingAccepted && m.StartsAt != nil {
				out = append(out, s.icalMeeting(e, m, other(m, r.ID)))
			}
		}
	}
	return out, nil
}

func other(m Meeting, me string) string {
	if m.FromID == me {
		return m.ToName
	}
	return m.FromName
}

// MyAgendaCalendar is the viewer's own agenda as an iCalendar file.
func (s *Service) MyAgendaCalendar(ctx context.Context) (string, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return "", store.ErrForbidden
	}
	evs, err := s.agendaOf(ctx, v.UserID)
	if err != nil {
		return "", err
	}
	return ical.String(ical.Calendar{Name: "escnet agenda"}, evs, s.cfg.Now())
}

// NewFeedToken makes (or replaces) the viewer's secret agenda feed token
// and returns it; only its hash is kept.
func (s *Service) NewFeedToken(ctx context.Context) (string, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return "", store.ErrForbidden
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	return token, s.store.SetFeedToken(ctx, v.UserID, hashToken(token))
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// AgendaFeed is the agenda of the token's owner; an unknown token is
// ErrNotFound. The feed reads as the application (the token is the
// credential) but lists only the owner's own registrations.
func (s *Service) AgendaFeed(ctx context.Context, token string) (string, error) {
	if len(token) < 20 {
		return "", store.ErrNotFound
	}
	sys := access.AsSystem(ctx)
	user, err := s.store.FeedUser(sys, hashToken(token))
	if err != nil {
		return "", err
	}
	evs, err := s.agendaOf(sys, user)
	if err != nil {
		return "", err
	}
	return ical.String(ical.Calendar{Name: "escnet agenda"}, evs, s.cfg.Now())
}

// sendAgendas writes each attendee with scheduled meetings their agenda.
func (s *Service) sendAgendas(ctx context.Context, e Event, regs []Registration, placed []Meeting) {
	byReg := map[string][]Meeting{}
	for _, m := range placed {
		if m.StartsAt != nil {
			byReg[m.FromID] = append(byReg[m.FromID], m)
			byReg[m.ToID] = append(byReg[m.ToID], m)
		}
	}
	loc := e.location()
	for _, r := range regs {
		ms := byReg[r.ID]
		if len(ms) == 0 {
			continue
		}
		slices.SortFunc(ms, func(a, b Meeting) int { return a.StartsAt.Compare(*b.StartsAt) })
		lines := ""
		for _, m := range ms {
			lines += fmt.Sprintf("%s–%s  %d  %s\n", m.StartsAt.In(loc).Format("2006-01-02 15:04"), m.EndsAt.In(loc).Format("15:04"), m.Table+1, other(m, r.ID))
		}
		s.notify(ctx, e, r, "agenda", "meetings", lines, "count", len(ms))
	}
}
