package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
)

var _ governance.RoadmapStore = (*DB)(nil)

// CreateItem stores a roadmap item with its owners.
func (db *DB) CreateItem(ctx context.Context, it *governance.Item) error {
	it.ID, it.Version, it.CreatedAt = newID(), 1, now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO governance_roadmap_items (id, kind, parent_id, title, description, starts, ends, due, status, version, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10)`, it.ID, it.Kind, nullable(it.ParentID), it.Title, it.Description, it.Starts, it.Ends, it.Due, it.Status, it.CreatedAt); err != nil {
			return err
		}
		for _, c := range it.Owners {
			if _, err := tx.ExecContext(ctx, `INSERT INTO governance_roadmap_owners (item_id, cluster_id) VALUES ($1, $2)`, it.ID, c); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "roadmap_item", it.ID, "create")
	}))
}

// GetItem returns one item with its owners and history.
func (db *DB) GetItem(ctx context.Context, id string) (governance.Item, error) {
	items, err := db.items(ctx, ` WHERE id = $1`, id)
	if err != nil {
		return governance.Item{}, err
	}
	if len(items) == 0 {
		return governance.Item{}, notFound("roadmap item", id)
	}
	return items[0], nil
}

// ListItems returns the whole roadmap, goals first, each kind by date.
func (db *DB) ListItems(ctx context.Context) ([]governance.Item, error) { return db.items(ctx, "") }

func (db *DB) items(ctx context.Context, where string, args ...any) ([]governance.Item, error) {
	rows, err := db.query(ctx, `SELECT id, kind, COALESCE(parent_id, ''), title, description, starts, ends, due, status, version, created_at
		FROM governance_roadmap_items`+where+` ORDER BY CASE kind WHEN 'goal' THEN 0 WHEN 'action' THEN 1 ELSE 2 END, starts, due, created_at`, args...)
	if err != nil {
		return nil, err
	}
	out := []governance.Item{}
	index := map[string]int{}
	for rows.Next() {
		var it governance.Item
		if err := rows.Scan(&it.ID, &it.Kind, &it.ParentID, &it.Title, &it.Description, &it.Starts, &it.Ends, &it.Due, &it.Status, &it.Version, &it.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		it.Owners, it.Updates = []string{}, []governance.Update{}
		index[it.ID] = len(out)
		out = append(out, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	owners, err := db.query(ctx, `SELECT item_id, cluster_id FROM governance_roadmap_owners ORDER BY item_id, cluster_id`)
	if err != nil {
		return nil, err
	}
	for owners.Next() {
		var id, c string
		if err := owners.Scan(&id, &c); err != nil {
			owners.Close()
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Owners = append(out[i].Owners, c)
		}
	}
	owners.Close()
	ups, err := db.query(ctx, `SELECT item_id, at, status, note, author FROM governance_roadmap_updates ORDER BY item_id, seq`)
	if err != nil {
		return nil, err
	}
	defer ups.Close()
	for ups.Next() {
		var id string
		var u governance.Update
		if err := ups.Scan(&id, &u.At, &u.Status, &u.Note, &u.By); err != nil {
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Updates = append(out[i].Updates, u)
		}
	}
	return out, ups.Err()
}

// AddUpdate sets an item's status and appends the update to its history.
func (db *DB) AddUpdate(ctx context.Context, id string, expected int, u governance.Update) (governance.Item, error) {
	err := db.Transact(ctx, func(tx *Tx) error {
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM governance_roadmap_items WHERE id = $1`, id).Scan(&cur); errors.Is(err, sql.ErrNoRows) {
			return notFound("roadmap item", id)
		} else if err != nil {
			return err
		}
		if expected != 0 && expected != cur {
			return fmt.Errorf("roadmap item %s: %w", id, store.ErrStale)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE governance_roadmap_items SET status = $2, version = $3 WHERE id = $1`, id, u.Status, cur+1); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO governance_roadmap_updates (item_id, seq, at, status, note, author)
			VALUES ($1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM governance_roadmap_updates WHERE item_id = $1), $2, $3, $4, $5)`, id, u.At.UTC().Truncate(1000), u.Status, u.Note, u.By); err != nil {
			return err
		}
		return tx.Change(ctx, "roadmap_item", id, "update")
	})
	if err != nil {
		return governance.Item{}, db.mapError(err)
	}
	return db.GetItem(ctx, id)
}

// UpdateItem writes an item's title, description, owners and dates.
func (db *DB) UpdateItem(ctx context.Context, it *governance.Item, expected int) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM governance_roadmap_items WHERE id = $1`, it.ID).Scan(&cur); errors.Is(err, sql.ErrNoRows) {
			return notFound("roadmap item", it.ID)
		} else if err != nil {
			return err
		}
		if expected != 0 && expected != cur {
			return fmt.Errorf("roadmap item %s: %w", it.ID, store.ErrStale)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE governance_roadmap_items SET title = $2, description = $3, starts = $4, ends = $5, due = $6, version = $7
			WHERE id = $1`, it.ID, it.Title, it.Description, it.Starts, it.Ends, it.Due, cur+1); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM governance_roadmap_owners WHERE item_id = $1`, it.ID); err != nil {
			return err
		}
		for _, c := range it.Owners {
			if _, err := tx.ExecContext(ctx, `INSERT INTO governance_roadmap_owners (item_id, cluster_id) VALUES ($1, $2)`, it.ID, c); err != nil {
				return err
			}
		}
		it.Version = cur + 1
		return tx.Change(ctx, "roadmap_item", it.ID, "update")
	}))
}

// OverdueItems lists the open actions and milestones past their date
// whose owners were not reminded of it.
func (db *DB) OverdueItems(ctx context.Context, today string) ([]governance.Item, error) {
	return db.items(ctx, ` WHERE status IN ('planned', 'running') AND (
		(kind = 'milestone' AND due <> '' AND due < $1 AND NOT EXISTS (SELECT 1 FROM governance_roadmap_reminders r WHERE r.item_id = id AND r.date = due)) OR
		(kind = 'action' AND ends <> '' AND ends < $1 AND NOT EXISTS (SELECT 1 FROM governance_roadmap_reminders r WHERE r.item_id = id AND r.date = ends)))`, today)
}

// MarkReminded records a reminder; false when it was recorded before.
func (db *DB) MarkReminded(ctx context.Context, itemID, date string, at time.Time) (bool, error) {
	var n int64
	err := db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO governance_roadmap_reminders (item_id, date, sent_at) VALUES ($1, $2, $3)
			ON CONFLICT (item_id, date) DO NOTHING`, itemID, date, at.UTC().Truncate(time.Microsecond))
		if err != nil {
			return err
		}
		if n, err = res.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return tx.Change(ctx, "roadmap_item", itemID, "remind")
	})
	return n > 0, db.mapError(err)
}
