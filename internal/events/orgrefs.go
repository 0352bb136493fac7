package events

import "github.com/escnet/escnet/internal/store"

// A registration names the organisation its attendee acts for (for the
// meeting suggestions); a merge moves it to the organisation kept.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "events", Table: "registrations", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
