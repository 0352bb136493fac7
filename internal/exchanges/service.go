package exchanges

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Practices is what a report needs to become an entry of the library.
type Practices interface {
	Create(ctx context.Context, in practices.EntryInput) (practices.Entry, error)
}

// Config holds the exchange service's settings.
type Config struct {
	Viewer func(context.Context) access.Viewer
	Now    func() time.Time
}

// Service applies the exchange rules around a Store.
type Service struct {
	store     Store
	practices Practices
	cfg       Config
}

// NewService returns a Service.
func NewService(s Store, p Practices, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return time.Now().UTC() }
	}
	if cfg.Viewer == nil {
		cfg.Viewer = func(context.Context) access.Viewer { return access.Viewer{} }
	}
	return &Service{store: s, practices: p, cfg: cfg}
}

func (s *Service) viewer(ctx context.Context) access.Viewer { return s.cfg.Viewer(ctx) }

func memberOf(v access.Viewer, org string, clusters []string) bool {
	if v.Anonymous() || !v.WriteAllowed {
		return false
	}
	return v.OrganisationID == org || access.CanEditOrganisationRecord(v, access.Record{OwnerOrg: org, OwnerClusters: clusters})
}

// adminOf reports whether v decides for organisation org: its
// administrators, and the alliance administrator.
func adminOf(v access.Viewer, org string) bool {
	return v.WriteAllowed && !v.Anonymous() && (v.AllianceAdmin || (v.OrgAdmin && v.OrganisationID == org))
}

func clustersOf(o directory.Organisation) []string {
	var out []string
	for _, m := range o.Memberships {
		out = append(out, m.ClusterID)
	}
	return out
}

// dates checks a start and an end date.
func dates(errs *validate.Errors, starts, ends string) {
	_, e1 := time.Parse(time.DateOnly, starts)
	_, e2 := time.Parse(time.DateOnly, ends)
	if e1 != nil {
		errs.Add("starts_on", validate.InvalidDate)
	}
	if e2 != nil {
		errs.Add("ends_on", validate.InvalidDate)
	}
	if e1 == nil && e2 == nil && ends < starts {
		errs.Add("ends_on", EndsBeforeStart)
	}
}

