package meetings

import (
	"cmp"
	"math/rand/v2"
	"slices"
)

// solver holds one plan in the making. busy[person*S+slot] is the request
// a person meets in that slot, or -1.
type solver struct {
	p        *Problem
	S, T     int
	un       []bool  // person*S+slot: unavailable
	busy     []int32 // person*S+slot: request or -1
	used     []int   // per slot: meetings placed
	inSlot   [][]int32
	pos      []int // position of a request in inSlot[slot]
	count    []int // per person: meetings placed
	slot     []int // per request: slot or -1
	locked   []bool
	inChain  []bool
	log      []move
	budget   int
	placed   int
	byPerson [][]int32 // per person: their requests
	dayStart []int     // per slot: first slot of its day
	dayEnd   []int     // per slot: one past the last slot of its day
}

type move struct{ r, from, to int }

func newSolver(p *Problem) *solver {
	S := len(p.Slots)
	x := &solver{
		p: p, S: S, T: p.Tables,
		un:       make([]bool, p.People*S),
		busy:     make([]int32, p.People*S),
		used:     make([]int, S),
		inSlot:   make([][]int32, S),
		pos:      make([]int, len(p.Requests)),
		count:    make([]int, p.People),
		slot:     make([]int, len(p.Requests)),
		locked:   make([]bool, len(p.Requests)),
		inChain:  make([]bool, len(p.Requests)),
		dayStart: make([]int, S),
		dayEnd:   make([]int, S),
	}
	x.byPerson = make([][]int32, p.People)
	for r, q := range p.Requests {
		x.byPerson[q.A] = append(x.byPerson[q.A], int32(r))
		x.byPerson[q.B] = append(x.byPerson[q.B], int32(r))
	}
	for i := range x.busy {
		x.busy[i] = -1
	}
	for i := range x.slot {
		x.slot[i] = -1
	}
	for person, ss := range p.Unavailable {
		for _, s := range ss {
			x.un[person*S+s] = true
		}
	}
	for s := 0; s < S; {
		e := s
		for e < S && p.Slots[e].Day == p.Slots[s].Day {
			e++
		}
		for i := s; i < e; i++ {
			x.dayStart[i], x.dayEnd[i] = s, e
		}
		s = e
	}
	return x
}

func (x *solver) held() int { return x.placed }

func (x *solver) capOK(person int) bool { return x.p.Cap == 0 || x.count[person] < x.p.Cap }

// open reports whether person may meet in slot s: available and not busy.
func (x *solver) open(person, s int) bool {
	i := person*x.S + s
	return !x.un[i] && x.busy[i] < 0
}

// fits reports whether request r can go to slot s as things stand.
func (x *solver) fits(r, s int) bool {
	q := x.p.Requests[r]
	return x.used[s] < x.T && x.open(q.A, s) && x.open(q.B, s) && x.capOK(q.A) && x.capOK(q.B)
}

func (x *solver) place(r, s int) {
	q := x.p.Requests[r]
	x.busy[q.A*x.S+s], x.busy[q.B*x.S+s] = int32(r), int32(r)
	x.count[q.A]++
	x.count[q.B]++
	x.used[s]++
	x.pos[r] = len(x.inSlot[s])
	x.inSlot[s] = append(x.inSlot[s], int32(r))
	x.slot[r] = s
	x.placed++
	x.log = append(x.log, move{r, -1, s})
}

func (x *solver) unplace(r int) {
	s := x.slot[r]
	q := x.p.Requests[r]
	x.busy[q.A*x.S+s], x.busy[q.B*x.S+s] = -1, -1
	x.count[q.A]--
	x.count[q.B]--
	x.used[s]--
	last := x.inSlot[s][len(x.inSlot[s])-1]
	x.inSlot[s][x.pos[r]] = last
	x.pos[last] = x.pos[r]
	x.inSlot[s] = x.inSlot[s][:len(x.inSlot[s])-1]
	x.slot[r] = -1
	x.placed--
	x.log = append(x.log, move{r, s, -1})
}

// rollback undoes the moves logged after mark.
func (x *solver) rollback(mark int) {
	for len(x.log) > mark {
		m := x.log[len(x.log)-1]
		x.log = x.log[:len(x.log)-1]
		if m.to >= 0 {
			x.unplace(m.r)
		} else {
			x.place(m.r, m.from)
		}
		x.log = x.log[:len(x.log)-1] // the undo itself is not logged
	}
}

