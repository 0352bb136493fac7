// Package meetings places accepted 1:1 meeting requests of a brokerage
// event into time slots and tables. It is pure: no I/O, no clock, no
// randomness that is not seeded from the problem, so the same problem
// always gets the same plan.
//
// The objective, in order: keep meetings already announced where they
// still fit; hold as many meetings as possible; then leave each person as
// few idle slots between their first and last meeting of a day as
// possible. Nobody is ever in two places at once, nobody meets in a slot
// they are unavailable for, nobody exceeds the cap, and no slot holds more
// meetings than there are tables.
package meetings

import (
	"errors"
	"fmt"
	"slices"
)

// Problem is one scheduling task. People are numbered 0..People-1 and slots
// 0..len(Slots)-1 in time order.
type Problem struct {
	People int
	Slots  []Slot
	Tables int
	// Cap is the most meetings one person holds; 0 means no cap.
	Cap int
	// Unavailable lists, per person, the slots they cannot meet in (their
	// own sessions, travel, ...). It may be shorter than People.
	Unavailable [][]int
	Requests    []Request
}

// Slot is one time slot. Slots of the same day carry the same Day;
// idle gaps are counted within a day only.
type Slot struct {
	Day int
}

// Request is one accepted meeting between A and B. Announced, when set,
// is where the meeting was published in an earlier plan.
type Request struct {
	A, B      int
	Announced *Place
}

// Place is where a meeting happens. Slot -1 means it is not held.
type Place struct {
	Slot, Table int
}

// Plan is the answer: one Place per request, in the order of the requests.
type Plan struct {
	Places []Place
	Held   int // meetings placed
	Gaps   int // idle slots between a person's meetings of a day, summed
	Kept   int // announced meetings kept at their place
	Moved  int // announced meetings moved or dropped
}

// ErrInvalid wraps problems with the problem's shape (numbers out of
// range, a meeting with oneself); the events service names the field
// before a problem ever gets here.
var ErrInvalid = errors.New("meetings: invalid problem")

// Check reports the first problem with p's shape.
func (p *Problem) Check() error {
	if p.People < 0 || p.Tables < 0 || p.Cap < 0 {
		return fmt.Errorf("%w: negative size", ErrInvalid)
	}
	for i := 1; i < len(p.Slots); i++ {
		if p.Slots[i].Day < p.Slots[i-1].Day {
			return fmt.Errorf("%w: slot %d is on an earlier day than slot %d", ErrInvalid, i, i-1)
		}
	}
	if len(p.Unavailable) > p.People {
		return fmt.Errorf("%w: unavailability for %d people, only %d attend", ErrInvalid, len(p.Unavailable), p.People)
	}
	for person, ss := range p.Unavailable {
		for _, s := range ss {
			if s < 0 || s >= len(p.Slots) {
				return fmt.Errorf("%w: person %d unavailable in slot %d of %d", ErrInvalid, person, s, len(p.Slots))
			}
		}
	}
	for i, r := range p.Requests {
		if r.A < 0 || r.B < 0 || r.A >= p.People || r.B >= p.People {
			return fmt.Errorf("%w: request %d names someone who does not attend", ErrInvalid, i)
		}
		if r.A == r.B {
			return fmt.Errorf("%w: request %d is a meeting with oneself", ErrInvalid, i)
		}
	}
	return nil
}

// Schedule plans p with the default effort.
func Schedule(p *Problem) (Plan, error) { return ScheduleWith(p, Options{}) }

// Options tunes the search. The zero value is the default.
type Options struct {
	// Depth is the longest chain of moved meetings tried to make room for
	// one more (default 3).
	Depth int
	// Budget caps the chain search in visited placements (default 3
	// million), so that the time is bounded whatever the problem.
	Budget int
	// Rounds is how many shuffled constructions are tried (default 8).
	Rounds int
}

// ScheduleWith plans p with the given effort. It runs the construction
// and repair a few times with the order of equally hard requests shuffled
// (seeded, so the answer is reproducible) and keeps the plan holding most
// meetings, then with fewest gaps; it stops as soon as a plan reaches the
// upper bound.
func ScheduleWith(p *Problem, o Options) (Plan, error) {
	if err := p.Check(); err != nil {
		return Plan{}, err
	}
	if o.Depth <= 0 {
		o.Depth = 3
	}
	if o.Budget <= 0 {
		o.Budget = 3_000_000
	}
	if o.Rounds <= 0 {
		o.Rounds = 8
	}
	bound := UpperBound(p)
	budget := o.Budget
	var best Plan
	for round := 0; round < o.Rounds && budget > 0; round++ {
		x := newSolver(p)
		x.budget = budget
		x.keepAnnounced()
		x.greedy(x.order(round))
		for depth := 1; depth <= o.Depth && x.budget > 0 && x.held() < bound; depth++ {
			x.repair(depth, round)
		}
		x.augmentCaps(round)
		x.reduceGaps()
		budget = x.budget - len(p.Requests)
		pl := x.plan()
		if round == 0 || pl.Held > best.Held || (pl.Held == best.Held && pl.Gaps < best.Gaps) {
			best = pl
		}
		if best.Held >= bound && round > 0 {
			break
		}
	}
	return best, nil
}

