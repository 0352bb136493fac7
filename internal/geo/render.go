package geo

import (
	"html/template"
	"math"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"

	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/svg"
)

// Level is what the map's areas are.
type Level int

const (
	// ByCountry colours and links countries; Counts are keyed by ISO code.
	ByCountry Level = iota
	// ByRegion colours and links the NUTS-2 regions; Counts are keyed by
	// NUTS-2 code, and by ISO code for the neighbours that have no NUTS
	// regions (Ukraine, Israel, Bosnia and Herzegovina, ...). Country
	// borders are drawn over the regions.
	ByRegion
)

// Levels is the number of colour levels for counts above zero.
const Levels = 5

// RenderOptions says what to draw.
type RenderOptions struct {
	// ID prefixes the ids of the SVG's elements: it must be unique on the
	// page (letters, digits, - and _; default "map").
	ID string
	// Title is the accessible name of the drawing ("Organisations by
	// country"); Desc an optional longer description.
	Title, Desc string

	Level  Level
	Counts map[string]int // see Level; EL and UK are accepted for GR and GB
	// Unit is what Counts count, singular and plural; default
	// "organisation", "organisations".
	Unit [2]string
	// Link returns the URL an area links to (the code as in Counts, ISO
	// codes normalised), or "" for none. Areas with no count are not links
	// unless LinkEmpty is set. See FilterLink.
	Link      func(code string) string
	LinkEmpty bool
	// Breaks are the lowest counts of colour levels 2 to 5, ascending; nil
	// chooses them from the largest count (see Breaks).
	Breaks []int
	// Labels writes each country's count on it (ByCountry only).
	Labels bool
	// Name returns a country's display name; default: English (internal/country).
	Name func(code string) string

	Markers []Marker
	// Count, when set, writes a count with its unit in the page's language
	// (it replaces Unit in labels); MarkerCount does so for markers.
	Count       func(n int) string
	MarkerCount func(n int) string
	// MarkerUnit is what a marker's Count counts; default "member", "members".
	MarkerUnit [2]string
	// MarkerLegend describes the markers in the legend, e.g. "Cluster"; ""
	// leaves them out of the legend.
	MarkerLegend string
}

// Marker is a point on the map, such as a cluster.
type Marker struct {
	Label string
	URL   string // "" for no link
	Count int    // sets the size; 0 for the smallest
	// Where: At, when set, is an ISO country code or NUTS-2 code whose label
	// point the marker takes; otherwise Lat and Lon (WGS84 degrees).
	At       string
	Lat, Lon float64
}

// Rendered is a drawn map.
type Rendered struct {
	// Figure is a <figure> with the SVG, the legend and the attribution:
	// what a page shows.
	Figure template.HTML
	// SVG is the <svg> element alone, for pages that lay out the legend
	// themselves from Legend and Attribution.
	SVG         template.HTML
	Legend      []LegendItem
	Attribution []string
	// Rows are the areas with a count above zero, the largest first: the
	// accessible equivalent of the map, for a table beside it. Drawn is
	// false for the places the map does not show (overseas, outside the
	// frame, unknown codes).
	Rows []Row
	// Unplaced are the markers that fall outside the map.
	Unplaced []Marker
}

// LegendItem is one colour level.
type LegendItem struct {
	Class    string // CSS class of the fill: map-level-0 … map-level-5
	Label    string // "None", "1–2", "50 or more"
	Min, Max int    // counts covered; Max is -1 for "or more"
}

// Row is an area with its count.
type Row struct {
	Code  string // ISO country code or NUTS-2 code
	Name  string // "Netherlands", "Zuid-Holland, Netherlands"
	Count int
	URL   string
	Drawn bool
}

// Colours of the classes, also written as presentation attributes so that
// the map reads even before map.css is in the site stylesheet (the CSS
// classes override them).
const (
	colourSea     = "#f2f6fa"
	colourContext = "#e2e2e2"
	colourStroke  = "#ffffff"
	colourBorder  = "#4a5560"
	colourMarker  = "#8a1c1c"
)

