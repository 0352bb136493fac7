package network

import (
	"math"
	"math/rand/v2"

	"github.com/escnet/escnet/internal/svg"
)

// layout places the nodes with Fruchterman–Reingold: nodes repel each
// other, edges pull their ends together (heavier edges harder), a weak
// gravity keeps loose parts in, and the temperature — the longest step a
// node may take — cools linearly. A single node in focus is pinned at the
// centre. The start positions come from a PCG seeded with opts.Seed and the
// nodes' order, which selectGraph fixes, so the result depends only on the
// input. O(n²) per iteration: meant for the ≤ 60 nodes of a drawing.
func layout(g graph, opts Options) []Placed {
	n := len(g.nodes)
	W, H := float64(opts.Width), float64(opts.Height)
	const margin = 14.0
	out, maxW := sizes(g)
	if n == 0 {
		return out
	}
	halfW, halfH := W/2-margin-20, H/2-margin-20
	f := &forces{g: g, n: n, halfW: halfW, halfH: halfH, maxW: maxW, pinned: g.focus == 1}
	f.start(opts.Seed)
	f.run(out, opts.Iterations)
	fit(out, f.x, f.y, W, H, margin, f.pinned)
	placeLabels(out, W, H, g.focus)
	return out
}

// sizes returns the nodes with their radii, by the weight of the drawn
// edges, and the heaviest edge.
func sizes(g graph) ([]Placed, int) {
	n := len(g.nodes)
	out := make([]Placed, n)
	wd := make([]int, n)
	maxWd, maxW := 1, 1
	for _, e := range g.edges {
		wd[e.a] += e.w
		wd[e.b] += e.w
		maxW = max(maxW, e.w)
	}
	for _, w := range wd {
		maxWd = max(maxWd, w)
	}
	for i := range out {
		out[i].Node = g.nodes[i]
		out[i].Weight = wd[i]
		out[i].R = svg.Round1(5 + 9*math.Sqrt(float64(wd[i])/float64(maxWd)))
		if i < g.focus {
			out[i].R = math.Max(out[i].R, 12)
		}
	}
	return out, maxW
}

// forces is the state of the force simulation, centred on 0, 0.
type forces struct {
	g            graph
	n            int
	halfW, halfH float64
	maxW         int
	pinned       bool // a single node in focus stays at the centre
	x, y         []float64
	dx, dy       []float64
	rad          []float64
	k            float64
}

// start places the focus near the centre and the partners on a
// golden-angle spiral, the strongest nearest.
func (f *forces) start(seed uint64) {
	g, n := f.g, f.n
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	f.x, f.y = make([]float64, n), make([]float64, n)
	for i := range n {
		var rad float64
		if i < g.focus {
			rad = 0.3 * math.Sqrt(float64(i)/float64(max(g.focus, 1)))
		} else {
			k := i - g.focus
			rad = 0.35 + 0.6*math.Sqrt(float64(k+1)/float64(n-g.focus))
		}
		a := float64(i)*2.399963229728653 + rng.Float64()*0.3
		f.x[i] = rad * f.halfW * math.Cos(a)
		f.y[i] = rad * f.halfH * math.Sin(a)
	}
	if f.pinned {
		f.x[0], f.y[0] = 0, 0
	}
}

// run moves the nodes for iters steps as the temperature cools.
func (f *forces) run(out []Placed, iters int) {
	n := f.n
	area := 4 * f.halfW * f.halfH
	f.k = 0.75 * math.Sqrt(area/float64(n))
	t0 := f.halfW / 4
	f.dx, f.dy = make([]float64, n), make([]float64, n)
	f.rad = make([]float64, n)
	for i := range out {
		f.rad[i] = out[i].R
	}
	for it := 0; it < iters; it++ {
		clear(f.dx)
		clear(f.dy)
		f.repel()
		f.attract()
		f.move(t0*(1-float64(it)/float64(iters)) + 0.5)
	}
}

// repel pushes every pair of nodes apart, harder when circles overlap.
func (f *forces) repel() {
	x, y, dx, dy := f.x, f.y, f.dx, f.dy
	kk := f.k * f.k
	for i := 0; i < f.n; i++ {
		for j := i + 1; j < f.n; j++ {
			ex, ey := x[i]-x[j], y[i]-y[j]
			d := math.Sqrt(ex*ex + ey*ey)
			if d < 0.01 {
				// Coincident: push apart along a direction fixed by the pair.
				a := float64(i*31+j*17) * 0.7
				ex, ey, d = math.Cos(a)*0.01, math.Sin(a)*0.01, 0.01
			}
			fr := kk / d
			if gap := f.rad[i] + f.rad[j] + 8; d < gap {
				fr *= 4 // keep circles from overlapping
			}
			fr /= d
			fx, fy := ex*fr, ey*fr
			dx[i] += fx
			dy[i] += fy
			dx[j] -= fx
			dy[j] -= fy
		}
	}
}

// attract pulls the ends of every edge together, heavier edges harder.
func (f *forces) attract() {
	x, y, dx, dy := f.x, f.y, f.dx, f.dy
	for _, e := range f.g.edges {
		ex, ey := x[e.a]-x[e.b], y[e.a]-y[e.b]
		d := math.Sqrt(ex*ex + ey*ey)
		if d < 0.01 {
			continue
		}
		fa := d * d / f.k * (0.35 + 0.65*float64(e.w)/float64(f.maxW))
		fx, fy := ex/d*fa, ey/d*fa
		dx[e.a] -= fx
		dy[e.a] -= fy
		dx[e.b] += fx
		dy[e.b] += fy
	}
}

