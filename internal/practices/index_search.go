package practices

import (
	"cmp"
	"context"
	"math/bits"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/listing"
)

// maxFacet is how many values a facet lists (the most frequent first).
const maxFacet = 30

// candidates returns the doc numbers holding, for every query word, one
// of its terms, ascending; all docs when there are no words. A word's
// terms are united and the words intersected as bit sets, so the cost
// is that of reading the posting lists once.
func (ix *index) candidates(groups [][]string) []int32 {
	if len(groups) == 0 {
		out := make([]int32, len(ix.docs))
		for i := range out {
			out[i] = int32(i)
		}
		return out
	}
	words := (len(ix.docs) + 63) / 64
	var acc []uint64
	for i, g := range groups {
		u := make([]uint64, words)
		for _, t := range g {
			for _, n := range ix.postings[t] {
				u[n>>6] |= 1 << (n & 63)
			}
		}
		if i == 0 {
			acc = u
			continue
		}
		any := uint64(0)
		for w := range acc {
			acc[w] &= u[w]
			any |= acc[w]
		}
		if any == 0 {
			return nil
		}
	}
	var out []int32
	for w, bits := range acc {
		for bits != 0 {
			b := bits & -bits
			out = append(out, int32(w*64+trailingZeros(b)))
			bits ^= b
		}
	}
	return out
}

func trailingZeros(b uint64) int { return bits.TrailingZeros64(b) }

// matcher decides, for one search, which docs pass the viewer's scope
// and the filter; organisations are judged once each.
type matcher struct {
	ix      *index
	scope   access.Scope
	f       Filter
	orgSeen []int8 // 0 not judged, 1 visible, 2 hidden
	lang    uint8
	org     int32 // the organisation filter, -1 none, -2 unknown
	cluster int32
}

func (ix *index) matcher(ctx context.Context, f Filter) *matcher {
	m := &matcher{ix: ix, scope: access.ScopeFrom(ctx), f: f, orgSeen: make([]int8, len(ix.orgs)), org: -1, cluster: -1}
	if i := slices.Index(Langs, f.Lang); i >= 0 {
		m.lang = 1 << i
	}
	if f.Organisation != "" {
		m.org = -2
		for i, o := range ix.orgs {
			if o.ID == f.Organisation || o.Slug == f.Organisation {
				m.org = int32(i)
				break
			}
		}
	}
	if f.Cluster != "" {
		m.cluster = -2
		for i, c := range ix.clusters {
			if c.ID == f.Cluster || c.Slug == f.Cluster {
				m.cluster = int32(i)
				break
			}
		}
	}
	return m
}

func (o *orgRef) record(visibility, tlp string) access.Record {
	r := access.Record{OwnerOrg: o.ID, Visibility: visibility, TLP: tlp}
	r.OwnerClusters = o.Clusters
	return r
}

// sees applies the access policy to entry d: the entry's own sharing and
// its organisation's, as every read of the store does.
func (m *matcher) sees(d *doc) bool {
	o := &m.ix.orgs[d.org]
	switch m.orgSeen[d.org] {
	case 0:
		m.orgSeen[d.org] = 2
		if m.scope.CanSee(o.record(o.Visibility, o.TLP)) {
			m.orgSeen[d.org] = 1
		}
		if m.orgSeen[d.org] == 2 {
			return false
		}
	case 2:
		return false
	}
	return m.scope.CanSee(o.record(d.Visibility, d.TLP))
}

func (m *matcher) passes(d *doc) bool {
	f := m.f
	if d.dead || (f.Kind != "" && d.Kind != f.Kind) || (f.Lang != "" && d.langs&m.lang == 0) {
		return false
	}
	if m.org != -1 && d.org != m.org {
		return false
	}
	if m.cluster != -1 && !slices.Contains(m.ix.orgs[d.org].clusters, m.cluster) {
		return false
	}
	if f.Capability != "" && !slices.ContainsFunc(d.caps, func(c int32) bool {
		code := m.ix.caps[c]
		return code == f.Capability || strings.HasPrefix(code, f.Capability+".")
	}) {
		return false
	}
	if !f.UpdatedSince.IsZero() && !d.UpdatedAt.After(f.UpdatedSince) {
		return false
	}
	return m.sees(d)
}

// counts gathers the facets of the matches.
type counts struct {
	kind  [8]int
	lang  [8]int
	caps  []int
	orgs  []int
	clust []int
}