// keepAnnounced puts every announced meeting that still fits back at its
// place and locks it.
func (x *solver) keepAnnounced() {
	taken := make(map[Place]bool)
	for r, q := range x.p.Requests {
		a := q.Announced
		if a == nil || a.Slot < 0 || a.Slot >= x.S || a.Table < 0 || a.Table >= x.T || taken[*a] || !x.fits(r, a.Slot) {
			continue
		}
		taken[*a] = true
		x.place(r, a.Slot)
		x.locked[r] = true
	}
}

// order sorts the open requests hardest first: fewest slots both people
// could use, then the people with the fewest requests (so that a cap
// leaves the meetings of people with many alternatives out).
func (x *solver) order(round int) []int {
	rng := rand.New(rand.NewPCG(uint64(round), uint64(len(x.p.Requests))))
	deg := make([]int, x.p.People)
	for _, q := range x.p.Requests {
		deg[q.A]++
		deg[q.B]++
	}
	type key struct{ r, common, deg, tie int }
	keys := make([]key, 0, len(x.p.Requests))
	for r, q := range x.p.Requests {
		if x.slot[r] >= 0 {
			continue
		}
		c := 0
		for s := range x.S {
			if !x.un[q.A*x.S+s] && !x.un[q.B*x.S+s] {
				c++
			}
		}
		k := key{r, c, deg[q.A] + deg[q.B], r}
		if round > 0 {
			k.tie = rng.IntN(len(x.p.Requests))
		}
		if round > 1 {
			k.common += rng.IntN(3)
		}
		keys = append(keys, k)
	}
	slices.SortStableFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.common, b.common), cmp.Compare(a.deg, b.deg), cmp.Compare(a.tie, b.tie))
	})
	out := make([]int, len(keys))
	for i, k := range keys {
		out[i] = k.r
	}
	return out
}

// greedy places each request of order at the fitting slot that adds the
// fewest idle gaps, then the one with most tables left, then the earliest.
func (x *solver) greedy(order []int) {
	for _, r := range order {
		if s := x.bestFit(r); s >= 0 {
			x.place(r, s)
		}
	}
}

func (x *solver) bestFit(r int) int {
	q := x.p.Requests[r]
	best, bestGap, bestFree := -1, 0, 0
	for s := range x.S {
		if !x.fits(r, s) {
			continue
		}
		g := x.gapDelta(q.A, s) + x.gapDelta(q.B, s)
		free := x.T - x.used[s]
		if best < 0 || g < bestGap || (g == bestGap && free > bestFree) {
			best, bestGap, bestFree = s, g, free
		}
	}
	return best
}

// dayGap is person's idle slots on the day of slot s, counting slot add as
// busy as well (-1 for none).
func (x *solver) dayGap(person, s, add int) int {
	lo, hi, n := -1, -1, 0
	base := person * x.S
	for i := x.dayStart[s]; i < x.dayEnd[s]; i++ {
		if x.busy[base+i] >= 0 || i == add {
			if lo < 0 {
				lo = i
			}
			hi = i
			n++
		}
	}
	if n == 0 {
		return 0
	}
	return hi - lo + 1 - n
}

func (x *solver) gapDelta(person, s int) int {
	return x.dayGap(person, s, s) - x.dayGap(person, s, -1)
}

func (x *solver) plan() Plan {
	p := x.p
	pl := Plan{Places: make([]Place, len(p.Requests))}
	tableUsed := make([][]bool, x.S)
	for s := range tableUsed {
		tableUsed[s] = make([]bool, x.T)
	}
	for r := range p.Requests {
		pl.Places[r] = Place{Slot: -1, Table: -1}
		if x.locked[r] {
			a := *p.Requests[r].Announced
			pl.Places[r] = a
			tableUsed[a.Slot][a.Table] = true
		}
	}
	for r := range p.Requests {
		s := x.slot[r]
		if s < 0 || x.locked[r] {
			continue
		}
		t := slices.Index(tableUsed[s], false)
		tableUsed[s][t] = true
		pl.Places[r] = Place{Slot: s, Table: t}
	}
	for r, q := range p.Requests {
		if pl.Places[r].Slot >= 0 {
			pl.Held++
		}
		if q.Announced != nil {
			if x.locked[r] {
				pl.Kept++
			} else {
				pl.Moved++
			}
		}
	}
	pl.Gaps = Gaps(p, pl.Places)
	return pl
}
