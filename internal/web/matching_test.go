package web

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
)

// The partner finder and the consortium builder over HTTP, on both
// engines, with the demo loaded: rankings for calls and ideas with their
// reasons, the snapshot following writes, visibility per viewer, every
// kind of bad input, and the pages in more than one language.

func partnerIDs(ps []live.Partner) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Slug
	}
	return out
}

func reasonKinds(r match.Ranked) []string {
	var out []string
	for _, re := range r.Reasons {
		out = append(out, re.Kind)
	}
	return out
}

// eventually retries check until it holds or time runs out: the snapshot
// follows writes in the background.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15 s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestPartnersAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		anon := []string{"Authorization", ""}
		// A call: the border call asks for border guards, so the demo's
		// border guard is among the first ten, with the call's partner
		// type as a reason.
		r := env.do("POST", "/api/v1/partners", PartnersInput{Call: "DEMO-CL3-2027-01-BM-01", Limit: 10}, anon...)
		if r.status != 200 {
			t.Fatalf("partners for a call: %d %s", r.status, r.body)
		}
		res := decode[live.Partners](t, r)
		if res.Call != "DEMO-CL3-2027-01-BM-01" || len(res.Partners) == 0 || len(res.Partners) > 10 || len(res.Terms) == 0 {
			t.Fatalf("partners for a call: %+v", res)
		}
		i := slices.Index(partnerIDs(res.Partners), "federale-politie")
		if i < 0 {
			t.Errorf("federale-politie (a border guard) not in %v", partnerIDs(res.Partners))
		} else if p := res.Partners[i]; !slices.Contains(reasonKinds(p.Ranked), match.ReasonFit) || p.Country != "BE" || p.Name == "" {
			t.Errorf("federale-politie: %+v, want a fit reason", p)
		}
		for k := 1; k < len(res.Partners); k++ {
			if res.Partners[k].Score > res.Partners[k-1].Score {
				t.Errorf("not best first at %d: %v > %v", k, res.Partners[k].Score, res.Partners[k-1].Score)
			}
		}

		// An idea: a member known only by what it declares is found, with
		// the capability's code so pages can name it in any language.
		r = env.do("POST", "/api/v1/partners", PartnersInput{Text: "counter-drone detection at airports"}, anon...)
		res = decode[live.Partners](t, r)
		got := partnerIDs(res.Partners)
		if r.status != 200 || !slices.Contains(got[:min(3, len(got))], "proef-drones") {
			t.Fatalf("idea: %d, top %v, want proef-drones in the top 3", r.status, got)
		}

		// A need given by code: the member that declares it comes first,
		// with the reason naming the need.
		r = env.do("POST", "/api/v1/partners", PartnersInput{Text: "airport protection", Needs: []string{"drones.counter-drone"}}, anon...)
		res = decode[live.Partners](t, r)
		if r.status != 200 || len(res.Partners) == 0 || !slices.Contains(res.Needs, "drones.counter-drone") ||
			!slices.Contains(reasonKinds(res.Partners[0].Ranked), match.ReasonCapability) {
			t.Fatalf("a need by code: %d, needs %v, first %+v", r.status, res.Needs, res.Partners)
		}

		// A lead by PIC, with a track record: imported projects come in
		// through the change feed, without a restart.
		importFixtures(t, env)
		eventually(t, "imported projects in the snapshot", func() bool {
			r = env.do("POST", "/api/v1/partners", PartnersInput{Text: "first responders situational picture", Lead: "999984059"}, anon...)
			res = decode[live.Partners](t, r)
			return r.status == 200 && slices.ContainsFunc(res.Partners, func(p live.Partner) bool { return p.PIC == "900000002" })
		})
		if res.Lead == "" {
			t.Error("the lead given by PIC was not resolved")
		}
		var worked *live.Partner
		for k := range res.Partners {
			if res.Partners[k].PIC == "900000002" {
				worked = &res.Partners[k]
			}
		}
		if worked == nil {
			t.Fatalf("Fixture Drones (worked with the lead) not ranked: %v", partnerIDs(res.Partners))
		}
		var ww match.Reason
		for _, re := range worked.Reasons {
			if re.Kind == match.ReasonWorkedWith {
				ww = re
			}
		}
		if ww.Who != match.WhoLead || ww.Count != 1 || !strings.Contains(ww.Text, "FIXRESPOND") || len(worked.Similar) == 0 {
			t.Errorf("Fixture Drones: worked-with reason %+v, similar %+v", ww, worked.Similar)
		}
	})
}

