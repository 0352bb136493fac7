package mail

import (
	"context"
	"log/slog"

	"github.com/escnet/escnet/internal/store"
)

// Deferred sends through Sender, except that a message sent inside a
// store transaction (store.Transactor) waits until the transaction
// commits, and is never sent when it rolls back: nobody receives a link
// to a record that does not exist. A deferred message's failure is logged.
type Deferred struct {
	Sender Sender
	Logger *slog.Logger
}

// Send sends m now, or once the transaction of ctx commits.
func (d Deferred) Send(ctx context.Context, m Message) error {
	later := store.OnCommit(ctx, func() {
		if err := d.Sender.Send(context.WithoutCancel(ctx), m); err != nil {
			l := d.Logger
			if l == nil {
				l = slog.Default()
			}
			l.WarnContext(ctx, "e-mail after commit", "to", m.To, "err", err)
		}
	})
	if later {
		return nil
	}
	return d.Sender.Send(ctx, m)
}
