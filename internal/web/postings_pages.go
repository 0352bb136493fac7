package web

import (
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/postings"
)

// postingView is a posting as a page shows it: its kind and roles in
// words.
type postingView struct {
	postings.Posting
	KindText  string
	RoleTexts []string
}

func postingViews(l *Localizer, ps []postings.Posting) []postingView {
	out := make([]postingView, 0, len(ps))
	for _, p := range ps {
		v := postingView{Posting: p, KindText: l.T("posting.kind." + p.Kind)}
		for _, r := range p.Roles {
			v.RoleTexts = append(v.RoleTexts, roleLabel(l, r))
		}
		out = append(out, v)
	}
	return out
}

// roleLabel names an organisation kind or a practitioner role.
func roleLabel(l *Localizer, r string) string {
	if slices.Contains(directory.Kinds, r) {
		return l.T("kind." + r)
	}
	return l.T("role." + r)
}

// postingsSection is the partial "postings-section" that the call page
// and the partner finder show: the postings for a call (or the latest
// offers of expertise), and where to add one.
type postingsSection struct {
	L       *Localizer
	Caps    map[string]directory.Capability
	Items   []postingView
	NewURL  string
	AllURL  string
	Heading string
}

// postingsFor returns the section for a call (callID) or, without one,
// for the latest offers of expertise; nil when it cannot be read, so that
// the page around it still shows.
func (s *Server) postingsFor(r *http.Request, callID string) *postingsSection {
	l := s.loc(r)
	f := postings.Filter{CallID: callID}
	sec := &postingsSection{L: l, Heading: l.T("posting.section_call"), NewURL: "/postings/new?call=" + url.QueryEscape(callID),
		AllURL: "/postings?call=" + url.QueryEscape(callID)}
	if callID == "" {
		f.Kind = postings.KindOffer
		sec.Heading, sec.NewURL, sec.AllURL = l.T("posting.section_offers"), "/postings/new?kind=offer", "/postings?kind=offer"
	}
	ps, err := s.postings.List(r.Context(), f)
	if err != nil {
		s.log.WarnContext(r.Context(), "postings section", "err", err)
		return nil
	}
	if len(ps) > 5 {
		ps = ps[:5]
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return nil
	}
	sec.Items, sec.Caps = postingViews(l, ps), caps
	return sec
}

type postingsPage struct {
	layout
	Items  []postingView
	Caps   map[string]directory.Capability
	Call   string
	Kind   string
	Kinds  []string
	Mine   bool
	CanAdd bool
	Errors []ProblemField
	NewURL string
}

func (s *Server) renderPostings(w http.ResponseWriter, r *http.Request, mine bool) error {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	if mine {
		if _, err := requireUser(r); err != nil {
			return err
		}
		q.Set("mine", "true")
	}
	title := "title.postings"
	if mine {
		title = "title.my_postings"
	}
	data := postingsPage{layout: s.layout(r, title, "postings"), Kinds: postings.Kinds, Mine: mine, NewURL: "/postings/new"}
	ps, f, err := s.postingQuery(r, q)
	if fe, ok := fieldErrorsOf(err); ok {
		data.Errors = fe
		ps, err = s.postings.List(r.Context(), postings.Filter{})
	}
	if err != nil {
		return err
	}
	data.Call, data.Kind = f.CallID, f.Kind
	if f.CallID != "" {
		data.NewURL += "?call=" + url.QueryEscape(f.CallID)
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	v := viewerFrom(r.Context())
	data.Items, data.Caps, data.CanAdd = postingViews(data.L, ps), caps, !v.Anonymous() && v.WriteAllowed
	return s.render(w, http.StatusOK, "postings", data)
}

// fieldErrorsOf returns the field problems of a bad query or input.
func fieldErrorsOf(err error) ([]ProblemField, bool) {
	if err == nil {
		return nil, false
	}
	p := toProblem(&http.Request{URL: &url.URL{}}, err)
	if len(p.Errors) == 0 || p.Status >= 500 {
		return nil, false
	}
	return p.Errors, true
}

func (s *Server) pagePostings(w http.ResponseWriter, r *http.Request) error {
	return s.renderPostings(w, r, false)
}

func (s *Server) pageMyPostings(w http.ResponseWriter, r *http.Request) error {
	return s.renderPostings(w, r, true)
}

// choice is an option of a multiple select.
type choice struct {
	Value, Label string
	Selected     bool
}

type newPostingPage struct {
	formPage
	Kinds        []string
	Roles        []choice
	Capabilities []choice
	Levels       []string
	Calls        []calls.Call
	Countries    []string
}

func (s *Server) newPostingData(r *http.Request, values url.Values) (newPostingPage, error) {
	l := s.loc(r)
	d := newPostingPage{formPage: formPage{layout: s.layout(r, "title.posting_new", "postings"), Values: values},
		Kinds: postings.Kinds, Levels: []string{"organisation", "cluster", "alliance", "public"}}
	for _, role := range postings.Roles() {
		d.Roles = append(d.Roles, choice{role, roleLabel(l, role), slices.Contains(values["roles"], role)})
	}
	_, caps, err := s.capabilityMap(r)
	if err != nil {
		return d, err
	}
	for _, c := range caps {
		d.Capabilities = append(d.Capabilities, choice{c.Code, c.Label(l.Lang), slices.Contains(values["capabilities"], c.Code)})
	}
	page, err := s.calls.List(r.Context(), calls.Filter{DeadlineAfter: postings.Today(time.Now()), Limit: 200})
	if err != nil {
		return d, err
	}
	for _, c := range page.Items {
		if !postings.CallClosedAt(c.Deadline, time.Now()) {
			d.Calls = append(d.Calls, c)
		}
	}
	if d.Values == nil {
		d.Values = url.Values{"call_id": {r.URL.Query().Get("call")}, "kind": {r.URL.Query().Get("kind")}, "visibility": {"alliance"}}
	}
	return d, nil
}

func (s *Server) pageNewPosting(w http.ResponseWriter, r *http.Request) error {
	if _, err := requireUser(r); err != nil {
		return err
	}
	d, err := s.newPostingData(r, nil)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "posting_new", d)
}

