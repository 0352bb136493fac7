package access

import "testing"

// TestCaseRule: a case is seen by its desk, the desk it is offered to,
// its active experts and the alliance administrator; triage is the
// holding desk's; RED cases stay out of bulk reads.
func TestCaseRule(t *testing.T) {
	c := Case{ClusterID: "flanders", HandoffTo: "censec", Experts: []string{"kees"}, TLP: TLPAmber}
	w := func(v Viewer) Viewer { v.WriteAllowed = true; return v }
	cases := []struct {
		name               string
		v                  Viewer
		d                  Desk
		see, triage, takes bool
	}{
		{"anonymous", Viewer{}, Desk{}, false, false, false},
		{"member of a member organisation", w(Viewer{UserID: "u", OrganisationID: "o", Clusters: []string{"flanders"}}), Desk{}, false, false, false},
		{"organisation administrator", w(Viewer{UserID: "u", OrganisationID: "o", OrgAdmin: true, Clusters: []string{"flanders"}}), Desk{}, false, false, false},
		{"manager of the holding cluster", w(Viewer{UserID: "u", ManagedClusters: []string{"flanders"}}), Desk{}, true, true, false},
		{"named desk staff", w(Viewer{UserID: "u"}), Desk{Clusters: []string{"flanders"}}, true, true, false},
		{"manager of the cluster it is offered to", w(Viewer{UserID: "u", ManagedClusters: []string{"censec"}}), Desk{}, true, false, true},
		{"manager of another cluster", w(Viewer{UserID: "u", ManagedClusters: []string{"kit"}}), Desk{}, false, false, false},
		{"assigned expert", w(Viewer{UserID: "u", PersonID: "kees"}), Desk{}, true, false, false},
		{"alliance administrator", w(Viewer{UserID: "u", AllianceAdmin: true}), Desk{}, true, true, true},
		{"read-only token of the manager", Viewer{UserID: "u", ManagedClusters: []string{"flanders"}}, Desk{}, true, false, false},
	}
	for _, tc := range cases {
		if got := CanSeeCase(tc.v, tc.d, c, false); got != tc.see {
			t.Errorf("%s sees = %v, want %v", tc.name, got, tc.see)
		}
		if got := CanTriageCase(tc.v, tc.d, c); got != tc.triage {
			t.Errorf("%s triages = %v, want %v", tc.name, got, tc.triage)
		}
		if got := CanTakeHandoff(tc.v, tc.d, c); got != tc.takes {
			t.Errorf("%s takes the hand-off = %v, want %v", tc.name, got, tc.takes)
		}
	}
	red := c
	red.TLP = TLPRed
	if CanSeeCase(Viewer{UserID: "u", AllianceAdmin: true}, Desk{}, red, true) {
		t.Error("a RED case appears in a bulk read")
	}
}
