package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
)

// The demo loads four calls (internal/demo/calls.go); demoCall has the
// general rule, one rule for border guards and one sentence to check.

func TestCallsAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		tests := []struct {
			path string
			want string // ids in order
		}{
			// By deadline, then title.
			// Open and forthcoming by default; every call with the
			// closed ones last on request.
			{"/api/v1/calls", "DEMO-CL3-2027-01-DRS-01,DEMO-CL3-2027-01-BM-01,DEMO-CL3-2027-01-FCT-01"},
			{"/api/v1/calls?status=all", "DEMO-CL3-2027-01-DRS-01,DEMO-CL3-2027-01-BM-01,DEMO-CL3-2027-01-FCT-01,DEMO-CL3-2026-02-CS-01"},
			{"/api/v1/calls?status=all&limit=3", "DEMO-CL3-2027-01-DRS-01,DEMO-CL3-2027-01-BM-01,DEMO-CL3-2027-01-FCT-01"},
			{"/api/v1/calls?status=closed", "DEMO-CL3-2026-02-CS-01"},
			{"/api/v1/calls?status=open", "DEMO-CL3-2027-01-DRS-01,DEMO-CL3-2027-01-BM-01,DEMO-CL3-2027-01-FCT-01"},
			{"/api/v1/calls?action_type=horizon-ia", "DEMO-CL3-2027-01-DRS-01,DEMO-CL3-2027-01-BM-01"},
			{"/api/v1/calls?deadline_after=2027-03-11&action_type=RIA", "DEMO-CL3-2027-01-FCT-01"},
			{"/api/v1/calls?q=unmanned+border", "DEMO-CL3-2027-01-BM-01"},
			{"/api/v1/calls?programme=Digital+Europe", ""},
			{"/api/v1/calls?limit=1&deadline_after=2027-01-01", "DEMO-CL3-2027-01-DRS-01"},
		}
		for _, tt := range tests {
			r := env.do("GET", tt.path, nil)
			if r.status != 200 {
				t.Fatalf("%s: status %d: %s", tt.path, r.status, r.body)
			}
			var ids []string
			for _, c := range decode[directory.Page[calls.Call]](t, r).Items {
				ids = append(ids, c.ID)
			}
			if got := strings.Join(ids, ","); got != tt.want {
				t.Errorf("%s = %s, want %s", tt.path, got, tt.want)
			}
		}

		bad := []struct{ path, field, code string }{
			{"/api/v1/calls?deadline=2027-01-01", "deadline", "error.unknown_field"},
			{"/api/v1/calls?deadline_after=next+week", "deadline_after", "error.invalid_date"},
			{"/api/v1/calls?limit=1000", "limit", "error.invalid_choice"},
			{"/api/v1/calls?action_type=R%26D", "action_type", "error.invalid_format"},
			{"/api/v1/calls?cursor=nonsense", "cursor", "error.invalid_format"},
			{"/api/v1/calls?status=expired", "status", "error.invalid_choice"},
			{"/api/v1/calls?status=all&cursor=nonsense", "cursor", "error.invalid_format"},
			{"/api/v1/calls?status=all&cursor=x:nonsense", "cursor", "error.invalid_format"},
		}
		for _, tt := range bad {
			r := env.do("GET", tt.path, nil)
			p := decode[Problem](t, r)
			if r.status != 400 && r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != tt.field || p.Errors[0].Code != tt.code {
				t.Errorf("%s: status %d, errors %+v; want the field %s with %s", tt.path, r.status, p.Errors, tt.field, tt.code)
			}
		}

		// The page after the current calls goes on with the closed ones.
		first := decode[directory.Page[calls.Call]](t, env.do("GET", "/api/v1/calls?status=all&limit=3", nil))
		second := decode[directory.Page[calls.Call]](t, env.do("GET", "/api/v1/calls?status=all&limit=3&cursor="+url.QueryEscape(first.Next), nil))
		if first.Total != 4 || len(second.Items) != 1 || second.Items[0].ID != "DEMO-CL3-2026-02-CS-01" || second.Items[0].Status != calls.StatusClosed || second.Next != "" {
			t.Errorf("status=all in pages of 3: %+v then %+v", first, second)
		}

		r := env.do("GET", "/api/v1/calls/"+demoCall, nil)
		c := decode[calls.Call](t, r)
		if c.Status != calls.StatusOpen {
			t.Errorf("get %s: status %q, want open", demoCall, c.Status)
		}
		if r.status != 200 || c.Description == "" || c.Conditions == "" || len(c.Rules) != 2 || c.Rules[1].Types[0] != directory.RoleBorderGuard ||
			len(c.Unparsed) != 1 || c.CreatedAt.IsZero() {
			t.Errorf("get %s: status %d, %+v", demoCall, r.status, c)
		}
		if r := env.do("GET", "/api/v1/calls/NO-SUCH-TOPIC", nil); r.status != 404 {
			t.Errorf("missing call: status %d", r.status)
		}
	})
}