var levelColours = [Levels + 1]string{"#cfd6dd", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"}

// Breaks chooses the lowest counts of colour levels 2 to 5 for counts up
// to max: single values up to 5, above that steps of 1, 2, 3, 5 × 10ⁿ
// spaced evenly on a log scale (for 757: 3, 20, 50, 200).
func Breaks(max int) []int {
	if max <= Levels {
		return []int{2, 3, 4, 5}
	}
	out := make([]int, 0, Levels-1)
	prev := 1
	for k := 1; k < Levels; k++ {
		b := nice(math.Pow(float64(max), float64(k)/Levels))
		if b <= prev {
			b = prev + 1
		}
		out = append(out, b)
		prev = b
	}
	return out
}

// nice rounds v to the nearest of 1, 2, 3, 5 × 10ⁿ on a log scale.
func nice(v float64) int {
	if v < 1 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(v)))
	best, bestD := 0.0, math.Inf(1)
	for _, m := range []float64{1, 2, 3, 5, 10} {
		if d := math.Abs(math.Log(v / (m * e))); d < bestD {
			best, bestD = m*e, d
		}
	}
	return int(best)
}

// level returns the colour level of a count: 0 for none, else 1–5.
func level(count int, breaks []int) int {
	if count <= 0 {
		return 0
	}
	l := 1
	for _, b := range breaks {
		if count >= b {
			l++
		}
	}
	return min(l, Levels)
}

func legend(breaks []int, max int) []LegendItem {
	items := []LegendItem{{Class: "map-level-0", Label: "None", Min: 0, Max: 0}}
	lo := 1
	for l := 1; l <= Levels; l++ {
		hi := -1
		if l-1 < len(breaks) {
			hi = breaks[l-1] - 1
		}
		if lo > max && l > 1 {
			break
		}
		label := strconv.Itoa(lo)
		switch {
		case hi < 0:
			label += " or more"
		case hi > lo:
			label += "–" + strconv.Itoa(hi)
		}
		items = append(items, LegendItem{Class: "map-level-" + strconv.Itoa(l), Label: label, Min: lo, Max: hi})
		if hi < 0 {
			break
		}
		lo = hi + 1
	}
	return items
}

// FilterLink returns a Link function that points each area at a filtered
// list: base?key=CODE followed by the current filters, without key itself
// and without the parameters in drop (such as the page cursor). With
// filters from the request, the map keeps the directory's filters.
//
//	geo.FilterLink("/organisations", "country", r.URL.Query(), "cursor")
func FilterLink(base, key string, filters url.Values, drop ...string) func(code string) string {
	rest := url.Values{}
	for k, v := range filters {
		if k == key || contains(drop, k) {
			continue
		}
		for _, s := range v {
			if s != "" {
				rest.Add(k, s)
			}
		}
	}
	tail := rest.Encode()
	if tail != "" {
		tail = "&" + tail
	}
	prefix := base + "?" + url.QueryEscape(key) + "="
	return func(code string) string { return prefix + url.QueryEscape(code) + tail }
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// shape is a country or region as drawn.
type shape struct {
	code, name, sortKey, path string
	context                   bool // a neighbour drawn from Natural Earth
	clip                      bool // clip away the inset boxes
}

// shapes returns the areas of a level in the order of their names: the
// order in which the keyboard visits the links. With the default names the
// list is built once.
func (m *Map) shapes(level Level, name func(string) string) []shape {
	if name != nil {
		return m.buildShapes(level, name)
	}
	c := &m.shapeCache[level]
	c.once.Do(func() { c.list = m.buildShapes(level, englishName) })
	return c.list
}

func (m *Map) buildShapes(level Level, name func(string) string) []shape {
	var list []shape
	for _, c := range m.Countries {
		if level == ByRegion && c.NUTS && len(m.regions[c.Code]) > 0 {
			continue
		}
		n := name(c.Code)
		list = append(list, shape{code: c.Code, name: n, sortKey: sortKey(n), path: c.Path, context: !c.NUTS, clip: c.UnderInset})
	}
	if level == ByRegion {
		for _, r := range m.Regions {
			n := r.Name + ", " + name(r.Country)
			list = append(list, shape{code: r.Code, name: n, sortKey: sortKey(n), path: r.Path})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].sortKey != list[j].sortKey {
			return list[i].sortKey < list[j].sortKey
		}
		return list[i].code < list[j].code
	})
	return list
}

// drawnAt reports whether the map shows an area of that code at a level.
func (m *Map) drawnAt(level Level, code string) bool {
	if level == ByRegion {
		if _, ok := m.region[code]; ok {
			return true
		}
		i, ok := m.country[code]
		return ok && (!m.Countries[i].NUTS || len(m.regions[code]) == 0)
	}
	_, ok := m.country[code]
	return ok
}

