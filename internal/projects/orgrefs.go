package projects

import "github.com/escnet/escnet/internal/store"

// The project tables that point at an organisation (see
// store.OrgReference). Marks of "not the same organisation" go with the
// organisation merged away and come back with it.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "projects", Table: "participations", Column: "organisation_id", Key: []string{"project_id", "pic"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "projects", Table: "cordis_organisations", Column: "organisation_id", Key: []string{"pic"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "projects", Table: "organisation_identifiers", Column: "organisation_id", Key: []string{"scheme", "value"}, Action: store.UnionWithMerge,
			Set: map[string]string{"source": "merge"}},
		store.OrgReference{Owner: "projects", Table: "organisation_distinct", Column: "a_id", Key: []string{"b_id"}, Action: store.DropWithMerge},
		store.OrgReference{Owner: "projects", Table: "organisation_distinct", Column: "b_id", Key: []string{"a_id"}, Action: store.DropWithMerge},
	)
}

// The linking tables: a claim goes with the organisation merged away and
// comes back with it; an invitation moves to the organisation kept.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "projects", Table: "organisation_claims", Column: "organisation_id", Key: []string{"cluster_id"}, Action: store.DropWithMerge},
		store.OrgReference{Owner: "projects", Table: "organisation_invitations", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
