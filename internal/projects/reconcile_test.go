package projects_test

import (
	"fmt"
	"testing"

	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
)

// TestPlanBatch checks the reconciliation rules without a database.
func TestPlanBatch(t *testing.T) {
	row := func(project, pic, name, vat, updated string) cordis.Participation {
		return cordis.Participation{ProjectID: project, PIC: pic, Role: "participant", Name: name, Kind: "company",
			Country: "NL", VAT: vat, Updated: updated}
	}
	ids := 0
	newID := func() string { ids++; return fmt.Sprintf("new-%06d", ids) }
	known := map[string]bool{"p1": true, "p2": true}
	withVAT := projects.DirOrg{ID: "o-vat", Slug: "typed-in", Fields: projects.OrgFields{Name: "Typed In BV", VAT: "NL123"}}
	otherPIC := projects.DirOrg{ID: "o-pic", Slug: "holder", PIC: "111111111", Fields: projects.OrgFields{Name: "Holder", VAT: "NL999"}}
	merged := projects.DirOrg{ID: "o-kept", Slug: "kept", PIC: "222222222", Fields: projects.OrgFields{Name: "Kept"}}

	tests := []struct {
		name  string
		batch []cordis.Participation
		snap  projects.BatchSnapshot
		check func(t *testing.T, p projects.BatchPlan)
	}{
		{"unknown project changes nothing", []cordis.Participation{row("p9", "333333333", "Acme", "", "")},
			projects.BatchSnapshot{Known: known},
			func(t *testing.T, p projects.BatchPlan) {
				if !p.Empty() || len(p.Result.MissingProject) != 1 {
					t.Errorf("plan %+v, want nothing written and one missing project", p)
				}
			}},
		{"a new participant becomes a new organisation with a free slug", []cordis.Participation{row("p1", "333333333", "Acme", "", "")},
			projects.BatchSnapshot{Known: known, Slugs: map[string]bool{"acme": true}},
			func(t *testing.T, p projects.BatchPlan) {
				if len(p.NewOrgs) != 1 || p.NewOrgs[0].Slug == "acme" || p.Result.Organisations.New != 1 || p.Result.Participations.New != 1 {
					t.Errorf("new orgs %+v, result %+v", p.NewOrgs, p.Result)
				}
			}},
		{"links by VAT number to an organisation typed in without a PIC", []cordis.Participation{row("p1", "444444444", "Typed In", "NL123", "")},
			projects.BatchSnapshot{Known: known, Orgs: []projects.DirOrg{withVAT}},
			func(t *testing.T, p projects.BatchPlan) {
				if len(p.NewOrgs) != 0 || p.Result.Linked != 1 || len(p.ChangedOrgs) != 1 || p.ChangedOrgs[0].PIC != "444444444" || p.Participations[0].OrgID != "o-vat" {
					t.Errorf("plan %+v", p)
				}
			}},
		{"a VAT number held under another PIC does not link; it becomes an identifier", []cordis.Participation{row("p1", "555555555", "Holder Twin", "NL999", "")},
			projects.BatchSnapshot{Known: known, Orgs: []projects.DirOrg{otherPIC}},
			func(t *testing.T, p projects.BatchPlan) {
				if len(p.NewOrgs) != 1 || p.NewOrgs[0].Fields.VAT != "" || len(p.Identifiers) != 1 || p.Identifiers[0].Value != "NL999" {
					t.Errorf("new %+v, identifiers %+v", p.NewOrgs, p.Identifiers)
				}
			}},
		{"a PIC merged into an organisation links to it", []cordis.Participation{row("p1", "666666666", "Merged Away", "", "")},
			projects.BatchSnapshot{Known: known, Orgs: []projects.DirOrg{merged}, Merged: map[string]string{"666666666": "o-kept"}},
			func(t *testing.T, p projects.BatchPlan) {
				if len(p.NewOrgs) != 0 || p.Participations[0].OrgID != "o-kept" || p.Result.Linked != 1 {
					t.Errorf("plan %+v", p)
				}
			}},
		{"an older export of a stored participation is unchanged", []cordis.Participation{row("p1", "222222222", "Kept", "", "2020-01-01")},
			projects.BatchSnapshot{Known: known, Orgs: []projects.DirOrg{merged},
				Stored: map[string]projects.StoredParticipation{"p1\x00222222222": {Updated: "2024-01-01", Hash: "x"}}},
			func(t *testing.T, p projects.BatchPlan) {
				if len(p.Participations) != 0 || p.Result.Participations.Unchanged != 1 {
					t.Errorf("participations %+v, result %+v", p.Participations, p.Result)
				}
			}},
		{"the same row twice in a batch is written once", []cordis.Participation{row("p2", "333333333", "Acme", "", ""), row("p2", "333333333", "Acme", "", "2021-01-01")},
			projects.BatchSnapshot{Known: known},
			func(t *testing.T, p projects.BatchPlan) {
				if len(p.Participations) != 1 || p.Participations[0].P.Updated != "2021-01-01" || p.Result.Participations.New != 1 || len(p.NewOrgs) != 1 {
					t.Errorf("participations %d, result %+v", len(p.Participations), p.Result)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.check(t, projects.PlanBatch(tc.batch, tc.snap, newID)) })
	}
}

// TestPlanMerge checks the merge plan without a database.
func TestPlanMerge(t *testing.T) {
	refs := []store.OrgReference{
		{Table: "organisation_roles", Column: "organisation_id", Key: []string{"role"}, Action: store.UnionWithMerge},
		{Table: "people", Column: "organisation_id", Key: []string{"id"}, Action: store.MoveWithMerge},
		{Table: "widgets", Column: "organisation_id", Key: []string{"id"}, Action: store.BlockMerge},
	}
	into := projects.OrgRef{ID: "a"}
	from := projects.OrgRef{ID: "b", PIC: "999"}
	snap := projects.MergeSnapshot{Into: into, From: from,
		FromRows: map[string][]projects.Row{"organisation_roles.organisation_id": {
			{"organisation_id": "b", "role": "police", "position": int64(0)},
			{"organisation_id": "b", "role": "fire_brigade", "position": int64(1)}}},
		IntoRows: map[string][]projects.Row{"organisation_roles.organisation_id": {
			{"organisation_id": "a", "role": "police", "position": int64(3)}}}}
	plan, err := projects.PlanMerge(refs, snap)
	if err != nil {
		t.Fatal(err)
	}
	add := plan.Add["organisation_roles.organisation_id"]
	if len(add) != 1 || add[0]["role"] != "fire_brigade" || add[0]["organisation_id"] != "a" || add[0]["position"] != int64(4) {
		t.Errorf("added %v, want fire_brigade for a at position 4", add)
	}
	if len(plan.Move) != 1 || plan.Move[0].Table != "people" {
		t.Errorf("moves %v, want people", plan.Move)
	}
	snap.Blocking = map[string]int{"widgets.organisation_id": 2}
	if _, err := projects.PlanMerge(refs, snap); err == nil {
		t.Errorf("a blocking reference with rows did not refuse the merge")
	}
}
