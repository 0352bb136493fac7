package events

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// OrganiserClusters lists the clusters the viewer may organise events
// for (all for the alliance administrator, else the ones they manage);
// store.ErrForbidden when none, or the token may not write.
func (s *Service) OrganiserClusters(ctx context.Context) ([]directory.Cluster, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed || (!v.AllianceAdmin && len(v.ManagedClusters) == 0) {
		return nil, store.ErrForbidden
	}
	page, err := s.dir.ListClusters(access.WithScope(ctx, access.System), directory.Filter{NoCounts: true, Limit: 1000})
	if err != nil {
		return nil, err
	}
	var out []directory.Cluster
	for _, c := range page.Items {
		if v.AllianceAdmin || slices.Contains(v.ManagedClusters, c.ID) {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		return nil, store.ErrForbidden
	}
	return out, nil
}

// LocalSpan is a time span as a form gives it: local dates and times in
// the venue's zone ("2026-06-01T10:00").
type LocalSpan struct {
	StartsAt string `json:"starts_at"`
	EndsAt   string `json:"ends_at"`
}

// Unavailability returns an attendee's registration, its event and the
// times they cannot meet: for the attendee themself and the organisers.
func (s *Service) Unavailability(ctx context.Context, registrationID string) (Event, Registration, []Unavailable, error) {
	r, e, _, err := s.registrationFor(ctx, registrationID)
	if err != nil {
		return Event{}, Registration{}, nil, err
	}
	all, err := s.store.ListUnavailable(ctx, e.ID)
	if err != nil {
		return e, r, nil, err
	}
	var out []Unavailable
	for _, u := range all {
		if u.RegistrationID == r.ID {
			out = append(out, u)
		}
	}
	return e, r, out, nil
}

// SetUnavailableLocal is SetUnavailable with local times in the venue's
// zone: a time the clocks skip, or one that is not a time, is refused
// naming its line (times[i].starts_at).
func (s *Service) SetUnavailableLocal(ctx context.Context, registrationID string, spans []LocalSpan) error {
	_, e, _, err := s.registrationFor(ctx, registrationID)
	if err != nil {
		return err
	}
	loc := e.location()
	var errs validate.Errors
	times := make([]Unavailable, len(spans))
	for i, sp := range spans {
		f := fmt.Sprintf("times[%d]", i)
		times[i].StartsAt = parseTime(&errs, f+".starts_at", sp.StartsAt, loc)
		times[i].EndsAt = parseTime(&errs, f+".ends_at", sp.EndsAt, loc)
	}
	if len(errs) > 0 {
		return errs
	}
	return s.SetUnavailable(ctx, registrationID, times)
}

// Repeat makes a session recur: weekly or monthly (every Interval weeks
// or months, 1 when 0), Count occurrences in all or up to Until (a local
// date, inclusive), the same wall-clock hours each time.
type Repeat struct {
	Freq     string `json:"freq"`
	Interval int    `json:"interval"`
	Count    int    `json:"count"`
	Until    string `json:"until"`
}

// Recurrence frequencies.
const (
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
)

// MaxOccurrences is the most sessions one repeating session may make.
const MaxOccurrences = 52

// occurrences expands a repeating session input into the local start and
// end of each occurrence ("2006-01-02T15:04"), refusing a bad rule
// naming the field.
func occurrences(in SessionInput, loc *time.Location) ([]SessionInput, validate.Errors) {
	rp := in.Repeat
	var errs validate.Errors
	errs.Choice("repeat.freq", rp.Freq, true, RepeatWeekly, RepeatMonthly)
	if rp.Interval < 0 || rp.Interval > 12 {
		errs.Add("repeat.interval", validate.InvalidFormat)
	}
	if (rp.Count == 0) == (rp.Until == "") {
		errs.Add("repeat.count", validate.Required)
	}
	if rp.Count < 0 || rp.Count > MaxOccurrences {
		errs.Add("repeat.count", validate.InvalidFormat)
	}
	var until time.Time
	if rp.Until != "" {
		t, err := time.ParseInLocation(time.DateOnly, rp.Until, loc)
		if err != nil {
			errs.Add("repeat.until", validate.InvalidFormat)
		}
		until = t.AddDate(0, 0, 1)
	}
	start, _ := schedule.ParseLocal(in.StartsAt, loc)
	end, _ := schedule.ParseLocal(in.EndsAt, loc)
	if len(errs) > 0 || start.IsZero() || end.IsZero() {
		return nil, errs // the first occurrence's own errors come from BuildSession
	}
	step := max(1, rp.Interval)
	var out []SessionInput
	s0, e0 := start.In(loc), end.In(loc)
	for i := 0; len(out) <= MaxOccurrences && i < 10*MaxOccurrences; i++ {
		var s, e time.Time
		if rp.Freq == RepeatWeekly {
			s, e = s0.AddDate(0, 0, 7*step*i), e0.AddDate(0, 0, 7*step*i)
		} else {
			s, e = s0.AddDate(0, step*i, 0), e0.AddDate(0, step*i, 0)
			if s.Day() != s0.Day() { // no 31 February: that month is skipped
				continue
			}
		}
		if rp.Count > 0 && len(out) == rp.Count || rp.Count == 0 && !s.Before(until) {
			break
		}
		occ := in
		occ.Repeat = nil
		occ.StartsAt = s.Format("2006-01-02") + "T" + s0.Format("15:04")
		occ.EndsAt = e.Format("2006-01-02") + "T" + e0.Format("15:04")
		out = append(out, occ)
	}
	if len(out) > MaxOccurrences {
		errs.Add("repeat.until", validate.InvalidFormat)
	}
	return out, errs
}

// buildSeries validates each occurrence as a session of e; an error names
// the occurrence (repeat: its date) and the field.
func buildSeries(e Event, occ []SessionInput) ([]Session, error) {
	out := make([]Session, 0, len(occ))
	for i, in := range occ {
		ses, err := BuildSession(e, in)
		if err != nil {
			if i == 0 {
				return nil, err
			}
			date, _, _ := strings.Cut(in.StartsAt, "T")
			return nil, validate.Errors{{Field: "repeat", Code: OccurrenceRefused, Args: map[string]any{"n": i + 1, "date": date}}}
		}
		out = append(out, ses)
	}
	return out, nil
}

// OccurrenceRefused is the message of an occurrence of a repeating
// session that is not valid (outside the event, a DST gap...).
const OccurrenceRefused = "error.event.occurrence_refused"

// RepeatOnAdd refuses a repeat rule when a session is changed.
const RepeatOnAdd = "error.event.repeat_on_add"

func init() {
	validate.Define(map[string]string{
		OccurrenceRefused: "occurrence {n} ({date}) is not valid (outside the event, or at a time the clocks skip); no session was added",
		RepeatOnAdd:       "a session repeats only when it is added; change each occurrence on its own",
	})
}
