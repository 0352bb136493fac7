package web

import (
	"html/template"
	"net/http"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/geo"
)

// mapView is a rendered map with its legend and the table that is its
// accessible equivalent, in the page's language.
type mapView struct {
	SVG         template.HTML
	Caption     string
	Legend      []mapLegendItem
	Attribution []string
	Rows        []mapRow
}

type mapLegendItem struct {
	Class, Label string
}

type mapRow struct {
	Name  string
	Count int
	URL   string
}

// directoryMap draws organisations per country (counts already filtered
// and limited to what the viewer may see) with the clusters as markers;
// each country links to the organisation list with the current filters
// plus that country.
func (s *Server) directoryMap(r *http.Request, l *Localizer, id string, counts map[string]int, clusters []directory.Cluster) *mapView {
	markers := make([]geo.Marker, 0, len(clusters))
	for _, c := range clusters {
		at := c.Region
		if at == "" {
			at = c.Country
		}
		markers = append(markers, geo.Marker{Label: c.Name, URL: "/clusters/" + c.Slug, Count: c.MemberCount, At: at})
	}
	link := geo.FilterLink("/organisations", "country", r.URL.Query(), "cursor")
	rendered := geo.Europe().Render(geo.RenderOptions{
		ID:           id,
		Title:        l.T("map.title"),
		Desc:         l.T("map.desc"),
		Counts:       counts,
		Link:         link,
		Labels:       true,
		Name:         l.Country,
		Count:        func(n int) string { return l.N("count.organisations", n) },
		MarkerCount:  func(n int) string { return l.N("count.members", n) },
		Markers:      markers,
		MarkerLegend: l.T("map.cluster"),
	})
	v := &mapView{SVG: rendered.SVG, Caption: l.T("map.caption"), Attribution: rendered.Attribution}
	for _, it := range rendered.Legend {
		label := ""
		switch {
		case it.Min == 0 && it.Max == 0:
			label = l.T("map.none")
		case it.Max < 0:
			label = l.T("map.or_more", "n", l.Num(it.Min))
		case it.Max > it.Min:
			label = l.Num(it.Min) + "–" + l.Num(it.Max)
		default:
			label = l.Num(it.Min)
		}
		v.Legend = append(v.Legend, mapLegendItem{Class: it.Class, Label: label})
	}
	if len(markers) > 0 {
		v.Legend = append(v.Legend, mapLegendItem{Class: "map-marker", Label: l.T("map.cluster")})
	}
	for _, row := range rendered.Rows {
		v.Rows = append(v.Rows, mapRow{Name: l.Country(row.Code), Count: row.Count, URL: link(row.Code)})
	}
	return v
}

func facetCounts(facets []directory.Facet) map[string]int {
	m := make(map[string]int, len(facets))
	for _, f := range facets {
		m[f.Value] = f.Count
	}
	return m
}
