package network

import (
	"html/template"
	"sort"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/svg"
)

// Draw selects, lays out and draws the network around the nodes in focus.
//
// It keeps the nodes in focus (Focus set; without any, the best-connected
// node) and their opts.Neighbours strongest partners by shared projects
// with the focus, with every edge among the kept nodes. It never fails:
// edges to unknown nodes, self-loops and weights ≤ 0 are ignored.
func Draw(nodes []Node, edges []Edge, opts Options) Drawing {
	opts = withDefaults(opts)
	g := selectGraph(nodes, edges, opts)
	d := Drawing{Omitted: g.omitted, OmittedFocus: g.omitF}
	if len(g.edges) == 0 {
		d.Empty = true
		d.Figure = template.HTML(`<p class="net-empty">` + svg.Esc(opts.EmptyText) + `</p>`)
		d.Nodes = layout(g, opts)
		return d
	}
	d.Nodes = layout(g, opts)
	d.Rows = rows(g, opts)
	d.Legend = legend(g, opts)
	id := svg.CleanID(opts.ID, "net")

	var b strings.Builder
	b.Grow(4096 + 600*len(d.Nodes) + 120*len(g.edges))
	b.WriteString(`<figure class="net" aria-labelledby="` + id + `-title">`)
	svgStart := b.Len()
	writeHead(&b, id, opts)
	writeEdges(&b, g, d.Nodes)
	writeNodes(&b, g, d.Nodes, opts)
	writeLabels(&b, g, d.Nodes)
	b.WriteString(`</svg>`)
	svgEnd := b.Len()
	writeCaption(&b, g, d.Legend, opts)
	fig := b.String()
	d.Figure = template.HTML(fig)
	d.SVG = template.HTML(fig[svgStart:svgEnd])
	return d
}

// writeHead opens the SVG with its title and description.
func writeHead(b *strings.Builder, id string, opts Options) {
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="net-svg" viewBox="0 0 ` + strconv.Itoa(opts.Width) + ` ` + strconv.Itoa(opts.Height) + `" role="group" aria-labelledby="` + id + `-title"`)
	if opts.Desc != "" {
		b.WriteString(` aria-describedby="` + id + `-desc"`)
	}
	b.WriteString(`><title id="` + id + `-title">` + svg.Esc(opts.Title) + `</title>`)
	if opts.Desc != "" {
		b.WriteString(`<desc id="` + id + `-desc">` + svg.Esc(opts.Desc) + `</desc>`)
	}
}

// writeEdges draws the edges as a quiet layer under the nodes; width by
// shared projects.
func writeEdges(b *strings.Builder, g graph, nodes []Placed) {
	maxW := 1
	for _, e := range g.edges {
		maxW = max(maxW, e.w)
	}
	b.WriteString(`<g class="net-edges" aria-hidden="true">`)
	for _, e := range g.edges {
		a, c := nodes[e.a], nodes[e.b]
		class, colour, opacity := "net-edge", "#7a8691", "0.45"
		if e.a < g.focus || e.b < g.focus {
			class, colour, opacity = "net-edge net-edge-focus", "#4a5560", "0.7"
		}
		width := svg.Round1(1 + 5*float64(e.w)/float64(maxW))
		b.WriteString(`<line class="` + class + `" x1="` + svg.Num(a.X) + `" y1="` + svg.Num(a.Y) + `" x2="` + svg.Num(c.X) + `" y2="` + svg.Num(c.Y) + `" stroke="` + colour + `" stroke-opacity="` + opacity + `" stroke-width="` + svg.Num(width) + `" stroke-linecap="round"/>`)
	}
	b.WriteString(`</g>`)
}

// writeNodes draws the nodes in the order of the table: focus first, then
// by shared projects; each a link when it has an address.
func writeNodes(b *strings.Builder, g graph, nodes []Placed, opts Options) {
	b.WriteString(`<g class="net-nodes">`)
	for i, p := range nodes {
		focus := i < g.focus
		label := ariaLabel(p, g.weight[i], focus, g.focus, opts)
		tip := p.Label + " (" + opts.KindLabel(p.Kind)
		if p.Country != "" {
			tip += ", " + p.Country
		}
		tip += ")"
		if focus {
			tip += " — in focus"
		} else {
			tip += " — " + svg.CountText(g.weight[i], opts.Unit)
		}
		class := "net-node " + kindClass(p.Kind)
		stroke, sw := "#ffffff", "1.5"
		if focus {
			class += " net-focus"
			stroke, sw = "#1b1f24", "3"
		}
		circle := `<circle class="net-dot" cx="` + svg.Num(p.X) + `" cy="` + svg.Num(p.Y) + `" r="` + svg.Num(p.R) + `" fill="` + kindColours[p.Kind] + `" stroke="` + stroke + `" stroke-width="` + sw + `"/>`
		if u := svg.SafeURL(p.URL); u != "" {
			b.WriteString(`<a class="` + class + `" href="` + svg.Esc(u) + `" aria-label="` + svg.Esc(label) + `"><title>` + svg.Esc(tip) + `</title>` + circle + `</a>`)
		} else {
			b.WriteString(`<g class="` + class + `"><title>` + svg.Esc(tip) + `</title>` + circle + `</g>`)
		}
	}
	b.WriteString(`</g>`)
}

// writeLabels writes the labels on top, out of the way of the pointer and
// of screen readers (the links carry the names).
func writeLabels(b *strings.Builder, g graph, nodes []Placed) {
	b.WriteString(`<g class="net-labels" aria-hidden="true" pointer-events="none">`)
	for i, p := range nodes {
		if !p.LabelShown {
			continue
		}
		class := "net-label"
		if i < g.focus {
			class += " net-label-focus"
		}
		b.WriteString(`<text class="` + class + `" x="` + svg.Num(p.LabelX) + `" y="` + svg.Num(p.LabelY) + `" text-anchor="` + p.Anchor + `" font-size="12" fill="#1b1f24" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">` + svg.Esc(truncate(p.Label, maxLabelRunes)) + `</text>`)
	}
	b.WriteString(`</g>`)
}

