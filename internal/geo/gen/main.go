// Command gen derives internal/geo/europe.json from the map data in
// ../shared/data/geo: the Eurostat GISCO NUTS 2021 regions (levels 0 and 2,
// 1:60 million, with their label points) and the Natural Earth 1:50m
// country outlines from world-atlas (TopoJSON) for the neighbours.
//
// Each outline is projected (geo.Project: Lambert azimuthal equal-area at
// 52°N 10°E; the Azores, Madeira and the Canary Islands into insets),
// clipped to the viewBox, simplified with Douglas–Peucker along the shared
// borders so that neighbours keep fitting together, rounded to integers and
// written as SVG path data. The output is deterministic: the same input
// gives the same bytes.
//
// Run it through go generate in internal/geo:
//
//	go run ./gen -src ../../../shared/data/geo -out europe.json
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/geo"
)

// Tuning of the simplification, in viewBox units.
const (
	tolerance  = 0.4 // Douglas–Peucker distance
	minIsland  = 2.0 // islands smaller than this (unit²) are dropped, except a feature's largest
	minSliver  = 40  // a neighbour cut by the frame to less than this (unit²) is left out
	labelSteps = 48  // grid of the label search across the shape's box
)

func main() {
	src := flag.String("src", "../../../shared/data/geo", "folder with the NUTS GeoJSON and world-atlas TopoJSON files")
	out := flag.String("out", "europe.json", "file to write")
	flag.Parse()
	data, err := Generate(*src)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, data, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// Input files, inside the source folder.
const (
	nuts0File   = "NUTS_RG_60M_2021_4326_LEVL_0.geojson"
	nuts2File   = "NUTS_RG_60M_2021_4326_LEVL_2.geojson"
	label0File  = "NUTS_LB_2021_4326_LEVL_0.geojson"
	label2File  = "NUTS_LB_2021_4326_LEVL_2.geojson"
	worldFile   = "countries-50m.json"
	licenceFile = "world-atlas-LICENSE"
)

// Generate reads the source folder and returns the contents of europe.json.
func Generate(src string) ([]byte, error) {
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(src, name)) }

	var nuts0, nuts2, lb0, lb2 featureCollection
	for _, f := range []struct {
		name string
		into *featureCollection
	}{{nuts0File, &nuts0}, {nuts2File, &nuts2}, {label0File, &lb0}, {label2File, &lb2}} {
		b, err := read(f.name)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, f.into); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	worldData, err := read(worldFile)
	if err != nil {
		return nil, err
	}
	world, err := readTopology(worldData)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", worldFile, err)
	}
	licence, err := read(licenceFile)
	if err != nil {
		return nil, err
	}

	labels := map[string][2]float64{}
	for _, fc := range []featureCollection{lb0, lb2} {
		for _, f := range fc.Features {
			var c [2]float64
			if f.Geometry.Type != "Point" || json.Unmarshal(f.Geometry.Coordinates, &c) != nil {
				return nil, fmt.Errorf("label %s: not a point", f.Properties.NUTSID)
			}
			labels[f.Properties.NUTSID] = c
		}
	}

	// The NUTS features (one topology: level 0 and level 2 share their
	// borders) and the Natural Earth neighbours (another).
	var nuts, context []*feature
	nutsCountries := map[string]bool{}
	for _, f := range nuts0.Features {
		polys, err := f.Geometry.polygons()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Properties.NUTSID, err)
		}
		code := isoCountry(f.Properties.NUTSID)
		nutsCountries[code] = true
		nuts = append(nuts, &feature{code: code, nutsID: f.Properties.NUTSID, level: 0, lonlat: polys})
	}
	for _, f := range nuts2.Features {
		polys, err := f.Geometry.polygons()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Properties.NUTSID, err)
		}
		nuts = append(nuts, &feature{
			code: f.Properties.NUTSID, nutsID: f.Properties.NUTSID, level: 2,
			country: isoCountry(f.Properties.CountryCode), name: f.Properties.NameLatin, lonlat: polys,
		})
	}
	for _, g := range world {
		code, known := worldCodes[g.id]
		if g.id == "" {
			code, known = worldNames[g.name]
		}
		f := &feature{code: code, level: -1, lonlat: g.polygons}
		f.project()
		if len(f.polys) == 0 {
			continue // outside the frame
		}
		if !known {
			return nil, fmt.Errorf("%s %q reaches into the map: add it to worldCodes", g.id, g.name)
		}
		if code == "" || nutsCountries[code] {
			continue // drawn from NUTS
		}
		context = append(context, f)
	}
	for _, f := range nuts {
		f.project()
	}

	simplify(nuts)
	simplify(context)

	out := geo.File{
		Format: geo.FileFormat, Width: geo.Width, Height: geo.Height,
		Projection: fmt.Sprintf("Lambert azimuthal equal-area on a sphere centred at 52N 10E; viewBox %d×%d; insets: %s",
			geo.Width, geo.Height, insetNames()),
		Sources: []string{
			"Eurostat GISCO, NUTS 2021, 1:60 million, levels 0 and 2 (regions and label points), WGS84",
			"Natural Earth 1:50m admin 0 countries, via the npm package world-atlas 2.0.2 (countries-50m.json)",
		},
		Attribution: []string{
			"© EuroGeographics for the administrative boundaries",
			"Natural Earth",
			"world-atlas © 2013-2019 Michael Bostock, ISC licence",
		},
		Notices: []string{"world-atlas:\n" + strings.TrimSpace(strings.ReplaceAll(string(licence), "\r\n", "\n"))},
	}
	panels := geo.Insets()
	for _, f := range nuts {
		if len(f.rings()) == 0 {
			continue // outside the frame: FRY1–FRY5 and the like
		}
		for _, p := range f.polys {
			if p.inset == nil && overlapsInset(p, panels) {
				return nil, fmt.Errorf("%s reaches into an inset box", f.code)
			}
			if p.inset != nil && !withinBox(p, *p.inset) {
				return nil, fmt.Errorf("%s does not fit its inset box %s", f.code, p.inset.Name)
			}
		}
		label, err := f.label(labels)
		if err != nil {
			return nil, err
		}
		if f.level == 0 {
			out.Countries = append(out.Countries, geo.Country{Code: f.code, NUTS: true, Label: label, Path: f.path()})
		} else {
			out.Regions = append(out.Regions, geo.Region{Code: f.code, Country: f.country, Name: f.name, Label: label, Path: f.path()})
		}
	}
	for _, f := range context {
		if len(f.rings()) == 0 || f.sliver() {
			continue
		}
		label, err := f.label(nil)
		if err != nil {
			return nil, err
		}
		under := false
		for _, p := range f.polys {
			under = under || overlapsInset(p, panels)
		}
		out.Countries = append(out.Countries, geo.Country{Code: f.code, UnderInset: under, Label: label, Path: f.path()})
	}
	sort.Slice(out.Countries, func(i, j int) bool { return out.Countries[i].Code < out.Countries[j].Code })
	sort.Slice(out.Regions, func(i, j int) bool { return out.Regions[i].Code < out.Regions[j].Code })
	for i := 1; i < len(out.Countries); i++ {
		if out.Countries[i].Code == out.Countries[i-1].Code {
			return nil, fmt.Errorf("country %s twice", out.Countries[i].Code)
		}
	}
	return encode(out)
}

