package web

import (
	"encoding/xml"
	"errors"
	"html/template"
	"maps"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"time"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/practices"
	"github.com/escnet/escnet/internal/validate"
)

type practicesPage struct {
	layout
	Filter  practices.Filter
	Results practices.Results
	Errors  []ProblemField
	Kinds   []string
	Langs   []string
	NextURL string
	CanAdd  bool
	Caps    map[string]directory.Capability // labels of the capability facet
}

func (s *Server) pagePractices(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	data := practicesPage{Kinds: practices.Kinds, Langs: practices.Langs}
	f, err := practiceFilter(q)
	if err == nil {
		data.Results, err = s.practices.Search(r.Context(), f)
	}
	if err != nil {
		var he *httpError
		var ve validate.Errors
		switch {
		case errors.As(err, &he):
			data.Errors = fieldsOf(he.fields)
		case errors.As(err, &ve):
			data.Errors = fieldsOf(ve)
		default:
			return err
		}
		f = practices.Filter{}
		if data.Results, err = s.practices.Search(r.Context(), f); err != nil {
			return err
		}
	}
	data.Filter = f
	data.NextURL = nextURL(r, data.Results.Next)
	if data.Caps, _, err = s.capabilityMap(r); err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	data.CanAdd = !v.Anonymous() && v.OrganisationID != ""
	data.layout = s.layoutQ(r, "title.practices", "practices", f.Query)
	return s.render(w, http.StatusOK, "practices", data)
}

type practicePage struct {
	layout
	Entry        practices.Entry
	Text         practices.Text
	Body         template.HTML
	Comments     []practices.Comment
	History      []practices.Revision
	CanEdit      bool
	CanSummarise bool
	CanComment   bool
	Errors       []ProblemField
	Langs        []string
	Missing      []string // languages without a version yet
	Caps         map[string]directory.Capability
}

func (s *Server) practiceData(r *http.Request, id string) (practicePage, error) {
	ctx := r.Context()
	e, err := s.practices.Get(ctx, id)
	if err != nil {
		return practicePage{}, err
	}
	lang := r.URL.Query().Get("lang")
	if lang == "" {
		lang = s.loc(r).Lang
	}
	t := e.In(lang)
	data := practicePage{Entry: e, Text: t, Body: practices.RenderMarkdown(t.Body), Langs: practices.Langs,
		CanEdit: s.practices.CanEdit(ctx, e), CanSummarise: s.practices.CanSummarise(ctx, e), CanComment: s.practices.CanComment(ctx)}
	if data.Caps, _, err = s.capabilityMap(r); err != nil {
		return data, err
	}
	for _, l := range practices.Langs {
		if e.In(l).Lang != l {
			data.Missing = append(data.Missing, l)
		}
	}
	if data.Comments, err = s.practices.Comments(ctx, id); err != nil {
		return data, err
	}
	if data.History, err = s.practices.History(ctx, id); err != nil {
		return data, err
	}
	data.layout = s.layout(r, t.Title, "practices")
	return data, nil
}

func (s *Server) pagePractice(w http.ResponseWriter, r *http.Request) error {
	data, err := s.practiceData(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "practice", data)
}

// practiceFormError shows the entry page again with the problems of a
// form posted from it.
func (s *Server) practiceFormError(w http.ResponseWriter, r *http.Request, err error) error {
	data, derr := s.practiceData(r, r.PathValue("id"))
	if derr != nil {
		return derr
	}
	return s.formError(w, err, "practice", func(fe []ProblemField) any {
		data.Errors = fe
		return data
	})
}

func (s *Server) redirectPractice(w http.ResponseWriter, r *http.Request, id string) error {
	http.Redirect(w, r, "/practices/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

func (s *Server) postPracticeText(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	t := practices.Text{Lang: f.Get("lang"), Title: f.Get("title"), Summary: f.Get("summary"), Body: f.Get("body")}
	if _, err := s.practices.AddText(r.Context(), r.PathValue("id"), t); err != nil {
		return s.practiceFormError(w, r, err)
	}
	return s.redirectPractice(w, r, r.PathValue("id"))
}

func (s *Server) postPracticeComment(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.practices.AddComment(r.Context(), r.PathValue("id"), r.PostForm.Get("body")); err != nil {
		return s.practiceFormError(w, r, err)
	}
	return s.redirectPractice(w, r, r.PathValue("id"))
}

func (s *Server) postPracticeSummary(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := practices.SummaryInput{TLP: f.Get("tlp"), Lang: f.Get("lang"), Title: f.Get("title"), Abstract: f.Get("abstract"), ContactID: f.Get("contact_id")}
	if _, err := s.practices.PublishSummary(r.Context(), r.PathValue("id"), in); err != nil {
		return s.practiceFormError(w, r, err)
	}
	return s.redirectPractice(w, r, r.PathValue("id"))
}

// postPracticeAttachment reads the multipart form part by part, so the
// file streams to disk as it arrives.
func (s *Server) postPracticeAttachment(w http.ResponseWriter, r *http.Request) error {
	if err := s.practices.MayAttach(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.practices.MaxAttachment()+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return errBadRequest("Send the file as multipart/form-data.", validate.Errors{{Field: "file", Code: validate.Malformed}})
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			return s.practiceFormError(w, r, validate.Errors{{Field: "file", Code: validate.Required}})
		}
		if part.FormName() != "file" {
			part.Close()
			continue
		}
		_, err = s.practices.AddAttachment(r.Context(), r.PathValue("id"), fileName(part), part)
		part.Close()
		if err != nil {
			return s.practiceFormError(w, r, err)
		}
		return s.redirectPractice(w, r, r.PathValue("id"))
	}
}

func fileName(p *multipart.Part) string {
	if _, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition")); err == nil {
		return params["filename"]
	}
	return p.FileName()
}

