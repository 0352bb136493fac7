package web

import (
	"net/http"

	"github.com/escnet/escnet/internal/projects"
)

// mergesPage lists likely duplicate organisations for the alliance
// administrator to merge or mark distinct, and the recent merges to undo:
// the page face of /api/v1/merge-candidates and /api/v1/merges.
type mergesPage struct {
	layout
	Candidates []projects.MergeCandidate
	Total      int
	Merges     []projects.Merge
	Message    string
	Errors     []ProblemField
}

func (s *Server) mergesData(r *http.Request) (mergesPage, error) {
	data := mergesPage{layout: s.layout(r, "title.merges", "admin")}
	ctx := system(r.Context())
	keys, err := s.db.OrganisationKeys(ctx)
	if err != nil {
		return data, err
	}
	distinct, err := s.db.DistinctPairs(ctx)
	if err != nil {
		return data, err
	}
	cs := projects.FindCandidates(keys, distinct)
	data.Total = len(cs)
	if len(cs) > 100 {
		cs = cs[:100]
	}
	data.Candidates = cs
	data.Merges, err = s.db.ListMerges(r.Context(), 50)
	return data, err
}

func (s *Server) pageMerges(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, false); err != nil {
		return err
	}
	data, err := s.mergesData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "merges", data)
}

// postMerges carries out one action of the page: merge (keep one of a
// pair), distinct (never suggest the pair again) or undo (a merge).
func (s *Server) postMerges(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, true); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	ctx := system(r.Context())
	var err error
	msg := ""
	switch f.Get("action") {
	case "merge":
		if err = projects.ValidateMerge(f.Get("into"), f.Get("from")); err == nil {
			_, err = s.db.MergeOrganisations(ctx, f.Get("into"), f.Get("from"))
			msg = "merges.merged"
		}
	case "distinct":
		if err = projects.ValidatePair(f.Get("a"), f.Get("b")); err == nil {
			err = s.db.MarkDistinct(ctx, f.Get("a"), f.Get("b"))
			msg = "merges.marked_distinct"
		}
	case "undo":
		_, err = s.db.UndoMerge(ctx, f.Get("merge"))
		msg = "merges.undone"
	default:
		return errBadRequest("Unknown action.", nil)
	}
	data, derr := s.mergesData(r)
	if derr != nil {
		return derr
	}
	if err != nil {
		return s.formError(w, err, "merges", func(fe []ProblemField) any {
			data.Errors = fe
			return data
		})
	}
	data.Message = msg
	return s.render(w, http.StatusOK, "merges", data)
}