// Greedy is the first-come baseline: each request in the order given takes
// the earliest slot where both people are free and a table is left.
func Greedy(p *Problem) (Plan, error) {
	if err := p.Check(); err != nil {
		return Plan{}, err
	}
	x := newSolver(p)
	for r := range p.Requests {
		for s := range x.S {
			if x.fits(r, s) {
				x.place(r, s)
				break
			}
		}
	}
	return x.plan(), nil
}

// UpperBound is a quick bound on the meetings any plan can hold: no more
// than the requests, than slots × tables, or than half the sum over people
// of what each can hold (requests, cap, free slots).
func UpperBound(p *Problem) int {
	deg := make([]int, p.People)
	for _, r := range p.Requests {
		deg[r.A]++
		deg[r.B]++
	}
	sum := 0
	for person := range p.People {
		free := len(p.Slots)
		if person < len(p.Unavailable) {
			u := slices.Clone(p.Unavailable[person])
			slices.Sort(u)
			free -= len(slices.Compact(u))
		}
		m := min(deg[person], free)
		if p.Cap > 0 {
			m = min(m, p.Cap)
		}
		sum += m
	}
	return min(len(p.Requests), len(p.Slots)*p.Tables, sum/2)
}

// Gaps counts the idle slots of a plan: for each person and day, the slots
// between their first and last meeting in which they do not meet.
func Gaps(p *Problem, places []Place) int {
	busy := make(map[[2]int][]int) // (person, day) → slots
	for i, r := range p.Requests {
		s := places[i].Slot
		if s < 0 {
			continue
		}
		d := p.Slots[s].Day
		busy[[2]int{r.A, d}] = append(busy[[2]int{r.A, d}], s)
		busy[[2]int{r.B, d}] = append(busy[[2]int{r.B, d}], s)
	}
	total := 0
	for _, ss := range busy {
		lo, hi := slices.Min(ss), slices.Max(ss)
		total += hi - lo + 1 - len(ss)
	}
	return total
}

// Verify checks that places is a valid plan of p: nobody twice in a slot,
// availability, caps, tables. It returns the first violation.
func Verify(p *Problem, places []Place) error {
	if len(places) != len(p.Requests) {
		return fmt.Errorf("%d places for %d requests", len(places), len(p.Requests))
	}
	un := make(map[[2]int]bool)
	for person, ss := range p.Unavailable {
		for _, s := range ss {
			un[[2]int{person, s}] = true
		}
	}
	at := make(map[[2]int]int)    // (person, slot) → request
	table := make(map[[2]int]int) // (slot, table) → request
	count := make([]int, p.People)
	for i, r := range p.Requests {
		pl := places[i]
		if pl.Slot < 0 {
			continue
		}
		if pl.Slot >= len(p.Slots) || pl.Table < 0 || pl.Table >= p.Tables {
			return fmt.Errorf("request %d at slot %d table %d: out of range", i, pl.Slot, pl.Table)
		}
		if j, ok := table[[2]int{pl.Slot, pl.Table}]; ok {
			return fmt.Errorf("requests %d and %d share slot %d table %d", j, i, pl.Slot, pl.Table)
		}
		table[[2]int{pl.Slot, pl.Table}] = i
		for _, person := range []int{r.A, r.B} {
			if un[[2]int{person, pl.Slot}] {
				return fmt.Errorf("request %d: person %d is unavailable in slot %d", i, person, pl.Slot)
			}
			if j, ok := at[[2]int{person, pl.Slot}]; ok {
				return fmt.Errorf("requests %d and %d: person %d in two places in slot %d", j, i, person, pl.Slot)
			}
			at[[2]int{person, pl.Slot}] = i
			count[person]++
			if p.Cap > 0 && count[person] > p.Cap {
				return fmt.Errorf("person %d holds more than %d meetings", person, p.Cap)
			}
		}
	}
	return nil
}
