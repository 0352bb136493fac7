package sqlstore

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/audit"
)

// Audit appends an entry to the audit log inside the transaction, with the
// actor from ctx.
func (tx *Tx) Audit(ctx context.Context, action, entity, entityID, detail string) error {
	a := audit.ActorFrom(ctx)
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_label, ip, request_id, action, entity, entity_id, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		now(), a.UserID, a.Label, a.IP, a.RequestID, action, entity, entityID, detail)
	return err
}

// Audit appends an entry outside any other write (a login, a failed login,
// an export).
func (db *DB) Audit(ctx context.Context, action, entity, entityID, detail string) error {
	return db.Transact(ctx, func(tx *Tx) error { return tx.Audit(ctx, action, entity, entityID, detail) })
}

// AuditLog reads the log, newest first.
func (db *DB) AuditLog(ctx context.Context, f audit.Filter) ([]audit.Entry, error) {
	var w where
	if f.Action != "" {
		w.add("action LIKE " + w.arg(likeEscape(f.Action)+"%") + ` ESCAPE '\'`)
	}
	if f.EntityID != "" {
		w.add("entity_id = " + w.arg(f.EntityID))
	}
	if f.UserID != "" {
		w.add("actor_id = " + w.arg(f.UserID))
	}
	if f.Before > 0 {
		w.add("id < " + w.arg(f.Before))
	}
	limit := f.Limit
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	q := fmt.Sprintf(`SELECT id, at, actor_id, actor_label, ip, request_id, action, entity, entity_id, detail FROM audit_log%s ORDER BY id DESC LIMIT %s`,
		w.sql(), w.arg(limit))
	rows, err := db.query(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []audit.Entry{}
	for rows.Next() {
		var e audit.Entry
		if err := rows.Scan(&e.ID, &e.At, &e.Actor.UserID, &e.Actor.Label, &e.Actor.IP, &e.Actor.RequestID, &e.Action, &e.Entity, &e.EntityID, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
