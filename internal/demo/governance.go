package demo

import (
	"context"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/governance"
)

// PendingApplication is the demonstration's application to join, from a
// fictitious cluster: it meets the criteria on members and helices but
// not on staff (0.4 of a full-time equivalent, where 0.5 is asked).
func PendingApplication() governance.Application {
	return governance.Application{Kind: governance.KindCluster, Name: "Adriatic Resilience Cluster (fictitious)", Slug: "adriatic-resilience",
		Country: "HR", City: "Split", Description: "A fictitious cluster for the demonstration: ports, coastal tourism and civil protection working on resilience to floods, fires and cyber attacks.",
		Themes: []string{}, Organisation: "Adriatic Resilience Association (fictitious)",
		Members:  governance.Members{Companies: 14, SMEs: 11, Knowledge: 3, Government: 2, Practitioners: 2, Total: 21},
		StaffFTE: 40, Contact: governance.Contact{Name: "Ana Kovač", Email: "ana.kovac@adriatic-resilience.example"},
		Letter: "The Adriatic Resilience Cluster intends to join the European alliance of safety & security clusters, to share test facilities and prepare joint EU proposals on coastal resilience."}
}

// LoadGovernance submits the pending application; it returns how many
// applications it stored.
func LoadGovernance(ctx context.Context, gov *governance.Service) (int, error) {
	a := PendingApplication()
	if _, err := gov.Submit(access.AsSystem(ctx), &a); err != nil {
		return 0, err
	}
	return 1, nil
}
