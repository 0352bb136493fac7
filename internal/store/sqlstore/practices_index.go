package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/practices"
)

// The reads the practices library's in-memory search index is built and
// kept fresh from (internal/practices/index.go).

var _ practices.IndexSource = (*DB)(nil)

// PracticeIndexOrgs returns every organisation (its slug, name, sharing
// and clusters) and every cluster, for the index's access checks and
// facets.
func (db *DB) PracticeIndexOrgs(ctx context.Context) ([]practices.IndexOrg, []practices.IndexCluster, error) {
	rows, err := db.query(ctx, `SELECT id, slug, name, visibility, tlp FROM organisations`)
	if err != nil {
		return nil, nil, err
	}
	var orgs []practices.IndexOrg
	at := map[string]int{}
	for rows.Next() {
		var o practices.IndexOrg
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Visibility, &o.TLP); err != nil {
			rows.Close()
			return nil, nil, err
		}
		at[o.ID] = len(orgs)
		orgs = append(orgs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = db.query(ctx, `SELECT organisation_id, cluster_id FROM memberships ORDER BY organisation_id, cluster_id`)
	if err != nil {
		return nil, nil, err
	}
	for rows.Next() {
		var o, c string
		if err := rows.Scan(&o, &c); err != nil {
			rows.Close()
			return nil, nil, err
		}
		if i, ok := at[o]; ok {
			orgs[i].Clusters = append(orgs[i].Clusters, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows, err = db.query(ctx, `SELECT id, slug, name FROM clusters`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var cs []practices.IndexCluster
	for rows.Next() {
		var c practices.IndexCluster
		if err := rows.Scan(&c.ID, &c.Slug, &c.Name); err != nil {
			return nil, nil, err
		}
		cs = append(cs, c)
	}
	return orgs, cs, rows.Err()
}

// PracticeIndexDocs returns the entries with those ids (every entry when
// ids is nil) with their languages, capabilities and terms; an id that
// no longer exists is absent.
func (db *DB) PracticeIndexDocs(ctx context.Context, ids []string) ([]practices.IndexDoc, error) {
	var w where
	cond := func(col string) string {
		if ids == nil {
			return ""
		}
		return " WHERE " + col + " IN (" + w.inList(ids) + ")"
	}
	if ids != nil && len(ids) == 0 {
		return nil, nil
	}
	docs := map[string]*practices.IndexDoc{}
	var order []string
	w = where{}
	q := `SELECT id, kind, organisation_id, visibility, tlp, sort_key, updated_at FROM practice_entries` + cond("id")
	rows, err := db.query(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var d practices.IndexDoc
		if err := rows.Scan(&d.ID, &d.Kind, &d.OrganisationID, &d.Visibility, &d.TLP, &d.SortKey, &d.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		docs[d.ID] = &d
		order = append(order, d.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	each := func(q string, fn func(d *practices.IndexDoc, v string)) error {
		w = where{}
		q += cond("x")
		rows, err := db.query(ctx, q, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id, v string
			if err := rows.Scan(&id, &v); err != nil {
				return err
			}
			if d, ok := docs[id]; ok {
				fn(d, v)
			}
		}
		return rows.Err()
	}
	if err := each(`SELECT x, lang FROM (SELECT entry_id AS x, lang FROM practice_texts) t`, func(d *practices.IndexDoc, v string) { d.Langs = append(d.Langs, v) }); err != nil {
		return nil, err
	}
	if err := each(`SELECT x, code FROM (SELECT entry_id AS x, capability_code AS code FROM practice_capabilities) c`, func(d *practices.IndexDoc, v string) {
		d.Capabilities = append(d.Capabilities, v)
	}); err != nil {
		return nil, err
	}
	if err := each(`SELECT x, term FROM (SELECT doc_id AS x, term FROM practice_terms) m`, func(d *practices.IndexDoc, v string) { d.Terms = append(d.Terms, v) }); err != nil {
		return nil, err
	}
	out := make([]practices.IndexDoc, len(order))
	for i, id := range order {
		out[i] = *docs[id]
	}
	return out, nil
}

// PracticeAttachmentEntry returns the entry an attachment belongs to.
func (db *DB) PracticeAttachmentEntry(ctx context.Context, id string) (string, error) {
	var e string
	err := db.queryRow(ctx, `SELECT entry_id FROM practice_attachments WHERE id = $1`, id).Scan(&e)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("attachment", id)
	}
	return e, err
}

// PracticeEntries returns the visible entries with those ids, in that
// order, filled (a page of the index's results).
func (db *DB) PracticeEntries(ctx context.Context, ids []string) ([]practices.Entry, error) {
	out := []practices.Entry{}
	if len(ids) == 0 {
		return out, nil
	}
	w := &where{}
	w.add("e.id IN (" + w.inList(ids) + ")")
	w.entryScope(access.ScopeFrom(ctx))
	rows, err := db.query(ctx, `SELECT `+entryCols+` FROM `+entryFrom+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	byID := map[string]practices.Entry{}
	for rows.Next() {
		k, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[k.item.ID] = k.item
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range ids {
		if e, ok := byID[id]; ok {
			out = append(out, e)
		}
	}
	return out, db.fillEntries(ctx, out)
}

// SearchSummaries lists the visible summaries matching f's query terms
// (and its language, organisation and cluster), newest first.
func (db *DB) SearchSummaries(ctx context.Context, f practices.Filter, groups [][]string) ([]practices.Summary, error) {
	return db.searchSummaries(ctx, f, groups)
}
