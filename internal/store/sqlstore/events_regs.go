package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

const registrationCols = `r.id, r.event_id, r.user_id, r.person_id, r.name, r.email, r.organisation, r.status, r.answers,
	r.share_email, r.share_org, r.offer, r.seek, r.checked_in_at, r.version, r.created_at, r.organisation_id`

func scanRegistration(row scanner) (events.Registration, error) {
	var r events.Registration
	var answers string
	var in sql.NullTime
	err := row.Scan(&r.ID, &r.EventID, &r.UserID, &r.PersonID, &r.Name, &r.Email, &r.Org, &r.Status, &answers,
		&r.ShareEmail, &r.ShareOrg, &r.Offer, &r.Seek, &in, &r.Version, &r.CreatedAt, &r.OrgID)
	if err != nil {
		return r, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	if in.Valid {
		t := in.Time.UTC()
		r.CheckedInAt = &t
	}
	return r, unjson(answers, &r.Answers)
}

type querier func(context.Context, string, ...any) (*sql.Rows, error)

// listRegs reads registrations matching cond (with args) and their session
// choices.
func listRegs(ctx context.Context, q querier, cond string, args ...any) ([]events.Registration, error) {
	rows, err := q(ctx, `SELECT `+registrationCols+` FROM registrations r WHERE `+cond+` ORDER BY r.created_at, r.id`, args...)
	if err != nil {
		return nil, err
	}
	out := []events.Registration{}
	pos := map[string]int{}
	for rows.Next() {
		r, err := scanRegistration(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		pos[r.ID] = len(out)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	rows, err = q(ctx, `SELECT sr.registration_id, sr.session_id, sr.status FROM session_registrations sr
		JOIN registrations r ON r.id = sr.registration_id JOIN event_sessions s ON s.id = sr.session_id
		WHERE `+cond+` ORDER BY s.starts_at`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c events.SessionChoice
		if err := rows.Scan(&id, &c.SessionID, &c.Status); err != nil {
			return nil, err
		}
		if i, ok := pos[id]; ok {
			out[i].Sessions = append(out[i].Sessions, c)
		}
	}
	return out, rows.Err()
}

func txRegistration(ctx context.Context, tx *Tx, cond string, args ...any) (events.Registration, error) {
	rs, err := listRegs(ctx, tx.QueryContext, cond, args...)
	if err != nil {
		return events.Registration{}, err
	}
	if len(rs) == 0 {
		return events.Registration{}, notFound("registration", "")
	}
	return rs[0], nil
}

// places reads, with the event locked, what a registration decision needs.
func places(ctx context.Context, tx *Tx, eventID, userID string) (events.Places, error) {
	var p events.Places
	if err := lockEvent(ctx, tx, eventID); err != nil {
		return p, err
	}
	var err error
	if p.Event, err = txEvent(ctx, tx, eventID); err != nil {
		return p, err
	}
	p.Confirmed = p.Event.Confirmed
	if p.Sessions, err = listSessions(ctx, tx.QueryContext, eventID); err != nil {
		return p, err
	}
	if userID != "" {
		r, err := txRegistration(ctx, tx, `r.event_id = $1 AND r.user_id = $2 AND r.status NOT IN ('cancelled', 'declined')`, eventID, userID)
		if err == nil {
			p.Existing = &r
		} else if !errors.Is(err, store.ErrNotFound) {
			return p, err
		}
	}
	return p, nil
}

// Register decides and stores a registration in one transaction.
func (db *DB) Register(ctx context.Context, r *events.Registration, decide func(events.Places, *events.Registration) error) error {
	err := db.Transact(ctx, func(tx *Tx) error {
		p, err := places(ctx, tx, r.EventID, r.UserID)
		if err != nil {
			return err
		}
		if err := decide(p, r); err != nil {
			return err
		}
		r.ID, r.Version, r.CreatedAt = newID(), 1, now()
		_, err = tx.ExecContext(ctx, `INSERT INTO registrations (id, event_id, user_id, person_id, name, email, organisation, status, answers,
			share_email, share_org, offer, seek, version, created_at, updated_at, organisation_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 1, $14, $14, $15)`,
			r.ID, r.EventID, r.UserID, r.PersonID, r.Name, r.Email, r.Org, r.Status, tojson(r.Answers), r.ShareEmail, r.ShareOrg, r.Offer, r.Seek, r.CreatedAt, r.OrgID)
		if err != nil {
			if _, _, ok := db.dialect.Unique(err); ok {
				return &store.ConflictError{Field: "event", Code: validate.AlreadyRegistered}
			}
			return err
		}
		for _, c := range r.Sessions {
			if _, err := tx.ExecContext(ctx, `INSERT INTO session_registrations (session_id, registration_id, status, created_at) VALUES ($1, $2, $3, $4)`,
				c.SessionID, r.ID, c.Status, r.CreatedAt); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "registration", r.ID, "create")
	})
	return db.mapError(err)
}

// fillPlaces gives free places of the event and of its sessions to the
// waiting list in order of registration; it returns the registrations
// promoted to the event.
func fillPlaces(ctx context.Context, tx *Tx, eventID string) ([]events.Registration, error) {
	e, err := txEvent(ctx, tx, eventID)
	if err != nil {
		return nil, err
	}
	limit := -1
	if e.Capacity > 0 {
		limit = max(0, e.Capacity-e.Confirmed)
	}
	cond := `r.event_id = $1 AND r.status = 'waiting'`
	waiting, err := listRegs(ctx, tx.QueryContext, cond, eventID)
	if err != nil {
		return nil, err
	}
	if limit >= 0 && len(waiting) > limit {
		waiting = waiting[:limit]
	}
	t := now()
	for i := range waiting {
		waiting[i].Status = events.StatusConfirmed
		waiting[i].Version++
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = 'confirmed', version = version + 1, updated_at = $2 WHERE id = $1`, waiting[i].ID, t); err != nil {
			return nil, err
		}
	}
	sessions, err := listSessions(ctx, tx.QueryContext, eventID)
	if err != nil {
		return nil, err
	}
	for _, s := range sessions {
		q := `UPDATE session_registrations SET status = 'confirmed' WHERE session_id = $1 AND status = 'waiting' AND registration_id IN
			(SELECT sr.registration_id FROM session_registrations sr JOIN registrations r ON r.id = sr.registration_id
			 WHERE sr.session_id = $1 AND sr.status = 'waiting' AND r.status = 'confirmed' ORDER BY sr.created_at, sr.registration_id LIMIT $2)`
		n := 1 << 30
		if s.Capacity > 0 {
			n = max(0, s.Capacity-s.Confirmed)
		}
		if n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, q, s.ID, n); err != nil {
			return nil, err
		}
	}
	return waiting, nil
}

// SetRegistrationStatus applies a step to a registration and refills.
func (db *DB) SetRegistrationStatus(ctx context.Context, id string, expect int, step func(events.Places, *events.Registration) (string, error)) (events.Registration, []events.Registration, error) {
	var r events.Registration
	var promoted []events.Registration
	err := db.Transact(ctx, func(tx *Tx) error {
		cur, err := txRegistration(ctx, tx, `r.id = $1`, id)
		if err != nil {
			return err
		}
		p, err := places(ctx, tx, cur.EventID, "")
		if err != nil {
			return err
		}
		if expect != 0 && cur.Version != expect {
			return store.ErrStale
		}
		status, err := step(p, &cur)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET status = $2, version = version + 1, updated_at = $3 WHERE id = $1`, id, status, now()); err != nil {
			return err
		}
		if status == events.StatusCancelled || status == events.StatusDeclined {
			if _, err := tx.ExecContext(ctx, `DELETE FROM session_registrations WHERE registration_id = $1`, id); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE meeting_requests SET status = 'cancelled', slot = -1, table_no = -1, version = version + 1, updated_at = $2
				WHERE (from_id = $1 OR to_id = $1) AND status IN ('requested', 'accepted')`, id, now()); err != nil {
				return err
			}
		}
		if promoted, err = fillPlaces(ctx, tx, cur.EventID); err != nil {
			return err
		}
		if r, err = txRegistration(ctx, tx, `r.id = $1`, id); err != nil {
			return err
		}
		return tx.Change(ctx, "registration", id, status)
	})
	return r, promoted, db.mapError(err)
}

// GetRegistration returns a registration by id.
func (db *DB) GetRegistration(ctx context.Context, id string) (events.Registration, error) {
	rs, err := listRegs(ctx, db.query, `r.id = $1`, id)
	if err != nil {
		return events.Registration{}, err
	}
	if len(rs) == 0 {
		return events.Registration{}, notFound("registration", id)
	}
	return rs[0], nil
}

// LiveRegistration returns a user's registration that is not cancelled or
// declined.
func (db *DB) LiveRegistration(ctx context.Context, eventID, userID string) (events.Registration, error) {
	rs, err := listRegs(ctx, db.query, `r.event_id = $1 AND r.user_id = $2 AND r.status NOT IN ('cancelled', 'declined')`, eventID, userID)
	if err != nil {
		return events.Registration{}, err
	}
	if len(rs) == 0 {
		return events.Registration{}, notFound("registration", userID)
	}
	return rs[0], nil
}

// ListRegistrations lists an event's registrations in order.
func (db *DB) ListRegistrations(ctx context.Context, eventID string) ([]events.Registration, error) {
	return listRegs(ctx, db.query, `r.event_id = $1`, eventID)
}

// ListUserRegistrations lists a user's registrations.
func (db *DB) ListUserRegistrations(ctx context.Context, userID string) ([]events.Registration, error) {
	return listRegs(ctx, db.query, `r.user_id = $1`, userID)
}

// CheckIn records an attendee's arrival.
func (db *DB) CheckIn(ctx context.Context, id string, at time.Time) (events.Registration, error) {
	var r events.Registration
	err := db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE registrations SET checked_in_at = $2, version = version + 1, updated_at = $2 WHERE id = $1`, id, at.UTC()); err != nil {
			return err
		}
		var err error
		if r, err = txRegistration(ctx, tx, `r.id = $1`, id); err != nil {
			return err
		}
		return tx.Change(ctx, "registration", id, "check_in")
	})
	return r, db.mapError(err)
}

// SetFeedToken sets a user's agenda feed token hash.
func (db *DB) SetFeedToken(ctx context.Context, userID, hash string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM event_feeds WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO event_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)`, userID, hash, now())
		return err
	}))
}

// FeedUser returns the user of a feed token hash.
func (db *DB) FeedUser(ctx context.Context, hash string) (string, error) {
	var u string
	err := db.queryRow(ctx, `SELECT user_id FROM event_feeds WHERE token_hash = $1`, hash).Scan(&u)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("feed", "")
	}
	return u, err
}
