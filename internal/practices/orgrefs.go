package practices

import "github.com/escnet/escnet/internal/store"

// An entry and its shareable summary belong to their organisation; a
// merge moves them to the organisation kept, so no lesson is lost.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "practices", Table: "practice_entries", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "practices", Table: "practice_summaries", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
