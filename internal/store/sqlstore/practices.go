package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
)

var _ practices.Store = (*DB)(nil)

// The practices library: entries follow the access policy twice, on
// their own label and on their organisation's, so that a visible entry
// never reveals a hidden organisation (as facilities do).

const entryFrom = `practice_entries e JOIN organisations o ON o.id = e.organisation_id`

const entryCols = `e.id, e.kind, e.organisation_id, o.name, o.slug, e.axis, e.visibility, e.tlp, e.related_projects, e.related_facilities,
	e.related_events, e.created_by, e.version, e.created_at, e.updated_at, e.sort_key`

func scanEntry(r interface{ Scan(...any) error }) (keyed[practices.Entry], error) {
	var e practices.Entry
	var key, projects, facs, events string
	err := r.Scan(&e.ID, &e.Kind, &e.OrganisationID, &e.OrganisationName, &e.OrganisationSlug, &e.Axis, &e.Visibility, &e.TLP,
		&projects, &facs, &events, &e.CreatedBy, &e.Version, &e.CreatedAt, &e.UpdatedAt, &key)
	e.RelatedProjects, e.RelatedFacilities, e.RelatedEvents = splitList(projects), splitList(facs), splitList(events)
	return keyed[practices.Entry]{item: e, key: key, id: e.ID}, err
}

// entryScope adds the policy for an entry and its organisation.
func (w *where) entryScope(s access.Scope) {
	w.scope(s, "e.reach", "e.organisation_id", "e.tlp")
	w.scope(s, "o.reach", "o.id", "o.tlp")
}

// OrganisationRef returns a visible organisation with its memberships.
func (db *DB) OrganisationRef(ctx context.Context, key string) (directory.Organisation, error) {
	return db.GetOrganisation(ctx, key)
}

// PersonRef returns a visible person.
func (db *DB) PersonRef(ctx context.Context, id string) (directory.Person, error) {
	return db.GetPerson(ctx, id)
}

// CapabilityExists reports whether the taxonomy has code.
func (db *DB) CapabilityExists(ctx context.Context, code string) (bool, error) {
	_, err := db.GetCapability(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	return err == nil, err
}

// fillEntries loads texts, capabilities, authors and the owner's clusters
// of a set of entries with one query each.
func (db *DB) fillEntries(ctx context.Context, es []practices.Entry) error {
	if len(es) == 0 {
		return nil
	}
	ids := make([]string, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	var w where
	rows, err := db.query(ctx, `SELECT entry_id, lang, original, title, summary, body, updated_at FROM practice_texts WHERE entry_id IN (`+w.inList(ids)+`)
		ORDER BY entry_id, original DESC, lang`, w.args...)
	if err != nil {
		return err
	}
	texts := map[string][]practices.Text{}
	for rows.Next() {
		var id string
		var t practices.Text
		if err := rows.Scan(&id, &t.Lang, &t.Original, &t.Title, &t.Summary, &t.Body, &t.UpdatedAt); err != nil {
			rows.Close()
			return err
		}
		texts[id] = append(texts[id], t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	caps, err := db.links(ctx, `SELECT entry_id, capability_code FROM practice_capabilities WHERE entry_id IN (%s) ORDER BY entry_id, position`, ids)
	if err != nil {
		return err
	}
	authors, err := db.links(ctx, `SELECT a.entry_id, a.person_id || '|' || p.name FROM practice_authors a JOIN people p ON p.id = a.person_id
		WHERE a.entry_id IN (%s) ORDER BY a.entry_id, a.position`, ids)
	if err != nil {
		return err
	}
	clusters, err := db.links(ctx, `SELECT e.id, m.cluster_id FROM practice_entries e JOIN memberships m ON m.organisation_id = e.organisation_id
		WHERE e.id IN (%s) ORDER BY e.id, m.cluster_id`, ids)
	if err != nil {
		return err
	}
	for i := range es {
		e := &es[i]
		e.Texts = texts[e.ID]
		if e.Texts == nil {
			e.Texts = []practices.Text{}
		}
		e.Capabilities = orEmpty(caps[e.ID])
		e.Authors = []practices.Author{}
		for _, a := range authors[e.ID] {
			id, name, _ := strings.Cut(a, "|")
			e.Authors = append(e.Authors, practices.Author{ID: id, Name: name})
		}
		e.OrganisationClust = clusters[e.ID]
		e.Attachments = []practices.Attachment{}
	}
	return nil
}

// GetEntry returns a visible entry with its attachments and summary.
func (db *DB) GetEntry(ctx context.Context, id string) (practices.Entry, error) {
	w := where{args: []any{id}}
	w.add("e.id = $1")
	w.entryScope(access.ScopeFrom(ctx))
	k, err := scanEntry(db.queryRow(ctx, `SELECT `+entryCols+` FROM `+entryFrom+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return practices.Entry{}, notFound("practice", id)
	}
	if err != nil {
		return practices.Entry{}, err
	}
	es := []practices.Entry{k.item}
	if err := db.fillEntries(ctx, es); err != nil {
		return es[0], err
	}
	e := es[0]
	rows, err := db.query(ctx, `SELECT `+attachmentCols+` FROM practice_attachments a WHERE a.entry_id = $1 ORDER BY a.created_at, a.id`, id)
	if err != nil {
		return e, err
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return e, err
		}
		e.Attachments = append(e.Attachments, a)
	}
	if err := rows.Err(); err != nil {
		return e, err
	}
	s, err := scanSummary(db.queryRow(ctx, `SELECT `+summaryCols+` FROM `+summaryFrom+` WHERE s.entry_id = $1 AND s.withdrawn_at IS NULL`, id))
	switch {
	case err == nil:
		e.Summary = &s
	case !errors.Is(err, sql.ErrNoRows):
		return e, err
	}
	return e, nil
}

// writeEntryParts replaces an entry's texts, authors, capabilities and
// search terms inside tx.
func writeEntryParts(ctx context.Context, tx *Tx, e *practices.Entry, terms []string) error {
	for _, q := range []string{`DELETE FROM practice_texts WHERE entry_id = $1`, `DELETE FROM practice_authors WHERE entry_id = $1`,
		`DELETE FROM practice_capabilities WHERE entry_id = $1`} {
		if _, err := tx.ExecContext(ctx, q, e.ID); err != nil {
			return err
		}
	}
	for i := range e.Texts {
		t := &e.Texts[i]
		t.UpdatedAt = e.UpdatedAt
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_texts (entry_id, lang, original, title, summary, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			e.ID, t.Lang, t.Original, t.Title, t.Summary, t.Body, t.UpdatedAt); err != nil {
			return err
		}
	}
	for i, a := range e.Authors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_authors (entry_id, person_id, position) VALUES ($1, $2, $3)`, e.ID, a.ID, i); err != nil {
			return err
		}
	}
	for i, c := range e.Capabilities {
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_capabilities (entry_id, capability_code, position) VALUES ($1, $2, $3)`, e.ID, c, i); err != nil {
			return err
		}
	}
	return writeTerms(ctx, tx, e.ID, terms)
}

// writeTerms replaces a document's search terms, many rows a statement.
func writeTerms(ctx context.Context, tx *Tx, doc string, terms []string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM practice_terms WHERE doc_id = $1`, doc); err != nil {
		return err
	}
	const batch = 200
	for start := 0; start < len(terms); start += batch {
		chunk := terms[start:min(start+batch, len(terms))]
		var w where
		vals := make([]string, len(chunk))
		for i, t := range chunk {
			vals[i] = "(" + w.arg(t) + ", " + w.arg(doc) + ")"
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_terms (term, doc_id) VALUES `+strings.Join(vals, ", "), w.args...); err != nil {
			return err
		}
	}
	return nil
}

