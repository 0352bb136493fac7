package sqlstore

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/events"
)

// ClaimEventReminders marks the event's confirmed registrations that have
// not had their reminder yet as reminded at at, and returns them. The
// claim is one conditional UPDATE (reminded_at IS NULL): when two nodes
// run the reminder job at once, each registration goes to exactly one of
// them.
func (db *DB) ClaimEventReminders(ctx context.Context, eventID string, at time.Time) ([]events.Registration, error) {
	var out []events.Registration
	err := db.Transact(ctx, func(tx *Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE registrations SET reminded_at = $2
			WHERE event_id = $1 AND status = 'confirmed' AND reminded_at IS NULL RETURNING id`, eventID, at.UTC())
		if err != nil {
			return err
		}
		var ids []any
		var marks []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			marks = append(marks, "$"+strconv.Itoa(len(ids)))
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(ids) == 0 {
			out = nil
			return err
		}
		out, err = listRegs(ctx, tx.QueryContext, `r.id IN (`+strings.Join(marks, ", ")+`)`, ids...)
		return err
	})
	return out, db.mapError(err)
}
