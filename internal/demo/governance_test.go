package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestLoadGovernance loads the whole demonstration and finds the pending
// application of the fictitious cluster, short of the staff criterion.
func TestLoadGovernance(t *testing.T) {
	a := app.New(storetest.NewSQLite(t), app.Config{Mail: noMail{}})
	t.Cleanup(func() { a.Close() })
	n, err := demo.LoadAll(context.Background(), a, time.Now().UTC(), demo.WithoutCORDIS())
	if err != nil {
		t.Fatal(err)
	}
	if n.Applications != 1 {
		t.Fatalf("applications = %d, want 1", n.Applications)
	}
	ctx := access.AsSystem(context.Background())
	as, err := a.Governance.List(ctx, governance.StateSubmitted)
	if err != nil || len(as) != 1 || as[0].Name != demo.PendingApplication().Name {
		t.Fatalf("pending = %+v, %v", as, err)
	}
	letters, err := a.Governance.Letters(ctx)
	if err != nil || len(letters) != 1 {
		t.Fatalf("letters = %d, %v", len(letters), err)
	}
	signed := map[string]bool{}
	for _, sig := range letters[0].Signatures {
		signed[sig.ClusterName] = sig.SignedOn == "2016-06-02" && sig.Paper && sig.Place == "HSD Campus, The Hague"
	}
	if len(signed) != 6 {
		t.Errorf("%d founding clusters signed, want 6: %v", len(signed), signed)
	}
	for name, ok := range signed {
		if !ok {
			t.Errorf("%s: signature not of 2 June 2016 at the HSD Campus", name)
		}
	}
	if items, err := a.Governance.Roadmap(ctx); err != nil || len(items) != 6 {
		t.Errorf("roadmap: %d items, %v; want 2 goals, 2 actions, 2 milestones", len(items), err)
	}
	c, _ := a.Governance.Criteria(ctx)
	for _, r := range c.Check(as[0]) {
		if want := r.Measure != "staff_fte_hundredths"; r.Met != want {
			t.Errorf("%s met = %v, want %v", r.Measure, r.Met, want)
		}
	}
}
