package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

var _ directory.Store = (*DB)(nil)

func newID() string { return uuid.Must(uuid.NewV7()).String() }

func notFound(what, key string) error { return fmt.Errorf("%s %q: %w", what, key, store.ErrNotFound) }

func inUse(field string) error { return &store.ConflictError{Field: field, Code: validate.InUse} }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// replaceLinks rewrites an owner's rows in a link table.
func replaceLinks(ctx context.Context, tx *Tx, table, ownerCol, valueCol, owner string, values []string) error {
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE %s = $1`, table, ownerCol), owner); err != nil {
		return err
	}
	for i, v := range values {
		if _, err := tx.ExecContext(ctx, fmt.Sprintf(`INSERT INTO %s (%s, %s, position) VALUES ($1, $2, $3)`, table, ownerCol, valueCol), owner, v, i); err != nil {
			return err
		}
	}
	return nil
}

// ---- clusters

// clusterCols selects a cluster; the member count only counts members the
// viewer may see, so it takes the scope's condition (see memberCount).
const clusterCols = `c.id, c.slug, c.name, c.country, c.region, c.city, c.website, c.description, c.joined,
	c.commitment_signed, c.commitment_signed_on, c.created_at, c.updated_at, c.version, c.sort_key`

func scanCluster(r interface{ Scan(...any) error }) (keyed[directory.Cluster], error) {
	var c directory.Cluster
	var key string
	err := r.Scan(&c.ID, &c.Slug, &c.Name, &c.Country, &c.Region, &c.City, &c.Website, &c.Description, &c.Joined,
		&c.Commitment.Signed, &c.Commitment.SignedOn, &c.CreatedAt, &c.UpdatedAt, &c.Version, &key, &c.MemberCount)
	return keyed[directory.Cluster]{c, key, c.ID}, err
}

// ListClusters lists clusters by name.
func (db *DB) ListClusters(ctx context.Context, f directory.Filter) (directory.Page[directory.Cluster], error) {
	var w where
	w.text("c.search_text", f.Query)
	if f.Country != "" {
		w.add("c.country = " + w.arg(f.Country))
	}
	if f.Capability != "" {
		w.capability("cluster_themes", "c.id", "cluster_id", f.Capability)
	}
	cols := static(clusterCols + ", 0")
	p, ids, err := page(ctx, db, f, cols, "clusters c", "c", &w, func(r *sql.Rows) (keyed[directory.Cluster], error) { return scanCluster(r) })
	if err != nil {
		return p, err
	}
	themes, err := db.links(ctx, `SELECT cluster_id, capability_code FROM cluster_themes WHERE cluster_id IN (%s) ORDER BY cluster_id, position`, ids)
	if err != nil {
		return p, err
	}
	for i := range p.Items {
		p.Items[i].Themes = orEmpty(themes[p.Items[i].ID])
	}
	if !f.NoCounts && len(p.Items) > 0 {
		counts, err := db.memberCounts(ctx)
		if err != nil {
			return p, err
		}
		for i := range p.Items {
			p.Items[i].MemberCount = counts[p.Items[i].ID]
		}
	}
	return p, nil
}

// GetCluster returns the cluster with that id or slug.
func (db *DB) GetCluster(ctx context.Context, key string) (directory.Cluster, error) {
	k, err := scanCluster(db.queryRow(ctx, `SELECT `+clusterCols+`, 0 FROM clusters c WHERE c.id = $1 OR c.slug = $1`, key))
	if errors.Is(err, sql.ErrNoRows) {
		return directory.Cluster{}, notFound("cluster", key)
	}
	if err != nil {
		return directory.Cluster{}, err
	}
	c := k.item
	themes, err := db.links(ctx, `SELECT cluster_id, capability_code FROM cluster_themes WHERE cluster_id IN (%s) ORDER BY position`, []string{c.ID})
	if err != nil {
		return c, err
	}
	c.Themes = orEmpty(themes[c.ID])
	counts, err := db.memberCounts(ctx)
	c.MemberCount = counts[c.ID]
	return c, err
}

func writeCluster(ctx context.Context, tx *Tx, c *directory.Cluster, create bool) error {
	key := directory.Fold(c.Name)
	search := directory.SearchText(c.Name, c.Slug, c.City, c.Country, c.Description)
	var res sql.Result
	var err error
	if create {
		res, err = tx.ExecContext(ctx, `INSERT INTO clusters (id, slug, name, sort_key, search_text, country, region, city, website, description, joined, commitment_signed, commitment_signed_on, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			c.ID, c.Slug, c.Name, key, search, c.Country, c.Region, c.City, c.Website, c.Description, c.Joined,
			c.Commitment.Signed, c.Commitment.SignedOn, c.CreatedAt, c.UpdatedAt)
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE clusters SET slug = $2, name = $3, sort_key = $4, search_text = $5, country = $6, region = $7, city = $8, website = $9,
			description = $10, joined = $11, commitment_signed = $12, commitment_signed_on = $13, updated_at = $14, version = version + 1
			WHERE id = $1 AND version = $15`,
			c.ID, c.Slug, c.Name, key, search, c.Country, c.Region, c.City, c.Website, c.Description, c.Joined,
			c.Commitment.Signed, c.Commitment.SignedOn, c.UpdatedAt, c.Version)
	}
	if err != nil {
		return err
	}
	if err := written(res, "cluster", c.ID, create, &c.Version); err != nil {
		return err
	}
	if err := replaceLinks(ctx, tx, "cluster_themes", "cluster_id", "capability_code", c.ID, c.Themes); err != nil {
		return err
	}
	return tx.Change(ctx, "cluster", c.ID, map[bool]string{true: "create", false: "update"}[create])
}

// CreateCluster stores a new cluster and sets its id and timestamps.
func (db *DB) CreateCluster(ctx context.Context, c *directory.Cluster) error {
	c.ID = newID()
	c.CreatedAt, c.UpdatedAt = now(), now()
	c.CreatedAt = c.UpdatedAt
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return writeCluster(ctx, tx, c, true) }))
}

// UpdateCluster replaces the cluster c.ID.
func (db *DB) UpdateCluster(ctx context.Context, c *directory.Cluster) error {
	c.UpdatedAt = now()
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := current(ctx, tx, "clusters", "cluster", c.ID, &c.CreatedAt, &c.Version); err != nil {
			return err
		}
		return writeCluster(ctx, tx, c, false)
	})
	return db.mapError(err)
}

// DeleteCluster removes a cluster that has no members and no facilities.
func (db *DB) DeleteCluster(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE cluster_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return inUse("memberships")
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM facilities WHERE cluster_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return inUse("facilities")
		}
		return deleteRow(ctx, tx, "clusters", "cluster", id)
	}))
}

func deleteRow(ctx context.Context, tx *Tx, table, entity, id string) error {
	res, err := tx.ExecContext(ctx, fmt.Sprintf(`DELETE FROM %s WHERE id = $1`, table), id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(entity, id)
	}
	return tx.Change(ctx, entity, id, "delete")
}

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

// ---- people

const personCols = `p.id, p.name, p.email, p.organisation_id, o.name, o.slug, p.title, p.languages, p.listed, p.visibility, p.tlp, p.created_at, p.updated_at, p.version, p.sort_key`

func scanPerson(r interface{ Scan(...any) error }) (keyed[directory.Person], error) {
	var p directory.Person
	var key, langs string
	err := r.Scan(&p.ID, &p.Name, &p.Email, &p.OrganisationID, &p.OrganisationName, &p.OrganisationSlug, &p.Title, &langs, &p.Listed, &p.Visibility, &p.TLP, &p.CreatedAt, &p.UpdatedAt, &p.Version, &key)
	p.Languages = splitList(langs)
	return keyed[directory.Person]{p, key, p.ID}, err
}

// ListPeople lists people by name; people who did not agree to be listed
// appear only to those the policy allows (see access.Scope).
func (db *DB) ListPeople(ctx context.Context, f directory.Filter) (directory.Page[directory.Person], error) {
	var w where
	w.personScope(access.ScopeFrom(ctx))
	w.text("p.search_text", f.Query)
	if f.Country != "" {
		w.add("o.country = " + w.arg(f.Country))
	}
	if f.Kind != "" {
		w.add("o.kind = " + w.arg(f.Kind))
	}
	if f.Organisation != "" {
		a := w.arg(f.Organisation)
		w.add("(o.id = " + a + " OR o.slug = " + a + ")")
	}
	if f.Cluster != "" {
		w.inCluster("o.id", f.Cluster)
	}
	if f.Capability != "" {
		w.capability("person_expertise", "p.id", "person_id", f.Capability)
	}
	p, ids, err := page(ctx, db, f, static(personCols), "people p JOIN organisations o ON o.id = p.organisation_id", "p", &w,
		func(r *sql.Rows) (keyed[directory.Person], error) { return scanPerson(r) })
	if err != nil {
		return p, err
	}
	exp, err := db.links(ctx, `SELECT person_id, capability_code FROM person_expertise WHERE person_id IN (%s) ORDER BY person_id, position`, ids)
	for i := range p.Items {
		p.Items[i].Expertise = orEmpty(exp[p.Items[i].ID])
	}
	return p, err
}

// GetPerson returns a person by id if the viewer may see them.
func (db *DB) GetPerson(ctx context.Context, id string) (directory.Person, error) {
	w := where{args: []any{id}}
	w.add("p.id = $1")
	w.personScope(access.ScopeFrom(ctx))
	k, err := scanPerson(db.queryRow(ctx, `SELECT `+personCols+` FROM people p JOIN organisations o ON o.id = p.organisation_id`+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return directory.Person{}, notFound("person", id)
	}
	if err != nil {
		return directory.Person{}, err
	}
	p := k.item
	exp, err := db.links(ctx, `SELECT person_id, capability_code FROM person_expertise WHERE person_id IN (%s) ORDER BY position`, []string{p.ID})
	p.Expertise = orEmpty(exp[p.ID])
	return p, err
}

func writePerson(ctx context.Context, tx *Tx, p *directory.Person, create bool) error {
	key := directory.Fold(p.Name)
	search := directory.SearchText(p.Name, p.Title, p.OrganisationName)
	langs := joinList(p.Languages)
	var res sql.Result
	var err error
	if create {
		res, err = tx.ExecContext(ctx, `INSERT INTO people (id, name, sort_key, search_text, email, organisation_id, title, languages, listed, created_at, updated_at, visibility, tlp, reach)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			p.ID, p.Name, key, search, p.Email, p.OrganisationID, p.Title, langs, p.Listed, p.CreatedAt, p.UpdatedAt,
			p.Visibility, p.TLP, int(access.EffectiveReach(p.Visibility, p.TLP)))
	} else {
		res, err = tx.ExecContext(ctx, `UPDATE people SET name = $2, sort_key = $3, search_text = $4, email = $5, organisation_id = $6, title = $7, languages = $8,
			listed = $9, updated_at = $10, visibility = $11, tlp = $12, reach = $13, version = version + 1 WHERE id = $1 AND version = $14`,
			p.ID, p.Name, key, search, p.Email, p.OrganisationID, p.Title, langs, p.Listed, p.UpdatedAt,
			p.Visibility, p.TLP, int(access.EffectiveReach(p.Visibility, p.TLP)), p.Version)
	}
	if err != nil {
		return err
	}
	if err := written(res, "person", p.ID, create, &p.Version); err != nil {
		return err
	}
	if err := replaceLinks(ctx, tx, "person_expertise", "person_id", "capability_code", p.ID, p.Expertise); err != nil {
		return err
	}
	return tx.Change(ctx, "person", p.ID, map[bool]string{true: "create", false: "update"}[create])
}

