package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// channel is the NOTIFY channel of the change feed (migration 0019).
const channel = "escnet_changes"

// Listen holds a dedicated connection that LISTENs on the change feed's
// channel and calls wake for every notification from this database's
// schema, until ctx ends. A lost connection is logged and made again with
// a growing pause; meanwhile the feed polls.
func (d dialect) Listen(ctx context.Context, wake func()) {
	pause := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, d.dsn, wake)
		if ctx.Err() != nil {
			return
		}
		slog.Warn("change feed: LISTEN failed; polling until it is back", "err", oneLine(err), "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

func listenOnce(ctx context.Context, dsn string, wake func()) error {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	var schema string
	if err := conn.QueryRow(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return fmt.Errorf("current schema: %w", err)
	}
	if _, err := conn.Exec(ctx, `LISTEN `+channel); err != nil {
		return err
	}
	// Commits while there was no connection were not heard: look now.
	wake()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload == schema {
			wake()
		}
	}
}
