package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
	"github.com/escnet/escnet/internal/validate"
)

// The pages of the partner finder and the consortium builder: /partners,
// /calls/{id}/partners and /calls/{id}/consortium.

// matchKeyFamilies are the message keys the finder's pages build at run
// time, by prefix, for TestLocalesComplete.
func matchKeyFamilies() map[string][]string {
	return map[string][]string{
		"match.reason.": {"similar_closest", "similar_projects_plain", "capability", "capability_for", "declared", "described",
			"worked_with_lead", "worked_with", "shared_partners_lead", "shared_partners_consortium", "shared_partners_lead_named",
			"shared_partners_consortium_named", "fit", "fit_types", "profile", "cluster", "track_record"},
		"match.field.": {"call", "text", "lead", "locked", "excluded", "countries", "kinds", "roles", "clusters", "limit", "size",
			"proposals", "rules"},
		"match.": {"rule_summary", "rule_countries", "have_need"},
		"error.": {"infeasible"},
	}
}

// matchParams are the query parameters of the finder's pages, and the
// request fields they fill.
var matchParams = map[string]string{"text": "text", "lead": "lead", "locked": "locked", "excluded": "excluded",
	"country": "filter.countries", "kind": "filter.kinds", "role": "filter.roles", "cluster": "filter.clusters",
	"limit": "limit", "size": "size", "proposals": "proposals"}

// matchForm is the state of a finder page's form.
type matchForm struct {
	Action     string
	Consortium bool
	Text       string
	Lead       string
	Locked     string
	Excluded   string
	Country    string
	Kind       string
	Role       string
	Cluster    string
	Limit      string
	Size       string
	Proposals  string
	Countries  []option
	Kinds      []option
	Roles      []option
	Clusters   []option
	Errors     []string
}

// matchQuery is what a finder page's parameters ask.
type matchQuery struct {
	text, lead             string
	locked, excluded       []string
	filter                 live.Filter
	limit, size, proposals int
	asked                  bool // any parameter given
}

