package facilities

import (
	"context"
	"errors"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Recurring bookings: the same local hours weekly for a number of weeks,
// all or nothing. Every week is decided by the same rules as a single
// request, in one transaction that holds the resource; if one week is
// refused (taken, closed, over quota...) none is written and the error
// names that week's date.

// MaxWeeks is the longest weekly series one request may book.
const MaxWeeks = 12

// Message keys of a refused series.
const (
	SeriesWeeks   = "error.booking.series_weeks"
	SeriesTaken   = "error.booking.series_taken"
	SeriesRefused = "error.booking.series_refused"
)

func init() {
	validate.Define(map[string]string{
		SeriesWeeks:   "must be a number of weeks from 1 to {max}",
		SeriesTaken:   "week {week} ({date}) overlaps a booking that holds this resource; nothing was booked",
		SeriesRefused: "week {week} ({date}) breaks the resource's rules; nothing was booked",
	})
}

// SeriesStore writes a series of bookings in one transaction: decide is
// called for each in order (with its index) against a snapshot that holds
// the ones before it; an error from any writes none.
type SeriesStore interface {
	CreateBookingSeries(ctx context.Context, bs []*Booking, decide func(int, Booking, Snapshot) ([]Step, error)) ([]Step, error)
}

// requestSeries books b weekly for weeks weeks (b being the first).
func (s *Service) requestSeries(ctx context.Context, f directory.Facility, b Booking, weeks int) (Booking, error) {
	ss, ok := s.store.(SeriesStore)
	if !ok {
		return b, errors.New("facilities: the store cannot write a series of bookings")
	}
	loc, err := schedule.Location(b.TimeZone)
	if err != nil {
		return b, validate.Errors{{Field: "time_zone", Code: schedule.InvalidTimeZone}}
	}
	bs := make([]*Booking, weeks)
	for i := range bs {
		nb := b
		// The same wall-clock hours each week, across a change of daylight
		// saving time.
		nb.StartsAt = b.StartsAt.In(loc).AddDate(0, 0, 7*i).UTC()
		nb.EndsAt = b.EndsAt.In(loc).AddDate(0, 0, 7*i).UTC()
		bs[i] = &nb
	}
	now := s.cfg.Now()
	failed := -1
	steps, err := ss.CreateBookingSeries(ctx, bs, func(i int, nb Booking, snap Snapshot) ([]Step, error) {
		failed = i
		snap.Now = now
		return DecideRequest(nb, snap, false)
	})
	if err != nil {
		if failed < 0 {
			return b, err
		}
		return b, seriesError(err, failed, bs[failed].StartsAt.In(loc))
	}
	s.notify(ctx, f, steps)
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Booking.ID == bs[0].ID {
			return steps[i].Booking, nil
		}
	}
	return *bs[0], nil
}

// seriesError names the refused week; the rule's own field errors follow.
func seriesError(err error, i int, start time.Time) error {
	args := map[string]any{"week": i + 1, "date": start.Format(time.DateOnly)}
	var ce *store.ConflictError
	if errors.As(err, &ce) && ce.Code == BookingTaken {
		return validate.Errors{{Field: "weeks", Code: SeriesTaken, Args: args}}
	}
	var fe validate.Errors
	if errors.As(err, &fe) {
		return append(validate.Errors{{Field: "weeks", Code: SeriesRefused, Args: args}}, fe...)
	}
	return err
}
