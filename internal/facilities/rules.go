package facilities

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Interval is a span of time [Start, End): schedule's.
type Interval = schedule.Interval

// BookedOpenTime is how much of booking [s, e) falls within r's opening
// hours: what quotas and usage count.
func BookedOpenTime(r Resource, loc *time.Location, s, e time.Time) time.Duration {
	return schedule.OpenTime(r.OpeningHours, loc, s, e)
}

// ValidateResource normalises r and reports every bad field.
func ValidateResource(r *Resource) error {
	var errs validate.Errors
	r.Slug = strings.ToLower(strings.TrimSpace(r.Slug))
	r.Name = strings.TrimSpace(r.Name)
	r.Description = strings.TrimSpace(r.Description)
	errs.Slug("slug", r.Slug)
	errs.Text("name", r.Name, true, 200)
	errs.Choice("kind", r.Kind, true, ResourceKinds...)
	errs.Text("description", r.Description, false, 5000)
	if r.Approval == "" {
		r.Approval = ApprovalApprovers
	}
	errs.Choice("approval", r.Approval, true, Approvals...)
	const year = 366 * 24 * 60
	if r.MinMinutes == 0 {
		r.MinMinutes = 30
	}
	if r.MaxMinutes == 0 {
		r.MaxMinutes = 14 * 24 * 60
	}
	for _, c := range []struct {
		field string
		v     int
		lo    int
	}{{"capacity", r.Capacity, 0}, {"min_minutes", r.MinMinutes, 1}, {"max_minutes", r.MaxMinutes, 1},
		{"lead_minutes", r.LeadMinutes, 0}, {"buffer_minutes", r.BufferMinutes, 0}} {
		if c.v < c.lo || c.v > year {
			errs.Add(c.field, validate.InvalidChoice, "choices", fmt.Sprintf("%d..%d", c.lo, year))
		}
	}
	if r.MaxMinutes < r.MinMinutes {
		errs.Add("max_minutes", validate.InvalidChoice, "choices", fmt.Sprintf("%d or more (min_minutes)", r.MinMinutes))
	}
	if r.OpeningHours == nil {
		r.OpeningHours = []Opening{}
	}
	schedule.CheckOpenings(&errs, "opening_hours", r.OpeningHours)
	if r.Quotas == nil {
		r.Quotas = []Quota{}
	}
	for i, q := range r.Quotas {
		f := fmt.Sprintf("quotas[%d]", i)
		errs.Choice(f+".period", q.Period, true, PeriodWeek, PeriodMonth)
		errs.Choice(f+".unit", q.Unit, true, UnitHours, UnitBookings)
		if q.Limit < 1 || q.Limit > 100000 {
			errs.Add(f+".limit", validate.InvalidChoice, "choices", "1..100000")
		}
	}
	return errs.Err()
}

// ValidateBlackout checks a blackout period.
func ValidateBlackout(b *Blackout) error {
	var errs validate.Errors
	b.Reason = strings.TrimSpace(b.Reason)
	if b.Kind == "" {
		b.Kind = "blackout"
	}
	errs.Choice("kind", b.Kind, true, BlackoutKinds...)
	errs.Text("reason", b.Reason, false, 500)
	if !b.EndsAt.After(b.StartsAt) {
		errs.Add("ends_at", schedule.NotAfterStart)
	}
	return errs.Err()
}

// QuotaWindow is the span in which the booking organisation's bookings
// count towards r's quotas for a booking starting at start: the widest of
// the periods that contain start.
func QuotaWindow(r Resource, loc *time.Location, start time.Time) (time.Time, time.Time) {
	from, to := start, start
	for _, q := range r.Quotas {
		s, e := schedule.Period(q.Period, start, loc)
		if s.Before(from) {
			from = s
		}
		if e.After(to) {
			to = e
		}
	}
	return from, to
}

// countsForQuota reports whether a booking in status s uses quota.
func countsForQuota(s string) bool {
	return s == StatusRequested || Holds(s) || s == StatusCompleted
}

