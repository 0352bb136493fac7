package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// RunCalls is the behavioural suite of the calls store; newDB returns a
// fresh, migrated, empty database.
func RunCalls(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
	tests := []struct {
		name string
		fn   func(*testing.T, *sqlstore.DB)
	}{
		{"CallCRUD", testCallCRUD},
		{"CallList", testCallList},
		{"CallImportIdempotent", testCallImportIdempotent},
		{"CallImportKeepsManualRules", testCallImportKeepsManualRules},
		{"CallImportAllOrNothing", testCallImportAllOrNothing},
		{"CallStatus", testCallStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, newDB(t)) })
	}
}

// borderConditions is written the way the portal writes a Cluster 3
// topic's conditions: the parser reads one rule from it and leaves the
// control restriction for a person.
const borderConditions = "3. Other Eligible ConditionsThe following additional eligibility criteria apply:" +
	"This topic requires the active involvement, as beneficiaries, of at least 2 Border or Coast Guard Authorities " +
	"from at least 2 different EU Member States or Associated Countries. Entities established in an eligible country " +
	"but which are directly or indirectly controlled by China or by a legal entity established in China are not " +
	"eligible to participate in the action.4. Financial and operational capacity and exclusion"

// testCall is a call as an import delivers it: validated, with its rules
// read from its conditions.
func testCall(t *testing.T, id, title, deadline, actionType string) calls.Call {
	t.Helper()
	c := calls.Call{ID: id, Title: title, Programme: "Horizon Europe", CallIdentifier: "HORIZON-CL3-2026-01",
		ActionType: actionType, Stage: "single-stage", Deadline: deadline, BudgetMin: 300_000_000, BudgetMax: 400_000_000,
		ExpectedGrants: 2, Keywords: []string{"civil security", "drones"},
		PortalURL:   "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/" + strings.ToLower(id),
		Description: "Expected Outcome: better situational awareness at the external borders.", Conditions: borderConditions}
	c.ReadConditions()
	if err := calls.ValidateCall(&c); err != nil {
		t.Fatalf("test call %s: %v", id, err)
	}
	return c
}

func testCallCRUD(t *testing.T, db *sqlstore.DB) {
	c := testCall(t, "HORIZON-CL3-2026-01-BM-01", "Advanced border surveillance", "2026-11-05", "IA")
	if len(c.Rules) != 2 || len(c.Unparsed) != 1 {
		t.Fatalf("fixture: %d rules and %d unparsed sentences, want 2 and 1 (the parser changed?)", len(c.Rules), len(c.Unparsed))
	}
	must(t, db.CreateCall(ctx, &c))
	if c.CreatedAt.IsZero() || !c.CreatedAt.Equal(c.UpdatedAt) {
		t.Errorf("timestamps after create: %v, %v", c.CreatedAt, c.UpdatedAt)
	}
	got, err := db.GetCall(ctx, c.ID)
	must(t, err)
	if got.Title != c.Title || got.Description != c.Description || got.Conditions != c.Conditions || got.BudgetMax != 400_000_000 ||
		got.Deadline != "2026-11-05" || got.Stage != "single-stage" || got.ExpectedGrants != 2 || got.PortalURL != c.PortalURL ||
		!slices.Equal(got.Keywords, c.Keywords) || !got.CreatedAt.Equal(c.CreatedAt) {
		t.Errorf("got %+v\nwant %+v", got, c)
	}
	if len(got.Rules) != 2 || got.Rules[1].Kind != calls.KindMinPractitioners || got.Rules[1].Count != 2 ||
		!slices.Equal(got.Rules[1].Types, []string{directory.RoleBorderGuard}) || got.Rules[1].MinCountries != 2 ||
		!strings.Contains(got.Rules[1].Source, "Border or Coast Guard Authorities") {
		t.Errorf("rules came back as %+v", got.Rules)
	}
	if len(got.Unparsed) != 1 || got.Unparsed[0].Reason != calls.ReasonNotChecked {
		t.Errorf("unparsed came back as %+v", got.Unparsed)
	}

	dup := testCall(t, c.ID, "Same topic again", "", "RIA")
	err = db.CreateCall(ctx, &dup)
	var ce *store.ConflictError
	if !errors.As(err, &ce) || ce.Field != "id" {
		t.Errorf("second create of %s: err = %v, want a conflict on id", c.ID, err)
	}

	if got.Version != 1 {
		t.Errorf("version after create = %d, want 1", got.Version)
	}
	got.Title, got.Rules = "Advanced border surveillance (corrected)", got.Rules[:1]
	must(t, db.UpdateCall(ctx, &got, 1))
	again, err := db.GetCall(ctx, c.ID)
	must(t, err)
	if again.Version != 2 || got.Version != 2 {
		t.Errorf("version after update = %d (returned %d), want 2", again.Version, got.Version)
	}
	stale := again
	stale.Title = "Lost update"
	if err := db.UpdateCall(ctx, &stale, 1); !errors.Is(err, store.ErrStale) {
		t.Errorf("update naming version 1 of version 2: err = %v, want ErrStale", err)
	}
	if err := db.DeleteCall(ctx, c.ID, 1); !errors.Is(err, store.ErrStale) {
		t.Errorf("delete naming version 1 of version 2: err = %v, want ErrStale", err)
	}
	if again.Title != got.Title || len(again.Rules) != 1 || !again.CreatedAt.Equal(c.CreatedAt) || !again.UpdatedAt.After(c.UpdatedAt) {
		t.Errorf("after update: %q, %d rules, created %v (was %v), updated %v", again.Title, len(again.Rules), again.CreatedAt, c.CreatedAt, again.UpdatedAt)
	}

	missing := testCall(t, "HORIZON-CL3-2099-NONE", "Nothing", "", "RIA")
	for name, err := range map[string]error{
		"get":    func() error { _, err := db.GetCall(ctx, missing.ID); return err }(),
		"update": db.UpdateCall(ctx, &missing, 0),
		"delete": db.DeleteCall(ctx, missing.ID, 1),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s of a missing call: err = %v, want ErrNotFound", name, err)
		}
	}
	must(t, db.DeleteCall(ctx, c.ID, 2))
	if _, err := db.GetCall(ctx, c.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get after delete: err = %v, want ErrNotFound", err)
	}
}