func insetNames() string {
	var names []string
	for _, in := range geo.Insets() {
		names = append(names, in.Name)
	}
	return strings.Join(names, ", ")
}

// encode writes the file with one country or region per line, so that a
// change of the data shows as a readable diff.
func encode(f geo.File) ([]byte, error) {
	var b bytes.Buffer
	enc := func(v any) error {
		var e bytes.Buffer
		je := json.NewEncoder(&e)
		je.SetEscapeHTML(false)
		if err := je.Encode(v); err != nil {
			return err
		}
		b.Write(bytes.TrimSuffix(e.Bytes(), []byte("\n")))
		return nil
	}
	field := func(name string, v any, last bool) error {
		fmt.Fprintf(&b, "%q:", name)
		if err := enc(v); err != nil {
			return err
		}
		if !last {
			b.WriteString(",\n")
		}
		return nil
	}
	b.WriteString("{")
	for _, kv := range []struct {
		k string
		v any
	}{{"format", f.Format}, {"width", f.Width}, {"height", f.Height}, {"projection", f.Projection},
		{"sources", f.Sources}, {"attribution", f.Attribution}, {"notices", f.Notices}} {
		if err := field(kv.k, kv.v, false); err != nil {
			return nil, err
		}
	}
	list := func(name string, n int, item func(i int) any, last bool) error {
		fmt.Fprintf(&b, "%q:[\n", name)
		for i := 0; i < n; i++ {
			if err := enc(item(i)); err != nil {
				return err
			}
			if i < n-1 {
				b.WriteString(",")
			}
			b.WriteString("\n")
		}
		b.WriteString("]")
		if !last {
			b.WriteString(",\n")
		}
		return nil
	}
	if err := list("countries", len(f.Countries), func(i int) any { return f.Countries[i] }, false); err != nil {
		return nil, err
	}
	if err := list("regions", len(f.Regions), func(i int) any { return f.Regions[i] }, true); err != nil {
		return nil, err
	}
	b.WriteString("}\n")
	return b.Bytes(), nil
}

