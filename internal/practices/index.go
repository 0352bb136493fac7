package practices

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/escnet/escnet/internal/store/feed"
)

// The search index: the library's entries held in memory — their terms
// as posting lists, their kind, languages, capabilities, owner and
// labels — so that a search with its five facets answers in a few
// milliseconds however large the library. The access policy is applied
// to every hit (access.Scope.CanSee of the entry and of its
// organisation, as the store's reads do), and the facets count only what
// the viewer may see. A page of results is then read from the store by
// id, under the viewer's scope again.
//
// The index follows the change feed (internal/store/feed): every search
// first reads what changed since the index's position and reloads those
// entries (an organisation's or cluster's change reloads the
// organisations; a merge rebuilds), so a search always sees the writes
// committed before it, on every node.

// IndexDoc is an entry as the index holds it.
type IndexDoc struct {
	ID, Kind, OrganisationID string
	Visibility, TLP          string
	SortKey                  string
	UpdatedAt                time.Time
	Langs, Capabilities      []string
	Terms                    []string
}

// IndexOrg is an organisation as the index needs it.
type IndexOrg struct {
	ID, Slug, Name  string
	Visibility, TLP string
	Clusters        []string // cluster ids
}

// IndexCluster is a cluster as the facets name it.
type IndexCluster struct{ ID, Slug, Name string }

// IndexSource is what the index is built and kept fresh from; the SQL
// store implements it.
type IndexSource interface {
	Feed() *feed.Feed
	PracticeIndexOrgs(ctx context.Context) ([]IndexOrg, []IndexCluster, error)
	// PracticeIndexDocs returns the entries with those ids (all when ids
	// is nil); ids that no longer exist are absent.
	PracticeIndexDocs(ctx context.Context, ids []string) ([]IndexDoc, error)
	PracticeAttachmentEntry(ctx context.Context, id string) (string, error)
	// PracticeEntries returns the visible entries with those ids, in
	// that order.
	PracticeEntries(ctx context.Context, ids []string) ([]Entry, error)
	SearchSummaries(ctx context.Context, f Filter, groups [][]string) ([]Summary, error)
}

// indexEntities are the feed's entities the index follows.
var indexEntities = []string{"practice", "practice_attachment", "organisation", "membership", "cluster", "organisation_merge"}

// doc is an indexed entry; dead once replaced or deleted.
type doc struct {
	IndexDoc
	org   int32 // index into orgs
	kind  int8
	langs uint8 // bit i: a version in Langs[i]
	caps  []int32
	dead  bool
}

type orgRef struct {
	IndexOrg
	clusters []int32 // into clusters
}

// index is the in-memory index. Posting lists hold doc numbers in
// ascending order; a changed entry gets a new number and its old one
// dies, so lists only ever grow at the end. Rebuilt when the dead
// outnumber a quarter of the living.
type index struct {
	src IndexSource

	mu       sync.RWMutex
	built    bool
	follow   *feed.Follower
	docs     []doc
	live     map[string]int32 // entry id → doc number
	postings map[string][]int32
	orgs     []orgRef
	orgAt    map[string]int32 // id → orgs
	clusters []IndexCluster
	capAt    map[string]int32
	caps     []string
	deadN    int
}

func newIndex(src IndexSource) *index { return &index{src: src} }

// fresh brings the index up to the feed (building it first if needed);
// the caller then reads it under ix.mu.RLock.
func (ix *index) fresh(ctx context.Context) error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if !ix.built {
		if err := ix.rebuild(ctx); err != nil {
			return err
		}
	}
	for {
		b, err := ix.follow.Poll(ctx)
		if err != nil {
			return err
		}
		if err := ix.apply(ctx, b.Changes); err != nil {
			ix.built = false // start again at the next search
			return err
		}
		if !b.More {
			break
		}
	}
	if ix.deadN > 1000 && ix.deadN*4 > len(ix.live) {
		return ix.rebuild(ctx)
	}
	return nil
}

