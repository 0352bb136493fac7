package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/validate"
)

// MergeInput asks to merge one organisation into another.
type MergeInput struct {
	Into string `json:"into"` // id or slug of the organisation kept
	From string `json:"from"` // id or slug of the organisation merged into it
}

// DistinctInput marks two organisations as different ones.
type DistinctInput struct {
	A string `json:"a"`
	B string `json:"b"`
}

// CandidateList is the likely duplicate organisations.
type CandidateList struct {
	Items []projects.MergeCandidate `json:"items"`
	Total int                       `json:"total"`
}

// MergeList is the merges done, newest first.
type MergeList struct {
	Items []projects.Merge `json:"items"`
}

// projectFilter reads the project list's parameters, refusing unknown ones.
func projectFilter(q map[string][]string) (projects.Filter, error) {
	var errs validate.Errors
	allowed := []string{"q", "organisation", "topic", "framework", "limit", "cursor"}
	for k := range q {
		if !slices.Contains(allowed, k) {
			errs.Add(k, validate.UnknownField)
		}
	}
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	f := projects.Filter{Query: get("q"), Organisation: get("organisation"), Topic: get("topic"),
		Framework: strings.ToUpper(get("framework")), Cursor: get("cursor"), Limit: 50}
	if s := get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		switch {
		case err != nil:
			errs.Add("limit", validate.WrongType, "expected", "integer")
		case n < 1 || n > directory.MaxListLimit:
			errs.Add("limit", validate.InvalidChoice, "choices", "1.."+strconv.Itoa(directory.MaxListLimit))
		default:
			f.Limit = n
		}
	}
	errs.Text("q", f.Query, false, 200)
	for _, k := range []string{"organisation", "topic", "framework"} {
		errs.Text(k, get(k), false, 80)
	}
	if len(errs) > 0 {
		return f, errBadRequest("Unknown or malformed query parameters.", errs)
	}
	return f, nil
}

func (s *Server) apiListProjects(w http.ResponseWriter, r *http.Request) error {
	f, err := projectFilter(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := s.proj.List(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetProject(w http.ResponseWriter, r *http.Request) error {
	p, err := s.proj.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiTrackRecord(w http.ResponseWriter, r *http.Request) error {
	tr, err := s.proj.TrackRecord(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tr)
}

func (s *Server) apiMergeCandidates(w http.ResponseWriter, r *http.Request) error {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errBadRequest("Invalid query parameters.", validate.Errors{{Field: "limit", Code: validate.InvalidChoice, Args: map[string]any{"choices": "1..1000"}}})
		}
		limit = n
	}
	cs, total, err := s.proj.Candidates(r.Context(), limit)
	var ve validate.Errors
	if errors.As(err, &ve) {
		return errBadRequest("Invalid query parameters.", ve)
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CandidateList{Items: cs, Total: total})
}

func (s *Server) apiListMerges(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.proj.Merges(r.Context(), 100)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, MergeList{Items: ms})
}

func (s *Server) apiMerge(w http.ResponseWriter, r *http.Request) error {
	var in MergeInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	m, err := s.proj.Merge(r.Context(), in.Into, in.From)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/merges/"+m.ID)
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiUndoMerge(w http.ResponseWriter, r *http.Request) error {
	m, err := s.proj.Undo(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiMarkDistinct(w http.ResponseWriter, r *http.Request) error {
	var in DistinctInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.proj.MarkDistinct(r.Context(), in.A, in.B); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
