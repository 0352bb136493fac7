package match

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
)

// randomInstance is a small alliance whose every organisation did a
// project on security, so the whole alliance is the builder's pool.
func randomInstance(r *rand.Rand, n int) Snapshot {
	countries := []string{"NL", "BE", "FR", "DE", "ES", "IT", "FI", "PL"}
	kinds := []string{directory.KindCompany, directory.KindResearch, directory.KindHigherEducation, directory.KindPublicBody}
	words := []string{"drones", "airports", "crisis", "communication", "cyber", "hospitals", "borders", "floods", "fire", "police", "training", "sensors"}
	var s Snapshot
	for i := range n {
		o := Org{ID: fmt.Sprintf("o%02d", i), Name: fmt.Sprintf("Org %d", i), Kind: kinds[r.IntN(len(kinds))],
			Country: countries[r.IntN(len(countries))]}
		if o.Kind == directory.KindPublicBody && r.IntN(2) == 0 {
			o.Roles = []string{directory.RolePolice}
		}
		if o.Kind == directory.KindCompany {
			o.SME = r.IntN(2) == 0
		}
		if r.IntN(3) == 0 {
			o.Clusters = []string{[]string{"HSD", "SAFE", "TSS"}[r.IntN(3)]}
		}
		s.Orgs = append(s.Orgs, o)
	}
	for p := range n {
		text := "security"
		for range 4 {
			text += " " + words[r.IntN(len(words))]
		}
		pr := Project{ID: fmt.Sprintf("p%02d", p), Acronym: fmt.Sprintf("P%d", p), Title: text,
			Start: fmt.Sprintf("%d-01-01", 2010+r.IntN(10))}
		// Every organisation in at least one project: project p holds
		// organisation p and two others.
		pr.Participants = append(pr.Participants, Participant{OrgID: s.Orgs[p].ID, Role: RoleCoordinator})
		for range 2 {
			pr.Participants = append(pr.Participants, Participant{OrgID: s.Orgs[r.IntN(n)].ID, Role: "participant"})
		}
		s.Projects = append(s.Projects, pr)
	}
	return s
}

// TestConsortiumNearOptimum enumerates every consortium of small
// instances and checks that the builder's best proposal scores within 2%
// of the best one that satisfies the rules.
func TestConsortiumNearOptimum(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	worst, checked := 1.0, 0
	for inst := 0; inst < 150; inst++ {
		n := 10 + r.IntN(5)
		s := randomInstance(r, n)
		ix, err := Build(s, BuildOptions{})
		if err != nil {
			t.Fatal(err)
		}
		rules := []calls.Rule{calls.GeneralRule("RIA")}
		if r.IntN(2) == 0 {
			rules = append(rules, calls.Rule{Kind: calls.KindMinPractitioners, Count: 1, Types: []string{directory.RolePolice},
				CountryScope: calls.ScopeAny, Origin: calls.OriginTopic})
		}
		if r.IntN(3) == 0 {
			rules = append(rules, calls.Rule{Kind: calls.KindMinEntitiesOfType, Count: 1, Types: []string{calls.TypeSME},
				CountryScope: calls.ScopeAny, Origin: calls.OriginTopic})
		}
		q := Query{Text: "security drones crisis communication sensors"}
		if r.IntN(2) == 0 {
			q.Lead = s.Orgs[r.IntN(n)].ID
		}
		size := 3 + r.IntN(3)
		req := ConsortiumRequest{Query: q, Rules: rules, Size: size, Proposals: 1}
		props, err := ix.Consortium(req)

		// The same pool, enumerated.
		q.Limit, q.Prefer = MaxLimit, preferredTypes(rules)
		p, perr := ix.prepare(q)
		if perr != nil {
			t.Fatal(perr)
		}
		w := ix.work.Get().(*work)
		b := &builder{ix: ix, rules: rules, size: size}
		ix.gather(p, w)
		b.pool(p, w)
		ix.work.Put(w)
		b.penalty = make([]float64, len(b.cands))
		best, feasible := -1.0, false
		set := make([]int, 0, size)
		for i := range b.nFixed {
			set = append(set, i)
		}
		var rec func(from int)
		rec = func(from int) {
			if len(set) == size {
				if b.deficit(b.members(set)) == 0 {
					feasible = true
					if v, _ := b.value(set); v > best {
						best = v
					}
				}
				return
			}
			for i := from; i < len(b.cands); i++ {
				set = append(set, i)
				rec(i + 1)
				set = set[:len(set)-1]
			}
		}
		rec(b.nFixed)

		switch {
		case !feasible && err == nil:
			t.Errorf("instance %d: builder found %+v where enumeration finds no consortium", inst, props[0].Members)
		case feasible && err != nil:
			t.Errorf("instance %d: builder failed (%v) where enumeration finds %v", inst, err, best)
		case feasible:
			checked++
			got := props[0].Score
			ratio := got / best
			worst = min(worst, ratio)
			if ratio < 0.98 {
				t.Errorf("instance %d (%d candidates, size %d): builder scores %.3f, optimum %.3f (%.1f%%)", inst, len(b.cands), size, got, best, 100*ratio)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d feasible instances checked", checked)
	}
	t.Logf("%d instances checked; worst ratio to the optimum %.4f", checked, worst)
}
