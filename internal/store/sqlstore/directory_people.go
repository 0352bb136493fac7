package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

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
