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
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/geo"
	"github.com/escnet/escnet/internal/network"
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
		"static":      func(name string) string { return p.staticURL[name] },
		"label":       labelOf,
		"join":        strings.Join,
		"list":        func(items ...string) []string { return items },
		"in":          func(v string, set ...string) bool { return slices.Contains(set, v) },
		"upper":       strings.ToUpper,
		"auditDetail": auditDetail,
		"homeList": func(l *Localizer, items []homeItem, empty string) homeList {
			return homeList{L: l, Items: items, Empty: empty}
		},
		"before": func(s, sep string) string { b, _, _ := strings.Cut(s, sep); return b },
		"after":  func(s, sep string) string { _, a, _ := strings.Cut(s, sep); return a },
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := path.Base(name)
		if base == "layout.html" || base == "filters.html" || strings.HasPrefix(base, "partial_") {
			continue
		}
		// partial_*.html hold sections that several pages show.
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/filters.html", "templates/partial_*.html", name)
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
	list, err := s.dir.ListCapabilities(r.Context(), "")
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
	form := filterForm{Kinds: kinds, KindPrefix: "kind", Roles: directory.Roles}
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
	clusters, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
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
