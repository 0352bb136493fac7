package web

import (
	"errors"
	"html/template"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/inquiries"
)

// askCountries are offered on the form (the alliance's countries and
// their neighbours), by ISO code; the API takes any valid code.
var askCountries = []string{"AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GR", "HR", "HU", "IE",
	"IS", "IT", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", "UA"}

// maxAskForm lets a too-long question reach the rules, which name the
// field, instead of failing as an unreadable form.
const maxAskForm = 2 << 20

// askPage is the public question form.
type askPage struct {
	formPage
	Stamp     string
	Kinds     []string
	Urgencies []string
	Countries []string
	Clusters  []directory.Cluster
	Number    int
}

func (s *Server) askData(r *http.Request) (askPage, error) {
	d := askPage{formPage: formPage{layout: s.layout(r, "title.ask", "ask"), Values: url.Values{}},
		Stamp: s.inq.Stamp(), Kinds: inquiries.Kinds, Urgencies: inquiries.Urgencies, Countries: askCountries}
	cl, err := s.dir.Store().ListClusters(r.Context(), directory.Filter{Limit: 100, NoCounts: true})
	d.Clusters = cl.Items
	return d, err
}

func (s *Server) pageAsk(w http.ResponseWriter, r *http.Request) error {
	d, err := s.askData(r)
	if err != nil {
		return err
	}
	d.Values.Set("lang", requestLanguage(r))
	return s.render(w, http.StatusOK, "inquiry_ask", d)
}

func (s *Server) postAsk(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxAskForm)
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.", nil)
	}
	f := r.PostForm
	in := inquiries.AskInput{Question: f.Get("question"), Name: f.Get("name"), Email: f.Get("email"), Organisation: f.Get("organisation"),
		Kind: f.Get("kind"), Country: f.Get("country"), Lang: f.Get("lang"), Urgency: f.Get("urgency"), Consent: f.Get("consent") != "",
		Cluster: f.Get("cluster"), FormStamp: f.Get("stamp"), Trap: f.Get("website"), Address: clientIP(r), FromForm: true}
	q, err := s.inq.Ask(withLang(r.Context(), requestLanguage(r)), in)
	d, derr := s.askData(r)
	if derr != nil {
		return derr
	}
	if err == nil {
		d.Number = q.Number
		return s.render(w, http.StatusOK, "inquiry_thanks", d)
	}
	status := http.StatusUnprocessableEntity
	if he := new(httpError); errors.As(throttled(err), &he) {
		status = he.status
	}
	fe, ok := fieldErrors(err)
	if !ok {
		return err
	}
	if len(f.Get("question")) > inquiries.MaxQuestion*4 {
		f.Set("question", "") // do not send a megabyte back
	}
	d.Values, d.Errors = f, fe
	return s.render(w, status, "inquiry_ask", d)
}

// followPage is the requester's view of their case.
type followPage struct {
	formPage
	View  inquiries.View
	Token string
}

func (s *Server) pageFollow(w http.ResponseWriter, r *http.Request) error {
	return s.renderFollow(w, r, http.StatusOK, nil)
}

