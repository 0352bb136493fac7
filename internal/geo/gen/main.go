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
	"os"
	"path/filepath"
	"sort"
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
	in, err := readSources(src)
	if err != nil {
		return nil, err
	}
	// The NUTS features (one topology: level 0 and level 2 share their
	// borders) and the Natural Earth neighbours (another).
	nuts, nutsCountries, err := nutsFeatures(in.nuts0, in.nuts2)
	if err != nil {
		return nil, err
	}
	context, err := contextFeatures(in.world, nutsCountries)
	if err != nil {
		return nil, err
	}
	for _, f := range nuts {
		f.project()
	}

	simplify(nuts)
	simplify(context)

	out := header(in.licence)
	panels := geo.Insets()
	if err := addNUTS(&out, nuts, in.labels, panels); err != nil {
		return nil, err
	}
	if err := addContext(&out, context, panels); err != nil {
		return nil, err
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

// sources are the input files, decoded.
type sources struct {
	nuts0, nuts2 featureCollection
	labels       map[string][2]float64 // NUTS id → lon, lat
	world        []topoCountry
	licence      []byte
}

func readSources(src string) (sources, error) {
	read := func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(src, name)) }
	var in sources
	var lb0, lb2 featureCollection
	for _, f := range []struct {
		name string
		into *featureCollection
	}{{nuts0File, &in.nuts0}, {nuts2File, &in.nuts2}, {label0File, &lb0}, {label2File, &lb2}} {
		b, err := read(f.name)
		if err != nil {
			return in, err
		}
		if err := json.Unmarshal(b, f.into); err != nil {
			return in, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	worldData, err := read(worldFile)
	if err != nil {
		return in, err
	}
	if in.world, err = readTopology(worldData); err != nil {
		return in, fmt.Errorf("%s: %w", worldFile, err)
	}
	if in.licence, err = read(licenceFile); err != nil {
		return in, err
	}
	in.labels, err = labelPoints(lb0, lb2)
	return in, err
}

// labelPoints reads the label point of every NUTS id.
func labelPoints(fcs ...featureCollection) (map[string][2]float64, error) {
	labels := map[string][2]float64{}
	for _, fc := range fcs {
		for _, f := range fc.Features {
			var c [2]float64
			if f.Geometry.Type != "Point" || json.Unmarshal(f.Geometry.Coordinates, &c) != nil {
				return nil, fmt.Errorf("label %s: not a point", f.Properties.NUTSID)
			}
			labels[f.Properties.NUTSID] = c
		}
	}
	return labels, nil
}

// nutsFeatures returns the NUTS countries (level 0) and regions (level 2),
// not yet projected, and the ISO codes of the countries.
func nutsFeatures(nuts0, nuts2 featureCollection) ([]*feature, map[string]bool, error) {
	var nuts []*feature
	countries := map[string]bool{}
	for _, f := range nuts0.Features {
		polys, err := f.Geometry.polygons()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Properties.NUTSID, err)
		}
		code := isoCountry(f.Properties.NUTSID)
		countries[code] = true
		nuts = append(nuts, &feature{code: code, nutsID: f.Properties.NUTSID, level: 0, lonlat: polys})
	}
	for _, f := range nuts2.Features {
		polys, err := f.Geometry.polygons()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Properties.NUTSID, err)
		}
		nuts = append(nuts, &feature{
			code: f.Properties.NUTSID, nutsID: f.Properties.NUTSID, level: 2,
			country: isoCountry(f.Properties.CountryCode), name: f.Properties.NameLatin, lonlat: polys,
		})
	}
	return nuts, countries, nil
}

// contextFeatures returns the neighbours that reach into the map and are
// not drawn from NUTS, projected.
func contextFeatures(world []topoCountry, nutsCountries map[string]bool) ([]*feature, error) {
	var context []*feature
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
	return context, nil
}

// header is the file without its countries and regions.
func header(licence []byte) geo.File {
	return geo.File{
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
}

// addNUTS adds the NUTS countries and regions inside the frame, checking
// that each keeps to its panel (the main map or its inset).
func addNUTS(out *geo.File, nuts []*feature, labels map[string][2]float64, panels []geo.Inset) error {
	for _, f := range nuts {
		if len(f.rings()) == 0 {
			continue // outside the frame: FRY1–FRY5 and the like
		}
		for _, p := range f.polys {
			if p.inset == nil && overlapsInset(p, panels) {
				return fmt.Errorf("%s reaches into an inset box", f.code)
			}
			if p.inset != nil && !withinBox(p, *p.inset) {
				return fmt.Errorf("%s does not fit its inset box %s", f.code, p.inset.Name)
			}
		}
		label, err := f.label(labels)
		if err != nil {
			return err
		}
		if f.level == 0 {
			out.Countries = append(out.Countries, geo.Country{Code: f.code, NUTS: true, Label: label, Path: f.path()})
		} else {
			out.Regions = append(out.Regions, geo.Region{Code: f.code, Country: f.country, Name: f.name, Label: label, Path: f.path()})
		}
	}
	return nil
}

// addContext adds the neighbours that are more than a sliver in the frame.
func addContext(out *geo.File, context []*feature, panels []geo.Inset) error {
	for _, f := range context {
		if len(f.rings()) == 0 || f.sliver() {
			continue
		}
		label, err := f.label(nil)
		if err != nil {
			return err
		}
		under := false
		for _, p := range f.polys {
			under = under || overlapsInset(p, panels)
		}
		out.Countries = append(out.Countries, geo.Country{Code: f.code, UnderInset: under, Label: label, Path: f.path()})
	}
	return nil
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
