package access

import "slices"

// Cases of the contact point (docs/access.md, "Questions to the
// alliance"). A case is TLP:AMBER by default and is seen by the desk of the
// cluster that holds it (its managers and the desk staff they name), the
// desk of a cluster it is being handed to, the experts assigned to it, and
// the alliance administrator; nobody else, whatever their role. The
// requester follows their case through a private link, not an account.

// Case is what the policy needs to know about a case.
type Case struct {
	ClusterID string
	HandoffTo string   // cluster the case is offered to, if any
	Experts   []string // person ids of experts assigned and not declined
	TLP       string
}

// Desk is the viewer's desk membership: the clusters whose desk they staff
// (named desk staff; managers are desk by their role).
type Desk struct {
	Clusters []string
}

// DeskOf reports whether v (with the named desk clusters d) works the desk
// of cluster c.
func DeskOf(v Viewer, d Desk, cluster string) bool {
	if v.Anonymous() || cluster == "" {
		return false
	}
	return slices.Contains(v.ManagedClusters, cluster) || slices.Contains(d.Clusters, cluster)
}

// CanSeeCase reports whether v may read case c: its desk, the desk it is
// offered to, its assigned experts and the alliance administrator. RED
// cases never appear in bulk reads (exports).
func CanSeeCase(v Viewer, d Desk, c Case, bulk bool) bool {
	if v.Anonymous() {
		return false
	}
	if bulk && c.TLP == TLPRed {
		return false
	}
	if v.AllianceAdmin || DeskOf(v, d, c.ClusterID) || DeskOf(v, d, c.HandoffTo) {
		return true
	}
	return v.PersonID != "" && slices.Contains(c.Experts, v.PersonID)
}

// CanTriageCase reports whether v may triage c (assign, hand off, merge,
// close as spam, write internal notes): the holding cluster's desk and the
// alliance administrator.
func CanTriageCase(v Viewer, d Desk, c Case) bool {
	return v.WriteAllowed && (v.AllianceAdmin || DeskOf(v, d, c.ClusterID))
}

// CanTakeHandoff reports whether v may accept or return a case offered to
// another cluster: that cluster's desk and the alliance administrator.
func CanTakeHandoff(v Viewer, d Desk, c Case) bool {
	return v.WriteAllowed && c.HandoffTo != "" && (v.AllianceAdmin || DeskOf(v, d, c.HandoffTo))
}

// CanAnswerCase reports whether v may write to the requester in c: the
// desk, the assigned experts and the alliance administrator.
func CanAnswerCase(v Viewer, d Desk, c Case) bool {
	return v.WriteAllowed && CanSeeCase(v, d, c, false) && (c.HandoffTo == "" || !DeskOf(v, d, c.HandoffTo) || DeskOf(v, d, c.ClusterID) || v.AllianceAdmin)
}

// CanManageDesk reports whether v may name the desk staff of a cluster:
// its managers and the alliance administrator.
func CanManageDesk(v Viewer, cluster string) bool {
	return v.WriteAllowed && (v.AllianceAdmin || slices.Contains(v.ManagedClusters, cluster))
}
