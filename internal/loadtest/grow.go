package loadtest

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Grow adds n public organisations to a database holding the demo
// alliance (in four of its clusters, each with a capability), in one
// transaction of prepared inserts: a benchmark's setup, not the
// application's write path, which goes one record at a time through the
// rules and the change feed. Start the application after it, so that
// what it caches reflects the rows.
func Grow(ctx context.Context, db *sqlstore.DB, n int) error {
	ctx = access.WithScope(ctx, access.System)
	var clusterIDs []string
	for _, slug := range []string{"hsd", "safe-cluster", "censec", "kit"} {
		c, err := db.GetCluster(ctx, slug)
		if err != nil {
			return fmt.Errorf("cluster %s of the demo: %w", slug, err)
		}
		clusterIDs = append(clusterIDs, c.ID)
	}
	countries := []string{"NL", "FR", "DK", "DE", "BE", "FI", "ES", "IT"}
	caps := []string{"cybersecurity", "drones.counter-drone", "cbrne.detection", "crisis-management.early-warning"}
	words := []string{"drone detection", "border security", "cyber incident response", "crisis communication", "explosives detection"}
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	org, err := tx.PrepareContext(ctx, `INSERT INTO organisations (id, slug, name, short_name, sort_key, search_text, kind, sme, country, city, website, description, created_at, updated_at, visibility, tlp, reach)
		VALUES ($1, $2, $3, '', $4, $5, $6, $7, $8, '', '', $9, $10, $10, 'public', 'CLEAR', 3)`)
	if err != nil {
		return err
	}
	member, err := tx.PrepareContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, 'member', '')`)
	if err != nil {
		return err
	}
	capability, err := tx.PrepareContext(ctx, `INSERT INTO organisation_capabilities (organisation_id, capability_code, position) VALUES ($1, $2, 0)`)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	for i := range n {
		id := uuid.Must(uuid.NewV7()).String()
		name := fmt.Sprintf("Bench Organisation %06d security", i)
		desc := "Works on " + words[i%len(words)] + "."
		if _, err := org.ExecContext(ctx, id, fmt.Sprintf("bench-%d", i), name, directory.Fold(name), directory.SearchText(name, desc),
			directory.Kinds[i%len(directory.Kinds)], false, countries[i%len(countries)], desc, now); err != nil {
			return err
		}
		if _, err := member.ExecContext(ctx, clusterIDs[i%len(clusterIDs)], id); err != nil {
			return err
		}
		if _, err := capability.ExecContext(ctx, id, caps[i%len(caps)]); err != nil {
			return err
		}
	}
	return tx.Commit()
}
