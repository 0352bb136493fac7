package web

import (
	"net/http"
	"time"

	"github.com/escnet/escnet/internal/events"
)

// calendarDays says, for each event, on which local dates the month view
// shows it: a training with sessions (a course's repeating sessions) on
// the days of its sessions, any other event on every day it spans.
func (s *Server) calendarDays(r *http.Request, evs []events.Event) []func(day string) bool {
	out := make([]func(string) bool, len(evs))
	for i, e := range evs {
		loc := e.Location()
		from, to := e.StartsAt.In(loc).Format(time.DateOnly), e.EndsAt.In(loc).Format(time.DateOnly)
		out[i] = func(day string) bool { return from <= day && day <= to }
		if e.Kind != events.KindTraining || from == to {
			continue
		}
		full, err := s.ev.GetEvent(r.Context(), e.ID)
		if err != nil || len(full.Sessions) == 0 {
			continue
		}
		on := map[string]bool{}
		for _, ses := range full.Sessions {
			for d := ses.StartsAt.In(loc); d.Format(time.DateOnly) <= ses.EndsAt.In(loc).Format(time.DateOnly); d = d.AddDate(0, 0, 1) {
				on[d.Format(time.DateOnly)] = true
			}
		}
		out[i] = func(day string) bool { return on[day] }
	}
	return out
}
