package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// ---- organisations

const orgCols = `o.id, o.slug, o.name, o.short_name, o.kind, o.sme, o.country, o.city, o.website,
	COALESCE(o.pic, ''), COALESCE(o.vat, ''), o.description, o.visibility, o.tlp, o.created_at, o.updated_at, o.version, o.sort_key`

func scanOrg(r interface{ Scan(...any) error }) (keyed[directory.Organisation], error) {
	var o directory.Organisation
	var key string
	err := r.Scan(&o.ID, &o.Slug, &o.Name, &o.ShortName, &o.Kind, &o.SME, &o.Country, &o.City, &o.Website,
		&o.PIC, &o.VAT, &o.Description, &o.Visibility, &o.TLP, &o.CreatedAt, &o.UpdatedAt, &o.Version, &key)
	return keyed[directory.Organisation]{o, key, o.ID}, err
}

func (w *where) inCluster(owner, cluster string) {
	a := w.arg(cluster)
	w.add(fmt.Sprintf(`EXISTS (SELECT 1 FROM memberships m JOIN clusters mc ON mc.id = m.cluster_id WHERE m.organisation_id = %s AND (mc.id = %s OR mc.slug = %s))`, owner, a, a))
}

// ListOrganisations lists organisations by name.
func (db *DB) ListOrganisations(ctx context.Context, f directory.Filter) (directory.Page[directory.Organisation], error) {
	w := orgWhere(ctx, f)
	p, ids, err := page(ctx, db, f, static(orgCols), "organisations o", "o", w, func(r *sql.Rows) (keyed[directory.Organisation], error) { return scanOrg(r) })
	if err != nil {
		return p, err
	}
	return p, db.fillOrganisations(ctx, p.Items, ids)
}

