// Package access is the one place that decides who sees and who changes
// what. Every read path (pages, API, search, exports, counts, suggestions)
// asks it: lists through a Scope that the store turns into a WHERE clause,
// single records through CanSee. docs/access.md states the same rules in
// words, and the authorization test checks the two agree.
package access

import (
	"context"
	"slices"
)

// Visibility levels, from narrowest to widest.
const (
	Organisation = "organisation" // people of the owning organisation
	Cluster      = "cluster"      // people of organisations sharing a cluster with the owner
	Alliance     = "alliance"     // every signed-in member of the alliance
	Public       = "public"       // anyone, also without an account
)

// Levels lists the visibility levels from narrowest to widest.
var Levels = []string{Organisation, Cluster, Alliance, Public}

// Traffic Light Protocol labels (FIRST TLP 2.0).
const (
	TLPClear       = "CLEAR"
	TLPGreen       = "GREEN"
	TLPAmber       = "AMBER"
	TLPAmberStrict = "AMBER+STRICT"
	TLPRed         = "RED"
)

// TLPs lists the labels from least to most restrictive.
var TLPs = []string{TLPClear, TLPGreen, TLPAmber, TLPAmberStrict, TLPRed}

// Reach is a visibility level as a number, so that stores can compare
// (0 organisation … 3 public).
type Reach int

// LevelReach returns the reach of a visibility level (-1 if unknown).
func LevelReach(level string) Reach { return Reach(slices.Index(Levels, level)) }

// tlpCap is the widest reach a TLP label allows. GREEN is for the
// community, never the public; AMBER for the organisations that need it,
// here those sharing a cluster; AMBER+STRICT and RED stay in the owning
// organisation.
func tlpCap(tlp string) Reach {
	switch tlp {
	case TLPGreen:
		return 2
	case TLPAmber:
		return 1
	case TLPAmberStrict, TLPRed:
		return 0
	}
	return 3
}

// EffectiveReach combines a record's visibility with its TLP label: the
// narrower of the two wins.
func EffectiveReach(visibility, tlp string) Reach {
	return min(LevelReach(visibility), tlpCap(tlp))
}

// Viewer is who is asking. The zero value is an anonymous visitor.
type Viewer struct {
	UserID          string
	Email           string
	PersonID        string   // the directory person linked to the account
	OrganisationID  string   // the organisation the user belongs to
	Clusters        []string // clusters the user's organisation is a member of
	AllianceAdmin   bool
	ManagedClusters []string // clusters the user manages
	OrgAdmin        bool     // administrator of OrganisationID
	// WriteAllowed is false for read-only API tokens.
	WriteAllowed bool
}

// Anonymous reports whether nobody is signed in.
func (v Viewer) Anonymous() bool { return v.UserID == "" }

// Role names the viewer's highest role, for logs and the interface.
func (v Viewer) Role() string {
	switch {
	case v.Anonymous():
		return "anonymous"
	case v.AllianceAdmin:
		return "alliance_admin"
	case len(v.ManagedClusters) > 0:
		return "cluster_manager"
	case v.OrgAdmin:
		return "organisation_admin"
	}
	return "member"
}

// Scope is what a viewer may see, in the form a store can turn into a
// condition: a record is visible when All is set, or its effective reach is
// at least MinReach, or its owner is in Orgs, or its reach is at least
// cluster and its owner is a member of one of Clusters.
type Scope struct {
	All      bool
	MinReach Reach
	Orgs     []string
	Clusters []string
	// UnlistedOrgs are organisations whose people the viewer sees even
	// when they did not agree to be listed (their administrators).
	UnlistedOrgs []string
	// PersonID is the viewer's own person record, always visible to them.
	PersonID string
	// Bulk marks exports and feeds: RED records never appear there.
	Bulk bool
	// Facilities are facility ids the viewer may see whatever their
	// level: those a signed exchange stay grants the guest today (set
	// by the facilities service, internal/facilities/stays.go).
	Facilities []string
}

// ScopeOf returns the scope of v.
func ScopeOf(v Viewer) Scope {
	if v.AllianceAdmin {
		return Scope{All: true}
	}
	if v.Anonymous() {
		return Scope{MinReach: 3}
	}
	s := Scope{MinReach: 2, PersonID: v.PersonID}
	if v.OrganisationID != "" {
		s.Orgs = []string{v.OrganisationID}
		if v.OrgAdmin {
			s.UnlistedOrgs = []string{v.OrganisationID}
		}
	}
	s.Clusters = append(slices.Clone(v.Clusters), v.ManagedClusters...)
	slices.Sort(s.Clusters)
	s.Clusters = slices.Compact(s.Clusters)
	return s
}

// ForBulk returns the scope for an export or a feed.
func (s Scope) ForBulk() Scope {
	s.Bulk = true
	return s
}