func (s *Server) postNewPosting(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := PostingInput{Kind: f.Get("kind"), CallID: f.Get("call_id"), Title: f.Get("title"), Text: f.Get("text"), Roles: f["roles"],
		Capabilities: f["capabilities"], Countries: splitCountries(f.Get("countries")), Visibility: f.Get("visibility"), ExpiresOn: f.Get("expires_on")}
	p, err := s.postings.Create(r.Context(), in.posting())
	if err != nil {
		d, derr := s.newPostingData(r, f)
		if derr != nil {
			return derr
		}
		return s.formError(w, err, "posting_new", func(fe []ProblemField) any {
			d.Errors = fe
			return d
		})
	}
	http.Redirect(w, r, "/postings/"+url.PathEscape(p.ID), http.StatusSeeOther)
	return nil
}

// splitCountries reads "BE, DE FR" as three codes.
func splitCountries(s string) []string {
	var out []string
	word := []rune{}
	for _, c := range s + " " {
		if c == ',' || c == ' ' || c == ';' {
			if len(word) > 0 {
				out = append(out, string(word))
				word = word[:0]
			}
			continue
		}
		word = append(word, c)
	}
	return out
}

type postingPage struct {
	formPage
	Detail postings.Detail
	View   postingView
	Caps   map[string]directory.Capability
}

func (s *Server) renderPosting(w http.ResponseWriter, r *http.Request, status int, values url.Values, fe []ProblemField) error {
	d, err := s.postings.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	l := s.loc(r)
	data := postingPage{formPage: formPage{layout: s.layout(r, d.Title, "postings"), Values: values, Errors: fe}, Detail: d,
		View: postingViews(l, []postings.Posting{d.Posting})[0], Caps: caps}
	if r.URL.Query().Get("sent") == "1" {
		data.Message = "posting.interest_sent"
	}
	return s.render(w, status, "posting", data)
}

func (s *Server) pagePosting(w http.ResponseWriter, r *http.Request) error {
	return s.renderPosting(w, r, http.StatusOK, nil, nil)
}

func (s *Server) postInterest(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.postings.ExpressInterest(r.Context(), r.PathValue("id"), r.PostForm.Get("message")); err != nil {
		if fe, ok := fieldErrorsOf(err); ok {
			return s.renderPosting(w, r, toProblem(r, err).Status, r.PostForm, fe)
		}
		return err
	}
	http.Redirect(w, r, "/postings/"+url.PathEscape(r.PathValue("id"))+"?sent=1", http.StatusSeeOther)
	return nil
}

// postingKeyFamilies lists the message keys the postings' pages and
// e-mails compose from values (i18n_test.go).
func postingKeyFamilies() map[string][]string {
	return map[string][]string{
		"posting.kind.":          postings.Kinds,
		"posting.":               {"interest_sent", "section_call", "section_offers"},
		"mail.posting.interest.": {"subject", "body"},
		"field.":                 {"call_id", "countries", "expires_on", "mine", "posting_id", "roles"},
	}
}