func TestPartnersAPIVisibility(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		ctx := access.AsSystem(context.Background())
		svc := directory.NewService(env.db)
		hidden := &directory.Organisation{Slug: "quiet-radar", Name: "Quiet Radar Systems", Kind: "company", Country: "NL",
			Description: "Passive radar for tunnel surveillance and tunnel safety.", Visibility: access.Organisation,
			Memberships: []directory.Membership{{ClusterID: "hsd", Role: "member"}}}
		if err := svc.CreateOrganisation(ctx, hidden); err != nil {
			t.Fatal(err)
		}
		if _, err := env.server.match.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		ask := func(headers ...string) []string {
			r := env.do("POST", "/api/v1/partners", PartnersInput{Text: "passive radar tunnel surveillance"}, headers...)
			if r.status != 200 {
				t.Fatalf("%d %s", r.status, r.body)
			}
			return partnerIDs(decode[live.Partners](t, r).Partners)
		}
		if got := ask("Authorization", ""); slices.Contains(got, "quiet-radar") {
			t.Errorf("anonymous sees an organisation-only record: %v", got)
		}
		if got := ask("Authorization", "Bearer "+env.tokens["member.tno@example.org"]); slices.Contains(got, "quiet-radar") {
			t.Errorf("a member of another organisation sees an organisation-only record: %v", got)
		}
		if got := ask("Authorization", "Bearer "+env.admin); !slices.Contains(got, "quiet-radar") {
			t.Errorf("the alliance administrator does not see it: %v", got)
		}
		// As a lead it does not exist for those who may not see it.
		r := env.do("POST", "/api/v1/partners", PartnersInput{Text: "radar", Lead: "quiet-radar"}, "Authorization", "")
		if p := decode[Problem](t, r); r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "lead" {
			t.Errorf("hidden lead: %d %s", r.status, r.body)
		}
		// Named by slug or by internal id, as lead or locked partner, on
		// the partner finder and the consortium builder: the answer is
		// byte for byte the one for an organisation that does not exist,
		// apart from the value the client sent.
		for _, key := range []string{"quiet-radar", hidden.ID} {
			for _, tc := range []struct {
				name, path string
				body       func(k string) any
			}{
				{"partners lead", "/api/v1/partners", func(k string) any { return PartnersInput{Text: "radar", Lead: k} }},
				{"partners locked", "/api/v1/partners", func(k string) any { return PartnersInput{Text: "radar", Locked: []string{k}} }},
				{"consortia lead", "/api/v1/consortia", func(k string) any {
					return ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Lead: k}
				}},
				{"consortia locked", "/api/v1/consortia", func(k string) any {
					return ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Locked: []string{k}}
				}},
			} {
				const missing = "no-such-organisation-0000"
				for _, who := range []string{"", "Bearer " + env.tokens["member.tno@example.org"]} {
					got := env.do("POST", tc.path, tc.body(key), "Authorization", who)
					want := env.do("POST", tc.path, tc.body(missing), "Authorization", who)
					if got.status != want.status || got.status != 422 {
						t.Errorf("%s %q: status %d, want %d (as for one that does not exist)", tc.name, key, got.status, want.status)
					}
					if g, w := strings.ReplaceAll(string(got.body), key, missing), string(want.body); g != w {
						t.Errorf("%s %q: body\n%s\nwant (as for one that does not exist)\n%s", tc.name, key, got.body, w)
					}
					if key != hidden.ID && strings.Contains(string(got.body), hidden.ID) {
						t.Errorf("%s: the answer names the hidden organisation's id: %s", tc.name, got.body)
					}
				}
			}
		}
	})
}

