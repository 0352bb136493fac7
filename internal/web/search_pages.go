package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/directory"
)

// facetLink is one clickable facet value.
type facetLink struct {
	Label    string
	Count    int
	URL      string
	Selected bool
}

type searchPage struct {
	layout
	SearchQuery string
	Results     SearchResults
	Words       []string
	Facets      map[string][]facetLink // field → values
	Errors      []ProblemField
	Caps        map[string]directory.Capability
}

// Highlight marks the query's words in text, escaping everything else.
func (p searchPage) Highlight(text string) template.HTML { return highlight(text, p.Words) }

func (s *Server) pageSearch(w http.ResponseWriter, r *http.Request) error {
	data := searchPage{layout: s.layoutQ(r, "title.search", "search", r.URL.Query().Get("q"))}
	res, err := s.search(r)
	if err != nil {
		if fe, ok := problemFields(err); ok {
			data.Errors = fe
			return s.render(w, http.StatusBadRequest, "search", data)
		}
		return err
	}
	data.Results = res
	data.Words = directory.Words(res.Query)
	data.SearchQuery = r.URL.Query().Encode()
	if data.Caps, _, err = s.capabilityMap(r); err != nil {
		return err
	}
	// Each facet value links to the same search with that value set (or
	// unset when it is already chosen).
	q := r.URL.Query()
	link := func(field, value string) (string, bool) {
		v := cloneValues(q)
		selected := v.Get(field) == value
		if selected {
			v.Del(field)
		} else {
			v.Set(field, value)
		}
		return "/search?" + v.Encode(), selected
	}
	data.Facets = map[string][]facetLink{}
	add := func(field string, facets []directory.Facet, label func(directory.Facet) string) {
		for _, f := range facets {
			u, sel := link(field, f.Value)
			data.Facets[field] = append(data.Facets[field], facetLink{Label: label(f), Count: f.Count, URL: u, Selected: sel})
		}
	}
	add("country", res.Facets.Country, func(f directory.Facet) string { return data.L.Country(f.Value) })
	add("kind", res.Facets.Kind, func(f directory.Facet) string { return data.L.T("kind." + f.Value) })
	add("cluster", res.Facets.Cluster, func(f directory.Facet) string { return f.Label })
	add("capability", res.Facets.Capability, func(f directory.Facet) string { return labelOf(data.Caps, f.Value, data.L.Lang) })
	return s.render(w, http.StatusOK, "search", data)
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		if k == "cursor" {
			continue
		}
		out[k] = slices.Clone(vs)
	}
	return out
}

func problemFields(err error) ([]ProblemField, bool) {
	if he, ok := err.(*httpError); ok && len(he.fields) > 0 {
		return fieldsOf(he.fields), true
	}
	return fieldErrors(err)
}

// highlight wraps each occurrence of the (folded) words in <mark>,
// matching accents and case loosely and escaping the rest.
func highlight(text string, words []string) template.HTML {
	if len(words) == 0 || text == "" {
		return template.HTML(template.HTMLEscapeString(text))
	}
	// Fold rune by rune so positions in the folded text map back to the
	// original.
	runes := []rune(text)
	folded := make([]string, len(runes))
	for i, r := range runes {
		folded[i] = directory.Fold(string(r))
	}
	marked := make([]bool, len(runes))
	for _, word := range words {
		wr := []rune(word)
		for i := 0; i+len(wr) <= len(runes); i++ {
			match := true
			for j := range wr {
				if folded[i+j] != string(wr[j]) {
					match = false
					break
				}
			}
			if match {
				for j := range wr {
					marked[i+j] = true
				}
			}
		}
	}
	var b strings.Builder
	in := false
	for i, r := range runes {
		if marked[i] && !in {
			b.WriteString("<mark>")
			in = true
		} else if !marked[i] && in {
			b.WriteString("</mark>")
			in = false
		}
		b.WriteString(template.HTMLEscapeString(string(r)))
	}
	if in {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}
