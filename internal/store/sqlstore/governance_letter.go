package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
)

var _ governance.LetterStore = (*DB)(nil)

// CreateLetterVersion stores a version with the next number.
func (db *DB) CreateLetterVersion(ctx context.Context, v *governance.LetterVersion) error {
	v.ID, v.CreatedAt = newID(), now()
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM governance_letter_versions`).Scan(&v.Number); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO governance_letter_versions (id, number, title, published_on, created_at) VALUES ($1, $2, $3, $4, $5)`,
			v.ID, v.Number, v.Title, v.PublishedOn, v.CreatedAt); err != nil {
			return err
		}
		for _, t := range v.Texts {
			if _, err := tx.ExecContext(ctx, `INSERT INTO governance_letter_texts (version_id, lang, text) VALUES ($1, $2, $3)`, v.ID, t.Lang, t.Text); err != nil {
				return err
			}
		}
		return tx.Change(ctx, "letter", v.ID, "create")
	}))
}

// ListLetterVersions returns every version, oldest first, with texts and
// signatures.
func (db *DB) ListLetterVersions(ctx context.Context) ([]governance.LetterVersion, error) {
	return db.letterVersions(ctx, "", nil)
}

// GetLetterVersion returns one version.
func (db *DB) GetLetterVersion(ctx context.Context, id string) (governance.LetterVersion, error) {
	vs, err := db.letterVersions(ctx, ` WHERE id = $1`, []any{id})
	if err != nil {
		return governance.LetterVersion{}, err
	}
	if len(vs) == 0 {
		return governance.LetterVersion{}, notFound("letter version", id)
	}
	return vs[0], nil
}

func (db *DB) letterVersions(ctx context.Context, where string, args []any) ([]governance.LetterVersion, error) {
	rows, err := db.query(ctx, `SELECT id, number, title, published_on, created_at FROM governance_letter_versions`+where+` ORDER BY number`, args...)
	if err != nil {
		return nil, err
	}
	out := []governance.LetterVersion{}
	index := map[string]int{}
	for rows.Next() {
		var v governance.LetterVersion
		if err := rows.Scan(&v.ID, &v.Number, &v.Title, &v.PublishedOn, &v.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		v.Texts, v.Signatures = []governance.LetterText{}, []governance.Signature{}
		index[v.ID] = len(out)
		out = append(out, v)
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, err
	}
	texts, err := db.query(ctx, `SELECT version_id, lang, text FROM governance_letter_texts ORDER BY version_id, lang`)
	if err != nil {
		return nil, err
	}
	for texts.Next() {
		var id string
		var t governance.LetterText
		if err := texts.Scan(&id, &t.Lang, &t.Text); err != nil {
			texts.Close()
			return nil, err
		}
		if i, ok := index[id]; ok {
			out[i].Texts = append(out[i].Texts, t)
		}
	}
	texts.Close()
	sigs, err := db.query(ctx, `SELECT s.version_id, s.cluster_id, c.name, s.signer_name, s.signer_user_id, s.signed_on, s.place, s.paper, s.scan_ref, s.recorded_by, s.created_at
		FROM governance_letter_signatures s JOIN clusters c ON c.id = s.cluster_id ORDER BY s.signed_on, c.name`)
	if err != nil {
		return nil, err
	}
	defer sigs.Close()
	for sigs.Next() {
		var s governance.Signature
		if err := sigs.Scan(&s.VersionID, &s.ClusterID, &s.ClusterName, &s.SignerName, &s.SignerID, &s.SignedOn, &s.Place, &s.Paper, &s.ScanRef, &s.RecordedBy, &s.CreatedAt); err != nil {
			return nil, err
		}
		if i, ok := index[s.VersionID]; ok {
			out[i].Signatures = append(out[i].Signatures, s)
		}
	}
	return out, sigs.Err()
}

// CreateSignature stores a signature and audits it.
func (db *DB) CreateSignature(ctx context.Context, s *governance.Signature, action string) error {
	s.CreatedAt = now()
	err := db.Transact(ctx, func(tx *Tx) error {
		var name string
		if err := tx.QueryRowContext(ctx, `SELECT name FROM clusters WHERE id = $1`, s.ClusterID).Scan(&name); errors.Is(err, sql.ErrNoRows) {
			return notFound("cluster", s.ClusterID)
		} else if err != nil {
			return err
		}
		s.ClusterName = name
		if _, err := tx.ExecContext(ctx, `INSERT INTO governance_letter_signatures (version_id, cluster_id, signer_name, signer_user_id, signed_on, place, paper, scan_ref, recorded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, s.VersionID, s.ClusterID, s.SignerName, s.SignerID, s.SignedOn, s.Place, s.Paper, s.ScanRef, s.RecordedBy, s.CreatedAt); err != nil {
			return err
		}
		if err := tx.Audit(ctx, action, "cluster", s.ClusterID, fmt.Sprintf("letter version %s signed by %s on %s", s.VersionID, s.SignerName, s.SignedOn)); err != nil {
			return err
		}
		return tx.Change(ctx, "letter", s.VersionID, "update")
	})
	var ce *store.ConflictError
	if err = db.mapError(err); errors.As(err, &ce) {
		return &store.ConflictError{Field: "cluster_id", Code: ce.Code}
	}
	return err
}
