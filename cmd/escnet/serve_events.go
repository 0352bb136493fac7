package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/escnet/escnet/internal/events"
)

// runEventReminders runs the events' reminder job every d until ctx ends:
// attendees of events starting within lead get their reminder, once (the
// database claims each, so several nodes may run the job).
func runEventReminders(ctx context.Context, svc *events.Service, d, lead time.Duration, logger *slog.Logger) {
	if d <= 0 {
		return
	}
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			n, err := svc.RemindDue(ctx, lead)
			if err != nil {
				logger.Warn("event reminders", "err", err)
			} else if n > 0 {
				logger.Info("event reminders", "sent", n)
			}
		}
	}
}
