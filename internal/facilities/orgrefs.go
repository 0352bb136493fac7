package facilities

import "github.com/escnet/escnet/internal/store"

// A booking is made for an organisation; a merge moves it to the
// organisation kept.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "facilities", Table: "bookings", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