// isoCountry maps a NUTS country code to ISO 3166-1 alpha-2.
func isoCountry(nutsID string) string {
	c := nutsID[:2]
	switch c {
	case "EL":
		return "GR"
	case "UK":
		return "GB"
	}
	return c
}

// worldCodes maps the ISO numeric ids of the Natural Earth countries that
// reach into the frame to alpha-2. An empty code means "not drawn from
// Natural Earth" (Åland is part of FI20 in NUTS). The generator fails when a
// country reaches into the frame and is missing here.
var worldCodes = map[string]string{
	"008": "AL", "012": "DZ", "020": "AD", "040": "AT", "056": "BE", "070": "BA", "100": "BG",
	"112": "BY", "191": "HR", "196": "CY", "203": "CZ", "208": "DK", "233": "EE", "234": "FO",
	"246": "FI", "248": "", "250": "FR", "268": "GE", "275": "PS", "276": "DE", "300": "GR",
	"304": "GL", "348": "HU", "352": "IS", "368": "IQ", "372": "IE", "376": "IL", "380": "IT",
	"400": "JO", "422": "LB", "428": "LV", "434": "LY", "438": "LI", "440": "LT", "442": "LU",
	"470": "MT", "492": "MC", "498": "MD", "499": "ME", "504": "MA", "528": "NL", "578": "NO",
	"616": "PL", "620": "PT", "642": "RO", "643": "RU", "674": "SM", "682": "SA", "688": "RS",
	"703": "SK", "705": "SI", "724": "ES", "752": "SE", "756": "CH", "760": "SY", "788": "TN",
	"792": "TR", "804": "UA", "807": "MK", "818": "EG", "826": "GB", "831": "GG", "832": "JE",
	"833": "IM", "336": "VA",
}

// worldNames maps the Natural Earth countries without an ISO numeric id.
// Northern Cyprus is inside the NUTS outline of CY.
var worldNames = map[string]string{"Kosovo": "XK", "N. Cyprus": ""}

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

