// Package network draws the collaboration network of an organisation or a
// cluster: who worked with whom in imported projects. It selects the
// organisations in focus and their strongest partners, lays them out with a
// seeded force-directed layout, and returns an accessible SVG together with
// the table that is its accessible equivalent.
//
// The package is pure: plain values in, HTML out, no database and no HTTP.
package network

import (
	_ "embed"

	"html/template"
	"sort"
	"strings"

	"github.com/escnet/escnet/internal/directory"
)

// CSS styles the drawing's classes; the web layer serves it as a static
// file.
//
//go:embed network.css
var CSS []byte

// Organisation kinds (the triple helix and more), as the directory names
// them. Any other kind is drawn as KindOther.
const (
	KindCompany         = "company"
	KindResearch        = "research"
	KindHigherEducation = "higher_education"
	KindPublicBody      = "public_body"
	KindOther           = "other"
)

// Kinds lists the kinds in legend order.
var Kinds = []string{KindCompany, KindResearch, KindHigherEducation, KindPublicBody, KindOther}

// Node is an organisation.
type Node struct {
	ID      string
	Label   string
	Kind    string // one of Kinds
	Country string // ISO 3166-1 alpha-2
	URL     string // "" for no link
	// Focus marks the organisation whose network this is, or the members of
	// the cluster whose network this is.
	Focus bool
}

// Edge says that two organisations worked together in Weight projects.
// Edges are undirected; duplicates are added up.
type Edge struct {
	From, To string // node IDs
	Weight   int
}

// Options tune the drawing. The zero value is usable.
type Options struct {
	// ID prefixes the ids of the SVG's elements: unique on the page
	// (letters, digits, - and _; default "net").
	ID string
	// Title is the accessible name of the drawing; Desc an optional longer
	// description.
	Title, Desc string
	// Neighbours is how many partners are drawn, the strongest first
	// (default 25).
	Neighbours int
	// MaxFocus limits the organisations in focus, the best connected first
	// (default 25).
	MaxFocus int
	// PartnerEdges limits the edges between two partners (neither in
	// focus), the heaviest first, so the drawing stays readable (default
	// 2 × Neighbours). Edges that touch the focus are always drawn.
	PartnerEdges int
	// Seed seeds the layout (default 1). The same input and seed give the
	// same drawing.
	Seed uint64
	// Iterations of the layout (default 300).
	Iterations int
	// Width and Height of the viewBox (default 800 × 560).
	Width, Height int
	// Unit is what a weight counts, singular and plural; default "shared
	// project", "shared projects".
	Unit [2]string
	// EmptyText is shown when there is nothing to draw; default "No
	// collaborations in imported projects yet."
	EmptyText string
	// KindLabel names a kind for people; default English ("Research
	// organisation").
	KindLabel func(kind string) string
}

// Drawing is the result of Draw.
type Drawing struct {
	// Figure is what a page shows: a <figure> with the SVG and its legend,
	// or, when Empty, a paragraph saying that there is nothing to draw.
	Figure template.HTML
	// SVG is the <svg> element alone ("" when Empty).
	SVG template.HTML
	// Empty is true when no collaboration is drawn.
	Empty bool
	// Rows are the drawn organisations other than a single focus, the most
	// shared projects with the focus first: the table beside the drawing.
	Rows []Row
	// Omitted counts the partners left out (beyond Neighbours), and
	// OmittedFocus the organisations in focus left out (beyond MaxFocus).
	Omitted, OmittedFocus int
	// Nodes are the drawn organisations with their positions, focus first.
	Nodes []Placed
	// Legend lists the kinds drawn.
	Legend []LegendItem
}

// Row is a line of the table.
type Row struct {
	ID, Label, URL  string
	Kind, KindLabel string
	Country         string
	// Projects shared with the organisations in focus (for an organisation
	// in focus: with the other organisations in focus).
	Projects int
	// With names the organisations in focus worked with, the most shared
	// projects first (useful when several are in focus, as for a cluster).
	With []string
	// Focus marks a row of an organisation in focus (several in focus only).
	Focus bool
}