func TestPartnersAPIBadInput(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		before, err := env.db.LatestChange(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name   string
			body   any
			status int
			field  string
		}{
			{"nothing asked", map[string]any{}, 422, "text"},
			{"only function words", PartnersInput{Text: "the and of"}, 422, "text"},
			{"unknown call", PartnersInput{Call: "NO-SUCH-CALL"}, 422, "call"},
			{"unknown lead", PartnersInput{Text: "drones", Lead: "no-such-organisation"}, 422, "lead"},
			{"unknown locked", PartnersInput{Text: "drones", Locked: []string{"tno", "nope"}}, 422, "locked[1]"},
			{"lead excluded", PartnersInput{Text: "drones", Lead: "tno", Excluded: []string{"999984059", "tno"}}, 422, "excluded[1]"},
			{"limit too large", PartnersInput{Text: "drones", Limit: 1001}, 422, "limit"},
			{"unknown need", PartnersInput{Text: "drones", Needs: []string{"drones", "no-such-capability"}}, 422, "needs[1]"},
			{"too many needs", PartnersInput{Text: "drones", Needs: slices.Repeat([]string{"drones"}, 13)}, 422, "needs"},
			{"negative limit", PartnersInput{Text: "drones", Limit: -1}, 422, "limit"},
			{"bad country", PartnersInput{Text: "drones", Filter: MatchFilter{Countries: []string{"Netherlands"}}}, 422, "filter.countries[0]"},
			{"bad kind", PartnersInput{Text: "drones", Filter: MatchFilter{Kinds: []string{"startup"}}}, 422, "filter.kinds[0]"},
			{"bad role", PartnersInput{Text: "drones", Filter: MatchFilter{Roles: []string{"police", "army"}}}, 422, "filter.roles[1]"},
			{"unknown cluster", PartnersInput{Text: "drones", Filter: MatchFilter{Clusters: []string{"atlantis"}}}, 422, "filter.clusters[0]"},
			{"text too long", PartnersInput{Text: strings.Repeat("drone ", 12000)}, 422, "text"},
			{"unknown field", map[string]any{"text": "drones", "top": 5}, 400, "top"},
			{"wrong type", map[string]any{"text": "drones", "limit": "ten"}, 400, "limit"},
			{"not JSON", "{", 400, "body"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := env.do("POST", "/api/v1/partners", tt.body, "Authorization", "")
				p := decode[Problem](t, r)
				if r.status != tt.status || r.header.Get("Content-Type") != "application/problem+json" {
					t.Fatalf("status %d (%s), want %d problem+json: %s", r.status, r.header.Get("Content-Type"), tt.status, r.body)
				}
				if len(p.Errors) == 0 || p.Errors[0].Field != tt.field {
					t.Errorf("errors %+v, want field %q first", p.Errors, tt.field)
				}
			})
		}
		after, err := env.db.LatestChange(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("the change feed moved from %d to %d on reads", before, after)
		}
	})
}

