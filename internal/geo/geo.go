// Package geo draws the map of Europe: countries and NUTS-2 regions as an
// accessible SVG, coloured by counts (a choropleth), with linked areas and
// markers.
//
// The geometry is embedded: europe.json is derived by the generator in
// ./gen from the Eurostat GISCO NUTS 2021 polygons (the EU, EFTA and
// candidate countries) and the Natural Earth outlines (the neighbours, for
// context), projected, clipped, simplified and quantised to integers on the
// map's viewBox. Regenerate it with
//
//	go generate ./internal/geo
//
// which reads ../shared/data/geo relative to the project root; a test in
// ./gen fails when the committed file is not what the generator makes.
//
// What is drawn: the 37 NUTS countries (EU, EFTA, candidates, the United
// Kingdom) with their NUTS-2 regions, and the neighbours that reach into
// the frame (Ukraine, Belarus, Moldova, Bosnia and Herzegovina, Kosovo,
// Russia, Israel, North Africa, the Levant, ...) as countries without
// regions; Crimea is drawn as part of Ukraine (world-atlas draws Natural
// Earth's de facto line; the generator moves it back). The frame runs from Iceland and Portugal to Cyprus and Israel,
// and from the North Cape to Crete. The Azores, Madeira and the Canary
// Islands are drawn in insets at the bottom left; the French outermost
// regions (FRY1–FRY5: Guadeloupe, Martinique, Guyane, La Réunion, Mayotte),
// Svalbard and the Selvagens are not drawn (their counts still appear in
// Rendered.Rows, with Drawn false). Tiny states (Vatican, Monaco) vanish at
// this scale; Andorra and San Marino remain as specks.
//
// The attribution (Rendered.Attribution, shown under every map by
// Rendered.Figure) must stay with the map: "© EuroGeographics for the
// administrative boundaries", Natural Earth, and world-atlas under the ISC
// licence, whose text is in Map.Notices.
//
// The package does no I/O and holds no state besides the parsed geometry.
package geo

//go:generate go run ./gen -src ../../../shared/data/geo -out europe.json

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/escnet/escnet/internal/country"
)

// CSS styles the map's classes; the web layer serves it as a static file.
//
//go:embed map.css
var CSS []byte

//go:embed europe.json
var europeJSON []byte

// Point is a position in the viewBox, in whole units.
type Point struct{ X, Y int }

// MarshalJSON writes the point as [x, y].
func (p Point) MarshalJSON() ([]byte, error) { return json.Marshal([2]int{p.X, p.Y}) }

// UnmarshalJSON reads [x, y].
func (p *Point) UnmarshalJSON(b []byte) error {
	var a [2]int
	if err := json.Unmarshal(b, &a); err != nil {
		return err
	}
	p.X, p.Y = a[0], a[1]
	return nil
}

// Country is a country's outline.
type Country struct {
	Code string `json:"code"` // ISO 3166-1 alpha-2 (GR, GB; not the EU's EL, UK)
	// NUTS is true for the countries whose outline and regions come from
	// NUTS (EU, EFTA, candidates, the United Kingdom); the others are the
	// neighbours drawn from Natural Earth for context.
	NUTS bool `json:"nuts,omitempty"`
	// UnderInset is true when part of the outline lies under an inset box
	// (it is clipped there when drawn).
	UnderInset bool   `json:"under_inset,omitempty"`
	Label      Point  `json:"label"` // where a label or marker for the whole country goes
	Path       string `json:"path"`  // SVG path data, integer coordinates, even-odd rings
}

// Region is a NUTS-2 region's outline.
type Region struct {
	Code    string `json:"code"`    // NUTS 2021 code (NL33, EL30, UKI3)
	Country string `json:"country"` // ISO 3166-1 alpha-2
	Name    string `json:"name"`    // the NUTS name in Latin script
	Label   Point  `json:"label"`
	Path    string `json:"path"`
}

