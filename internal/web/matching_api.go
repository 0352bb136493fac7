package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/escnet/escnet/internal/match/live"
)

// The partner finder and the consortium builder: POST /api/v1/partners,
// POST /api/v1/consortia and the pages /partners, /calls/{id}/partners
// and /calls/{id}/consortium. The ranking is internal/match's on the
// snapshot internal/match/live keeps fresh; a request ranks only the
// organisations its viewer may see, for signed-in and anonymous viewers
// alike. Reasons come from match in English with their numbers and names
// beside; the pages write them in the interface language.

// MatchFilter narrows the organisations ranked; within a field any value
// matches, across fields all must. Clusters are named by id, slug or name.
type MatchFilter struct {
	Countries []string `json:"countries"`
	Kinds     []string `json:"kinds"`
	Roles     []string `json:"roles"`
	Clusters  []string `json:"clusters"`
}

func (f MatchFilter) filter() live.Filter {
	return live.Filter{Countries: f.Countries, Kinds: f.Kinds, Roles: f.Roles, Clusters: f.Clusters}
}

// PartnersInput asks the partner finder for partners: for a call, an idea
// text, or both. Organisations are named by id, slug or PIC.
type PartnersInput struct {
	Call     string      `json:"call"`
	Text     string      `json:"text"`
	Lead     string      `json:"lead"`
	Locked   []string    `json:"locked"`
	Excluded []string    `json:"excluded"`
	Filter   MatchFilter `json:"filter"`
	Needs    []string    `json:"needs"`
	Limit    int         `json:"limit"`
}

// ConsortiumInput asks the consortium builder for consortia for a call.
type ConsortiumInput struct {
	Call      string      `json:"call"`
	Text      string      `json:"text"`
	Lead      string      `json:"lead"`
	Locked    []string    `json:"locked"`
	Excluded  []string    `json:"excluded"`
	Filter    MatchFilter `json:"filter"`
	Size      int         `json:"size"`
	Proposals int         `json:"proposals"`
	// Budget is the EU contribution to divide, in cents (0: the call's
	// budget per project).
	Budget int64 `json:"budget"`
}

func (s *Server) apiPartners(w http.ResponseWriter, r *http.Request) error {
	var in PartnersInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := s.match.Partners(r.Context(), live.PartnerRequest{Call: in.Call, Text: in.Text, Lead: in.Lead,
		Locked: in.Locked, Excluded: in.Excluded, Filter: in.Filter.filter(), Needs: in.Needs, Limit: in.Limit})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiConsortia(w http.ResponseWriter, r *http.Request) error {
	var in ConsortiumInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	res, err := s.match.Consortium(r.Context(), live.ConsortiumRequest{Call: in.Call, Text: in.Text, Lead: in.Lead,
		Locked: in.Locked, Excluded: in.Excluded, Filter: in.Filter.filter(), Size: in.Size, Proposals: in.Proposals, Budget: in.Budget})
	var ie *live.InfeasibleError
	if errors.As(err, &ie) {
		writeProblem(w, r, infeasibleProblem(r, ie))
		return nil
	}
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

// infeasibleCode is the error code of a consortium no one can form.
const infeasibleCode = "error.infeasible"

// infeasibleProblem says which rule of the call no consortium satisfies
// (field rules[i], or size when the size is the problem) and what kind of
// partner is missing.
func infeasibleProblem(r *http.Request, ie *live.InfeasibleError) Problem {
	field := "size"
	if ie.Index >= 0 {
		field = fmt.Sprintf("rules[%d]", ie.Index)
	}
	args := map[string]any{"rule": ie.Rule, "missing": ie.Missing, "reason": ie.Reason}
	return Problem{Type: "about:blank", Title: "No consortium possible", Status: http.StatusUnprocessableEntity,
		Instance: r.URL.Path, Detail: ie.Error() + ".",
		Errors: []ProblemField{{Field: field, Code: infeasibleCode, Detail: ie.Error(), Args: args}}}
}
