package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/exchanges"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/validate"
)

// The exchange of people's pages: offers and requests with filters, an
// offer with the application form, a request with its matches, the forms
// to publish either, and an application's course (exchanges_steps.go).

type exchangesPage struct {
	layout
	Offers       []exchanges.Offer
	Requests     []exchanges.Request
	Applications []exchanges.View
	Offer        exchanges.OfferFilter
	Kinds, Langs []string
	Caps         map[string]directory.Capability
	CapList      []directory.Capability
	CanPublish   bool
	Errors       []ProblemField
}

// exchangeFilters reads the list's filters: kind, capability, lang,
// country; unknown values are named.
func exchangeFilters(q url.Values) (exchanges.OfferFilter, validate.Errors) {
	f := exchanges.OfferFilter{Kind: q.Get("kind"), Capability: q.Get("capability"), Language: q.Get("lang"), Country: strings.ToUpper(q.Get("country"))}
	var errs validate.Errors
	errs.Choice("kind", f.Kind, false, exchanges.Kinds...)
	errs.Choice("lang", f.Language, false, practices.Langs...)
	if f.Capability != "" && !directory.ValidCapabilityCode(f.Capability) {
		errs.Add("capability", validate.InvalidFormat)
	}
	if f.Country != "" && len(f.Country) != 2 {
		errs.Add("country", validate.InvalidCountry)
	}
	return f, errs
}

func (s *Server) pageExchanges(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	data := exchangesPage{Kinds: exchanges.Kinds, Langs: practices.Langs}
	f, errs := exchangeFilters(r.URL.Query())
	if len(errs) > 0 {
		data.Errors, f = fieldsOf(errs), exchanges.OfferFilter{}
	}
	data.Offer = f
	var err error
	if data.Offers, err = s.exchanges.FindOffers(ctx, f); err != nil {
		return err
	}
	rf := exchanges.RequestFilter{Capability: f.Capability, Language: f.Language, Country: f.Country}
	if data.Requests, err = s.exchanges.FindRequests(ctx, rf); err != nil {
		return err
	}
	if data.Applications, err = s.exchanges.Applications(ctx); err != nil {
		return err
	}
	if data.Caps, data.CapList, err = s.capabilityMap(r); err != nil {
		return err
	}
	v := viewerFrom(ctx)
	data.CanPublish = !v.Anonymous() && v.OrganisationID != ""
	data.layout = s.layout(r, "title.exchanges", "exchanges")
	status := http.StatusOK
	if len(data.Errors) > 0 {
		status = http.StatusBadRequest
	}
	return s.render(w, status, "exchanges", data)
}

type exchangeOfferPage struct {
	layout
	Offer      exchanges.Offer
	Facilities []directory.Facility
	Caps       map[string]directory.Capability
	CanApply   bool
	Values     url.Values
	Errors     []ProblemField
}

func (s *Server) offerData(r *http.Request, values url.Values) (exchangeOfferPage, error) {
	ctx := r.Context()
	o, err := s.exchanges.Offer(ctx, r.PathValue("id"))
	if err != nil {
		return exchangeOfferPage{}, err
	}
	data := exchangeOfferPage{Offer: o, Values: values}
	if data.Facilities, err = s.exchanges.OfferFacilities(ctx, o); err != nil {
		return data, err
	}
	if data.Caps, _, err = s.capabilityMap(r); err != nil {
		return data, err
	}
	if data.Values == nil {
		data.Values = url.Values{"starts_on": {o.StartsOn}, "ends_on": {o.EndsOn}}
	}
	v := viewerFrom(ctx)
	data.CanApply = !v.Anonymous() && v.OrganisationID != "" && v.OrganisationID != o.OrganisationID
	data.layout = s.layout(r, o.Topic, "exchanges")
	return data, nil
}

func (s *Server) pageExchangeOffer(w http.ResponseWriter, r *http.Request) error {
	data, err := s.offerData(r, nil)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "exchange_offer", data)
}

