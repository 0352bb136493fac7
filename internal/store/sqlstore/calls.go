package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
)

var _ calls.Store = (*DB)(nil)

// callCols selects a call; lists leave out the two long texts
// (description and conditions), which only a single call carries.
const (
	callCols = `c.id, c.title, c.programme, c.call_identifier, c.action_type, c.stage, c.deadline,
	c.budget_min, c.budget_max, c.expected_grants, c.keywords, c.portal_url, c.text_repaired,
	c.rules, c.unparsed, c.created_at, c.updated_at, c.version, c.sort_key, c.opens, c.portal_status`
	callTextCols = `, c.description, c.conditions`
)

// noDeadline sorts calls without a deadline after all others.
const noDeadline = "9999-12-31"

func callSortKey(c *calls.Call) string {
	d := c.Deadline
	if d == "" {
		d = noDeadline
	}
	return d + " " + directory.Fold(c.Title)
}

func scanCall(r interface{ Scan(...any) error }, extra ...any) (keyed[calls.Call], error) {
	var c calls.Call
	var key, keywords, rules, unparsed string
	dest := []any{&c.ID, &c.Title, &c.Programme, &c.CallIdentifier, &c.ActionType, &c.Stage, &c.Deadline,
		&c.BudgetMin, &c.BudgetMax, &c.ExpectedGrants, &keywords, &c.PortalURL, &c.TextRepaired,
		&rules, &unparsed, &c.CreatedAt, &c.UpdatedAt, &c.Version, &key, &c.Opens, &c.PortalStatus}
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return keyed[calls.Call]{}, err
	}
	for _, col := range []struct {
		text string
		into any
	}{{keywords, &c.Keywords}, {rules, &c.Rules}, {unparsed, &c.Unparsed}} {
		if err := json.Unmarshal([]byte(col.text), col.into); err != nil {
			return keyed[calls.Call]{}, err
		}
	}
	c.Keywords, c.Rules, c.Unparsed = orEmpty(c.Keywords), orEmptyOf(c.Rules), orEmptyOf(c.Unparsed)
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return keyed[calls.Call]{c, key, c.ID}, nil
}

func orEmptyOf[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// ListCalls lists calls by deadline, then title, without their
// descriptions and conditions texts.
func (db *DB) ListCalls(ctx context.Context, f calls.Filter) (directory.Page[calls.Call], error) {
	var w where
	w.text("c.search_text", f.Query)
	if f.Programme != "" {
		w.add("c.programme = " + w.arg(f.Programme))
	}
	if f.ActionType != "" {
		w.add("c.action_type = " + w.arg(f.ActionType))
	}
	if f.DeadlineAfter != "" {
		w.add("c.deadline <> '' AND c.deadline >= " + w.arg(f.DeadlineAfter))
	}
	callStatus(&w, f)
	p, _, err := page(ctx, db, directory.Filter{Limit: f.Limit, Cursor: f.Cursor}, static(callCols), "calls c", "c", &w,
		func(r *sql.Rows) (keyed[calls.Call], error) { return scanCall(r) })
	return p, err
}

// callStatus adds the condition of f.Status: a call is closed when its
// deadline is before f.OpenFrom, forthcoming (when not closed) when it
// opens after f.Today or, with no opening day, the portal said so.
func callStatus(w *where, f calls.Filter) {
	if f.OpenFrom == "" {
		return
	}
	open := "(c.deadline = '' OR c.deadline >= " + w.arg(f.OpenFrom) + ")"
	// Only the conditions used may number their parameters.
	forthcoming := func() string {
		return "(c.opens > " + w.arg(f.Today) + " OR (c.opens = '' AND c.portal_status = " + w.arg(calls.StatusForthcoming) + "))"
	}
	switch f.Status {
	case calls.StatusCurrent:
		w.add(open)
	case calls.StatusClosed:
		w.add("NOT " + open)
	case calls.StatusForthcoming:
		w.add(open + " AND " + forthcoming())
	case calls.StatusOpen:
		w.add(open + " AND NOT " + forthcoming())
	}
}

// GetCall returns the call with that topic identifier, with its texts.
func (db *DB) GetCall(ctx context.Context, id string) (calls.Call, error) {
	var desc, cond string
	k, err := scanCall(db.queryRow(ctx, `SELECT `+callCols+callTextCols+` FROM calls c WHERE c.id = $1`, id), &desc, &cond)
	if errors.Is(err, sql.ErrNoRows) {
		return calls.Call{}, notFound("call", id)
	}
	k.item.Description, k.item.Conditions = desc, cond
	return k.item, err
}

// writeCall inserts or replaces c. hash is the digest of the call as
// imported; nil leaves the stored one (an edit by a person).
// On update, expect other than 0 is the version the row must still have
// (store.ErrStale otherwise).
func writeCall(ctx context.Context, tx *Tx, c *calls.Call, create bool, hash *string, expect int) error {
	c.Keywords, c.Rules, c.Unparsed = orEmpty(c.Keywords), orEmptyOf(c.Rules), orEmptyOf(c.Unparsed)
	keywords, err := json.Marshal(c.Keywords)
	if err != nil {
		return err
	}
	rules, err := json.Marshal(c.Rules)
	if err != nil {
		return err
	}
	unparsed, err := json.Marshal(c.Unparsed)
	if err != nil {
		return err
	}
	search := directory.SearchText(c.ID, c.Title, c.CallIdentifier, c.Programme, c.ActionType, strings.Join(c.Keywords, " "), c.Description)
	args := []any{c.ID, c.Title, callSortKey(c), search, c.Description, c.Programme, c.CallIdentifier, c.ActionType, c.Stage,
		c.Deadline, c.BudgetMin, c.BudgetMax, c.ExpectedGrants, string(keywords), c.PortalURL, c.Conditions, c.TextRepaired,
		string(rules), string(unparsed), c.UpdatedAt, c.Opens, c.PortalStatus}
	if create {
		h := ""
		if hash != nil {
			h = *hash
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO calls (id, title, sort_key, search_text, description, programme, call_identifier,
			action_type, stage, deadline, budget_min, budget_max, expected_grants, keywords, portal_url, conditions, text_repaired,
			rules, unparsed, updated_at, opens, portal_status, source_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`,
			append(args, h, c.CreatedAt)...)
		if err != nil {
			return err
		}
		c.Version = 1
		return tx.Change(ctx, "call", c.ID, "create")
	}
	q := `UPDATE calls SET version = version + 1, title = $2, sort_key = $3, search_text = $4, description = $5, programme = $6, call_identifier = $7,
		action_type = $8, stage = $9, deadline = $10, budget_min = $11, budget_max = $12, expected_grants = $13, keywords = $14,
		portal_url = $15, conditions = $16, text_repaired = $17, rules = $18, unparsed = $19, updated_at = $20,
		opens = $21, portal_status = $22`
	if hash != nil {
		q += `, source_hash = $23`
		args = append(args, *hash)
	}
	q += ` WHERE id = $1`
	if expect != 0 {
		args = append(args, expect)
		q += ` AND version = $` + strconv.Itoa(len(args))
	}
	res, err := tx.ExecContext(ctx, q, args...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if expect != 0 {
			return store.ErrStale
		}
		return notFound("call", c.ID)
	}
	if err := tx.QueryRowContext(ctx, `SELECT version FROM calls WHERE id = $1`, c.ID).Scan(&c.Version); err != nil {
		return err
	}
	return tx.Change(ctx, "call", c.ID, "update")
}

// CreateCall stores a call typed in (not imported) and sets its
// timestamps; a topic already stored is a conflict on id.
func (db *DB) CreateCall(ctx context.Context, c *calls.Call) error {
	c.UpdatedAt = now()
	c.CreatedAt = c.UpdatedAt
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return writeCall(ctx, tx, c, true, nil, 0) }))
}

// UpdateCall replaces the call c.ID with what a person wrote, keeping the
// digest of its last import: importing the same topic again leaves the
// person's changes alone.
func (db *DB) UpdateCall(ctx context.Context, c *calls.Call, version int) error {
	c.UpdatedAt = now()
	err := db.Transact(ctx, func(tx *Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT created_at, version FROM calls WHERE id = $1`, c.ID).Scan(&c.CreatedAt, &c.Version)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("call", c.ID)
		}
		if err != nil {
			return err
		}
		if version != 0 && version != c.Version {
			return store.ErrStale
		}
		c.CreatedAt = c.CreatedAt.UTC()
		return writeCall(ctx, tx, c, false, nil, version)
	})
	return db.mapError(err)
}

