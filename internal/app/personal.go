package app

import (
	"context"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/facilities"
)

// personalRecordsStore is what the personal-data download reads of the
// facilities (accounts may not import them).
type personalRecordsStore interface {
	ListBookings(ctx context.Context, f facilities.Filter) ([]facilities.Booking, error)
	ListCalendarTokens(ctx context.Context, userID string) ([]facilities.CalendarToken, error)
}

// addPersonalRecords registers, for the download of one's own data, the
// bookings a person requested and their calendar feeds (without secrets).
func addPersonalRecords(acc *accounts.Service, st personalRecordsStore) {
	acc.AddPersonalRecords("bookings", func(ctx context.Context, userID string) (any, error) {
		return st.ListBookings(ctx, facilities.Filter{RequesterID: userID, Limit: 5000})
	})
	acc.AddPersonalRecords("calendar_feeds", func(ctx context.Context, userID string) (any, error) {
		return st.ListCalendarTokens(ctx, userID)
	})
}
