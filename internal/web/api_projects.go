package web

import (
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
	p, err := s.db.ListProjects(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetProject(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.GetProject(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiTrackRecord(w http.ResponseWriter, r *http.Request) error {
	tr, err := s.db.TrackRecord(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, tr)
}

// requireMerger lets alliance administrators (with a read-write token or
// a session) merge organisations: a merge changes records of two
// organisations, possibly in clusters no one else manages.
func requireMerger(r *http.Request, write bool) error {
	v := viewerFrom(r.Context())
	if !v.AllianceAdmin || write && !v.WriteAllowed {
		return errForbidden(v)
	}
	return nil
}

func (s *Server) apiMergeCandidates(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, false); err != nil {
		return err
	}
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			return errBadRequest("Invalid query parameters.", validate.Errors{{Field: "limit", Code: validate.InvalidChoice, Args: map[string]any{"choices": "1..1000"}}})
		}
		limit = n
	}
	ctx := system(r.Context())
	keys, err := s.db.OrganisationKeys(ctx)
	if err != nil {
		return err
	}
	distinct, err := s.db.DistinctPairs(ctx)
	if err != nil {
		return err
	}
	cs := projects.FindCandidates(keys, distinct)
	out := CandidateList{Items: cs, Total: len(cs)}
	if len(cs) > limit {
		out.Items = cs[:limit]
	}
	if out.Items == nil {
		out.Items = []projects.MergeCandidate{}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiListMerges(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, false); err != nil {
		return err
	}
	ms, err := s.db.ListMerges(r.Context(), 100)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, MergeList{Items: ms})
}

func (s *Server) apiMerge(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, true); err != nil {
		return err
	}
	var in MergeInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := projects.ValidateMerge(in.Into, in.From); err != nil {
		return err
	}
	m, err := s.db.MergeOrganisations(system(r.Context()), in.Into, in.From)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/merges/"+m.ID)
	return writeJSON(w, http.StatusCreated, m)
}

func (s *Server) apiUndoMerge(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, true); err != nil {
		return err
	}
	m, err := s.db.UndoMerge(system(r.Context()), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

func (s *Server) apiMarkDistinct(w http.ResponseWriter, r *http.Request) error {
	if err := requireMerger(r, true); err != nil {
		return err
	}
	var in DistinctInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := projects.ValidatePair(in.A, in.B); err != nil {
		return err
	}
	if err := s.db.MarkDistinct(system(r.Context()), in.A, in.B); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
