package match

import (
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/directory"
)

// taxonomyFixture is a piece of the taxonomy: drones, counter-drone
// systems under it, and an unrelated capability.
func taxonomyFixture() Snapshot {
	label := func(en string) map[string]string { return map[string]string{"en": en} }
	orgs := []Org{
		{ID: "broad", Name: "Broad Drones", Kind: directory.KindCompany, Country: "NL",
			Capabilities: []Capability{{Code: "drones", Labels: label("Drones and unmanned systems")}}},
		{ID: "exact", Name: "Exact Counter", Kind: directory.KindCompany, Country: "DE",
			Capabilities: []Capability{{Code: "drones.counter-drone", Labels: label("Counter-drone systems")}}},
		{ID: "narrow", Name: "Narrow Jammers", Kind: directory.KindCompany, Country: "FR",
			Capabilities: []Capability{{Code: "drones.counter-drone.jamming", Labels: label("Radio jamming")}}},
		{ID: "other", Name: "Other Cyber", Kind: directory.KindCompany, Country: "BE",
			Capabilities: []Capability{{Code: "cybersecurity", Labels: label("Cybersecurity")}}},
		{ID: "police", Name: "Some Police", Kind: directory.KindPublicBody, Roles: []string{directory.RolePolice}, Country: "BE"},
	}
	return Snapshot{Orgs: orgs}
}

func TestCapabilitiesCountByTheirPlaceInTheTaxonomy(t *testing.T) {
	ix, err := Build(taxonomyFixture(), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// Needed: counter-drone systems, named in the text. The exact one
	// first, then the narrower one under it, then the broader one above;
	// the unrelated one not at all.
	res, err := ix.Rank(Query{Text: "we need counter-drone systems for the airport"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Orgs); len(got) < 3 || !slices.Equal(got[:3], []string{"exact", "narrow", "broad"}) || slices.Contains(got, "other") {
		t.Fatalf("ranking %v, want exact, narrow, broad and not other", got)
	}
	if !slices.Equal(res.Needs, []string{"drones.counter-drone"}) {
		t.Errorf("needs %v", res.Needs)
	}
	narrow := reasonOf(find(t, res.Orgs, "narrow"), ReasonCapability)
	if !slices.Equal(narrow.Codes, []string{"drones.counter-drone.jamming"}) || !slices.Equal(narrow.Needs, []string{"drones.counter-drone"}) ||
		!strings.Contains(narrow.Text, "Radio jamming (for Counter-drone systems)") {
		t.Errorf("narrow's reason %+v", narrow)
	}
	// Needed by code (a tagged call), without the words.
	res, err = ix.Rank(Query{Text: "airport protection", Needs: []string{"drones", "no-such-code"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(res.Orgs); len(got) < 3 || got[0] != "broad" || !slices.Equal(res.Needs, []string{"drones"}) {
		t.Errorf("tagged need: ranking %v, needs %v; want broad first and the unknown code dropped", got, res.Needs)
	}
}

// TestCompoundLabels: a Dutch or German one-word label is found where a
// text writes it in two words.
func TestCompoundLabels(t *testing.T) {
	s := taxonomyFixture()
	s.Orgs[1].Capabilities[0].Labels["nl"] = "Dronebestrijding"
	s.Orgs[1].Capabilities[0].Labels["de"] = "Drohnenabwehr"
	ix, err := Build(s, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Drone-detectie en -bestrijding rond luchthavens", "Die Abwehr von Drohnen an Flughäfen", "Drohnen-Abwehr"} {
		res, err := ix.Rank(Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(res.Needs, "drones.counter-drone") || len(res.Orgs) == 0 || res.Orgs[0].ID != "exact" {
			t.Errorf("%q: needs %v, ranking %v", text, res.Needs, ids(res.Orgs))
		}
	}
	if res, _ := ix.Rank(Query{Text: "drone detectie"}); slices.Contains(res.Needs, "drones.counter-drone") {
		t.Errorf("half a compound counted: %v", res.Needs)
	}
}

func TestRolesNamedInTheTextAreAskedFor(t *testing.T) {
	ix, err := Build(taxonomyFixture(), BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Rank(Query{CallTitle: "Community policing\nPolice authorities, Security", CallText: "Expected Outcome: better cooperation."})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Orgs) == 0 || res.Orgs[0].ID != "police" || !slices.Equal(res.Prefer, []string{directory.RolePolice}) {
		t.Fatalf("ranking %v (prefer %v), want the police first", ids(res.Orgs), res.Prefer)
	}
	if fit := reasonOf(res.Orgs[0], ReasonFit); !slices.Equal(fit.Types, []string{directory.RolePolice}) {
		t.Errorf("fit reason %+v, want the police role", fit)
	}
}

// TestCallTemplateNeverCounts: the words of the call template, the
// destination's name, links, footnotes and topic identifiers are no
// evidence, in the words shown or in the projects found.
func TestCallTemplateNeverCounts(t *testing.T) {
	ix := build(t)
	call := "Expected Outcome:Project results are expected to contribute to some or all of the following expected outcomes: " +
		"a non-exhaustive list of examples.[1] Scope:Proposals should address the Destination; coordination with " +
		"HORIZON-CL3-2025-01-FCT-01 and https://ec.europa.eu/info/funding-tenders/opportunities is envisaged. " +
		"Activities are expected to achieve TRL 6-8 by the end of the project – see General Annex B."
	res, err := ix.Rank(Query{CallTitle: "Crisis communication", CallText: call})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range res.Terms {
		for _, bad := range []string{"expected", "outcome", "outcomes", "destination", "proposals", "scope", "fct", "horizon",
			"trl", "annex", "https", "europa", "contribute", "envisaged"} {
			if w == bad {
				t.Errorf("template word %q counted: %v", w, res.Terms)
			}
		}
	}
	if len(res.Orgs) == 0 || !slices.Contains(ids(res.Orgs)[:min(3, len(res.Orgs))], "uni") {
		t.Errorf("the subject (crisis communication) no longer finds its partners: %v", ids(res.Orgs))
	}
	// The template alone finds nothing.
	if _, err := ix.Rank(Query{CallText: call}); err == nil {
		res, _ := ix.Rank(Query{CallText: call})
		if len(res.Terms) > 3 {
			t.Errorf("the template alone counted words %v", res.Terms)
		}
	}
}