// move adds a weak gravity and moves each node at most t, inside the
// frame.
func (f *forces) move(t float64) {
	const gravity = 0.04
	x, y, dx, dy := f.x, f.y, f.dx, f.dy
	for i := range f.n {
		if f.pinned && i == 0 {
			continue
		}
		dx[i] -= gravity * f.k * x[i] / f.halfW * 4
		dy[i] -= gravity * f.k * y[i] / f.halfH * 4
		d := math.Hypot(dx[i], dy[i])
		if d > 0 {
			step := math.Min(d, t)
			x[i] += dx[i] / d * step
			y[i] += dy[i] / d * step
		}
		x[i] = math.Max(-f.halfW, math.Min(f.halfW, x[i]))
		y[i] = math.Max(-f.halfH, math.Min(f.halfH, y[i]))
	}
}

// fit scales the layout into the viewBox, keeping its shape; a pinned
// focus stays in the middle.
func fit(out []Placed, x, y []float64, W, H, margin float64, pinned bool) {
	n := len(out)
	maxR := 0.0
	for _, p := range out {
		maxR = math.Max(maxR, p.R)
	}
	availW, availH := W-2*(margin+maxR), H-2*(margin+maxR)
	var cx, cy float64
	if pinned {
		cx, cy = x[0], y[0]
	} else {
		minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
		for i := range n {
			minX, maxX = math.Min(minX, x[i]), math.Max(maxX, x[i])
			minY, maxY = math.Min(minY, y[i]), math.Max(maxY, y[i])
		}
		cx, cy = (minX+maxX)/2, (minY+maxY)/2
	}
	var ex, ey float64 // the extent on either side of the centre
	for i := range n {
		ex, ey = math.Max(ex, math.Abs(x[i]-cx)), math.Max(ey, math.Abs(y[i]-cy))
	}
	s := 4.0
	if ex > 0 {
		s = math.Min(s, availW/2/ex)
	}
	if ey > 0 {
		s = math.Min(s, availH/2/ey)
	}
	for i := range out {
		px := W/2 + (x[i]-cx)*s
		py := H/2 + (y[i]-cy)*s
		r := out[i].R
		out[i].X = svg.Round1(math.Max(margin+r, math.Min(W-margin-r, px)))
		out[i].Y = svg.Round1(math.Max(margin+r, math.Min(H-margin-r, py)))
	}
}

// box is a label's or a node's rectangle.
type box struct{ x0, y0, x1, y1 float64 }

func (a box) overlaps(b box) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

// placeLabels puts each label beside its node — right, left, below or
// above, the first place that stays on the canvas and clear of the labels
// already placed and of the other nodes. Nodes come in order of
// importance (focus first, then the strongest partners); a label with no
// free place is left out (the name stays in the tooltip and the table).
//
// Labels of nodes in focus get a second try in which they may cross other
// nodes (their halo keeps them legible).
func placeLabels(nodes []Placed, W, H float64, focus int) {
	const pad = 3.0
	var taken []box
	circles := make([]box, len(nodes))
	for i, p := range nodes {
		circles[i] = box{p.X - p.R, p.Y - p.R, p.X + p.R, p.Y + p.R}
	}
	for i := range nodes {
		p := &nodes[i]
		text := truncate(p.Label, maxLabelRunes)
		w := float64(len([]rune(text)))*charWidth + 2
		h := fontSize + 2
		type cand struct {
			x, y   float64
			anchor string
			b      box
		}
		baseline := fontSize * 0.35 // from the middle of the text to its baseline
		cands := []cand{
			{p.X + p.R + pad, p.Y + baseline, "start", box{p.X + p.R + pad, p.Y - h/2, p.X + p.R + pad + w, p.Y + h/2}},
			{p.X - p.R - pad, p.Y + baseline, "end", box{p.X - p.R - pad - w, p.Y - h/2, p.X - p.R - pad, p.Y + h/2}},
			{p.X, p.Y + p.R + pad + h/2 + baseline, "middle", box{p.X - w/2, p.Y + p.R + pad, p.X + w/2, p.Y + p.R + pad + h}},
			{p.X, p.Y - p.R - pad - h/2 + baseline, "middle", box{p.X - w/2, p.Y - p.R - pad - h, p.X + w/2, p.Y - p.R - pad}},
		}
		tries := 1
		if i < focus {
			tries = 2
		}
	search:
		for try := 0; try < tries; try++ {
			for _, c := range cands {
				if c.b.x0 < 2 || c.b.y0 < 2 || c.b.x1 > W-2 || c.b.y1 > H-2 {
					continue
				}
				free := true
				for _, t := range taken {
					if c.b.overlaps(t) {
						free = false
						break
					}
				}
				for j, cb := range circles {
					if free && try == 0 && j != i && c.b.overlaps(cb) {
						free = false
					}
				}
				if free {
					p.LabelX, p.LabelY, p.Anchor, p.LabelShown = svg.Round1(c.x), svg.Round1(c.y), c.anchor, true
					taken = append(taken, c.b)
					break search
				}
			}
		}
	}
}
