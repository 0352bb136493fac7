package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// An application's page: the plan, the two approvals, the signatures,
// the stay's grant of host records and the reports; each step is a form
// that carries the version it was shown with (If-Match for the API).

type exchangeApplicationPage struct {
	layout
	View   exchanges.View
	Values url.Values
	Errors []ProblemField
}

func (s *Server) applicationData(r *http.Request) (exchangeApplicationPage, error) {
	x, err := s.exchanges.ViewApplication(r.Context(), r.PathValue("id"))
	if err != nil {
		return exchangeApplicationPage{}, err
	}
	return exchangeApplicationPage{layout: s.layout(r, x.Offer.Topic, "exchanges"), View: x, Values: url.Values{}}, nil
}

func (s *Server) pageExchangeApplication(w http.ResponseWriter, r *http.Request) error {
	data, err := s.applicationData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "exchange_application", data)
}

func (s *Server) redirectApplication(w http.ResponseWriter, r *http.Request, id string) error {
	http.Redirect(w, r, "/exchanges/applications/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

// applicationForm runs one step posted from the application's page and
// shows the page again with the problems, or goes back to it.
func (s *Server) applicationForm(step func(r *http.Request, version int) error) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		if err := step(r, formVersion(r)); err != nil {
			data, derr := s.applicationData(r)
			if derr != nil {
				return derr
			}
			data.Values = r.PostForm
			var named interface{ Fields() validate.Errors }
			if errors.As(err, &named) && errors.Is(err, store.ErrForbidden) && !viewerFrom(r.Context()).ReadOnlyToken() {
				data.Errors = fieldsOf(named.Fields())
				return s.render(w, http.StatusForbidden, "exchange_application", data)
			}
			return s.formError(w, err, "exchange_application", func(fe []ProblemField) any {
				data.Errors = fe
				return data
			})
		}
		return s.redirectApplication(w, r, r.PathValue("id"))
	}
}

func (s *Server) postExchangeApprove(r *http.Request, version int) error {
	_, err := s.exchanges.Approve(r.Context(), r.PathValue("id"), r.PostForm.Get("side"), version)
	return err
}

func (s *Server) postExchangeSign(r *http.Request, version int) error {
	_, err := s.exchanges.Sign(r.Context(), r.PathValue("id"), version)
	return err
}

func (s *Server) postExchangeReport(r *http.Request, version int) error {
	_, err := s.exchanges.Report(r.Context(), r.PathValue("id"), r.PostForm.Get("report"), version)
	return err
}

func (s *Server) postExchangePractice(r *http.Request, _ int) error {
	_, err := s.exchanges.ReportToPractice(r.Context(), r.PathValue("id"))
	return err
}