type featureCollection struct {
	Features []struct {
		Geometry   geometry `json:"geometry"`
		Properties struct {
			NUTSID      string `json:"NUTS_ID"`
			CountryCode string `json:"CNTR_CODE"`
			NameLatin   string `json:"NAME_LATN"`
		} `json:"properties"`
	} `json:"features"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

func (g geometry) polygons() ([][]ring, error) {
	var raw [][][][2]float64
	switch g.Type {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, err
		}
		raw = [][][][2]float64{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &raw); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry %s", g.Type)
	}
	out := make([][]ring, 0, len(raw))
	for _, p := range raw {
		var poly []ring
		for _, r := range p {
			rr := make(ring, len(r))
			for i, c := range r {
				rr[i] = pt{c[0], c[1]}
			}
			poly = append(poly, dedupe(rr))
		}
		out = append(out, poly)
	}
	return out, nil
}

// TopoJSON input (world-atlas).

// transfers move a part of a country to another where Natural Earth's de
// facto lines differ from the EU's position: world-atlas 2.0.2 (Natural
// Earth 4.1) draws Crimea as part of Russia; the EU holds it to be part of
// Ukraine. The part is joined to Ukraine along their common border.
var transfers = []struct {
	name, from, to string
	box            [4]float64 // minLon, minLat, maxLon, maxLat of the part
}{
	{"Crimea", "643", "804", [4]float64{32.3, 44.2, 36.8, 46.4}},
}

func within(r ring, box [4]float64) bool {
	for _, q := range r {
		if q.x < box[0] || q.x > box[2] || q.y < box[1] || q.y > box[3] {
			return false
		}
	}
	return len(r) > 0
}

// mergePolygon adds a polygon (rings of arc indexes) to a country. When its
// outer ring shares an arc with the outer ring of one of the country's
// polygons (walked the other way, as neighbours do), the two become one:
// the shared arc is dropped and the rest of the new ring takes its place.
// Otherwise the polygon is added as an island.
func mergePolygon(polys [][][]int, part [][]int) [][][]int {
	add := part[0]
	for k, p := range polys {
		outer := p[0]
		for i, a := range outer {
			for j, b := range add {
				if a != ^b {
					continue
				}
				// outer = … a …; add = … ^a …: replace a by the arcs of add
				// that follow ^a, around to the one before it.
				merged := append([]int(nil), outer[:i]...)
				merged = append(merged, add[j+1:]...)
				merged = append(merged, add[:j]...)
				merged = append(merged, outer[i+1:]...)
				np := append([][]int{merged}, p[1:]...)
				np = append(np, part[1:]...)
				out := append([][][]int(nil), polys...)
				out[k] = np
				return out
			}
		}
	}
	return append(polys, part)
}

type topoCountry struct {
	id, name string
	polygons [][]ring
}

func readTopology(data []byte) ([]topoCountry, error) {
	var t struct {
		Transform struct {
			Scale     [2]float64 `json:"scale"`
			Translate [2]float64 `json:"translate"`
		} `json:"transform"`
		Arcs    [][][2]float64 `json:"arcs"`
		Objects struct {
			Countries struct {
				Geometries []struct {
					Type       string          `json:"type"`
					ID         string          `json:"id"`
					Arcs       json.RawMessage `json:"arcs"`
					Properties struct {
						Name string `json:"name"`
					} `json:"properties"`
				} `json:"geometries"`
			} `json:"countries"`
		} `json:"objects"`
	}
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, err
	}
	arcs := make([]ring, len(t.Arcs))
	for i, a := range t.Arcs {
		var x, y float64
		r := make(ring, len(a))
		for k, d := range a {
			x, y = x+d[0], y+d[1]
			r[k] = pt{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		arcs[i] = r
	}
	stitch := func(idx []int) ring {
		var r ring
		for n, i := range idx {
			var a ring
			if i >= 0 {
				a = arcs[i]
			} else {
				a = reversed(arcs[^i])
			}
			if n > 0 {
				a = a[1:]
			}
			r = append(r, a...)
		}
		return dedupe(r)
	}
	type topoGeom struct {
		id, name string
		polys    [][][]int // polygons → rings → arc indexes (~i: arc i reversed)
	}
	var geoms []*topoGeom
	byID := map[string]*topoGeom{}
	for _, g := range t.Objects.Countries.Geometries {
		tg := &topoGeom{id: g.ID, name: g.Properties.Name}
		switch g.Type {
		case "Polygon":
			var p [][]int
			if err := json.Unmarshal(g.Arcs, &p); err != nil {
				return nil, err
			}
			tg.polys = [][][]int{p}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &tg.polys); err != nil {
				return nil, err
			}
		default:
			continue // null geometries
		}
		geoms = append(geoms, tg)
		if g.ID != "" {
			byID[g.ID] = tg
		}
	}
	for _, tr := range transfers {
		from, to := byID[tr.from], byID[tr.to]
		if from == nil || to == nil {
			return nil, fmt.Errorf("transfer %s: no country %s or %s", tr.name, tr.from, tr.to)
		}
		moved := -1
		for k, p := range from.polys {
			if within(stitch(p[0]), tr.box) {
				moved = k
				break
			}
		}
		if moved < 0 {
			return nil, fmt.Errorf("transfer %s: no part of %s in %v", tr.name, tr.from, tr.box)
		}
		part := from.polys[moved]
		from.polys = append(from.polys[:moved:moved], from.polys[moved+1:]...)
		to.polys = mergePolygon(to.polys, part)
	}
	var out []topoCountry
	for _, g := range geoms {
		c := topoCountry{id: g.id, name: g.name}
		for _, p := range g.polys {
			var poly []ring
			for _, r := range p {
				poly = append(poly, stitch(r))
			}
			c.polygons = append(c.polygons, poly)
		}
		out = append(out, c)
	}
	return out, nil
}
