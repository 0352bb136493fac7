package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/store"
)

var _ exchanges.Store = (*DB)(nil)

// OrgAdminCount counts the enabled administrators of an organisation.
func (db *DB) OrgAdminCount(ctx context.Context, orgID string) (int, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM users WHERE organisation_id = $1 AND org_admin = $2 AND disabled = $3`, orgID, true, false).Scan(&n)
	return n, err
}

const offerCols = `x.id, x.organisation_id, o.name, o.kind, x.kind, x.topic, x.description, x.capabilities, x.language, x.starts_on, x.ends_on,
	x.weeks, x.place, x.country, x.facilities, x.visibility, x.created_at`

func scanOffer(r interface{ Scan(...any) error }) (exchanges.Offer, error) {
	var x exchanges.Offer
	var caps, facs string
	err := r.Scan(&x.ID, &x.OrganisationID, &x.HostName, &x.HostKind, &x.Kind, &x.Topic, &x.Description, &caps, &x.Language, &x.StartsOn, &x.EndsOn,
		&x.Weeks, &x.Place, &x.Country, &facs, &x.Visibility, &x.CreatedAt)
	x.Capabilities, x.Facilities = splitList(caps), splitList(facs)
	return x, err
}

// CreateOffer stores an offer.
func (db *DB) CreateOffer(ctx context.Context, x *exchanges.Offer) error {
	x.ID, x.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO exchange_offers (id, organisation_id, kind, topic, description, capabilities, language, starts_on, ends_on,
			weeks, place, country, facilities, visibility, reach, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
			x.ID, x.OrganisationID, x.Kind, x.Topic, x.Description, joinList(x.Capabilities), x.Language, x.StartsOn, x.EndsOn, x.Weeks, x.Place, x.Country,
			joinList(x.Facilities), x.Visibility, int(access.LevelReach(x.Visibility)), x.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "exchange_offer", x.ID, "create")
	}))
}

func (db *DB) offers(ctx context.Context, cond string, args ...any) ([]exchanges.Offer, error) {
	w := where{args: args}
	if cond != "" {
		w.add(cond)
	}
	w.scope(access.ScopeFrom(ctx), "x.reach", "x.organisation_id", "x.tlp")
	w.scope(access.ScopeFrom(ctx), "o.reach", "o.id", "o.tlp")
	rows, err := db.query(ctx, `SELECT `+offerCols+` FROM exchange_offers x JOIN organisations o ON o.id = x.organisation_id`+w.sql()+` ORDER BY x.starts_on, x.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exchanges.Offer{}
	for rows.Next() {
		x, err := scanOffer(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// GetOffer returns a visible offer.
func (db *DB) GetOffer(ctx context.Context, id string) (exchanges.Offer, error) {
	xs, err := db.offers(ctx, "x.id = $1", id)
	if err != nil {
		return exchanges.Offer{}, err
	}
	if len(xs) == 0 {
		return exchanges.Offer{}, notFound("offer", id)
	}
	return xs[0], nil
}

// ListOffers lists the visible offers by start date.
func (db *DB) ListOffers(ctx context.Context) ([]exchanges.Offer, error) { return db.offers(ctx, "") }

const requestCols = `r.id, r.user_id, r.organisation_id, o.kind, r.topic, r.capabilities, r.language, r.country, r.starts_on, r.ends_on, r.visibility, r.created_at`

func (db *DB) requests(ctx context.Context, cond string, args ...any) ([]exchanges.Request, error) {
	w := where{args: args}
	if cond != "" {
		w.add(cond)
	}
	w.scope(access.ScopeFrom(ctx), "r.reach", "r.organisation_id", "r.tlp")
	w.scope(access.ScopeFrom(ctx), "o.reach", "o.id", "o.tlp")
	rows, err := db.query(ctx, `SELECT `+requestCols+` FROM exchange_requests r JOIN organisations o ON o.id = r.organisation_id`+w.sql()+` ORDER BY r.starts_on, r.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exchanges.Request{}
	for rows.Next() {
		var r exchanges.Request
		var caps string
		if err := rows.Scan(&r.ID, &r.UserID, &r.OrganisationID, &r.OrgKind, &r.Topic, &caps, &r.Language, &r.Country, &r.StartsOn, &r.EndsOn, &r.Visibility, &r.CreatedAt); err != nil {
			return nil, err
		}
		r.Capabilities = splitList(caps)
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateRequest stores a request.
func (db *DB) CreateRequest(ctx context.Context, r *exchanges.Request) error {
	r.ID, r.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO exchange_requests (id, user_id, organisation_id, topic, capabilities, language, country, starts_on, ends_on, visibility, reach, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, r.ID, r.UserID, r.OrganisationID, r.Topic, joinList(r.Capabilities), r.Language, r.Country,
			r.StartsOn, r.EndsOn, r.Visibility, int(access.LevelReach(r.Visibility)), r.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "exchange_request", r.ID, "create")
	}))
}

// GetRequest returns a visible request.
func (db *DB) GetRequest(ctx context.Context, id string) (exchanges.Request, error) {
	rs, err := db.requests(ctx, "r.id = $1", id)
	if err != nil {
		return exchanges.Request{}, err
	}
	if len(rs) == 0 {
		return exchanges.Request{}, notFound("request", id)
	}
	return rs[0], nil
}

// ListRequests lists the visible requests.
func (db *DB) ListRequests(ctx context.Context) ([]exchanges.Request, error) {
	return db.requests(ctx, "")
}

const applicationCols = `id, offer_id, user_id, guest_org_id, tasks, supervisor, starts_on, ends_on, records, cross_sector, home_approved_by, host_approved_by,
	guest_signed_at, host_signed_at, guest_report, host_report, report_entry_id, version, created_at`

func scanApplication(r interface{ Scan(...any) error }) (exchanges.Application, error) {
	var a exchanges.Application
	var records string
	var gs, hs sql.NullTime
	err := r.Scan(&a.ID, &a.OfferID, &a.UserID, &a.GuestOrgID, &a.Tasks, &a.Supervisor, &a.StartsOn, &a.EndsOn, &records, &a.CrossSector,
		&a.HomeApprovedBy, &a.HostApprovedBy, &gs, &hs, &a.GuestReport, &a.HostReport, &a.ReportEntryID, &a.Version, &a.CreatedAt)
	a.Records = splitList(records)
	if gs.Valid {
		t := gs.Time
		a.GuestSignedAt = &t
	}
	if hs.Valid {
		t := hs.Time
		a.HostSignedAt = &t
	}
	return a, err
}

// CreateApplication stores an application.
func (db *DB) CreateApplication(ctx context.Context, a *exchanges.Application) error {
	a.ID, a.CreatedAt, a.Version = newID(), now(), 1
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO exchange_applications (id, offer_id, user_id, guest_org_id, tasks, supervisor, starts_on, ends_on, records, cross_sector, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`, a.ID, a.OfferID, a.UserID, a.GuestOrgID, a.Tasks, a.Supervisor, a.StartsOn, a.EndsOn,
			joinList(a.Records), a.CrossSector, a.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "exchange_application", a.ID, "create")
	}))
}