func list(in []string) []string {
	out := []string{}
	for _, v := range in {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// CreateOffer publishes an offer of a host organisation the viewer
// belongs to or acts for. The host must have someone to approve its
// guests (an organisation administrator).
func (s *Service) CreateOffer(ctx context.Context, o Offer) (Offer, error) {
	v := s.viewer(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return o, store.ErrForbidden
	}
	if o.OrganisationID == "" {
		o.OrganisationID = v.OrganisationID
	}
	var errs validate.Errors
	errs.Choice("kind", o.Kind, true, Kinds...)
	errs.Text("topic", o.Topic, true, 200)
	errs.Text("description", o.Description, false, 5000)
	errs.Choice("language", o.Language, true, practices.Langs...)
	dates(&errs, o.StartsOn, o.EndsOn)
	if o.Weeks < 1 || o.Weeks > 104 {
		errs.Add("weeks", validate.InvalidChoice, "choices", "1..104")
	}
	if c, ok := country.Normalize(o.Country); ok {
		o.Country = c
	} else {
		errs.Add("country", validate.InvalidCountry)
	}
	if o.Visibility == "" {
		o.Visibility = access.Alliance
	}
	errs.Choice("visibility", o.Visibility, true, access.Levels...)
	o.Capabilities, o.Facilities = list(o.Capabilities), list(o.Facilities)
	host, err := s.store.OrganisationRef(ctx, o.OrganisationID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		errs.Add("organisation_id", validate.NotFound)
	case err != nil:
		return o, err
	default:
		o.OrganisationID = host.ID
		n, err := s.store.OrgAdminCount(ctx, host.ID)
		if err != nil {
			return o, err
		}
		if n == 0 {
			errs.Add("organisation_id", NoApprover)
		}
		if err := s.hostFacilities(ctx, &errs, host.ID, o.Facilities); err != nil {
			return o, err
		}
	}
	if len(errs) > 0 {
		return o, errs
	}
	if !memberOf(v, host.ID, clustersOf(host)) {
		return o, store.ErrForbidden
	}
	return o, s.store.CreateOffer(ctx, &o)
}

// CreateRequest publishes what the viewer wants to learn or bring.
func (s *Service) CreateRequest(ctx context.Context, r Request) (Request, error) {
	v := s.viewer(ctx)
	if v.Anonymous() || !v.WriteAllowed || v.OrganisationID == "" {
		return r, store.ErrForbidden
	}
	r.UserID, r.OrganisationID = v.UserID, v.OrganisationID
	var errs validate.Errors
	errs.Text("topic", r.Topic, true, 200)
	errs.Choice("language", r.Language, true, practices.Langs...)
	dates(&errs, r.StartsOn, r.EndsOn)
	if r.Country != "" {
		if c, ok := country.Normalize(r.Country); ok {
			r.Country = c
		} else {
			errs.Add("country", validate.InvalidCountry)
		}
	}
	if r.Visibility == "" {
		r.Visibility = access.Alliance
	}
	errs.Choice("visibility", r.Visibility, true, access.Levels...)
	r.Capabilities = list(r.Capabilities)
	if len(errs) > 0 {
		return r, errs
	}
	return r, s.store.CreateRequest(ctx, &r)
}

// sector groups organisation kinds the way MSCA Staff Exchanges count a
// move across sectors: academic (research, higher education) and
// non-academic (companies, public bodies and practitioners, others).
func sector(kind string) string {
	switch kind {
	case directory.KindResearch, directory.KindHigherEducation:
		return "academic"
	case directory.KindCompany:
		return "private"
	case directory.KindPublicBody:
		return "public"
	}
	return "other"
}

// CrossSector reports whether a guest of an organisation of kind guest
// visiting one of kind host changes sector.
func CrossSector(guest, host string) bool { return sector(guest) != sector(host) }

// Match ranks the offers the viewer may see for a request they may see:
// shared capabilities (a code or its parent), same language, the wanted
// country, overlapping dates; cross-sector moves are marked.
func (s *Service) Match(ctx context.Context, requestID string) ([]Match, error) {
	r, err := s.store.GetRequest(ctx, requestID)
	if err != nil {
		return nil, err
	}
	offers, err := s.store.ListOffers(ctx)
	if err != nil {
		return nil, err
	}
	var out []Match
	for _, o := range offers {
		m := Match{Offer: o, Shared: []string{}}
		for _, c := range r.Capabilities {
			for _, oc := range o.Capabilities {
				if c == oc || strings.HasPrefix(oc, c+".") || strings.HasPrefix(c, oc+".") {
					m.Shared = append(m.Shared, oc)
				}
			}
		}
		m.Language = o.Language == r.Language
		m.Country = r.Country == "" || r.Country == o.Country
		m.Overlap = o.StartsOn <= r.EndsOn && r.StartsOn <= o.EndsOn
		m.CrossSector = CrossSector(r.OrgKind, o.HostKind)
		m.Score = 3*len(m.Shared) + b2i(m.Language)*2 + b2i(m.Country) + b2i(m.Overlap)*2
		if len(m.Shared) == 0 && !m.Overlap {
			continue
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b Match) int { return b.Score - a.Score })
	return out, nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// hostFacilities checks that every facility an offer names (by id or
// slug) is one of the host's, and replaces each by its id: a guest can
// only ever be granted the host's own records.
func (s *Service) hostFacilities(ctx context.Context, errs *validate.Errors, host string, keys []string) error {
	sys := access.WithScope(ctx, access.System)
	for i, k := range keys {
		f, err := s.store.GetFacility(sys, k)
		switch {
		case errors.Is(err, store.ErrNotFound) || (err == nil && f.OrganisationID != host):
			errs.Add("facilities["+itoa(i)+"]", NotHostFacility)
		case err != nil:
			return err
		default:
			keys[i] = f.ID
		}
	}
	return nil
}
