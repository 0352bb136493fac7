package demo_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/app"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/store/storetest"
	"github.com/escnet/escnet/internal/validate"
)

// topicsPath is the shared export of the 45 real Cluster 3 topics.
const topicsPath = "../../../shared/data/calls/horizon-cl3-2026-2027-topics.json"

// demoNow is the fixed moment of the test: the 2026 topics have closed,
// the 2027 ones are forthcoming.
var demoNow = time.Date(2026, 12, 2, 12, 0, 0, 0, calls.Brussels)

// TestRealTopicsOnDemo imports the 45 real topics into the demo and asks
// the consortium builder for each: a closed topic is refused naming the
// call; for every open or forthcoming one the builder either proposes
// consortia that meet every rule, budget rules included (with a split of
// the budget per partner), or says which rule cannot be met and what is
// missing.
func TestRealTopicsOnDemo(t *testing.T) {
	f, err := os.Open(topicsPath)
	if err != nil {
		t.Skipf("topic export not available at %s", topicsPath)
	}
	defer f.Close()
	topics, err := calls.DecodeTopics(f)
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(storetest.NewSQLite(t), app.Config{Mail: noMail{}, Now: func() time.Time { return demoNow }})
	t.Cleanup(func() { a.Close() })
	ctx := access.AsSystem(context.Background())
	if _, err := demo.LoadAll(ctx, a, demoNow); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Calls.Import(ctx, topics); err != nil {
		t.Fatal(err)
	}
	open, proposed := 0, 0
	for _, c := range topics {
		status := a.Calls.StatusOf(c)
		res, err := a.Match.Consortium(ctx, live.ConsortiumRequest{Call: c.ID})
		if status == calls.StatusClosed {
			var ve validate.Errors
			if !errors.As(err, &ve) || len(ve) == 0 || ve[0].Field != "call" || ve[0].Code != live.CallClosed {
				t.Errorf("%s (closed): Consortium = %v, want the call refused as closed", c.ID, err)
			}
			continue
		}
		open++
		var ie *live.InfeasibleError
		if errors.As(err, &ie) {
			if ie.Rule == "" || ie.Missing == "" && ie.Reason == "" {
				t.Errorf("%s: infeasible without saying what is missing: %+v", c.ID, ie.InfeasibleError)
			}
			if strings.Contains(ie.Missing, "local or regional authorit") {
				t.Errorf("%s: %v, with the demo's municipalities and regions in the directory", c.ID, ie)
			}
			t.Logf("%s: missing %s (%s)", c.ID, ie.Missing, ie.Rule)
			continue
		}
		if err != nil {
			t.Errorf("%s: Consortium: %v", c.ID, err)
			continue
		}
		if len(res.Proposals) == 0 || res.Status == calls.StatusClosed {
			t.Errorf("%s: %d proposals, status %s", c.ID, len(res.Proposals), res.Status)
		}
		proposed++
		for i, p := range res.Proposals {
			if !calls.Satisfied(p.Results) || !calls.Satisfied(p.Budget.Results) {
				t.Errorf("%s proposal %d breaks a rule: %+v %+v", c.ID, i, p.Results, p.Budget.Results)
			}
			var sum int64
			for _, m := range p.Members {
				sum += m.BudgetCents
			}
			if res.Budget > 0 && sum != res.Budget {
				t.Errorf("%s proposal %d: the partners' budgets add up to %d, want %d", c.ID, i, sum, res.Budget)
			}
		}
		if c.ID == "HORIZON-CL3-2027-01-SSRI-01" {
			checkSSRI01(t, res)
		}
		t.Logf("%s: %d proposals of %d partners", c.ID, len(res.Proposals), res.Size)
	}
	if open != 21 {
		t.Errorf("%d topics open or forthcoming at %s, want 21", open, demoNow)
	}
	if proposed == 0 {
		t.Error("no open topic got a consortium")
	}
}

// checkSSRI01: at least half of the budget to SMEs, research
// organisations and non-SME industry together at most 15%, shown per
// partner; and not a consortium of several research organisations sharing
// those 15%.
func checkSSRI01(t *testing.T, res live.Consortia) {
	t.Helper()
	if res.Budget != 1_500_000_00 || res.Size > 7 {
		t.Errorf("SSRI-01: budget %d, size %d; want EUR 1.5 million and at most 7 partners", res.Budget, res.Size)
	}
	for i, p := range res.Proposals {
		if len(p.Budget.Results) != 2 {
			t.Errorf("SSRI-01 proposal %d: %d budget results, want 2", i, len(p.Budget.Results))
		}
		var smes, capped int64
		research := 0
		for _, m := range p.Members {
			switch {
			case m.SME:
				smes += m.BudgetCents
			case m.Kind == "research" || m.Kind == "company":
				capped += m.BudgetCents
				if m.Kind == "research" {
					research++
				}
			}
		}
		if smes*2 < res.Budget || capped*100 > 15*res.Budget || research > 1 {
			t.Errorf("SSRI-01 proposal %d: SMEs %d, capped %d of %d, %d research organisations", i, smes, capped, res.Budget, research)
		}
	}
}