// DeleteCall removes a call; a version other than 0 must be the current
// one (store.ErrStale otherwise).
func (db *DB) DeleteCall(ctx context.Context, id string, version int) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if version == 0 {
			return deleteRow(ctx, tx, "calls", "call", id)
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM calls WHERE id = $1 AND version = $2`, id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var cur int
			err := tx.QueryRowContext(ctx, `SELECT version FROM calls WHERE id = $1`, id).Scan(&cur)
			if errors.Is(err, sql.ErrNoRows) {
				return notFound("call", id)
			}
			if err != nil {
				return err
			}
			return store.ErrStale
		}
		return tx.Change(ctx, "call", id, "delete")
	}))
}

// importHash is the digest of a call as an import delivers it, without
// the timestamps the store adds.
func importHash(c calls.Call) string {
	c.CreatedAt, c.UpdatedAt, c.Version = time.Time{}, time.Time{}, 0
	return contentHash(c)
}

// UpsertCalls stores imported calls in one transaction; see calls.Store.
func (db *DB) UpsertCalls(ctx context.Context, cs []calls.Call) (calls.Counts, error) {
	var n calls.Counts
	err := db.Transact(ctx, func(tx *Tx) error {
		n = calls.Counts{}
		for _, c := range cs {
			hash := importHash(c)
			var stored string
			var desc, cond string
			cur, err := scanCall(tx.QueryRowContext(ctx, `SELECT `+callCols+callTextCols+`, c.source_hash FROM calls c WHERE c.id = $1`, c.ID),
				&desc, &cond, &stored)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				c.UpdatedAt = now()
				c.CreatedAt = c.UpdatedAt
				if err := writeCall(ctx, tx, &c, true, &hash, 0); err != nil {
					return err
				}
				n.New++
			case err != nil:
				return err
			case stored == hash:
				n.Unchanged++
			default:
				merged, kept := calls.MergeImported(c, cur.item)
				merged.UpdatedAt = now()
				if err := writeCall(ctx, tx, &merged, false, &hash, 0); err != nil {
					return err
				}
				n.Updated++
				n.ManualKept += kept
			}
		}
		return nil
	})
	return n, db.mapError(err)
}

// CallChoices returns the programmes and action types the stored calls
// use, sorted in Go so both engines agree.
func (db *DB) CallChoices(ctx context.Context) (calls.Choices, error) {
	var ch calls.Choices
	for _, col := range []struct {
		name string
		into *[]string
	}{{"programme", &ch.Programmes}, {"action_type", &ch.ActionTypes}} {
		rows, err := db.query(ctx, `SELECT DISTINCT `+col.name+` FROM calls WHERE `+col.name+` <> ''`)
		if err != nil {
			return ch, err
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return ch, err
			}
			*col.into = append(*col.into, v)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return ch, err
		}
		slices.Sort(*col.into)
		*col.into = orEmpty(*col.into)
	}
	return ch, nil
}