// CreatePerson stores a new person.
func (db *DB) CreatePerson(ctx context.Context, p *directory.Person) error {
	p.ID = newID()
	p.UpdatedAt = now()
	p.CreatedAt = p.UpdatedAt
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return writePerson(ctx, tx, p, true) }))
}

// UpdatePerson replaces person p.ID.
func (db *DB) UpdatePerson(ctx context.Context, p *directory.Person) error {
	p.UpdatedAt = now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := current(ctx, tx, "people", "person", p.ID, &p.CreatedAt, &p.Version); err != nil {
			return err
		}
		return writePerson(ctx, tx, p, false)
	}))
}

// DeletePerson removes a person.
func (db *DB) DeletePerson(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error { return deleteRow(ctx, tx, "people", "person", id) }))
}

// ---- capabilities

const capCols = `code, COALESCE(parent, ''), label_en, label_nl, label_fr, label_de, nature, source, position, created_at, updated_at, version`

func scanCapability(r interface{ Scan(...any) error }) (directory.Capability, error) {
	var c directory.Capability
	var en, nl, fr, de string
	err := r.Scan(&c.Code, &c.Parent, &en, &nl, &fr, &de, &c.Nature, &c.Source, &c.Position, &c.CreatedAt, &c.UpdatedAt, &c.Version)
	c.Labels = map[string]string{"en": en, "nl": nl, "fr": fr, "de": de}
	return c, err
}

