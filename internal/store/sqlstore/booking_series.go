package sqlstore

import (
	"context"

	"github.com/escnet/escnet/internal/facilities"
)

// CreateBookingSeries decides and writes several new bookings of one
// resource in one transaction: each is decided against a snapshot that
// holds the ones before it, and if any is refused none is written.
func (db *DB) CreateBookingSeries(ctx context.Context, bs []*facilities.Booking, decide func(int, facilities.Booking, facilities.Snapshot) ([]facilities.Step, error)) ([]facilities.Step, error) {
	var all []facilities.Step
	err := db.Transact(ctx, func(tx *Tx) error {
		all = nil
		for i, b := range bs {
			b.ID = newID()
			b.UpdatedAt = now()
			b.CreatedAt = b.UpdatedAt
			s, err := bookingSnapshot(ctx, tx, b.ResourceID, b.OrganisationID, b.StartsAt, b.EndsAt)
			if err != nil {
				return err
			}
			steps, err := decide(i, *b, s)
			if err != nil {
				return err
			}
			if err := writeSteps(ctx, tx, steps, b.ID); err != nil {
				return err
			}
			all = append(all, steps...)
		}
		return nil
	})
	if err != nil {
		return nil, db.mapBookingError(err)
	}
	return all, nil
}