func TestConsortiaAPI(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		r := env.do("POST", "/api/v1/consortia", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Lead: "tno", Size: 6}, "Authorization", "")
		if r.status != 200 {
			t.Fatalf("consortia: %d %s", r.status, r.body)
		}
		res := decode[live.Consortia](t, r)
		if res.Size != 6 || len(res.Proposals) == 0 || len(res.Rules) < 2 {
			t.Fatalf("consortia: size %d, %d proposals, %d rules", res.Size, len(res.Proposals), len(res.Rules))
		}
		for n, p := range res.Proposals {
			if len(p.Members) != 6 || !p.Members[0].Lead || p.Members[0].Slug != "tno" {
				t.Errorf("proposal %d: members %v, want 6 with tno leading", n, len(p.Members))
			}
			if len(p.Results) != len(res.Rules) {
				t.Errorf("proposal %d: %d results for %d rules", n, len(p.Results), len(res.Rules))
			}
			for _, rr := range p.Results {
				if !rr.Satisfied {
					t.Errorf("proposal %d breaks %q", n, rr.Rule.Describe())
				}
			}
			responders := 0
			for _, m := range p.Members {
				if slices.Contains(m.Roles, directory.RoleFirstResponder) && len(m.Rules) > 0 && len(m.Satisfies) == len(m.Rules) {
					responders++
				}
				if len(m.Reasons) == 0 {
					t.Errorf("proposal %d: %s has no reasons", n, m.Name)
				}
			}
			if responders < 3 {
				t.Errorf("proposal %d: %d first responders counted toward rules, want 3", n, responders)
			}
		}

		// No consortium: the demo has one border guard, the call asks for two.
		r = env.do("POST", "/api/v1/consortia", ConsortiumInput{Call: "DEMO-CL3-2027-01-BM-01"}, "Authorization", "")
		p := decode[Problem](t, r)
		if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Code != infeasibleCode || !strings.HasPrefix(p.Errors[0].Field, "rules[") {
			t.Fatalf("infeasible: %d %s", r.status, r.body)
		}
		if rule, _ := p.Errors[0].Args["rule"].(string); !strings.Contains(rule, "Border or Coast Guard") && !strings.Contains(rule, "border or coast guard") {
			t.Errorf("infeasible rule %q, want the border guards' rule", rule)
		}
		if missing, _ := p.Errors[0].Args["missing"].(string); missing == "" {
			t.Errorf("infeasible: nothing said missing: %s", r.body)
		}

		for _, tt := range []struct {
			name  string
			body  ConsortiumInput
			field string
		}{
			{"no call", ConsortiumInput{Text: "drones"}, "call"},
			{"unknown call", ConsortiumInput{Call: "NOPE"}, "call"},
			{"size too large", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Size: 51}, "size"},
			{"too many proposals", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Proposals: 11}, "proposals"},
			{"more locked than size", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Size: 1, Lead: "tno", Locked: []string{"kpn"}}, "size"},
			{"unknown lead", ConsortiumInput{Call: "DEMO-CL3-2027-01-DRS-01", Lead: "nope"}, "lead"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r := env.do("POST", "/api/v1/consortia", tt.body, "Authorization", "")
				p := decode[Problem](t, r)
				if r.status != 422 || len(p.Errors) == 0 || p.Errors[0].Field != tt.field {
					t.Errorf("%d %s, want 422 on %s", r.status, r.body, tt.field)
				}
			})
		}
	})
}