// ListCapabilities returns the whole taxonomy in display order.
func (db *DB) ListCapabilities(ctx context.Context) ([]directory.Capability, error) {
	rows, err := db.query(ctx, `SELECT `+capCols+` FROM capabilities ORDER BY position, code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []directory.Capability{}
	for rows.Next() {
		c, err := scanCapability(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// GetCapability returns one taxonomy node.
func (db *DB) GetCapability(ctx context.Context, code string) (directory.Capability, error) {
	c, err := scanCapability(db.queryRow(ctx, `SELECT `+capCols+` FROM capabilities WHERE code = $1`, code))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("capability", code)
	}
	return c, err
}

// CreateCapability adds a taxonomy node; a zero Position puts it last.
func (db *DB) CreateCapability(ctx context.Context, c *directory.Capability) error {
	c.UpdatedAt = now()
	c.CreatedAt = c.UpdatedAt
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if c.Position == 0 {
			if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM capabilities`).Scan(&c.Position); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO capabilities (code, parent, label_en, label_nl, label_fr, label_de, nature, source, position, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			c.Code, nullable(c.Parent), c.Labels["en"], c.Labels["nl"], c.Labels["fr"], c.Labels["de"], c.Nature, c.Source, c.Position, c.CreatedAt, c.UpdatedAt)
		if err != nil {
			return err
		}
		c.Version = 1
		return tx.Change(ctx, "capability", c.Code, "create")
	}))
}

