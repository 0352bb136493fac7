package demo

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/calls"
)

// The demonstration calls are modelled on Horizon Europe Cluster 3
// ("Civil security for society") topics: their conditions are written
// the way the Funding & Tenders portal writes them, and the rules are
// read from that text when the demo loads, by the same parser as an
// import. They are not real calls: their identifiers start with DEMO-
// and they have no portal address. The demo does not read the topic
// export in ../shared; `escnet import calls FILE` does.

// conditions wraps a topic's extra eligibility conditions in the
// portal's numbered sections.
func conditions(extra string) string {
	return "General conditions1. Admissibility Conditions: Proposal page limit and layoutdescribed in Annex A and Annex E of the Horizon Europe Work Programme General Annexes." +
		"2. Eligible Countriesdescribed in Annex B of the Work Programme General Annexes." +
		"3. Other Eligible Conditions" + extra +
		"4. Financial and operational capacity and exclusiondescribed in Annex C of the Work Programme General Annexes." +
		"5a. Evaluation and award: Award criteria, scoring and thresholdsare described in Annex D of the Work Programme General Annexes."
}

// Sentences the portal repeats across Cluster 3 topics.
const (
	practitionerTable = "For these participants, applicants must fill in the table “Information about security practitioners” in the application form with all the requested information, following the template provided in the submission IT tool."
	chinaControl      = "In line with the “restriction on control in innovation actions in critical technology areas” delineated in General Annex B of the General Annexes, entities established in an eligible country but which are directly or indirectly controlled by China or by a legal entity established in China are not eligible to participate in the action."
	satelliteData     = "If projects use satellite-based earth observation, positioning, navigation and/or related timing data and services, beneficiaries must make use of Copernicus and/or Galileo/EGNOS (other data and services may additionally be used)."
)

