package web

import (
	"html/template"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/governance"
	"github.com/escnet/escnet/internal/validate"
)

// governanceKeyFamilies are the message keys built at run time from the
// governance lists (i18n_test.go reads them).
func governanceKeyFamilies() map[string][]string {
	return map[string][]string{
		"join.state.":     governance.States,
		"roadmap.status.": governance.Statuses,
		"roadmap.kind.":   {governance.ItemGoal, governance.ItemAction, governance.ItemMilestone},
		"mail.roadmap.":   {"overdue.subject", "overdue.body"},
		// The timeline's title and description (pageRoadmap).
		"roadmap.timeline": {"", "_desc"},
		"join.measure.":    governance.Measures,
		"join.kind.":       {governance.KindCluster, governance.KindRegion},
		"join.note.":       {governance.NoteComment, governance.NoteAsk, governance.NoteReply, governance.NoteDecision},
		"mail.join.":       {"submitted.subject", "submitted.body", "ask.subject", "ask.body", "refused.subject", "refused.body", "accepted.subject", "accepted.body"},
		"field.": {"members.companies", "members.smes", "members.knowledge_institutions", "members.government", "members.practitioners",
			"members.total", "contact.name", "contact.email", "contact.phone", "letter_of_intent", "organisation", "managers", "staff_fte",
			"text", "state", "decision", "members.min", "members.max", "helices.min", "helices.max", "staff_fte_hundredths.min",
			"staff_fte_hundredths.max", "smes.min", "smes.max", "signer_name", "place", "signed_on", "scan_reference", "published_on", "starts", "ends", "due", "parent_id", "owners"},
	}
}

// joinPage is the public application form, with the criteria.
type joinPage struct {
	layout
	Criteria governance.Criteria
	Values   url.Values
	Errors   []ProblemField
}

// Value is a submitted form value.
func (p joinPage) Value(name string) string { return p.Values.Get(name) }

// FTE shows hundredths of a full-time equivalent as a decimal.
func (layout) FTE(h int) string { return strconv.FormatFloat(float64(h)/100, 'f', -1, 64) }

// applicationFromForm reads the form; numbers that are not numbers are
// reported by field.
func applicationFromForm(f url.Values) (governance.Application, validate.Errors) {
	var errs validate.Errors
	num := func(field string) int {
		v := strings.TrimSpace(f.Get(field))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add(field, validate.InvalidFormat)
		}
		return n
	}
	a := governance.Application{Kind: f.Get("kind"), Name: f.Get("name"), Country: f.Get("country"), City: f.Get("city"),
		Website: f.Get("website"), Description: f.Get("description"), Organisation: f.Get("organisation"),
		Contact: governance.Contact{Name: f.Get("contact.name"), Email: f.Get("contact.email"), Phone: f.Get("contact.phone")},
		Letter:  f.Get("letter_of_intent"), Managers: strings.Fields(strings.ReplaceAll(f.Get("managers"), ",", " "))}
	a.Members = governance.Members{Companies: num("members.companies"), SMEs: num("members.smes"), Knowledge: num("members.knowledge_institutions"),
		Government: num("members.government"), Practitioners: num("members.practitioners"), Total: num("members.total")}
	if v := strings.TrimSpace(strings.ReplaceAll(f.Get("staff_fte"), ",", ".")); v != "" {
		x, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x > 1e6 {
			errs.Add("staff_fte", validate.InvalidFormat)
		} else {
			a.StaffFTE = int(math.Round(x * 100))
		}
	}
	return a, errs
}

func (s *Server) joinData(r *http.Request, values url.Values) (joinPage, error) {
	c, err := s.gov.Criteria(r.Context())
	return joinPage{layout: s.layout(r, "title.join_alliance", "join"), Criteria: c, Values: values}, err
}

func (s *Server) pageJoin(w http.ResponseWriter, r *http.Request) error {
	data, err := s.joinData(r, url.Values{"kind": {governance.KindCluster}})
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "join", data)
}