// UpdateCapability replaces taxonomy node c.Code (its code stays).
func (db *DB) UpdateCapability(ctx context.Context, c *directory.Capability) error {
	c.UpdatedAt = now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var cur int
		if err := tx.QueryRowContext(ctx, `SELECT created_at, position, version FROM capabilities WHERE code = $1`, c.Code).Scan(&c.CreatedAt, &c.Position, &cur); errors.Is(err, sql.ErrNoRows) {
			return notFound("capability", c.Code)
		} else if err != nil {
			return err
		}
		if err := expect(c.Version, cur, "capability", c.Code); err != nil {
			return err
		}
		c.Version = cur
		res, err := tx.ExecContext(ctx, `UPDATE capabilities SET parent = $2, label_en = $3, label_nl = $4, label_fr = $5, label_de = $6, nature = $7, source = $8, updated_at = $9,
			version = version + 1 WHERE code = $1 AND version = $10`,
			c.Code, nullable(c.Parent), c.Labels["en"], c.Labels["nl"], c.Labels["fr"], c.Labels["de"], c.Nature, c.Source, c.UpdatedAt, c.Version)
		if err != nil {
			return err
		}
		if err := written(res, "capability", c.Code, false, &c.Version); err != nil {
			return err
		}
		return tx.Change(ctx, "capability", c.Code, "update")
	}))
}

// DeleteCapability removes a taxonomy node that has no children and is not
// used by any record.
func (db *DB) DeleteCapability(ctx context.Context, code string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		uses := []struct{ q, field string }{
			{`SELECT COUNT(*) FROM capabilities WHERE parent = $1`, "children"},
			{`SELECT COUNT(*) FROM organisation_capabilities WHERE capability_code = $1`, "organisations"},
			{`SELECT COUNT(*) FROM cluster_themes WHERE capability_code = $1`, "clusters"},
			{`SELECT COUNT(*) FROM person_expertise WHERE capability_code = $1`, "people"},
			{`SELECT COUNT(*) FROM facility_capabilities WHERE capability_code = $1`, "facilities"},
		}
		for _, u := range uses {
			var n int
			if err := tx.QueryRowContext(ctx, u.q, code).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return inUse(u.field)
			}
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM capabilities WHERE code = $1`, code)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("capability", code)
		}
		return tx.Change(ctx, "capability", code, "delete")
	}))
}

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

// InsertCapabilities adds many taxonomy nodes in one transaction, keeping
// their positions (parents must come before children).
func (db *DB) InsertCapabilities(ctx context.Context, nodes []directory.Capability) error {
	t := now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		for _, c := range nodes {
			_, err := tx.ExecContext(ctx, `INSERT INTO capabilities (code, parent, label_en, label_nl, label_fr, label_de, nature, source, position, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
				c.Code, nullable(c.Parent), c.Labels["en"], c.Labels["nl"], c.Labels["fr"], c.Labels["de"], c.Nature, c.Source, c.Position, t, t)
			if err != nil {
				return fmt.Errorf("capability %s: %w", c.Code, err)
			}
		}
		return tx.Change(ctx, "capability", "*", "create")
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

// current reads the creation time and the version of the record being
// updated, and checks the version the caller expects (*version; 0 asks for
// no check) against it: a different one is store.ErrStale. *version is
// then the current version, which the UPDATE's WHERE clause names, so that
// a concurrent update committed in between also makes this one stale.
func current(ctx context.Context, tx *Tx, table, entity, id string, created *time.Time, version *int) error {
	var cur int
	err := tx.QueryRowContext(ctx, `SELECT created_at, version FROM `+table+` WHERE id = $1`, id).Scan(created, &cur)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound(entity, id)
	} else if err != nil {
		return err
	}
	if err := expect(*version, cur, entity, id); err != nil {
		return err
	}
	*version = cur
	return nil
}

func expect(want, cur int, entity, id string) error {
	if want != 0 && want != cur {
		return fmt.Errorf("%s %q: version %d, not %d: %w", entity, id, cur, want, store.ErrStale)
	}
	return nil
}

// written checks that an INSERT or a versioned UPDATE changed its row and
// sets *version to the record's new version. An UPDATE that matched no row
// lost the race to a concurrent update (the row was there when current
// read it).
func written(res sql.Result, entity, id string, create bool, version *int) error {
	if create {
		*version = 1
		return nil
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("%s %q changed meanwhile: %w", entity, id, store.ErrStale)
	}
	*version++
	return nil
}