// Placed is a drawn organisation.
type Placed struct {
	Node
	X, Y, R float64 // centre and radius in the viewBox
	// Weight is the sum of the weights of its drawn edges.
	Weight int
	// Label placement: the text's anchor point and alignment ("start",
	// "end", "middle"); LabelShown is false when no free place was found
	// (the name is then in the node's tooltip and the table).
	LabelX, LabelY float64
	Anchor         string
	LabelShown     bool
}

// LegendItem is a kind drawn.
type LegendItem struct {
	Kind, Label, Class string
}

const (
	defaultNeighbours = 25
	defaultMaxFocus   = 25
	defaultIterations = 300
	defaultWidth      = 800
	defaultHeight     = 560
	maxLabelRunes     = 26
	fontSize          = 12.0
	charWidth         = 0.58 * fontSize // an average sans-serif character
)

// kindColours are also written as presentation attributes, so the drawing
// reads before network.css is in the site stylesheet. Each has at least
// 3:1 contrast with white; the kind is also in the table and the tooltips.
var kindColours = map[string]string{
	KindCompany:         "#d55e00",
	KindResearch:        "#0072b2",
	KindHigherEducation: "#007e5c",
	KindPublicBody:      "#aa4499",
	KindOther:           "#6b6b6b",
}

func defaultKindLabel(kind string) string {
	switch kind {
	case KindCompany:
		return "Company"
	case KindResearch:
		return "Research organisation"
	case KindHigherEducation:
		return "Higher education"
	case KindPublicBody:
		return "Public body"
	}
	return "Other"
}

// kindClass is the CSS class of a kind: net-kind-higher-education.
func kindClass(kind string) string { return "net-kind-" + strings.ReplaceAll(kind, "_", "-") }

func normKind(kind string) string {
	if _, ok := kindColours[kind]; ok {
		return kind
	}
	return KindOther
}

// graph is the selected subgraph.
type graph struct {
	nodes   []Node // focus first, then partners by weight
	focus   int    // the number of focus nodes at the front
	weight  []int  // to the focus (partners) or to the other focus nodes
	with    [][]int
	edges   []wedge
	omitted int
	omitF   int
}

type wedge struct {
	a, b int // indexes into graph.nodes
	w    int
}

// selectGraph keeps the focus and its strongest partners.
func selectGraph(nodes []Node, edges []Edge, opts Options) graph {
	p := newPool(nodes, edges)
	var g graph
	focus, omitF := p.chooseFocus(opts.MaxFocus)
	partners, omitted := p.choosePartners(focus, opts.Neighbours)
	g.omitF, g.omitted = omitF, omitted
	p.fill(&g, focus, partners, opts.PartnerEdges)
	return g
}

// pool is every node with its edges, before the selection.
type pool struct {
	all    []Node
	adj    []map[int]int // summed undirected weights
	degree []int
	keys   []string // folded labels, for ties
}

// newPool keeps the first node of each id (kinds normalised) and adds up
// the undirected edges between known, distinct nodes.
func newPool(nodes []Node, edges []Edge) *pool {
	byID := map[string]int{}
	p := &pool{}
	for _, n := range nodes {
		if n.ID == "" {
			continue
		}
		if _, dup := byID[n.ID]; dup {
			continue
		}
		n.Kind = normKind(n.Kind)
		if n.Label == "" {
			n.Label = n.ID
		}
		byID[n.ID] = len(p.all)
		p.all = append(p.all, n)
	}
	type key struct{ a, b int }
	sum := map[key]int{}
	for _, e := range edges {
		a, okA := byID[e.From]
		b, okB := byID[e.To]
		if !okA || !okB || a == b || e.Weight <= 0 {
			continue
		}
		if a > b {
			a, b = b, a
		}
		sum[key{a, b}] += e.Weight
	}
	p.adj = make([]map[int]int, len(p.all))
	p.degree = make([]int, len(p.all))
	for k, w := range sum {
		if p.adj[k.a] == nil {
			p.adj[k.a] = map[int]int{}
		}
		if p.adj[k.b] == nil {
			p.adj[k.b] = map[int]int{}
		}
		p.adj[k.a][k.b] = w
		p.adj[k.b][k.a] = w
		p.degree[k.a] += w
		p.degree[k.b] += w
	}
	p.keys = make([]string, len(p.all))
	for i, n := range p.all {
		p.keys[i] = directory.Fold(n.Label)
	}
	return p
}