// File is the layout of the embedded europe.json, which the generator
// writes.
type File struct {
	Format      string    `json:"format"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Projection  string    `json:"projection"`
	Sources     []string  `json:"sources"`
	Attribution []string  `json:"attribution"` // shown under every map
	Notices     []string  `json:"notices"`     // licence texts that must travel with the data
	Countries   []Country `json:"countries"`   // by code
	Regions     []Region  `json:"regions"`     // by code
}

// FileFormat names the version of the layout of europe.json.
const FileFormat = "escnet-europe/1"

// Map is the parsed geometry. It is read-only and safe for concurrent use.
type Map struct {
	Width, Height int
	Attribution   []string
	Notices       []string
	Countries     []Country // by code
	Regions       []Region  // by code

	country map[string]int
	region  map[string]int
	regions map[string][]int // country code → indexes of its regions

	shapeCache [ByRegion + 1]struct {
		once sync.Once
		list []shape
	}
}

// Europe returns the embedded map, parsed on first use.
func Europe() *Map { return europe() }

var europe = sync.OnceValue(func() *Map {
	m, err := Parse(europeJSON)
	if err != nil {
		panic(fmt.Sprintf("geo: embedded europe.json: %v", err))
	}
	return m
})

// Parse reads a file in the layout of europe.json.
func Parse(data []byte) (*Map, error) {
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Format != FileFormat {
		return nil, fmt.Errorf("format %q, want %q", f.Format, FileFormat)
	}
	if f.Width != Width || f.Height != Height {
		return nil, fmt.Errorf("viewBox %d×%d, want %d×%d", f.Width, f.Height, Width, Height)
	}
	m := &Map{
		Width: f.Width, Height: f.Height, Attribution: f.Attribution, Notices: f.Notices,
		Countries: f.Countries, Regions: f.Regions,
		country: map[string]int{}, region: map[string]int{}, regions: map[string][]int{},
	}
	sort.Slice(m.Countries, func(i, j int) bool { return m.Countries[i].Code < m.Countries[j].Code })
	sort.Slice(m.Regions, func(i, j int) bool { return m.Regions[i].Code < m.Regions[j].Code })
	for i, c := range m.Countries {
		if c.Code == "" || c.Path == "" {
			return nil, fmt.Errorf("country %d: empty code or path", i)
		}
		m.country[c.Code] = i
	}
	for i, r := range m.Regions {
		if r.Code == "" || r.Path == "" {
			return nil, fmt.Errorf("region %d: empty code or path", i)
		}
		if _, ok := m.country[r.Country]; !ok {
			return nil, fmt.Errorf("region %s: unknown country %q", r.Code, r.Country)
		}
		m.region[r.Code] = i
		m.regions[r.Country] = append(m.regions[r.Country], i)
	}
	return m, nil
}

// Country returns a country's outline by ISO code (EL and UK are accepted
// for GR and GB).
func (m *Map) Country(code string) (Country, bool) {
	i, ok := m.country[isoCode(code)]
	if !ok {
		return Country{}, false
	}
	return m.Countries[i], true
}

// Region returns a NUTS-2 region by code.
func (m *Map) Region(code string) (Region, bool) {
	i, ok := m.region[code]
	if !ok {
		return Region{}, false
	}
	return m.Regions[i], true
}

// RegionsOf returns the regions of a country, by code.
func (m *Map) RegionsOf(country string) []Region {
	idx := m.regions[isoCode(country)]
	out := make([]Region, len(idx))
	for i, j := range idx {
		out[i] = m.Regions[j]
	}
	return out
}

// isoCode maps the EU's country codes to ISO 3166-1.
func isoCode(code string) string {
	switch code {
	case "EL":
		return "GR"
	case "UK":
		return "GB"
	}
	return code
}

// englishNames caches the English names of the countries on the map.
var englishNames = sync.OnceValue(func() map[string]string {
	names := map[string]string{"XK": "Kosovo"}
	for _, c := range Europe().Countries {
		if _, ok := names[c.Code]; !ok {
			names[c.Code] = country.Name(c.Code, "en")
		}
	}
	return names
})
