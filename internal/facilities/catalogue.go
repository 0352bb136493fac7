package facilities

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The catalogue record of a facility is directory.Facility (validated by
// the directory's rules); who may create, change and delete it, and in
// which cluster it may be, is decided here.

// Facility returns the facility with that id or slug, if the viewer may
// see it.
func (s *Service) Facility(ctx context.Context, key string) (directory.Facility, error) {
	return s.dir.GetFacility(s.stay(ctx), key)
}

// Facilities lists the facilities the viewer may see.
func (s *Service) Facilities(ctx context.Context, f directory.Filter) (directory.Page[directory.Facility], error) {
	return s.dir.ListFacilities(s.stay(ctx), f)
}

// CreateFacility adds facility f to the catalogue, for those who may
// change the records of its organisation. Its cluster, if any, must be
// one its organisation belongs to.
func (s *Service) CreateFacility(ctx context.Context, f *directory.Facility) error {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() || !v.WriteAllowed {
		return forbidden("create a facility")
	}
	if f.OrganisationID != "" {
		if err := s.mayEditOwner(ctx, f.OrganisationID); err != nil {
			return err
		}
	}
	if err := s.ValidateFacility(ctx, f); err != nil {
		return err
	}
	return s.dir.CreateFacility(ctx, f)
}

// UpdateFacility replaces facility f.ID, for those who may change it (and,
// when it moves to another organisation, that organisation's records).
// Only the owner's administrators widen who sees it; empty visibility and
// TLP keep the current ones. f.Version is the version the caller read (0:
// no check). f is then the stored facility.
func (s *Service) UpdateFacility(ctx context.Context, f *directory.Facility) error {
	cur, err := s.dir.GetFacility(ctx, f.ID)
	if err != nil {
		return err
	}
	pf, err := s.policy(ctx, cur)
	if err != nil {
		return err
	}
	v := access.ViewerFrom(ctx)
	if !access.CanEditOrganisationRecord(v, pf.Record) {
		return forbidden(fmt.Sprintf("change facility %q", cur.Slug))
	}
	f.ID = cur.ID
	if f.Visibility == "" {
		f.Visibility = cur.Visibility
	}
	if f.TLP == "" {
		f.TLP = cur.TLP
	}
	if access.LevelReach(f.Visibility) >= 0 && slices.Contains(access.TLPs, strings.ToUpper(f.TLP)) {
		from, to := access.EffectiveReach(cur.Visibility, cur.TLP), access.EffectiveReach(f.Visibility, strings.ToUpper(f.TLP))
		// The application itself (the command line's imports) acts for the
		// operator, who decides.
		if !access.CanWiden(v, pf.Record, from, to) && v.UserID != access.SystemViewer.UserID {
			return forbidden("widen who sees facility " + cur.Slug + " (only the owning organisation's administrators may)")
		}
	}
	if f.OrganisationID != "" && f.OrganisationID != cur.OrganisationID {
		if err := s.mayEditOwner(ctx, f.OrganisationID); err != nil {
			return err
		}
	}
	if err := s.ValidateFacility(ctx, f); err != nil {
		return err
	}
	if err := s.dir.UpdateFacility(ctx, f); err != nil {
		return err
	}
	updated, err := s.dir.GetFacility(ctx, f.ID)
	if err == nil {
		*f = updated
	}
	return err
}

// DeleteFacility removes facility key (with its resources, bookings and
// feeds), for those who may change its organisation's records.
func (s *Service) DeleteFacility(ctx context.Context, key string) error {
	f, err := s.dir.GetFacility(ctx, key)
	if err != nil {
		return err
	}
	if err := s.mayChange(ctx, f); err != nil {
		return err
	}
	return s.dir.DeleteFacility(ctx, f.ID)
}

// mayEditOwner checks that the viewer may change the records of
// organisation org (id or slug), which the viewer must be able to see.
func (s *Service) mayEditOwner(ctx context.Context, org string) error {
	o, err := s.dir.GetOrganisation(ctx, org)
	if errors.Is(err, store.ErrNotFound) {
		return validate.Errors{{Field: "organisation_id", Code: validate.NotFound}}
	} else if err != nil {
		return err
	}
	if !access.CanEditOrganisationRecord(access.ViewerFrom(ctx), recordOf(o, o.Visibility, o.TLP)) {
		return forbidden(fmt.Sprintf("add or move a facility to organisation %q", o.Slug))
	}
	return nil
}

// FacilityCluster is the message key of a facility cluster that its
// organisation is not a member of.
const FacilityCluster = "error.facility.cluster_not_member"

func init() {
	validate.Define(map[string]string{
		FacilityCluster: "must be a cluster that the facility's organisation is a member of",
	})
}

// ValidateFacility normalises f and applies the directory's rules, then the facility
// cluster rule: a facility's cluster (which decides, with the owner, who
// approves its bookings) must be one its organisation belongs to.
func (s *Service) ValidateFacility(ctx context.Context, f *directory.Facility) error {
	err := directory.NewService(s.dir).ValidateFacility(ctx, f)
	var errs validate.Errors
	if err != nil && !errors.As(err, &errs) {
		return err
	}
	if f.ClusterID != "" && f.OrganisationID != "" && !slices.ContainsFunc(errs, func(fe validate.FieldError) bool {
		return fe.Field == "cluster_id" || fe.Field == "organisation_id"
	}) {
		o, err := s.dir.GetOrganisation(system(ctx), f.OrganisationID)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(o.Memberships, func(m directory.Membership) bool { return m.ClusterID == f.ClusterID }) {
			errs.Add("cluster_id", FacilityCluster)
		}
	}
	return errs.Err()
}
