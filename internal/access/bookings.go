package access

import "slices"

// Bookings of shared facilities are between the requester and the
// facility's owner: docs/access.md, "Bookings", states these rules in
// words. A booking is only ever reached through a facility the viewer may
// see; these functions decide the rest.

// Facility is what the booking rules need to know about a facility.
type Facility struct {
	Record
	ID        string
	ClusterID string // the facility's own cluster, if any
}

// CanBook reports whether v may book a resource of facility f (which v
// can see) for organisation org: signed-in members for their own
// organisation; those who may change org's records (its administrators,
// managers of its clusters, alliance administrators) on its behalf.
func CanBook(v Viewer, org string, orgClusters []string) bool {
	if v.Anonymous() || !v.WriteAllowed || org == "" {
		return false
	}
	return v.OrganisationID == org || CanEditOrganisationRecord(v, Record{OwnerOrg: org, OwnerClusters: orgClusters})
}

// CanApproveBookings reports whether v may approve, decline and complete
// the bookings of facility f: its named approvers (named), the
// administrators of the owning organisation, managers of the facility's
// cluster or of a cluster the owner belongs to, alliance administrators.
// Approval thus crosses organisations: a cluster's manager or a named
// colleague elsewhere in the cluster decides for the owner.
func CanApproveBookings(v Viewer, f Facility, named bool) bool {
	if v.Anonymous() || !v.WriteAllowed {
		return false
	}
	if named || v.AllianceAdmin || (v.OrgAdmin && v.OrganisationID == f.OwnerOrg) {
		return true
	}
	if f.ClusterID != "" && slices.Contains(v.ManagedClusters, f.ClusterID) {
		return true
	}
	return slices.ContainsFunc(f.OwnerClusters, func(c string) bool { return slices.Contains(v.ManagedClusters, c) })
}

// BookingParty is what the rules need to know about a booking.
type BookingParty struct {
	RequesterID    string
	OrganisationID string // the booking organisation
}

// CanSeeBooking reports whether v may see booking b of a facility v can
// see: its requester, the administrators of the booking organisation, and
// those who may approve the facility's bookings (approver). Everyone else
// sees only that the slot is taken.
func CanSeeBooking(v Viewer, b BookingParty, approver bool) bool {
	if v.Anonymous() {
		return false
	}
	return approver || v.AllianceAdmin || v.UserID == b.RequesterID || (v.OrgAdmin && v.OrganisationID == b.OrganisationID)
}

// CanConfirmOrCancel reports whether v may confirm or cancel booking b on
// the requesting side: the requester and the administrators of the
// booking organisation (approvers may cancel too; see CanApproveBookings).
func CanConfirmOrCancel(v Viewer, b BookingParty) bool {
	if v.Anonymous() || !v.WriteAllowed {
		return false
	}
	return v.AllianceAdmin || v.UserID == b.RequesterID || (v.OrgAdmin && v.OrganisationID == b.OrganisationID)
}
