package web

import (
	"net/http"

	"github.com/escnet/escnet/internal/exchanges"
)

// The exchange of people over the JSON API (the pages: exchanges_pages.go).

// OfferList is the offers the viewer may see.
type OfferList struct {
	Items []exchanges.Offer `json:"items"`
}

// RequestList is the requests the viewer may see.
type RequestList struct {
	Items []exchanges.Request `json:"items"`
}

// MatchList is the offers ranked for a request.
type MatchList struct {
	Items []exchanges.Match `json:"items"`
}

// ExchangeDecisionInput names the side an approval is for: "home" (the guest's
// own organisation) or "host".
type ExchangeDecisionInput struct {
	Side string `json:"side"`
}

// ReportInput is a guest's or host's report of a stay.
type ReportInput struct {
	Report string `json:"report"`
}

func (s *Server) apiListOffers(w http.ResponseWriter, r *http.Request) error {
	f, errs := exchangeFilters(r.URL.Query())
	if len(errs) > 0 {
		return errBadRequest("Invalid filter.", errs)
	}
	offers, err := s.exchanges.FindOffers(r.Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, OfferList{Items: offers})
}

func (s *Server) apiCreateOffer(w http.ResponseWriter, r *http.Request) error {
	var in exchanges.Offer
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	o, err := s.exchanges.CreateOffer(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, o)
}

func (s *Server) apiListRequests(w http.ResponseWriter, r *http.Request) error {
	f, errs := exchangeFilters(r.URL.Query())
	if len(errs) > 0 {
		return errBadRequest("Invalid filter.", errs)
	}
	rs, err := s.exchanges.FindRequests(r.Context(), exchanges.RequestFilter{Capability: f.Capability, Language: f.Language, Country: f.Country})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, RequestList{Items: rs})
}

func (s *Server) apiCreateRequest(w http.ResponseWriter, r *http.Request) error {
	var in exchanges.Request
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	q, err := s.exchanges.CreateRequest(r.Context(), in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, q)
}

func (s *Server) apiMatchRequest(w http.ResponseWriter, r *http.Request) error {
	ms, err := s.exchanges.Match(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if ms == nil {
		ms = []exchanges.Match{}
	}
	return writeJSON(w, http.StatusOK, MatchList{Items: ms})
}

func (s *Server) apiApply(w http.ResponseWriter, r *http.Request) error {
	var in exchanges.Application
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	a, err := s.exchanges.Apply(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	setETag(w, a.Version)
	return writeJSON(w, http.StatusCreated, a)
}

func (s *Server) apiGetApplication(w http.ResponseWriter, r *http.Request) error {
	a, err := s.exchanges.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	setETag(w, a.Version)
	return writeJSON(w, http.StatusOK, a)
}

// applicationStep runs one step of an application with If-Match.
func (s *Server) applicationStep(w http.ResponseWriter, r *http.Request, step func(expected int) (exchanges.Application, error)) error {
	expected, err := ifMatchVersion(r)
	if err != nil {
		return err
	}
	a, err := step(expected)
	if err != nil {
		return err
	}
	setETag(w, a.Version)
	return writeJSON(w, http.StatusOK, a)
}

func (s *Server) apiApprove(w http.ResponseWriter, r *http.Request) error {
	var in ExchangeDecisionInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	return s.applicationStep(w, r, func(v int) (exchanges.Application, error) {
		return s.exchanges.Approve(r.Context(), r.PathValue("id"), in.Side, v)
	})
}

func (s *Server) apiSign(w http.ResponseWriter, r *http.Request) error {
	return s.applicationStep(w, r, func(v int) (exchanges.Application, error) {
		return s.exchanges.Sign(r.Context(), r.PathValue("id"), v)
	})
}

func (s *Server) apiReport(w http.ResponseWriter, r *http.Request) error {
	var in ReportInput
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	return s.applicationStep(w, r, func(v int) (exchanges.Application, error) {
		return s.exchanges.Report(r.Context(), r.PathValue("id"), in.Report, v)
	})
}

func (s *Server) apiReportToPractice(w http.ResponseWriter, r *http.Request) error {
	e, err := s.exchanges.ReportToPractice(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}
