package network

import (
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// element is a parsed XML element, enough to check the output.
type element struct {
	name  string
	attrs map[string]string
	text  string
}

// parse checks that s is well-formed XML and returns its elements in order.
func parse(t testing.TB, s string) []element {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	var out []element
	var stack []int
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%.300s", err, s)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := element{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			stack = append(stack, len(out)-1)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				out[stack[len(stack)-1]].text += string(tok)
			}
		}
	}
	return out
}

func attr(t testing.TB, e element, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attrs[name], 64)
	if err != nil {
		t.Fatalf("%s %s=%q: %v", e.name, name, e.attrs[name], err)
	}
	return v
}

var kinds = []string{KindCompany, KindResearch, KindHigherEducation, KindPublicBody, KindOther}

// star is an organisation in focus with n partners: partner i shared i+1
// projects with it, and some partners worked with each other.
func star(n int) ([]Node, []Edge) {
	nodes := []Node{{ID: "f", Label: "TNO", Kind: KindResearch, Country: "NL", URL: "/organisations/tno", Focus: true}}
	var edges []Edge
	for i := range n {
		id := fmt.Sprintf("p%02d", i)
		nodes = append(nodes, Node{ID: id, Label: fmt.Sprintf("Partner %02d with a rather long name", i), Kind: kinds[i%len(kinds)], Country: "DE", URL: "/organisations/" + id})
		edges = append(edges, Edge{From: "f", To: id, Weight: i + 1})
		if i > 0 && i%3 == 0 {
			edges = append(edges, Edge{From: id, To: fmt.Sprintf("p%02d", i-1), Weight: 1 + i%4})
		}
	}
	return nodes, edges
}

// random is a graph of n organisations, the first in focus.
func random(n int, seed uint64) ([]Node, []Edge) {
	r := rand.New(rand.NewPCG(seed, 7))
	var nodes []Node
	var edges []Edge
	for i := range n {
		nodes = append(nodes, Node{ID: fmt.Sprintf("n%03d", i), Label: fmt.Sprintf("Organisation %d", i), Kind: kinds[r.IntN(len(kinds))], URL: fmt.Sprintf("/o/%d", i), Focus: i == 0})
	}
	for i := 1; i < n; i++ {
		edges = append(edges, Edge{From: "n000", To: nodes[i].ID, Weight: 1 + r.IntN(12)})
		for range 3 {
			if j := r.IntN(n); j != i && j != 0 {
				edges = append(edges, Edge{From: nodes[i].ID, To: nodes[j].ID, Weight: 1 + r.IntN(4)})
			}
		}
	}
	return nodes, edges
}

func TestDeterministic(t *testing.T) {
	nodes, edges := random(50, 3)
	a := Draw(nodes, edges, Options{Title: "Network"})
	b := Draw(nodes, edges, Options{Title: "Network"})
	if a.Figure != b.Figure {
		t.Fatal("two draws of the same input differ")
	}
	// The order of the input does not matter.
	r := rand.New(rand.NewPCG(1, 2))
	n2, e2 := append([]Node(nil), nodes...), append([]Edge(nil), edges...)
	r.Shuffle(len(n2), func(i, j int) { n2[i], n2[j] = n2[j], n2[i] })
	r.Shuffle(len(e2), func(i, j int) { e2[i], e2[j] = e2[j], e2[i] })
	for i := range e2 {
		if i%2 == 0 {
			e2[i].From, e2[i].To = e2[i].To, e2[i].From
		}
	}
	if c := Draw(n2, e2, Options{Title: "Network"}); c.Figure != a.Figure {
		t.Error("shuffled input gives another drawing")
	}
	if d := Draw(nodes, edges, Options{Title: "Network", Seed: 99}); d.Figure == a.Figure {
		t.Error("another seed gives the same drawing")
	}
}

