package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/accounts"
	"github.com/escnet/escnet/internal/store"
)

var _ accounts.Store = (*DB)(nil)

const userCols = `u.id, u.email, u.name, COALESCE(u.organisation_id, ''), COALESCE(u.person_id, ''), u.alliance_admin, u.org_admin,
	u.password_hash, u.disabled, u.created_at, u.updated_at, u.last_login_at, u.previous_login_at`

func scanUser(r interface{ Scan(...any) error }) (accounts.User, error) {
	var u accounts.User
	var last, previous sql.NullTime
	err := r.Scan(&u.ID, &u.Email, &u.Name, &u.OrganisationID, &u.PersonID, &u.AllianceAdmin, &u.OrgAdmin,
		&u.PasswordHash, &u.Disabled, &u.CreatedAt, &u.UpdatedAt, &last, &previous)
	if last.Valid {
		t := last.Time
		u.LastLoginAt = &t
	}
	if previous.Valid {
		t := previous.Time
		u.PreviousLoginAt = &t
	}
	return u, err
}

func (db *DB) getUser(ctx context.Context, cond string, arg any) (accounts.User, error) {
	u, err := scanUser(db.queryRow(ctx, `SELECT `+userCols+` FROM users u WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user: %w", store.ErrNotFound)
	}
	if err != nil {
		return u, err
	}
	m, err := db.links(ctx, `SELECT user_id, cluster_id FROM cluster_managers WHERE user_id IN (%s) ORDER BY cluster_id`, []string{u.ID})
	u.ManagedClusters = orEmpty(m[u.ID])
	return u, err
}

// GetUser returns an account by id.
func (db *DB) GetUser(ctx context.Context, id string) (accounts.User, error) {
	return db.getUser(ctx, "u.id = $1", id)
}

// GetUserByEmail returns an account by (normalised) e-mail address.
func (db *DB) GetUserByEmail(ctx context.Context, email string) (accounts.User, error) {
	return db.getUser(ctx, "u.email = $1", email)
}

// ListUsers returns every account by e-mail address.
func (db *DB) ListUsers(ctx context.Context) ([]accounts.User, error) {
	rows, err := db.query(ctx, `SELECT `+userCols+` FROM users u ORDER BY u.email`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []accounts.User{}
	var ids []string
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
		ids = append(ids, u.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	m, err := db.links(ctx, `SELECT user_id, cluster_id FROM cluster_managers WHERE user_id IN (%s) ORDER BY cluster_id`, ids)
	for i := range out {
		out[i].ManagedClusters = orEmpty(m[out[i].ID])
	}
	return out, err
}

func writeManagers(ctx context.Context, tx *Tx, u *accounts.User) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM cluster_managers WHERE user_id = $1`, u.ID); err != nil {
		return err
	}
	for _, c := range u.ManagedClusters {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cluster_managers (user_id, cluster_id) VALUES ($1, $2)`, u.ID, c); err != nil {
			return err
		}
	}
	return nil
}

func insertUser(ctx context.Context, tx *Tx, u *accounts.User) error {
	u.UpdatedAt = now()
	u.CreatedAt = u.UpdatedAt
	_, err := tx.ExecContext(ctx, `INSERT INTO users (id, email, name, organisation_id, person_id, alliance_admin, org_admin, password_hash, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		u.ID, u.Email, u.Name, nullable(u.OrganisationID), nullable(u.PersonID), u.AllianceAdmin, u.OrgAdmin, u.PasswordHash, u.Disabled, u.CreatedAt, u.UpdatedAt)
	if err != nil {
		return err
	}
	if err := writeManagers(ctx, tx, u); err != nil {
		return err
	}
	return tx.Change(ctx, "user", u.ID, "create")
}

// CreateUser stores a new account.
func (db *DB) CreateUser(ctx context.Context, u *accounts.User) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return insertUser(ctx, tx, u) }))
}