// borderInput is a call as a client sends it, without rules.
func borderInput(id string) CallInput {
	return CallInput{ID: id, Title: "Border checks with mobile biometric kits", Programme: "Horizon Europe", ActionType: "HORIZON-IA",
		Deadline: "2027-05-06", BudgetMin: 300_000_000, BudgetMax: 400_000_000, Keywords: []string{"biometrics"},
		Conditions: "This topic requires the active involvement, as beneficiaries, of at least 2 Border or Coast Guard Authorities from at least 2 different EU Member States or Associated Countries."}
}

func TestCallLifecycle(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		const id = "HORIZON-CL3-2027-01-BM-09"
		r := env.do("POST", "/api/v1/calls", borderInput(id))
		if r.status != 201 || r.header.Get("Location") != "/api/v1/calls/"+id {
			t.Fatalf("create: status %d, location %q: %s", r.status, r.header.Get("Location"), r.body)
		}
		c := decode[calls.Call](t, r)
		// Without rules, the server reads them from the conditions.
		if c.ActionType != "IA" || len(c.Rules) != 2 || c.Rules[0].Origin != calls.OriginGeneral || c.Rules[1].Count != 2 ||
			c.Rules[1].Origin != calls.OriginTopic {
			t.Fatalf("created call: %+v", c)
		}
		if r := env.do("POST", "/api/v1/calls", borderInput(id)); r.status != 409 || decode[Problem](t, r).Errors[0].Field != "id" {
			t.Errorf("second create: status %d: %s", r.status, r.body)
		}

		// Bad corrections: each names the rule and its field, and changes
		// nothing.
		before, _ := env.db.LatestChange(context.Background())
		rule := func(edit func(*calls.Rule)) []calls.Rule {
			rules := slices.Clone(c.Rules)
			edit(&rules[1])
			return rules
		}
		bad := []struct {
			name  string
			rules []calls.Rule
			field string
		}{
			{"no such kind", rule(func(r *calls.Rule) { r.Kind = "min_heroes" }), "rules[1].kind"},
			{"count zero", rule(func(r *calls.Rule) { r.Count = 0 }), "rules[1].count"},
			{"a type the kind does not count", rule(func(r *calls.Rule) { r.Types = []string{calls.TypeSME} }), "rules[1].types[0]"},
			{"more countries than members", rule(func(r *calls.Rule) { r.MinCountries = 5 }), "rules[1].min_countries"},
			{"unknown scope", rule(func(r *calls.Rule) { r.CountryScope = "europe" }), "rules[1].country_scope"},
			{"more than a maximum allows", append(rule(func(r *calls.Rule) { r.Count = 6; r.MinCountries = 2 }),
				calls.Rule{Kind: calls.KindMaxPartners, Count: 5}), "rules[1].count"},
		}
		for _, tt := range bad {
			in := borderInput("")
			in.Rules = tt.rules
			r := env.do("PUT", "/api/v1/calls/"+id, in)
			p := decode[Problem](t, r)
			if r.status != 422 || !slices.ContainsFunc(p.Errors, func(f ProblemField) bool { return f.Field == tt.field }) {
				t.Errorf("%s: status %d, errors %+v; want 422 naming %s", tt.name, r.status, p.Errors, tt.field)
			}
		}
		if after, _ := env.db.LatestChange(context.Background()); after != before {
			t.Errorf("refused corrections moved the change feed: %d → %d", before, after)
		}

		// A good correction; the rule comes back normalised, as manual.
		in := borderInput(id)
		in.Rules = rule(func(r *calls.Rule) { r.Count, r.Origin = 3, "" })
		r = env.do("PUT", "/api/v1/calls/"+id, in)
		if got := decode[calls.Call](t, r); r.status != 200 || got.Rules[1].Count != 3 || got.Rules[1].Origin != calls.OriginManual {
			t.Fatalf("correct a rule: status %d: %s", r.status, r.body)
		}
		// Leaving rules out keeps them; the id may repeat but not change.
		in = borderInput("")
		in.Title = "Border checks with mobile biometric kits (corrected)"
		r = env.do("PUT", "/api/v1/calls/"+id, in)
		if got := decode[calls.Call](t, r); r.status != 200 || got.Title != in.Title || len(got.Rules) != 2 || got.Rules[1].Count != 3 {
			t.Errorf("update without rules: status %d: %+v", r.status, got)
		}
		in.ID = "HORIZON-CL3-2027-01-BM-10"
		if r := env.do("PUT", "/api/v1/calls/"+id, in); r.status != 422 || decode[Problem](t, r).Errors[0].Field != "id" {
			t.Errorf("renaming by PUT: status %d: %s", r.status, r.body)
		}

		// Members may read but not change calls; a read-only token of
		// the administrator may not either.
		member := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"]}
		if r := env.do("DELETE", "/api/v1/calls/"+id, nil, member...); r.status != 403 {
			t.Errorf("member deletes a call: status %d", r.status)
		}
		if r := env.do("DELETE", "/api/v1/calls/"+id, nil); r.status != 204 {
			t.Errorf("delete: status %d: %s", r.status, r.body)
		}
		if r := env.do("GET", "/api/v1/calls/"+id, nil); r.status != 404 {
			t.Errorf("get after delete: status %d", r.status)
		}
	})
}

func TestCallPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		anon := []string{"Authorization", ""}
		d := doc(t, env.do("GET", "/calls?action_type=IA", nil, anon...))
		if n := d.Find("table.calls tbody tr").Length(); n != 2 {
			t.Errorf("calls page with action type IA: %d rows, want 2", n)
		}
		if got := d.Find(`a[href="/calls/new"]`).Length(); got != 0 {
			t.Error("anonymous visitors are offered to add a call")
		}
		if bad := doc(t, env.do("GET", "/calls?deadline_after=soon", nil, anon...)); bad.Find("ul.errors li").Length() != 1 || bad.Find("table.calls tbody tr").Length() != 3 {
			t.Errorf("bad filter: errors %q, %d rows", bad.Find("ul.errors").Text(), bad.Find("table.calls tbody tr").Length())
		}

		r := env.do("GET", "/calls/"+demoCall, nil, anon...)
		d = doc(t, r)
		if r.status != 200 || !strings.Contains(d.Find("h1").Text(), "unmanned systems") {
			t.Fatalf("call page: status %d, h1 %q", r.status, d.Find("h1").Text())
		}
		rows := d.Find("table.eligibility tbody tr[id^=rule-]")
		if rows.Length() != 2 {
			t.Fatalf("eligibility table: %d rules, want 2", rows.Length())
		}
		border := rows.Eq(1)
		if got := border.Find("th").Text(); got != "Practitioners, at least" {
			t.Errorf("rule kind shown as %q", got)
		}
		if got := border.Find("td").Eq(1).Text(); got != "border or coast guard" {
			t.Errorf("partner types shown as %q", got)
		}
		if got := border.Find("blockquote.source").Text(); !strings.HasPrefix(got, "This topic requires the active involvement") {
			t.Errorf("source sentence shown as %q", got)
		}
		if got := d.Find("table.unparsed blockquote.source").Length(); got != 1 {
			t.Errorf("%d sentences to check shown, want 1", got)
		}
		if d.Find("details.rule-form").Length() != 0 {
			t.Error("anonymous visitors see the forms to correct rules")
		}
		// The partner finder and the consortium builder are not routes
		// yet: no links to pages that would answer 404.
		for _, p := range []string{"/partners", "/consortium"} {
			if d.Find(`a[href$="`+p+`"]`).Length() > 0 != env.server.routeExists("GET /calls/{id}"+p) {
				t.Errorf("link to %s shown = %v, route exists = %v", p, !(d.Find(`a[href$="`+p+`"]`).Length() > 0), env.server.routeExists("GET /calls/{id}"+p))
			}
		}
		if d.Find(`.call-text p`).Length() < 4 {
			t.Errorf("description in %d paragraphs; want it split where the text breaks", d.Find(`.call-text p`).Length())
		}

		// In Dutch, the rule's fields are named in Dutch; the sentence
		// stays as written, marked as English.
		nl := doc(t, env.do("GET", "/calls/"+demoCall, nil, "Authorization", "", "Accept-Language", "nl"))
		if got := nl.Find("table.eligibility tbody tr[id^=rule-]").Eq(1).Find("th").Text(); got != "Praktijkorganisaties, minstens" {
			t.Errorf("rule kind in Dutch: %q", got)
		}
		if lang, _ := nl.Find("blockquote.source").Attr("lang"); lang != "en" {
			t.Errorf("source sentence lang = %q, want en", lang)
		}

		// A cluster manager sees a form beside each rule and sentence.
		manager := []string{"Authorization", "Bearer " + env.tokens["manager.hsd@example.org"]}
		md := doc(t, env.do("GET", "/calls/"+demoCall, nil, manager...))
		if got := md.Find("details.rule-form").Length(); got != 2+1+1 {
			t.Errorf("manager sees %d rule forms, want one per rule, one per sentence and one to add", got)
		}
		if md.Find(`a[href="/calls/`+demoCall+`/edit"]`).Length() != 1 {
			t.Error("manager has no link to edit the call")
		}
	})
}

func TestCallRuleForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		manager := []string{"Authorization", "Bearer " + env.tokens["manager.hsd@example.org"], "Content-Type", "application/x-www-form-urlencoded"}
		post := func(path string, form url.Values) response {
			t.Helper()
			return env.do("POST", path, form.Encode(), manager...)
		}
		get := func() calls.Call {
			t.Helper()
			return decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+demoCall, nil))
		}
		ruleForm := url.Values{"kind": {"min_practitioners"}, "count": {"3"}, "types": {"border_guard", "customs"}, "min_countries": {"2"},
			"country_scope": {"member_or_associated"}, "source": {"at least 3 Border, Coast Guard or Customs Authorities"}}

		// Correct rule 1: 303 to the rule, stored as a person's rule.
		r := post("/calls/"+demoCall+"/rules/1", ruleForm)
		if r.status != 303 || r.header.Get("Location") != "/calls/"+demoCall+"#rule-1" {
			t.Fatalf("correct rule: status %d, location %q: %s", r.status, r.header.Get("Location"), r.body)
		}
		c := get()
		if got := c.Rules[1]; got.Count != 3 || !slices.Equal(got.Types, []string{"border_guard", "customs"}) || got.Origin != calls.OriginManual {
			t.Errorf("corrected rule stored as %+v", got)
		}

		// A refused correction shows the page again, the form open with
		// what was typed and the problem beside it, and changes nothing.
		before, _ := env.db.LatestChange(context.Background())
		bad := url.Values{"kind": {"min_practitioners"}, "count": {"two"}, "types": {"sme"}, "country_scope": {"any"}, "source": {"x"}}
		r = post("/calls/"+demoCall+"/rules/1", bad)
		d := doc(t, r)
		form := d.Find("#rule-1-kind").Closest("details")
		if r.status != 422 || form.AttrOr("open", "missing") == "missing" {
			t.Fatalf("refused correction: status %d, form open: %v", r.status, form.Length())
		}
		// Both problems at once: the number that did not read, and the
		// type the kind does not count.
		if msgs := form.Find("ul.errors li"); msgs.Length() != 2 || !strings.Contains(msgs.Eq(0).Text(), "Rule 2, At least (or at most)") ||
			!strings.Contains(msgs.Eq(1).Text(), "Rule 2, Partners that count") {
			t.Errorf("the problems beside the form read %q", msgs.Text())
		}
		if v, _ := d.Find("#rule-1-count").Attr("value"); v != "0" {
			// The number did not read; the form shows what the rule holds.
			t.Errorf("count field shows %q", v)
		}
		if after, _ := env.db.LatestChange(context.Background()); after != before {
			t.Errorf("a refused correction moved the change feed: %d → %d", before, after)
		}

		// A rule for the sentence left to check: the sentence becomes the
		// rule's source and leaves the list.
		sentence := c.Unparsed[0].Sentence
		add := url.Values{"kind": {"all_in_scope"}, "types": {"legal_entity"}, "country_scope": {"member_or_associated"}, "source": {sentence}, "unparsed": {"0"}}
		if r := post("/calls/"+demoCall+"/rules", add); r.status != 303 || r.header.Get("Location") != "/calls/"+demoCall+"#rule-2" {
			t.Fatalf("rule for a sentence: status %d, location %q: %s", r.status, r.header.Get("Location"), r.body)
		}
		c = get()
		if len(c.Rules) != 3 || c.Rules[2].Source != sentence || len(c.Unparsed) != 0 {
			t.Errorf("after writing a rule for the sentence: rules %+v, unparsed %+v", c.Rules, c.Unparsed)
		}
		if r := post("/calls/"+demoCall+"/rules", url.Values{"unparsed": {"5"}, "kind": {"min_partners"}}); r.status != 400 {
			t.Errorf("a rule for a sentence that is not there: status %d", r.status)
		}

		// Remove it again.
		if r := post("/calls/"+demoCall+"/rules/2", url.Values{"action": {"remove"}}); r.status != 303 {
			t.Fatalf("remove: status %d: %s", r.status, r.body)
		}
		if c = get(); len(c.Rules) != 2 {
			t.Errorf("%d rules after removing one, want 2", len(c.Rules))
		}
		if r := post("/calls/"+demoCall+"/rules/7", ruleForm); r.status != 404 {
			t.Errorf("correct a rule that is not there: status %d", r.status)
		}

		// Members may not.
		member := []string{"Authorization", "Bearer " + env.tokens["member.tno@example.org"], "Content-Type", "application/x-www-form-urlencoded"}
		if r := env.do("POST", "/calls/"+demoCall+"/rules/1", ruleForm.Encode(), member...); r.status != 403 {
			t.Errorf("member corrects a rule: status %d", r.status)
		}
	})
}

