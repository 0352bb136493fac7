package directory

import "github.com/escnet/escnet/internal/store"

// The directory's tables that point at an organisation, and what merging
// two organisations does with them (see store.OrgReference).
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "directory", Table: "organisation_roles", Column: "organisation_id", Key: []string{"role"}, Action: store.UnionWithMerge},
		store.OrgReference{Owner: "directory", Table: "organisation_capabilities", Column: "organisation_id", Key: []string{"capability_code"}, Action: store.UnionWithMerge},
		store.OrgReference{Owner: "directory", Table: "memberships", Column: "organisation_id", Key: []string{"cluster_id"}, Action: store.UnionWithMerge},
		store.OrgReference{Owner: "directory", Table: "people", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "directory", Table: "facilities", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		// Requests to join a cluster move with the organisation (an open
		// request for a cluster the kept organisation also asked to join
		// makes the merge a conflict: decide one of them first).
		store.OrgReference{Owner: "directory", Table: "membership_requests", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