// UpdateUser writes the account's name, organisation, person link, roles
// and disabled flag; a change of roles is audited as such.
func (db *DB) UpdateUser(ctx context.Context, u *accounts.User) error {
	u.UpdatedAt = now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET name = $2, organisation_id = $3, person_id = $4, alliance_admin = $5, org_admin = $6, disabled = $7, updated_at = $8 WHERE id = $1`,
			u.ID, u.Name, nullable(u.OrganisationID), nullable(u.PersonID), u.AllianceAdmin, u.OrgAdmin, u.Disabled, u.UpdatedAt)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %s: %w", u.ID, store.ErrNotFound)
		}
		if err := writeManagers(ctx, tx, u); err != nil {
			return err
		}
		if err := tx.Audit(ctx, "user.roles", "user", u.ID, fmt.Sprintf("alliance_admin=%v org_admin=%v managed_clusters=%v disabled=%v",
			u.AllianceAdmin, u.OrgAdmin, u.ManagedClusters, u.Disabled)); err != nil {
			return err
		}
		return tx.Change(ctx, "user", u.ID, "update")
	}))
}

// SetPassword replaces the password hash and ends every session, every
// outstanding reset link and every pending invitation of the address, in
// one transaction: a link mailed before the change cannot undo it.
func (db *DB) SetPassword(ctx context.Context, userID, hash string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		at := now()
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1`, userID, hash, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user %s: %w", userID, store.ErrNotFound)
		}
		for _, q := range []string{
			`DELETE FROM sessions WHERE user_id = $1`,
			`UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`,
			`UPDATE invitations SET expires_at = created_at WHERE email = (SELECT email FROM users WHERE id = $1) AND accepted_at IS NULL`,
		} {
			args := []any{userID}
			if strings.Contains(q, "$2") {
				args = append(args, at)
			}
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
}

// RecordLogin notes the time of a successful sign-in.
func (db *DB) RecordLogin(ctx context.Context, userID string, at time.Time) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET previous_login_at = last_login_at, last_login_at = $2 WHERE id = $1`, userID, at)
		return err
	})
}

// EraseUser anonymises an account and its person record: the e-mail
// address, name and password go, sessions, tokens, resets, calendar feeds
// and approver roles end, and the person record (owned by the organisation) stays without
// personal data and unlisted.
func (db *DB) EraseUser(ctx context.Context, userID string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		var personID sql.NullString
		if err := tx.QueryRowContext(ctx, `SELECT person_id FROM users WHERE id = $1`, userID).Scan(&personID); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("user %s: %w", userID, store.ErrNotFound)
		} else if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM login_attempts WHERE key = (SELECT 'account:' || email FROM users WHERE id = $1)`,
			`DELETE FROM sessions WHERE user_id = $1`,
			`DELETE FROM password_resets WHERE user_id = $1`,
			`DELETE FROM api_tokens WHERE user_id = $1`,
			`DELETE FROM cluster_managers WHERE user_id = $1`,
			`DELETE FROM calendar_tokens WHERE user_id = $1`,
			`DELETE FROM facility_approvers WHERE user_id = $1`,
		} {
			if _, err := tx.ExecContext(ctx, q, userID); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = $2, name = '', password_hash = '!', disabled = $3, alliance_admin = $4, org_admin = $4,
			person_id = NULL, last_login_at = NULL, previous_login_at = NULL, updated_at = $5 WHERE id = $1`,
			userID, "erased-"+userID+"@invalid", true, false, now()); err != nil {
			return err
		}
		if personID.Valid {
			name := "Former member"
			if _, err := tx.ExecContext(ctx, `UPDATE people SET name = $2, sort_key = $3, search_text = $4, email = '', title = '', languages = '', listed = $5, updated_at = $6 WHERE id = $1`,
				personID.String, name, "former member", "", false, now()); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DELETE FROM person_expertise WHERE person_id = $1`, personID.String); err != nil {
				return err
			}
			if err := tx.Change(ctx, "person", personID.String, "erase"); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "user", userID, "erase")
	})
}

