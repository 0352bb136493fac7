package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/geo"
	"github.com/escnet/escnet/internal/network"
	"github.com/escnet/escnet/internal/store"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// pages holds the parsed templates (one set per page, each with the
// layout) and the static files under their content-hash names.
type pages struct {
	templates map[string]*template.Template
	static    map[string]staticFile // hashed name → file
	staticURL map[string]string     // plain name → /static/hashed name
}

type staticFile struct {
	body        []byte
	contentType string
}

func loadPages() (*pages, error) {
	p := &pages{templates: map[string]*template.Template{}, static: map[string]staticFile{}, staticURL: map[string]string{}}
	entries, err := fs.ReadDir(staticFiles, "static")
	if err != nil {
		return nil, err
	}
	files := map[string][]byte{
		// The map and network packages own the styles of their drawings.
		"map.css":     geo.CSS,
		"network.css": network.CSS,
	}
	for _, e := range entries {
		body, err := fs.ReadFile(staticFiles, "static/"+e.Name())
		if err != nil {
			return nil, err
		}
		files[e.Name()] = body
	}
	for name, body := range files {
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:6]) + ext
		ct := map[string]string{".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}[ext]
		p.static[hashed] = staticFile{body, ct}
		p.staticURL[name] = "/static/" + hashed
	}
	funcs := template.FuncMap{
		"static": func(name string) string { return p.staticURL[name] },
		"label":  labelOf,
		"join":   strings.Join,
		"list":   func(items ...string) []string { return items },
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || base == "filters.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/filters.html", name)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		p.templates[strings.TrimSuffix(base, ".html")] = t
	}
	return p, nil
}

func (s *Server) handleStatic(w http.ResponseWriter, r *http.Request) {
	f, ok := s.pages.static[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	// The name carries the content hash, so the file never changes.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write(f.body)
}

// layout is what every page shows around its content.
type layout struct {
	Title     string
	Section   string
	Query     string
	SignedIn  bool
	UserEmail string
	Admin     bool // alliance administrator: show the administration links
	L         *Localizer
	Languages []languageLink
	Path      string // the current page, to come back to after a language switch
}

// languageLink is one entry of the language switch, named in its own
// language.
type languageLink struct{ Code, Name string }

var languageLinks = []languageLink{{"en", "English"}, {"nl", "Nederlands"}, {"fr", "Français"}, {"de", "Deutsch"}}

// loc returns the request's localizer.
func (s *Server) loc(r *http.Request) *Localizer { return s.catalog.localizer(requestLanguage(r)) }

// layout fills the frame of a page for the request's viewer and language.
// A title starting with "title." is a message key; anything else (a
// record's name) is shown as written.
func (s *Server) layout(r *http.Request, title, section string) layout {
	l := layout{Title: title, Section: section, L: s.loc(r), Languages: languageLinks, Path: r.URL.RequestURI()}
	if strings.HasPrefix(title, "title.") {
		l.Title = l.L.T(title)
	}
	if u, ok := userFrom(r.Context()); ok {
		l.SignedIn, l.UserEmail, l.Admin = true, u.Email, u.AllianceAdmin
	}
	return l
}

// layoutQ is layout with the search box filled in.
func (s *Server) layoutQ(r *http.Request, title, section, query string) layout {
	l := s.layout(r, title, section)
	l.Query = query
	return l
}

// render executes a page template into a buffer first, so that a template
// error becomes a clean error page instead of half a page.
func (s *Server) render(w http.ResponseWriter, status int, name string, data any) error {
	t, ok := s.pages.templates[name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Pages differ by account and language, and some answers (404, 410)
	// are cacheable by default: let no cache reuse them unchecked.
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "private, no-cache")
	}
	h.Add("Vary", "Cookie, Accept-Language")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// errorPage is the data of the error template.
type errorPage struct {
	layout
	Status int
	Detail string
	Errors []ProblemField
}

// page adapts a handler for HTML: errors become an error page with the
// status that toProblem chose.
func (s *Server) page(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := h(w, r)
		if err == nil {
			return
		}
		p := toProblem(r, err)
		code := strconv.Itoa(p.Status)
		if p.Status == http.StatusUnauthorized && r.Method == http.MethodGet {
			// A page that needs an account: sign in and come back.
			http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		data := errorPage{layout: s.layout(r, "title.status."+code, ""), Status: p.Status, Errors: p.Errors}
		data.Detail = data.L.T("status." + code + ".detail")
		if notReady(w, err) {
			data.layout = s.layout(r, "title.status.starting", "")
			data.Detail = data.L.T("status.starting.detail")
		}
		if rerr := s.render(w, p.Status, "error", data); rerr != nil {
			s.log.ErrorContext(r.Context(), "render error page", "err", rerr)
			http.Error(w, p.Title, p.Status)
		}
	})
}

