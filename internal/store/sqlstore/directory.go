package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

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
