package access

// CanEditCalls reports whether v may create, change and delete calls and
// correct their eligibility rules: alliance administrators and cluster
// managers, who prepare proposals with their members. Calls are public
// records, so reading them needs no check.
func CanEditCalls(v Viewer) bool {
	return v.WriteAllowed && !v.Anonymous() && (v.AllianceAdmin || len(v.ManagedClusters) > 0)
}