// ---- sessions

// CreateSession stores a session.
func (db *DB) CreateSession(ctx context.Context, s accounts.Session) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, last_seen, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			s.ID, s.UserID, s.CreatedAt, s.LastSeen, s.ExpiresAt, s.IP, s.UserAgent)
		return err
	})
}

// GetSession returns a session by the hash of its cookie value.
func (db *DB) GetSession(ctx context.Context, id string) (accounts.Session, error) {
	var s accounts.Session
	err := db.queryRow(ctx, `SELECT id, user_id, created_at, last_seen, expires_at, ip, user_agent FROM sessions WHERE id = $1`, id).
		Scan(&s.ID, &s.UserID, &s.CreatedAt, &s.LastSeen, &s.ExpiresAt, &s.IP, &s.UserAgent)
	if errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	return s, err
}

// TouchSession moves the idle clock of a session.
func (db *DB) TouchSession(ctx context.Context, id string, at time.Time) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET last_seen = $2 WHERE id = $1`, id, at)
		return err
	})
}

// DeleteSession ends a session.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = $1`, id)
		return err
	})
}

// ---- resets

// CreateReset stores a reset link's hash.
func (db *DB) CreateReset(ctx context.Context, r accounts.Reset) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO password_resets (hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			r.Hash, r.UserID, r.CreatedAt, r.ExpiresAt)
		return err
	})
}

// UseReset marks a valid reset used, in one statement so that two
// concurrent uses cannot both succeed.
func (db *DB) UseReset(ctx context.Context, hash string, at time.Time) (string, error) {
	var userID string
	err := db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE password_resets SET used_at = $2 WHERE hash = $1 AND used_at IS NULL AND expires_at > $2`, hash, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("reset: %w", store.ErrNotFound)
		}
		return tx.QueryRowContext(ctx, `SELECT user_id FROM password_resets WHERE hash = $1`, hash).Scan(&userID)
	})
	return userID, err
}

// ---- invitations

// CreateInvitation stores an invitation.
func (db *DB) CreateInvitation(ctx context.Context, inv *accounts.Invitation) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO invitations (id, hash, email, organisation_id, org_admin, invited_by, created_at, expires_at, managed_clusters) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			inv.ID, inv.Hash, inv.Email, inv.OrganisationID, inv.OrgAdmin, inv.InvitedBy, inv.CreatedAt, inv.ExpiresAt, strings.Join(inv.ManagedClusters, ","))
		if err != nil {
			return err
		}
		return tx.Change(ctx, "invitation", inv.ID, "create")
	}))
}

// GetInvitation returns an invitation by its link hash.
func (db *DB) GetInvitation(ctx context.Context, hash string) (accounts.Invitation, error) {
	var inv accounts.Invitation
	var accepted sql.NullTime
	var managed string
	err := db.queryRow(ctx, `SELECT id, hash, email, organisation_id, org_admin, invited_by, created_at, expires_at, accepted_at, managed_clusters FROM invitations WHERE hash = $1`, hash).
		Scan(&inv.ID, &inv.Hash, &inv.Email, &inv.OrganisationID, &inv.OrgAdmin, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt, &accepted, &managed)
	if managed != "" {
		inv.ManagedClusters = strings.Split(managed, ",")
	}
	if errors.Is(err, sql.ErrNoRows) {
		return inv, fmt.Errorf("invitation: %w", store.ErrNotFound)
	}
	if accepted.Valid {
		inv.AcceptedAt = &accepted.Time
	}
	return inv, err
}

// AcceptInvitation marks the invitation accepted and creates the account
// in one transaction.
func (db *DB) AcceptInvitation(ctx context.Context, hash string, u *accounts.User, at time.Time) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE invitations SET accepted_at = $2 WHERE hash = $1 AND accepted_at IS NULL AND expires_at > $2`, hash, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return accounts.ErrLinkInvalid
		}
		// The address has an account now: its other invitations end.
		if _, err := tx.ExecContext(ctx, `UPDATE invitations SET expires_at = created_at WHERE email = $1 AND accepted_at IS NULL`, u.Email); err != nil {
			return err
		}
		return insertUser(ctx, tx, u)
	}))
}