func (s *Server) postJoin(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	data, err := s.joinData(r, r.PostForm)
	if err != nil {
		return err
	}
	a, errs := applicationFromForm(r.PostForm)
	var secret string
	if len(errs) > 0 {
		err = errs
	} else {
		secret, err = s.gov.Submit(r.Context(), &a)
	}
	if err != nil {
		return s.formError(w, err, "join", func(fe []ProblemField) any {
			data.Errors = fe
			return data
		})
	}
	http.Redirect(w, r, "/join/"+url.PathEscape(secret), http.StatusSeeOther)
	return nil
}

// applicationPage shows one application: to its applicant (through the
// private link) or to the reviewers.
type applicationPage struct {
	layout
	View     ApplicationView
	Token    string
	Reviewer bool
	Values   url.Values
	Errors   []ProblemField
}

// Open reports whether a decision is still to be taken.
func (p applicationPage) Open() bool {
	return p.View.State == governance.StateSubmitted || p.View.State == governance.StateMoreInfo
}

func (s *Server) applicantData(r *http.Request, token string) (applicationPage, error) {
	a, err := s.gov.ByToken(r.Context(), token)
	if err != nil {
		return applicationPage{}, err
	}
	v, err := s.applicationView(r.Context(), a)
	return applicationPage{layout: s.layout(r, a.Name, "join"), View: v, Token: token}, err
}

func (s *Server) pageApplicant(w http.ResponseWriter, r *http.Request) error {
	data, err := s.applicantData(r, r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, http.StatusOK, "application", data)
}

func (s *Server) postApplicant(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	if err := parseForm(w, r); err != nil {
		return err
	}
	if _, err := s.gov.Reply(r.Context(), token, r.PostFormValue("text")); err != nil {
		data, derr := s.applicantData(r, token)
		if derr != nil {
			return derr
		}
		return s.formError(w, err, "application", func(fe []ProblemField) any {
			data.Errors, data.Values = fe, r.PostForm
			return data
		})
	}
	http.Redirect(w, r, "/join/"+url.PathEscape(token), http.StatusSeeOther)
	return nil
}

// applicationsPage is the reviewers' list and the criteria form.
type applicationsPage struct {
	layout
	Items    []ApplicationView
	Criteria governance.Criteria
	Values   url.Values
	Errors   []ProblemField
}

// Value is a submitted criteria value, or the current one.
func (p applicationsPage) Value(name string) string {
	if p.Values != nil {
		return p.Values.Get(name)
	}
	return criteriaValues(p.Criteria).Get(name)
}

func criteriaValues(c governance.Criteria) url.Values {
	v := url.Values{}
	for i, rg := range []governance.Range{c.Members, c.Helices, c.StaffFTE, c.SMEs} {
		m := governance.Measures[i]
		v.Set(m+".min", strconv.Itoa(rg.Min))
		if rg.Max > 0 {
			v.Set(m+".max", strconv.Itoa(rg.Max))
		}
	}
	return v
}

func (s *Server) applicationsData(r *http.Request) (applicationsPage, error) {
	as, err := s.gov.List(r.Context(), "")
	if err != nil {
		return applicationsPage{}, govErr(r.Context(), err)
	}
	data := applicationsPage{layout: s.layout(r, "title.applications", "admin"), Items: []ApplicationView{}}
	for _, a := range as {
		v, err := s.applicationView(r.Context(), a)
		if err != nil {
			return data, err
		}
		data.Items = append(data.Items, v)
	}
	data.Criteria, err = s.gov.Criteria(r.Context())
	return data, err
}

func (s *Server) pageApplications(w http.ResponseWriter, r *http.Request) error {
	data, err := s.applicationsData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "applications", data)
}