func testCallList(t *testing.T, db *sqlstore.DB) {
	fixtures := []calls.Call{
		testCall(t, "HORIZON-CL3-2027-01-FCT-02", "Community policing", "2027-03-12", "IA"),
		testCall(t, "HORIZON-CL3-2026-01-DRS-01", "Risk awareness and disaster preparedness", "2026-11-05", "RIA"),
		testCall(t, "OPEN-TOPIC-01", "Open topic without deadline", "", "CSA"),
		testCall(t, "HORIZON-CL3-2026-01-BM-01", "Advanced border surveillance", "2026-11-05", "IA"),
		testCall(t, "DIGITAL-ECCC-2026-01", "Cyber ranges for SMEs", "2026-09-30", "IA"),
	}
	fixtures[4].Programme, fixtures[4].Keywords = "Digital Europe", []string{"cyber range"}
	for i := range fixtures {
		must(t, db.CreateCall(ctx, &fixtures[i]))
	}
	ids := func(p directory.Page[calls.Call]) string {
		var out []string
		for _, c := range p.Items {
			out = append(out, c.ID)
		}
		return strings.Join(out, ",")
	}

	// Soonest deadline first, then by title; no deadline last. Pages of
	// two walk them all once, in that order.
	want := "DIGITAL-ECCC-2026-01,HORIZON-CL3-2026-01-BM-01,HORIZON-CL3-2026-01-DRS-01,HORIZON-CL3-2027-01-FCT-02,OPEN-TOPIC-01"
	var walked []string
	cursor := ""
	for range 5 {
		p, err := db.ListCalls(ctx, calls.Filter{Limit: 2, Cursor: cursor})
		must(t, err)
		if p.Total != 5 {
			t.Errorf("total = %d, want 5", p.Total)
		}
		walked = append(walked, ids(p))
		if cursor = p.Next; cursor == "" {
			break
		}
	}
	if got := strings.Join(walked, ","); got != want {
		t.Errorf("paged walk = %s\nwant %s", got, want)
	}

	tests := []struct {
		name string
		f    calls.Filter
		want string
	}{
		{"all", calls.Filter{}, want},
		{"text in title", calls.Filter{Query: "surveillance"}, "HORIZON-CL3-2026-01-BM-01"},
		{"text folded, every word", calls.Filter{Query: "DISASTER prépare"}, "HORIZON-CL3-2026-01-DRS-01"},
		{"text in keywords", calls.Filter{Query: "cyber range"}, "DIGITAL-ECCC-2026-01"},
		{"text in id", calls.Filter{Query: "fct-02"}, "HORIZON-CL3-2027-01-FCT-02"},
		{"programme", calls.Filter{Programme: "Digital Europe"}, "DIGITAL-ECCC-2026-01"},
		{"action type", calls.Filter{ActionType: "RIA"}, "HORIZON-CL3-2026-01-DRS-01"},
		{"deadline on or after", calls.Filter{DeadlineAfter: "2026-11-05"}, "HORIZON-CL3-2026-01-BM-01,HORIZON-CL3-2026-01-DRS-01,HORIZON-CL3-2027-01-FCT-02"},
		{"deadline after all", calls.Filter{DeadlineAfter: "2030-01-01"}, ""},
		{"combined", calls.Filter{ActionType: "IA", DeadlineAfter: "2026-10-01", Programme: "Horizon Europe"}, "HORIZON-CL3-2026-01-BM-01,HORIZON-CL3-2027-01-FCT-02"},
	}
	for _, tt := range tests {
		p, err := db.ListCalls(ctx, tt.f)
		must(t, err)
		if got := ids(p); got != tt.want || p.Total != len(p.Items) {
			t.Errorf("%s: got %s (total %d), want %s", tt.name, got, p.Total, tt.want)
		}
	}

	// A list carries the rules but not the long texts.
	p, err := db.ListCalls(ctx, calls.Filter{Query: "surveillance"})
	must(t, err)
	if c := p.Items[0]; c.Description != "" || c.Conditions != "" || len(c.Rules) != 2 || c.BudgetMin != 300_000_000 {
		t.Errorf("listed call: description %q, conditions %q, %d rules, budget %d", c.Description, c.Conditions, len(c.Rules), c.BudgetMin)
	}

	ch, err := db.CallChoices(ctx)
	must(t, err)
	if got := fmt.Sprint(ch.Programmes, ch.ActionTypes); got != "[Digital Europe Horizon Europe] [CSA IA RIA]" {
		t.Errorf("choices = %s", got)
	}
}