func writeArea(b *strings.Builder, id string, a shape, count int, breaks []int) {
	l := level(count, breaks)
	class, fill := "map-area map-level-"+strconv.Itoa(l), levelColours[l]
	if a.context && l == 0 {
		class, fill = "map-area map-context", colourContext
	}
	b.WriteString(`<path class="`)
	b.WriteString(class)
	b.WriteString(`" fill="`)
	b.WriteString(fill)
	b.WriteString(`" fill-rule="evenodd" stroke="` + colourStroke + `" stroke-width="0.6" stroke-linejoin="round"`)
	if a.clip {
		b.WriteString(` clip-path="url(#` + id + `-clip)"`)
	}
	b.WriteString(` d="`)
	b.WriteString(a.path)
	b.WriteString(`"/>`)
}

// writeMarkers draws the markers, largest first so that small ones stay on
// top, and returns those that fall outside the map.
func (m *Map) writeMarkers(b *strings.Builder, markers []Marker, unit [2]string, countFn func(int) string) []Marker {
	type placed struct {
		Marker
		x, y, r float64
	}
	var list []placed
	var unplaced []Marker
	max := 0
	for _, mk := range markers {
		max = maxInt(max, mk.Count)
	}
	for _, mk := range markers {
		x, y, ok := m.locate(mk)
		if !ok {
			unplaced = append(unplaced, mk)
			continue
		}
		r := 5.0
		if mk.Count > 0 && max > 0 {
			r = 5 + 9*math.Sqrt(float64(mk.Count)/float64(max))
		}
		list = append(list, placed{mk, x, y, r})
	}
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].r != list[j].r {
			return list[i].r > list[j].r
		}
		return list[i].Label < list[j].Label
	})
	b.WriteString(`<g class="map-markers">`)
	for _, p := range list {
		label := p.Label
		if p.Count > 0 && countFn != nil {
			label += ": " + countFn(p.Count)
		} else if p.Count > 0 {
			label += ": " + svg.CountText(p.Count, unit)
		}
		circle := `<circle class="map-marker" cx="` + svg.Num(p.x) + `" cy="` + svg.Num(p.y) + `" r="` + svg.Num(p.r) + `" fill="` + colourMarker + `" fill-opacity="0.85" stroke="#ffffff" stroke-width="1.5"/>`
		if u := svg.SafeURL(p.URL); u != "" {
			b.WriteString(`<a class="map-marker-link" href="` + svg.Esc(u) + `" aria-label="` + svg.Esc(label) + `"><title>` + svg.Esc(label) + `</title>` + circle + `</a>`)
		} else {
			b.WriteString(`<g class="map-marker-static"><title>` + svg.Esc(label) + `</title>` + circle + `</g>`)
		}
	}
	b.WriteString(`</g>`)
	return unplaced
}

// locate returns where a marker goes in the viewBox.
func (m *Map) locate(mk Marker) (x, y float64, ok bool) {
	if mk.At != "" {
		if r, found := m.Region(mk.At); found {
			return float64(r.Label.X), float64(r.Label.Y), true
		}
		if c, found := m.Country(mk.At); found {
			return float64(c.Label.X), float64(c.Label.Y), true
		}
		return 0, 0, false
	}
	if mk.Lat < -90 || mk.Lat > 90 || mk.Lon < -180 || mk.Lon > 180 || (mk.Lat == 0 && mk.Lon == 0) {
		return 0, 0, false
	}
	x, y = Project(mk.Lat, mk.Lon)
	return x, y, InFrame(x, y)
}

// sizeHint is about the size of a render, so that the builder grows once.
func (m *Map) sizeHint(l Level) int {
	n := 8192
	for _, c := range m.Countries {
		n += len(c.Path) + 400
		if l == ByRegion && c.NUTS {
			n += len(c.Path) // the border overlay
		}
	}
	if l == ByRegion {
		for _, r := range m.Regions {
			n += len(r.Path) + 400
		}
	}
	return n
}

func levelOf(class string) int {
	n, _ := strconv.Atoi(strings.TrimPrefix(class, "map-level-"))
	return n
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// sortKey folds a name, from a cache for the names on the map.
func sortKey(name string) string {
	if k, ok := foldedNames.Load(name); ok {
		return k.(string)
	}
	k := directory.Fold(name)
	if foldedCount.Add(1) <= maxFoldedNames {
		foldedNames.Store(name, k)
	}
	return k
}

// foldedNames caches sort keys: the few hundred names of countries and
// regions come back on every render. The cache is bounded, since callers
// may pass names of their own.
var (
	foldedNames    sync.Map
	foldedCount    atomic.Int64
	maxFoldedNames int64 = 4096
)

// englishName is the default display name of a country.
func englishName(code string) string {
	if n, ok := englishNames()[code]; ok {
		return n
	}
	return country.Name(code, "en")
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}