// writeCaption writes the legend and what is not drawn, and closes the
// figure.
func writeCaption(b *strings.Builder, g graph, legend []LegendItem, opts Options) {
	b.WriteString(`<figcaption class="net-caption"><ul class="net-legend">`)
	for _, it := range legend {
		b.WriteString(`<li><svg class="net-swatch" viewBox="0 0 14 14" aria-hidden="true"><circle class="net-dot ` + it.Class + `" cx="7" cy="7" r="6" fill="` + kindColours[it.Kind] + `"/></svg>` + svg.Esc(it.Label) + `</li>`)
	}
	b.WriteString(`</ul><p class="net-note">Circle size: ` + svg.Esc(opts.Unit[1]) + ` with the organisations drawn; line width: ` + svg.Esc(opts.Unit[1]) + ` of the two.`)
	switch {
	case g.omitted == 1:
		b.WriteString(` 1 more partner is not drawn.`)
	case g.omitted > 1:
		b.WriteString(` ` + strconv.Itoa(g.omitted) + ` more partners are not drawn.`)
	}
	b.WriteString(`</p></figcaption></figure>`)
}

func withDefaults(o Options) Options {
	if o.Neighbours <= 0 {
		o.Neighbours = defaultNeighbours
	}
	if o.MaxFocus <= 0 {
		o.MaxFocus = defaultMaxFocus
	}
	if o.PartnerEdges <= 0 {
		o.PartnerEdges = 2 * o.Neighbours
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Iterations <= 0 {
		o.Iterations = defaultIterations
	}
	if o.Width <= 0 || o.Height <= 0 {
		o.Width, o.Height = defaultWidth, defaultHeight
	}
	if o.Unit[0] == "" {
		o.Unit = [2]string{"shared project", "shared projects"}
	}
	if o.EmptyText == "" {
		o.EmptyText = "No collaborations in imported projects yet."
	}
	if o.KindLabel == nil {
		o.KindLabel = defaultKindLabel
	}
	if o.Title == "" {
		o.Title = "Collaboration network"
	}
	return o
}

func ariaLabel(p Placed, weight int, focus bool, focusCount int, opts Options) string {
	if focus {
		if focusCount > 1 && weight > 0 {
			return p.Label + " — in focus, " + svg.CountText(weight, opts.Unit) + " with the others in focus"
		}
		return p.Label + " — in focus"
	}
	return p.Label + " — " + svg.CountText(weight, opts.Unit)
}

// rows is the table: the drawn nodes except a single focus.
func rows(g graph, opts Options) []Row {
	var out []Row
	keys := map[string]string{}
	for i, n := range g.nodes {
		focus := i < g.focus
		if focus && g.focus == 1 {
			continue
		}
		r := Row{ID: n.ID, Label: n.Label, URL: svg.SafeURL(n.URL), Kind: n.Kind, KindLabel: opts.KindLabel(n.Kind),
			Country: n.Country, Projects: g.weight[i], Focus: focus}
		for _, f := range g.with[i] {
			r.With = append(r.With, g.nodes[f].Label)
		}
		keys[n.ID] = directory.Fold(n.Label)
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Projects != b.Projects {
			return a.Projects > b.Projects
		}
		if keys[a.ID] != keys[b.ID] {
			return keys[a.ID] < keys[b.ID]
		}
		return a.ID < b.ID
	})
	return out
}

func legend(g graph, opts Options) []LegendItem {
	seen := map[string]bool{}
	for _, n := range g.nodes {
		seen[n.Kind] = true
	}
	var out []LegendItem
	for _, k := range Kinds {
		if seen[k] {
			out = append(out, LegendItem{Kind: k, Label: opts.KindLabel(k), Class: kindClass(k)})
		}
	}
	return out
}
