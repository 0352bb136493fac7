package match

import (
	"slices"
	"testing"
)

func reasonOf(r Ranked, kind string) Reason {
	for _, re := range r.Reasons {
		if re.Kind == kind {
			return re
		}
	}
	return Reason{}
}

// TestReasonsCarryWhatTheySay checks the structured fields of reasons,
// which pages use to write them in other languages: each holds the
// numbers and names its English text gives.
func TestReasonsCarryWhatTheySay(t *testing.T) {
	ix := build(t)
	res, err := ix.Rank(Query{Text: "crisis communication for first responders", Lead: "lead", Locked: []string{"drone"}})
	if err != nil {
		t.Fatal(err)
	}
	fire := find(t, res.Orgs, "fire")
	sim := reasonOf(fire, ReasonSimilarProjects)
	if sim.Count != 2 || !slices.Equal(sim.Projects, []string{"ALERT, 2016"}) || len(sim.Words) == 0 {
		t.Errorf("similar projects reason = %+v, want count 2, best ALERT, 2016 and the shared words", sim)
	}
	ww := reasonOf(fire, ReasonWorkedWith)
	if ww.Who != WhoLead || ww.Count != 1 || !slices.Equal(ww.Projects, []string{"CRISCOM, 2014"}) || ww.Names != nil {
		t.Errorf("worked-with reason = %+v, want once with the lead on CRISCOM, 2014", ww)
	}
	police := find(t, res.Orgs, "police-fi")
	if pw := reasonOf(police, ReasonWorkedWith); pw.Who != WhoPartner || !slices.Equal(pw.Names, []string{"DroneWorks"}) || pw.Count != 1 {
		t.Errorf("police-fi worked-with reason = %+v, want once with the locked DroneWorks", pw)
	}
	if tr := reasonOf(fire, ReasonTrackRecord); tr.Count != 2 {
		t.Errorf("track record reason = %+v, want 2 projects", tr)
	}

	res, err = ix.Rank(Query{Text: "counter-drone systems"})
	if err != nil {
		t.Fatal(err)
	}
	declared := find(t, res.Orgs, "declared")
	d := reasonOf(declared, ReasonCapability)
	if !slices.Equal(d.Codes, []string{"counter-uas"}) || !slices.Equal(d.Needs, []string{"counter-uas"}) ||
		!slices.Equal(d.Names, []string{"Counter-drone systems"}) || !slices.Equal(res.Needs, []string{"counter-uas"}) {
		t.Errorf("capability reason = %+v (needs %v), want the capability's code, the need and the English label", d, res.Needs)
	}
	if re := reasonOf(declared, ReasonDeclared); len(re.Codes) > 0 {
		t.Errorf("the capability is said twice: %+v", re)
	}
	if cl := reasonOf(declared, ReasonCluster); !slices.Equal(cl.Names, []string{"TSS"}) {
		t.Errorf("cluster reason = %+v, want TSS", cl)
	}
	if !declared.SME {
		t.Error("declared: SME not set on the ranked organisation")
	}
}
