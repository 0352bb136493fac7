package accounts

import "github.com/escnet/escnet/internal/store"

// Accounts and invitations belong to an organisation; a merge moves them
// to the organisation kept (an administrator of the duplicate becomes one
// of the organisation kept: they are the same organisation).
func init() {
	store.DeclareOrgReferences(
		store.OrgReference{Owner: "accounts", Table: "users", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		store.OrgReference{Owner: "accounts", Table: "invitations", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
	)
}