// stronger orders nodes by score, then label, then id.
func (p *pool) stronger(score []int) func(i, j int) bool {
	return func(i, j int) bool {
		if score[i] != score[j] {
			return score[i] > score[j]
		}
		if p.keys[i] != p.keys[j] {
			return p.keys[i] < p.keys[j]
		}
		return p.all[i].ID < p.all[j].ID
	}
}

// chooseFocus returns the flagged nodes, else the best connected one,
// strongest first and at most limit, and how many were left out.
func (p *pool) chooseFocus(limit int) ([]int, int) {
	var focus []int
	for i, n := range p.all {
		if n.Focus {
			focus = append(focus, i)
		}
	}
	if len(focus) == 0 && len(p.all) > 0 {
		best := 0
		for i := range p.all {
			if p.stronger(p.degree)(i, best) {
				best = i
			}
		}
		focus = []int{best}
	}
	sort.Slice(focus, func(x, y int) bool { return p.stronger(p.degree)(focus[x], focus[y]) })
	if len(focus) > limit {
		return focus[:limit], len(focus) - limit
	}
	return focus, 0
}

// choosePartners returns the others linked to the focus, by their weight
// to it, at most limit, and how many were left out.
func (p *pool) choosePartners(focus []int, limit int) ([]int, int) {
	inFocus := map[int]bool{}
	for _, f := range focus {
		inFocus[f] = true
	}
	toFocus := make([]int, len(p.all))
	var partners []int
	for i := range p.all {
		if inFocus[i] {
			continue
		}
		for f := range inFocus {
			toFocus[i] += p.adj[i][f]
		}
		if toFocus[i] > 0 {
			partners = append(partners, i)
		}
	}
	sort.Slice(partners, func(x, y int) bool { return p.stronger(toFocus)(partners[x], partners[y]) })
	if len(partners) > limit {
		return partners[:limit], len(partners) - limit
	}
	return partners, 0
}

// fill puts the chosen nodes into g with their weights to the focus and
// the edges among them: every edge of the focus and the partnerEdges
// heaviest between partners, light first.
func (p *pool) fill(g *graph, focus, partners []int, partnerEdges int) {
	chosen := append(append([]int(nil), focus...), partners...)
	index := map[int]int{}
	for k, i := range chosen {
		index[i] = k
		g.nodes = append(g.nodes, p.all[i])
	}
	g.focus = len(focus)
	g.weight = make([]int, len(chosen))
	g.with = make([][]int, len(chosen))
	for k, i := range chosen {
		var with []int
		for _, f := range focus {
			if w := p.adj[i][f]; w > 0 && f != i {
				g.weight[k] += w
				with = append(with, index[f])
			}
		}
		sort.SliceStable(with, func(x, y int) bool { return p.adj[i][chosen[with[x]]] > p.adj[i][chosen[with[y]]] })
		g.with[k] = with
	}
	var between []wedge // partner–partner
	for k, i := range chosen {
		for j, w := range p.adj[i] {
			if l, ok := index[j]; ok && k < l {
				if k < g.focus {
					g.edges = append(g.edges, wedge{k, l, w})
				} else {
					between = append(between, wedge{k, l, w})
				}
			}
		}
	}
	sortEdges(between, true)
	if len(between) > partnerEdges {
		between = between[:partnerEdges]
	}
	g.edges = append(g.edges, between...)
	sortEdges(g.edges, false) // light first: heavy edges are drawn on top
}

// sortEdges orders edges by weight (heaviest first when heavy), then by
// their ends.
func sortEdges(es []wedge, heavy bool) {
	sort.Slice(es, func(x, y int) bool {
		a, b := es[x], es[y]
		if a.w != b.w {
			return (a.w > b.w) == heavy
		}
		if a.a != b.a {
			return a.a < b.a
		}
		return a.b < b.b
	})
}

// truncate shortens a label for the drawing.
func truncate(s string, n int) string {
	r := []rune(strings.TrimSpace(s))
	if len(r) <= n {
		return string(r)
	}
	return strings.TrimSpace(string(r[:n-1])) + "…"
}
