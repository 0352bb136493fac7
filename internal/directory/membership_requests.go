package directory

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// States of a request to join a cluster.
const (
	RequestOpen     = "open"
	RequestAccepted = "accepted"
	RequestRefused  = "refused"
)

// RequestStates lists the states a list may be narrowed to.
var RequestStates = []string{RequestOpen, RequestAccepted, RequestRefused}

// MembershipRequest is an organisation's request to join a cluster. The
// cluster's managers or the alliance administrator accept it (the
// membership starts) or refuse it.
type MembershipRequest struct {
	ID               string     `json:"id"`
	ClusterID        string     `json:"cluster_id"`
	ClusterSlug      string     `json:"cluster_slug"`
	ClusterName      string     `json:"cluster_name"`
	OrganisationID   string     `json:"organisation_id"`
	OrganisationSlug string     `json:"organisation_slug"`
	OrganisationName string     `json:"organisation_name"`
	Role             string     `json:"role"`
	Note             string     `json:"note,omitempty"`
	State            string     `json:"state"`
	CreatedAt        time.Time  `json:"created_at"`
	DecidedAt        *time.Time `json:"decided_at,omitempty"`
}

// RequestFilter narrows a list of requests; every field is optional.
type RequestFilter struct {
	Cluster      string // id
	Organisation string // id
	State        string
}

// RequestStore keeps the requests to join a cluster. Decide changes the
// state of an open request and, when accepting, starts the membership in
// the same transaction (ErrStale-free: a request no longer open is a
// *store.ConflictError on "state").
type RequestStore interface {
	CreateMembershipRequest(ctx context.Context, r *MembershipRequest, requestedBy string) error
	GetMembershipRequest(ctx context.Context, id string) (MembershipRequest, error)
	ListMembershipRequests(ctx context.Context, f RequestFilter) ([]MembershipRequest, error)
	DecideMembershipRequest(ctx context.Context, id string, accept bool, decidedBy string) (MembershipRequest, error)
}

func (s *Service) requests() (RequestStore, error) {
	rs, ok := s.store.(RequestStore)
	if !ok {
		return nil, errors.New("directory: the store keeps no membership requests")
	}
	return rs, nil
}

// RequestMembership asks for organisation org (id or slug) to join a
// cluster. Those who may change the organisation's records ask: its
// administrators, managers of its clusters and the alliance administrator.
// A cluster it is a member of already, or one with an open request, is
// refused (422, 409).
func (s *Service) RequestMembership(ctx context.Context, org string, r *MembershipRequest) error {
	o, err := s.EditableOrganisation(ctx, org)
	if err != nil {
		return err
	}
	rs, err := s.requests()
	if err != nil {
		return err
	}
	var errs validate.Errors
	r.Note = strings.TrimSpace(r.Note)
	errs.Choice("role", r.Role, true, MembershipRoles...)
	errs.Text("note", r.Note, false, 2000)
	if strings.TrimSpace(r.ClusterID) == "" {
		errs.Add("cluster_id", validate.Required)
	} else if c, err := s.store.GetCluster(ctx, r.ClusterID); errors.Is(err, store.ErrNotFound) {
		errs.Add("cluster_id", validate.NotFound)
	} else if err != nil {
		return err
	} else {
		r.ClusterID, r.ClusterSlug, r.ClusterName = c.ID, c.Slug, c.Name
		for _, m := range o.Memberships {
			if m.ClusterID == c.ID {
				errs.Add("cluster_id", validate.Duplicate)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	r.OrganisationID, r.OrganisationSlug, r.OrganisationName = o.ID, o.Slug, o.Name
	r.State = RequestOpen
	return rs.CreateMembershipRequest(ctx, r, access.ViewerFrom(ctx).UserID)
}

// maySeeRequest: the requesting organisation's administrators, the
// cluster's managers and the alliance administrator.
func maySeeRequest(v access.Viewer, r MembershipRequest) bool {
	return v.AllianceAdmin || slices.Contains(v.ManagedClusters, r.ClusterID) ||
		(v.OrgAdmin && v.OrganisationID == r.OrganisationID)
}

// ListMembershipRequests lists the requests matching f that the viewer may
// see, newest first; anonymous visitors are refused.
func (s *Service) ListMembershipRequests(ctx context.Context, f RequestFilter) ([]MembershipRequest, error) {
	v := access.ViewerFrom(ctx)
	if v.Anonymous() {
		return nil, refuse(v)
	}
	var errs validate.Errors
	errs.Choice("state", f.State, false, RequestStates...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	rs, err := s.requests()
	if err != nil {
		return nil, err
	}
	all, err := rs.ListMembershipRequests(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []MembershipRequest{}
	for _, r := range all {
		if maySeeRequest(v, r) {
			out = append(out, r)
		}
	}
	return out, nil
}

// GetMembershipRequest returns a request the viewer may see.
func (s *Service) GetMembershipRequest(ctx context.Context, id string) (MembershipRequest, error) {
	rs, err := s.requests()
	if err != nil {
		return MembershipRequest{}, err
	}
	r, err := rs.GetMembershipRequest(ctx, id)
	if err != nil {
		return r, err
	}
	if !maySeeRequest(access.ViewerFrom(ctx), r) {
		return MembershipRequest{}, store.ErrNotFound
	}
	return r, nil
}

// DecideMembershipRequest accepts (the organisation becomes a member in
// the requested role) or refuses an open request: the cluster's managers
// and the alliance administrator decide. A request the viewer may not see
// is store.ErrNotFound; one decided already is a *store.ConflictError on
// "state".
func (s *Service) DecideMembershipRequest(ctx context.Context, id string, accept bool) (MembershipRequest, error) {
	r, err := s.GetMembershipRequest(ctx, id)
	if err != nil {
		return r, err
	}
	v := access.ViewerFrom(ctx)
	if !MayChangeMembership(v, r.ClusterID) {
		return r, refuse(v)
	}
	rs, err := s.requests()
	if err != nil {
		return r, err
	}
	return rs.DecideMembershipRequest(ctx, r.ID, accept, v.UserID)
}