type practiceNewPage struct {
	layout
	Kinds, Axes, Langs, Levels, TLPs []string
	Values                           url.Values
	Errors                           []ProblemField
}

func (s *Server) newPracticeData(r *http.Request, values url.Values) practiceNewPage {
	if values == nil {
		values = url.Values{"visibility": {access.Cluster}, "tlp": {access.TLPAmber}, "lang": {s.loc(r).Lang}}
	}
	return practiceNewPage{layout: s.layout(r, "title.practice_new", "practices"), Kinds: practices.Kinds, Axes: practices.Axes,
		Langs: practices.Langs, Levels: access.Levels, TLPs: access.TLPs, Values: values}
}

func (s *Server) pageNewPractice(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "practice_new", s.newPracticeData(r, nil))
}

func (s *Server) postNewPractice(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	vis, tlp := f.Get("visibility"), f.Get("tlp")
	in := practices.EntryInput{Kind: f.Get("kind"), Axis: f.Get("axis"), Visibility: &vis, TLP: &tlp, Capabilities: f["capabilities"],
		Texts: []practices.Text{{Lang: f.Get("lang"), Original: true, Title: f.Get("title"), Summary: f.Get("summary"), Body: f.Get("body")}}}
	e, err := s.practices.Create(r.Context(), in)
	if err != nil {
		data := s.newPracticeData(r, f)
		return s.formError(w, err, "practice_new", func(fe []ProblemField) any {
			data.Errors = fe
			return data
		})
	}
	return s.redirectPractice(w, r, e.ID)
}

type summaryPage struct {
	layout
	Summary practices.Summary
}

func (s *Server) pageSummary(w http.ResponseWriter, r *http.Request) error {
	sum, err := s.practices.GetSummary(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "practice_summary", summaryPage{layout: s.layout(r, sum.Title, "practices"), Summary: sum})
}

// Atom feed of what the viewer may see (RED never; anonymous: public only).
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Link    atomLink    `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr,omitempty"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
	Author  struct {
		Name string `xml:"name"`
	} `xml:"author"`
}

func (s *Server) practicesFeed(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var errs validate.Errors
	for k := range q {
		if k != "capability" && k != "cluster" {
			errs.Add(k, validate.UnknownField)
		}
	}
	if len(errs) > 0 {
		return errBadRequest("Unknown query parameters.", errs)
	}
	f := practices.Filter{Capability: q.Get("capability"), Cluster: q.Get("cluster"), Limit: 50}
	es, err := s.practices.Export(r.Context(), f)
	if err != nil {
		return err
	}
	base := s.accounts.Config().BaseURL
	feed := atomFeed{Title: "escnet practices", ID: base + "/practices/feed.atom?" + q.Encode(), Updated: time.Now().UTC().Format(time.RFC3339),
		Link: atomLink{Href: base + "/practices", Rel: "alternate"}}
	for _, e := range es {
		t := e.Original()
		ae := atomEntry{Title: t.Title, ID: "urn:uuid:" + e.ID, Updated: e.UpdatedAt.UTC().Format(time.RFC3339),
			Link: atomLink{Href: base + "/practices/" + e.ID}, Summary: t.Summary}
		ae.Author.Name = e.OrganisationName
		feed.Entries = append(feed.Entries, ae)
	}
	w.Header().Set("Content-Type", "application/atom+xml; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := w.Write([]byte(xml.Header)); err != nil {
		return err
	}
	return xml.NewEncoder(w).Encode(feed)
}

// practiceKeyFamilies lists the message keys the practices pages build
// from values (for the locale test).
func practiceKeyFamilies() map[string][]string {
	out := map[string][]string{
		"practice.kind.": practices.Kinds,
		"practice.axis.": practices.Axes,
		"practice.lang.": practices.Langs,
		"field.": {"lang", "original", "file", "texts", "authors", "axis", "abstract", "contact_id", "entry", "related_projects",
			"related_facilities", "related_events",
			// the exchanges' fields (exchanges_api.go)
			"weeks", "topic", "tasks", "supervisor", "starts_on", "ends_on", "records", "side", "report", "facilities"},
	}
	maps.Copy(out, exchangeKeyFamilies()) // exchanges_pages.go
	return out
}
