package match

import (
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
)

// TestConsortiumBudgetRules: for a call that gives at least half of its
// budget to SMEs and caps research organisations and non-SME industry at
// 15% (HORIZON-CL3-2027-01-SSRI-01), every proposal comes with a split
// that meets both, shown per partner, and leans on SMEs rather than on
// several research organisations.
func TestConsortiumBudgetRules(t *testing.T) {
	snap := fixture()
	snap.Orgs = append(snap.Orgs,
		Org{ID: "rto2", Name: "Second Research Institute", Kind: directory.KindResearch, Country: "DE",
			Description: "Crisis communication and drones for first responders."},
		Org{ID: "sme2", Name: "Small Crisis Apps", Kind: directory.KindCompany, SME: true, Country: "ES",
			Description: "Apps for crisis communication."},
		Org{ID: "sme3", Name: "Tiny Sensors", Kind: directory.KindCompany, SME: true, Country: "FR",
			Description: "Sensors for first responders."})
	ix, err := Build(snap, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rules := []calls.Rule{calls.GeneralRule("IA"),
		{Kind: calls.KindMinEntitiesOfType, Count: 2, Types: []string{calls.TypeSME}, CountryScope: calls.ScopeAny, Origin: calls.OriginTopic},
		{Kind: calls.KindMaxBudgetShare, Percent: 15, Types: []string{calls.TypeNonSMEIndustry, calls.TypeResearch}, CountryScope: calls.ScopeAny, Origin: calls.OriginTopic},
		{Kind: calls.KindMinBudgetShare, Percent: 50, Types: []string{calls.TypeSME}, CountryScope: calls.ScopeAny, Origin: calls.OriginTopic},
	}
	const total = 1_500_000_00
	props, err := ix.Consortium(ConsortiumRequest{Query: Query{Text: "crisis communication and drones for first responders", Lead: "lead"},
		Rules: rules, Size: 5, Budget: total})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range props {
		if !calls.Satisfied(p.Results) || !calls.Satisfied(p.Budget.Results) || len(p.Budget.Results) != 2 {
			t.Errorf("proposal %d: results %+v, budget %+v; want every rule met", i, p.Results, p.Budget.Results)
		}
		var sum, smes, capped int64
		research := 0
		for k, m := range p.Members {
			if p.Budget.Shares[k].ID != m.ID || m.BudgetCents != p.Budget.Shares[k].Cents {
				t.Errorf("proposal %d member %s: budget %d, split %+v", i, m.ID, m.BudgetCents, p.Budget.Shares[k])
			}
			sum += m.BudgetCents
			switch {
			case m.SME:
				smes += m.BudgetCents
			case m.Kind == directory.KindResearch || m.Kind == directory.KindCompany:
				capped += m.BudgetCents
				if m.Kind == directory.KindResearch {
					research++
				}
			}
		}
		if sum != total || smes*2 < total || capped*100 > 15*total {
			t.Errorf("proposal %d: split %d (SMEs %d, capped %d) of %d", i, sum, smes, capped, total)
		}
		if research > 1 {
			t.Errorf("proposal %d has %d research organisations sharing 15%% of the budget", i, research)
		}
		if p.Parts.Budget > 0 {
			t.Errorf("proposal %d: budget part %v, want at most 0", i, p.Parts.Budget)
		}
	}
}