// Calls returns the demonstration call topics, without rules: Load reads
// them from the conditions.
func Calls() []calls.Call {
	return []calls.Call{
		{
			ID:             "DEMO-CL3-2027-01-BM-01",
			Title:          "Situational awareness at the external land and sea borders with unmanned systems",
			Programme:      "Horizon Europe",
			CallIdentifier: "DEMO-CL3-2027-01",
			ActionType:     "IA",
			Stage:          "single-stage",
			Deadline:       "2027-03-11",
			BudgetMin:      600_000_000,
			BudgetMax:      600_000_000,
			ExpectedGrants: 2,
			Keywords:       []string{"Border surveillance", "Unmanned aerial systems", "Maritime situational awareness", "Sensor fusion"},
			Description: "Expected Outcome: Projects are expected to contribute to all of the following outcomes: " +
				"Border and coast guard authorities detect, track and identify small vessels and low-flying aircraft earlier, in all weather, day and night. " +
				"Unmanned aerial and surface systems share one operational picture with fixed sensors and command centres across borders. " +
				"Solutions respect fundamental rights and data protection by design and are validated in at least two operational trials.\n" +
				"Scope: Irregular crossings and smuggling increasingly use small, fast and low-signature platforms. " +
				"Proposals should integrate long-endurance unmanned systems, passive sensors and AI-supported sensor fusion into the surveillance systems border guards already use, " +
				"test them at a land border and at a sea border, and prepare their uptake by the authorities involved. " +
				"Coordination with EUROSUR and the European Border and Coast Guard Agency is expected. " +
				"This is a demonstration topic of escnet, modelled on Horizon Europe Cluster 3; it is not a real call.",
			Conditions: conditions("The following additional eligibility criteria apply:" +
				"This topic requires the active involvement, as beneficiaries, of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated Countries. " +
				practitionerTable + chinaControl + satelliteData),
		},
		{
			ID:             "DEMO-CL3-2027-01-DRS-01",
			Title:          "First-responder technologies for large-scale floods and wildfires",
			Programme:      "Horizon Europe",
			CallIdentifier: "DEMO-CL3-2027-01",
			ActionType:     "IA",
			Stage:          "single-stage",
			Deadline:       "2027-03-11",
			BudgetMin:      400_000_000,
			BudgetMax:      400_000_000,
			ExpectedGrants: 2,
			Keywords:       []string{"Disaster resilience", "First responders", "Floods", "Wildfires", "Interoperability"},
			Description: "Expected Outcome: Projects are expected to contribute to some of the following outcomes: " +
				"First responders from several countries work together in one incident with interoperable communication and shared situational information. " +
				"Fire brigades, medical emergency services and civil protection units have tested tools for search and rescue in flooded and burning areas. " +
				"Volunteers and citizens receive timely, understandable warnings and instructions.\n" +
				"Scope: Climate change makes floods and wildfires larger, longer and more often cross-border. " +
				"Proposals should develop and validate, with the first responders who will use them, technologies such as drones for reconnaissance, " +
				"wearable sensors for responders' safety and decision support fed by earth observation, and train responders to use them in joint exercises. " +
				"This is a demonstration topic of escnet, modelled on Horizon Europe Cluster 3; it is not a real call.",
			Conditions: conditions("The following additional eligibility criteria apply:" +
				"This topic requires the active involvement, as beneficiaries, of at least 3 first responders’ organisations from at least 3 different EU Member States or Associated Countries. " +
				practitionerTable +
				"At least one of these organisations should rely mainly on volunteers." + satelliteData),
		},
		{
			ID:             "DEMO-CL3-2026-02-CS-01",
			Title:          "Cyber ranges and exercises for SMEs and operators of critical infrastructure",
			Programme:      "Horizon Europe",
			CallIdentifier: "DEMO-CL3-2026-02",
			ActionType:     "RIA",
			Stage:          "single-stage",
			Deadline:       "2026-09-15",
			BudgetMin:      300_000_000,
			BudgetMax:      400_000_000,
			ExpectedGrants: 3,
			Keywords:       []string{"Cybersecurity", "Cyber ranges", "Training and exercises", "SMEs", "Critical infrastructure"},
			Description: "Expected Outcome: Projects are expected to contribute to all of the following outcomes: " +
				"SMEs and operators of critical infrastructure train their staff on realistic, sector-specific attack scenarios at an affordable cost. " +
				"Cyber ranges in different Member States federate, so that scenarios, tools and results can be shared.\n" +
				"Scope: Proposals should develop open scenario libraries and exercise tooling for federated cyber ranges, " +
				"run cross-border exercises with SMEs and operators from at least two sectors, and measure how the exercises improve incident response. " +
				"This is a demonstration topic of escnet, modelled on Horizon Europe Cluster 3; it is not a real call.",
			Conditions: conditions("In order to achieve the expected outcomes, and safeguard the Union’s strategic assets, interests, autonomy, and security, " +
				"participation in this topic is limited to legal entities established in Member States and Associated Countries. " +
				"In order to guarantee the protection of the strategic interests of the Union and its Member States, entities established in an eligible country listed above, " +
				"but which are directly or indirectly controlled by a non-eligible country or by a non-eligible country entity, shall not participate in the action." +
				"The consortium must include at least 1 SME."),
		},
		{
			ID:             "DEMO-CL3-2027-01-FCT-01",
			Title:          "Community policing and trust in diverse neighbourhoods",
			Programme:      "Horizon Europe",
			CallIdentifier: "DEMO-CL3-2027-01",
			ActionType:     "RIA",
			Stage:          "single-stage",
			Deadline:       "2027-09-23",
			BudgetMin:      300_000_000,
			BudgetMax:      300_000_000,
			ExpectedGrants: 2,
			Keywords:       []string{"Community policing", "Trust", "Social cohesion", "Crime prevention"},
			Description: "Expected Outcome: Projects are expected to contribute to all of the following outcomes: " +
				"Police authorities and communities build trust through shared, evidence-based practices. " +
				"Civil society organisations take part in designing and evaluating local safety strategies.\n" +
				"Scope: Proposals should compare community policing practices across Europe, co-design improvements with residents, " +
				"and pilot them in at least three cities. " +
				"This is a demonstration topic of escnet, modelled on Horizon Europe Cluster 3; it is not a real call.",
			Conditions: conditions("The following additional eligibility criteria apply:" +
				"This topic requires the active involvement, as beneficiaries, of at least 3 Police Authorities and at least 2 Civil Society Organisations (or Non-Governmental Organisations) " +
				"from at least 3 different EU Member States or Associated Countries. " + practitionerTable),
		},
	}
}

// loadCalls reads the rules of the demonstration calls from their
// conditions and stores them through the calls' rules, like an import.
func loadCalls(ctx context.Context, s calls.Store) (int, error) {
	cs := Calls()
	for i := range cs {
		cs[i].ReadConditions()
	}
	n, err := calls.NewService(s).Import(ctx, cs)
	if err != nil {
		return 0, fmt.Errorf("demo calls: %w", err)
	}
	return n.New + n.Updated + n.Unchanged, nil
}
