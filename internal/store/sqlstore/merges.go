package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/validate"
)

// OrganisationKeys reads what duplicate detection compares of every
// organisation, with the VAT numbers recorded besides the vat column.
func (db *DB) OrganisationKeys(ctx context.Context) ([]projects.OrgKey, error) {
	var out []projects.OrgKey
	index := map[string]int{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var k projects.OrgKey
		if err := r.Scan(&k.ID, &k.Slug, &k.Name, &k.Country, &k.City, &k.Website, &k.PIC, &k.VAT); err != nil {
			return err
		}
		if k.VAT != "" {
			k.VATs = []string{k.VAT}
		}
		index[k.ID] = len(out)
		out = append(out, k)
		return nil
	}, `SELECT id, slug, name, country, city, website, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	err = db.eachRecordedVAT(ctx, func(id, v string) {
		if i, ok := index[id]; ok && !slices.Contains(out[i].VATs, v) {
			out[i].VATs = append(out[i].VATs, v)
		}
	})
	return out, err
}

// eachRecordedVAT calls fn with every VAT number recorded for an
// organisation besides its vat column (duplicate detection and linking
// both compare them).
func (db *DB) eachRecordedVAT(ctx context.Context, fn func(orgID, vat string)) error {
	return db.scanAll(ctx, func(r *sql.Rows) error {
		var id, v string
		if err := r.Scan(&id, &v); err != nil {
			return err
		}
		fn(id, v)
		return nil
	}, `SELECT organisation_id, value FROM organisation_identifiers WHERE scheme = 'vat' ORDER BY organisation_id, value`)
}

// DistinctPairs returns the pairs marked as different organisations.
func (db *DB) DistinctPairs(ctx context.Context) (map[[2]string]bool, error) {
	out := map[[2]string]bool{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var a, b string
		err := r.Scan(&a, &b)
		out[projects.PairKey(a, b)] = true
		return err
	}, `SELECT a_id, b_id FROM organisation_distinct`)
	return out, err
}

func orgRef(ctx context.Context, tx *Tx, key, field string) (projects.OrgRef, error) {
	var o projects.OrgRef
	err := tx.QueryRowContext(ctx, `SELECT id, slug, name, country, city, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations WHERE id = $1 OR slug = $1`, key).
		Scan(&o.ID, &o.Slug, &o.Name, &o.Country, &o.City, &o.PIC, &o.VAT)
	if errors.Is(err, sql.ErrNoRows) {
		var errs validate.Errors
		errs.Add(field, validate.NotFound)
		return o, errs
	}
	return o, err
}

// MarkDistinct records that two organisations are not the same one, so
// they are no longer offered as merge candidates. Marking a pair twice
// changes nothing.
func (db *DB) MarkDistinct(ctx context.Context, a, b string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		ra, err := orgRef(ctx, tx, a, "a")
		if err != nil {
			return err
		}
		rb, err := orgRef(ctx, tx, b, "b")
		if err != nil {
			return err
		}
		if ra.ID == rb.ID {
			var errs validate.Errors
			errs.Add("b", validate.InvalidChoice, "choices", "an organisation other than a")
			return errs
		}
		k := projects.PairKey(ra.ID, rb.ID)
		res, err := tx.ExecContext(ctx, `INSERT INTO organisation_distinct (a_id, b_id, actor, marked_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (a_id, b_id) DO NOTHING`, k[0], k[1], audit.ActorFrom(ctx).Label, now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.changeMany(ctx, []change{{"organisation_distinct", k[0] + ":" + k[1], "create", ra.Name + " ≠ " + rb.Name}})
	}))
}

// fillMergeRefs completes the organisation references of a merge.
func (db *DB) fillMergeRefs(ctx context.Context, m projects.Merge) (projects.Merge, error) {
	for _, o := range []*projects.OrgRef{&m.Into, &m.From} {
		err := db.queryRow(ctx, `SELECT slug, country, city, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations WHERE id = $1`, o.ID).
			Scan(&o.Slug, &o.Country, &o.City, &o.PIC, &o.VAT)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return m, err
		}
	}
	return m, nil
}

// ListMerges returns merges, newest first, undone ones included.
func (db *DB) ListMerges(ctx context.Context, limit int) ([]projects.Merge, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	out := []projects.Merge{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var m projects.Merge
		var body string
		var undone sql.NullTime
		if err := r.Scan(&m.ID, &m.Into.ID, &m.From.ID, &m.Into.Name, &m.From.Name, &body, &m.Actor, &m.MergedAt, &undone, &m.UndoneBy); err != nil {
			return err
		}
		if undone.Valid {
			t := undone.Time
			m.UndoneAt = &t
		}
		s, err := parseMergeRecord(body)
		if err != nil {
			return err
		}
		m.Moved = projects.Counted(s.Moved, s.Added)
		if len(s.Organisation) == 1 {
			o := s.Organisation[0]
			m.From.Slug, m.From.Country, m.From.City = o["slug"].V, o["country"].V, o["city"].V
			m.From.PIC, m.From.VAT = strings.TrimSpace(o["pic"].V), strings.TrimSpace(o["vat"].V)
		}
		out = append(out, m)
		return nil
	}, `SELECT id, into_id, from_id, into_name, from_name, snapshot, actor, merged_at, undone_at, undone_by
		FROM organisation_merges ORDER BY merged_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	for i := range out {
		into := &out[i].Into
		err := db.queryRow(ctx, `SELECT slug, country, city, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations WHERE id = $1`, into.ID).
			Scan(&into.Slug, &into.Country, &into.City, &into.PIC, &into.VAT)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return out, nil
}
