package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/directory"
)

// SearchResults are the grouped results of one query, each group already
// limited to what the viewer may see.
type SearchResults struct {
	Query         string                                 `json:"query"`
	Clusters      directory.Page[directory.Cluster]      `json:"clusters"`
	Organisations directory.Page[directory.Organisation] `json:"organisations"`
	People        directory.Page[directory.Person]       `json:"people"`
	Facilities    directory.Page[directory.Facility]     `json:"facilities"`
	Capabilities  []directory.Capability                 `json:"capabilities"`
	Facets        directory.Facets                       `json:"facets"`
}

// search runs one query over every kind of record. The organisation
// filters (country, kind, cluster, capability) narrow the organisations
// and their facets; the other groups match the text.
func (s *Server) search(r *http.Request) (SearchResults, error) {
	f, err := listFilter(r.URL.Query(), "q", "country", "kind", "cluster", "capability", "role")
	if err != nil {
		return SearchResults{}, err
	}
	if err := checkKind(f, directory.Kinds); err != nil {
		return SearchResults{}, err
	}
	ctx := r.Context()
	res := SearchResults{Query: f.Query}
	text := directory.Filter{Query: f.Query, Limit: 10}
	if res.Clusters, err = s.dir.ListClusters(ctx, text); err != nil {
		return res, err
	}
	f.Limit = 20
	if res.Organisations, err = s.dir.ListOrganisations(ctx, f); err != nil {
		return res, err
	}
	if res.Facets, err = s.dir.OrganisationFacets(ctx, f); err != nil {
		return res, err
	}
	if res.People, err = s.dir.ListPeople(ctx, text); err != nil {
		return res, err
	}
	if res.Facilities, err = s.dir.ListFacilities(ctx, text); err != nil {
		return res, err
	}
	res.Capabilities = []directory.Capability{}
	if f.Query != "" {
		if res.Capabilities, err = s.dir.ListCapabilities(ctx, f.Query); err != nil {
			return res, err
		}
		if len(res.Capabilities) > 10 {
			res.Capabilities = res.Capabilities[:10]
		}
	}
	return res, nil
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	res, err := s.search(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, res)
}

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

// Suggestion is one entry of the search box's suggestions.
type Suggestion struct {
	Kind  string `json:"kind"` // cluster, organisation, capability, person, facility
	Label string `json:"label"`
	URL   string `json:"url"`
}

// SuggestionList is what the search box shows while typing.
type SuggestionList struct {
	Items []Suggestion `json:"items"`
}

// apiSuggest answers the search box while a person types: a few names
// of each kind that match, visible to the viewer.
func (s *Server) apiSuggest(w http.ResponseWriter, r *http.Request) error {
	f, err := listFilter(r.URL.Query(), "q")
	if err != nil {
		return err
	}
	out := SuggestionList{Items: []Suggestion{}}
	if utf8.RuneCountInString(strings.TrimSpace(f.Query)) < 2 {
		return writeJSON(w, http.StatusOK, out)
	}
	ctx := r.Context()
	text := directory.Filter{Query: f.Query, Limit: 3}
	cl, err := s.dir.ListClusters(ctx, text)
	if err != nil {
		return err
	}
	for _, c := range cl.Items {
		out.Items = append(out.Items, Suggestion{"cluster", c.Name, "/clusters/" + c.Slug})
	}
	text.Limit = 5
	orgs, err := s.dir.ListOrganisations(ctx, text)
	if err != nil {
		return err
	}
	for _, o := range orgs.Items {
		out.Items = append(out.Items, Suggestion{"organisation", o.Name, "/organisations/" + o.Slug})
	}
	caps, err := s.dir.ListCapabilities(ctx, f.Query)
	if err != nil {
		return err
	}
	lang := requestLanguage(r)
	for i, c := range caps {
		if i == 3 {
			break
		}
		out.Items = append(out.Items, Suggestion{"capability", c.Label(lang), "/capabilities/" + c.Code})
	}
	text.Limit = 3
	people, err := s.dir.ListPeople(ctx, text)
	if err != nil {
		return err
	}
	for _, p := range people.Items {
		out.Items = append(out.Items, Suggestion{"person", p.Name, "/people/" + p.ID})
	}
	w.Header().Set("Cache-Control", "private, max-age=30")
	return writeJSON(w, http.StatusOK, out)
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
