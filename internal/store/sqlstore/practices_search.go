package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
)

// ---- attachments

const attachmentCols = `a.id, a.entry_id, a.name, a.media_type, a.size, a.sha256, a.path, a.created_by, a.created_at`

func scanAttachment(r interface{ Scan(...any) error }) (practices.Attachment, error) {
	var a practices.Attachment
	err := r.Scan(&a.ID, &a.EntryID, &a.Name, &a.MediaType, &a.Size, &a.SHA256, &a.Path, &a.CreatedBy, &a.CreatedAt)
	return a, err
}

// AddAttachment stores an attachment's record and the entry's new terms.
func (db *DB) AddAttachment(ctx context.Context, a *practices.Attachment, terms []string) error {
	a.ID, a.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_attachments (id, entry_id, name, media_type, size, sha256, path, text, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, a.ID, a.EntryID, a.Name, a.MediaType, a.Size, a.SHA256, a.Path, a.Text, a.CreatedBy, a.CreatedAt); err != nil {
			return err
		}
		if err := writeTerms(ctx, tx, a.EntryID, terms); err != nil {
			return err
		}
		return tx.Change(ctx, "practice_attachment", a.ID, "create")
	}))
}

// GetAttachment returns an attachment of a visible entry.
func (db *DB) GetAttachment(ctx context.Context, entryID, id string) (practices.Attachment, error) {
	w := where{args: []any{entryID, id}}
	w.add("e.id = $1 AND a.id = $2")
	w.entryScope(access.ScopeFrom(ctx))
	a, err := scanAttachment(db.queryRow(ctx, `SELECT `+attachmentCols+` FROM practice_attachments a JOIN practice_entries e ON e.id = a.entry_id JOIN organisations o ON o.id = e.organisation_id`+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("attachment", id)
	}
	return a, err
}

// AttachmentTexts returns the extracted texts of an entry's attachments.
func (db *DB) AttachmentTexts(ctx context.Context, entryID string) ([]string, error) {
	rows, err := db.query(ctx, `SELECT text FROM practice_attachments WHERE entry_id = $1 AND text <> '' ORDER BY created_at, id`, entryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ---- summaries

const summaryFrom = `practice_summaries s JOIN organisations so ON so.id = s.organisation_id LEFT JOIN people sp ON sp.id = s.contact_id`

const summaryCols = `s.id, COALESCE(s.entry_id, ''), s.organisation_id, so.name, s.visibility, s.tlp, s.lang, s.title, s.abstract,
	COALESCE(s.contact_id, ''), COALESCE(sp.name, ''), s.reviewed_by, s.created_at`

func scanSummary(r interface{ Scan(...any) error }) (practices.Summary, error) {
	var s practices.Summary
	err := r.Scan(&s.ID, &s.EntryID, &s.OrganisationID, &s.OrganisationName, &s.Visibility, &s.TLP, &s.Lang, &s.Title, &s.Abstract,
		&s.ContactID, &s.ContactName, &s.ReviewedBy, &s.CreatedAt)
	return s, err
}

// summaryScope adds the policy for a summary and its organisation.
func (w *where) summaryScope(s access.Scope) {
	w.add("s.withdrawn_at IS NULL")
	w.scope(s, "s.reach", "s.organisation_id", "s.tlp")
	w.scope(s, "so.reach", "so.id", "so.tlp")
}

// PublishSummary replaces an entry's summary with s.
func (db *DB) PublishSummary(ctx context.Context, s *practices.Summary, terms []string) error {
	s.ID, s.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := withdrawSummaries(ctx, tx, s.EntryID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_summaries (id, entry_id, organisation_id, visibility, tlp, reach, lang, title, abstract, contact_id, reviewed_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, s.ID, s.EntryID, s.OrganisationID, s.Visibility, s.TLP,
			int(access.EffectiveReach(s.Visibility, s.TLP)), s.Lang, s.Title, s.Abstract, nullable(s.ContactID), s.ReviewedBy, s.CreatedAt); err != nil {
			return err
		}
		if err := writeTerms(ctx, tx, s.ID, terms); err != nil {
			return err
		}
		return tx.Change(ctx, "practice_summary", s.ID, "create")
	}))
}

// WithdrawSummary withdraws an entry's summary.
func (db *DB) WithdrawSummary(ctx context.Context, entryID string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := withdrawSummaries(ctx, tx, entryID); err != nil {
			return err
		}
		return tx.Change(ctx, "practice_summary", entryID, "delete")
	}))
}

