package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/facilities"
	"github.com/escnet/escnet/internal/schedule"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

var _ facilities.Store = (*DB)(nil)

// ---- the catalogue fields of a facility (columns of facilities)

const facilityProfileCols = `f.address, f.latitude, f.longitude, f.time_zone, f.capacity, f.uses, f.certifications, f.restrictions,
	f.access_conditions, f.price_model, f.price_cents, f.price_unit`

// facilityProfile scans the catalogue columns of a facility.
type facilityProfile struct {
	address, zone, uses, certs, restrictions, conditions, model, unit string
	lat, lon                                                          sql.NullFloat64
	capacity                                                          int
	price                                                             int64
}

func (p *facilityProfile) dest() []any {
	return []any{&p.address, &p.lat, &p.lon, &p.zone, &p.capacity, &p.uses, &p.certs, &p.restrictions, &p.conditions, &p.model, &p.price, &p.unit}
}

func (p *facilityProfile) fill(f *directory.Facility) {
	f.Address, f.TimeZone, f.Capacity, f.Uses, f.AccessConditions = p.address, p.zone, p.capacity, p.uses, p.conditions
	f.PriceModel, f.PriceCents, f.PriceUnit = p.model, p.price, p.unit
	if p.lat.Valid && p.lon.Valid {
		lat, lon := p.lat.Float64, p.lon.Float64
		f.Latitude, f.Longitude = &lat, &lon
	}
	f.Certifications = splitLines(p.certs)
	f.Restrictions = splitList(p.restrictions)
	if f.TimeZone == "" {
		f.TimeZone = directory.CountryZone(f.Country)
	}
}

func splitLines(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, "\n")
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// writeFacilityProfile writes the catalogue columns inside the facility's
// write.
func writeFacilityProfile(ctx context.Context, tx *Tx, f *directory.Facility) error {
	_, err := tx.ExecContext(ctx, `UPDATE facilities SET address = $2, latitude = $3, longitude = $4, time_zone = $5, capacity = $6, uses = $7,
		certifications = $8, restrictions = $9, access_conditions = $10, price_model = $11, price_cents = $12, price_unit = $13 WHERE id = $1`,
		f.ID, f.Address, nullFloat(f.Latitude), nullFloat(f.Longitude), f.TimeZone, f.Capacity, f.Uses,
		strings.Join(f.Certifications, "\n"), joinList(f.Restrictions), f.AccessConditions, f.PriceModel, f.PriceCents, f.PriceUnit)
	return err
}

// ---- resources

const resourceCols = `r.id, r.facility_id, r.slug, r.name, r.kind, r.description, r.capacity, r.approval, r.min_minutes, r.max_minutes,
	r.lead_minutes, r.buffer_minutes, r.opening_hours, r.quotas, r.active, r.created_at, r.updated_at, r.version`

func scanResource(row interface{ Scan(...any) error }) (facilities.Resource, error) {
	var r facilities.Resource
	var hours, quotas string
	err := row.Scan(&r.ID, &r.FacilityID, &r.Slug, &r.Name, &r.Kind, &r.Description, &r.Capacity, &r.Approval, &r.MinMinutes, &r.MaxMinutes,
		&r.LeadMinutes, &r.BufferMinutes, &hours, &quotas, &r.Active, &r.CreatedAt, &r.UpdatedAt, &r.Version)
	if err != nil {
		return r, err
	}
	if err := json.Unmarshal([]byte(hours), &r.OpeningHours); err != nil {
		return r, fmt.Errorf("resource %s opening hours: %w", r.ID, err)
	}
	if err := json.Unmarshal([]byte(quotas), &r.Quotas); err != nil {
		return r, fmt.Errorf("resource %s quotas: %w", r.ID, err)
	}
	return r, nil
}

// visibleFacility is the join and scope that make a facility's parts
// visible exactly when the facility is.
func visibleFacility(ctx context.Context, w *where, facilityCol string) string {
	w.facilityScope(access.ScopeFrom(ctx))
	return ` JOIN facilities f ON f.id = ` + facilityCol + ` JOIN organisations o ON o.id = f.organisation_id`
}

