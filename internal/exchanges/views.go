package exchanges

import (
	"context"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
)

// OfferFilter narrows the offers a list shows; empty fields match all.
type OfferFilter struct {
	Kind       string
	Capability string // a capability code; its sub-capabilities match too
	Language   string
	Country    string
}

// RequestFilter narrows the requests a list shows.
type RequestFilter struct {
	Capability string
	Language   string
	Country    string
}

func capabilityMatches(caps []string, code string) bool {
	return code == "" || slices.ContainsFunc(caps, func(c string) bool { return c == code || strings.HasPrefix(c, code+".") })
}

// Match reports whether offer o passes f.
func (f OfferFilter) Match(o Offer) bool {
	return (f.Kind == "" || o.Kind == f.Kind) && (f.Language == "" || o.Language == f.Language) &&
		(f.Country == "" || strings.EqualFold(o.Country, f.Country)) && capabilityMatches(o.Capabilities, f.Capability)
}

// Match reports whether request r passes f.
func (f RequestFilter) Match(r Request) bool {
	return (f.Language == "" || r.Language == f.Language) && (f.Country == "" || strings.EqualFold(r.Country, f.Country)) &&
		capabilityMatches(r.Capabilities, f.Capability)
}

// FindOffers lists the offers the viewer may see that pass f.
func (s *Service) FindOffers(ctx context.Context, f OfferFilter) ([]Offer, error) {
	all, err := s.store.ListOffers(ctx)
	if err != nil {
		return nil, err
	}
	out := []Offer{}
	for _, o := range all {
		if f.Match(o) {
			out = append(out, o)
		}
	}
	return out, nil
}