// GetSummary returns a published summary the scope may see.
func (db *DB) GetSummary(ctx context.Context, id string) (practices.Summary, error) {
	w := where{args: []any{id}}
	w.add("s.id = $1")
	w.summaryScope(access.ScopeFrom(ctx))
	s, err := scanSummary(db.queryRow(ctx, `SELECT `+summaryCols+` FROM `+summaryFrom+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return s, notFound("summary", id)
	}
	return s, err
}

// ---- search

// terms adds one condition per query word: the document holds one of
// the word's terms (in any language).
func (w *where) terms(docCol string, groups [][]string) {
	for _, g := range groups {
		w.add(docCol + " IN (SELECT doc_id FROM practice_terms WHERE term IN (" + w.inList(g) + "))")
	}
}

// entryWhere builds the condition of a search or list.
func entryWhere(ctx context.Context, f practices.Filter, groups [][]string) *where {
	w := &where{}
	w.entryScope(access.ScopeFrom(ctx))
	w.terms("e.id", groups)
	if f.Kind != "" {
		w.add("e.kind = " + w.arg(f.Kind))
	}
	if f.Lang != "" {
		w.add("EXISTS (SELECT 1 FROM practice_texts lt WHERE lt.entry_id = e.id AND lt.lang = " + w.arg(f.Lang) + ")")
	}
	if f.Capability != "" {
		w.capability("practice_capabilities", "e.id", "entry_id", f.Capability)
	}
	if f.Organisation != "" {
		a := w.arg(f.Organisation)
		w.add("(o.id = " + a + " OR o.slug = " + a + ")")
	}
	if f.Cluster != "" {
		w.inCluster("e.organisation_id", f.Cluster)
	}
	if !f.UpdatedSince.IsZero() {
		w.add("e.updated_at > " + w.arg(f.UpdatedSince))
	}
	return w
}

// facetQueries count matches by one value each; join adds the table the
// value comes from.
var facetQueries = []struct {
	name, value, label, join string
}{
	{"kind", "e.kind", "e.kind", ""},
	{"lang", "ft.lang", "ft.lang", " JOIN practice_texts ft ON ft.entry_id = e.id"},
	{"capability", "fc.capability_code", "fc.capability_code", " JOIN practice_capabilities fc ON fc.entry_id = e.id"},
	{"organisation", "o.slug", "o.name", ""},
	{"cluster", "c.slug", "c.name", " JOIN memberships fm ON fm.organisation_id = e.organisation_id JOIN clusters c ON c.id = fm.cluster_id"},
}

func (db *DB) entryFacets(ctx context.Context, f practices.Filter, groups [][]string) (practices.Facets, error) {
	var out practices.Facets
	for _, fq := range facetQueries {
		w := entryWhere(ctx, f, groups)
		rows, err := db.query(ctx, `SELECT `+fq.value+`, MIN(`+fq.label+`), COUNT(*) FROM `+entryFrom+fq.join+w.sql()+
			` GROUP BY `+fq.value+` ORDER BY COUNT(*) DESC, `+fq.value+` LIMIT 30`, w.args...)
		if err != nil {
			return out, err
		}
		list := []directory.Facet{}
		for rows.Next() {
			var fc directory.Facet
			if err := rows.Scan(&fc.Value, &fc.Label, &fc.Count); err != nil {
				rows.Close()
				return out, err
			}
			list = append(list, fc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return out, err
		}
		switch fq.name {
		case "kind":
			out.Kind = list
		case "lang":
			out.Lang = list
		case "capability":
			out.Capability = list
		case "organisation":
			out.Organisation = list
		case "cluster":
			out.Cluster = list
		}
	}
	return out, nil
}

// SearchEntries lists visible entries matching f and the query's term
// groups, with facets, and the visible summaries matching the same words.
func (db *DB) SearchEntries(ctx context.Context, f practices.Filter, groups [][]string) (practices.Results, error) {
	var res practices.Results
	w := entryWhere(ctx, f, groups)
	p, _, err := page(ctx, db, directory.Filter{Cursor: f.Cursor, Limit: f.Limit}, static(entryCols), entryFrom, "e", w,
		func(r *sql.Rows) (keyed[practices.Entry], error) { return scanEntry(r) })
	if err != nil {
		return res, err
	}
	if err := db.fillEntries(ctx, p.Items); err != nil {
		return res, err
	}
	res.Page = p
	if res.Facets, err = db.entryFacets(ctx, f, groups); err != nil {
		return res, err
	}
	res.Summaries, err = db.searchSummaries(ctx, f, groups)
	return res, err
}

func (db *DB) searchSummaries(ctx context.Context, f practices.Filter, groups [][]string) ([]practices.Summary, error) {
	out := []practices.Summary{}
	if f.Kind != "" || f.Capability != "" || f.Cursor != "" {
		return out, nil
	}
	w := &where{}
	w.summaryScope(access.ScopeFrom(ctx))
	w.terms("s.id", groups)
	if f.Lang != "" {
		w.add("s.lang = " + w.arg(f.Lang))
	}
	if f.Organisation != "" {
		a := w.arg(f.Organisation)
		w.add("(so.id = " + a + " OR so.slug = " + a + ")")
	}
	if f.Cluster != "" {
		w.inCluster("s.organisation_id", f.Cluster)
	}
	rows, err := db.query(ctx, `SELECT `+summaryCols+` FROM `+summaryFrom+w.sql()+` ORDER BY s.created_at DESC, s.id LIMIT 20`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanSummary(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ListForExport returns the visible entries matching f, newest first (at
// most f.Limit when set).
func (db *DB) ListForExport(ctx context.Context, f practices.Filter) ([]practices.Entry, error) {
	w := entryWhere(ctx, f, nil)
	q := `SELECT ` + entryCols + ` FROM ` + entryFrom + w.sql() + ` ORDER BY e.updated_at DESC, e.id`
	if f.Limit > 0 {
		q += " LIMIT " + w.arg(f.Limit)
	}
	rows, err := db.query(ctx, q, w.args...)
	if err != nil {
		return nil, err
	}
	out := []practices.Entry{}
	for rows.Next() {
		k, err := scanEntry(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, k.item)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, db.fillEntries(ctx, out)
}
