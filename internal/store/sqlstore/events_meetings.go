package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/escnet/escnet/internal/events"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

const meetingCols = `m.id, m.event_id, m.from_id, m.to_id, fr.name, tr.name, m.status, m.message, m.slot, m.table_no, m.starts_at, m.ends_at,
	m.announced, m.outcome_from, m.outcome_to, m.version, m.created_at`

const meetingFrom = ` FROM meeting_requests m JOIN registrations fr ON fr.id = m.from_id JOIN registrations tr ON tr.id = m.to_id`

func scanMeeting(row scanner) (events.Meeting, error) {
	var m events.Meeting
	var s, e sql.NullTime
	err := row.Scan(&m.ID, &m.EventID, &m.FromID, &m.ToID, &m.FromName, &m.ToName, &m.Status, &m.Message, &m.Slot, &m.Table, &s, &e,
		&m.Announced, &m.OutcomeFrom, &m.OutcomeTo, &m.Version, &m.CreatedAt)
	if s.Valid && e.Valid {
		st, en := s.Time.UTC(), e.Time.UTC()
		m.StartsAt, m.EndsAt = &st, &en
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return m, err
}

// acceptedCounts counts the accepted meetings of each registration of ids.
func acceptedCounts(ctx context.Context, tx *Tx, eventID string, ids ...string) (map[string]int, error) {
	out := map[string]int{}
	for _, id := range ids {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_requests WHERE event_id = $1 AND status = 'accepted' AND (from_id = $2 OR to_id = $2)`,
			eventID, id).Scan(&n)
		if err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, nil
}

// CreateMeeting stores a meeting request after check has seen whether the
// pair already has an open one (either way round).
func (db *DB) CreateMeeting(ctx context.Context, m *events.Meeting, check func(map[string]int, bool) error) error {
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := lockEvent(ctx, tx, m.EventID); err != nil {
			return err
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM meeting_requests WHERE event_id = $1 AND status IN ('requested', 'accepted')
			AND ((from_id = $2 AND to_id = $3) OR (from_id = $3 AND to_id = $2))`, m.EventID, m.FromID, m.ToID).Scan(&open); err != nil {
			return err
		}
		acc, err := acceptedCounts(ctx, tx, m.EventID, m.FromID, m.ToID)
		if err != nil {
			return err
		}
		if err := check(acc, open > 0); err != nil {
			return err
		}
		m.ID, m.Version, m.CreatedAt = newID(), 1, now()
		if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_requests (id, event_id, from_id, to_id, status, message, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)`, m.ID, m.EventID, m.FromID, m.ToID, m.Status, m.Message, m.CreatedAt); err != nil {
			if _, _, ok := db.dialect.Unique(err); ok {
				return &store.ConflictError{Field: "to", Code: validate.MeetingDuplicate}
			}
			return err
		}
		got, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, m.ID))
		if err != nil {
			return err
		}
		*m = got
		return tx.Change(ctx, "meeting", m.ID, "create")
	})
	return db.mapError(err)
}

// GetMeeting returns a meeting request by id.
func (db *DB) GetMeeting(ctx context.Context, id string) (events.Meeting, error) {
	m, err := scanMeeting(db.queryRow(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return m, notFound("meeting", id)
	}
	return m, err
}

// SetMeetingStatus moves a meeting request to status after check.
func (db *DB) SetMeetingStatus(ctx context.Context, id string, expect int, status string, check func(events.Meeting, map[string]int) error) (events.Meeting, error) {
	var m events.Meeting
	err := db.Transact(ctx, func(tx *Tx) error {
		cur, err := scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("meeting", id)
		}
		if err != nil {
			return err
		}
		if err := lockEvent(ctx, tx, cur.EventID); err != nil {
			return err
		}
		if expect != 0 && cur.Version != expect {
			return store.ErrStale
		}
		acc, err := acceptedCounts(ctx, tx, cur.EventID, cur.FromID, cur.ToID)
		if err != nil {
			return err
		}
		if err := check(cur, acc); err != nil {
			return err
		}
		q := `UPDATE meeting_requests SET status = $2, version = version + 1, updated_at = $3 WHERE id = $1`
		if status != events.MeetingAccepted {
			q = `UPDATE meeting_requests SET status = $2, slot = -1, table_no = -1, starts_at = NULL, ends_at = NULL, announced = FALSE,
				version = version + 1, updated_at = $3 WHERE id = $1`
		}
		if _, err := tx.ExecContext(ctx, q, id, status, now()); err != nil {
			return err
		}
		if m, err = scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, id)); err != nil {
			return err
		}
		return tx.Change(ctx, "meeting", id, status)
	})
	return m, db.mapError(err)
}

// SetOutcome records one side's outcome of a meeting.
func (db *DB) SetOutcome(ctx context.Context, id, side, outcome string) (events.Meeting, error) {
	var m events.Meeting
	col := "outcome_from"
	if side == "to" {
		col = "outcome_to"
	}
	err := db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE meeting_requests SET `+col+` = $2, version = version + 1, updated_at = $3 WHERE id = $1`, id, outcome, now()); err != nil {
			return err
		}
		var err error
		if m, err = scanMeeting(tx.QueryRowContext(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.id = $1`, id)); err != nil {
			return err
		}
		return tx.Change(ctx, "meeting", id, "outcome")
	})
	return m, db.mapError(err)
}

// ListMeetings lists an event's meeting requests, scheduled ones by time.
func (db *DB) ListMeetings(ctx context.Context, eventID string) ([]events.Meeting, error) {
	rows, err := db.query(ctx, `SELECT `+meetingCols+meetingFrom+` WHERE m.event_id = $1 ORDER BY m.slot, m.table_no, m.created_at, m.id`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []events.Meeting{}
	for rows.Next() {
		m, err := scanMeeting(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// SavePlan writes the scheduler's places for the accepted meetings.
func (db *DB) SavePlan(ctx context.Context, eventID string, placed []events.Meeting) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := lockEvent(ctx, tx, eventID); err != nil {
			return err
		}
		t := now()
		for _, m := range placed {
			var s, e any
			if m.StartsAt != nil {
				s, e = m.StartsAt.UTC(), m.EndsAt.UTC()
			}
			if _, err := tx.ExecContext(ctx, `UPDATE meeting_requests SET slot = $2, table_no = $3, starts_at = $4, ends_at = $5, announced = $6,
				version = version + 1, updated_at = $7 WHERE id = $1 AND event_id = $8 AND status = 'accepted'`,
				m.ID, m.Slot, m.Table, s, e, m.Slot >= 0, t, eventID); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "event", eventID, "schedule")
	}))
}

// SetUnavailable replaces a registration's unavailable times.
func (db *DB) SetUnavailable(ctx context.Context, regID string, times []events.Unavailable) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM meeting_unavailable WHERE registration_id = $1`, regID); err != nil {
			return err
		}
		for _, u := range times {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meeting_unavailable (registration_id, starts_at, ends_at) VALUES ($1, $2, $3)`,
				regID, u.StartsAt.UTC(), u.EndsAt.UTC()); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "registration", regID, "unavailable")
	}))
}

// ListUnavailable lists the unavailable times of an event's attendees.
func (db *DB) ListUnavailable(ctx context.Context, eventID string) ([]events.Unavailable, error) {
	rows, err := db.query(ctx, `SELECT u.registration_id, u.starts_at, u.ends_at FROM meeting_unavailable u
		JOIN registrations r ON r.id = u.registration_id WHERE r.event_id = $1 ORDER BY u.starts_at`, eventID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []events.Unavailable{}
	for rows.Next() {
		var u events.Unavailable
		if err := rows.Scan(&u.RegistrationID, &u.StartsAt, &u.EndsAt); err != nil {
			return nil, err
		}
		u.StartsAt, u.EndsAt = u.StartsAt.UTC(), u.EndsAt.UTC()
		out = append(out, u)
	}
	return out, rows.Err()
}