func TestInsideViewBox(t *testing.T) {
	for _, n := range []int{2, 3, 8, 26, 60} {
		for _, size := range [][2]int{{0, 0}, {400, 300}, {600, 800}} {
			nodes, edges := random(n, uint64(n))
			d := Draw(nodes, edges, Options{Title: "t", Width: size[0], Height: size[1], Neighbours: 59})
			W, H := float64(size[0]), float64(size[1])
			if W == 0 {
				W, H = defaultWidth, defaultHeight
			}
			els := parse(t, string(d.SVG))
			if vb := els[0].attrs["viewBox"]; vb != fmt.Sprintf("0 0 %g %g", W, H) {
				t.Errorf("viewBox %q", vb)
			}
			circles := 0
			for _, e := range els {
				switch e.name {
				case "circle":
					circles++
					x, y, r := attr(t, e, "cx"), attr(t, e, "cy"), attr(t, e, "r")
					if x-r < 0 || y-r < 0 || x+r > W || y+r > H {
						t.Errorf("n=%d %v: circle (%g, %g) r %g outside the viewBox", n, size, x, y, r)
					}
				case "text":
					x, y := attr(t, e, "x"), attr(t, e, "y")
					w := float64(len([]rune(e.text))) * charWidth
					x0, x1 := x, x+w
					switch e.attrs["text-anchor"] {
					case "end":
						x0, x1 = x-w, x
					case "middle":
						x0, x1 = x-w/2, x+w/2
					}
					if x0 < 0 || x1 > W || y-fontSize < 0 || y > H {
						t.Errorf("n=%d %v: label %q at (%g, %g) %s runs off the canvas", n, size, e.text, x, y, e.attrs["text-anchor"])
					}
				case "line":
					for _, a := range []string{"x1", "x2"} {
						if v := attr(t, e, a); v < 0 || v > W {
							t.Errorf("edge %s=%g outside", a, v)
						}
					}
				}
			}
			if circles != len(d.Nodes) {
				t.Errorf("n=%d: %d circles for %d nodes", n, circles, len(d.Nodes))
			}
		}
	}
}