func TestMatchPages(t *testing.T) {
	forEachEngine(t, func(t *testing.T, env *testEnv) {
		get := func(path string, headers ...string) response {
			return env.do("GET", path, nil, append([]string{"Authorization", ""}, headers...)...)
		}
		// The idea form, empty.
		r := get("/partners")
		d := doc(t, r)
		if r.status != 200 || d.Find(`form.match-form textarea[name=text]`).Length() != 1 || d.Find(`ol.ranked`).Length() != 0 {
			t.Fatalf("empty form: %d", r.status)
		}
		// Asked: ranked organisations, each with its reasons, in English
		// and in French.
		r = get("/partners?text=counter-drone+detection+at+airports&limit=5")
		d = doc(t, r)
		items := d.Find(`ol.ranked > li`)
		if r.status != 200 || items.Length() == 0 || items.Length() > 5 {
			t.Fatalf("idea: %d, %d organisations", r.status, items.Length())
		}
		if items.First().Find(`ul.reasons li`).Length() == 0 {
			t.Error("no reasons on the first organisation")
		}
		if !strings.Contains(d.Find(`ol.ranked`).Text(), "declares") {
			t.Errorf("no declared-capability reason in English:\n%s", d.Find(`ol.ranked`).Text())
		}
		r = get("/partners?text=counter-drone+detection+at+airports&limit=5", "Accept-Language", "fr")
		d = doc(t, r)
		text := d.Find(`ol.ranked`).Text()
		if r.status != 200 || !strings.Contains(text, "déclare") || strings.Contains(text, "declares") {
			t.Errorf("reasons in French:\n%s", text)
		}

		// Bad input: the form again, with what is wrong, and a 4xx.
		for _, tt := range []struct {
			path   string
			status int
			want   string
		}{
			{"/partners?text=drones&limit=ten", 400, "Number of organisations"},
			{"/partners?text=drones&colour=red", 400, "colour"},
			{"/partners?text=drones&lead=no-such-organisation", 422, "Lead organisation"},
			{"/partners?text=drones&country=XXX", 422, "Country"},
			{"/calls/DEMO-CL3-2027-01-DRS-01/consortium?size=99", 422, "Partners per consortium"},
		} {
			r := get(tt.path)
			d := doc(t, r)
			errs := d.Find(`ul.errors li`).Text()
			if r.status != tt.status || !strings.Contains(errs, tt.want) || d.Find(`form.match-form`).Length() != 1 {
				t.Errorf("%s: %d, errors %q; want %d naming %q", tt.path, r.status, errs, tt.status, tt.want)
			}
		}

		// A call: partners, with the link to its consortium builder; the
		// call page links both.
		r = get("/calls/DEMO-CL3-2027-01-DRS-01/partners")
		d = doc(t, r)
		if r.status != 200 || d.Find(`ol.ranked > li`).Length() == 0 || d.Find(`a[href="/calls/DEMO-CL3-2027-01-DRS-01/consortium"]`).Length() == 0 {
			t.Errorf("call partners: %d", r.status)
		}
		d = doc(t, get("/calls/DEMO-CL3-2027-01-DRS-01"))
		if d.Find(`a[href="/calls/DEMO-CL3-2027-01-DRS-01/partners"]`).Length() == 0 || d.Find(`a[href="/calls/DEMO-CL3-2027-01-DRS-01/consortium"]`).Length() == 0 {
			t.Error("the call page does not link the partner finder and the consortium builder")
		}
		if r := get("/calls/NO-SUCH-CALL/partners"); r.status != 404 {
			t.Errorf("unknown call: %d", r.status)
		}

		// Consortia for a call, in German: members with what they bring,
		// and every rule met.
		r = get("/calls/DEMO-CL3-2027-01-DRS-01/consortium?lead=tno&proposals=2", "Accept-Language", "de")
		d = doc(t, r)
		props := d.Find(`section.proposal`)
		if r.status != 200 || props.Length() == 0 || props.Length() > 2 {
			t.Fatalf("consortium: %d, %d proposals", r.status, props.Length())
		}
		if props.First().Find(`table.members tbody tr`).Length() < 3 || props.First().Find(`ul.rule-results li`).Length() == 0 ||
			!strings.Contains(props.First().Find(`ul.rule-results`).Text(), "erfüllt") || strings.Contains(props.First().Find(`ul.rule-results`).Text(), "nicht erfüllt") {
			t.Errorf("proposal 1:\n%s", props.First().Text())
		}
		// No consortium possible: the rule and what is missing, with 422.
		r = get("/calls/DEMO-CL3-2027-01-BM-01/consortium")
		d = doc(t, r)
		if msg := d.Find(`.infeasible`).Text(); r.status != 422 || !strings.Contains(msg, "missing") {
			t.Errorf("infeasible: %d %q", r.status, msg)
		}
	})
}
