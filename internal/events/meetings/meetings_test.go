package meetings

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// exact finds the most meetings any plan of p can hold, by branch and
// bound: each request in turn goes to each slot where it fits, or is left
// out; a branch stops when even holding every remaining request cannot beat
// the best plan found.
func exact(p *Problem) int {
	x := newSolver(p)
	best := 0
	var walk func(i, held int)
	walk = func(i, held int) {
		if held > best {
			best = held
		}
		free := 0
		for s := range x.S {
			free += x.T - x.used[s]
		}
		if i == len(p.Requests) || held+min(len(p.Requests)-i, free) <= best {
			return
		}
		for s := range x.S {
			if x.fits(i, s) {
				x.place(i, s)
				walk(i+1, held+1)
				x.unplace(i)
			}
		}
		walk(i+1, held)
	}
	walk(0, 0)
	return best
}

func randomProblem(rng *rand.Rand, people, requests, slots, days, tables, capPer int, unavail float64) *Problem {
	p := &Problem{People: people, Tables: tables, Cap: capPer}
	for s := range slots {
		p.Slots = append(p.Slots, Slot{Day: s * days / slots})
	}
	p.Unavailable = make([][]int, people)
	for person := range people {
		for s := range slots {
			if rng.Float64() < unavail {
				p.Unavailable[person] = append(p.Unavailable[person], s)
			}
		}
	}
	seen := map[[2]int]bool{}
	for len(p.Requests) < requests {
		a, b := rng.IntN(people), rng.IntN(people)
		if a == b || seen[[2]int{min(a, b), max(a, b)}] {
			continue
		}
		seen[[2]int{min(a, b), max(a, b)}] = true
		p.Requests = append(p.Requests, Request{A: a, B: b})
	}
	return p
}

func TestScheduleNearOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2026))
	var held, opt, exactHits, n int
	for i := 0; i < 300; i++ {
		people := 5 + rng.IntN(5)
		reqs := min(people*(people-1)/2, 6+rng.IntN(9))
		p := randomProblem(rng, people, reqs, 3+rng.IntN(4), 1+rng.IntN(2), 1+rng.IntN(3), rng.IntN(4), 0.2)
		plan, err := Schedule(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(p, plan.Places); err != nil {
			t.Fatalf("instance %d: invalid plan: %v", i, err)
		}
		o := exact(p)
		if plan.Held > o {
			t.Fatalf("instance %d: held %d > optimum %d: the exact solver or Verify is wrong", i, plan.Held, o)
		}
		held += plan.Held
		opt += o
		if plan.Held == o {
			exactHits++
		}
		n++
	}
	t.Logf("%d instances: held %d of optimum %d (%.2f%%), optimal on %d", n, held, opt, 100*float64(held)/float64(opt), exactHits)
	if float64(held) < 0.98*float64(opt) {
		t.Errorf("held %d meetings, optimum %d: more than 2%% below", held, opt)
	}
	if exactHits < n*95/100 {
		t.Errorf("optimal on %d of %d instances, want at least 95%%", exactHits, n)
	}
}

func TestScheduleRespectsRules(t *testing.T) {
	// Three people all want to meet each other; one slot only holds one
	// table; person 2 cannot meet in slot 0.
	p := &Problem{
		People: 3, Tables: 1, Cap: 0,
		Slots:       []Slot{{0}, {0}, {0}},
		Unavailable: [][]int{nil, nil, {0}},
		Requests:    []Request{{A: 0, B: 1}, {A: 0, B: 2}, {A: 1, B: 2}},
	}
	plan, err := Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(p, plan.Places); err != nil {
		t.Fatal(err)
	}
	if plan.Held != 3 {
		t.Errorf("held %d, want 3", plan.Held)
	}
	if plan.Places[0].Slot != 0 {
		t.Errorf("0–1 at slot %d, want 0 (the only slot person 2 misses)", plan.Places[0].Slot)
	}
	p.Cap = 1
	plan, _ = Schedule(p)
	if plan.Held != 1 {
		t.Errorf("cap 1: held %d, want 1", plan.Held)
	}
}