// labelOf returns a capability's label in lang from a code→capability map.
func labelOf(caps map[string]directory.Capability, code, lang string) string {
	if c, ok := caps[code]; ok {
		return c.Label(lang)
	}
	return code
}

func (s *Server) capabilityMap(r *http.Request) (map[string]directory.Capability, []directory.Capability, error) {
	list, err := s.db.ListCapabilities(r.Context())
	if err != nil {
		return nil, nil, err
	}
	m := make(map[string]directory.Capability, len(list))
	for _, c := range list {
		m[c.Code] = c
	}
	return m, list, nil
}

// filterForm is the state of a list page's filter form.
type filterForm struct {
	Filter       directory.Filter
	Kinds        []string
	KindPrefix   string // message key prefix of the kinds
	Roles        []string
	Countries    []string
	Clusters     []directory.Cluster
	Capabilities []directory.Capability
	NextURL      string
	Errors       []ProblemField
}

func (s *Server) readFilterForm(r *http.Request, kinds []string, allowed ...string) (filterForm, error) {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	form := filterForm{Kinds: kinds, KindPrefix: "kind", Roles: directory.PractitionerRoles}
	if len(kinds) > 0 && kinds[0] == directory.FacilityKinds[0] {
		form.KindPrefix = "facility_kind"
	}
	f, err := listFilter(q, allowed...)
	if err == nil && kinds != nil {
		err = checkKind(f, kinds)
	}
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			form.Errors = fieldsOf(he.fields)
		}
		f = directory.Filter{Limit: 50}
	}
	form.Filter = f
	clusters, err := s.db.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return form, err
	}
	form.Clusters = clusters.Items
	_, form.Capabilities, err = s.capabilityMap(r)
	form.Countries = []string{"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"}
	return form, err
}

func nextURL(r *http.Request, next string) string {
	if next == "" {
		return ""
	}
	q := r.URL.Query()
	q.Set("cursor", next)
	return r.URL.Path + "?" + q.Encode()
}

// ---- home

type homePage struct {
	layout
	Clusters      []directory.Cluster
	Organisations int
	People        int
	Facilities    int
}

func (s *Server) pageHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	cl, err := s.db.ListClusters(ctx, directory.Filter{Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	orgs, err := s.db.ListOrganisations(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return err
	}
	people, err := s.db.ListPeople(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return err
	}
	fac, err := s.db.ListFacilities(ctx, directory.Filter{Limit: 1})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "home", homePage{layout: s.layout(r, "title.home", "home"),
		Clusters: cl.Items, Organisations: orgs.Total, People: people.Total, Facilities: fac.Total})
}

// ---- clusters

type clustersPage struct {
	layout
	Form filterForm
	Page directory.Page[directory.Cluster]
	Caps map[string]directory.Capability
	Map  *mapView
}

func (s *Server) pageClusters(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, nil, "q", "country", "capability")
	if err != nil {
		return err
	}
	p, err := s.db.ListClusters(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	data := clustersPage{layout: s.layoutQ(r, "title.clusters", "clusters", form.Filter.Query), Form: form, Page: p, Caps: caps}
	countries, err := s.db.OrganisationCountries(r.Context(), directory.Filter{})
	if err != nil {
		return err
	}
	data.Map = s.directoryMap(r, data.L, "clusters-map", facetCounts(countries), p.Items)
	return s.render(w, http.StatusOK, "clusters", data)
}

type clusterPage struct {
	layout
	Network    *networkView
	CanEdit    bool
	Cluster    directory.Cluster
	Members    directory.Page[directory.Organisation]
	Facilities []directory.Facility
	Caps       map[string]directory.Capability
	Letter     *letterStatus // governance_pages.go
}

