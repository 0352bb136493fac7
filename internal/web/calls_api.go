package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/validate"
)

// CallInput is the writable part of a call. Money is in euro cents. On
// create, rules left out (or null) are read from the conditions; on
// replace, rules and unparsed left out keep the stored ones, so a client
// that corrects the facts need not send the rules back.
type CallInput struct {
	ID             string           `json:"id"`
	Title          string           `json:"title"`
	Description    string           `json:"description"`
	Programme      string           `json:"programme"`
	CallIdentifier string           `json:"call_identifier"`
	ActionType     string           `json:"action_type"`
	Stage          string           `json:"stage"`
	Deadline       string           `json:"deadline"`
	Opens          string           `json:"opens"`
	BudgetMin      int64            `json:"budget_min"`
	BudgetMax      int64            `json:"budget_max"`
	ExpectedGrants int              `json:"expected_grants"`
	Keywords       []string         `json:"keywords"`
	PortalURL      string           `json:"portal_url"`
	Conditions     string           `json:"conditions"`
	Rules          []calls.Rule     `json:"rules"`
	Unparsed       []calls.Unparsed `json:"unparsed"`
}

func callInputOf(c calls.Call) CallInput {
	return CallInput{ID: c.ID, Title: c.Title, Description: c.Description, Programme: c.Programme, CallIdentifier: c.CallIdentifier,
		ActionType: c.ActionType, Stage: c.Stage, Deadline: c.Deadline, Opens: c.Opens, BudgetMin: c.BudgetMin, BudgetMax: c.BudgetMax,
		ExpectedGrants: c.ExpectedGrants, Keywords: c.Keywords, PortalURL: c.PortalURL, Conditions: c.Conditions,
		Rules: c.Rules, Unparsed: c.Unparsed}
}

// call builds the call the input describes over cur (the stored call, or
// nil for a new one).
func (in CallInput) call(cur *calls.Call) *calls.Call {
	c := &calls.Call{ID: in.ID, Title: in.Title, Description: in.Description, Programme: in.Programme,
		CallIdentifier: in.CallIdentifier, ActionType: in.ActionType, Stage: in.Stage, Deadline: in.Deadline, Opens: in.Opens,
		BudgetMin: in.BudgetMin, BudgetMax: in.BudgetMax, ExpectedGrants: in.ExpectedGrants, Keywords: in.Keywords,
		PortalURL: in.PortalURL, Conditions: in.Conditions, Rules: slices.Clone(in.Rules), Unparsed: slices.Clone(in.Unparsed)}
	// A rule a client sends without saying where it came from is a
	// person's; without a scope it holds in any country.
	for i := range c.Rules {
		if strings.TrimSpace(c.Rules[i].Origin) == "" {
			c.Rules[i].Origin = calls.OriginManual
		}
		if strings.TrimSpace(c.Rules[i].CountryScope) == "" {
			c.Rules[i].CountryScope = calls.ScopeAny
		}
	}
	if cur == nil {
		if in.Rules == nil {
			c.ReadConditions()
		}
		return c
	}
	// The id stays as sent (blank: the stored one); the service refuses
	// a different one.
	c.TextRepaired = cur.TextRepaired
	c.PortalStatus = cur.PortalStatus
	if in.Rules == nil {
		c.Rules = cur.Rules
	}
	if in.Unparsed == nil {
		c.Unparsed = cur.Unparsed
	}
	return c
}

// callFilter reads the call list's parameters, refusing unknown ones.
func callFilter(q url.Values) (calls.Filter, error) {
	limit, errs := checkQuery(q, "q", "programme", "action_type", "deadline_after", "status")
	f := calls.Filter{Query: q.Get("q"), Programme: q.Get("programme"), ActionType: q.Get("action_type"),
		DeadlineAfter: q.Get("deadline_after"), Status: q.Get("status"), Cursor: q.Get("cursor"), Limit: limit}
	if len(errs) > 0 {
		return f, errBadRequest("Unknown or malformed query parameters.", errs)
	}
	f, err := calls.NormalizeFilter(f)
	if err != nil {
		var ve validate.Errors
		errors.As(err, &ve)
		return f, errBadRequest("Invalid query parameters.", ve)
	}
	return f, nil
}

func (s *Server) apiListCalls(w http.ResponseWriter, r *http.Request) error {
	f, err := callFilter(r.URL.Query())
	if err != nil {
		return err
	}
	p, err := s.calls.List(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiGetCall(w http.ResponseWriter, r *http.Request) error {
	c, err := s.calls.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, c.Version)
	return writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiCreateCall(w http.ResponseWriter, r *http.Request) error {
	if err := s.calls.MayEdit(r.Context()); err != nil {
		return err
	}
	var in CallInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	c := in.call(nil)
	if err := s.calls.CreateCall(r.Context(), c); err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/calls/"+url.PathEscape(c.ID))
	return s.respondCall(w, r, http.StatusCreated, c.ID)
}

func (s *Server) respondCall(w http.ResponseWriter, r *http.Request, status int, id string) error {
	c, err := s.calls.Get(r.Context(), id)
	if err != nil {
		return err
	}
	setETag(w, c.Version)
	return writeJSON(w, status, c)
}

// apiUpdateCall replaces a call; If-Match names the version read.
func (s *Server) apiUpdateCall(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	cur, err := s.calls.Editable(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	var in CallInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := s.calls.UpdateCall(r.Context(), cur.ID, version, in.call(&cur)); err != nil {
		return err
	}
	return s.respondCall(w, r, http.StatusOK, cur.ID)
}

func (s *Server) apiDeleteCall(w http.ResponseWriter, r *http.Request) error {
	version, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	if err := s.calls.DeleteCall(r.Context(), r.PathValue("id"), version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