// CheckRules checks a booking against the resource's rules at s.Now:
// length, lead time, opening hours, blackouts and quotas. It does not look
// at other bookings' slots (see conflicts).
func CheckRules(b Booking, s Snapshot) error {
	var errs validate.Errors
	r := s.Resource
	loc, err := schedule.Location(b.TimeZone)
	if err != nil {
		errs.Add("time_zone", schedule.InvalidTimeZone)
		return errs
	}
	if !b.EndsAt.After(b.StartsAt) {
		errs.Add("ends_at", schedule.NotAfterStart)
		return errs
	}
	switch lead := time.Duration(r.LeadMinutes) * time.Minute; {
	case !b.StartsAt.After(s.Now):
		errs.Add("starts_at", BookingInPast)
	case b.StartsAt.Before(s.Now.Add(lead)):
		errs.Add("starts_at", BookingLeadTime, "minutes", r.LeadMinutes)
	}
	length := b.Minutes()
	if length < r.MinMinutes {
		errs.Add("ends_at", BookingTooShort, "length", length, "min", r.MinMinutes)
	}
	if length > r.MaxMinutes {
		errs.Add("ends_at", BookingTooLong, "length", length, "max", r.MaxMinutes)
	}
	if len(errs) > 0 {
		return errs // the rest needs a sane span
	}
	startOK, endOK := schedule.Within(r.OpeningHours, loc, b.StartsAt, b.EndsAt)
	if !startOK {
		errs.Add("starts_at", BookingClosed)
	}
	if !endOK {
		errs.Add("ends_at", BookingClosed)
	}
	span := Interval{Start: b.StartsAt, End: b.EndsAt}
	for _, bo := range s.Blackouts {
		if (bo.ResourceID == "" || bo.ResourceID == r.ID) && span.Overlaps(Interval{Start: bo.StartsAt, End: bo.EndsAt}) {
			errs.Add("starts_at", BookingBlackout, "kind", bo.Kind, "reason", bo.Reason)
			break
		}
	}
	if b.OrganisationID != s.Facility.OrganisationID {
		for _, q := range r.Quotas {
			ps, pe := schedule.Period(q.Period, b.StartsAt, loc)
			used := quotaUse(q, r, loc, b)
			for _, o := range s.OrgBookings {
				if o.ID != b.ID && o.OrganisationID == b.OrganisationID && countsForQuota(o.Status) &&
					!o.StartsAt.Before(ps) && o.StartsAt.Before(pe) {
					used += quotaUse(q, r, loc, o)
				}
			}
			if used > float64(q.Limit) {
				errs.Add("starts_at", BookingQuota, "limit", q.Limit, "unit", q.Unit, "period", q.Period)
				break
			}
		}
	}
	return errs.Err()
}

// quotaUse is what one booking counts against q: one booking, or the
// hours it covers inside opening hours.
func quotaUse(q Quota, r Resource, loc *time.Location, b Booking) float64 {
	if q.Unit == UnitBookings {
		return 1
	}
	return BookedOpenTime(r, loc, b.StartsAt, b.EndsAt).Hours()
}

// blocks reports whether holding booking o keeps b's slot: their spans,
// each widened by its buffer at the end, overlap. Buffers thus hold on
// both sides, and the database constraint checks the same spans.
func blocks(o, b Booking) bool {
	return o.ID != b.ID && Holds(o.Status) && o.StartsAt.Before(b.BlockedUntil) && b.StartsAt.Before(o.BlockedUntil)
}

func conflicts(b Booking, nearby []Booking) bool {
	return slices.ContainsFunc(nearby, func(o Booking) bool { return blocks(o, b) })
}

func errTaken() error { return &store.ConflictError{Field: "starts_at", Code: BookingTaken} }

func errTransition() error {
	return &store.ConflictError{Field: "status", Code: BookingTransition}
}
