package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/store"
)

var _ postings.Store = (*DB)(nil)

const postingCols = `p.id, p.organisation_id, o.name, o.slug, p.kind, p.call_id, COALESCE(c.title, ''), p.title, p.body, p.roles, p.capabilities,
	p.countries, p.visibility, p.expires_on, p.created_by, p.version, p.created_at,
	(SELECT COUNT(*) FROM posting_interests i WHERE i.posting_id = p.id)`

// PostingCreate stores a posting.
func (db *DB) PostingCreate(ctx context.Context, p *postings.Posting) error {
	p.ID, p.CreatedAt, p.Version = newID(), now(), 1
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO postings (id, organisation_id, kind, call_id, title, body, roles, capabilities, countries,
			visibility, reach, expires_on, created_by, version, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			p.ID, p.OrganisationID, p.Kind, p.CallID, p.Title, p.Text, joinList(p.Roles), joinList(p.Capabilities), joinList(p.Countries),
			p.Visibility, int(access.LevelReach(p.Visibility)), p.ExpiresOn, p.CreatedBy, p.Version, p.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "posting", p.ID, "create")
	}))
}

func (db *DB) postings(ctx context.Context, w where) ([]postings.Posting, error) {
	w.scope(access.ScopeFrom(ctx), "p.reach", "p.organisation_id", "p.tlp")
	w.scope(access.ScopeFrom(ctx), "o.reach", "o.id", "o.tlp")
	rows, err := db.query(ctx, `SELECT `+postingCols+` FROM postings p JOIN organisations o ON o.id = p.organisation_id
		LEFT JOIN calls c ON c.id = p.call_id`+w.sql()+` ORDER BY p.created_at DESC, p.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []postings.Posting{}
	for rows.Next() {
		var p postings.Posting
		var roles, caps, countries string
		if err := rows.Scan(&p.ID, &p.OrganisationID, &p.OrganisationName, &p.OrganisationSlug, &p.Kind, &p.CallID, &p.CallTitle, &p.Title, &p.Text,
			&roles, &caps, &countries, &p.Visibility, &p.ExpiresOn, &p.CreatedBy, &p.Version, &p.CreatedAt, &p.Interests); err != nil {
			return nil, err
		}
		p.Roles, p.Capabilities, p.Countries = splitList(roles), splitList(caps), splitList(countries)
		out = append(out, p)
	}
	return out, rows.Err()
}

// PostingGet returns a visible posting.
func (db *DB) PostingGet(ctx context.Context, id string) (postings.Posting, error) {
	w := where{}
	w.add("p.id = " + w.arg(id))
	ps, err := db.postings(ctx, w)
	if err != nil {
		return postings.Posting{}, err
	}
	if len(ps) == 0 {
		return postings.Posting{}, notFound("posting", id)
	}
	return ps[0], nil
}

// PostingList lists the visible postings, newest first.
func (db *DB) PostingList(ctx context.Context, f postings.Filter) ([]postings.Posting, error) {
	w := where{}
	if f.CallID != "" {
		w.add("p.call_id = " + w.arg(f.CallID))
	}
	if f.Kind != "" {
		w.add("p.kind = " + w.arg(f.Kind))
	}
	if f.OrganisationID != "" {
		w.add("p.organisation_id = " + w.arg(f.OrganisationID))
	}
	if f.Today != "" {
		w.add("p.expires_on >= " + w.arg(f.Today))
	}
	return db.postings(ctx, w)
}

// PostingInterestCreate stores an interest; one per organisation and
// posting.
func (db *DB) PostingInterestCreate(ctx context.Context, in *postings.Interest) error {
	in.ID, in.CreatedAt = newID(), now()
	err := db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO posting_interests (id, posting_id, organisation_id, user_id, message, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, in.ID, in.PostingID, in.OrganisationID, in.UserID, in.Message, in.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "posting_interest", in.ID, "create")
	}))
	var ce *store.ConflictError
	if errors.As(err, &ce) && ce.Code == "error.duplicate" {
		return &store.ConflictError{Field: "organisation_id", Code: postings.AlreadyInterest}
	}
	return err
}

// PostingInterests lists a posting's interests, oldest first; with org
// set, only that organisation's.
func (db *DB) PostingInterests(ctx context.Context, postingID, org string) ([]postings.Interest, error) {
	w := where{}
	w.add("i.posting_id = " + w.arg(postingID))
	if org != "" {
		w.add("i.organisation_id = " + w.arg(org))
	}
	rows, err := db.query(ctx, `SELECT i.id, i.posting_id, i.organisation_id, o.name, o.slug, i.user_id, COALESCE(u.name, ''), i.message, i.created_at
		FROM posting_interests i JOIN organisations o ON o.id = i.organisation_id LEFT JOIN users u ON u.id = i.user_id`+w.sql()+` ORDER BY i.created_at, i.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []postings.Interest{}
	for rows.Next() {
		var in postings.Interest
		if err := rows.Scan(&in.ID, &in.PostingID, &in.OrganisationID, &in.OrganisationName, &in.OrganisationSlug, &in.UserID, &in.UserName,
			&in.Message, &in.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// PostingRecipients returns the enabled account userID, or the enabled
// administrators of org when that account does not exist.
func (db *DB) PostingRecipients(ctx context.Context, userID, org string) ([]postings.Author, error) {
	var a postings.Author
	err := db.queryRow(ctx, `SELECT email, name FROM users WHERE id = $1 AND disabled = $2`, userID, false).Scan(&a.Email, &a.Name)
	if err == nil {
		return []postings.Author{a}, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	rows, err := db.query(ctx, `SELECT email, name FROM users WHERE organisation_id = $1 AND org_admin = $2 AND disabled = $3 ORDER BY email`, org, true, false)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []postings.Author{}
	for rows.Next() {
		if err := rows.Scan(&a.Email, &a.Name); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