// ListResources lists a visible facility's resources by name.
func (db *DB) ListResources(ctx context.Context, facilityID string) ([]facilities.Resource, error) {
	w := where{args: []any{facilityID}}
	w.add("r.facility_id = $1")
	join := visibleFacility(ctx, &w, "r.facility_id")
	rows, err := db.query(ctx, `SELECT `+resourceCols+` FROM facility_resources r`+join+w.sql()+` ORDER BY r.name, r.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []facilities.Resource{}
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// GetResource returns a resource of a visible facility.
func (db *DB) GetResource(ctx context.Context, id string) (facilities.Resource, error) {
	w := where{args: []any{id}}
	w.add("r.id = $1")
	join := visibleFacility(ctx, &w, "r.facility_id")
	r, err := scanResource(db.queryRow(ctx, `SELECT `+resourceCols+` FROM facility_resources r`+join+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("resource", id)
	}
	return r, err
}

func resourceJSON(r *facilities.Resource) (string, string) {
	h, _ := json.Marshal(r.OpeningHours)
	q, _ := json.Marshal(r.Quotas)
	return string(h), string(q)
}

// mapResourceError names the slug when the (facility, slug) pair is taken.
func (db *DB) mapResourceError(err error) error {
	err = db.mapError(err)
	var ce *store.ConflictError
	if errors.As(err, &ce) && ce.Code == validate.Duplicate {
		return &store.ConflictError{Field: "slug", Code: validate.Duplicate}
	}
	return err
}

// CreateResource stores a new resource.
func (db *DB) CreateResource(ctx context.Context, r *facilities.Resource) error {
	r.ID = newID()
	r.UpdatedAt = now()
	r.CreatedAt = r.UpdatedAt
	hours, quotas := resourceJSON(r)
	return db.mapResourceError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO facility_resources (id, facility_id, slug, name, kind, description, capacity, approval, min_minutes, max_minutes,
			lead_minutes, buffer_minutes, opening_hours, quotas, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			r.ID, r.FacilityID, r.Slug, r.Name, r.Kind, r.Description, r.Capacity, r.Approval, r.MinMinutes, r.MaxMinutes,
			r.LeadMinutes, r.BufferMinutes, hours, quotas, r.Active, r.CreatedAt, r.UpdatedAt)
		if err != nil {
			return err
		}
		r.Version = 1
		return tx.Change(ctx, "resource", r.ID, "create")
	}))
}

// UpdateResource replaces resource r.ID (its facility stays). Bookings
// already made keep the buffer they were made with.
func (db *DB) UpdateResource(ctx context.Context, r *facilities.Resource) error {
	r.UpdatedAt = now()
	hours, quotas := resourceJSON(r)
	return db.mapResourceError(db.Transact(ctx, func(tx *Tx) error {
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT facility_id, created_at, version FROM facility_resources WHERE id = $1`, r.ID).Scan(&r.FacilityID, &r.CreatedAt, &cur); errors.Is(err, sql.ErrNoRows) {
			return notFound("resource", r.ID)
		} else if err != nil {
			return err
		}
		if err := expect(r.Version, cur, "resource", r.ID); err != nil {
			return err
		}
		r.Version = cur
		res, err := tx.ExecContext(ctx, `UPDATE facility_resources SET slug = $2, name = $3, kind = $4, description = $5, capacity = $6, approval = $7,
			min_minutes = $8, max_minutes = $9, lead_minutes = $10, buffer_minutes = $11, opening_hours = $12, quotas = $13, active = $14, updated_at = $15,
			version = version + 1 WHERE id = $1 AND version = $16`,
			r.ID, r.Slug, r.Name, r.Kind, r.Description, r.Capacity, r.Approval, r.MinMinutes, r.MaxMinutes, r.LeadMinutes, r.BufferMinutes,
			hours, quotas, r.Active, r.UpdatedAt, r.Version)
		if err != nil {
			return err
		}
		if err := written(res, "resource", r.ID, false, &r.Version); err != nil {
			return err
		}
		return tx.Change(ctx, "resource", r.ID, "update")
	}))
}