func (s *Server) postCriteria(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	data, err := s.applicationsData(r)
	if err != nil {
		return err
	}
	var errs validate.Errors
	rng := func(m string) governance.Range {
		var out governance.Range
		for _, p := range []struct {
			suffix string
			to     *int
		}{{".min", &out.Min}, {".max", &out.Max}} {
			if v := strings.TrimSpace(r.PostFormValue(m + p.suffix)); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					errs.Add(m+p.suffix, validate.InvalidFormat)
				}
				*p.to = n
			}
		}
		return out
	}
	c := governance.Criteria{Members: rng("members"), Helices: rng("helices"), StaffFTE: rng("staff_fte_hundredths"), SMEs: rng("smes")}
	if len(errs) > 0 {
		err = errs
	} else {
		err = s.gov.SetCriteria(r.Context(), &c, formVersion(r))
	}
	if err != nil {
		return s.formError(w, govErr(r.Context(), err), "applications", func(fe []ProblemField) any {
			data.Errors, data.Values = fe, r.PostForm
			return data
		})
	}
	http.Redirect(w, r, "/admin/applications", http.StatusSeeOther)
	return nil
}

func (s *Server) reviewData(r *http.Request) (applicationPage, error) {
	a, err := s.gov.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return applicationPage{}, err
	}
	v, err := s.applicationView(r.Context(), a)
	return applicationPage{layout: s.layout(r, a.Name, "admin"), View: v, Reviewer: true}, err
}

func (s *Server) pageApplication(w http.ResponseWriter, r *http.Request) error {
	data, err := s.reviewData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "application", data)
}

func (s *Server) postApplication(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	data, err := s.reviewData(r)
	if err != nil {
		return err
	}
	ctx, id, version := r.Context(), data.View.ID, formVersion(r)
	switch action := r.PostFormValue("action"); action {
	case "comment", "ask":
		_, err = s.applicationNote(ctx, id, version, NoteInput{Kind: action, Text: r.PostFormValue("text")})
	case "accept", "refuse":
		_, err = s.decide(ctx, id, version, JoinDecisionInput{Decision: action, Reason: r.PostFormValue("text")})
	default:
		err = validate.Errors{{Field: "action", Code: validate.InvalidChoice, Args: map[string]any{"choices": "comment, ask, accept, refuse"}}}
	}
	if err != nil {
		return s.formError(w, govErr(ctx, err), "application", func(fe []ProblemField) any {
			data.Errors, data.Values = fe, r.PostForm
			return data
		})
	}
	http.Redirect(w, r, "/admin/applications/"+url.PathEscape(id), http.StatusSeeOther)
	return nil
}

// letterStatus is a cluster's standing towards the letter, for the
// cluster page.
type letterStatus struct {
	L       *Localizer
	Status  governance.ClusterStatus
	CanSign bool
}

// clusterLetter returns the status of cluster c, or nil while no letter
// has been published in escnet.
func (s *Server) clusterLetter(r *http.Request, c string) (*letterStatus, error) {
	vs, err := s.gov.Letters(r.Context())
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	st := governance.StatusOf(vs, c)
	v := viewerFrom(r.Context())
	return &letterStatus{L: s.loc(r), Status: st, CanSign: !st.Current && v.WriteAllowed && slices.Contains(v.ManagedClusters, c)}, nil
}

// letterPage shows the letter's versions, who signed them, and the forms
// to sign.
type letterPage struct {
	layout
	Versions []governance.LetterVersion
	Current  *governance.LetterVersion
	// Unsigned are the managed clusters that have not signed the newest
	// version (by id → name).
	Unsigned []directory.Cluster
	Paper    []directory.Cluster // all clusters, for the alliance administrator's paper form
	Values   url.Values
	Errors   []ProblemField
}

// LangName names a language code in that language ("Nederlands").
func (letterPage) LangName(code string) string {
	if n := display.Self.Name(language.Make(code)); n != "" {
		return n
	}
	return code
}

// Text returns a version's text in the page's language, or its first.
func (p letterPage) Text(v governance.LetterVersion) governance.LetterText {
	for _, t := range v.Texts {
		if t.Lang == p.L.Lang {
			return t
		}
	}
	if len(v.Texts) > 0 {
		return v.Texts[0]
	}
	return governance.LetterText{}
}

