package directory

import (
	"context"

	"github.com/escnet/escnet/internal/access"
)

// ListOrganisations lists the organisations matching f that the viewer
// may see.
func (s *Service) ListOrganisations(ctx context.Context, f Filter) (Page[Organisation], error) {
	return s.store.ListOrganisations(ctx, f)
}

// GetOrganisation returns an organisation by id or slug, if the viewer may
// see it.
func (s *Service) GetOrganisation(ctx context.Context, key string) (Organisation, error) {
	return s.store.GetOrganisation(ctx, key)
}

// OrganisationFacets counts the organisations matching f by country, kind,
// cluster and capability.
func (s *Service) OrganisationFacets(ctx context.Context, f Filter) (Facets, error) {
	return s.store.OrganisationFacets(ctx, f)
}

// OrganisationCountries counts the organisations matching f by country.
func (s *Service) OrganisationCountries(ctx context.Context, f Filter) ([]Facet, error) {
	return s.store.OrganisationCountries(ctx, f)
}

// MayCreateOrganisation reports whether the viewer may add organisations
// at all (to offer the form): the alliance administrator and cluster
// managers.
func MayCreateOrganisation(v access.Viewer) bool {
	return v.WriteAllowed && (v.AllianceAdmin || len(v.ManagedClusters) > 0)
}

// CreateOrganisation adds an organisation: the alliance administrator, or a
// cluster manager adding it to clusters they manage (it must join at least
// one; every membership it starts with is a cluster they manage).
func (s *Service) CreateOrganisation(ctx context.Context, o *Organisation) error {
	v := access.ViewerFrom(ctx)
	if err := mayWrite(v); err != nil {
		return err
	}
	if err := s.ValidateOrganisation(ctx, o); err != nil {
		if !MayCreateOrganisation(v) {
			return refuse(v)
		}
		return err
	}
	var clusters []string
	for _, m := range o.Memberships {
		clusters = append(clusters, m.ClusterID)
	}
	if !access.CanCreateOrganisation(v, clusters) {
		return refuse(v)
	}
	if err := checkMemberships(v, nil, o.Memberships); err != nil {
		return err
	}
	return s.store.CreateOrganisation(ctx, o)
}

// EditableOrganisation returns the organisation if the viewer may see and
// change it: hidden → store.ErrNotFound, visible but not theirs to change
// → store.ErrForbidden.
func (s *Service) EditableOrganisation(ctx context.Context, key string) (Organisation, error) {
	cur, err := s.store.GetOrganisation(ctx, key)
	if err != nil {
		return cur, err
	}
	if v := access.ViewerFrom(ctx); !access.CanEditOrganisationRecord(v, RecordOf(cur, cur.Visibility, cur.TLP)) {
		return cur, refuse(v)
	}
	return cur, nil
}

// UpdateOrganisation replaces the organisation named by o.ID (id or slug)
// with o. Leaving out the sharing keeps it; widening it needs the owner;
// memberships change only in clusters the viewer manages (everyone else
// asks, RequestMembership); o.Version is the version the change was based
// on (0: no check), a stale one is store.ErrStale.
func (s *Service) UpdateOrganisation(ctx context.Context, o *Organisation) error {
	cur, err := s.EditableOrganisation(ctx, o.ID)
	if err != nil {
		return err
	}
	v := access.ViewerFrom(ctx)
	o.ID = cur.ID
	keepSharing(&o.Visibility, &o.TLP, cur.Visibility, cur.TLP)
	if err := checkWiden(v, RecordOf(cur, cur.Visibility, cur.TLP), cur.Visibility, cur.TLP, o.Visibility, o.TLP); err != nil {
		return err
	}
	if err := s.ValidateOrganisation(ctx, o); err != nil {
		return err
	}
	if err := checkMemberships(v, cur.Memberships, o.Memberships); err != nil {
		return err
	}
	return s.store.UpdateOrganisation(ctx, o)
}

// MayDeleteOrganisation reports whether v may delete organisations: only
// the alliance administrator (docs/access.md says why).
func MayDeleteOrganisation(v access.Viewer) bool { return access.CanManageAlliance(v) }

// DeleteOrganisation removes an organisation without people or facilities.
// Only the alliance administrator deletes: an organisation belongs to
// every cluster it is a member of and to the project records, so no one
// cluster's manager or the organisation itself ends it for all; they take
// it down by narrowing its visibility, or end a membership.
func (s *Service) DeleteOrganisation(ctx context.Context, key string) error {
	o, err := s.store.GetOrganisation(ctx, key)
	if err != nil {
		return err
	}
	if v := access.ViewerFrom(ctx); !MayDeleteOrganisation(v) {
		return refuse(v)
	}
	return s.store.DeleteOrganisation(ctx, o.ID)
}

// ListFacilities lists the facilities' catalogue records matching f that
// the viewer may see.
func (s *Service) ListFacilities(ctx context.Context, f Filter) (Page[Facility], error) {
	return s.store.ListFacilities(ctx, f)
}

// GetFacility returns a facility's catalogue record by id or slug, if the
// viewer may see it.
func (s *Service) GetFacility(ctx context.Context, key string) (Facility, error) {
	return s.store.GetFacility(ctx, key)
}