func (s *Server) renderFollow(w http.ResponseWriter, r *http.Request, status int, fe []ProblemField) error {
	v, err := s.inq.Follow(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	d := followPage{formPage: formPage{layout: s.layout(r, "title.follow", "ask"), Values: r.PostForm, Errors: fe}, View: v, Token: r.PathValue("token")}
	w.Header().Set("Referrer-Policy", "no-referrer")
	return s.render(w, status, "inquiry_follow", d)
}

func (s *Server) postFollow(w http.ResponseWriter, r *http.Request) error {
	ctx, token := r.Context(), r.PathValue("token")
	var err error
	if isMultipart(r) {
		in, rerr := s.readMessage(w, r)
		if rerr != nil {
			return rerr
		}
		defer closeFiles(in.Files)
		_, err = s.inq.Reply(ctx, token, in)
	} else {
		if perr := parseForm(w, r); perr != nil {
			return perr
		}
		switch r.PostForm.Get("action") {
		case "reply":
			_, err = s.inq.Reply(ctx, token, inquiries.MessageInput{Body: r.PostForm.Get("body")})
		case "rate":
			n, _ := strconv.Atoi(r.PostForm.Get("rating"))
			_, err = s.inq.Rate(ctx, token, n, r.PostForm.Get("comment"))
		case "close":
			_, err = s.inq.Finish(ctx, token)
		case "reopen":
			_, err = s.inq.Resume(ctx, token)
		case "erase":
			err = s.inq.Erase(ctx, token)
		default:
			return errBadRequest("Unknown action.", nil)
		}
	}
	if err == nil {
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		return nil
	}
	return s.inquiryFormError(w, r, err, s.renderFollow)
}

// formError re-renders a page with the problems of a refused step.
func (s *Server) inquiryFormError(w http.ResponseWriter, r *http.Request, err error, render func(http.ResponseWriter, *http.Request, int, []ProblemField) error) error {
	fe, status, ok := formProblem(err)
	if !ok {
		return err
	}
	return render(w, r, status, fe)
}

func isMultipart(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	return len(ct) >= 19 && ct[:19] == "multipart/form-data"
}

func (s *Server) followAttachment(w http.ResponseWriter, r *http.Request) error {
	return s.serveAttachment(w, r, func() (inquiries.Attachment, io.ReadCloser, error) {
		a, f, err := s.inq.RequesterAttachment(r.Context(), r.PathValue("token"), r.PathValue("id"))
		return a, f, err
	})
}

func (s *Server) inquiryAttachment(w http.ResponseWriter, r *http.Request) error {
	return s.apiInquiryAttachment(w, r)
}

// spoolUpload keeps an uploaded file in a temporary file, at most max+1 bytes
// (one more tells the service it is too large).
func spoolUpload(part io.Reader, max int64) (*os.File, error) {
	f, err := os.CreateTemp("", "escnet-upload-*")
	if err != nil {
		return nil, err
	}
	if _, err := io.Copy(f, io.LimitReader(part, max+1)); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	_, err = f.Seek(0, io.SeekStart)
	return f, err
}

func closeFiles(files []inquiries.FileInput) {
	for _, f := range files {
		if tf, ok := f.Body.(*os.File); ok {
			tf.Close()
			os.Remove(tf.Name())
		}
	}
}

// ---- the desk's and the experts' pages

type inquiriesPage struct {
	layout
	Items []inquiries.Inquiry
	State string
	Desks []directory.Cluster // clusters whose desk staff the viewer names
}

func (s *Server) pageInquiries(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	state := r.URL.Query().Get("state")
	items, err := s.inq.List(r.Context(), inquiries.Filter{State: state, Limit: 200})
	if err != nil {
		return err
	}
	d := inquiriesPage{layout: s.layout(r, "title.inquiries", "inquiries"), Items: items, State: state}
	v := access.ViewerFrom(r.Context())
	if v.AllianceAdmin || len(v.ManagedClusters) > 0 {
		cl, err := s.dir.Store().ListClusters(r.Context(), directory.Filter{Limit: 100, NoCounts: true})
		if err != nil {
			return err
		}
		for _, c := range cl.Items {
			if access.CanManageDesk(v, c.ID) {
				d.Desks = append(d.Desks, c)
			}
		}
	}
	return s.render(w, http.StatusOK, "inquiry_list", d)
}

type inquiryPage struct {
	formPage
	View     inquiries.View
	Caps     map[string]directory.Capability
	Clusters []directory.Cluster
	Names    map[string]string // cluster id → name
}

func (s *Server) pageInquiry(w http.ResponseWriter, r *http.Request) error {
	return s.renderInquiry(w, r, http.StatusOK, nil)
}

func (s *Server) renderInquiry(w http.ResponseWriter, r *http.Request, status int, fe []ProblemField) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	v, err := s.inq.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	cl, err := s.dir.Store().ListClusters(r.Context(), directory.Filter{Limit: 100, NoCounts: true})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, c := range cl.Items {
		names[c.ID] = c.Name
	}
	d := inquiryPage{formPage: formPage{layout: s.layout(r, s.loc(r).T("inquiries.case_title", "number", v.Inquiry.Number), "inquiries"),
		Values: r.PostForm, Errors: fe}, View: v, Caps: caps, Clusters: cl.Items, Names: names}
	return s.render(w, status, "inquiry_case", d)
}

func (s *Server) postInquiry(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	id := r.PathValue("id")
	var err error
	if isMultipart(r) {
		in, rerr := s.readMessage(w, r)
		if rerr != nil {
			return rerr
		}
		defer closeFiles(in.Files)
		_, err = s.inq.Post(r.Context(), id, in)
	} else {
		if perr := parseForm(w, r); perr != nil {
			return perr
		}
		f := r.PostForm
		switch a := f.Get("action"); a {
		case "message", "note":
			_, err = s.inq.Post(r.Context(), id, inquiries.MessageInput{Body: f.Get("body"), Internal: a == "note"})
		default:
			in := StepInput{Version: formVersion(r), Capabilities: nil, Experts: f["experts"], Cluster: f.Get("cluster"), Into: f.Get("into"), Reason: f.Get("reason")}
			_, err = s.step(r.Context(), id, a, in)
		}
	}
	if err == nil {
		http.Redirect(w, r, "/inquiries/"+id, http.StatusSeeOther)
		return nil
	}
	return s.inquiryFormError(w, r, err, s.renderInquiry)
}