// addRevision records who made version v of an entry and what changed.
func addRevision(ctx context.Context, tx *Tx, entryID string, version int, by practices.Revision) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO practice_revisions (entry_id, version, user_id, user_name, fields, at)
		VALUES ($1, $2, $3, COALESCE((SELECT CASE WHEN name <> '' THEN name ELSE email END FROM users WHERE id = $3), ''), $4, $5)`,
		entryID, version, by.UserID, joinList(by.Fields), now())
	return err
}

func entrySortKey(e *practices.Entry) string { return directory.Fold(e.Original().Title) }

// CreateEntry stores a new entry with its parts and first revision.
func (db *DB) CreateEntry(ctx context.Context, e *practices.Entry, by practices.Revision, terms []string) error {
	e.ID = newID()
	e.CreatedAt = now()
	e.UpdatedAt = e.CreatedAt
	e.Version = 1
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO practice_entries (id, kind, organisation_id, axis, visibility, tlp, reach, sort_key, related_projects,
			related_facilities, related_events, created_by, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13, $14)`,
			e.ID, e.Kind, e.OrganisationID, e.Axis, e.Visibility, e.TLP, int(access.EffectiveReach(e.Visibility, e.TLP)), entrySortKey(e),
			joinList(e.RelatedProjects), joinList(e.RelatedFacilities), joinList(e.RelatedEvents), e.CreatedBy, e.CreatedAt, e.UpdatedAt)
		if err != nil {
			return err
		}
		if err := writeEntryParts(ctx, tx, e, terms); err != nil {
			return err
		}
		if err := addRevision(ctx, tx, e.ID, 1, by); err != nil {
			return err
		}
		return tx.Change(ctx, "practice", e.ID, "create")
	}))
}

// bumpEntry raises an entry's version if expected (when not 0) is the
// current one, returning the new version.
func bumpEntry(ctx context.Context, tx *Tx, id string, expected int) (int, error) {
	var current int
	if err := tx.QueryRowContext(ctx, `SELECT version FROM practice_entries WHERE id = $1`, id).Scan(&current); errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("practice", id)
	} else if err != nil {
		return 0, err
	}
	if expected != 0 && expected != current {
		return 0, store.ErrStale
	}
	res, err := tx.ExecContext(ctx, `UPDATE practice_entries SET version = version + 1, updated_at = $3 WHERE id = $1 AND version = $2`, id, current, now())
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, store.ErrStale
	}
	return current + 1, nil
}