func testCallImportIdempotent(t *testing.T, db *sqlstore.DB) {
	batch := func() []calls.Call {
		return []calls.Call{
			testCall(t, "HORIZON-CL3-2026-01-BM-01", "Advanced border surveillance", "2026-11-05", "IA"),
			testCall(t, "HORIZON-CL3-2026-01-BM-02", "Accessible travel facilitation", "2026-11-05", "IA"),
			testCall(t, "HORIZON-CL3-2026-01-DRS-01", "Risk awareness", "2026-11-05", "RIA"),
		}
	}
	before, err := db.LatestChange(ctx)
	must(t, err)
	n, err := db.UpsertCalls(ctx, batch())
	must(t, err)
	if n != (calls.Counts{New: 3}) {
		t.Errorf("first import: %+v, want 3 new", n)
	}
	afterFirst, err := db.LatestChange(ctx)
	must(t, err)
	changes, err := db.ChangesSince(ctx, before, 10)
	must(t, err)
	if len(changes) != 3 || changes[0].Entity != "call" || changes[0].Op != "create" || changes[0].EntityID != "HORIZON-CL3-2026-01-BM-01" {
		t.Errorf("change feed after the first import: %+v", changes)
	}
	first, err := db.GetCall(ctx, "HORIZON-CL3-2026-01-BM-02")
	must(t, err)

	n, err = db.UpsertCalls(ctx, batch())
	must(t, err)
	if n != (calls.Counts{Unchanged: 3}) {
		t.Errorf("second import: %+v, want 3 unchanged", n)
	}
	if again, _ := db.LatestChange(ctx); again != afterFirst {
		t.Errorf("second import appended to the change feed: %d → %d", afterFirst, again)
	}
	second, err := db.GetCall(ctx, "HORIZON-CL3-2026-01-BM-02")
	must(t, err)
	if !second.UpdatedAt.Equal(first.UpdatedAt) {
		t.Errorf("second import touched updated_at: %v → %v", first.UpdatedAt, second.UpdatedAt)
	}

	// The portal moves a deadline: that call is updated, the others not.
	changed := batch()
	changed[1].Deadline = "2026-12-03"
	n, err = db.UpsertCalls(ctx, changed)
	must(t, err)
	if n != (calls.Counts{Updated: 1, Unchanged: 2}) {
		t.Errorf("import with one change: %+v, want 1 updated and 2 unchanged", n)
	}
	third, err := db.GetCall(ctx, "HORIZON-CL3-2026-01-BM-02")
	must(t, err)
	if third.Deadline != "2026-12-03" || !third.CreatedAt.Equal(first.CreatedAt) || !third.UpdatedAt.After(first.UpdatedAt) {
		t.Errorf("updated call: deadline %s, created %v (was %v), updated %v", third.Deadline, third.CreatedAt, first.CreatedAt, third.UpdatedAt)
	}
	changes, _ = db.ChangesSince(ctx, afterFirst, 10)
	if len(changes) != 1 || changes[0].Op != "update" || changes[0].EntityID != "HORIZON-CL3-2026-01-BM-02" {
		t.Errorf("change feed after the changed import: %+v", changes)
	}
}