// FindRequests lists the requests the viewer may see that pass f.
func (s *Service) FindRequests(ctx context.Context, f RequestFilter) ([]Request, error) {
	all, err := s.store.ListRequests(ctx)
	if err != nil {
		return nil, err
	}
	out := []Request{}
	for _, r := range all {
		if f.Match(r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Offer returns an offer the viewer may see.
func (s *Service) Offer(ctx context.Context, id string) (Offer, error) {
	return s.store.GetOffer(ctx, id)
}

// Request returns a request the viewer may see.
func (s *Service) Request(ctx context.Context, id string) (Request, error) {
	return s.store.GetRequest(ctx, id)
}

// OfferFacilities returns the facilities an offer names (the host's
// records a guest may be granted), by name.
func (s *Service) OfferFacilities(ctx context.Context, o Offer) ([]directory.Facility, error) {
	return s.facilities(ctx, o.Facilities)
}

func (s *Service) facilities(ctx context.Context, ids []string) ([]directory.Facility, error) {
	out := []directory.Facility{}
	sys := access.WithScope(ctx, access.System)
	for _, id := range ids {
		f, err := s.store.GetFacility(sys, id)
		if err != nil {
			continue // deleted since: nothing to grant
		}
		out = append(out, f)
	}
	return out, nil
}

// HostFacilities lists the facilities of organisation org, to offer
// with a place.
func (s *Service) HostFacilities(ctx context.Context, org string) ([]directory.Facility, error) {
	if org == "" {
		return []directory.Facility{}, nil
	}
	return s.store.ExchangeHostFacilities(access.WithScope(ctx, access.System), org)
}

// View is an application with its offer, the names of its parties, the
// records the stay grants, and the steps the viewer may take now.
type View struct {
	Application
	Offer        Offer
	GuestName    string
	GuestOrgName string
	Records      []directory.Facility
	// StayActive: the plan is signed and today lies within the stay, so
	// the guest may use the records.
	StayActive bool
	Guest      bool // the viewer is the guest
	MayApprove []string
	MaySign    bool
	MayReport  bool
	MayPublish bool // turn the reports into a practices entry
}

// partyOf is the viewer's part in application a of offer o, or false
// when the application does not exist for them.
func partyOf(v access.Viewer, a Application, o Offer) (party, bool) {
	p := party{guest: v.UserID == a.UserID && !v.Anonymous(), home: adminOf(v, a.GuestOrgID), host: adminOf(v, o.OrganisationID)}
	member := !v.Anonymous() && v.OrganisationID != "" && (v.OrganisationID == a.GuestOrgID || v.OrganisationID == o.OrganisationID)
	return p, p.guest || p.home || p.host || member || v.AllianceAdmin
}

// ViewApplication returns an application the viewer is party to, with
// what they may do.
func (s *Service) ViewApplication(ctx context.Context, id string) (View, error) {
	a, o, p, err := s.load(ctx, id)
	if err != nil {
		return View{}, err
	}
	return s.view(ctx, a, o, p)
}

func (s *Service) view(ctx context.Context, a Application, o Offer, p party) (View, error) {
	v := s.viewer(ctx)
	a.Status = a.status()
	x := View{Application: a, Offer: o, Guest: p.guest}
	sys := access.WithScope(ctx, access.System)
	names, err := s.store.ExchangeUserNames(sys, []string{a.UserID})
	if err != nil {
		return x, err
	}
	x.GuestName = names[a.UserID]
	if g, err := s.store.OrganisationRef(sys, a.GuestOrgID); err == nil {
		x.GuestOrgName = g.Name
	}
	if x.Records, err = s.facilities(ctx, a.Records); err != nil {
		return x, err
	}
	signed := a.GuestSignedAt != nil && a.HostSignedAt != nil
	today := s.cfg.Now().Format("2006-01-02")
	x.StayActive = signed && today >= a.StartsOn && today <= a.EndsOn
	if !v.WriteAllowed {
		return x, nil
	}
	if p.home && a.HomeApprovedBy == "" {
		x.MayApprove = append(x.MayApprove, "home")
	}
	if p.host && a.HostApprovedBy == "" {
		x.MayApprove = append(x.MayApprove, "host")
	}
	approved := a.HomeApprovedBy != "" && a.HostApprovedBy != ""
	x.MaySign = approved && ((p.guest && a.GuestSignedAt == nil) || (p.host && !p.guest && a.HostSignedAt == nil))
	x.MayReport = signed && ((p.guest && a.GuestReport == "") || (p.host && !p.guest && a.HostReport == ""))
	x.MayPublish = p.host && a.status() == StatusReported && a.ReportEntryID == ""
	return x, nil
}

// Applications lists the applications the viewer is party to (as the
// guest, as a member or administrator of either organisation, or as the
// alliance administrator), newest first.
func (s *Service) Applications(ctx context.Context) ([]View, error) {
	v := s.viewer(ctx)
	out := []View{}
	if v.Anonymous() {
		return out, nil
	}
	sys := access.WithScope(ctx, access.System)
	as, err := s.store.ListApplications(sys)
	if err != nil {
		return nil, err
	}
	offers := map[string]Offer{}
	for _, a := range as {
		o, ok := offers[a.OfferID]
		if !ok {
			if o, err = s.store.GetOffer(sys, a.OfferID); err != nil {
				return nil, err
			}
			offers[a.OfferID] = o
		}
		p, ok := partyOf(v, a, o)
		if !ok {
			continue
		}
		x, err := s.view(ctx, a, o, p)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

// StayFacilities lists the facilities the viewer may use today as the
// guest of a signed exchange plan: the host records the plan names,
// during the stay and not after (access.StayGrants). Facilities asks it
// to let a guest see and book what the grant allows.
func (s *Service) StayFacilities(ctx context.Context) ([]string, error) {
	v := s.viewer(ctx)
	if v.Anonymous() || v.UserID == access.SystemViewer.UserID {
		return nil, nil
	}
	sys := access.WithScope(ctx, access.System)
	as, err := s.store.ExchangeApplicationsOfUser(sys, v.UserID)
	if err != nil {
		return nil, err
	}
	today := s.cfg.Now().Format("2006-01-02")
	var out []string
	for _, a := range as {
		o, err := s.store.GetOffer(sys, a.OfferID)
		if err != nil {
			continue
		}
		stay := access.Stay{GuestUserID: a.UserID, HostOrg: o.OrganisationID, Records: a.Records, StartsOn: a.StartsOn, EndsOn: a.EndsOn,
			Signed: a.GuestSignedAt != nil && a.HostSignedAt != nil}
		for _, r := range a.Records {
			if access.StayGrants(v, stay, r, today) && !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out, nil
}
