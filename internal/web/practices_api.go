package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// pr maps the library's refusals: store.ErrForbidden asks an anonymous
// visitor to sign in (401) and tells others what stops them (403).
func pr(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		err := h(w, r)
		if errors.Is(err, store.ErrForbidden) {
			fe := errForbidden(viewerFrom(r.Context()))
			// A refusal that names its field (exchanges.DecisionError)
			// keeps it.
			var named interface{ Fields() validate.Errors }
			if he, ok := fe.(*httpError); ok && errors.As(err, &named) {
				he.fields = named.Fields()
			}
			return fe
		}
		return err
	}
}

// practiceFilter reads the search parameters, refusing unknown ones.
func practiceFilter(q url.Values) (practices.Filter, error) {
	var errs validate.Errors
	allowed := []string{"q", "kind", "capability", "lang", "organisation", "cluster", "limit", "cursor"}
	for k := range q {
		if !slices.Contains(allowed, k) {
			errs.Add(k, validate.UnknownField)
		}
	}
	get := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	f := practices.Filter{Query: get("q"), Kind: get("kind"), Capability: get("capability"), Lang: get("lang"),
		Organisation: get("organisation"), Cluster: get("cluster"), Cursor: get("cursor")}
	if s := get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			errs.Add("limit", validate.WrongType, "expected", "integer")
		}
		f.Limit = n
	}
	if len(errs) > 0 {
		return f, errBadRequest("Unknown or malformed query parameters.", errs)
	}
	return f, nil
}

func (s *Server) apiSearchPractices(w http.ResponseWriter, r *http.Request) error {
	f, err := practiceFilter(r.URL.Query())
	if err != nil {
		return err
	}
	res, err := s.practices.Search(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiCreatePractice(w http.ResponseWriter, r *http.Request) error {
	var in practices.EntryInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := s.practices.Create(r.Context(), in)
	if err != nil {
		return err
	}
	setETag(w, e.Version)
	w.Header().Set("Location", "/api/v1/practices/"+e.ID)
	return writeJSON(w, http.StatusCreated, e)
}

func (s *Server) apiGetPractice(w http.ResponseWriter, r *http.Request) error {
	e, err := s.practices.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, e.Version)
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiUpdatePractice(w http.ResponseWriter, r *http.Request) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	var in practices.EntryInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	e, err := s.practices.Update(r.Context(), r.PathValue("id"), expected, in)
	if err != nil {
		return err
	}
	setETag(w, e.Version)
	return writeJSON(w, http.StatusOK, e)
}

func (s *Server) apiDeletePractice(w http.ResponseWriter, r *http.Request) error {
	if err := s.practices.Delete(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiAddPracticeText(w http.ResponseWriter, r *http.Request) error {
	var t practices.Text
	if err := decodeJSON(w, r, &t); err != nil {
		return err
	}
	e, err := s.practices.AddText(r.Context(), r.PathValue("id"), t)
	if err != nil {
		return err
	}
	setETag(w, e.Version)
	return writeJSON(w, http.StatusCreated, e)
}

// RevisionList is an entry's history, newest first.
type RevisionList struct {
	Items []practices.Revision `json:"items"`
}

func (s *Server) apiPracticeHistory(w http.ResponseWriter, r *http.Request) error {
	h, err := s.practices.History(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, RevisionList{Items: h})
}

// CommentList is an entry's comments, oldest first.
type CommentList struct {
	Items []practices.Comment `json:"items"`
}

// CommentInput is a new comment.
type CommentInput struct {
	Body string `json:"body"`
}

func (s *Server) apiPracticeComments(w http.ResponseWriter, r *http.Request) error {
	cs, err := s.practices.Comments(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, CommentList{Items: cs})
}

func (s *Server) apiAddPracticeComment(w http.ResponseWriter, r *http.Request) error {
	var in CommentInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.practices.AddComment(r.Context(), r.PathValue("id"), in.Body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// apiAddPracticeAttachment streams the request body (the file itself,
// named by ?name=) to disk; it is never held in memory whole.
func (s *Server) apiAddPracticeAttachment(w http.ResponseWriter, r *http.Request) error {
	body := http.MaxBytesReader(w, r.Body, s.practices.MaxAttachment()+1)
	a, err := s.practices.AddAttachment(r.Context(), r.PathValue("id"), r.URL.Query().Get("name"), body)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, a)
}

// downloadAttachment serves an attachment as a download only: never shown
// inline, never sniffed into something else.
func (s *Server) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	a, f, err := s.practices.OpenAttachment(r.Context(), r.PathValue("id"), r.PathValue("att"))
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", a.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Digest", "sha-256="+a.SHA256)
	h.Set("Content-Length", strconv.FormatInt(a.Size, 10))
	w.WriteHeader(http.StatusOK)
	_, err = io.Copy(w, f)
	return err
}

func (s *Server) apiPublishSummary(w http.ResponseWriter, r *http.Request) error {
	var in practices.SummaryInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	sum, err := s.practices.PublishSummary(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sum)
}

func (s *Server) apiWithdrawSummary(w http.ResponseWriter, r *http.Request) error {
	if err := s.practices.WithdrawSummary(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Server) apiGetSummary(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.practices.GetSummary(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, sum)
}