// fillOrganisations loads roles, capabilities and memberships for a page
// of organisations with one query per link table.
func (db *DB) fillOrganisations(ctx context.Context, orgs []directory.Organisation, ids []string) error {
	roles, err := db.links(ctx, `SELECT organisation_id, role FROM organisation_roles WHERE organisation_id IN (%s) ORDER BY organisation_id, position`, ids)
	if err != nil {
		return err
	}
	caps, err := db.links(ctx, `SELECT organisation_id, capability_code FROM organisation_capabilities WHERE organisation_id IN (%s) ORDER BY organisation_id, position`, ids)
	if err != nil {
		return err
	}
	members := map[string][]directory.Membership{}
	if len(ids) > 0 {
		var w where
		rows, err := db.query(ctx, fmt.Sprintf(`SELECT m.organisation_id, m.cluster_id, c.slug, c.name, m.role, m.since
			FROM memberships m JOIN clusters c ON c.id = m.cluster_id WHERE m.organisation_id IN (%s) ORDER BY m.organisation_id, c.sort_key`, w.inList(ids)), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var owner string
			var m directory.Membership
			if err := rows.Scan(&owner, &m.ClusterID, &m.ClusterSlug, &m.ClusterName, &m.Role, &m.Since); err != nil {
				return err
			}
			members[owner] = append(members[owner], m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	for i := range orgs {
		o := &orgs[i]
		o.PractitionerRoles = orEmpty(roles[o.ID])
		o.Capabilities = orEmpty(caps[o.ID])
		o.Memberships = members[o.ID]
		if o.Memberships == nil {
			o.Memberships = []directory.Membership{}
		}
	}
	return nil
}

// GetOrganisation returns the organisation with that id or slug.
func (db *DB) GetOrganisation(ctx context.Context, key string) (directory.Organisation, error) {
	w := where{args: []any{key}}
	w.add("(o.id = $1 OR o.slug = $1)")
	w.scope(access.ScopeFrom(ctx), "o.reach", "o.id", "o.tlp")
	k, err := scanOrg(db.queryRow(ctx, `SELECT `+orgCols+` FROM organisations o`+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return directory.Organisation{}, notFound("organisation", key)
	}
	if err != nil {
		return directory.Organisation{}, err
	}
	orgs := []directory.Organisation{k.item}
	err = db.fillOrganisations(ctx, orgs, []string{k.id})
	return orgs[0], err
}

func writeOrganisation(ctx context.Context, tx *Tx, o *directory.Organisation, create bool) error {
	key := directory.Fold(o.Name)
	search := directory.SearchText(o.Name, o.ShortName, o.Slug, o.City, o.Country, o.PIC, o.Description)
	var res sql.Result
	var err error
	if create {
		res, err = tx.ExecContext(ctx, `INSERT INTO organisations (id, slug, name, short_name, sort_key, search_text, kind, sme, country, city, website, pic, vat, description, created_at, updated_at, visibility, tlp, reach)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)`,
			o.ID, o.Slug, o.Name, o.ShortName, key, search, o.Kind, o.SME, o.Country, o.City, o.Website, nullable(o.PIC), nullable(o.VAT), o.Description, o.CreatedAt, o.UpdatedAt,
			o.Visibility, o.TLP, int(access.EffectiveReach(o.Visibility, o.TLP)))
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE organisations SET slug = $2, name = $3, short_name = $4, sort_key = $5, search_text = $6, kind = $7, sme = $8, country = $9,
			city = $10, website = $11, pic = $12, vat = $13, description = $14, updated_at = $15, visibility = $16, tlp = $17, reach = $18, version = version + 1
			WHERE id = $1 AND version = $19`,
			o.ID, o.Slug, o.Name, o.ShortName, key, search, o.Kind, o.SME, o.Country, o.City, o.Website, nullable(o.PIC), nullable(o.VAT), o.Description, o.UpdatedAt,
			o.Visibility, o.TLP, int(access.EffectiveReach(o.Visibility, o.TLP)), o.Version)
	}
	if err != nil {
		return err
	}
	if err := written(res, "organisation", o.ID, create, &o.Version); err != nil {
		return err
	}
	if err := replaceLinks(ctx, tx, "organisation_roles", "organisation_id", "role", o.ID, o.PractitionerRoles); err != nil {
		return err
	}
	if err := replaceLinks(ctx, tx, "organisation_capabilities", "organisation_id", "capability_code", o.ID, o.Capabilities); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM memberships WHERE organisation_id = $1`, o.ID); err != nil {
		return err
	}
	for _, m := range o.Memberships {
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, $3, $4)`,
			m.ClusterID, o.ID, m.Role, m.Since); err != nil {
			return err
		}
	}
	return tx.Change(ctx, "organisation", o.ID, map[bool]string{true: "create", false: "update"}[create])
}

// CreateOrganisation stores a new organisation with its links.
func (db *DB) CreateOrganisation(ctx context.Context, o *directory.Organisation) error {
	o.ID = newID()
	o.UpdatedAt = now()
	o.CreatedAt = o.UpdatedAt
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return writeOrganisation(ctx, tx, o, true) }))
}

// UpdateOrganisation replaces organisation o.ID and its links.
func (db *DB) UpdateOrganisation(ctx context.Context, o *directory.Organisation) error {
	o.UpdatedAt = now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := current(ctx, tx, "organisations", "organisation", o.ID, &o.CreatedAt, &o.Version); err != nil {
			return err
		}
		return writeOrganisation(ctx, tx, o, false)
	}))
}

// DeleteOrganisation removes an organisation without people or facilities;
// its memberships and links go with it.
func (db *DB) DeleteOrganisation(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		for _, dep := range []struct{ table, field string }{{"people", "people"}, {"facilities", "facilities"}} {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+dep.table+` WHERE organisation_id = $1`, id).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return inUse(dep.field)
			}
		}
		return deleteRow(ctx, tx, "organisations", "organisation", id)
	}))
}

// orgWhere builds the organisation list's condition for f under the
// viewer's scope.
func orgWhere(ctx context.Context, f directory.Filter) *where {
	w := &where{}
	w.scope(access.ScopeFrom(ctx), "o.reach", "o.id", "o.tlp")
	w.text("o.search_text", f.Query)
	if f.Country != "" {
		w.add("o.country = " + w.arg(f.Country))
	}
	if f.Kind != "" {
		w.add("o.kind = " + w.arg(f.Kind))
	}
	if f.Cluster != "" {
		w.inCluster("o.id", f.Cluster)
	}
	if f.Capability != "" {
		w.capability("organisation_capabilities", "o.id", "organisation_id", f.Capability)
	}
	if f.Role != "" {
		w.add("EXISTS (SELECT 1 FROM organisation_roles r WHERE r.organisation_id = o.id AND r.role = " + w.arg(f.Role) + ")")
	}
	switch f.Membership {
	case directory.MembershipMembers:
		w.add("EXISTS (SELECT 1 FROM memberships mm WHERE mm.organisation_id = o.id)")
	case directory.MembershipOutsiders:
		w.add("NOT EXISTS (SELECT 1 FROM memberships mm WHERE mm.organisation_id = o.id)")
	}
	return w
}

// OrganisationFacets counts matching organisations by country, kind,
// cluster and top-level capability: four grouped queries, whatever the
// number of organisations.
func (db *DB) OrganisationFacets(ctx context.Context, f directory.Filter) (directory.Facets, error) {
	var out directory.Facets
	count := func(q string, scan func(*sql.Rows) error) error {
		w := orgWhere(ctx, f)
		rows, err := db.query(ctx, fmt.Sprintf(q, w.sql()), w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return err
			}
		}
		return rows.Err()
	}
	simple := func(dst *[]directory.Facet) func(*sql.Rows) error {
		return func(r *sql.Rows) error {
			var fc directory.Facet
			if err := r.Scan(&fc.Value, &fc.Count); err != nil {
				return err
			}
			*dst = append(*dst, fc)
			return nil
		}
	}
	if err := count(`SELECT o.country, COUNT(*) FROM organisations o%s GROUP BY o.country ORDER BY COUNT(*) DESC, o.country`, simple(&out.Country)); err != nil {
		return out, err
	}
	if err := count(`SELECT o.kind, COUNT(*) FROM organisations o%s GROUP BY o.kind ORDER BY COUNT(*) DESC, o.kind`, simple(&out.Kind)); err != nil {
		return out, err
	}
	if err := count(`SELECT c.slug, c.name, COUNT(*) FROM organisations o JOIN memberships m ON m.organisation_id = o.id JOIN clusters c ON c.id = m.cluster_id%s
		GROUP BY c.slug, c.name ORDER BY COUNT(*) DESC, c.slug`, func(r *sql.Rows) error {
		var fc directory.Facet
		if err := r.Scan(&fc.Value, &fc.Label, &fc.Count); err != nil {
			return err
		}
		out.Cluster = append(out.Cluster, fc)
		return nil
	}); err != nil {
		return out, err
	}
	// Capabilities roll up to their top-level node, counting each
	// organisation once per node, in one grouped query: the top-level
	// codes are few, so a CASE maps each code to its node.
	caps, err := db.ListCapabilities(ctx)
	if err != nil {
		return out, err
	}
	var tops []string
	for _, c := range caps {
		if c.Parent == "" {
			tops = append(tops, c.Code)
		}
	}
	if len(tops) > 0 {
		w := orgWhere(ctx, f)
		var cases strings.Builder
		cases.WriteString("CASE")
		for _, t := range tops {
			a, b := w.arg(t), w.arg(likeEscape(t)+".%")
			fmt.Fprintf(&cases, ` WHEN oc.capability_code = %s OR oc.capability_code LIKE %s ESCAPE '\' THEN %s`, a, b, a)
		}
		cases.WriteString(" END")
		join := " JOIN organisation_capabilities oc ON oc.organisation_id = o.id"
		q := fmt.Sprintf(`SELECT top, COUNT(DISTINCT id) FROM (SELECT o.id AS id, %s AS top FROM organisations o%s%s) t WHERE top IS NOT NULL GROUP BY top`,
			cases.String(), join, w.sql())
		rows, err := db.query(ctx, q, w.args...)
		if err != nil {
			return out, err
		}
		defer rows.Close()
		for rows.Next() {
			var fc directory.Facet
			if err := rows.Scan(&fc.Value, &fc.Count); err != nil {
				return out, err
			}
			out.Capability = append(out.Capability, fc)
		}
		if err := rows.Err(); err != nil {
			return out, err
		}
	}
	slices.SortFunc(out.Capability, func(a, b directory.Facet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return out, nil
}

// OrganisationCountries counts matching organisations by country in one
// grouped query.
func (db *DB) OrganisationCountries(ctx context.Context, f directory.Filter) ([]directory.Facet, error) {
	w := orgWhere(ctx, f)
	rows, err := db.query(ctx, `SELECT o.country, COUNT(*) FROM organisations o`+w.sql()+` GROUP BY o.country ORDER BY COUNT(*) DESC, o.country`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []directory.Facet
	for rows.Next() {
		var fc directory.Facet
		if err := rows.Scan(&fc.Value, &fc.Count); err != nil {
			return nil, err
		}
		out = append(out, fc)
	}
	return out, rows.Err()
}