// DeleteResource removes a resource without bookings, with its
// closures; one that was booked stays (deactivate it instead).
func (db *DB) DeleteResource(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM bookings WHERE resource_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &store.ConflictError{Field: "id", Code: validate.InUse}
		}
		return deleteRow(ctx, tx, "facility_resources", "resource", id)
	}))
}

// ---- blackouts

const blackoutCols = `bo.id, bo.facility_id, COALESCE(bo.resource_id, ''), bo.kind, bo.starts_at, bo.ends_at, bo.reason, bo.created_at`

func scanBlackout(row interface{ Scan(...any) error }) (facilities.Blackout, error) {
	var b facilities.Blackout
	err := row.Scan(&b.ID, &b.FacilityID, &b.ResourceID, &b.Kind, &b.StartsAt, &b.EndsAt, &b.Reason, &b.CreatedAt)
	b.StartsAt, b.EndsAt = b.StartsAt.UTC(), b.EndsAt.UTC()
	return b, err
}

func scanBlackouts(rows *sql.Rows, err error) ([]facilities.Blackout, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []facilities.Blackout{}
	for rows.Next() {
		b, err := scanBlackout(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// ListBlackouts lists a visible facility's blackouts overlapping [from, to).
func (db *DB) ListBlackouts(ctx context.Context, facilityID string, from, to time.Time) ([]facilities.Blackout, error) {
	w := where{args: []any{facilityID, from.UTC(), to.UTC()}}
	w.add("bo.facility_id = $1 AND bo.ends_at > $2 AND bo.starts_at < $3")
	join := visibleFacility(ctx, &w, "bo.facility_id")
	return scanBlackouts(db.query(ctx, `SELECT `+blackoutCols+` FROM facility_blackouts bo`+join+w.sql()+` ORDER BY bo.starts_at, bo.id`, w.args...))
}

// GetBlackout returns a blackout of a visible facility.
func (db *DB) GetBlackout(ctx context.Context, id string) (facilities.Blackout, error) {
	w := where{args: []any{id}}
	w.add("bo.id = $1")
	join := visibleFacility(ctx, &w, "bo.facility_id")
	b, err := scanBlackout(db.queryRow(ctx, `SELECT `+blackoutCols+` FROM facility_blackouts bo`+join+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("blackout", id)
	}
	return b, err
}

// CreateBlackout stores a blackout period.
func (db *DB) CreateBlackout(ctx context.Context, b *facilities.Blackout) error {
	b.ID, b.CreatedAt = newID(), now()
	b.StartsAt, b.EndsAt = b.StartsAt.UTC(), b.EndsAt.UTC()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO facility_blackouts (id, facility_id, resource_id, kind, starts_at, ends_at, reason, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, b.ID, b.FacilityID, nullable(b.ResourceID), b.Kind, b.StartsAt, b.EndsAt, b.Reason, b.CreatedAt)
		if err != nil {
			return err
		}
		return tx.Change(ctx, "blackout", b.ID, "create")
	}))
}

// DeleteBlackout removes a blackout period.
func (db *DB) DeleteBlackout(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return deleteRow(ctx, tx, "facility_blackouts", "blackout", id) }))
}

// ---- approvers

// ListApprovers lists the named approvers of a facility by e-mail.
func (db *DB) ListApprovers(ctx context.Context, facilityID string) ([]facilities.Approver, error) {
	rows, err := db.query(ctx, `SELECT u.id, u.email, u.name, COALESCE(u.organisation_id, '') FROM facility_approvers a JOIN users u ON u.id = a.user_id
		WHERE a.facility_id = $1 ORDER BY u.email`, facilityID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []facilities.Approver{}
	for rows.Next() {
		var a facilities.Approver
		if err := rows.Scan(&a.UserID, &a.Email, &a.Name, &a.OrganisationID); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// SetApprovers replaces the named approvers of a facility.
func (db *DB) SetApprovers(ctx context.Context, facilityID string, userIDs []string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM facility_approvers WHERE facility_id = $1`, facilityID); err != nil {
			return err
		}
		for _, u := range userIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO facility_approvers (facility_id, user_id) VALUES ($1, $2)`, facilityID, u); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "facility", facilityID, "approvers")
	}))
}

