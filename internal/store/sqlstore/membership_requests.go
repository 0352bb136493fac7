package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Requests to join a cluster (directory.RequestStore). Who may ask, see
// and decide is the directory service's; these only read and write.

const membershipRequestCols = `r.id, r.cluster_id, c.slug, c.name, r.organisation_id, o.slug, o.name, r.role, r.note, r.state, r.created_at, r.decided_at`

const requestFrom = `membership_requests r JOIN clusters c ON c.id = r.cluster_id JOIN organisations o ON o.id = r.organisation_id`

func scanRequest(row interface{ Scan(...any) error }) (directory.MembershipRequest, error) {
	var r directory.MembershipRequest
	var decided sql.NullTime
	err := row.Scan(&r.ID, &r.ClusterID, &r.ClusterSlug, &r.ClusterName, &r.OrganisationID, &r.OrganisationSlug, &r.OrganisationName,
		&r.Role, &r.Note, &r.State, &r.CreatedAt, &decided)
	if decided.Valid {
		t := decided.Time.UTC()
		r.DecidedAt = &t
	}
	r.CreatedAt = r.CreatedAt.UTC()
	return r, err
}

// CreateMembershipRequest stores an open request; a second open request of
// the organisation for the cluster is a conflict on cluster_id.
func (db *DB) CreateMembershipRequest(ctx context.Context, r *directory.MembershipRequest, requestedBy string) error {
	r.ID, r.CreatedAt, r.State = newID(), now(), directory.RequestOpen
	err := db.Transact(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM membership_requests WHERE cluster_id = $1 AND organisation_id = $2 AND state = 'open'`,
			r.ClusterID, r.OrganisationID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &store.ConflictError{Field: "cluster_id", Code: validate.Duplicate}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO membership_requests (id, cluster_id, organisation_id, role, note, state, requested_by, created_at)
			VALUES ($1, $2, $3, $4, $5, 'open', $6, $7)`, r.ID, r.ClusterID, r.OrganisationID, r.Role, r.Note, requestedBy, r.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "membership_request", r.ID, "create")
	})
	if err = db.mapError(err); errors.Is(err, store.ErrConflict) {
		return &store.ConflictError{Field: "cluster_id", Code: validate.Duplicate}
	}
	return err
}

// GetMembershipRequest returns one request.
func (db *DB) GetMembershipRequest(ctx context.Context, id string) (directory.MembershipRequest, error) {
	r, err := scanRequest(db.queryRow(ctx, `SELECT `+membershipRequestCols+` FROM `+requestFrom+` WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("membership request", id)
	}
	return r, err
}

// ListMembershipRequests lists requests, newest first (at most 500).
func (db *DB) ListMembershipRequests(ctx context.Context, f directory.RequestFilter) ([]directory.MembershipRequest, error) {
	var w where
	if f.Cluster != "" {
		w.add("r.cluster_id = " + w.arg(f.Cluster))
	}
	if f.Organisation != "" {
		w.add("r.organisation_id = " + w.arg(f.Organisation))
	}
	if f.State != "" {
		w.add("r.state = " + w.arg(f.State))
	}
	rows, err := db.query(ctx, `SELECT `+membershipRequestCols+` FROM `+requestFrom+w.sql()+` ORDER BY r.created_at DESC, r.id DESC LIMIT 500`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []directory.MembershipRequest{}
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DecideMembershipRequest accepts or refuses an open request in one
// transaction: accepting starts the membership (the organisation's record
// changes, so its version moves and the change feed says so).
func (db *DB) DecideMembershipRequest(ctx context.Context, id string, accept bool, decidedBy string) (directory.MembershipRequest, error) {
	state, op := directory.RequestRefused, "refuse"
	if accept {
		state, op = directory.RequestAccepted, "accept"
	}
	at := now()
	err := db.Transact(ctx, func(tx *Tx) error {
		var cluster, org, role string
		err := tx.QueryRowContext(ctx, `SELECT cluster_id, organisation_id, role FROM membership_requests WHERE id = $1`, id).Scan(&cluster, &org, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("membership request", id)
		} else if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE membership_requests SET state = $2, decided_by = $3, decided_at = $4 WHERE id = $1 AND state = 'open'`,
			id, state, decidedBy, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &store.ConflictError{Field: "state", Code: validate.InvalidChoice}
		}
		if accept {
			if err := startMembership(ctx, tx, cluster, org, role, at); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "membership_request", id, op)
	})
	if err != nil {
		return directory.MembershipRequest{}, db.mapError(err)
	}
	return db.GetMembershipRequest(ctx, id)
}

// startMembership adds the membership (keeping one that exists) and moves
// the organisation's version.
func startMembership(ctx context.Context, tx *Tx, cluster, org, role string, at time.Time) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE cluster_id = $1 AND organisation_id = $2`, cluster, org).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, $3, $4)`,
			cluster, org, role, at.Format(time.DateOnly)); err != nil {
			return fmt.Errorf("membership: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE organisations SET version = version + 1, updated_at = $2 WHERE id = $1`, org, at); err != nil {
		return err
	}
	return tx.Change(ctx, "organisation", org, "update")
}
