package directory

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The use cases of the directory take the viewer from the context
// (access.ViewerFrom) and decide what it may do: a record it may not see
// is store.ErrNotFound (the store's scoped read says so), one it may see
// but not change is store.ErrForbidden, bad input is validate.Errors.

// Forbidden reasons, wrapped around store.ErrForbidden so that the edge
// can tell a visitor to sign in and a read-only token that it is one.
var (
	// ErrSignIn: nobody is signed in.
	ErrSignIn = fmt.Errorf("sign in to do this: %w", store.ErrForbidden)
	// ErrReadOnly: the request came with a read-only API token.
	ErrReadOnly = fmt.Errorf("this API token is read-only: %w", store.ErrForbidden)
	// ErrRole: the viewer's role does not allow the change.
	ErrRole = fmt.Errorf("your role does not allow this change: %w", store.ErrForbidden)
	// ErrWiden: only the owner may share a record more widely.
	ErrWiden = fmt.Errorf("only the owning organisation's administrators may widen who sees this record: %w", store.ErrForbidden)
	// ErrMembership: memberships change by request, or by the cluster's
	// manager.
	ErrMembership = fmt.Errorf("only the cluster's manager or the alliance administrator changes its memberships; ask to join instead: %w", store.ErrForbidden)
)

// refuse returns the reason v may not act.
func refuse(v access.Viewer) error {
	switch {
	case v.Anonymous():
		return ErrSignIn
	case !v.WriteAllowed:
		return ErrReadOnly
	}
	return ErrRole
}

// mayWrite refuses anonymous visitors and read-only tokens up front.
func mayWrite(v access.Viewer) error {
	if v.Anonymous() || !v.WriteAllowed {
		return refuse(v)
	}
	return nil
}

// system is ctx with the application's scope, for lookups a rule needs
// whatever the viewer sees (an owner's clusters); the viewer stays.
func system(ctx context.Context) context.Context { return access.WithScope(ctx, access.System) }

// RecordOf is the policy's view of a record owned by organisation o.
func RecordOf(o Organisation, visibility, tlp string) access.Record {
	r := access.Record{OwnerOrg: o.ID, Visibility: visibility, TLP: tlp}
	for _, m := range o.Memberships {
		r.OwnerClusters = append(r.OwnerClusters, m.ClusterID)
	}
	return r
}

// ownerRecord returns the policy's view of a record owned by orgID.
func (s *Service) ownerRecord(ctx context.Context, orgID, visibility, tlp string) (access.Record, error) {
	o, err := s.store.GetOrganisation(system(ctx), orgID)
	if err != nil {
		return access.Record{}, err
	}
	return RecordOf(o, visibility, tlp), nil
}

// keepSharing keeps a record's visibility and TLP when an update leaves
// them out, so that omitting a field never widens a record.
func keepSharing(visibility, tlp *string, curVisibility, curTLP string) {
	if *visibility == "" {
		*visibility = curVisibility
	}
	if *tlp == "" {
		*tlp = curTLP
	}
}

// checkWiden refuses a change of visibility or TLP that lets more people
// see a record, unless the viewer is its owner. Unknown values are left
// for validation to report.
func checkWiden(v access.Viewer, rec access.Record, oldVis, oldTLP, newVis, newTLP string) error {
	if access.LevelReach(newVis) < 0 || !slices.Contains(access.TLPs, strings.ToUpper(newTLP)) {
		return nil
	}
	from, to := access.EffectiveReach(oldVis, oldTLP), access.EffectiveReach(newVis, strings.ToUpper(newTLP))
	if access.CanWiden(v, rec, from, to) {
		return nil
	}
	return ErrWiden
}

// mayEditOwned checks that the viewer may change the records of
// organisation org (id or slug), which it must be able to see; an
// organisation it cannot see is a validation error on field.
func (s *Service) mayEditOwned(ctx context.Context, org, field string) (Organisation, error) {
	v := access.ViewerFrom(ctx)
	if err := mayWrite(v); err != nil {
		return Organisation{}, err
	}
	if org == "" {
		return Organisation{}, validate.Errors{{Field: field, Code: validate.Required}}
	}
	o, err := s.store.GetOrganisation(ctx, org)
	if errors.Is(err, store.ErrNotFound) {
		return o, validate.Errors{{Field: field, Code: validate.NotFound}}
	}
	if err != nil {
		return o, err
	}
	if !access.CanEditOrganisationRecord(v, RecordOf(o, o.Visibility, o.TLP)) {
		return o, refuse(v)
	}
	return o, nil
}

// MayChangeMembership reports whether the viewer may add, change or end
// memberships of the cluster directly: its managers and the alliance
// administrator. Everyone else who may edit an organisation asks
// (RequestMembership).
func MayChangeMembership(v access.Viewer, clusterID string) bool {
	return v.WriteAllowed && (v.AllianceAdmin || slices.Contains(v.ManagedClusters, clusterID))
}

// checkMemberships refuses every difference between the current and the
// new memberships in a cluster the viewer does not manage.
func checkMemberships(v access.Viewer, cur, next []Membership) error {
	find := func(ms []Membership, id string) (Membership, bool) {
		for _, m := range ms {
			if m.ClusterID == id {
				return m, true
			}
		}
		return Membership{}, false
	}
	for _, n := range next {
		if c, ok := find(cur, n.ClusterID); (!ok || c.Role != n.Role || c.Since != n.Since) && !MayChangeMembership(v, n.ClusterID) {
			return ErrMembership
		}
	}
	for _, c := range cur {
		if _, ok := find(next, c.ClusterID); !ok && !MayChangeMembership(v, c.ClusterID) {
			return ErrMembership
		}
	}
	return nil
}
