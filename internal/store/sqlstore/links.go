package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Linking organisations to their CORDIS records (projects.Service): what
// the linker reads, the PIC a link brings, claims and invitations. Who may
// do what is the projects service's; these only read and write.

// LinkKeys reads what linking compares of every organisation: its fields,
// whether it is a member of a cluster and whether it holds a CORDIS record.
func (db *DB) LinkKeys(ctx context.Context) ([]projects.LinkKey, error) {
	var out []projects.LinkKey
	index := map[string]int{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var k projects.LinkKey
		var member, cordis int
		if err := r.Scan(&k.ID, &k.Slug, &k.Name, &k.ShortName, &k.Kind, &k.Country, &k.City, &k.Website, &k.PIC, &k.VAT, &member, &cordis); err != nil {
			return err
		}
		k.Member, k.CORDIS = member > 0, cordis > 0
		if k.VAT != "" {
			k.VATs = []string{k.VAT}
		}
		index[k.ID] = len(out)
		out = append(out, k)
		return nil
	}, `SELECT o.id, o.slug, o.name, o.short_name, o.kind, o.country, o.city, o.website, COALESCE(o.pic, ''), COALESCE(o.vat, ''),
		CASE WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.organisation_id = o.id) THEN 1 ELSE 0 END,
		CASE WHEN EXISTS (SELECT 1 FROM cordis_organisations c WHERE c.organisation_id = o.id) THEN 1 ELSE 0 END
		FROM organisations o ORDER BY o.id`)
	if err != nil {
		return nil, err
	}
	err = db.scanAll(ctx, func(r *sql.Rows) error {
		var id, c string
		if err := r.Scan(&id, &c); err != nil {
			return err
		}
		if i, ok := index[id]; ok {
			out[i].Clusters = append(out[i].Clusters, c)
		}
		return nil
	}, `SELECT organisation_id, cluster_id FROM memberships ORDER BY organisation_id, cluster_id`)
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

// LinkUndonePairs returns the pairs of a merge that was undone: a link
// undone is not made again.
func (db *DB) LinkUndonePairs(ctx context.Context) (map[[2]string]bool, error) {
	out := map[[2]string]bool{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var a, b string
		err := r.Scan(&a, &b)
		out[projects.PairKey(a, b)] = true
		return err
	}, `SELECT into_id, from_id FROM organisation_merges WHERE undone_at IS NOT NULL`)
	return out, err
}

// LinkPIC gives organisation id the PIC of the record linked to it when it
// has none (an undo of the merge takes it back: see applyUndo).
func (db *DB) LinkPIC(ctx context.Context, id, pic string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE organisations SET pic = $2 WHERE id = $1 AND pic IS NULL AND NOT EXISTS (SELECT 1 FROM organisations o2 WHERE o2.pic = $2)`, id, pic)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.Change(ctx, "organisation", id, "update")
	}))
}

// LinkClaim makes organisation id a member of cluster (in role,
// since today) if it is known only from EU records: no member of any
// cluster, no claim. Of two claims at once exactly one succeeds; the other
// gets a *store.ConflictError on "organisation" (projects.AlreadyClaimed).
func (db *DB) LinkClaim(ctx context.Context, id, cluster, role string) (projects.Claim, error) {
	c := projects.Claim{OrganisationID: id, ClusterID: cluster, Role: role, ClaimedBy: audit.ActorFrom(ctx).Label, ClaimedAt: now()}
	err := db.Transact(ctx, func(tx *Tx) error {
		// The claim first: a second claim waits here on the key until this
		// one ends, then fails.
		if _, err := tx.ExecContext(ctx, `INSERT INTO organisation_claims (organisation_id, cluster_id, claimed_by, claimed_at) VALUES ($1, $2, $3, $4)`,
			id, cluster, c.ClaimedBy, c.ClaimedAt); err != nil {
			if _, _, ok := db.dialect.Unique(err); ok {
				return &store.ConflictError{Field: "organisation", Code: projects.AlreadyClaimed}
			}
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM memberships WHERE organisation_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return &store.ConflictError{Field: "organisation", Code: projects.AlreadyClaimed}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, $3, $4)`,
			cluster, id, role, c.ClaimedAt.Format(time.DateOnly)); err != nil {
			return err
		}
		return tx.changeMany(ctx, []change{{"organisation", id, "update", fmt.Sprintf("claimed by cluster %s", cluster)}})
	})
	return c, db.mapError(err)
}

// LinkInvite stores an invitation to join a cluster.
func (db *DB) LinkInvite(ctx context.Context, inv *projects.Invitation) error {
	inv.ID, inv.CreatedAt, inv.InvitedBy = newID(), now(), audit.ActorFrom(ctx).Label
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO organisation_invitations (id, organisation_id, cluster_id, email, note, invited_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, inv.ID, inv.OrganisationID, inv.ClusterID, inv.Email, inv.Note, inv.InvitedBy, inv.CreatedAt); err != nil {
			return err
		}
		return tx.Change(ctx, "organisation_invitation", inv.ID, "create")
	}))
}

// LinkCluster returns a cluster's id, slug and name (id or slug).
func (db *DB) LinkCluster(ctx context.Context, key string) (id, slug, name string, err error) {
	err = db.queryRow(ctx, `SELECT id, slug, name FROM clusters WHERE id = $1 OR slug = $1`, key).Scan(&id, &slug, &name)
	if errors.Is(err, sql.ErrNoRows) {
		var errs validate.Errors
		errs.Add("cluster_id", validate.NotFound)
		return "", "", "", errs
	}
	return id, slug, name, err
}

// LinkVisible returns organisation key (id or slug) as linking reads it,
// if the viewer in ctx may see it.
func (db *DB) LinkVisible(ctx context.Context, key string) (projects.LinkKey, error) {
	var k projects.LinkKey
	o, err := db.GetOrganisation(ctx, key)
	if err != nil {
		return k, err
	}
	k.LinkRecord = projects.LinkRecord{ID: o.ID, Slug: o.Slug, Name: o.Name, ShortName: o.ShortName, Kind: o.Kind, Country: o.Country,
		City: o.City, Website: o.Website, PIC: o.PIC, VAT: o.VAT}
	for _, m := range o.Memberships {
		k.Clusters = append(k.Clusters, m.ClusterID)
	}
	k.Member = len(k.Clusters) > 0
	if o.VAT != "" {
		k.VATs = []string{o.VAT}
	}
	var n int
	if err := db.queryRow(ctx, `SELECT COUNT(*) FROM cordis_organisations WHERE organisation_id = $1`, o.ID).Scan(&n); err != nil {
		return k, err
	}
	k.CORDIS = n > 0
	return k, nil
}
