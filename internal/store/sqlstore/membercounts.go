package sqlstore

import (
	"context"
	"fmt"
	"sync"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store/feed"
)

// memberCountEntities are the change-feed entities that can change how
// many members a viewer sees in a cluster: memberships, the organisations
// (their visibility; merges and deletions move memberships) and clusters.
var memberCountEntities = []string{"organisation", "membership", "cluster", "organisation_merge"}

// memberCountCache holds each scope's member counts per cluster until the
// change feed brings a change of memberCountEntities. Counting visible
// members means visiting every member organisation, so lists of clusters
// reuse the counts. Every read polls the feed first (one statement), so a
// write of any process or node — a late commit on PostgreSQL included —
// is seen by the next read.
type memberCountCache struct {
	mu      sync.Mutex
	follow  *feed.Follower
	gen     int // bumped when the counts are dropped
	byScope map[string]map[string]int
}

// fresh polls the feed and drops the counts when a change came. It
// returns the counts cached for key, if any, and the generation.
func (c *memberCountCache) fresh(ctx context.Context, f *feed.Feed, key string) (map[string]int, int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	drop := false
	if c.follow == nil {
		pos, err := f.Position(ctx)
		if err != nil {
			return nil, 0, err
		}
		c.follow, drop = f.Follow(pos, memberCountEntities...), true
	}
	for {
		b, err := c.follow.Poll(ctx)
		if err != nil {
			return nil, 0, err
		}
		drop = drop || len(b.Changes) > 0
		if !b.More {
			break
		}
	}
	// Too many viewers since the last change starts afresh too.
	if drop || len(c.byScope) > 1000 {
		c.gen++
		c.byScope = map[string]map[string]int{}
	}
	return c.byScope[key], c.gen, nil
}

// keep caches counts for key unless the counts were dropped since gen.
func (c *memberCountCache) keep(gen int, key string, counts map[string]int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen == gen {
		c.byScope[key] = counts
	}
}

// memberCounts returns the members of every cluster that the context's
// scope may see.
func (db *DB) memberCounts(ctx context.Context) (map[string]int, error) {
	scope := access.ScopeFrom(ctx)
	key := fmt.Sprintf("%+v", scope)
	counts, gen, err := db.counts.fresh(ctx, db.feed, key)
	if err != nil || counts != nil {
		return counts, err
	}
	var w where
	w.scope(scope, "mo.reach", "mo.id", "mo.tlp")
	rows, err := db.query(ctx, `SELECT m.cluster_id, COUNT(*) FROM memberships m JOIN organisations mo ON mo.id = m.organisation_id`+w.sql()+` GROUP BY m.cluster_id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts = map[string]int{}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		counts[id] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	db.counts.keep(gen, key, counts)
	return counts, nil
}