// IsNamedApprover reports whether userID is a named approver of the facility.
func (db *DB) IsNamedApprover(ctx context.Context, facilityID, userID string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM facility_approvers WHERE facility_id = $1 AND user_id = $2`, facilityID, userID).Scan(&n)
	return n > 0, err
}

// approvableCond is the SQL form of access.CanApproveBookings for the
// facility f owned by o: alliance administrators; named approvers;
// administrators of the owning organisation; managers of the facility's
// cluster or of a cluster the owner belongs to.
func (w *where) approvable(v access.Viewer) {
	if v.AllianceAdmin {
		return
	}
	ors := []string{"EXISTS (SELECT 1 FROM facility_approvers fa WHERE fa.facility_id = f.id AND fa.user_id = " + w.arg(v.UserID) + ")"}
	if v.OrgAdmin && v.OrganisationID != "" {
		ors = append(ors, "f.organisation_id = "+w.arg(v.OrganisationID))
	}
	if len(v.ManagedClusters) > 0 {
		ors = append(ors, "f.cluster_id IN ("+w.inList(v.ManagedClusters)+")",
			"EXISTS (SELECT 1 FROM memberships am WHERE am.organisation_id = f.organisation_id AND am.cluster_id IN ("+w.inList(v.ManagedClusters)+"))")
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
}

// ApprovableFacilities lists the visible facilities whose bookings v may
// decide on.
func (db *DB) ApprovableFacilities(ctx context.Context, v access.Viewer) ([]string, error) {
	out := []string{}
	if v.Anonymous() {
		return out, nil
	}
	var w where
	w.facilityScope(access.ScopeFrom(ctx))
	w.approvable(v)
	rows, err := db.query(ctx, `SELECT f.id FROM facilities f JOIN organisations o ON o.id = f.organisation_id`+w.sql()+` ORDER BY f.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// ApproverEmails returns the addresses of everyone who decides on the
// facility's bookings (alliance administrators aside): named approvers,
// administrators of the owning organisation, managers of the facility's
// cluster.
func (db *DB) ApproverEmails(ctx context.Context, facilityID string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT u.email FROM users u WHERE u.disabled = $2 AND u.email LIKE '%@%' AND (
		u.id IN (SELECT user_id FROM facility_approvers WHERE facility_id = $1)
		OR (u.org_admin = $3 AND u.organisation_id = (SELECT organisation_id FROM facilities WHERE id = $1))
		OR u.id IN (SELECT cm.user_id FROM cluster_managers cm JOIN facilities f ON f.cluster_id = cm.cluster_id WHERE f.id = $1))
		ORDER BY u.email`, facilityID, false, true)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ---- bookings

const bookingCols = `b.id, b.resource_id, r.name, b.facility_id, f.name, f.slug, b.organisation_id, bo_org.name, b.cluster_id, b.requester_id,
	b.status, b.starts_at, b.ends_at, b.blocked_until, b.time_zone, b.purpose, b.participants, b.reason, b.decided_by, b.created_at, b.updated_at`

const bookingFrom = ` FROM bookings b JOIN facility_resources r ON r.id = b.resource_id JOIN facilities f ON f.id = b.facility_id
	JOIN organisations o ON o.id = f.organisation_id JOIN organisations bo_org ON bo_org.id = b.organisation_id`

func scanBooking(row interface{ Scan(...any) error }) (facilities.Booking, error) {
	var b facilities.Booking
	err := row.Scan(&b.ID, &b.ResourceID, &b.ResourceName, &b.FacilityID, &b.FacilityName, &b.FacilitySlug, &b.OrganisationID, &b.OrganisationName,
		&b.ClusterID, &b.RequesterID, &b.Status, &b.StartsAt, &b.EndsAt, &b.BlockedUntil, &b.TimeZone, &b.Purpose, &b.Participants,
		&b.Reason, &b.DecidedBy, &b.CreatedAt, &b.UpdatedAt)
	b.StartsAt, b.EndsAt, b.BlockedUntil = b.StartsAt.UTC(), b.EndsAt.UTC(), b.BlockedUntil.UTC()
	return b, err
}

func scanBookings(rows *sql.Rows, err error) ([]facilities.Booking, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []facilities.Booking{}
	for rows.Next() {
		b, err := scanBooking(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// GetBooking returns a booking of a visible facility; whether the viewer
// may see the booking itself is the caller's question (access).
func (db *DB) GetBooking(ctx context.Context, id string) (facilities.Booking, error) {
	w := where{args: []any{id}}
	w.add("b.id = $1")
	w.facilityScope(access.ScopeFrom(ctx))
	b, err := scanBooking(db.queryRow(ctx, `SELECT `+bookingCols+bookingFrom+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("booking", id)
	}
	return b, err
}

// ListBookings lists bookings of visible facilities by start.
func (db *DB) ListBookings(ctx context.Context, f facilities.Filter) ([]facilities.Booking, error) {
	var w where
	w.facilityScope(access.ScopeFrom(ctx))
	if f.FacilityID != "" {
		w.add("b.facility_id = " + w.arg(f.FacilityID))
	}
	if f.FacilityIDs != nil {
		if len(f.FacilityIDs) == 0 {
			return []facilities.Booking{}, nil
		}
		w.add("b.facility_id IN (" + w.inList(f.FacilityIDs) + ")")
	}
	if f.ResourceID != "" {
		w.add("b.resource_id = " + w.arg(f.ResourceID))
	}
	if f.RequesterID != "" {
		w.add("b.requester_id = " + w.arg(f.RequesterID))
	}
	if f.Organisation != "" {
		w.add("b.organisation_id = " + w.arg(f.Organisation))
	}
	if f.Status != "" {
		w.add("b.status = " + w.arg(f.Status))
	}
	if !f.From.IsZero() {
		w.add("b.ends_at > " + w.arg(f.From.UTC()))
	}
	if !f.To.IsZero() {
		w.add("b.starts_at < " + w.arg(f.To.UTC()))
	}
	limit := f.Limit
	if limit <= 0 || limit > 5000 {
		limit = 500
	}
	return scanBookings(db.query(ctx, `SELECT `+bookingCols+bookingFrom+w.sql()+` ORDER BY b.starts_at, b.id LIMIT `+w.arg(limit), w.args...))
}

// bookingSnapshot reads, inside tx, what the rules need to decide on a booking
// of resourceID from start to end by org. It first bumps the resource's
// lock_version: on PostgreSQL that row lock makes concurrent bookings of
// one resource wait for each other, so the check below and the write that
// follows see every booking committed before them; on SQLite the single
// writer already does. The exclusion constraint (a trigger on SQLite)
// stays the last word.
func bookingSnapshot(ctx context.Context, tx *Tx, resourceID, org string, start, end time.Time) (facilities.Snapshot, error) {
	var s facilities.Snapshot
	res, err := tx.ExecContext(ctx, `UPDATE facility_resources SET lock_version = lock_version + 1 WHERE id = $1`, resourceID)
	if err != nil {
		return s, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return s, validate.Errors{{Field: "resource_id", Code: validate.NotFound}}
	}
	if s.Resource, err = scanResource(tx.QueryRowContext(ctx, `SELECT `+resourceCols+` FROM facility_resources r WHERE r.id = $1`, resourceID)); err != nil {
		return s, err
	}
	f := &s.Facility
	var p facilityProfile
	err = tx.QueryRowContext(ctx, `SELECT f.id, f.slug, f.name, f.organisation_id, COALESCE(f.cluster_id, ''), f.country, `+facilityProfileCols+` FROM facilities f WHERE f.id = $1`,
		s.Resource.FacilityID).Scan(append([]any{&f.ID, &f.Slug, &f.Name, &f.OrganisationID, &f.ClusterID, &f.Country}, p.dest()...)...)
	if err != nil {
		return s, err
	}
	p.fill(f)
	lo, hi := facilities.Window(s.Resource, start, end)
	if s.Blackouts, err = scanBlackouts(tx.QueryContext(ctx, `SELECT `+blackoutCols+` FROM facility_blackouts bo
		WHERE bo.facility_id = $1 AND bo.ends_at > $2 AND bo.starts_at < $3 ORDER BY bo.starts_at`, f.ID, lo, hi)); err != nil {
		return s, err
	}
	if s.Nearby, err = scanBookings(tx.QueryContext(ctx, `SELECT `+bookingCols+bookingFrom+`
		WHERE b.resource_id = $1 AND b.status IN ('requested', 'waitlisted', 'approved', 'confirmed') AND b.blocked_until > $2 AND b.starts_at < $3
		ORDER BY b.created_at, b.id`, resourceID, lo, hi)); err != nil {
		return s, err
	}
	if len(s.Resource.Quotas) > 0 && org != "" {
		loc, err := schedule.Location(f.TimeZone)
		if err != nil {
			return s, err
		}
		qlo, qhi := facilities.QuotaWindow(s.Resource, loc, start)
		if s.OrgBookings, err = scanBookings(tx.QueryContext(ctx, `SELECT `+bookingCols+bookingFrom+`
			WHERE b.resource_id = $1 AND b.organisation_id = $2 AND b.status IN ('requested', 'approved', 'confirmed', 'completed') AND b.starts_at >= $3 AND b.starts_at < $4`,
			resourceID, org, qlo, qhi)); err != nil {
			return s, err
		}
	}
	return s, nil
}

// writeSteps writes the booking states decide returned, auditing each
// step; the first step of a new booking inserts it.
func writeSteps(ctx context.Context, tx *Tx, steps []facilities.Step, insertID string) error {
	inserted := false
	for _, st := range steps {
		b := st.Booking
		if b.ID == insertID && !inserted {
			inserted = true
			_, err := tx.ExecContext(ctx, `INSERT INTO bookings (id, resource_id, facility_id, organisation_id, cluster_id, requester_id, status,
				starts_at, ends_at, blocked_until, time_zone, purpose, participants, reason, decided_by, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
				b.ID, b.ResourceID, b.FacilityID, b.OrganisationID, b.ClusterID, b.RequesterID, b.Status,
				b.StartsAt.UTC(), b.EndsAt.UTC(), b.BlockedUntil.UTC(), b.TimeZone, b.Purpose, b.Participants, b.Reason, b.DecidedBy, b.CreatedAt, b.UpdatedAt)
			if err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, `UPDATE bookings SET status = $2, reason = $3, decided_by = $4, updated_at = $5 WHERE id = $1`,
				b.ID, b.Status, b.Reason, b.DecidedBy, now())
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFound("booking", b.ID)
			}
		}
		if err := tx.Change(ctx, "booking", b.ID, st.Action); err != nil {
			return err
		}
	}
	return nil
}

