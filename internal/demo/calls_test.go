package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/demo"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestCallsParse pins what the parser reads from each demonstration
// call, so that a change of the parser or of the demo text that loses a
// rule shows here, not as a quietly emptier demo.
func TestCallsParse(t *testing.T) {
	want := map[string]struct {
		rules    []string // kind/count/types/min countries/scope of each topic rule
		unparsed []string // reason of each sentence left for a person
	}{
		"DEMO-CL3-2027-01-BM-01":  {[]string{"min_practitioners/2/border_guard/2/member_or_associated"}, []string{calls.ReasonNotChecked}},
		"DEMO-CL3-2027-01-DRS-01": {[]string{"min_practitioners/3/first_responder/3/member_or_associated"}, []string{calls.ReasonNotUnderstood}},
		"DEMO-CL3-2026-02-CS-01": {[]string{"all_in_scope/0/legal_entity/0/member_or_associated", "min_entities_of_type/1/sme/0/any"},
			[]string{calls.ReasonNotChecked}},
		"DEMO-CL3-2027-01-FCT-01": {[]string{"min_practitioners/3/police/0/member_or_associated", "min_entities_of_type/2/civil_society/0/member_or_associated",
			"min_countries/0/police+civil_society/3/member_or_associated"}, nil},
	}
	cs := demo.Calls()
	if len(cs) != len(want) {
		t.Errorf("%d demo calls, want %d", len(cs), len(want))
	}
	for _, c := range cs {
		w, ok := want[c.ID]
		if !ok {
			t.Errorf("unexpected demo call %s", c.ID)
			continue
		}
		if !strings.HasPrefix(c.ID, "DEMO-") || c.PortalURL != "" {
			t.Errorf("%s: a demonstration call must not pass for a real topic (id %s, portal %q)", c.ID, c.ID, c.PortalURL)
		}
		c.ReadConditions()
		if err := calls.ValidateCall(&c); err != nil {
			t.Errorf("%s: %v", c.ID, err)
		}
		if len(c.Rules) == 0 || c.Rules[0].Origin != calls.OriginGeneral {
			t.Errorf("%s: first rule %+v, want the general rule", c.ID, c.Rules)
			continue
		}
		var got []string
		for _, r := range c.Rules[1:] {
			got = append(got, fmt.Sprintf("%s/%d/%s/%d/%s", r.Kind, r.Count, strings.Join(r.Types, "+"), r.MinCountries, r.CountryScope))
			if r.Origin != calls.OriginTopic || r.Source == "" || !strings.Contains(c.Conditions, r.Source[:40]) {
				t.Errorf("%s: rule %q has origin %s and source %q, want a sentence of the conditions", c.ID, r.Describe(), r.Origin, r.Source)
			}
		}
		if !slices.Equal(got, w.rules) {
			t.Errorf("%s: rules\n%s\nwant\n%s", c.ID, strings.Join(got, "\n"), strings.Join(w.rules, "\n"))
		}
		var reasons []string
		for _, u := range c.Unparsed {
			reasons = append(reasons, u.Reason)
		}
		if !slices.Equal(reasons, w.unparsed) {
			t.Errorf("%s: unparsed %+v, want reasons %v", c.ID, c.Unparsed, w.unparsed)
		}
	}
}

func TestLoadStoresCalls(t *testing.T) {
	db := storetest.NewSQLite(t)
	ctx := context.Background()
	n, err := demo.Load(ctx, directory.NewService(db))
	if err != nil {
		t.Fatal(err)
	}
	if n.Calls != len(demo.Calls()) {
		t.Errorf("loaded %d calls, want %d", n.Calls, len(demo.Calls()))
	}
	c, err := db.GetCall(ctx, "DEMO-CL3-2027-01-BM-01")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Rules) != 2 || c.Rules[1].Types[0] != directory.RoleBorderGuard || len(c.Unparsed) != 1 || c.Description == "" {
		t.Errorf("stored demo call: rules %+v, unparsed %+v", c.Rules, c.Unparsed)
	}
}