// Record is what the policy needs to know about a shareable record.
type Record struct {
	OwnerOrg      string   // owning organisation
	OwnerClusters []string // clusters the owning organisation is a member of
	Visibility    string
	TLP           string
	// PersonID and Listed apply to person records: an unlisted person is
	// hidden from everyone but themself, their organisation's
	// administrators and alliance administrators.
	PersonID string
	Unlisted bool
}

// CanSee reports whether the scope lets its viewer see r.
func (s Scope) CanSee(r Record) bool {
	if s.Bulk && r.TLP == TLPRed {
		return false
	}
	if s.All {
		return true
	}
	if r.Unlisted && r.PersonID != s.PersonID && !slices.Contains(s.UnlistedOrgs, r.OwnerOrg) {
		return false
	}
	if r.PersonID != "" && r.PersonID == s.PersonID {
		return true
	}
	reach := EffectiveReach(r.Visibility, r.TLP)
	if reach >= s.MinReach || slices.Contains(s.Orgs, r.OwnerOrg) {
		return true
	}
	if reach >= 1 {
		for _, c := range r.OwnerClusters {
			if slices.Contains(s.Clusters, c) {
				return true
			}
		}
	}
	return false
}

// CanSee is ScopeOf(v).CanSee(r).
func CanSee(v Viewer, r Record) bool { return ScopeOf(v).CanSee(r) }

// CanEditOrganisationRecord reports whether v may change a record owned by
// an organisation (the organisation itself, its people, its facilities):
// alliance administrators; administrators of the owning organisation;
// managers of a cluster the owner belongs to.
func CanEditOrganisationRecord(v Viewer, r Record) bool {
	if v.Anonymous() || !v.WriteAllowed {
		return false
	}
	if v.AllianceAdmin || (v.OrgAdmin && v.OrganisationID == r.OwnerOrg) {
		return true
	}
	for _, c := range r.OwnerClusters {
		if slices.Contains(v.ManagedClusters, c) {
			return true
		}
	}
	return false
}

// CanEditPerson reports whether v may change a person record: those who may
// edit the organisation's records, and the person themself.
func CanEditPerson(v Viewer, r Record) bool {
	if v.WriteAllowed && !v.Anonymous() && r.PersonID != "" && r.PersonID == v.PersonID {
		return true
	}
	return CanEditOrganisationRecord(v, r)
}

// CanEditCluster reports whether v may change a cluster's own record.
func CanEditCluster(v Viewer, clusterID string) bool {
	return v.WriteAllowed && (v.AllianceAdmin || slices.Contains(v.ManagedClusters, clusterID))
}

// CanManageAlliance reports whether v may create or delete clusters, edit
// the capability taxonomy, manage roles and read the audit log.
func CanManageAlliance(v Viewer) bool { return v.WriteAllowed && v.AllianceAdmin }

// CanReadAudit reports whether v may read the audit log.
func CanReadAudit(v Viewer) bool { return v.AllianceAdmin }

// CanCreateOrganisation reports whether v may add an organisation that will
// be a member of the given clusters: alliance administrators, and managers
// of one of those clusters.
func CanCreateOrganisation(v Viewer, clusters []string) bool {
	if !v.WriteAllowed || v.Anonymous() {
		return false
	}
	if v.AllianceAdmin {
		return true
	}
	for _, c := range clusters {
		if slices.Contains(v.ManagedClusters, c) {
			return true
		}
	}
	return false
}

// CanWiden reports whether v may change a record's effective reach (its
// visibility combined with its TLP label) from one value to another. Only
// the owner decides to share more: the owning organisation's
// administrators (and the person themself for their own record). Anyone
// who may edit the record may narrow it.
func CanWiden(v Viewer, r Record, from, to Reach) bool {
	if to <= from {
		return true
	}
	if r.PersonID != "" && r.PersonID == v.PersonID {
		return true
	}
	return v.OrgAdmin && v.OrganisationID == r.OwnerOrg
}

// CanInvite reports whether v may invite people into organisation org
// whose clusters are given.
func CanInvite(v Viewer, org string, orgClusters []string) bool {
	return CanEditOrganisationRecord(v, Record{OwnerOrg: org, OwnerClusters: orgClusters})
}

type scopeKey struct{}

// WithScope returns ctx carrying the scope that store reads apply.
func WithScope(ctx context.Context, s Scope) context.Context {
	return context.WithValue(ctx, scopeKey{}, s)
}

// System is the scope of the application itself (migrations, imports, the
// command line): it sees everything.
var System = Scope{All: true}

// ScopeFrom returns the scope in ctx. Without one, it is an anonymous
// visitor's: forgetting to set a scope shows less, never more.
func ScopeFrom(ctx context.Context) Scope {
	if s, ok := ctx.Value(scopeKey{}).(Scope); ok {
		return s
	}
	return Scope{MinReach: 3}
}