// ---- API tokens

// CreateToken stores a token (its hash only).
func (db *DB) CreateToken(ctx context.Context, t *accounts.APIToken) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_id, name, scope, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			t.ID, t.UserID, t.Name, t.Scope, t.Hash, t.CreatedAt)
		if err != nil {
			return err
		}
		return tx.Change(ctx, "token", t.ID, "create")
	})
}

const tokenCols = `id, user_id, name, scope, hash, created_at, last_used_at, revoked_at`

func scanToken(r interface{ Scan(...any) error }) (accounts.APIToken, error) {
	var t accounts.APIToken
	var used, revoked sql.NullTime
	err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.Scope, &t.Hash, &t.CreatedAt, &used, &revoked)
	if used.Valid {
		t.LastUsedAt = &used.Time
	}
	if revoked.Valid {
		t.RevokedAt = &revoked.Time
	}
	return t, err
}

// GetToken returns a token record by id.
func (db *DB) GetToken(ctx context.Context, id string) (accounts.APIToken, error) {
	t, err := scanToken(db.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("token: %w", store.ErrNotFound)
	}
	return t, err
}

// ListTokens returns a user's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, userID string) ([]accounts.APIToken, error) {
	rows, err := db.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []accounts.APIToken{}
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeToken revokes one of the user's tokens.
func (db *DB) RevokeToken(ctx context.Context, userID, id string, at time.Time) error {
	return db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("token %s: %w", id, store.ErrNotFound)
		}
		return tx.Change(ctx, "token", id, "revoke")
	})
}

// TouchToken records a token's last use.
func (db *DB) TouchToken(ctx context.Context, id string, at time.Time) error {
	return db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, id, at)
		return err
	})
}

// CountAttempt counts one sign-in attempt under each key, in windows of
// the given length, and returns each key's count including this attempt.
// The count is one upsert per key, so that parallel attempts (from any
// node) each see a different number and none slips past a limit.
func (db *DB) CountAttempt(ctx context.Context, keys []string, at time.Time, window time.Duration) ([]int, error) {
	counts := make([]int, len(keys))
	err := db.Transact(ctx, func(tx *Tx) error {
		for i, k := range keys {
			err := tx.QueryRowContext(ctx, `INSERT INTO login_attempts (key, window_start, attempts) VALUES ($1, $2, 1)
				ON CONFLICT (key) DO UPDATE SET
					attempts = CASE WHEN login_attempts.window_start <= $3 THEN 1 ELSE login_attempts.attempts + 1 END,
					window_start = CASE WHEN login_attempts.window_start <= $3 THEN $2 ELSE login_attempts.window_start END
				RETURNING attempts`, k, at, at.Add(-window)).Scan(&counts[i])
			if err != nil {
				return err
			}
		}
		// Now and then, forget the windows that have passed.
		if rand.IntN(64) == 0 {
			_, err := tx.ExecContext(ctx, `DELETE FROM login_attempts WHERE window_start <= $1`, at.Add(-window))
			return err
		}
		return nil
	})
	return counts, err
}

// ForgetAttempt takes back one counted attempt under each key: a sign-in
// that succeeded, or one the server was too busy to check.
func (db *DB) ForgetAttempt(ctx context.Context, keys []string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		for _, k := range keys {
			if _, err := tx.ExecContext(ctx, `UPDATE login_attempts SET attempts = attempts - 1 WHERE key = $1 AND attempts > 0`, k); err != nil {
				return err
			}
		}
		return nil
	})
}
