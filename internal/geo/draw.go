package geo

import (
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/svg"
)

// drawing is one Render under way: the options with their defaults, the
// counts, the shapes and their links, and the output.
type drawing struct {
	m      *Map
	opts   RenderOptions
	id     string
	unit   [2]string
	munit  [2]string
	name   func(string) string
	counts map[string]int
	max    int
	breaks []int
	shapes []shape
	urls   []string
	b      strings.Builder
}

// Render draws the map. It never fails: unknown codes show up in the rows
// with Drawn false.
func (m *Map) Render(opts RenderOptions) Rendered {
	d := m.newDrawing(opts)
	d.b.Grow(m.sizeHint(opts.Level))
	d.b.WriteString(`<figure class="map" aria-labelledby="` + d.id + `-title">`)
	svgStart := d.b.Len()
	d.writeHead()
	d.writeFrame()
	d.writeAreas()
	d.writeBorders()
	d.writeLabels()
	var unplaced []Marker
	if len(opts.Markers) > 0 {
		unplaced = m.writeMarkers(&d.b, opts.Markers, d.munit, opts.MarkerCount)
	}
	d.b.WriteString(`</svg>`)
	svgEnd := d.b.Len()
	rows := d.rows()
	leg := legend(d.breaks, d.max)
	d.writeCaption(leg)

	fig := d.b.String()
	return Rendered{
		Figure:      template.HTML(fig),
		SVG:         template.HTML(fig[svgStart:svgEnd]),
		Legend:      leg,
		Attribution: append([]string(nil), m.Attribution...),
		Rows:        rows,
		Unplaced:    unplaced,
	}
}

// newDrawing fills in the defaults, sums the counts by the codes drawn and
// finds the link of every shape.
func (m *Map) newDrawing(opts RenderOptions) *drawing {
	d := &drawing{m: m, opts: opts, id: svg.CleanID(opts.ID, "map"), unit: opts.Unit, munit: opts.MarkerUnit, name: opts.Name}
	if d.unit[0] == "" {
		d.unit = [2]string{"organisation", "organisations"}
	}
	if d.munit[0] == "" {
		d.munit = [2]string{"member", "members"}
	}
	if d.name == nil {
		d.name = englishName
	}
	d.counts = make(map[string]int, len(opts.Counts))
	for code, n := range opts.Counts {
		if opts.Level == ByCountry || len(code) == 2 {
			code = isoCode(code)
		}
		d.counts[code] += n
	}
	for _, n := range d.counts {
		d.max = maxInt(d.max, n)
	}
	d.breaks = opts.Breaks
	if len(d.breaks) == 0 {
		d.breaks = Breaks(d.max)
	}
	d.shapes = m.shapes(opts.Level, opts.Name)
	d.urls = make([]string, len(d.shapes))
	if opts.Link != nil {
		for i, s := range d.shapes {
			if d.counts[s.code] > 0 || opts.LinkEmpty {
				d.urls[i] = svg.SafeURL(opts.Link(s.code))
			}
		}
	}
	return d
}

// writeHead opens the SVG with its title and description.
func (d *drawing) writeHead() {
	b, id := &d.b, d.id
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="map-svg" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(d.m.Width))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(d.m.Height))
	b.WriteString(`" role="group" aria-labelledby="`)
	b.WriteString(id)
	b.WriteString(`-title"`)
	if d.opts.Desc != "" {
		b.WriteString(` aria-describedby="` + id + `-desc"`)
	}
	b.WriteString(`><title id="` + id + `-title">`)
	b.WriteString(svg.Esc(d.opts.Title))
	b.WriteString(`</title>`)
	if d.opts.Desc != "" {
		b.WriteString(`<desc id="` + id + `-desc">`)
		b.WriteString(svg.Esc(d.opts.Desc))
		b.WriteString(`</desc>`)
	}
}

// writeFrame writes the clip that keeps the neighbours out of the inset
// boxes, the sea and the inset boxes.
func (d *drawing) writeFrame() {
	b, m := &d.b, d.m
	b.WriteString(`<defs><clipPath id="` + d.id + `-clip"><path clip-rule="evenodd" d="M0 0H`)
	b.WriteString(strconv.Itoa(m.Width) + "V" + strconv.Itoa(m.Height) + "H0Z")
	for _, in := range insets {
		b.WriteString("M" + svg.Num(in.X) + " " + svg.Num(in.Y) + "h" + svg.Num(in.W) + "v" + svg.Num(in.H) + "h-" + svg.Num(in.W) + "Z")
	}
	b.WriteString(`"/></clipPath></defs>`)

	b.WriteString(`<rect class="map-sea" width="` + strconv.Itoa(m.Width) + `" height="` + strconv.Itoa(m.Height) + `" fill="` + colourSea + `"/>`)
	b.WriteString(`<g class="map-insets" aria-hidden="true">`)
	for _, in := range insets {
		b.WriteString(`<rect class="map-inset" x="` + svg.Num(in.X) + `" y="` + svg.Num(in.Y) + `" width="` + svg.Num(in.W) + `" height="` + svg.Num(in.H) + `" fill="` + colourSea + `" stroke="#7a8691" stroke-width="0.8"/>`)
		b.WriteString(`<text class="map-inset-name" x="` + svg.Num(in.X+4) + `" y="` + svg.Num(in.Y+in.H-5) + `" font-size="10" fill="#4a5560">` + svg.Esc(in.Name) + `</text>`)
	}
	b.WriteString(`</g>`)
}

