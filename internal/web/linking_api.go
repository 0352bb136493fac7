package web

import (
	"net/http"
	"slices"

	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/validate"
)

// The API of linking organisations to their EU (CORDIS) records: the
// linker's findings for an organisation, a link a person decides, the
// records an organisation about to be entered may be, claiming such a
// record for a cluster, inviting it to join, and a run of the linker.

// LinkInput asks to link an organisation to a CORDIS record.
type LinkInput struct {
	Record string `json:"record"` // id or slug of the organisation known only from the record
}

// ClaimInput asks to take an organisation known only from EU records as a
// member of a cluster.
type ClaimInput struct {
	Cluster string `json:"cluster_id"` // id or slug
	Role    string `json:"role,omitempty"`
}

// JoinInvitationInput asks to invite an organisation known only from EU
// records to join a cluster.
type JoinInvitationInput struct {
	Cluster string `json:"cluster_id"` // id or slug
	Email   string `json:"email"`
	Note    string `json:"note,omitempty"`
}

// LinkList is the linker's findings.
type LinkList struct {
	Items []projects.PlannedLink `json:"items"`
}

func (s *Server) apiLinkCandidates(w http.ResponseWriter, r *http.Request) error {
	ls, err := s.proj.LinkCandidates(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, LinkList{Items: ls})
}

func (s *Server) apiLink(w http.ResponseWriter, r *http.Request) error {
	var in LinkInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	l, err := s.proj.Link(r.Context(), r.PathValue("id"), in.Record)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, l)
}

func (s *Server) apiClaim(w http.ResponseWriter, r *http.Request) error {
	var in ClaimInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c, err := s.proj.Claim(r.Context(), r.PathValue("id"), in.Cluster, in.Role)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

func (s *Server) apiInvite(w http.ResponseWriter, r *http.Request) error {
	var in JoinInvitationInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	inv := &projects.Invitation{ClusterID: in.Cluster, Email: in.Email, Note: in.Note}
	if err := s.proj.Invite(r.Context(), r.PathValue("id"), inv); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, inv)
}

// recordQuery are the query parameters of GET /api/v1/cordis-matches.
var recordQuery = []string{"name", "short_name", "country", "city", "website", "vat", "kind"}

func (s *Server) apiCordisMatches(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var errs validate.Errors
	for k := range q {
		if !slices.Contains(recordQuery, k) {
			errs.Add(k, validate.UnknownField)
		}
	}
	if len(errs) > 0 {
		return errBadRequest("Unknown query parameters.", errs)
	}
	entry := projects.LinkRecord{Name: q.Get("name"), ShortName: q.Get("short_name"), Country: q.Get("country"), City: q.Get("city"),
		Website: q.Get("website"), VAT: q.Get("vat"), Kind: q.Get("kind")}
	ls, err := s.proj.MatchingRecords(r.Context(), entry)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, LinkList{Items: ls})
}

// LinkRunInput asks for a run of the linker.
type LinkRunInput struct {
	Organisations []string `json:"organisations,omitempty"` // ids or slugs of entered organisations; none: all
}

func (s *Server) apiLinkRun(w http.ResponseWriter, r *http.Request) error {
	var in LinkRunInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	run, err := s.proj.LinkOrganisations(r.Context(), in.Organisations...)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, run)
}