// mapBookingError names the slot when the database refused an overlap.
func (db *DB) mapBookingError(err error) error {
	if ex, ok := db.dialect.(interface{ Exclusion(error) (string, bool) }); ok && err != nil {
		if name, ok := ex.Exclusion(err); ok && name == "ex_bookings_slot" {
			return &store.ConflictError{Field: "starts_at", Code: facilities.BookingTaken}
		}
	}
	return db.mapError(err)
}

// CreateBooking decides and writes a new booking in one transaction.
func (db *DB) CreateBooking(ctx context.Context, b *facilities.Booking, decide func(facilities.Booking, facilities.Snapshot) ([]facilities.Step, error)) ([]facilities.Step, error) {
	b.ID = newID()
	b.UpdatedAt = now()
	b.CreatedAt = b.UpdatedAt
	var steps []facilities.Step
	err := db.Transact(ctx, func(tx *Tx) error {
		s, err := bookingSnapshot(ctx, tx, b.ResourceID, b.OrganisationID, b.StartsAt, b.EndsAt)
		if err != nil {
			return err
		}
		if steps, err = decide(*b, s); err != nil {
			return err
		}
		return writeSteps(ctx, tx, steps, b.ID)
	})
	if err != nil {
		return nil, db.mapBookingError(err)
	}
	return steps, nil
}