// GetApplication returns an application (the service decides who sees it).
func (db *DB) GetApplication(ctx context.Context, id string) (exchanges.Application, error) {
	a, err := scanApplication(db.queryRow(ctx, `SELECT `+applicationCols+` FROM exchange_applications WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("application", id)
	}
	return a, err
}

// ListApplications lists every application, newest first.
func (db *DB) ListApplications(ctx context.Context) ([]exchanges.Application, error) {
	rows, err := db.query(ctx, `SELECT `+applicationCols+` FROM exchange_applications ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exchanges.Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return *t
}

// UpdateApplication writes an application's course if expected (when
// not 0) is its version.
func (db *DB) UpdateApplication(ctx context.Context, a *exchanges.Application, expected int) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var current int
		if err := tx.QueryRowContext(ctx, `SELECT version FROM exchange_applications WHERE id = $1`, a.ID).Scan(&current); errors.Is(err, sql.ErrNoRows) {
			return notFound("application", a.ID)
		} else if err != nil {
			return err
		}
		if expected != 0 && expected != current {
			return store.ErrStale
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exchange_applications SET home_approved_by = $2, host_approved_by = $3, guest_signed_at = $4, host_signed_at = $5,
			guest_report = $6, host_report = $7, report_entry_id = $8, version = version + 1 WHERE id = $1 AND version = $9`,
			a.ID, a.HomeApprovedBy, a.HostApprovedBy, nullTime(a.GuestSignedAt), nullTime(a.HostSignedAt), a.GuestReport, a.HostReport, a.ReportEntryID, current); err != nil {
			return err
		}
		a.Version = current + 1
		return tx.Change(ctx, "exchange_application", a.ID, "update")
	}))
}

// ExchangeApplicationsOfUser lists one guest's applications, newest first.
func (db *DB) ExchangeApplicationsOfUser(ctx context.Context, userID string) ([]exchanges.Application, error) {
	rows, err := db.query(ctx, `SELECT `+applicationCols+` FROM exchange_applications WHERE user_id = $1 ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exchanges.Application{}
	for rows.Next() {
		a, err := scanApplication(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ExchangeUserNames returns the names of accounts by id (the e-mail
// address's local part for an account without a name).
func (db *DB) ExchangeUserNames(ctx context.Context, ids []string) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	rows, err := db.query(ctx, `SELECT id, name, email FROM users WHERE id IN (`+w.inList(ids)+`)`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name, email string
		if err := rows.Scan(&id, &name, &email); err != nil {
			return nil, err
		}
		if name == "" {
			name, _, _ = strings.Cut(email, "@")
		}
		out[id] = name
	}
	return out, rows.Err()
}

// ExchangeHostFacilities lists an organisation's facilities by name
// (within the scope).
func (db *DB) ExchangeHostFacilities(ctx context.Context, orgID string) ([]directory.Facility, error) {
	w := where{args: []any{orgID}}
	w.add("f.organisation_id = $1")
	w.facilityScope(access.ScopeFrom(ctx))
	rows, err := db.query(ctx, `SELECT f.id, f.slug, f.name FROM facilities f JOIN organisations o ON o.id = f.organisation_id`+w.sql()+` ORDER BY f.sort_key, f.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []directory.Facility{}
	for rows.Next() {
		var f directory.Facility
		if err := rows.Scan(&f.ID, &f.Slug, &f.Name); err != nil {
			return nil, err
		}
		f.OrganisationID = orgID
		out = append(out, f)
	}
	return out, rows.Err()
}