func (s *Server) pageCluster(w http.ResponseWriter, r *http.Request) error {
	c, err := s.db.GetCluster(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	members, err := s.db.ListOrganisations(r.Context(), directory.Filter{Cluster: c.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	fac, err := s.db.ListFacilities(r.Context(), directory.Filter{Cluster: c.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	data := clusterPage{layout: s.layout(r, c.Name, "clusters"), Cluster: c, Members: members, Facilities: fac.Items, Caps: caps}
	data.CanEdit = access.CanEditCluster(viewerFrom(r.Context()), c.ID)
	if data.Letter, err = s.clusterLetter(r, c.ID); err != nil {
		return err
	}
	var focus []string
	for _, m := range members.Items {
		focus = append(focus, m.ID)
	}
	if data.Network, err = s.collaborationNetwork(r, data.L, "cluster-network", data.L.T("network.heading")+": "+c.Name, focus); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "cluster", data)
}

// ---- organisations

type organisationsPage struct {
	layout
	CanAdd      bool
	Form        filterForm
	Page        directory.Page[directory.Organisation]
	Map         *mapView
	ExportQuery string
}

func (s *Server) pageOrganisations(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, directory.Kinds, "q", "country", "kind", "cluster", "capability", "role")
	if err != nil {
		return err
	}
	p, err := s.db.ListOrganisations(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	data := organisationsPage{layout: s.layoutQ(r, "title.organisations", "organisations", form.Filter.Query), Form: form, Page: p}
	countries, err := s.db.OrganisationCountries(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	data.Map = s.directoryMap(r, data.L, "organisations-map", facetCounts(countries), form.Clusters)
	v := viewerFrom(r.Context())
	data.CanAdd = v.WriteAllowed && (v.AllianceAdmin || len(v.ManagedClusters) > 0)
	if q := r.URL.Query(); len(q) > 0 {
		q.Del("cursor")
		data.ExportQuery = "?" + q.Encode()
	}
	return s.render(w, http.StatusOK, "organisations", data)
}

type organisationPage struct {
	layout
	CanInvite    bool
	CanEdit      bool
	Organisation directory.Organisation
	People       []directory.Person
	Facilities   []directory.Facility
	Caps         map[string]directory.Capability
	Track        *trackView // EU projects (pages_projects.go)
	Network      *networkView
}

func (s *Server) pageOrganisation(w http.ResponseWriter, r *http.Request) error {
	o, err := s.db.GetOrganisation(r.Context(), r.PathValue("slug"))
	if err != nil {
		return err
	}
	people, err := s.db.ListPeople(r.Context(), directory.Filter{Organisation: o.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	fac, err := s.db.ListFacilities(r.Context(), directory.Filter{Organisation: o.ID, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	data := organisationPage{layout: s.layout(r, o.Name, "organisations"), Organisation: o, People: people.Items, Facilities: fac.Items, Caps: caps}
	data.CanInvite = access.CanInvite(viewerFrom(r.Context()), o.ID, recordOf(o, "", "").OwnerClusters)
	data.CanEdit = access.CanEditOrganisationRecord(viewerFrom(r.Context()), recordOf(o, o.Visibility, o.TLP))
	if data.Track, err = s.trackRecord(r, o); err != nil {
		return err
	}
	if data.Network, err = s.collaborationNetwork(r, data.L, "org-network", data.L.T("network.heading")+": "+o.Name, []string{o.ID}); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "organisation", data)
}

// ---- people

type peoplePage struct {
	layout
	Form filterForm
	Page directory.Page[directory.Person]
}

func (s *Server) pagePeople(w http.ResponseWriter, r *http.Request) error {
	form, err := s.readFilterForm(r, nil, "q", "country", "cluster", "capability")
	if err != nil {
		return err
	}
	p, err := s.db.ListPeople(r.Context(), form.Filter)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	return s.render(w, http.StatusOK, "people", peoplePage{layout: s.layoutQ(r, "title.people", "people", form.Filter.Query), Form: form, Page: p})
}

type personPage struct {
	layout
	CanEdit bool
	Person  directory.Person
	Caps    map[string]directory.Capability
}

func (s *Server) pagePerson(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.GetPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	data := personPage{layout: s.layout(r, p.Name, "people"), Person: p, Caps: caps}
	if rec, err := s.orgRecord(r.Context(), p.OrganisationID, p.Visibility, p.TLP); err == nil {
		rec.PersonID = p.ID
		data.CanEdit = access.CanEditPerson(viewerFrom(r.Context()), rec)
	}
	return s.render(w, http.StatusOK, "person", data)
}

// ---- capabilities

type capabilityNode struct {
	directory.Capability
	Children []directory.Capability
}

type capabilitiesPage struct {
	layout
	Tree []capabilityNode
}

func (s *Server) pageCapabilities(w http.ResponseWriter, r *http.Request) error {
	_, list, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	var tree []capabilityNode
	index := map[string]int{}
	for _, c := range list {
		if c.Parent == "" {
			index[c.Code] = len(tree)
			tree = append(tree, capabilityNode{Capability: c})
		}
	}
	for _, c := range list {
		if i, ok := index[c.Parent]; ok {
			tree[i].Children = append(tree[i].Children, c)
		}
	}
	return s.render(w, http.StatusOK, "capabilities", capabilitiesPage{layout: s.layout(r, "title.capabilities", "capabilities"), Tree: tree})
}

type capabilityPage struct {
	layout
	Capability    directory.Capability
	Parent        *directory.Capability
	Children      []directory.Capability
	Organisations directory.Page[directory.Organisation]
}

func (s *Server) pageCapability(w http.ResponseWriter, r *http.Request) error {
	caps, list, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	c, ok := caps[r.PathValue("code")]
	if !ok {
		return store.ErrNotFound
	}
	data := capabilityPage{layout: s.layout(r, c.Label("en"), "capabilities"), Capability: c}
	if p, ok := caps[c.Parent]; ok {
		data.Parent = &p
	}
	for _, x := range list {
		if x.Parent == c.Code {
			data.Children = append(data.Children, x)
		}
	}
	data.Organisations, err = s.db.ListOrganisations(r.Context(), directory.Filter{Capability: c.Code, Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "capability", data)
}