// ChangeBooking decides and writes a step of an existing booking in one
// transaction.
func (db *DB) ChangeBooking(ctx context.Context, id string, decide func(facilities.Booking, facilities.Snapshot) ([]facilities.Step, error)) ([]facilities.Step, error) {
	var steps []facilities.Step
	err := db.Transact(ctx, func(tx *Tx) error {
		var resourceID string
		if err := tx.QueryRowContext(ctx, `SELECT resource_id FROM bookings WHERE id = $1`, id).Scan(&resourceID); errors.Is(err, sql.ErrNoRows) {
			return notFound("booking", id)
		} else if err != nil {
			return err
		}
		// Lock the resource first, then read the booking as it is now.
		if _, err := tx.ExecContext(ctx, `UPDATE facility_resources SET lock_version = lock_version + 1 WHERE id = $1`, resourceID); err != nil {
			return err
		}
		b, err := scanBooking(tx.QueryRowContext(ctx, `SELECT `+bookingCols+bookingFrom+` WHERE b.id = $1`, id))
		if err != nil {
			return err
		}
		s, err := bookingSnapshot(ctx, tx, resourceID, b.OrganisationID, b.StartsAt, b.BlockedUntil)
		if err != nil {
			return err
		}
		if steps, err = decide(b, s); err != nil {
			return err
		}
		return writeSteps(ctx, tx, steps, "")
	})
	if err != nil {
		return nil, db.mapBookingError(err)
	}
	return steps, nil
}