func (c *counts) add(d *doc, ix *index) {
	if d.kind >= 0 {
		c.kind[d.kind]++
	}
	for i := range Langs {
		if d.langs&(1<<i) != 0 {
			c.lang[i]++
		}
	}
	for _, x := range d.caps {
		c.caps[x]++
	}
	c.orgs[d.org]++
	for _, x := range ix.orgs[d.org].clusters {
		c.clust[x]++
	}
}

// facet lists the counted values, most frequent first, then by value.
func facet(n func(i int) int, size int, value, label func(i int) string) []directory.Facet {
	out := []directory.Facet{}
	for i := range size {
		if c := n(i); c > 0 {
			out = append(out, directory.Facet{Value: value(i), Label: label(i), Count: c})
		}
	}
	slices.SortFunc(out, func(a, b directory.Facet) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return cmp.Compare(a.Value, b.Value)
	})
	if len(out) > maxFacet {
		out = out[:maxFacet]
	}
	return out
}

func (c *counts) facets(ix *index) Facets {
	str := func(s []string) func(int) string { return func(i int) string { return s[i] } }
	var f Facets
	f.Kind = facet(func(i int) int { return c.kind[i] }, len(Kinds), str(Kinds), str(Kinds))
	f.Lang = facet(func(i int) int { return c.lang[i] }, len(Langs), str(Langs), str(Langs))
	f.Capability = facet(func(i int) int { return c.caps[i] }, len(c.caps), str(ix.caps), str(ix.caps))
	f.Organisation = facet(func(i int) int { return c.orgs[i] }, len(c.orgs), func(i int) string { return ix.orgs[i].Slug },
		func(i int) string { return ix.orgs[i].Name })
	f.Cluster = facet(func(i int) int { return c.clust[i] }, len(c.clust), func(i int) string { return ix.clusters[i].Slug },
		func(i int) string { return ix.clusters[i].Name })
	return f
}

// less orders docs as the lists do: by sort key, then id.
func (ix *index) less(a, b int32) bool {
	x, y := &ix.docs[a], &ix.docs[b]
	if x.SortKey != y.SortKey {
		return x.SortKey < y.SortKey
	}
	return x.ID < y.ID
}

// search finds one page of matches after the cursor, the total and the
// facets (of all matches, whatever the cursor).
func (ix *index) search(ctx context.Context, f Filter, groups [][]string, after *listing.Cursor, limit int) ([]string, int, Facets) {
	m := ix.matcher(ctx, f)
	c := counts{caps: make([]int, len(ix.caps)), orgs: make([]int, len(ix.orgs)), clust: make([]int, len(ix.clusters))}
	total := 0
	var best []int32 // the limit+1 first matches after the cursor, in order
	for _, n := range ix.candidates(groups) {
		d := &ix.docs[n]
		if !m.passes(d) {
			continue
		}
		total++
		c.add(d, ix)
		if after != nil && (d.SortKey < after.Key || (d.SortKey == after.Key && d.ID <= after.ID)) {
			continue
		}
		if len(best) > limit && !ix.less(n, best[len(best)-1]) {
			continue
		}
		at, _ := slices.BinarySearchFunc(best, n, func(a, b int32) int {
			if ix.less(a, b) {
				return -1
			}
			return 1
		})
		best = slices.Insert(best, at, n)
		if len(best) > limit+1 {
			best = best[:limit+1]
		}
	}
	ids := make([]string, len(best))
	for i, n := range best {
		ids[i] = ix.docs[n].ID
	}
	return ids, total, c.facets(ix)
}

// Search answers a search from the index: the page's entries are read
// from the store by id, under the viewer's scope.
func (ix *index) Search(ctx context.Context, f Filter, groups [][]string) (Results, error) {
	var res Results
	var after *listing.Cursor
	if f.Cursor != "" {
		c, err := listing.DecodeCursor(f.Cursor)
		if err != nil {
			return res, err
		}
		after = &c
	}
	if err := ix.fresh(ctx); err != nil {
		return res, err
	}
	limit := max(f.Limit, 1)
	ix.mu.RLock()
	ids, total, facets := ix.search(ctx, f, groups, after, limit)
	var next string
	if len(ids) > limit {
		last := ix.docs[ix.live[ids[limit-1]]]
		next = listing.Cursor{Key: last.SortKey, ID: last.ID}.Encode()
		ids = ids[:limit]
	}
	ix.mu.RUnlock()
	items, err := ix.src.PracticeEntries(ctx, ids)
	if err != nil {
		return res, err
	}
	res.Items, res.Total, res.Next, res.Facets = items, total, next, facets
	res.Summaries, err = ix.src.SearchSummaries(ctx, f, groups)
	return res, err
}
