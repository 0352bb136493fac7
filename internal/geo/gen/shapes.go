package main

// Shapes: projection, clipping, areas, paths and label points.

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/geo"
)

// pt is a point: degrees (lon, lat) before projection, viewBox units after.
type pt struct{ x, y float64 }

func less(a, b pt) bool { return a.x < b.x || a.x == b.x && a.y < b.y }

type ring []pt // open: the last point is not repeated

// polygon is an outer ring and its holes, in viewBox units.
type polygon struct {
	rings []ring
	inset *geo.Inset
}

type feature struct {
	code, nutsID, country, name string
	level                       int // 0, 2 (NUTS) or -1 (Natural Earth)
	lonlat                      [][]ring
	polys                       []polygon
}

func (f *feature) rings() []ring {
	var out []ring
	for _, p := range f.polys {
		out = append(out, p.rings...)
	}
	return out
}

// project projects and clips the feature's polygons.
func (f *feature) project() {
	insets := geo.Insets()
	f.polys = nil
	for _, poly := range f.lonlat {
		var in *geo.Inset
		for i := range insets {
			if ringWithin(poly[0], insets[i]) {
				in = &insets[i]
			}
		}
		var p polygon
		p.inset = in
		for k, r := range poly {
			pr := make(ring, 0, len(r))
			for _, q := range r {
				var x, y float64
				if in != nil {
					x, y = projectInset(q)
				} else {
					x, y = projectMain(q)
				}
				pr = append(pr, pt{x, y})
			}
			pr = dedupe(pr)
			if in == nil {
				pr = clip(pr)
			}
			if len(pr) < 3 || area(pr) == 0 {
				if k == 0 {
					break // the outer ring is gone: so are its holes
				}
				continue
			}
			p.rings = append(p.rings, pr)
		}
		if len(p.rings) > 0 {
			f.polys = append(f.polys, p)
		}
	}
}

// ringWithin reports whether a ring (in degrees) lies on the islands of an
// inset: geo.Project then places all its points in the inset.
func ringWithin(r ring, in geo.Inset) bool {
	for _, q := range r {
		if !in.Contains(q.y, q.x) {
			return false
		}
	}
	return true
}

func projectInset(q pt) (float64, float64) { return geo.Project(q.y, q.x) }

func projectMain(q pt) (float64, float64) { return geo.ProjectMain(q.y, q.x) }

func overlapsInset(p polygon, panels []geo.Inset) bool {
	for _, r := range p.rings {
		for _, q := range r {
			for _, in := range panels {
				if q.x > in.X && q.x < in.X+in.W && q.y > in.Y && q.y < in.Y+in.H {
					return true
				}
			}
		}
	}
	return false
}

func withinBox(p polygon, in geo.Inset) bool {
	for _, r := range p.rings {
		for _, q := range r {
			if q.x < in.X+1 || q.x > in.X+in.W-1 || q.y < in.Y+1 || q.y > in.Y+in.H-1 {
				return false
			}
		}
	}
	return true
}

func dedupe(r ring) ring {
	out := r[:0:0]
	for _, q := range r {
		if len(out) == 0 || out[len(out)-1] != q {
			out = append(out, q)
		}
	}
	for len(out) > 1 && out[0] == out[len(out)-1] {
		out = out[:len(out)-1]
	}
	return out
}

// area is the signed area of a ring (shoelace).
func area(r ring) float64 {
	var s float64
	for i := range r {
		a, b := r[i], r[(i+1)%len(r)]
		s += a.x*b.y - b.x*a.y
	}
	return s / 2
}

// clip clips a ring to the viewBox (Sutherland–Hodgman). The crossing of
// an edge is computed from its end points in a fixed order, so the two
// neighbours sharing a border get the same new point.
func clip(r ring) ring {
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range r {
		minX, maxX = math.Min(minX, q.x), math.Max(maxX, q.x)
		minY, maxY = math.Min(minY, q.y), math.Max(maxY, q.y)
	}
	if maxX < 0 || maxY < 0 || minX > geo.Width || minY > geo.Height {
		return nil
	}
	if minX >= 0 && minY >= 0 && maxX <= geo.Width && maxY <= geo.Height {
		return r
	}
	type edge struct {
		inside func(pt) bool
		cross  func(a, b pt) pt
	}
	atX := func(x float64) func(a, b pt) pt {
		return func(a, b pt) pt {
			if less(b, a) {
				a, b = b, a
			}
			t := (x - a.x) / (b.x - a.x)
			return pt{x, a.y + t*(b.y-a.y)}
		}
	}
	atY := func(y float64) func(a, b pt) pt {
		return func(a, b pt) pt {
			if less(b, a) {
				a, b = b, a
			}
			t := (y - a.y) / (b.y - a.y)
			return pt{a.x + t*(b.x-a.x), y}
		}
	}
	edges := []edge{
		{func(q pt) bool { return q.x >= 0 }, atX(0)},
		{func(q pt) bool { return q.x <= geo.Width }, atX(geo.Width)},
		{func(q pt) bool { return q.y >= 0 }, atY(0)},
		{func(q pt) bool { return q.y <= geo.Height }, atY(geo.Height)},
	}
	out := r
	for _, e := range edges {
		if len(out) == 0 {
			return nil
		}
		in := out
		out = nil
		prev := in[len(in)-1]
		for _, cur := range in {
			switch {
			case e.inside(cur) && e.inside(prev):
				out = append(out, cur)
			case e.inside(cur):
				out = append(out, e.cross(prev, cur), cur)
			case e.inside(prev):
				out = append(out, e.cross(prev, cur))
			}
			prev = cur
		}
		out = dedupe(out)
	}
	return out
}