func (s *Server) letterData(r *http.Request) (letterPage, error) {
	vs, err := s.gov.Letters(r.Context())
	if err != nil {
		return letterPage{}, err
	}
	data := letterPage{layout: s.layout(r, "title.letter", "letter"), Versions: vs}
	if len(vs) == 0 {
		return data, nil
	}
	data.Current = &vs[len(vs)-1]
	signed := map[string]bool{}
	for _, sig := range data.Current.Signatures {
		signed[sig.ClusterID] = true
	}
	v := viewerFrom(r.Context())
	if !v.WriteAllowed || (len(v.ManagedClusters) == 0 && !v.AllianceAdmin) {
		return data, nil
	}
	cs, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit})
	if err != nil {
		return data, err
	}
	for _, c := range cs.Items {
		if signed[c.ID] {
			continue
		}
		if slices.Contains(v.ManagedClusters, c.ID) {
			data.Unsigned = append(data.Unsigned, c)
		}
		if v.AllianceAdmin {
			data.Paper = append(data.Paper, c)
		}
	}
	return data, nil
}

func (s *Server) pageLetter(w http.ResponseWriter, r *http.Request) error {
	data, err := s.letterData(r)
	if err != nil {
		return err
	}
	return s.render(w, http.StatusOK, "letter", data)
}

func (s *Server) postSignLetter(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := r.PostForm
	in := governance.SignInput{ClusterID: f.Get("cluster_id"), SignerName: f.Get("signer_name"), Place: f.Get("place"),
		Confirm: f.Get("confirm") == "yes", Paper: f.Get("paper") == "yes", SignedOn: f.Get("signed_on"), ScanRef: f.Get("scan_reference")}
	if _, err := s.gov.Sign(r.Context(), r.PathValue("id"), in); err != nil {
		data, derr := s.letterData(r)
		if derr != nil {
			return derr
		}
		return s.formError(w, govErr(r.Context(), err), "letter", func(fe []ProblemField) any {
			data.Errors, data.Values = fe, f
			return data
		})
	}
	http.Redirect(w, r, "/letter", http.StatusSeeOther)
	return nil
}

// roadmapPage is the roadmap as a table.
type roadmapPage struct {
	layout
	Items    []governance.Item
	Clusters map[string]string // id → name
	Viewer   access.Viewer
	Timeline template.HTML // the SVG timeline ("" with no dated action)
}

// CanAdd reports whether the page offers to add items.
func (p roadmapPage) CanAdd() bool { return governance.MayAddItems(p.Viewer) }

// CanEdit reports whether the page offers to edit it.
func (p roadmapPage) CanEdit(it governance.Item) bool { return governance.MayEditItem(p.Viewer, it) }

// Children returns the items under parent.
func (p roadmapPage) Children(parent string) []governance.Item {
	var out []governance.Item
	for _, it := range p.Items {
		if it.ParentID == parent {
			out = append(out, it)
		}
	}
	return out
}

// OwnerNames names an item's owning clusters.
func (p roadmapPage) OwnerNames(it governance.Item) string {
	names := make([]string, len(it.Owners))
	for i, o := range it.Owners {
		names[i] = p.Clusters[o]
	}
	return strings.Join(names, ", ")
}

func (s *Server) pageRoadmap(w http.ResponseWriter, r *http.Request) error {
	items, err := s.gov.Roadmap(r.Context())
	if err != nil {
		return err
	}
	cs, err := s.dir.ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit})
	if err != nil {
		return err
	}
	data := roadmapPage{layout: s.layout(r, "title.roadmap", "roadmap"), Items: items, Clusters: map[string]string{},
		Viewer: access.ViewerFrom(r.Context())}
	var actions, milestones int
	for _, it := range items {
		actions += map[bool]int{true: 1}[it.Kind == governance.ItemAction]
		milestones += map[bool]int{true: 1}[it.Kind == governance.ItemMilestone]
	}
	l := data.L
	data.Timeline = governance.Timeline(items, time.Now().UTC().Format(time.DateOnly), governance.TimelineText{
		Title: l.T("roadmap.timeline"), Desc: l.T("roadmap.timeline_desc", "actions", actions, "milestones", milestones),
		Label: func(key string) string { return l.T(key) }})
	for _, c := range cs.Items {
		data.Clusters[c.ID] = c.Name
	}
	return s.render(w, http.StatusOK, "roadmap", data)
}
