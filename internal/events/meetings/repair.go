package meetings

import (
	"cmp"
	"slices"
)

// repair tries to hold each meeting the greedy pass left out by moving up
// to depth meetings out of its way (an ejection chain): put it in a slot,
// take out whoever was in the way there, and place those elsewhere in the
// same manner. A chain that does not end with everyone placed is undone.
func (x *solver) repair(depth, round int) {
	for _, r := range x.order(round) {
		if x.budget <= 0 {
			return
		}
		q := x.p.Requests[r]
		if !x.capOK(q.A) || !x.capOK(q.B) {
			continue
		}
		mark := len(x.log)
		chain := []int{r}
		x.inChain[r] = true
		if !x.chain(r, depth, &chain) {
			x.rollback(mark)
		}
		for _, c := range chain {
			x.inChain[c] = false
		}
		x.log = x.log[:0]
	}
}

type candidate struct{ s, n int }

func (x *solver) chain(r, depth int, members *[]int) bool {
	x.budget--
	if x.budget <= 0 {
		return false
	}
	if s := x.bestFit(r); s >= 0 {
		x.place(r, s)
		return true
	}
	q := x.p.Requests[r]
	if depth == 0 || !x.capOK(q.A) || !x.capOK(q.B) {
		return false
	}
	cands := make([]candidate, 0, x.S)
	var ej [2]int
	for s := range x.S {
		if n, ok := x.inTheWay(r, s, &ej); ok {
			cands = append(cands, candidate{s, n})
		}
	}
	slices.SortStableFunc(cands, func(a, b candidate) int { return cmp.Compare(a.n, b.n) })
	for _, c := range cands {
		n, ok := x.inTheWay(r, c.s, &ej)
		if !ok {
			continue
		}
		mark, mmark := len(x.log), len(*members)
		for _, e := range ej[:n] {
			x.unplace(e)
			x.inChain[e] = true
			*members = append(*members, e)
		}
		x.place(r, c.s)
		for _, e := range ej[:n] {
			if !x.chain(e, depth-1, members) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
		x.rollback(mark)
		for _, e := range (*members)[mmark:] {
			x.inChain[e] = false
		}
		*members = (*members)[:mmark]
		if x.budget <= 0 {
			return false
		}
	}
	return false
}

// inTheWay lists in ej the meetings that would have to leave slot s for r
// to go there: those of its two people, or, if neither is busy but the
// tables are full, one other meeting of the slot. ok is false when r
// cannot go to s at all (unavailable, or a fixed meeting in the way).
func (x *solver) inTheWay(r, s int, ej *[2]int) (n int, ok bool) {
	q := x.p.Requests[r]
	if x.un[q.A*x.S+s] || x.un[q.B*x.S+s] {
		return 0, false
	}
	for _, person := range []int{q.A, q.B} {
		b := int(x.busy[person*x.S+s])
		if b < 0 || (n == 1 && ej[0] == b) {
			continue
		}
		if x.locked[b] || x.inChain[b] {
			return 0, false
		}
		ej[n] = b
		n++
	}
	if n == 0 && x.used[s] >= x.T {
		for _, m := range x.inSlot[s] {
			if !x.locked[m] && !x.inChain[m] {
				ej[0] = int(m)
				return 1, true
			}
		}
		return 0, false
	}
	return n, n > 0 || x.used[s] < x.T
}

// reduceGaps moves single meetings to the slot where they leave their two
// people the fewest idle gaps, until no move helps.
func (x *solver) reduceGaps() {
	for pass := 0; pass < 20; pass++ {
		improved := false
		for r := range x.p.Requests {
			s0 := x.slot[r]
			if s0 < 0 || x.locked[r] {
				continue
			}
			q := x.p.Requests[r]
			x.unplace(r)
			best, bestCost := s0, x.gapDelta(q.A, s0)+x.gapDelta(q.B, s0)
			for s := range x.S {
				if s == s0 || !x.fits(r, s) {
					continue
				}
				if c := x.gapDelta(q.A, s) + x.gapDelta(q.B, s); c < bestCost {
					best, bestCost = s, c
				}
			}
			x.place(r, best)
			if best != s0 {
				improved = true
			}
		}
		x.log = x.log[:0]
		if !improved {
			return
		}
	}
}

// augmentCaps tries to hold a meeting left out because one of its people
// reached the cap: that person gives up one of their meetings (a, c), the
// left-out one takes its place, and c, now under the cap, holds another of
// their left-out meetings — one more meeting in all, or everything undone.
func (x *solver) augmentCaps(round int) {
	for _, r := range x.order(round) {
		if x.budget <= 0 {
			return
		}
		if x.slot[r] >= 0 {
			continue
		}
		q := x.p.Requests[r]
		a, b := q.A, q.B
		if !x.capOK(a) && !x.capOK(b) {
			continue
		}
		if x.capOK(a) {
			a, b = b, a
		}
		if x.capOK(a) {
			continue // both under the cap: repair already tried
		}
		x.swapForCap(r, a)
		x.log = x.log[:0]
	}
}

func (x *solver) swapForCap(r, a int) bool {
	for s := range x.S {
		m := int(x.busy[a*x.S+s])
		if m < 0 || x.locked[m] {
			continue
		}
		q := x.p.Requests[m]
		c := q.A
		if c == a {
			c = q.B
		}
		mark := len(x.log)
		x.unplace(m)
		members := []int{r, m}
		x.inChain[r], x.inChain[m] = true, true
		if x.chain(r, 2, &members) && x.holdAnother(c, m, &members) {
			x.clearChain(members)
			return true
		}
		x.rollback(mark)
		x.clearChain(members)
	}
	return false
}

// holdAnother places one left-out meeting of person c other than skip.
func (x *solver) holdAnother(c, skip int, members *[]int) bool {
	for _, r32 := range x.byPerson[c] {
		r2 := int(r32)
		q := x.p.Requests[r2]
		if r2 == skip || x.slot[r2] >= 0 {
			continue
		}
		if !x.capOK(q.A) || !x.capOK(q.B) {
			continue
		}
		x.inChain[r2] = true
		*members = append(*members, r2)
		if x.chain(r2, 2, members) {
			return true
		}
	}
	return false
}

func (x *solver) clearChain(members []int) {
	for _, m := range members {
		x.inChain[m] = false
	}
}