func TestScheduleGaps(t *testing.T) {
	// Person 0 meets 1 and 2; with four slots free the two meetings
	// should be back to back.
	p := &Problem{People: 3, Tables: 2, Slots: []Slot{{0}, {0}, {0}, {0}},
		Unavailable: [][]int{nil, {1}, {0, 1}},
		Requests:    []Request{{A: 0, B: 1}, {A: 0, B: 2}}}
	plan, _ := Schedule(p)
	if plan.Held != 2 || plan.Gaps != 0 {
		t.Errorf("held %d gaps %d (places %v), want 2 and 0", plan.Held, plan.Gaps, plan.Places)
	}
}

func TestReplanKeepsAnnounced(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	p := randomProblem(rng, 60, 200, 10, 1, 8, 6, 0.1)
	first, _ := Schedule(p)
	for i := range p.Requests {
		if pl := first.Places[i]; pl.Slot >= 0 {
			p.Requests[i].Announced = &pl
		}
	}
	// Late changes: person 0 is now unavailable everywhere, and ten new
	// accepted requests arrive.
	p.Unavailable[0] = []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	more := randomProblem(rng, 60, 10, 10, 1, 8, 6, 0).Requests
	p.Requests = append(p.Requests, more...)
	second, err := Schedule(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(p, second.Places); err != nil {
		t.Fatal(err)
	}
	lost := 0
	for i, q := range p.Requests {
		if q.Announced == nil {
			continue
		}
		if q.A == 0 || q.B == 0 {
			if second.Places[i].Slot >= 0 {
				t.Errorf("request %d with person 0 still held", i)
			}
			lost++
			continue
		}
		if second.Places[i] != *q.Announced {
			t.Errorf("request %d moved from %v to %v", i, *q.Announced, second.Places[i])
		}
	}
	if second.Moved != lost || second.Kept != first.Held-lost {
		t.Errorf("kept %d moved %d, want %d and %d", second.Kept, second.Moved, first.Held-lost, lost)
	}
}

func TestCheckRefusesBadShape(t *testing.T) {
	for name, p := range map[string]*Problem{
		"oneself":       {People: 2, Slots: []Slot{{0}}, Tables: 1, Requests: []Request{{A: 1, B: 1}}},
		"not attending": {People: 2, Slots: []Slot{{0}}, Tables: 1, Requests: []Request{{A: 0, B: 2}}},
		"slot range":    {People: 2, Slots: []Slot{{0}}, Tables: 1, Unavailable: [][]int{{3}}},
		"days order":    {People: 2, Slots: []Slot{{1}, {0}}, Tables: 1},
	} {
		if _, err := Schedule(p); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
}

// BenchmarkProblem is the instance: 500 attendees, 2,000 accepted
// requests, 20 slots over two days, 60 tables, a cap of 12 and one slot in
// ten unavailable per person.
func benchProblem() *Problem { return benchProblemCap(12) }

// benchProblemCap is the same instance with another cap; with a cap of 4
// the people, not the tables, limit what can be held.
func benchProblemCap(c int) *Problem {
	return randomProblem(rand.New(rand.NewPCG(500, 2000)), 500, 2000, 20, 2, 60, c, 0.1)
}

func TestBenchmarkInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	for _, c := range []int{12, 4} {
		p := benchProblemCap(c)
		start := time.Now()
		plan, err := Schedule(p)
		took := time.Since(start)
		if err != nil {
			t.Fatal(err)
		}
		if err := Verify(p, plan.Places); err != nil {
			t.Fatal(err)
		}
		g, _ := Greedy(p)
		if err := Verify(p, g.Places); err != nil {
			t.Fatal(err)
		}
		t.Logf("cap %d: scheduler held %d (gaps %d) in %v, first-come greedy %d (gaps %d), upper bound %d",
			c, plan.Held, plan.Gaps, took.Round(time.Millisecond), g.Held, g.Gaps, UpperBound(p))
		if plan.Held < g.Held {
			t.Errorf("cap %d: scheduler %d < greedy %d", c, plan.Held, g.Held)
		}
	}
}

func BenchmarkSchedule500(b *testing.B) {
	p := benchProblem()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Schedule(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSchedule500Cap4(b *testing.B) {
	p := benchProblemCap(4)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Schedule(p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGreedy500(b *testing.B) {
	p := benchProblem()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Greedy(p); err != nil {
			b.Fatal(err)
		}
	}
}
