package web

import (
	"net/http"
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
