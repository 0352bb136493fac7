package web

import (
	"errors"
	"net/http"

	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
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
	var err error
	if data.Candidates, data.Total, err = s.proj.Candidates(r.Context(), 100); err != nil {
		return data, err
	}
	data.Merges, err = s.proj.Merges(r.Context(), 50)
	return data, err
}

func (s *Server) pageMerges(w http.ResponseWriter, r *http.Request) error {
	data, err := s.mergesData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "merges", data)
}

// postMerges carries out one action of the page: merge (keep one of a
// pair), distinct (never suggest the pair again) or undo (a merge).
func (s *Server) postMerges(w http.ResponseWriter, r *http.Request) error {
	if err := s.proj.MayMerge(r.Context(), true); err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	ctx := r.Context()
	var err error
	msg := ""
	switch f.Get("action") {
	case "merge":
		_, err = s.proj.Merge(ctx, f.Get("into"), f.Get("from"))
		msg = "merges.merged"
	case "distinct":
		err = s.proj.MarkDistinct(ctx, f.Get("a"), f.Get("b"))
		msg = "merges.marked_distinct"
	case "undo":
		_, err = s.proj.Undo(ctx, f.Get("merge"))
		msg = "merges.undone"
	default:
		return errBadRequest("Unknown action.", nil)
	}
	if errors.Is(err, store.ErrForbidden) {
		return err
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
