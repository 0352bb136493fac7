package match

import (
	"cmp"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/textindex"
	"github.com/escnet/escnet/internal/validate"
)

// SimilarProject is a past project similar to a text, with its
// consortium (organisation IDs, coordinator first when known).
type SimilarProject struct {
	ProjectRef
	Members []string `json:"members"`
}

// SimilarProjects returns the k past projects most similar to text, by
// text alone (no recency, no network): what a call page shows as "funded
// before", and the evaluation's text baseline.
func (ix *Index) SimilarProjects(text string, k int) ([]SimilarProject, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return nil, queryErr("text", validate.Required, "describe the call or the idea")
	case len(text) > MaxQueryBytes:
		return nil, queryErr("text", validate.TooLong, "the query is %d bytes long; at most %d are read", len(text), MaxQueryBytes)
	}
	q := ix.projText.Query(textindex.Analyze(text), maxQueryTerms)
	w := ix.work.Get().(*work)
	defer ix.work.Put(w)
	w.ps.Reset()
	ix.projText.Score(q, w.ps)
	hits := w.ps.Top(k)
	out := make([]SimilarProject, len(hits))
	for i, h := range hits {
		out[i].ProjectRef = ix.projectRef(h.Doc, float64(h.Score/hits[0].Score))
		p := &ix.projects[h.Doc]
		if p.coordinator >= 0 {
			out[i].Members = append(out[i].Members, ix.orgs[p.coordinator].ID)
		}
		for _, m := range p.members {
			if int32(m) != p.coordinator {
				out[i].Members = append(out[i].Members, ix.orgs[m].ID)
			}
		}
	}
	return out, nil
}

// PartnerCount is an organisation worked with and how often.
type PartnerCount struct {
	ID       string `json:"id"`
	Projects int    `json:"projects"`
}

// Partners lists the organisations id worked with, most projects
// together first (then most projects overall, then id).
func (ix *Index) Partners(id string) []PartnerCount {
	i, ok := ix.byID[id]
	if !ok {
		return nil
	}
	ns := slices.Clone(ix.adj[i])
	slices.SortFunc(ns, func(a, b neighbour) int {
		if c := cmp.Compare(b.count, a.count); c != 0 {
			return c
		}
		if c := cmp.Compare(len(ix.orgs[b.org].projects), len(ix.orgs[a.org].projects)); c != 0 {
			return c
		}
		return cmp.Compare(ix.orgs[a.org].ID, ix.orgs[b.org].ID)
	})
	out := make([]PartnerCount, len(ns))
	for k, n := range ns {
		out[k] = PartnerCount{ID: ix.orgs[n.org].ID, Projects: int(n.count)}
	}
	return out
}

// Popular lists the k organisations with the most past projects (ties
// by id).
func (ix *Index) Popular(k int) []string {
	idx := make([]int, len(ix.orgs))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := cmp.Compare(len(ix.orgs[b].projects), len(ix.orgs[a].projects)); c != 0 {
			return c
		}
		return cmp.Compare(ix.orgs[a].ID, ix.orgs[b].ID)
	})
	if len(idx) > k {
		idx = idx[:k]
	}
	out := make([]string, len(idx))
	for i, o := range idx {
		out[i] = ix.orgs[o].ID
	}
	return out
}