func testCallImportKeepsManualRules(t *testing.T, db *sqlstore.DB) {
	imported := testCall(t, "HORIZON-CL3-2026-01-BM-01", "Advanced border surveillance", "2026-11-05", "IA")
	_, err := db.UpsertCalls(ctx, []calls.Call{imported})
	must(t, err)

	// A person corrects the parsed rule (3 authorities, not 2) and turns
	// the sentence the parser left into a rule of their own.
	c, err := db.GetCall(ctx, imported.ID)
	must(t, err)
	corrected := c.Rules[1]
	corrected.Count, corrected.Origin = 3, calls.OriginManual
	extra := calls.Rule{Kind: calls.KindAllInScope, Types: []string{calls.TypeLegalEntity}, CountryScope: calls.ScopeMemberOrAssociated,
		Source: c.Unparsed[0].Sentence, Origin: calls.OriginManual}
	c.Rules = []calls.Rule{c.Rules[0], corrected, extra}
	c.Unparsed = []calls.Unparsed{}
	must(t, calls.ValidateCall(&c))
	must(t, db.UpdateCall(ctx, &c, 0))

	// The same topic again: unchanged, the person's rules untouched.
	n, err := db.UpsertCalls(ctx, []calls.Call{testCall(t, imported.ID, imported.Title, imported.Deadline, "IA")})
	must(t, err)
	if n != (calls.Counts{Unchanged: 1}) {
		t.Errorf("re-import: %+v, want unchanged", n)
	}
	got, err := db.GetCall(ctx, imported.ID)
	must(t, err)
	if len(got.Rules) != 3 || got.Rules[1].Count != 3 || len(got.Unparsed) != 0 {
		t.Errorf("after re-import: rules %+v, unparsed %+v", got.Rules, got.Unparsed)
	}

	// The portal changes the title: the call is updated with the parser's
	// rules, except where a person wrote one from the same sentence.
	changed := testCall(t, imported.ID, "Advanced border surveillance and situational awareness", imported.Deadline, "IA")
	n, err = db.UpsertCalls(ctx, []calls.Call{changed})
	must(t, err)
	if n != (calls.Counts{Updated: 1, ManualKept: 2}) {
		t.Errorf("import of a changed topic: %+v, want 1 updated with 2 manual rules kept", n)
	}
	got, err = db.GetCall(ctx, imported.ID)
	must(t, err)
	var summary []string
	for _, r := range got.Rules {
		summary = append(summary, fmt.Sprintf("%s/%s/%d", r.Origin, r.Kind, r.Count))
	}
	want := "general/min_partners/3,manual/min_practitioners/3,manual/all_in_scope/0"
	if got.Title != changed.Title || strings.Join(summary, ",") != want || len(got.Unparsed) != 0 {
		t.Errorf("after the changed import: title %q, rules %s (want %s), unparsed %+v", got.Title, strings.Join(summary, ","), want, got.Unparsed)
	}
}

func testCallImportAllOrNothing(t *testing.T, db *sqlstore.DB) {
	good := testCall(t, "HORIZON-CL3-2026-01-BM-01", "Advanced border surveillance", "2026-11-05", "IA")
	// The store itself refuses a deadline that is not a day, whatever
	// the caller validated.
	bad := testCall(t, "HORIZON-CL3-2026-01-BM-02", "Accessible travel facilitation", "2026-11-05", "IA")
	bad.Deadline = "next autumn"
	before, err := db.LatestChange(ctx)
	must(t, err)
	if _, err := db.UpsertCalls(ctx, []calls.Call{good, bad}); err == nil {
		t.Fatal("import with a bad deadline succeeded")
	}
	if _, err := db.GetCall(ctx, good.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the good call of a refused import was stored: err = %v", err)
	}
	if after, _ := db.LatestChange(ctx); after != before {
		t.Errorf("a refused import appended to the change feed: %d → %d", before, after)
	}
}
