package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

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

// termsOf adds the same condition as terms, as a lookup per row of the
// outer query (the (term, doc_id) key): quicker when the rows are few,
// as summaries are, than materialising every document of a common term.
func (w *where) termsOf(docCol string, groups [][]string) {
	for _, g := range groups {
		w.add("EXISTS (SELECT 1 FROM practice_terms pt WHERE pt.doc_id = " + docCol + " AND pt.term IN (" + w.inList(g) + "))")
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

// facetQueries count matches by one value each, over the materialised
// match set m; join adds the table the value comes from.
var facetQueries = []struct {
	name, value, label, join string
}{
	{"kind", "m.kind", "m.kind", ""},
	{"lang", "ft.lang", "ft.lang", " JOIN practice_texts ft ON ft.entry_id = m.id"},
	{"capability", "fc.capability_code", "fc.capability_code", " JOIN practice_capabilities fc ON fc.entry_id = m.id"},
	{"organisation", "fo.slug", "fo.name", " JOIN organisations fo ON fo.id = m.organisation_id"},
	{"cluster", "c.slug", "c.name", " JOIN memberships fm ON fm.organisation_id = m.organisation_id JOIN clusters c ON c.id = fm.cluster_id"},
}

// entryFacets counts the matches and their facets in one statement: the
// match set is evaluated once (a materialised CTE, which both engines
// accept) and grouped per facet.
func (db *DB) entryFacets(ctx context.Context, f practices.Filter, groups [][]string) (int, practices.Facets, error) {
	var out practices.Facets
	w := entryWhere(ctx, f, groups)
	parts := []string{`SELECT 'total', '', '', COUNT(*) FROM m`}
	for i, fq := range facetQueries {
		parts = append(parts, fmt.Sprintf(`SELECT * FROM (SELECT '%s' AS facet, %s AS value, MIN(%s) AS label, COUNT(*) AS n FROM m%s GROUP BY %s ORDER BY COUNT(*) DESC, %s LIMIT 30) f%d`,
			fq.name, fq.value, fq.label, fq.join, fq.value, fq.value, i))
	}
	q := `WITH m AS MATERIALIZED (SELECT e.id, e.kind, e.organisation_id FROM ` + entryFrom + w.sql() + `) ` + strings.Join(parts, " UNION ALL ")
	rows, err := db.query(ctx, q, w.args...)
	if err != nil {
		return 0, out, err
	}
	defer rows.Close()
	total := 0
	out = practices.Facets{Kind: []directory.Facet{}, Lang: []directory.Facet{}, Capability: []directory.Facet{}, Organisation: []directory.Facet{}, Cluster: []directory.Facet{}}
	for rows.Next() {
		var name string
		var fc directory.Facet
		if err := rows.Scan(&name, &fc.Value, &fc.Label, &fc.Count); err != nil {
			return 0, out, err
		}
		switch name {
		case "total":
			total = fc.Count
		case "kind":
			out.Kind = append(out.Kind, fc)
		case "lang":
			out.Lang = append(out.Lang, fc)
		case "capability":
			out.Capability = append(out.Capability, fc)
		case "organisation":
			out.Organisation = append(out.Organisation, fc)
		case "cluster":
			out.Cluster = append(out.Cluster, fc)
		}
	}
	return total, out, rows.Err()
}

// SearchEntries lists visible entries matching f and the query's term
// groups, with facets, and the visible summaries matching the same words.
func (db *DB) SearchEntries(ctx context.Context, f practices.Filter, groups [][]string) (practices.Results, error) {
	var res practices.Results
	total, facets, err := db.entryFacets(ctx, f, groups)
	if err != nil {
		return res, err
	}
	p, err := db.entryPage(ctx, f, groups)
	if err != nil {
		return res, err
	}
	p.Total = total
	if err := db.fillEntries(ctx, p.Items); err != nil {
		return res, err
	}
	res.Page, res.Facets = p, facets
	res.Summaries, err = db.searchSummaries(ctx, f, groups)
	return res, err
}

// entryPage reads one page of matches after the cursor, by sort key.
func (db *DB) entryPage(ctx context.Context, f practices.Filter, groups [][]string) (directory.Page[practices.Entry], error) {
	out := directory.Page[practices.Entry]{Items: []practices.Entry{}}
	w := entryWhere(ctx, f, groups)
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return out, err
		}
		k, i := w.arg(c.Key), w.arg(c.ID)
		w.add(fmt.Sprintf("(e.sort_key > %[1]s OR (e.sort_key = %[1]s AND e.id > %[2]s))", k, i))
	}
	limit := max(f.Limit, 1)
	rows, err := db.query(ctx, `SELECT `+entryCols+` FROM `+entryFrom+w.sql()+` ORDER BY e.sort_key, e.id LIMIT `+w.arg(limit+1), w.args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	var last keyed[practices.Entry]
	for rows.Next() {
		k, err := scanEntry(rows)
		if err != nil {
			return out, err
		}
		if len(out.Items) == limit {
			out.Next = encodeCursor(last.key, last.id)
			break
		}
		out.Items = append(out.Items, k.item)
		last = k
	}
	return out, rows.Err()
}

func (db *DB) searchSummaries(ctx context.Context, f practices.Filter, groups [][]string) ([]practices.Summary, error) {
	out := []practices.Summary{}
	if f.Kind != "" || f.Capability != "" || f.Cursor != "" {
		return out, nil
	}
	w := &where{}
	w.summaryScope(access.ScopeFrom(ctx))
	w.termsOf("s.id", groups)
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