// writeAreas writes the areas that are not links first, as one quiet
// layer; then the links, in the order of their names (the order the
// keyboard visits them).
func (d *drawing) writeAreas() {
	b := &d.b
	b.WriteString(`<g class="map-base" aria-hidden="true">`)
	for i, a := range d.shapes {
		if d.urls[i] == "" {
			writeArea(b, d.id, a, d.counts[a.code], d.breaks)
		}
	}
	b.WriteString(`</g><g class="map-areas">`)
	for i, a := range d.shapes {
		if d.urls[i] == "" {
			continue
		}
		n := d.counts[a.code]
		label := a.name + ": " + svg.CountText(n, d.unit)
		if d.opts.Count != nil {
			label = a.name + ": " + d.opts.Count(n)
		}
		b.WriteString(`<a class="map-link" href="`)
		svg.EscTo(b, d.urls[i])
		b.WriteString(`" aria-label="`)
		svg.EscTo(b, label)
		b.WriteString(`"><title>`)
		svg.EscTo(b, label)
		b.WriteString(`</title>`)
		writeArea(b, d.id, a, n, d.breaks)
		b.WriteString(`</a>`)
	}
	b.WriteString(`</g>`)
}

// writeBorders draws the country borders over the regions.
func (d *drawing) writeBorders() {
	if d.opts.Level != ByRegion {
		return
	}
	d.b.WriteString(`<path class="map-borders" aria-hidden="true" fill="none" stroke="` + colourBorder + `" stroke-width="0.8" stroke-linejoin="round" pointer-events="none" d="`)
	for _, c := range d.m.Countries {
		if c.NUTS {
			d.b.WriteString(c.Path)
		}
	}
	d.b.WriteString(`"/>`)
}

// writeLabels writes the counts on the countries.
func (d *drawing) writeLabels() {
	if !d.opts.Labels || d.opts.Level != ByCountry {
		return
	}
	d.b.WriteString(`<g class="map-labels" aria-hidden="true" pointer-events="none">`)
	for _, c := range d.m.Countries {
		if n := d.counts[c.Code]; n > 0 {
			d.b.WriteString(`<text class="map-label" x="` + strconv.Itoa(c.Label.X) + `" y="` + strconv.Itoa(c.Label.Y) + `" dy="0.35em" text-anchor="middle" font-size="14" font-weight="600" fill="#1b1f24" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">` + strconv.Itoa(n) + `</text>`)
		}
	}
	d.b.WriteString(`</g>`)
}

// rows returns every count, drawn or not, largest first, then by name.
func (d *drawing) rows() []Row {
	opts := d.opts
	rows := make([]Row, 0, len(d.counts))
	keys := make([]string, 0, len(d.counts))
	for i, a := range d.shapes {
		if n := d.counts[a.code]; n > 0 {
			u := d.urls[i]
			if opts.Link != nil && u == "" {
				u = svg.SafeURL(opts.Link(a.code))
			}
			rows = append(rows, Row{Code: a.code, Name: a.name, Count: n, URL: u, Drawn: true})
			keys = append(keys, a.sortKey)
		}
	}
	for code, n := range d.counts {
		if n <= 0 || d.m.drawnAt(opts.Level, code) {
			continue
		}
		r := Row{Code: code, Count: n}
		if reg, ok := d.m.Region(code); ok {
			r.Name = reg.Name + ", " + d.name(reg.Country)
		} else {
			r.Name = d.name(code)
		}
		if opts.Link != nil {
			r.URL = svg.SafeURL(opts.Link(code))
		}
		keys = append(keys, sortKey(r.Name))
		rows = append(rows, r)
	}
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool {
		i, j := order[x], order[y]
		if rows[i].Count != rows[j].Count {
			return rows[i].Count > rows[j].Count
		}
		if keys[i] != keys[j] {
			return keys[i] < keys[j]
		}
		return rows[i].Code < rows[j].Code
	})
	sorted := make([]Row, len(rows))
	for k, i := range order {
		sorted[k] = rows[i]
	}
	return sorted
}

// writeCaption writes the legend and the attribution, and closes the
// figure.
func (d *drawing) writeCaption(leg []LegendItem) {
	f := &d.b
	f.WriteString(`<figcaption class="map-caption"><span class="map-legend-title">`)
	per := "country"
	if d.opts.Level == ByRegion {
		per = "region"
	}
	f.WriteString(svg.Esc(capitalise(d.unit[1]) + " per " + per))
	f.WriteString(`</span><ul class="map-legend">`)
	for _, it := range leg {
		f.WriteString(`<li><svg class="map-swatch" viewBox="0 0 14 14" aria-hidden="true"><rect class="map-area ` + it.Class + `" width="14" height="14" fill="` + levelColours[levelOf(it.Class)] + `"/></svg>`)
		f.WriteString(svg.Esc(it.Label))
		f.WriteString(`</li>`)
	}
	if d.opts.MarkerLegend != "" && len(d.opts.Markers) > 0 {
		f.WriteString(`<li><svg class="map-swatch" viewBox="0 0 14 14" aria-hidden="true"><circle class="map-marker" cx="7" cy="7" r="5" fill="` + colourMarker + `"/></svg>`)
		f.WriteString(svg.Esc(d.opts.MarkerLegend))
		f.WriteString(`</li>`)
	}
	f.WriteString(`</ul><p class="map-attribution">`)
	f.WriteString(svg.Esc(strings.Join(d.m.Attribution, " · ")))
	f.WriteString(`</p></figcaption></figure>`)
}
