package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/postings"
	"github.com/escnet/escnet/internal/validate"
)

// Partner search postings over the JSON API.

// PostingInput is a new posting: a search for partners for a call topic
// (kind "seek") or an offer of expertise for calls like one ("offer").
type PostingInput struct {
	OrganisationID string   `json:"organisation_id"`
	Kind           string   `json:"kind"`
	CallID         string   `json:"call_id"`
	Title          string   `json:"title"`
	Text           string   `json:"text"`
	Roles          []string `json:"roles"`
	Capabilities   []string `json:"capabilities"`
	Countries      []string `json:"countries"`
	Visibility     string   `json:"visibility"`
	ExpiresOn      string   `json:"expires_on"`
}

func (in PostingInput) posting() postings.Posting {
	return postings.Posting{OrganisationID: in.OrganisationID, Kind: in.Kind, CallID: in.CallID, Title: in.Title, Text: in.Text,
		Roles: in.Roles, Capabilities: in.Capabilities, Countries: in.Countries, Visibility: in.Visibility, ExpiresOn: in.ExpiresOn}
}

// InterestInput is an organisation's interest in a posting.
type InterestInput struct {
	Message string `json:"message"`
}

// PostingList is the postings the viewer may see.
type PostingList struct {
	Items []postings.Posting `json:"items"`
}

// postingQuery reads the list's parameters: call, kind and mine (the
// viewer's organisation's, expired ones too).
func (s *Server) postingQuery(r *http.Request, q url.Values) ([]postings.Posting, postings.Filter, error) {
	var errs validate.Errors
	for k := range q {
		if !slices.Contains([]string{"call", "kind", "mine"}, k) {
			errs.Add(k, validate.UnknownField)
		}
	}
	f := postings.Filter{CallID: strings.TrimSpace(q.Get("call")), Kind: q.Get("kind")}
	errs.Choice("kind", f.Kind, false, postings.Kinds...)
	mine := q.Get("mine")
	errs.Choice("mine", mine, false, "true", "false")
	if len(errs) > 0 {
		return nil, f, errBadRequest("Unknown or malformed query parameters.", errs)
	}
	if mine == "true" {
		ps, err := s.postings.Mine(r.Context())
		return ps, f, err
	}
	ps, err := s.postings.List(r.Context(), f)
	return ps, f, err
}

func (s *Server) apiListPostings(w http.ResponseWriter, r *http.Request) error {
	ps, _, err := s.postingQuery(r, r.URL.Query())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, PostingList{Items: ps})
}

func (s *Server) apiCreatePosting(w http.ResponseWriter, r *http.Request) error {
	var in PostingInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := s.postings.Create(r.Context(), in.posting())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, p)
}

func (s *Server) apiGetPosting(w http.ResponseWriter, r *http.Request) error {
	d, err := s.postings.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (s *Server) apiExpressInterest(w http.ResponseWriter, r *http.Request) error {
	var in InterestInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	i, err := s.postings.ExpressInterest(r.Context(), r.PathValue("id"), in.Message)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, i)
}