// rebuild reads everything; the position is taken first, so writes
// during the read come again as changes (reloading is idempotent).
func (ix *index) rebuild(ctx context.Context) error {
	pos, err := ix.src.Feed().Position(ctx)
	if err != nil {
		return err
	}
	ix.docs, ix.live, ix.postings, ix.deadN = nil, map[string]int32{}, map[string][]int32{}, 0
	ix.capAt, ix.caps = map[string]int32{}, nil
	if err := ix.loadOrgs(ctx); err != nil {
		return err
	}
	docs, err := ix.src.PracticeIndexDocs(ctx, nil)
	if err != nil {
		return err
	}
	// Doc numbers in (sort key, id) order: posting lists then come out
	// in the order results are listed.
	slices.SortFunc(docs, func(a, b IndexDoc) int {
		if a.SortKey != b.SortKey {
			if a.SortKey < b.SortKey {
				return -1
			}
			return 1
		}
		if a.ID < b.ID {
			return -1
		}
		return 1
	})
	for _, d := range docs {
		ix.add(d)
	}
	ix.follow = ix.src.Feed().Follow(pos, indexEntities...)
	ix.built = true
	return nil
}

func (ix *index) loadOrgs(ctx context.Context) error {
	orgs, clusters, err := ix.src.PracticeIndexOrgs(ctx)
	if err != nil {
		return err
	}
	clusterAt := map[string]int32{}
	for i, c := range clusters {
		clusterAt[c.ID] = int32(i)
	}
	ix.clusters, ix.orgs, ix.orgAt = clusters, make([]orgRef, len(orgs)), make(map[string]int32, len(orgs))
	for i, o := range orgs {
		r := orgRef{IndexOrg: o}
		for _, c := range o.Clusters {
			if at, ok := clusterAt[c]; ok {
				r.clusters = append(r.clusters, at)
			}
		}
		ix.orgs[i], ix.orgAt[o.ID] = r, int32(i)
	}
	// Entries keep their organisation's number: renumber them.
	for i := range ix.docs {
		if at, ok := ix.orgAt[ix.docs[i].OrganisationID]; ok {
			ix.docs[i].org = at
		} else {
			ix.kill(int32(i))
		}
	}
	return nil
}

// add indexes d under a new number (its old one dies).
func (ix *index) add(d IndexDoc) {
	if old, ok := ix.live[d.ID]; ok {
		ix.kill(old)
	}
	org, ok := ix.orgAt[d.OrganisationID]
	if !ok {
		return // an organisation deleted meanwhile: the entry went with it
	}
	n := int32(len(ix.docs))
	x := doc{IndexDoc: d, org: org, kind: int8(slices.Index(Kinds, d.Kind))}
	for _, l := range d.Langs {
		if i := slices.Index(Langs, l); i >= 0 {
			x.langs |= 1 << i
		}
	}
	for _, c := range d.Capabilities {
		at, ok := ix.capAt[c]
		if !ok {
			at = int32(len(ix.caps))
			ix.capAt[c] = at
			ix.caps = append(ix.caps, c)
		}
		x.caps = append(x.caps, at)
	}
	terms := slices.Compact(slices.Sorted(slices.Values(d.Terms)))
	for _, t := range terms {
		ix.postings[t] = append(ix.postings[t], n)
	}
	x.Terms = nil // the posting lists hold them
	ix.docs = append(ix.docs, x)
	ix.live[d.ID] = n
}

func (ix *index) kill(n int32) {
	if ix.docs[n].dead {
		return
	}
	ix.docs[n].dead = true
	delete(ix.live, ix.docs[n].ID)
	ix.deadN++
}

// apply reloads what the changes touched.
func (ix *index) apply(ctx context.Context, cs []feed.Change) error {
	var ids []string
	orgs := false
	for _, c := range cs {
		switch c.Entity {
		case "practice":
			ids = append(ids, c.EntityID)
		case "practice_attachment":
			e, err := ix.src.PracticeAttachmentEntry(ctx, c.EntityID)
			if err == nil {
				ids = append(ids, e)
			}
		case "organisation_merge":
			return ix.rebuild(ctx)
		default:
			orgs = true
		}
	}
	if orgs {
		if err := ix.loadOrgs(ctx); err != nil {
			return err
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	docs, err := ix.src.PracticeIndexDocs(ctx, ids)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	for _, d := range docs {
		found[d.ID] = true
		ix.add(d)
	}
	for _, id := range ids {
		if n, ok := ix.live[id]; ok && !found[id] {
			ix.kill(n) // deleted
		}
	}
	return nil
}
