package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
)

var _ governance.Store = (*DB)(nil)

// Criteria returns the criteria for joining; the defaults until the
// alliance administrator sets them.
func (db *DB) Criteria(ctx context.Context) (governance.Criteria, error) {
	var data string
	c := governance.DefaultCriteria
	err := db.queryRow(ctx, `SELECT data, version, updated_at FROM governance_criteria WHERE id = 1`).Scan(&data, &c.Version, &c.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	v, at := c.Version, c.UpdatedAt
	c = governance.Criteria{}
	if err := json.Unmarshal([]byte(data), &c); err != nil {
		return c, err
	}
	c.Version, c.UpdatedAt = v, at
	return c, nil
}

// SetCriteria replaces the criteria when expected is 0 or current.
func (db *DB) SetCriteria(ctx context.Context, c *governance.Criteria, expected int) error {
	b, err := json.Marshal(c)
	if err != nil {
		return err
	}
	c.UpdatedAt = now()
	return db.Transact(ctx, func(tx *Tx) error {
		var cur int
		err := tx.QueryRowContext(ctx, `SELECT version FROM governance_criteria WHERE id = 1`).Scan(&cur)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if expected > 1 {
				return store.ErrStale
			}
			c.Version = 1
			_, err = tx.ExecContext(ctx, `INSERT INTO governance_criteria (id, data, version, updated_at) VALUES (1, $1, 1, $2)`, string(b), c.UpdatedAt)
		case err != nil:
			return err
		default:
			if expected != 0 && expected != cur {
				return store.ErrStale
			}
			c.Version = cur + 1
			_, err = tx.ExecContext(ctx, `UPDATE governance_criteria SET data = $1, version = $2, updated_at = $3 WHERE id = 1`, string(b), c.Version, c.UpdatedAt)
		}
		if err != nil {
			return err
		}
		return tx.Change(ctx, "governance_criteria", "1", "update")
	})
}

// CreateJoinApplication stores a new application.
func (db *DB) CreateJoinApplication(ctx context.Context, a *governance.Application) error {
	a.ID, a.Version = newID(), 1
	a.CreatedAt = now()
	a.UpdatedAt = a.CreatedAt
	data, err := joinApplicationData(a)
	if err != nil {
		return err
	}
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO governance_applications (id, token_hash, name, state, reason, data, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8)`, a.ID, a.TokenHash, a.Name, a.State, a.Reason, data, a.CreatedAt, a.UpdatedAt)
		if err != nil {
			return err
		}
		return tx.Change(ctx, "application", a.ID, "create")
	}))
}

// joinApplicationData is the profile part of a as JSON (the columns and the
// notes are kept apart).
func joinApplicationData(a *governance.Application) (string, error) {
	c := *a
	c.ID, c.State, c.Reason, c.ClusterID, c.Notes, c.Version, c.TokenHash = "", "", "", "", nil, 0, ""
	b, err := json.Marshal(c)
	return string(b), err
}

const joinApplicationCols = `id, token_hash, state, reason, COALESCE(cluster_id, ''), data, version, created_at, updated_at`

func scanJoinApplication(row interface{ Scan(...any) error }) (governance.Application, error) {
	var a governance.Application
	var id, hash, state, reason, cluster, data string
	var version int
	var created, updated = &a.CreatedAt, &a.UpdatedAt
	if err := row.Scan(&id, &hash, &state, &reason, &cluster, &data, &version, created, updated); err != nil {
		return a, err
	}
	c, u := a.CreatedAt, a.UpdatedAt
	if err := json.Unmarshal([]byte(data), &a); err != nil {
		return a, err
	}
	a.ID, a.TokenHash, a.State, a.Reason, a.ClusterID, a.Version, a.CreatedAt, a.UpdatedAt = id, hash, state, reason, cluster, version, c, u
	return a, nil
}

func (db *DB) oneJoinApplication(ctx context.Context, where string, arg any) (governance.Application, error) {
	a, err := scanJoinApplication(db.queryRow(ctx, `SELECT `+joinApplicationCols+` FROM governance_applications WHERE `+where+` = $1`, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("application", "")
	}
	if err != nil {
		return a, err
	}
	a.Notes, err = db.joinApplicationNotes(ctx, a.ID)
	return a, err
}

func (db *DB) joinApplicationNotes(ctx context.Context, id string) ([]governance.Note, error) {
	rows, err := db.query(ctx, `SELECT at, kind, author, text FROM governance_application_notes WHERE application_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []governance.Note{}
	for rows.Next() {
		var n governance.Note
		if err := rows.Scan(&n.At, &n.Kind, &n.Author, &n.Text); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// GetJoinApplication returns an application by id, with its notes.
func (db *DB) GetJoinApplication(ctx context.Context, id string) (governance.Application, error) {
	return db.oneJoinApplication(ctx, "id", id)
}

// JoinApplicationByToken returns the application of a private link's hash.
func (db *DB) JoinApplicationByToken(ctx context.Context, hash string) (governance.Application, error) {
	return db.oneJoinApplication(ctx, "token_hash", hash)
}

// ListJoinApplications returns the applications in state (all when empty),
// newest first, without their notes.
func (db *DB) ListJoinApplications(ctx context.Context, state string) ([]governance.Application, error) {
	q, args := `SELECT `+joinApplicationCols+` FROM governance_applications`, []any{}
	if state != "" {
		q, args = q+` WHERE state = $1`, append(args, state)
	}
	rows, err := db.query(ctx, q+` ORDER BY created_at DESC, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []governance.Application{}
	for rows.Next() {
		a, err := scanJoinApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// UpdateJoinApplication writes the state, reason and cluster of a and appends
// note, when expected is 0 or the current version.
func (db *DB) UpdateJoinApplication(ctx context.Context, a *governance.Application, expected int, note governance.Note) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var cur int
		err := tx.QueryRowContext(ctx, `SELECT version FROM governance_applications WHERE id = $1`, a.ID).Scan(&cur)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("application", a.ID)
		} else if err != nil {
			return err
		}
		if expected != 0 && expected != cur {
			return fmt.Errorf("application %s: %w", a.ID, store.ErrStale)
		}
		a.Version, a.UpdatedAt = cur+1, now()
		_, err = tx.ExecContext(ctx, `UPDATE governance_applications SET state = $2, reason = $3, cluster_id = $4, version = $5, updated_at = $6 WHERE id = $1`,
			a.ID, a.State, a.Reason, nullable(a.ClusterID), a.Version, a.UpdatedAt)
		if err != nil {
			return err
		}
		if note.Kind != "" {
			_, err = tx.ExecContext(ctx, `INSERT INTO governance_application_notes (application_id, seq, at, kind, author, text)
				VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM governance_application_notes WHERE application_id = $1), $2, $3, $4, $5)`,
				a.ID, note.At.UTC().Truncate(1000), note.Kind, note.Author, note.Text)
			if err != nil {
				return err
			}
			a.Notes = append(a.Notes, note)
		}
		return tx.Change(ctx, "application", a.ID, "update")
	}))
}