// withdrawSummaries withdraws the summaries linked to an entry.
func withdrawSummaries(ctx context.Context, tx *Tx, entryID string) error {
	_, err := tx.ExecContext(ctx, `UPDATE practice_summaries SET withdrawn_at = $2, entry_id = NULL WHERE entry_id = $1 AND withdrawn_at IS NULL`, entryID, now())
	return err
}

// UpdateEntry replaces an entry's fields and parts.
func (db *DB) UpdateEntry(ctx context.Context, e *practices.Entry, expected int, by practices.Revision, terms []string, withdraw bool) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		v, err := bumpEntry(ctx, tx, e.ID, expected)
		if err != nil {
			return err
		}
		e.Version, e.UpdatedAt = v, now()
		_, err = tx.ExecContext(ctx, `UPDATE practice_entries SET kind = $2, organisation_id = $3, axis = $4, visibility = $5, tlp = $6, reach = $7, sort_key = $8,
			related_projects = $9, related_facilities = $10, related_events = $11, updated_at = $12 WHERE id = $1`,
			e.ID, e.Kind, e.OrganisationID, e.Axis, e.Visibility, e.TLP, int(access.EffectiveReach(e.Visibility, e.TLP)), entrySortKey(e),
			joinList(e.RelatedProjects), joinList(e.RelatedFacilities), joinList(e.RelatedEvents), e.UpdatedAt)
		if err != nil {
			return err
		}
		if err := writeEntryParts(ctx, tx, e, terms); err != nil {
			return err
		}
		if withdraw {
			if err := withdrawSummaries(ctx, tx, e.ID); err != nil {
				return err
			}
		}
		if err := addRevision(ctx, tx, e.ID, v, by); err != nil {
			return err
		}
		return tx.Change(ctx, "practice", e.ID, "update")
	}))
}

// AddText adds a language version; the (entry, lang) key refuses a
// second one in the same language.
func (db *DB) AddText(ctx context.Context, entryID string, t practices.Text, by practices.Revision, terms []string) error {
	err := db.Transact(ctx, func(tx *Tx) error {
		v, err := bumpEntry(ctx, tx, entryID, 0)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_texts (entry_id, lang, original, title, summary, body, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			entryID, t.Lang, t.Original, t.Title, t.Summary, t.Body, now()); err != nil {
			return err
		}
		if err := writeTerms(ctx, tx, entryID, terms); err != nil {
			return err
		}
		if err := addRevision(ctx, tx, entryID, v, by); err != nil {
			return err
		}
		return tx.Change(ctx, "practice", entryID, "update")
	})
	if _, _, ok := db.dialect.Unique(err); ok {
		return &store.ConflictError{Field: "lang", Code: practices.LangPresent}
	}
	return db.mapError(err)
}

// DeleteEntry deletes an entry, withdrawing its summaries.
func (db *DB) DeleteEntry(ctx context.Context, id string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := withdrawSummaries(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM practice_terms WHERE doc_id = $1`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM practice_entries WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("practice", id)
		}
		return tx.Change(ctx, "practice", id, "delete")
	}))
}

// History lists an entry's revisions, newest first.
func (db *DB) History(ctx context.Context, entryID string) ([]practices.Revision, error) {
	rows, err := db.query(ctx, `SELECT version, user_name, fields, at FROM practice_revisions WHERE entry_id = $1 ORDER BY version DESC`, entryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []practices.Revision{}
	for rows.Next() {
		var r practices.Revision
		var fields string
		if err := rows.Scan(&r.Version, &r.UserName, &fields, &r.At); err != nil {
			return nil, err
		}
		r.Fields = splitList(fields)
		out = append(out, r)
	}
	return out, rows.Err()
}

// ListComments lists an entry's comments, oldest first.
func (db *DB) ListComments(ctx context.Context, entryID string) ([]practices.Comment, error) {
	rows, err := db.query(ctx, `SELECT id, user_id, user_name, body, created_at FROM practice_comments WHERE entry_id = $1 ORDER BY created_at, id`, entryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []practices.Comment{}
	for rows.Next() {
		var c practices.Comment
		if err := rows.Scan(&c.ID, &c.UserID, &c.UserName, &c.Body, &c.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddComment stores a comment.
func (db *DB) AddComment(ctx context.Context, entryID string, c *practices.Comment) error {
	c.ID, c.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT CASE WHEN name <> '' THEN name ELSE email END FROM users WHERE id = $1), '')`, c.UserID).Scan(&c.UserName); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO practice_comments (id, entry_id, user_id, user_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
			c.ID, entryID, c.UserID, c.UserName, c.Body, c.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "practice_comment", c.ID, "create")
	}))
}