func TestTopN(t *testing.T) {
	nodes, edges := star(40)
	// Noise: an unknown node, a self-loop, a zero weight, a duplicate node
	// and an edge given twice (added up).
	edges = append(edges, Edge{From: "f", To: "ghost", Weight: 100}, Edge{From: "f", To: "f", Weight: 100},
		Edge{From: "f", To: "p00", Weight: 0}, Edge{From: "p05", To: "f", Weight: 50})
	nodes = append(nodes, Node{ID: "p39", Label: "Duplicate", Focus: true})
	d := Draw(nodes, edges, Options{Title: "t", Neighbours: 5})
	if d.Omitted != 35 {
		t.Errorf("Omitted = %d, want 35", d.Omitted)
	}
	var got []string
	for _, r := range d.Rows {
		got = append(got, fmt.Sprintf("%s %d", r.ID, r.Projects))
	}
	want := []string{"p05 56", "p39 40", "p38 39", "p37 38", "p36 37"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if len(d.Nodes) != 6 || d.Nodes[0].ID != "f" {
		t.Errorf("%d nodes, first %q; want the focus and 5 partners", len(d.Nodes), d.Nodes[0].ID)
	}
	r := d.Rows[1]
	if r.Label != "Partner 39 with a rather long name" || r.Kind != KindOther || r.KindLabel != "Other" ||
		r.Country != "DE" || r.URL != "/organisations/p39" || !reflect.DeepEqual(r.With, []string{"TNO"}) || r.Focus {
		t.Errorf("row %+v", r)
	}

	// Ties break by name, then id.
	tie := []Node{{ID: "f", Label: "F", Focus: true}, {ID: "b", Label: "Beta"}, {ID: "a", Label: "alpha"}, {ID: "c", Label: "Émile"}, {ID: "d", Label: "delta"}}
	tieEdges := []Edge{{"f", "a", 2}, {"f", "b", 2}, {"f", "c", 2}, {"f", "d", 2}}
	got = nil
	for _, r := range Draw(tie, tieEdges, Options{Neighbours: 3}).Rows {
		got = append(got, r.Label)
	}
	if want := []string{"alpha", "Beta", "delta"}; !reflect.DeepEqual(got, want) {
		t.Errorf("ties %q, want %q", got, want)
	}
}

func TestPartnerEdges(t *testing.T) {
	nodes, edges := random(30, 5)
	d := Draw(nodes, edges, Options{Title: "t", PartnerEdges: 4})
	focusEdges, between := 0, 0
	for _, e := range parse(t, string(d.SVG)) {
		if e.name == "line" {
			if strings.Contains(e.attrs["class"], "net-edge-focus") {
				focusEdges++
			} else {
				between++
			}
		}
	}
	if focusEdges != len(d.Nodes)-1 || between != 4 {
		t.Errorf("%d focus edges (want %d), %d others (want 4)", focusEdges, len(d.Nodes)-1, between)
	}
}

func TestAccessibleMarkup(t *testing.T) {
	nodes, edges := star(3)
	nodes = append(nodes, Node{ID: "x", Label: "No page", Kind: "unknown kind"})
	edges = append(edges, Edge{From: "x", To: "f", Weight: 1})
	d := Draw(nodes, edges, Options{ID: "tno-net", Title: "Collaborations of TNO", Desc: "Who TNO worked with."})
	els := parse(t, string(d.Figure))
	if els[0].name != "figure" || els[0].attrs["aria-labelledby"] != "tno-net-title" {
		t.Errorf("outer %s %v", els[0].name, els[0].attrs)
	}
	svg := els[1]
	if svg.name != "svg" || svg.attrs["role"] != "group" || svg.attrs["aria-labelledby"] != "tno-net-title" || svg.attrs["aria-describedby"] != "tno-net-desc" {
		t.Errorf("svg %v", svg.attrs)
	}
	var labels []string
	for _, e := range els {
		if e.name == "a" {
			labels = append(labels, e.attrs["aria-label"]+" → "+e.attrs["href"])
		}
	}
	want := []string{
		"TNO — in focus → /organisations/tno",
		"Partner 02 with a rather long name — 3 shared projects → /organisations/p02",
		"Partner 01 with a rather long name — 2 shared projects → /organisations/p01",
		"Partner 00 with a rather long name — 1 shared project → /organisations/p00",
	}
	if !reflect.DeepEqual(labels, want) {
		t.Errorf("links in focus order:\n got %q\nwant %q", labels, want)
	}
	// The node without a URL is drawn but not a link; its kind is "other".
	// It ties with Partner 00 and comes first by name.
	if r := d.Rows[2]; r.ID != "x" || r.Kind != KindOther || r.URL != "" || r.Projects != 1 {
		t.Errorf("row %+v", r)
	}
	var legend []string
	for _, it := range d.Legend {
		legend = append(legend, it.Label)
	}
	if want := []string{"Company", "Research organisation", "Higher education", "Other"}; !reflect.DeepEqual(legend, want) {
		t.Errorf("legend %q, want %q", legend, want)
	}
}

func TestCluster(t *testing.T) {
	nodes := []Node{
		{ID: "m1", Label: "Member one", Focus: true}, {ID: "m2", Label: "Member two", Focus: true},
		{ID: "m3", Label: "Member three", Focus: true}, {ID: "p", Label: "Partner"},
	}
	edges := []Edge{{"m1", "m2", 4}, {"p", "m1", 2}, {"p", "m2", 5}}
	d := Draw(nodes, edges, Options{})
	var got []string
	for _, r := range d.Rows {
		got = append(got, fmt.Sprintf("%s %d %v %q", r.ID, r.Projects, r.Focus, r.With))
	}
	want := []string{
		`p 7 false ["Member two" "Member one"]`,
		`m1 4 true ["Member two"]`,
		`m2 4 true ["Member one"]`,
		`m3 0 true []`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rows\n got %q\nwant %q", got, want)
	}
	if d.Empty {
		t.Error("empty")
	}
	d = Draw(nodes, edges, Options{MaxFocus: 2})
	if d.OmittedFocus != 1 || len(d.Nodes) != 3 {
		t.Errorf("OmittedFocus %d, %d nodes", d.OmittedFocus, len(d.Nodes))
	}
}

func TestEscaping(t *testing.T) {
	evil := `<script>alert("x")</script>`
	nodes := []Node{
		{ID: "f", Label: evil, Focus: true, URL: "javascript:alert(1)", Country: evil},
		{ID: "p", Label: "Fish & Chips \"Ltd\"", URL: `/o?a=1&b="2"`},
	}
	d := Draw(nodes, []Edge{{"f", "p", 1}}, Options{ID: `"><script>`, Title: evil, Desc: evil})
	s := string(d.Figure)
	if strings.Contains(s, "<script") || strings.Contains(strings.ToLower(s), "javascript:") {
		t.Errorf("unescaped input:\n%s", s)
	}
	els := parse(t, s)
	hrefs := map[string]bool{}
	for _, e := range els {
		if e.name == "a" {
			hrefs[e.attrs["href"]] = true
		}
	}
	if !hrefs["#ZgotmplZ"] || !hrefs[`/o?a=1&b="2"`] {
		t.Errorf("hrefs %v", hrefs)
	}
	if !strings.Contains(s, "Fish &amp; Chips &#34;Ltd&#34;") {
		t.Error("escaped label missing")
	}
}

func TestEmpty(t *testing.T) {
	for name, g := range map[string]struct {
		nodes []Node
		edges []Edge
	}{
		"nothing":     {},
		"alone":       {nodes: []Node{{ID: "f", Label: "TNO", Focus: true}}},
		"no edges":    {nodes: []Node{{ID: "f", Label: "TNO", Focus: true}, {ID: "p", Label: "P"}}},
		"bad edges":   {nodes: []Node{{ID: "f", Label: "TNO", Focus: true}}, edges: []Edge{{"f", "f", 3}, {"f", "x", 2}}},
		"zero weight": {nodes: []Node{{ID: "f", Focus: true}, {ID: "p"}}, edges: []Edge{{"f", "p", 0}}},
	} {
		d := Draw(g.nodes, g.edges, Options{Title: "t"})
		if !d.Empty || d.SVG != "" || len(d.Rows) != 0 {
			t.Errorf("%s: Empty %v, SVG %d bytes, %d rows", name, d.Empty, len(d.SVG), len(d.Rows))
		}
		if want := `<p class="net-empty">No collaborations in imported projects yet.</p>`; string(d.Figure) != want {
			t.Errorf("%s: figure %q, want %q", name, d.Figure, want)
		}
	}
	d := Draw(nil, nil, Options{EmptyText: "Nog geen samenwerkingen <3"})
	if string(d.Figure) != `<p class="net-empty">Nog geen samenwerkingen &lt;3</p>` {
		t.Errorf("figure %q", d.Figure)
	}
}

// TestCSS checks that network.css styles every class the output uses.
func TestCSS(t *testing.T) {
	css, err := os.ReadFile("network.css")
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := random(40, 1)
	nodes = append(nodes, Node{ID: "nolink", Label: "No link"})
	edges = append(edges, Edge{From: "n000", To: "nolink", Weight: 20})
	out := string(Draw(nodes, edges, Options{}).Figure) + string(Draw(nil, nil, Options{}).Figure)
	classes := map[string]bool{}
	for _, m := range regexp.MustCompile(`class="([^"]*)"`).FindAllStringSubmatch(out, -1) {
		for _, c := range strings.Fields(m[1]) {
			classes[c] = true
		}
	}
	for _, k := range Kinds {
		classes[kindClass(k)] = true
	}
	for c := range classes {
		if !regexp.MustCompile(`\.` + regexp.QuoteMeta(c) + `\b`).Match(css) {
			t.Errorf("class %s is not in network.css", c)
		}
	}
}

func BenchmarkDraw60(b *testing.B) {
	nodes, edges := random(60, 11)
	opts := Options{Title: "Network", Neighbours: 59}
	b.ReportAllocs()
	for b.Loop() {
		Draw(nodes, edges, opts)
	}
}

func BenchmarkDrawDefault(b *testing.B) {
	nodes, edges := random(300, 12)
	b.ReportAllocs()
	for b.Loop() {
		Draw(nodes, edges, Options{Title: "Network"})
	}
}