// splitKeys reads organisations named in repeated parameters or
// separated by commas or spaces.
func splitKeys(vs []string) []string {
	var out []string
	for _, v := range vs {
		out = append(out, strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' })...)
	}
	return out
}

func nonEmpty(vs []string) []string {
	return slices.DeleteFunc(slices.Clone(vs), func(v string) bool { return strings.TrimSpace(v) == "" })
}

// readMatchQuery reads a finder page's parameters; unknown ones and
// numbers that are not are field errors.
func readMatchQuery(q url.Values, allowed ...string) (matchQuery, validate.Errors) {
	var errs validate.Errors
	var mq matchQuery
	for k := range q {
		if !slices.Contains(allowed, k) {
			errs.Add(k, validate.UnknownField)
		}
		if nonEmpty(q[k]) != nil {
			mq.asked = true
		}
	}
	num := func(name string) int {
		v := strings.TrimSpace(q.Get(name))
		if v == "" || !slices.Contains(allowed, name) {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add(matchParams[name], validate.WrongType, "expected", "integer")
		}
		return n
	}
	mq.text, mq.lead = q.Get("text"), strings.TrimSpace(q.Get("lead"))
	mq.locked, mq.excluded = splitKeys(q["locked"]), splitKeys(q["excluded"])
	mq.filter = live.Filter{Countries: nonEmpty(q["country"]), Kinds: nonEmpty(q["kind"]), Roles: nonEmpty(q["role"]),
		Clusters: nonEmpty(q["cluster"])}
	mq.limit, mq.size, mq.proposals = num("limit"), num("size"), num("proposals")
	return mq, errs
}

// matchFieldName names a request field in the interface language:
// "filter.countries[0]" is the country filter.
func matchFieldName(l *Localizer, field string) string {
	base := strings.TrimPrefix(field, "filter.")
	if i := strings.IndexAny(base, "[."); i >= 0 {
		base = base[:i]
	}
	if _, ok := l.lookup("match.field." + base); ok {
		return l.T("match.field." + base)
	}
	return field
}

// matchErrorText renders a field error of a finder request; where the
// message needs a value the error does not carry, the matcher's own
// (English) detail is shown.
func matchErrorText(l *Localizer, pf ProblemField) string {
	fe := validate.FieldError{Field: pf.Field, Code: pf.Code, Args: pf.Args}
	msg := validate.Render(l.T(pf.Code), fe)
	if strings.Contains(msg, "{") {
		if d, ok := pf.Args["detail"].(string); ok {
			msg = d
		}
	}
	return matchFieldName(l, pf.Field) + ": " + msg
}

// newMatchForm fills a finder form with the choices and what was asked.
func (s *Server) newMatchForm(r *http.Request, action string, q url.Values, consortium bool) (matchForm, error) {
	l := s.loc(r)
	f := matchForm{Action: action, Consortium: consortium, Text: q.Get("text"), Lead: q.Get("lead"),
		Locked: strings.Join(q["locked"], ", "), Excluded: strings.Join(q["excluded"], ", "),
		Country: q.Get("country"), Kind: q.Get("kind"), Role: q.Get("role"), Cluster: q.Get("cluster"),
		Limit: q.Get("limit"), Size: q.Get("size"), Proposals: q.Get("proposals")}
	countries := append(slices.Clone(calls.MemberStates()), associatedCodes()...)
	slices.SortFunc(countries, func(a, b string) int { return strings.Compare(l.Country(a), l.Country(b)) })
	for _, c := range countries {
		f.Countries = append(f.Countries, option{c, l.Country(c), c == f.Country})
	}
	for _, k := range directory.Kinds {
		f.Kinds = append(f.Kinds, option{k, l.T("kind." + k), k == f.Kind})
	}
	for _, ro := range directory.Roles {
		f.Roles = append(f.Roles, option{ro, l.T("role." + ro), ro == f.Role})
	}
	clusters, err := s.dir.Store().ListClusters(r.Context(), directory.Filter{Limit: directory.MaxListLimit, NoCounts: true})
	if err != nil {
		return f, err
	}
	for _, c := range clusters.Items {
		f.Clusters = append(f.Clusters, option{c.Slug, c.Name, c.Slug == f.Cluster || c.ID == f.Cluster})
	}
	return f, nil
}

func associatedCodes() []string {
	var out []string
	for _, c := range calls.AssociatedCountries() {
		if c.Code != "XK" { // no CLDR name in every language
			out = append(out, c.Code)
		}
	}
	return out
}

// formErrors renders request errors for a form, and the status of the
// page: 400 for parameters that are not known or not numbers, else 422.
func formErrors(l *Localizer, errs validate.Errors) ([]string, int) {
	status := http.StatusUnprocessableEntity
	var out []string
	for _, pf := range fieldsOf(errs) {
		if pf.Code == validate.UnknownField || pf.Code == validate.WrongType {
			status = http.StatusBadRequest
		}
		out = append(out, matchErrorText(l, pf))
	}
	return out, status
}

// partnerView is a ranked organisation as a page shows it.
type partnerView struct {
	live.Partner
	KindText string
	Reasons  []string
}

// matchPage is a finder page: partners for an idea or a call, or
// consortia for a call.
type matchPage struct {
	layout
	Call     *calls.Call
	Form     matchForm
	Asked    bool
	Partners []partnerView
	Terms    []string
	// Needs are the capabilities the call or idea needs, by label.
	Needs []string
	// Rules are the call's rules in words; Size the consortium size the
	// proposals have.
	Rules      []string
	Size       int
	Proposals  []proposalView
	Infeasible string
	// PartnersURL and ConsortiumURL link a call's two finder pages.
	PartnersURL   string
	ConsortiumURL string
	Postings      *postingsSection // postings_pages.go
}

// pagePartners is the partner finder for an idea: a text and the same
// options as for a call.
func (s *Server) pagePartners(w http.ResponseWriter, r *http.Request) error {
	return s.partnersPage(w, r, nil)
}

// pageCallPartners ranks partners for a call.
func (s *Server) pageCallPartners(w http.ResponseWriter, r *http.Request) error {
	c, err := s.calls.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	return s.partnersPage(w, r, &c)
}

func (s *Server) partnersPage(w http.ResponseWriter, r *http.Request, c *calls.Call) error {
	q := r.URL.Query()
	action := "/partners"
	if c != nil {
		action = "/calls/" + url.PathEscape(c.ID) + "/partners"
	}
	form, err := s.newMatchForm(r, action, q, false)
	if err != nil {
		return err
	}
	l := s.loc(r)
	data := matchPage{layout: s.layout(r, "title.partners", "partners"), Call: c, Form: form}
	if c != nil {
		data.Postings = s.postingsFor(r, c.ID)
	} else {
		data.Postings = s.postingsFor(r, "")
	}
	if c != nil {
		data.layout.Title = l.T("title.call_partners", "call", c.ID)
		data.PartnersURL, data.ConsortiumURL = action, "/calls/"+url.PathEscape(c.ID)+"/consortium"
	}
	mq, errs := readMatchQuery(q, "text", "lead", "locked", "excluded", "country", "kind", "role", "cluster", "limit")
	data.Asked = mq.asked || c != nil
	if !data.Asked {
		return s.render(w, http.StatusOK, "match", data)
	}
	if len(errs) == 0 {
		req := live.PartnerRequest{Text: mq.text, Lead: mq.lead, Locked: mq.locked, Excluded: mq.excluded, Filter: mq.filter, Limit: mq.limit}
		if c != nil {
			req.Call = c.ID
		}
		res, err := s.match.Partners(r.Context(), req)
		if err == nil {
			caps, _, err := s.capabilityMap(r)
			if err != nil {
				return err
			}
			data.Terms = res.Terms
			for _, code := range res.Needs {
				data.Needs = append(data.Needs, labelOf(caps, code, l.Lang))
			}
			for _, p := range res.Partners {
				data.Partners = append(data.Partners, partnerView{Partner: p, KindText: kindText(l, p.Ranked),
					Reasons: reasonTexts(l, caps, p.Ranked)})
			}
			return s.render(w, http.StatusOK, "match", data)
		}
		if !errors.As(err, &errs) {
			return err
		}
	}
	var status int
	data.Form.Errors, status = formErrors(l, errs)
	return s.render(w, status, "match", data)
}

// memberView is a partner of a proposal as a page shows it.
type memberView struct {
	live.Member
	KindText string
	Budget   string   // its part of the proposed budget split
	Brings   []string // the rules it counts toward
	Reasons  []string
}

// resultView is a proposal's standing against one rule.
type resultView struct {
	Rule      string
	Satisfied bool
	Have      string
}

// proposalView shows no score: pages say why, the API gives the numbers.
type proposalView struct {
	N         int
	Members   []memberView
	Results   []resultView
	Covered   []string
	Uncovered []string
}

// pageCallConsortium proposes consortia for a call.
func (s *Server) pageCallConsortium(w http.ResponseWriter, r *http.Request) error {
	c, err := s.calls.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	q := r.URL.Query()
	path := "/calls/" + url.PathEscape(c.ID)
	form, err := s.newMatchForm(r, path+"/consortium", q, true)
	if err != nil {
		return err
	}
	l := s.loc(r)
	data := matchPage{layout: s.layout(r, "title.partners", "partners"), Call: &c, Form: form, Asked: true,
		PartnersURL: path + "/partners", ConsortiumURL: path + "/consortium"}
	data.layout.Title = l.T("title.call_consortium", "call", c.ID)
	for _, rule := range c.Rules {
		data.Rules = append(data.Rules, ruleSummary(l, rule))
	}
	mq, errs := readMatchQuery(q, "text", "lead", "locked", "excluded", "country", "kind", "role", "cluster", "size", "proposals")
	if len(errs) == 0 {
		res, err := s.match.Consortium(r.Context(), live.ConsortiumRequest{Call: c.ID, Text: mq.text, Lead: mq.lead, Locked: mq.locked,
			Excluded: mq.excluded, Filter: mq.filter, Size: mq.size, Proposals: mq.proposals})
		var ie *live.InfeasibleError
		switch {
		case err == nil:
			caps, _, err := s.capabilityMap(r)
			if err != nil {
				return err
			}
			data.Size = res.Size
			if data.Form.Size == "" {
				data.Form.Size = strconv.Itoa(res.Size)
			}
			for i, p := range res.Proposals {
				data.Proposals = append(data.Proposals, proposalOf(l, caps, i+1, p))
			}
			return s.render(w, http.StatusOK, "match", data)
		case errors.As(err, &ie):
			rule := ie.Rule
			if ie.Index >= 0 && ie.Index < len(c.Rules) {
				rule = ruleSummary(l, c.Rules[ie.Index])
			}
			// What is missing and why are match's English words.
			missing := ie.Missing
			if ie.Reason != "" {
				missing = strings.TrimPrefix(missing+" — "+ie.Reason, " — ")
			}
			data.Infeasible = l.T(infeasibleCode, "rule", rule, "missing", missing)
			return s.render(w, http.StatusUnprocessableEntity, "match", data)
		case !errors.As(err, &errs):
			return err
		}
	}
	var status int
	data.Form.Errors, status = formErrors(l, errs)
	return s.render(w, status, "match", data)
}

func proposalOf(l *Localizer, caps map[string]directory.Capability, n int, p live.Proposal) proposalView {
	pv := proposalView{N: n, Covered: p.Covered, Uncovered: p.Uncovered}
	for _, m := range p.Members {
		mv := memberView{Member: m, KindText: kindText(l, m.Ranked), Reasons: reasonTexts(l, caps, m.Ranked),
			Budget: memberBudgetText(l, m.Member, p.Budget.Total)}
		for _, ri := range m.Rules {
			if ri < len(p.Results) {
				mv.Brings = append(mv.Brings, ruleSummary(l, p.Results[ri].Rule))
			}
		}
		pv.Members = append(pv.Members, mv)
	}
	budget := p.Budget.Results
	for _, res := range p.Results {
		if calls.IsBudgetRule(res.Rule) && len(budget) > 0 {
			// The split's standing, in percent of the budget.
			res, budget = budget[0], budget[1:]
			pv.Results = append(pv.Results, resultView{Rule: ruleSummary(l, res.Rule), Satisfied: res.Satisfied,
				Have: l.T("match.budget_have", "have", l.Num(res.Have), "need", l.Num(res.Need))})
			continue
		}
		pv.Results = append(pv.Results, resultView{Rule: ruleSummary(l, res.Rule), Satisfied: res.Satisfied,
			Have: l.T("match.have_need", "have", l.Num(res.Have), "need", l.Num(res.Need))})
	}
	return pv
}

// ---- reasons and rules in the interface language

// kindText says what an organisation is: its practitioner roles if it
// has any, else its kind (SME for a small company).
func kindText(l *Localizer, r match.Ranked) string {
	if len(r.Roles) > 0 {
		names := make([]string, len(r.Roles))
		for i, ro := range r.Roles {
			names[i] = l.T("role." + ro)
		}
		return strings.Join(names, ", ")
	}
	if r.Kind == directory.KindCompany && r.SME {
		return l.T("org.sme")
	}
	if slices.Contains(directory.Kinds, r.Kind) {
		return l.T("kind." + r.Kind)
	}
	return l.T("kind." + directory.KindOther)
}

// reasonTexts writes an organisation's reasons in the interface language;
// a reason of a kind the pages do not know keeps match's English text.
func reasonTexts(l *Localizer, caps map[string]directory.Capability, r match.Ranked) []string {
	out := make([]string, 0, len(r.Reasons))
	for _, re := range r.Reasons {
		out = append(out, reasonText(l, caps, r, re))
	}
	return out
}

func reasonText(l *Localizer, caps map[string]directory.Capability, r match.Ranked, re match.Reason) string {
	first := func(s []string) string {
		if len(s) == 0 {
			return ""
		}
		return s[0]
	}
	switch re.Kind {
	case match.ReasonSimilarProjects:
		if len(re.Titles) > 0 && re.Titles[0] != "" {
			return l.N("match.reason.similar_closest", re.Count, "best", first(re.Projects), "title", re.Titles[0])
		}
		return l.N("match.reason.similar_projects_plain", re.Count, "best", first(re.Projects))
	case match.ReasonCapability:
		parts := make([]string, len(re.Codes))
		for i, code := range re.Codes {
			parts[i] = capName(caps, code, re.Names, i, l.Lang)
			if i < len(re.Needs) && re.Needs[i] != code {
				parts[i] = l.T("match.reason.capability_for", "name", parts[i], "need", labelOf(caps, re.Needs[i], l.Lang))
			}
		}
		return l.T("match.reason.capability", "names", strings.Join(parts, "; "))
	case match.ReasonDeclared:
		if len(re.Codes) > 0 {
			names := make([]string, len(re.Codes))
			for i, code := range re.Codes {
				names[i] = capName(caps, code, re.Names, i, l.Lang)
			}
			return l.T("match.reason.declared", "names", strings.Join(names, "; "))
		}
		if len(re.Words) > 0 {
			return l.T("match.reason.described", "words", strings.Join(re.Words, ", "))
		}
	case match.ReasonWorkedWith:
		projects := strings.Join(re.Projects, "; ")
		if re.Who == match.WhoLead {
			return l.N("match.reason.worked_with_lead", re.Count, "projects", projects)
		}
		if re.Who == match.WhoPartner && len(re.Names) > 0 {
			return l.N("match.reason.worked_with", re.Count, "name", re.Names[0], "projects", projects)
		}
	case match.ReasonSharedPartners:
		names := strings.Join(re.Names, "; ")
		switch {
		case re.Who == match.WhoLead && names != "":
			return l.N("match.reason.shared_partners_lead_named", re.Count, "names", names)
		case re.Who == match.WhoLead:
			return l.N("match.reason.shared_partners_lead", re.Count)
		case re.Who == match.WhoConsortium && names != "":
			return l.N("match.reason.shared_partners_consortium_named", re.Count, "names", names)
		case re.Who == match.WhoConsortium:
			return l.N("match.reason.shared_partners_consortium", re.Count)
		}
	case match.ReasonFit:
		if len(re.Types) > 0 {
			types := make([]string, len(re.Types))
			for i, t := range re.Types {
				types[i] = partnerTypeLabel(l, t)
			}
			return l.T("match.reason.fit_types", "types", strings.Join(types, ", "))
		}
		return l.T("match.reason.fit", "kind", kindText(l, r))
	case match.ReasonProfile:
		if r.Country == "" {
			return kindText(l, r)
		}
		return l.T("match.reason.profile", "kind", kindText(l, r), "country", l.Country(r.Country))
	case match.ReasonCluster:
		return l.T("match.reason.cluster", "names", strings.Join(re.Names, ", "))
	case match.ReasonTrackRecord:
		return l.N("match.reason.track_record", re.Count)
	}
	return re.Text
}

// capName is a capability's label in the interface language, else the
// name the matcher gave, else its code.
func capName(caps map[string]directory.Capability, code string, names []string, i int, lang string) string {
	name := labelOf(caps, code, lang)
	if name == code && i < len(names) {
		name = names[i]
	}
	return name
}

// ruleSummary says in the interface language what a rule asks: its kind,
// the number and kinds of partners, and the countries.
func ruleSummary(l *Localizer, r calls.Rule) string {
	if r.Kind == calls.KindAllInScope {
		return l.T("rule_kind."+r.Kind) + ": " + l.T("rule_scope."+r.CountryScope)
	}
	types := make([]string, len(r.Types))
	for i, t := range r.Types {
		types[i] = partnerTypeLabel(l, t)
	}
	if calls.IsBudgetRule(r) {
		return l.T("match.budget_rule_summary", "kind", l.T("rule_kind."+r.Kind), "percent", l.Num(r.Percent),
			"types", strings.Join(types, " "+l.T("call.and")+" "))
	}
	s := l.T("match.rule_summary", "kind", l.T("rule_kind."+r.Kind), "count", l.Num(r.Count),
		"types", strings.Join(types, " "+l.T("call.or")+" "))
	if r.MinCountries > 0 {
		s += ", " + l.N("call.min_countries", r.MinCountries)
		if r.CountryScope != "" && r.CountryScope != calls.ScopeAny {
			s += " " + l.T("match.rule_countries", "scope", l.T("rule_scope."+r.CountryScope))
		}
	}
	return s
}