func (s *Server) postExchangeApply(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := exchanges.Application{Tasks: f.Get("tasks"), Supervisor: f.Get("supervisor"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"), Records: f["records"]}
	a, err := s.exchanges.Apply(r.Context(), r.PathValue("id"), in)
	if err != nil {
		data, derr := s.offerData(r, f)
		if derr != nil {
			return derr
		}
		return s.formError(w, err, "exchange_offer", func(fe []ProblemField) any {
			data.Errors = fe
			return data
		})
	}
	return s.redirectApplication(w, r, a.ID)
}

type exchangeRequestPage struct {
	layout
	Request exchanges.Request
	Matches []exchanges.Match
	Caps    map[string]directory.Capability
}

func (s *Server) pageExchangeRequest(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	q, err := s.exchanges.Request(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	data := exchangeRequestPage{Request: q}
	if data.Matches, err = s.exchanges.Match(ctx, q.ID); err != nil {
		return err
	}
	if data.Caps, _, err = s.capabilityMap(r); err != nil {
		return err
	}
	data.layout = s.layout(r, q.Topic, "exchanges")
	return s.render(w, http.StatusOK, "exchange_request", data)
}

// exchangeFormPage is the form to publish an offer or a request.
type exchangeFormPage struct {
	layout
	Offer        bool // the offer form, else the request form
	Kinds, Langs []string
	Levels       []string
	Caps         []directory.Capability
	Facilities   []directory.Facility // the viewer's organisation's, to offer
	ActsForOrgs  bool                 // may offer for other organisations (managers, alliance administrators)
	Values       url.Values
	Errors       []ProblemField
}

// Has reports whether the form's values for key hold v.
func (p exchangeFormPage) Has(key, v string) bool {
	for _, x := range p.Values[key] {
		if x == v {
			return true
		}
	}
	return false
}

func (s *Server) exchangeForm(r *http.Request, offer bool, values url.Values) (exchangeFormPage, error) {
	if values == nil {
		values = url.Values{"visibility": {access.Alliance}, "language": {s.loc(r).Lang}, "weeks": {"4"}}
	}
	title := "title.exchange_request_new"
	if offer {
		title = "title.exchange_offer_new"
	}
	data := exchangeFormPage{layout: s.layout(r, title, "exchanges"), Offer: offer, Kinds: exchanges.Kinds, Langs: practices.Langs, Levels: access.Levels, Values: values}
	var err error
	if _, data.Caps, err = s.capabilityMap(r); err != nil {
		return data, err
	}
	if offer {
		v := viewerFrom(r.Context())
		data.ActsForOrgs = v.AllianceAdmin || len(v.ManagedClusters) > 0
		data.Facilities, err = s.exchanges.HostFacilities(r.Context(), v.OrganisationID)
	}
	return data, err
}

func (s *Server) pageNewExchange(offer bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := requireUser(r); err != nil {
			return err
		}
		data, err := s.exchangeForm(r, offer, nil)
		if err != nil {
			return err
		}
		return s.render(w, http.StatusOK, "exchange_new", data)
	}
}

func (s *Server) postNewOffer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	weeks, _ := strconv.Atoi(f.Get("weeks"))
	in := exchanges.Offer{OrganisationID: f.Get("organisation"), Kind: f.Get("kind"), Topic: f.Get("topic"), Description: f.Get("description"),
		Capabilities: f["capabilities"], Language: f.Get("language"), StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"), Weeks: weeks,
		Place: f.Get("place"), Country: f.Get("country"), Facilities: f["facilities"], Visibility: f.Get("visibility")}
	o, err := s.exchanges.CreateOffer(r.Context(), in)
	if err != nil {
		return s.exchangeFormError(w, r, true, err)
	}
	http.Redirect(w, r, "/exchanges/offers/"+url.PathEscape(o.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) postNewRequest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := exchanges.Request{Topic: f.Get("topic"), Capabilities: f["capabilities"], Language: f.Get("language"), Country: f.Get("country"),
		StartsOn: f.Get("starts_on"), EndsOn: f.Get("ends_on"), Visibility: f.Get("visibility")}
	q, err := s.exchanges.CreateRequest(r.Context(), in)
	if err != nil {
		return s.exchangeFormError(w, r, false, err)
	}
	http.Redirect(w, r, "/exchanges/requests/"+url.PathEscape(q.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) exchangeFormError(w http.ResponseWriter, r *http.Request, offer bool, err error) error {
	data, derr := s.exchangeForm(r, offer, r.PostForm)
	if derr != nil {
		return derr
	}
	return s.formError(w, err, "exchange_new", func(fe []ProblemField) any {
		data.Errors = fe
		return data
	})
}

// exchangeKeyFamilies lists the message keys the exchange pages build
// from values (for the locale test).
func exchangeKeyFamilies() map[string][]string {
	return map[string][]string{
		"exchange.kind.":       exchanges.Kinds,
		"exchange.status.":     {exchanges.StatusRequested, exchanges.StatusApproved, exchanges.StatusSigned, exchanges.StatusReported},
		"exchange.side.":       {"home", "host"},
		"exchange.approve_as.": {"home", "host"},
	}
}