type inquiryStatsPage struct {
	layout
	Rows  []inquiries.StatsRow
	Chart template.HTML
	Names map[string]string
	Caps  map[string]directory.Capability
}

func (s *Server) pageInquiryStats(w http.ResponseWriter, r *http.Request) error {
	if err := inquirySignedIn(r.Context()); err != nil {
		return err
	}
	rows, err := s.inq.Stats(r.Context())
	if err != nil {
		return err
	}
	l := s.loc(r)
	caps, _, err := s.capabilityMap(r)
	if err != nil {
		return err
	}
	cl, err := s.dir.Store().ListClusters(r.Context(), directory.Filter{Limit: 100, NoCounts: true})
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, c := range cl.Items {
		names[c.ID] = c.Name
	}
	d := inquiryStatsPage{layout: s.layout(r, "title.inquiry_stats", "inquiries"), Rows: rows, Names: names, Caps: caps,
		Chart: inquiries.Chart(rows, l.T("inquiries.chart_title"), l.T("inquiries.received"), l.T("inquiries.answered"))}
	return s.render(w, http.StatusOK, "inquiry_stats", d)
}

// Reason renders why something was suggested, in the page's language.
func (d inquiryPage) Reason(r inquiries.Reason) string {
	arg := ""
	if len(r.Args) > 0 {
		arg = r.Args[0]
	}
	switch r.Key {
	case inquiries.ReasonCapability:
		return d.L.T(r.Key, "capability", labelOf(d.Caps, arg, d.L.Lang))
	case inquiries.ReasonWords:
		return d.L.T(r.Key, "words", strings.Join(r.Args, ", "))
	case inquiries.ReasonCountry:
		return d.L.T(r.Key, "country", d.L.Country(arg))
	}
	return d.L.T(r.Key, "name", arg)
}

// Percent writes a share as a whole percentage.
func (d inquiryStatsPage) Percent(share float64) string {
	return strconv.Itoa(int(math.Round(share*100))) + " %"
}

// inquiryKeyFamilies lists the message keys the contact point builds
// from codes, for the locale test.
func inquiryKeyFamilies() map[string][]string {
	mails := []string{"confirm", "new", "assigned", "answer", "reply", "handoff", "remind", "escalate"}
	var mailKeys []string
	for _, m := range mails {
		mailKeys = append(mailKeys, m+".subject", m+".body")
	}
	var errs []string
	for _, c := range []string{inquiries.ErrConsent, inquiries.ErrTooFast, inquiries.ErrFormExpired, inquiries.ErrSpam, inquiries.ErrThrottled,
		inquiries.ErrNotExpert, inquiries.ErrClosed, inquiries.ErrState, inquiries.ErrFileType, inquiries.ErrSameCluster,
		inquiries.ErrMergeSelf, inquiries.ErrRatingTooSoon, inquiries.ErrNoAccount} {
		errs = append(errs, strings.TrimPrefix(c, "error.inquiry."))
	}
	return map[string][]string{
		"mail.inquiry.":         mailKeys,
		"error.inquiry.":        errs,
		"inquiries.kind.":       inquiries.Kinds,
		"inquiries.urgency.":    inquiries.Urgencies,
		"inquiries.state.":      inquiries.States,
		"inquiries.assignment.": {inquiries.AssignPending, inquiries.AssignAccepted, inquiries.AssignDeclined},
		"inquiries.dimension.":  inquiries.Dimensions,
		"inquiries.reason.":     {"capability", "words", "country", "works_at"},
		"inquiries.":            {"answered"},
		"field.":                {"desk"}, // the desk staff list's problems (desk, desk[i])
	}
}

// followExport is the requester's download of what their case holds.
func (s *Server) followExport(w http.ResponseWriter, r *http.Request) error {
	v, err := s.inq.Export(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", `attachment; filename="escnet-question.json"`)
	w.Header().Set("Cache-Control", "private, no-store")
	return writeJSON(w, http.StatusOK, v)
}
