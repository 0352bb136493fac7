package exchanges

import "github.com/escnet/escnet/internal/store"

// Offers, requests and applications name a host or home organisation; a
// merge moves them to the organisation kept.
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "exchanges", Table: "exchange_offers", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "exchanges", Table: "exchange_requests", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "exchanges", Table: "exchange_applications", Column: "guest_org_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
