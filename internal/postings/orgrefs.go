package postings

import "github.com/escnet/escnet/internal/store"

// Postings and interests name an organisation; a merge moves them to the
// organisation kept.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "postings", Table: "postings", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "postings", Table: "posting_interests", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
