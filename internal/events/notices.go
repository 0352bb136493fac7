package events

import (
	"context"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/mail"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
)

// NoticeKeys are the e-mails the service sends; each has the message keys
// "mail.event.<key>.subject" and ".body".
var NoticeKeys = []string{"registered.confirmed", "registered.waiting", "registered.pending", "status.confirmed", "status.waiting",
	"status.cancelled", "status.declined", "promoted", "changed", "reminder", "agenda"}

func (s *Service) args(e Event, extra ...any) []any {
	loc, _ := schedule.Location(e.TimeZone)
	if loc == nil {
		loc = time.UTC
	}
	return append([]any{"event", e.Title, "start", e.StartsAt.In(loc).Format("2006-01-02 15:04"),
		"end", e.EndsAt.In(loc).Format("2006-01-02 15:04"), "zone", e.TimeZone, "venue", e.Venue,
		"link", s.cfg.BaseURL + "/events/" + e.Slug}, extra...)
}

// notify writes to one attendee. A failed e-mail is logged, not
// returned: the registration is written.
func (s *Service) notify(ctx context.Context, e Event, r Registration, key string, extra ...any) {
	if r.Email == "" {
		return
	}
	args := s.args(e, append([]any{"name", r.Name}, extra...)...)
	m := mail.Message{To: r.Email, Subject: s.cfg.Text(ctx, "mail.event."+key+".subject", args...),
		Text: s.cfg.Text(ctx, "mail.event."+key+".body", args...)}
	if err := s.mail.Send(ctx, m); err != nil {
		s.cfg.Logger.WarnContext(ctx, "event notice not sent", "event", e.ID, "registration", r.ID, "err", err)
	}
}

func (s *Service) notifyAll(ctx context.Context, e Event, rs []Registration, key string) {
	for _, r := range rs {
		s.notify(ctx, e, r, key)
	}
}

// notifyChange tells every live registration when the event's times or
// venue change.
func (s *Service) notifyChange(ctx context.Context, old, e Event) {
	if old.StartsAt.Equal(e.StartsAt) && old.EndsAt.Equal(e.EndsAt) && old.Venue == e.Venue && old.OnlineURL == e.OnlineURL {
		return
	}
	rs, err := s.store.ListRegistrations(ctx, e.ID)
	if err != nil {
		s.cfg.Logger.WarnContext(ctx, "change notices not sent", "event", e.ID, "err", err)
		return
	}
	for _, r := range rs {
		if r.Status == StatusConfirmed || r.Status == StatusWaiting || r.Status == StatusPending {
			s.notify(ctx, e, r, "changed")
		}
	}
}

// SendReminders writes to every confirmed attendee of the event (the
// organiser or a scheduled job triggers it) and returns how many.
func (s *Service) SendReminders(ctx context.Context, eventID string) (int, error) {
	e, rs, err := s.Attendees(ctx, eventID)
	if err != nil {
		return 0, err
	}
	if !s.cfg.Now().Before(e.EndsAt) {
		return 0, store.ErrConflict
	}
	n := 0
	for _, r := range rs {
		if r.Status == StatusConfirmed {
			s.notify(ctx, e, r, "reminder")
			n++
		}
	}
	return n, nil
}

// DefaultReminderLead is how long before an event starts its scheduled
// reminder goes out.
const DefaultReminderLead = 24 * time.Hour

// RemindDue is the scheduled reminder job that serve runs periodically:
// every confirmed attendee of an event starting within lead from now gets
// one reminder. Each registration is claimed in the database before its
// e-mail is sent, so that a reminder goes out once even when the job runs
// again or on several nodes at the same time (a failed e-mail is logged,
// not retried). It returns how many reminders it sent.
func (s *Service) RemindDue(ctx context.Context, lead time.Duration) (int, error) {
	if lead <= 0 {
		lead = DefaultReminderLead
	}
	sys := access.WithScope(ctx, access.System)
	now := s.cfg.Now()
	evs, err := s.store.ListEvents(sys, Filter{From: now, To: now.Add(lead), Limit: 1000})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range evs {
		if !e.StartsAt.After(now) || e.StartsAt.After(now.Add(lead)) {
			continue
		}
		rs, err := s.store.ClaimEventReminders(sys, e.ID, now)
		if err != nil {
			return n, err
		}
		for _, r := range rs {
			s.notify(ctx, e, r, "reminder")
			n++
		}
	}
	return n, nil
}