func TestCallEditForms(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		manager := []string{"Authorization", "Bearer " + env.tokens["manager.hsd@example.org"], "Content-Type", "application/x-www-form-urlencoded"}
		const id = "HORIZON-CL3-2027-01-DRS-09"
		form := url.Values{"id": {id}, "title": {"Flood forecasting for first responders"}, "action_type": {"IA"}, "stage": {"single-stage"},
			"deadline": {"2027-03-11"}, "budget_min": {"4000000"}, "budget_max": {"4500000.50"}, "expected_grants": {"2"},
			"keywords":   {"floods\r\nfirst responders\r\n"},
			"conditions": {"This topic requires the active involvement, as beneficiaries, of at least 3 first responders’ organisations from at least 3 different EU Member States or Associated Countries."}}
		r := env.do("POST", "/calls/new", form.Encode(), manager...)
		if r.status != 303 || r.header.Get("Location") != "/calls/"+id {
			t.Fatalf("add a call: status %d, location %q: %s", r.status, r.header.Get("Location"), r.body)
		}
		c := decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+id, nil))
		if c.BudgetMin != 400_000_000 || c.BudgetMax != 450_000_050 || !slices.Equal(c.Keywords, []string{"floods", "first responders"}) ||
			len(c.Rules) != 2 || c.Rules[1].Types[0] != directory.RoleFirstResponder {
			t.Errorf("added call: %+v", c)
		}

		// The same id again, and input the form cannot take: the form
		// comes back with the problems.
		tests := []struct {
			name   string
			edit   func(url.Values)
			status int
			want   string
		}{
			{"same topic", func(url.Values) {}, 409, "Topic identifier"},
			{"budget in words", func(f url.Values) { f.Set("id", "X-1"); f.Set("budget_min", "four million") }, 422, "Smallest EU contribution"},
			{"no title", func(f url.Values) { f.Set("id", "X-2"); f.Set("title", " ") }, 422, "Title: is required"},
			{"budget the wrong way round", func(f url.Values) { f.Set("id", "X-3"); f.Set("budget_min", "5000000") }, 422, "Smallest EU contribution"},
		}
		for _, tt := range tests {
			f := url.Values{}
			for k, v := range form {
				f[k] = slices.Clone(v)
			}
			tt.edit(f)
			r := env.do("POST", "/calls/new", f.Encode(), manager...)
			if msg := doc(t, r).Find("ul.errors").Text(); r.status != tt.status || !strings.Contains(msg, tt.want) {
				t.Errorf("%s: status %d, errors %q; want %d mentioning %q", tt.name, r.status, msg, tt.status, tt.want)
			}
		}

		// Edit the conditions: the rules stay unless asked to read them
		// again, which keeps a person's rules.
		c.Rules[1].Count, c.Rules[1].Origin = 4, calls.OriginManual
		if r := env.do("PUT", "/api/v1/calls/"+id, callInputOf(c)); r.status != 200 {
			t.Fatalf("correct via API: %d %s", r.status, r.body)
		}
		edit := url.Values{"title": {"Flood forecasting for first responders"}, "action_type": {"IA"},
			"conditions": {"This topic requires the active involvement, as beneficiaries, of at least 1 SME."}}
		if r := env.do("POST", "/calls/"+id+"/edit", edit.Encode(), manager...); r.status != 303 {
			t.Fatalf("edit: status %d: %s", r.status, r.body)
		}
		if c = decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+id, nil)); len(c.Rules) != 2 || c.Rules[1].Count != 4 || c.BudgetMin != 0 {
			t.Errorf("after an edit without re-reading: %+v", c.Rules)
		}
		edit.Set("reread", "on")
		if r := env.do("POST", "/calls/"+id+"/edit", edit.Encode(), manager...); r.status != 303 {
			t.Fatalf("edit and re-read: status %d: %s", r.status, r.body)
		}
		c = decode[calls.Call](t, env.do("GET", "/api/v1/calls/"+id, nil))
		var kinds []string
		for _, r := range c.Rules {
			kinds = append(kinds, r.Origin+"/"+r.Kind)
		}
		if got := strings.Join(kinds, ","); got != "general/min_partners,topic/min_entities_of_type,manual/min_practitioners" {
			t.Errorf("rules after re-reading: %s", got)
		}

		if r := env.do("POST", "/calls/"+id+"/delete", "", manager...); r.status != 303 || r.header.Get("Location") != "/calls" {
			t.Fatalf("delete: status %d", r.status)
		}
		if r := env.do("GET", "/calls/"+id, nil); r.status != 404 {
			t.Errorf("page after delete: status %d", r.status)
		}
	})
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"One block.", []string{"One block."}},
		{"Expected Outcome:Proposals are expected to contribute.Scope:The scope.", []string{"Expected Outcome:", "Proposals are expected to contribute.", "Scope:", "The scope."}},
		{"lifecycle management;Secure and trusted chips", []string{"lifecycle management;", "Secure and trusted chips"}},
		{"Typed\n\n  with  line breaks\n", []string{"Typed", "with  line breaks"}},
		{"General Annexes.2. Eligible Countries", []string{"General Annexes.", "2. Eligible Countries"}},
		{"across jurisdictions. Scope: Recent disasters", []string{"across jurisdictions.", "Scope: Recent disasters"}},
		// Not breaks: abbreviations, numbers, a space after the stop.
		{"e.g. EU-funded, U.S. data, 4.5 M, Art. 22(2). Next", []string{"e.g. EU-funded, U.S. data, 4.5 M, Art. 22(2). Next"}},
		{"", nil},
	}
	for _, tt := range tests {
		if got := paragraphs(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBudgetText(t *testing.T) {
	cat, err := loadCatalog()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		lang     string
		min, max int64
		want     string
	}{
		{"en", 0, 0, ""},
		{"en", 400_000_000, 400_000_000, "€4,000,000"},
		{"en", 0, 150_000_050, "€1,500,001"},
		{"en", 300_000_000, 0, "€3,000,000"},
		{"en", 300_000_000, 400_000_000, "€3,000,000 to €4,000,000"},
		{"de", 300_000_000, 400_000_000, "3.000.000 € bis 4.000.000 €"},
		{"fr", 600_000_000, 600_000_000, "6\u00a0000\u00a0000 €"},
	}
	for _, tt := range tests {
		if got := budgetText(cat.localizer(tt.lang), tt.min, tt.max); got != tt.want {
			t.Errorf("budgetText(%s, %d, %d) = %q, want %q", tt.lang, tt.min, tt.max, got, tt.want)
		}
	}
}