// ---- calendar feed tokens

const calendarCols = `id, user_id, kind, target_id, name, hash, created_at, revoked_at`

func scanCalendarToken(row interface{ Scan(...any) error }) (facilities.CalendarToken, error) {
	var t facilities.CalendarToken
	var revoked sql.NullTime
	err := row.Scan(&t.ID, &t.UserID, &t.Kind, &t.TargetID, &t.Name, &t.Hash, &t.CreatedAt, &revoked)
	if revoked.Valid {
		at := revoked.Time
		t.RevokedAt = &at
	}
	return t, err
}

// CreateCalendarToken stores a feed token (its hash).
func (db *DB) CreateCalendarToken(ctx context.Context, t *facilities.CalendarToken) error {
	t.ID, t.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO calendar_tokens (id, hash, user_id, kind, target_id, name, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			t.ID, t.Hash, t.UserID, t.Kind, t.TargetID, t.Name, t.CreatedAt)
		if err != nil {
			return err
		}
		return tx.Change(ctx, "calendar_token", t.ID, "create")
	}))
}

// CalendarTokenByHash finds an unrevoked feed token.
func (db *DB) CalendarTokenByHash(ctx context.Context, hash string) (facilities.CalendarToken, error) {
	t, err := scanCalendarToken(db.queryRow(ctx, `SELECT `+calendarCols+` FROM calendar_tokens WHERE hash = $1 AND revoked_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("calendar token: %w", store.ErrNotFound)
	}
	return t, err
}

// ListCalendarTokens lists a user's feed tokens, newest first.
func (db *DB) ListCalendarTokens(ctx context.Context, userID string) ([]facilities.CalendarToken, error) {
	rows, err := db.query(ctx, `SELECT `+calendarCols+` FROM calendar_tokens WHERE user_id = $1 ORDER BY created_at DESC, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []facilities.CalendarToken{}
	for rows.Next() {
		t, err := scanCalendarToken(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeCalendarToken ends one of the user's feed tokens.
func (db *DB) RevokeCalendarToken(ctx context.Context, userID, id string, at time.Time) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE calendar_tokens SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, id, userID, at)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("calendar token", id)
		}
		return tx.Change(ctx, "calendar_token", id, "revoke")
	}))
}
