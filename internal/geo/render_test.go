package geo

import (
	"encoding/xml"
	"io"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// element is a parsed XML element, enough to check the output.
type element struct {
	name  string
	attrs map[string]string
	text  string // the text directly inside
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

func links(els []element) []element {
	var out []element
	for _, e := range els {
		if e.name == "a" {
			out = append(out, e)
		}
	}
	return out
}

func TestRenderCountries(t *testing.T) {
	m := Europe()
	r := m.Render(RenderOptions{
		ID: "orgs", Title: "Organisations by country", Desc: "Where the alliance's organisations are.",
		Counts: map[string]int{"NL": 12, "DE": 40, "EL": 3, "UK": 1, "FR": 0, "US": 5, "UA": 2},
		Link:   FilterLink("/organisations", "country", url.Values{"q": {"drone"}, "cursor": {"abc"}, "country": {"BE"}}, "cursor"),
		Labels: true,
	})
	els := parse(t, string(r.Figure))
	if els[0].name != "figure" || els[0].attrs["aria-labelledby"] != "orgs-title" {
		t.Errorf("outer element %s %v, want a figure labelled by the title", els[0].name, els[0].attrs)
	}
	var svg element
	titles := map[string]string{}
	for _, e := range els {
		if e.name == "svg" && svg.name == "" {
			svg = e
		}
		if e.attrs["id"] != "" {
			titles[e.attrs["id"]] = e.text
		}
	}
	if svg.attrs["role"] != "group" || svg.attrs["aria-labelledby"] != "orgs-title" || svg.attrs["aria-describedby"] != "orgs-desc" {
		t.Errorf("svg attributes %v", svg.attrs)
	}
	if titles["orgs-title"] != "Organisations by country" || titles["orgs-desc"] != "Where the alliance's organisations are." {
		t.Errorf("title and desc %q", titles)
	}

	var got []string
	for _, a := range links(els) {
		got = append(got, a.attrs["aria-label"]+" → "+a.attrs["href"])
	}
	want := []string{
		"Germany: 40 organisations → /organisations?country=DE&q=drone",
		"Greece: 3 organisations → /organisations?country=GR&q=drone",
		"Netherlands: 12 organisations → /organisations?country=NL&q=drone",
		"Ukraine: 2 organisations → /organisations?country=UA&q=drone",
		"United Kingdom: 1 organisation → /organisations?country=GB&q=drone",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links (in focus order):\n got %q\nwant %q", got, want)
	}

	var rows []string
	for _, row := range r.Rows {
		rows = append(rows, row.Code+" "+row.Name)
		if row.Drawn != (row.Code != "US") {
			t.Errorf("row %s: Drawn %v", row.Code, row.Drawn)
		}
	}
	if want := []string{"DE Germany", "NL Netherlands", "US United States", "GR Greece", "UA Ukraine", "GB United Kingdom"}; !reflect.DeepEqual(rows, want) {
		t.Errorf("rows %q, want %q", rows, want)
	}

	// Count labels, one per country with a count on the map.
	var labels []string
	for _, e := range els {
		if e.attrs["class"] == "map-label" {
			labels = append(labels, e.text)
		}
	}
	sort.Strings(labels)
	if want := []string{"1", "12", "2", "3", "40"}; !reflect.DeepEqual(labels, want) {
		t.Errorf("labels %q, want %q", labels, want)
	}

	// Every NUTS country is drawn; the colour level follows the count.
	paths := 0
	for _, e := range els {
		if e.name == "path" && strings.Contains(e.attrs["class"], "map-area") {
			paths++
		}
	}
	if paths != len(m.Countries) {
		t.Errorf("%d country paths, want %d", paths, len(m.Countries))
	}
	if len(r.Attribution) == 0 || !strings.Contains(string(r.Figure), "© EuroGeographics for the administrative boundaries") {
		t.Error("attribution missing")
	}
}

func TestRenderLevels(t *testing.T) {
	r := Europe().Render(RenderOptions{
		Title:  "t",
		Counts: map[string]int{"NL": 1, "BE": 2, "DE": 100, "FR": 50},
		Link:   func(code string) string { return "/c/" + code },
		Breaks: []int{2, 10, 50, 100},
	})
	class := map[string]string{}
	for _, e := range parse(t, string(r.SVG)) {
		if e.name == "a" {
			class[e.attrs["href"]] = ""
		}
		if e.name == "path" {
			for href := range class {
				if class[href] == "" {
					class[href] = e.attrs["class"]
				}
			}
		}
	}
	want := map[string]string{
		"/c/NL": "map-area map-level-1", "/c/BE": "map-area map-level-2",
		"/c/FR": "map-area map-level-4", "/c/DE": "map-area map-level-5",
	}
	if !reflect.DeepEqual(class, want) {
		t.Errorf("classes %v, want %v", class, want)
	}
	var legend []string
	for _, it := range r.Legend {
		legend = append(legend, it.Class+" "+it.Label)
	}
	if want := []string{"map-level-0 None", "map-level-1 1", "map-level-2 2–9", "map-level-3 10–49", "map-level-4 50–99", "map-level-5 100 or more"}; !reflect.DeepEqual(legend, want) {
		t.Errorf("legend %q, want %q", legend, want)
	}
}

func TestBreaks(t *testing.T) {
	for _, tt := range []struct {
		max  int
		want []int
	}{
		{0, []int{2, 3, 4, 5}},
		{5, []int{2, 3, 4, 5}},
		{6, []int{2, 3, 4, 5}},
		{12, []int{2, 3, 5, 10}},
		{100, []int{3, 5, 20, 50}},
		{757, []int{3, 20, 50, 200}},
		{10000, []int{5, 50, 300, 2000}},
	} {
		got := Breaks(tt.max)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Breaks(%d) = %v, want %v", tt.max, got, tt.want)
		}
		for i := 1; i < len(got); i++ {
			if got[i] <= got[i-1] || got[0] < 2 {
				t.Errorf("Breaks(%d) = %v: not strictly ascending from 2", tt.max, got)
			}
		}
	}
	// Small counts: one level per value, and the legend stops at the largest.
	r := Europe().Render(RenderOptions{Title: "t", Counts: map[string]int{"NL": 3}})
	if n := len(r.Legend); n != 4 {
		t.Errorf("legend for a largest count of 3 has %d items, want None, 1, 2, 3", n)
	}
}

func TestRenderRegions(t *testing.T) {
	m := Europe()
	r := m.Render(RenderOptions{
		Title: "Organisations by region", Level: ByRegion,
		Counts: map[string]int{"NL33": 3, "DE21": 1, "FRL0": 7, "BE22": 2, "UA": 4, "FRY1": 1},
		Link:   FilterLink("/organisations", "region", nil),
		Unit:   [2]string{"member", "members"},
	})
	els := parse(t, string(r.Figure))
	var got []string
	for _, a := range links(els) {
		got = append(got, a.attrs["aria-label"])
	}
	want := []string{
		"Oberbayern, Germany: 1 member",
		"Prov. Limburg (BE), Belgium: 2 members",
		"Provence-Alpes-Côte d’Azur, France: 7 members",
		"Ukraine: 4 members",
		"Zuid-Holland, Netherlands: 3 members",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("links %q, want %q", got, want)
	}
	borders := 0
	for _, e := range els {
		if e.attrs["class"] == "map-borders" {
			borders++
		}
	}
	if borders != 1 {
		t.Errorf("%d border overlays, want 1", borders)
	}
	for _, row := range r.Rows {
		if row.Code == "FRY1" && row.Drawn {
			t.Error("FRY1 drawn")
		}
	}
	if !strings.Contains(string(r.Figure), "Members per region") {
		t.Error("legend title missing")
	}
}

func TestRenderEscapes(t *testing.T) {
	evil := `<script>alert("x")</script>`
	r := Europe().Render(RenderOptions{
		ID:     `x"><script>`,
		Title:  evil,
		Desc:   evil,
		Counts: map[string]int{"NL": 1, "BE": 1},
		Name: func(code string) string {
			if code == "NL" {
				return evil
			}
			return "Belgium & co"
		},
		Link: func(code string) string {
			if code == "NL" {
				return "javascript:alert(1)"
			}
			return `/o?country=BE&x="y"`
		},
		Markers:      []Marker{{Label: evil, URL: "JavaScript:alert(2)", Lat: 52, Lon: 5}, {Label: evil, Lat: 50, Lon: 4}},
		MarkerLegend: evil,
	})
	s := string(r.Figure)
	if strings.Contains(s, "<script") || strings.Contains(strings.ToLower(s), "javascript:") {
		t.Errorf("unescaped input in the output:\n%s", s[:min(len(s), 2000)])
	}
	if !strings.Contains(s, "&lt;script&gt;") {
		t.Error("escaped label missing")
	}
	els := parse(t, s)
	hrefs := map[string]bool{}
	for _, a := range links(els) {
		hrefs[a.attrs["href"]] = true
	}
	if !hrefs["#ZgotmplZ"] || !hrefs[`/o?country=BE&x="y"`] {
		t.Errorf("hrefs %v", hrefs)
	}
	if id := els[0].attrs["aria-labelledby"]; id != "xscript-title" {
		t.Errorf("id %q not cleaned", id)
	}
}

func TestRenderMarkers(t *testing.T) {
	r := Europe().Render(RenderOptions{
		Title: "Clusters",
		Markers: []Marker{
			{Label: "Small", URL: "/clusters/s", Count: 1, Lat: 48.14, Lon: 11.58},
			{Label: "Big", URL: "/clusters/b", Count: 40, Lat: 52.08, Lon: 4.31},
			{Label: "In a region", URL: "/clusters/r", At: "FI1B"},
			{Label: "Nowhere", URL: "/clusters/n"},
			{Label: "New York", Lat: 40.7, Lon: -74},
			{Label: "Unknown region", At: "ZZ99"},
		},
		MarkerLegend: "Cluster",
	})
	els := parse(t, string(r.Figure))
	var got []string
	for _, a := range links(els) {
		got = append(got, a.attrs["aria-label"])
	}
	if want := []string{"Big: 40 members", "Small: 1 member", "In a region"}; !reflect.DeepEqual(got, want) {
		t.Errorf("marker links %q, want %q (largest first)", got, want)
	}
	if len(r.Unplaced) != 3 {
		t.Errorf("unplaced %v, want Nowhere, New York, Unknown region", r.Unplaced)
	}
	for _, e := range els {
		if e.name == "circle" && e.attrs["class"] == "map-marker" && e.attrs["cx"] != "7" {
			if !strings.Contains(string(r.SVG), e.attrs["cx"]) {
				t.Error("marker position missing")
			}
		}
	}
}

func TestFilterLink(t *testing.T) {
	link := FilterLink("/organisations", "country", url.Values{
		"country": {"NL"}, "kind": {"research", "company"}, "cursor": {"x"}, "q": {"a&b"}, "empty": {""},
	}, "cursor")
	if got, want := link("DE"), "/organisations?country=DE&kind=research&kind=company&q=a%26b"; got != want {
		t.Errorf("link = %q, want %q", got, want)
	}
	if got, want := FilterLink("/o", "region", nil)("NL33"), "/o?region=NL33"; got != want {
		t.Errorf("link = %q, want %q", got, want)
	}
}

// TestCSS checks that map.css styles every class the output uses.
func TestCSS(t *testing.T) {
	css, err := os.ReadFile("map.css")
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, opts := range []RenderOptions{
		{Title: "t", Counts: map[string]int{"NL": 3, "UA": 0}, Link: func(string) string { return "/x" }, Labels: true,
			Markers: []Marker{{Label: "a", URL: "/a", Lat: 52, Lon: 5}, {Label: "b", Lat: 50, Lon: 5}}, MarkerLegend: "Cluster"},
		{Title: "t", Level: ByRegion, Counts: map[string]int{"NL33": 3}},
	} {
		all.WriteString(string(Europe().Render(opts).Figure))
	}
	classes := map[string]bool{}
	for _, m := range regexp.MustCompile(`class="([^"]*)"`).FindAllStringSubmatch(all.String(), -1) {
		for _, c := range strings.Fields(m[1]) {
			classes[c] = true
		}
	}
	for l := 0; l <= Levels; l++ {
		classes["map-level-"+string(rune('0'+l))] = true
	}
	for c := range classes {
		if !regexp.MustCompile(`\.` + regexp.QuoteMeta(c) + `\b`).Match(css) {
			t.Errorf("class %s is not in map.css", c)
		}
	}
}

func BenchmarkRenderCountries(b *testing.B) {
	m := Europe()
	counts := map[string]int{}
	for i, c := range m.Countries {
		counts[c.Code] = i * 7
	}
	link := FilterLink("/organisations", "country", url.Values{"q": {"drone"}})
	markers := []Marker{{Label: "HSD", URL: "/clusters/hsd", Count: 40, Lat: 52.08, Lon: 4.31}, {Label: "Safe", URL: "/clusters/safe", Count: 12, Lat: 43.53, Lon: 5.45}}
	b.ReportAllocs()
	for b.Loop() {
		m.Render(RenderOptions{Title: "Organisations", Counts: counts, Link: link, Labels: true, Markers: markers})
	}
}

func BenchmarkRenderRegions(b *testing.B) {
	m := Europe()
	counts := map[string]int{}
	for i, r := range m.Regions {
		counts[r.Code] = i % 40
	}
	link := FilterLink("/organisations", "region", url.Values{"q": {"drone"}})
	b.ReportAllocs()
	for b.Loop() {
		m.Render(RenderOptions{Title: "Organisations", Level: ByRegion, Counts: counts, Link: link})
	}
}
