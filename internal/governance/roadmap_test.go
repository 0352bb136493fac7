package governance_test

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

func TestRoadmap(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e env) {
		sys := access.AsSystem(context.Background())
		c := directory.Cluster{Slug: "hsd", Name: "The Hague Security Delta", Country: "NL"}
		if err := e.dir.CreateCluster(sys, &c); err != nil {
			t.Fatal(err)
		}
		manager := access.WithViewer(context.Background(), access.Viewer{UserID: "mgr", ManagedClusters: []string{c.ID}, WriteAllowed: true})
		goal := governance.Item{Kind: governance.ItemGoal, Title: "Visibility in the EU"}
		if err := e.gov.AddItem(manager, &goal); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a manager adds a goal: %v, want forbidden", err)
		}
		if err := e.gov.AddItem(admin, &goal); err != nil {
			t.Fatal(err)
		}
		action := governance.Item{Kind: governance.ItemAction, ParentID: goal.ID, Title: "Joint lobby in Brussels", Owners: []string{c.ID}, Starts: "2016-09-01", Ends: "2017-06-30"}
		if err := e.gov.AddItem(member, &action); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a member adds an action: %v, want forbidden", err)
		}
		if err := e.gov.AddItem(manager, &action); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name, field, code string
			it                governance.Item
		}{
			{"milestone after its action", "due", governance.OutsideAction, governance.Item{Kind: governance.ItemMilestone, ParentID: action.ID, Title: "Late", Owners: []string{c.ID}, Due: "2017-07-01"}},
			{"milestone before its action", "due", governance.OutsideAction, governance.Item{Kind: governance.ItemMilestone, ParentID: action.ID, Title: "Early", Owners: []string{c.ID}, Due: "2016-08-31"}},
			{"action ending before it starts", "ends", validate.MinOverMax, governance.Item{Kind: governance.ItemAction, ParentID: goal.ID, Title: "Backwards", Owners: []string{c.ID}, Starts: "2017-01-01", Ends: "2016-01-01"}},
			{"milestone under a goal", "parent_id", validate.NotFound, governance.Item{Kind: governance.ItemMilestone, ParentID: goal.ID, Title: "Misplaced", Owners: []string{c.ID}, Due: "2016-10-01"}},
			{"unknown status", "status", validate.InvalidChoice, governance.Item{Kind: governance.ItemGoal, Title: "G", Status: "late"}},
		} {
			if err := e.gov.AddItem(admin, &tc.it); !hasError(err, tc.field, tc.code) {
				t.Errorf("%s: %v, want %s %s", tc.name, err, tc.field, tc.code)
			}
		}
		if all, _ := e.gov.Roadmap(anon); len(all) != 2 {
			t.Errorf("after bad input: %d items, want 2", len(all))
		}
		m := governance.Item{Kind: governance.ItemMilestone, ParentID: action.ID, Title: "Position paper sent", Owners: []string{c.ID}, Due: "2017-06-30"}
		if err := e.gov.AddItem(manager, &m); err != nil {
			t.Fatal(err)
		}
		if _, err := e.gov.SetStatus(member, m.ID, 0, governance.StatusRunning, ""); !errors.Is(err, store.ErrForbidden) {
			t.Errorf("a member updates: %v", err)
		}
		got, err := e.gov.SetStatus(manager, m.ID, 1, governance.StatusRunning, "Drafting with SAFE")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.gov.SetStatus(manager, m.ID, 1, governance.StatusDone, ""); !errors.Is(err, store.ErrStale) {
			t.Errorf("update of an old version: %v, want stale", err)
		}
		got, err = e.gov.SetStatus(manager, m.ID, got.Version, governance.StatusDone, "Sent")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != governance.StatusDone || len(got.Updates) != 2 || got.Updates[0].Status != governance.StatusRunning || got.Updates[0].Note != "Drafting with SAFE" {
			t.Errorf("history = %+v", got)
		}
	})
}
