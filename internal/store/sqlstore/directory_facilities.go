package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// ---- facilities

const facilityCols = `f.id, f.slug, f.name, f.kind, f.organisation_id, o.name, COALESCE(f.cluster_id, ''), COALESCE(c.name, ''),
	f.country, f.city, f.website, f.description, f.visibility, f.tlp, f.created_at, f.updated_at, f.version, f.sort_key, ` + facilityProfileCols

const facilityFrom = `facilities f JOIN organisations o ON o.id = f.organisation_id LEFT JOIN clusters c ON c.id = f.cluster_id`

func scanFacility(r interface{ Scan(...any) error }) (keyed[directory.Facility], error) {
	var f directory.Facility
	var key string
	var p facilityProfile
	err := r.Scan(append([]any{&f.ID, &f.Slug, &f.Name, &f.Kind, &f.OrganisationID, &f.OrganisationName, &f.ClusterID, &f.ClusterName,
		&f.Country, &f.City, &f.Website, &f.Description, &f.Visibility, &f.TLP, &f.CreatedAt, &f.UpdatedAt, &f.Version, &key}, p.dest()...)...)
	p.fill(&f)
	return keyed[directory.Facility]{f, key, f.ID}, err
}

// ListFacilities lists facilities by name.
func (db *DB) ListFacilities(ctx context.Context, f directory.Filter) (directory.Page[directory.Facility], error) {
	var w where
	w.facilityScope(access.ScopeFrom(ctx))
	w.text("f.search_text", f.Query)
	if f.Country != "" {
		w.add("f.country = " + w.arg(f.Country))
	}
	if f.Kind != "" {
		w.add("f.kind = " + w.arg(f.Kind))
	}
	if f.Cluster != "" {
		a := w.arg(f.Cluster)
		w.add("(c.id = " + a + " OR c.slug = " + a + ")")
	}
	if f.Organisation != "" {
		a := w.arg(f.Organisation)
		w.add("(o.id = " + a + " OR o.slug = " + a + ")")
	}
	if f.Capability != "" {
		w.capability("facility_capabilities", "f.id", "facility_id", f.Capability)
	}
	p, ids, err := page(ctx, db, f, static(facilityCols), facilityFrom, "f", &w, func(r *sql.Rows) (keyed[directory.Facility], error) { return scanFacility(r) })
	if err != nil {
		return p, err
	}
	caps, err := db.links(ctx, `SELECT facility_id, capability_code FROM facility_capabilities WHERE facility_id IN (%s) ORDER BY facility_id, position`, ids)
	for i := range p.Items {
		p.Items[i].Capabilities = orEmpty(caps[p.Items[i].ID])
	}
	return p, err
}

// GetFacility returns the facility with that id or slug.
func (db *DB) GetFacility(ctx context.Context, key string) (directory.Facility, error) {
	w := where{args: []any{key}}
	w.add("(f.id = $1 OR f.slug = $1)")
	w.facilityScope(access.ScopeFrom(ctx))
	k, err := scanFacility(db.queryRow(ctx, `SELECT `+facilityCols+` FROM `+facilityFrom+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return directory.Facility{}, notFound("facility", key)
	}
	if err != nil {
		return directory.Facility{}, err
	}
	f := k.item
	caps, err := db.links(ctx, `SELECT facility_id, capability_code FROM facility_capabilities WHERE facility_id IN (%s) ORDER BY position`, []string{f.ID})
	f.Capabilities = orEmpty(caps[f.ID])
	return f, err
}

func writeFacility(ctx context.Context, tx *Tx, f *directory.Facility, create bool) error {
	key := directory.Fold(f.Name)
	search := directory.SearchText(f.Name, f.Slug, f.City, f.Country, f.OrganisationName, f.Description)
	var res sql.Result
	var err error
	if create {
		res, err = tx.ExecContext(ctx, `INSERT INTO facilities (id, slug, name, sort_key, search_text, kind, organisation_id, cluster_id, country, city, website, description, created_at, updated_at, visibility, tlp, reach)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
			f.ID, f.Slug, f.Name, key, search, f.Kind, f.OrganisationID, nullable(f.ClusterID), f.Country, f.City, f.Website, f.Description, f.CreatedAt, f.UpdatedAt,
			f.Visibility, f.TLP, int(access.EffectiveReach(f.Visibility, f.TLP)))
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE facilities SET slug = $2, name = $3, sort_key = $4, search_text = $5, kind = $6, organisation_id = $7, cluster_id = $8,
			country = $9, city = $10, website = $11, description = $12, updated_at = $13, visibility = $14, tlp = $15, reach = $16, version = version + 1
			WHERE id = $1 AND version = $17`,
			f.ID, f.Slug, f.Name, key, search, f.Kind, f.OrganisationID, nullable(f.ClusterID), f.Country, f.City, f.Website, f.Description, f.UpdatedAt,
			f.Visibility, f.TLP, int(access.EffectiveReach(f.Visibility, f.TLP)), f.Version)
	}
	if err != nil {
		return err
	}
	if err := written(res, "facility", f.ID, create, &f.Version); err != nil {
		return err
	}
	if err := replaceLinks(ctx, tx, "facility_capabilities", "facility_id", "capability_code", f.ID, f.Capabilities); err != nil {
		return err
	}
	if err := writeFacilityProfile(ctx, tx, f); err != nil {
		return err
	}
	return tx.Change(ctx, "facility", f.ID, map[bool]string{true: "create", false: "update"}[create])
}

// CreateFacility stores a new facility.
func (db *DB) CreateFacility(ctx context.Context, f *directory.Facility) error {
	f.ID = newID()
	f.UpdatedAt = now()
	f.CreatedAt = f.UpdatedAt
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return writeFacility(ctx, tx, f, true) }))
}

// UpdateFacility replaces facility f.ID.
func (db *DB) UpdateFacility(ctx context.Context, f *directory.Facility) error {
	f.UpdatedAt = now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := current(ctx, tx, "facilities", "facility", f.ID, &f.CreatedAt, &f.Version); err != nil {
			return err
		}
		return writeFacility(ctx, tx, f, false)
	}))
}

// DeleteFacility removes a facility.
func (db *DB) DeleteFacility(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return deleteRow(ctx, tx, "facilities", "facility", id) }))
}