// path writes the rings as SVG path data: an absolute move, relative lines.
func (f *feature) path() string {
	var b strings.Builder
	for _, r := range f.rings() {
		b.WriteString("M")
		b.WriteString(strconv.Itoa(int(r[0].x)))
		b.WriteString(" ")
		b.WriteString(strconv.Itoa(int(r[0].y)))
		b.WriteString("l")
		for i := 1; i < len(r); i++ {
			dx, dy := int(r[i].x-r[i-1].x), int(r[i].y-r[i-1].y)
			if i > 1 && dx >= 0 {
				b.WriteString(" ")
			}
			b.WriteString(strconv.Itoa(dx))
			if dy >= 0 {
				b.WriteString(" ")
			}
			b.WriteString(strconv.Itoa(dy))
		}
		b.WriteString("z")
	}
	return b.String()
}

// label returns where the feature's label goes: the NUTS label point when
// it falls inside the drawn outline, else the point of the largest part
// farthest from its edges.
func (f *feature) label(points map[string][2]float64) (geo.Point, error) {
	if c, ok := points[f.nutsID]; ok && f.nutsID != "" {
		x, y := geo.Project(c[1], c[0])
		q := pt{math.Round(x), math.Round(y)}
		if f.contains(q) && edgeDistance(f.polys, q) >= 2 {
			return geo.Point{X: int(q.x), Y: int(q.y)}, nil
		}
	}
	// The largest part outside the insets, or the largest of all.
	best, bestA := -1, 0.0
	for pass := 0; pass < 2 && best < 0; pass++ {
		for i, p := range f.polys {
			if pass == 0 && p.inset != nil {
				continue
			}
			if a := math.Abs(area(p.rings[0])); a > bestA {
				best, bestA = i, a
			}
		}
	}
	if best < 0 {
		return geo.Point{}, fmt.Errorf("%s: nothing to label", f.code)
	}
	p := f.polys[best]
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range p.rings[0] {
		minX, maxX = math.Min(minX, q.x), math.Max(maxX, q.x)
		minY, maxY = math.Min(minY, q.y), math.Max(maxY, q.y)
	}
	step := math.Max(1, math.Round(math.Max(maxX-minX, maxY-minY)/labelSteps))
	var at pt
	bestD := -1.0
	for y := minY; y <= maxY; y += step {
		for x := minX; x <= maxX; x += step {
			q := pt{x, y}
			if !inside([]polygon{p}, q) {
				continue
			}
			if d := edgeDistance([]polygon{p}, q); d > bestD {
				at, bestD = q, d
			}
		}
	}
	if bestD < 0 {
		at = p.rings[0][0]
	}
	return geo.Point{X: int(at.x), Y: int(at.y)}, nil
}

// sliver reports whether only a small piece of the outline reaches into
// the frame (Greenland's coast, a corner of Saudi Arabia): such pieces are
// no help in finding one's way.
func (f *feature) sliver() bool {
	var a float64
	edge := false
	for _, r := range f.rings() {
		a += math.Abs(area(r))
		for _, q := range r {
			edge = edge || q.x == 0 || q.y == 0 || q.x == geo.Width || q.y == geo.Height
		}
	}
	return edge && a < minSliver
}

func (f *feature) contains(q pt) bool { return inside(f.polys, q) }

// inside is the even-odd rule over all rings.
func inside(polys []polygon, q pt) bool {
	in := false
	for _, p := range polys {
		for _, r := range p.rings {
			for i, j := 0, len(r)-1; i < len(r); j, i = i, i+1 {
				a, b := r[i], r[j]
				if (a.y > q.y) != (b.y > q.y) && q.x < (b.x-a.x)*(q.y-a.y)/(b.y-a.y)+a.x {
					in = !in
				}
			}
		}
	}
	return in
}

func edgeDistance(polys []polygon, q pt) float64 {
	d := math.Inf(1)
	for _, p := range polys {
		for _, r := range p.rings {
			for i := range r {
				d = math.Min(d, segmentDistance(q, r[i], r[(i+1)%len(r)]))
			}
		}
	}
	return d
}

// GeoJSON input.
