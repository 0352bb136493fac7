package directory

import (
	"context"

	"github.com/escnet/escnet/internal/access"
)

// Actions says what the viewer may do with a record, so that pages offer
// exactly the links and forms the use cases will accept.
type Actions struct {
	Edit   bool // change the record
	Delete bool // delete it
	Invite bool // invite people into the organisation
	// AskToJoin: ask a cluster's manager to take the organisation in.
	AskToJoin bool
	// Decide: accept or refuse requests to join the cluster.
	Decide bool
}

// ClusterActions says what the viewer may do with cluster c.
func (s *Service) ClusterActions(ctx context.Context, c Cluster) Actions {
	v := access.ViewerFrom(ctx)
	return Actions{Edit: access.CanEditCluster(v, c.ID), Delete: access.CanManageAlliance(v), Decide: MayChangeMembership(v, c.ID)}
}

// OrganisationActions says what the viewer may do with organisation o.
func (s *Service) OrganisationActions(ctx context.Context, o Organisation) Actions {
	v := access.ViewerFrom(ctx)
	rec := RecordOf(o, o.Visibility, o.TLP)
	edit := access.CanEditOrganisationRecord(v, rec)
	return Actions{Edit: edit, Delete: MayDeleteOrganisation(v), Invite: access.CanInvite(v, o.ID, rec.OwnerClusters), AskToJoin: edit}
}

// PersonActions says what the viewer may do with person p.
func (s *Service) PersonActions(ctx context.Context, p Person) Actions {
	rec, err := s.personRecord(ctx, p)
	if err != nil {
		return Actions{}
	}
	v := access.ViewerFrom(ctx)
	return Actions{Edit: access.CanEditPerson(v, rec), Delete: access.CanEditOrganisationRecord(v, rec)}
}
