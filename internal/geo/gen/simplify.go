package main

// Simplification along shared borders, and rounding.

import (
	"math"
)

// simplify runs Douglas–Peucker over every ring of the features, arc by
// arc between the points where borders meet, so that a border shared by
// two outlines is simplified the same way in both, then rounds to
// integers and drops the islands that became too small.
func simplify(features []*feature) {
	// A junction is a point with more than two distinct neighbours over all
	// rings: where a border between two outlines starts or ends.
	neighbours := map[pt][]pt{}
	add := func(p, q pt) {
		ns := neighbours[p]
		for _, n := range ns {
			if n == q {
				return
			}
		}
		if len(ns) < 3 {
			neighbours[p] = append(ns, q)
		}
	}
	for _, f := range features {
		for _, r := range f.rings() {
			for i := range r {
				a, b := r[i], r[(i+1)%len(r)]
				add(a, b)
				add(b, a)
			}
		}
	}
	for _, f := range features {
		var largest float64
		for pi := range f.polys {
			p := &f.polys[pi]
			var kept []ring
			for k, r := range p.rings {
				s := quantise(simplifyRing(r, neighbours))
				if len(s) < 3 {
					if k == 0 {
						break
					}
					continue
				}
				kept = append(kept, s)
			}
			p.rings = kept
			if len(kept) > 0 {
				largest = math.Max(largest, math.Abs(area(kept[0])))
			}
		}
		var polys []polygon
		for _, p := range f.polys {
			if len(p.rings) == 0 {
				continue
			}
			if a := math.Abs(area(p.rings[0])); a < minIsland && a < largest {
				continue
			}
			polys = append(polys, p)
		}
		f.polys = polys
	}
}

func simplifyRing(r ring, neighbours map[pt][]pt) ring {
	var junctions []int
	for i, q := range r {
		if len(neighbours[q]) > 2 {
			junctions = append(junctions, i)
		}
	}
	if len(junctions) == 0 {
		// A ring no other shares: start at its least point, so that the same
		// loop seen from an enclave and from its surroundings gets the same
		// start.
		min := 0
		for i, q := range r {
			if less(q, r[min]) {
				min = i
			}
		}
		junctions = []int{min}
	}
	// Walk the closed ring from the first junction.
	start := junctions[0]
	seq := make(ring, 0, len(r)+1)
	seq = append(seq, r[start:]...)
	seq = append(seq, r[:start]...)
	seq = append(seq, r[start])
	cuts := []int{}
	for _, j := range junctions {
		cuts = append(cuts, (j-start+len(r))%len(r))
	}
	cuts = append(cuts, len(r))
	var out ring
	for i := 0; i+1 < len(cuts); i++ {
		arc := simplifyArc(seq[cuts[i] : cuts[i+1]+1])
		out = append(out, arc[:len(arc)-1]...)
	}
	return out
}

// simplifyArc runs Douglas–Peucker on an arc in a canonical direction, so
// that the arc gives the same points whichever ring it is walked from.
func simplifyArc(a ring) ring {
	n := len(a)
	reverse := less(a[n-1], a[0]) || a[0] == a[n-1] && n > 2 && less(a[n-2], a[1])
	if reverse {
		a = reversed(a)
	}
	keep := make([]bool, n)
	keep[0], keep[n-1] = true, true
	type span struct{ i, j int }
	stack := []span{{0, n - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		best, bestD := -1, tolerance
		for k := s.i + 1; k < s.j; k++ {
			if d := segmentDistance(a[k], a[s.i], a[s.j]); d > bestD {
				best, bestD = k, d
			}
		}
		if best >= 0 {
			keep[best] = true
			stack = append(stack, span{s.i, best}, span{best, s.j})
		}
	}
	out := make(ring, 0, n)
	for i, q := range a {
		if keep[i] {
			out = append(out, q)
		}
	}
	if reverse {
		out = reversed(out)
	}
	return out
}

func reversed(a ring) ring {
	out := make(ring, len(a))
	for i, q := range a {
		out[len(a)-1-i] = q
	}
	return out
}

func segmentDistance(p, a, b pt) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := ((p.x-a.x)*dx + (p.y-a.y)*dy) / l2
	t = math.Max(0, math.Min(1, t))
	return math.Hypot(p.x-(a.x+t*dx), p.y-(a.y+t*dy))
}

// quantise rounds to whole units and drops the points that became equal.
func quantise(r ring) ring {
	out := make(ring, 0, len(r))
	for _, q := range r {
		out = append(out, pt{math.Round(q.x), math.Round(q.y)})
	}
	out = dedupe(out)
	// Drop spikes (a b a) that rounding may leave.
	for changed := true; changed && len(out) >= 3; {
		changed = false
		for i := 0; i < len(out) && len(out) >= 3; i++ {
			prev, next := out[(i-1+len(out))%len(out)], out[(i+1)%len(out)]
			if prev == next {
				out = append(out[:i], out[i+1:]...)
				out = dedupe(out)
				changed = true
				break
			}
		}
	}
	if len(out) < 3 || area(out) == 0 {
		return nil
	}
	return out
}
