package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/escnet/escnet/internal/calls/follow"
)

var _ follow.Store = (*DB)(nil)

// CallsFollowSetFeed sets a user's calls feed token hash.
func (db *DB) CallsFollowSetFeed(ctx context.Context, userID, hash string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM call_feeds WHERE user_id = $1`, userID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO call_feeds (user_id, token_hash, created_at) VALUES ($1, $2, $3)`, userID, hash, now())
		return err
	}))
}

// CallsFollowFeedUser returns the user of a calls feed token hash.
func (db *DB) CallsFollowFeedUser(ctx context.Context, hash string) (string, error) {
	var u string
	err := db.queryRow(ctx, `SELECT user_id FROM call_feeds WHERE token_hash = $1`, hash).Scan(&u)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("calls feed", "")
	}
	return u, err
}

// CallsFollowSubscribe adds a user to the calls digest or removes them.
func (db *DB) CallsFollowSubscribe(ctx context.Context, userID string, on bool) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM call_digests WHERE user_id = $1`, userID); err != nil || !on {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO call_digests (user_id, created_at) VALUES ($1, $2)`, userID, now())
		return err
	}))
}

// CallsFollowSubscribed reports whether a user gets the calls digest.
func (db *DB) CallsFollowSubscribed(ctx context.Context, userID string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM call_digests WHERE user_id = $1`, userID).Scan(&n)
	return n > 0, err
}

// CallsFollowSubscribers lists the users who get the calls digest.
func (db *DB) CallsFollowSubscribers(ctx context.Context) ([]string, error) {
	var out []string
	err := db.each(ctx, func(r *sql.Rows) error {
		var id string
		if err := r.Scan(&id); err != nil {
			return err
		}
		out = append(out, id)
		return nil
	}, `SELECT user_id FROM call_digests ORDER BY created_at, user_id`)
	return out, err
}

// CallsFollowSent lists what the calls digest announced to a user.
func (db *DB) CallsFollowSent(ctx context.Context, userID string) ([]follow.Sent, error) {
	var out []follow.Sent
	err := db.each(ctx, func(r *sql.Rows) error {
		var s follow.Sent
		if err := r.Scan(&s.CallID, &s.Kind); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}, `SELECT call_id, kind FROM call_digest_sent WHERE user_id = $1 ORDER BY call_id, kind`, userID)
	return out, err
}

// CallsFollowMarkSent records announcements of the calls digest; one
// already recorded stays as it was.
func (db *DB) CallsFollowMarkSent(ctx context.Context, userID string, sent []follow.Sent, at time.Time) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		for _, s := range sent {
			if _, err := tx.ExecContext(ctx, `INSERT INTO call_digest_sent (user_id, call_id, kind, sent_at) VALUES ($1, $2, $3, $4)
				ON CONFLICT (user_id, call_id, kind) DO NOTHING`, userID, s.CallID, s.Kind, at.UTC()); err != nil {
				return err
			}
		}
		return nil
	}))
}
