package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// The call pages: the list, a call with its eligibility rules next to
// the sentences they were read from (so a person can check and correct
// them), and the forms to add, edit and delete calls and their rules.
// They read forms into the API's input types and go through the same
// checks (api_calls.go).

// actionTypes are the action types with a translated name; others show
// as the portal writes them.
var actionTypes = []string{"RIA", "IA", "CSA", "PCP", "PPI"}

// callFieldNames are the call's input fields whose names error messages
// show; ruleFieldNames those of a rule.
var (
	callFieldNames = []string{"id", "programme", "call_identifier", "action_type", "stage", "deadline", "budget_min", "budget_max",
		"expected_grants", "keywords", "portal_url", "conditions", "rules", "unparsed", "deadline_after", "opens", "status", "call_status"}
	ruleFieldNames = []string{"kind", "count", "types", "qualifier", "min_countries", "country_scope", "min_in_member_state",
		"independent", "source", "origin", "percent"}
)

// callKeyFamilies are the message keys the call pages build at run time,
// by prefix, for TestLocalesComplete.
func callKeyFamilies() map[string][]string {
	lower := make([]string, len(actionTypes))
	for i, t := range actionTypes {
		lower[i] = strings.ToLower(t)
	}
	return map[string][]string{
		"rule_kind.":       calls.Kinds,
		"partner_type.":    otherPartnerTypes(),
		"rule_scope.":      calls.Scopes,
		"rule_origin.":     calls.Origins,
		"unparsed_reason.": calls.Reasons,
		"call_stage.":      calls.Stages,
		"call_status.":     calls.Statuses,
		"call_filter.":     calls.StatusFilters,
		"action_type.":     lower,
		"field.":           callFieldNames,
		"rule_field.":      ruleFieldNames,
		// Written from Go, with arguments.
		"call.": {"euros", "budget_range", "correct_rule", "rule_for_sentence", "add_rule", "rule_error"},
	}
}

var wildcard = regexp.MustCompile(`\{[^}]*\}`)

// routeExists reports whether the routing table has a route like pattern
// (wildcard names aside), so a page links to what other parts of escnet
// add (partner finder, consortium builder) once it exists.
func (s *Server) routeExists(pattern string) bool {
	want := wildcard.ReplaceAllString(pattern, "{}")
	for _, rt := range s.routes() {
		if wildcard.ReplaceAllString(rt.pattern, "{}") == want {
			return true
		}
	}
	return false
}

// ---- list

type callRow struct {
	calls.Call
	Budget string
}

type callFilterForm struct {
	Filter      calls.Filter
	Statuses    []string // calls.StatusFilters
	Programmes  []string
	ActionTypes []string
	NextURL     string
	Errors      []ProblemField
}

type callsPage struct {
	layout
	Form    callFilterForm
	Total   int
	Rows    []callRow
	CanEdit bool
}

func (s *Server) pageCalls(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	for k, v := range q {
		if len(v) == 1 && v[0] == "" {
			q.Del(k)
		}
	}
	var form callFilterForm
	f, err := callFilter(q)
	if err != nil {
		var he *httpError
		if errors.As(err, &he) {
			form.Errors = fieldsOf(he.fields)
		}
		f = calls.Filter{Limit: 50, Status: calls.StatusCurrent}
	}
	form.Filter, form.Statuses = f, calls.StatusFilters
	ch, err := s.calls.Choices(r.Context())
	if err != nil {
		return err
	}
	form.Programmes, form.ActionTypes = ch.Programmes, ch.ActionTypes
	p, err := s.calls.List(r.Context(), f)
	if err != nil {
		return err
	}
	form.NextURL = nextURL(r, p.Next)
	l := s.loc(r)
	data := callsPage{layout: s.layoutQ(r, "title.calls", "calls", f.Query), Form: form, Total: p.Total,
		CanEdit: s.calls.CanEdit(r.Context())}
	for _, c := range p.Items {
		data.Rows = append(data.Rows, callRow{Call: c, Budget: budgetText(l, c.BudgetMin, c.BudgetMax)})
	}
	return s.render(w, http.StatusOK, "calls", data)
}

// ---- one call

// option is one choice of a select or a checkbox group.
type option struct {
	Value, Label string
	Selected     bool
}

// ruleForm is the form that corrects one rule, adds one, or writes one
// for a sentence the parser left.
type ruleForm struct {
	Version  int // of the call, for the If-Match check
	L        *Localizer
	ID       string // prefix of the form's element ids, unique on the page
	Action   string
	Legend   string
	Rule     calls.Rule
	Kinds    []option
	Scopes   []option
	Types    []option
	Unparsed int // the sentence the new rule replaces, or -1
	Errors   []string
	Open     bool
	Remove   bool // an existing rule: offer to remove it
}

func newRuleForm(l *Localizer, version int, id, action, legend string, r calls.Rule) ruleForm {
	f := ruleForm{L: l, Version: version, ID: id, Action: action, Legend: legend, Rule: r, Unparsed: -1}
	for _, k := range calls.Kinds {
		f.Kinds = append(f.Kinds, option{k, l.T("rule_kind." + k), k == r.Kind})
	}
	for _, sc := range calls.Scopes {
		f.Scopes = append(f.Scopes, option{sc, l.T("rule_scope." + sc), sc == r.CountryScope})
	}
	for _, t := range calls.PartnerTypes() {
		f.Types = append(f.Types, option{t, partnerTypeLabel(l, t), slices.Contains(r.Types, t)})
	}
	return f
}

type ruleView struct {
	calls.Rule
	Index       int
	KindLabel   string
	ScopeLabel  string
	OriginLabel string
	TypeLabels  []string
	Form        ruleForm
}

type unparsedView struct {
	calls.Unparsed
	Index       int
	ReasonLabel string
	Form        ruleForm
}

type callPage struct {
	layout
	Call          calls.Call
	ActionType    string
	Stage         string
	Budget        string
	Description   []string
	Conditions    []string
	Rules         []ruleView
	Unparsed      []unparsedView
	New           ruleForm
	Errors        []string // problems that belong to no one rule
	CanEdit       bool
	PartnersURL   string
	ConsortiumURL string
	Status        string // the call's status now, in words
	Closed        bool
	Postings      *postingsSection // postings_pages.go
}

// ruleEdit is a submitted rule form that was refused: the page opens it
// again with what was typed and what is wrong.
type ruleEdit struct {
	form   string // "rule", "new" or "unparsed"
	index  int    // the rule's or the sentence's position
	rule   calls.Rule
	errors []string
}

func (s *Server) callPageData(r *http.Request, c calls.Call, edit *ruleEdit) callPage {
	l := s.loc(r)
	path := "/calls/" + url.PathEscape(c.ID)
	data := callPage{layout: s.layout(r, c.Title, "calls"), Call: c, ActionType: actionTypeLabel(l, c.ActionType),
		Budget: budgetText(l, c.BudgetMin, c.BudgetMax), Description: paragraphs(c.Description),
		Conditions: paragraphs(c.Conditions), CanEdit: s.calls.CanEdit(r.Context())}
	if c.Stage != "" {
		data.Stage = l.T("call_stage." + c.Stage)
	}
	data.Status = l.T("call_status." + c.Status)
	data.Closed = c.Status == calls.StatusClosed
	if s.routeExists("GET /calls/{id}/partners") {
		data.PartnersURL = path + "/partners"
	}
	if s.routeExists("GET /calls/{id}/consortium") {
		data.ConsortiumURL = path + "/consortium"
	}
	for i, rule := range c.Rules {
		v := ruleView{Rule: rule, Index: i, KindLabel: l.T("rule_kind." + rule.Kind), ScopeLabel: l.T("rule_scope." + rule.CountryScope),
			OriginLabel: l.T("rule_origin." + rule.Origin)}
		for _, t := range rule.Types {
			v.TypeLabels = append(v.TypeLabels, partnerTypeLabel(l, t))
		}
		v.Form = newRuleForm(l, c.Version, fmt.Sprintf("rule-%d", i), fmt.Sprintf("%s/rules/%d", path, i), l.T("call.correct_rule", "n", i+1), rule)
		v.Form.Remove = true
		if edit != nil && edit.form == "rule" && edit.index == i {
			v.Form = newRuleForm(l, c.Version, v.Form.ID, v.Form.Action, v.Form.Legend, edit.rule)
			v.Form.Remove, v.Form.Open, v.Form.Errors = true, true, edit.errors
		}
		data.Rules = append(data.Rules, v)
	}
	for i, u := range c.Unparsed {
		v := unparsedView{Unparsed: u, Index: i, ReasonLabel: l.T("unparsed_reason." + u.Reason)}
		rule := calls.Rule{Kind: calls.KindMinPractitioners, Count: 1, CountryScope: calls.ScopeAny, Source: u.Sentence}
		if edit != nil && edit.form == "unparsed" && edit.index == i {
			rule = edit.rule
		}
		v.Form = newRuleForm(l, c.Version, fmt.Sprintf("unparsed-%d", i), path+"/rules", l.T("call.rule_for_sentence"), rule)
		v.Form.Unparsed = i
		if edit != nil && edit.form == "unparsed" && edit.index == i {
			v.Form.Open, v.Form.Errors = true, edit.errors
		}
		data.Unparsed = append(data.Unparsed, v)
	}
	rule := calls.Rule{Kind: calls.KindMinPartners, Count: 1, CountryScope: calls.ScopeAny}
	if edit != nil && edit.form == "new" {
		rule = edit.rule
	}
	data.New = newRuleForm(l, c.Version, "rule-new", path+"/rules", l.T("call.add_rule"), rule)
	if edit != nil && edit.form == "new" {
		data.New.Open, data.New.Errors = true, edit.errors
	}
	return data
}

func (s *Server) pageCall(w http.ResponseWriter, r *http.Request) error {
	c, err := s.calls.Get(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	data := s.callPageData(r, c, nil)
	data.Postings = s.postingsFor(r, c.ID)
	return s.render(w, http.StatusOK, "call", data)
}

// ---- correcting rules

// ruleFromForm reads a rule form; a number that is not one is reported
// under the rule's field as the API would.
func ruleFromForm(f url.Values, prefix string) (calls.Rule, validate.Errors) {
	var errs validate.Errors
	num := func(name string) int {
		v := strings.TrimSpace(f.Get(name))
		if v == "" {
			return 0
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add(prefix+name, validate.WrongType, "expected", "integer")
		}
		return n
	}
	r := calls.Rule{Kind: f.Get("kind"), Count: num("count"), Percent: num("percent"), Types: f["types"], Qualifier: f.Get("qualifier"),
		MinCountries: num("min_countries"), CountryScope: f.Get("country_scope"), MinInMemberState: num("min_in_member_state"),
		Independent: f.Get("independent") == "on", Source: f.Get("source"), Origin: calls.OriginManual}
	return r, errs
}

var ruleErrorField = regexp.MustCompile(`^rules\[(\d+)\]\.([a-z_]+)`)

// callErrorText renders a field error of a call in the interface
// language, naming the rule and its field for rule errors.
func callErrorText(l *Localizer, pf ProblemField) string {
	m := ruleErrorField.FindStringSubmatch(pf.Field)
	if m == nil && pf.Field == "title" {
		// "field.title" is a person's title; a call's is its name.
		fe := validate.FieldError{Field: pf.Field, Code: pf.Code, Args: pf.Args}
		return l.T("call.title") + ": " + validate.Render(l.T(pf.Code), fe)
	}
	if m == nil {
		return l.Field(pf)
	}
	n, _ := strconv.Atoi(m[1])
	fe := validate.FieldError{Field: pf.Field, Code: pf.Code, Args: pf.Args}
	return l.T("call.rule_error", "n", n+1, "field", l.T("rule_field."+m[2])) + ": " + validate.Render(l.T(pf.Code), fe)
}

// saveRules stores the call with its rules changed by a person, or shows
// the call again with the refused form open and its problems: those of
// the submitted rule (at index) beside it, the others above the table.
func (s *Server) saveRules(w http.ResponseWriter, r *http.Request, c calls.Call, edit ruleEdit, index int, formErrs validate.Errors) error {
	err := formErrs.Err()
	if err == nil {
		err = s.calls.UpdateCall(r.Context(), c.ID, formVersion(r), callInputOf(c).call(&c))
	} else {
		// Say everything that is wrong at once: the rules' checks too,
		// for the fields that did read.
		check := c
		check.Rules = slices.Clone(c.Rules)
		var verrs validate.Errors
		if errors.As(calls.ValidateCall(&check), &verrs) {
			for _, fe := range verrs {
				if !slices.ContainsFunc(formErrs, func(f validate.FieldError) bool { return f.Field == fe.Field }) {
					formErrs = append(formErrs, fe)
				}
			}
		}
		err = formErrs
	}
	if err == nil {
		anchor := "#eligibility"
		if index >= 0 {
			anchor = "#rule-" + strconv.Itoa(index)
		}
		http.Redirect(w, r, "/calls/"+url.PathEscape(c.ID)+anchor, http.StatusSeeOther)
		return nil
	}
	if errors.Is(err, store.ErrStale) {
		cur, gerr := s.calls.Get(r.Context(), c.ID)
		if gerr != nil {
			return gerr
		}
		data := s.callPageData(r, cur, nil)
		data.Errors = []string{s.loc(r).T("message.call_changed_meanwhile")}
		return s.render(w, http.StatusPreconditionFailed, "call", data)
	}
	fields, ok := fieldErrors(err)
	if !ok {
		return err
	}
	cur, gerr := s.calls.Get(r.Context(), c.ID)
	if gerr != nil {
		return gerr
	}
	l := s.loc(r)
	var others []string
	prefix := fmt.Sprintf("rules[%d].", index)
	for _, pf := range fields {
		if index >= 0 && strings.HasPrefix(pf.Field, prefix) {
			edit.errors = append(edit.errors, callErrorText(l, pf))
		} else {
			others = append(others, callErrorText(l, pf))
		}
	}
	data := s.callPageData(r, cur, &edit)
	data.Errors = others
	return s.render(w, http.StatusUnprocessableEntity, "call", data)
}

// editableCall returns the call if the viewer may change it.
func (s *Server) editableCall(r *http.Request) (calls.Call, error) {
	return s.calls.Editable(r.Context(), r.PathValue("id"))
}

// postAddRule adds a rule a person wrote; with unparsed, it replaces that
// sentence, which becomes the rule's source.
func (s *Server) postAddRule(w http.ResponseWriter, r *http.Request) error {
	c, err := s.editableCall(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	index := len(c.Rules)
	rule, errs := ruleFromForm(r.PostForm, fmt.Sprintf("rules[%d].", index))
	edit := ruleEdit{form: "new", index: index, rule: rule}
	if v := r.PostForm.Get("unparsed"); v != "" {
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 || i >= len(c.Unparsed) {
			return errBadRequest("No such sentence to replace.", validate.Errors{{Field: "unparsed", Code: validate.InvalidChoice,
				Args: map[string]any{"choices": fmt.Sprintf("0..%d", len(c.Unparsed)-1)}}})
		}
		edit.form, edit.index = "unparsed", i
		c.Unparsed = slices.Delete(slices.Clone(c.Unparsed), i, i+1)
	}
	c.Rules = append(slices.Clone(c.Rules), rule)
	return s.saveRules(w, r, c, edit, index, errs)
}

// postRule corrects rule n, or removes it.
func (s *Server) postRule(w http.ResponseWriter, r *http.Request) error {
	c, err := s.editableCall(r)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(c.Rules) {
		return &httpError{status: http.StatusNotFound, title: "Not found", detail: "The call has no such rule."}
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if r.PostForm.Get("action") == "remove" {
		c.Rules = slices.Delete(slices.Clone(c.Rules), n, n+1)
		return s.saveRules(w, r, c, ruleEdit{}, -1, nil)
	}
	rule, errs := ruleFromForm(r.PostForm, fmt.Sprintf("rules[%d].", n))
	c.Rules = slices.Clone(c.Rules)
	c.Rules[n] = rule
	return s.saveRules(w, r, c, ruleEdit{form: "rule", index: n, rule: rule}, n, errs)
}

// ---- adding, editing and deleting calls

type callEditPage struct {
	layout
	New    bool
	Action string
	Call   calls.Call // the stored call, when editing
	In     CallInput
	Euros  [2]string // the budget as typed, in euros
	Reread bool
	Stages []option
	Errors []string
}

func (s *Server) callEditData(r *http.Request, title string, in CallInput) callEditPage {
	l := s.loc(r)
	data := callEditPage{layout: s.layout(r, title, "calls"), In: in,
		Euros: [2]string{centsToEuros(in.BudgetMin), centsToEuros(in.BudgetMax)}}
	for _, st := range calls.Stages {
		data.Stages = append(data.Stages, option{st, l.T("call_stage." + st), st == in.Stage})
	}
	return data
}

// callInputFromForm reads the call form; keywords are one a line.
func callInputFromForm(f url.Values) (CallInput, [2]string, validate.Errors) {
	var errs validate.Errors
	in := CallInput{ID: f.Get("id"), Title: f.Get("title"), Description: f.Get("description"), Programme: f.Get("programme"),
		CallIdentifier: f.Get("call_identifier"), ActionType: f.Get("action_type"), Stage: f.Get("stage"), Deadline: f.Get("deadline"),
		Opens: f.Get("opens"), PortalURL: f.Get("portal_url"), Conditions: f.Get("conditions")}
	euros := [2]string{f.Get("budget_min"), f.Get("budget_max")}
	for i, p := range []*int64{&in.BudgetMin, &in.BudgetMax} {
		name := []string{"budget_min", "budget_max"}[i]
		c, ok := eurosToCents(euros[i])
		if !ok {
			errs.Add(name, validate.WrongType, "expected", "number")
		}
		*p = c
	}
	if v := strings.TrimSpace(f.Get("expected_grants")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs.Add("expected_grants", validate.WrongType, "expected", "integer")
		}
		in.ExpectedGrants = n
	}
	for _, k := range strings.Split(f.Get("keywords"), "\n") {
		if k = strings.TrimSpace(k); k != "" {
			in.Keywords = append(in.Keywords, k)
		}
	}
	return in, euros, errs
}

// parseCallForm reads a call form, which may carry long texts.
func parseCallForm(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		return errBadRequest("The form could not be read.", validate.Errors{{Field: "body", Code: validate.Malformed}})
	}
	return nil
}

// callFormError shows the form again with its problems (invalid input,
// a topic already stored), or returns err when it is not about the input.
func (s *Server) callFormError(w http.ResponseWriter, r *http.Request, err error, data callEditPage) error {
	if errors.Is(err, store.ErrStale) && data.Call.ID != "" {
		cur, gerr := s.calls.Get(r.Context(), data.Call.ID)
		if gerr != nil {
			return gerr
		}
		data.Call, data.In, data.Reread = cur, callInputOf(cur), false
		data.Euros = [2]string{centsToEuros(cur.BudgetMin), centsToEuros(cur.BudgetMax)}
		data.Errors = []string{s.loc(r).T("message.call_changed_meanwhile")}
		return s.render(w, http.StatusPreconditionFailed, "call_edit", data)
	}
	p := toProblem(r, err)
	if len(p.Errors) == 0 || p.Status != http.StatusUnprocessableEntity && p.Status != http.StatusConflict {
		return err
	}
	l := s.loc(r)
	for _, pf := range p.Errors {
		data.Errors = append(data.Errors, callErrorText(l, pf))
	}
	return s.render(w, p.Status, "call_edit", data)
}

func (s *Server) pageNewCall(w http.ResponseWriter, r *http.Request) error {
	if err := s.calls.MayEdit(r.Context()); err != nil {
		return err
	}
	data := s.callEditData(r, "title.new_call", CallInput{Programme: "Horizon Europe"})
	data.New, data.Action = true, "/calls/new"
	return s.render(w, http.StatusOK, "call_edit", data)
}

func (s *Server) postNewCall(w http.ResponseWriter, r *http.Request) error {
	if err := s.calls.MayEdit(r.Context()); err != nil {
		return err
	}
	if err := parseCallForm(w, r); err != nil {
		return err
	}
	in, euros, errs := callInputFromForm(r.PostForm)
	c := in.call(nil)
	err := errs.Err()
	if err == nil {
		err = s.calls.CreateCall(r.Context(), c)
	}
	if err != nil {
		data := s.callEditData(r, "title.new_call", in)
		data.New, data.Action, data.Euros = true, "/calls/new", euros
		return s.callFormError(w, r, err, data)
	}
	http.Redirect(w, r, "/calls/"+url.PathEscape(c.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) pageEditCall(w http.ResponseWriter, r *http.Request) error {
	c, err := s.editableCall(r)
	if err != nil {
		return err
	}
	data := s.callEditData(r, c.Title, callInputOf(c))
	data.Call, data.Action = c, "/calls/"+url.PathEscape(c.ID)+"/edit"
	return s.render(w, http.StatusOK, "call_edit", data)
}

// postEditCall replaces the call's facts and texts; its rules stay,
// unless the person asks to read them again from the conditions, which
// keeps the rules a person wrote (as an import does).
func (s *Server) postEditCall(w http.ResponseWriter, r *http.Request) error {
	c, err := s.editableCall(r)
	if err != nil {
		return err
	}
	if err := parseCallForm(w, r); err != nil {
		return err
	}
	in, euros, errs := callInputFromForm(r.PostForm)
	in.ID = c.ID
	reread := r.PostForm.Get("reread") == "on"
	if reread {
		fresh := calls.Call{ActionType: in.ActionType, Conditions: in.Conditions}
		fresh.ReadConditions()
		merged, _ := calls.MergeImported(fresh, c)
		in.Rules, in.Unparsed = merged.Rules, merged.Unparsed
	}
	err = errs.Err()
	if err == nil {
		err = s.calls.UpdateCall(r.Context(), c.ID, formVersion(r), in.call(&c))
	}
	if err != nil {
		data := s.callEditData(r, c.Title, in)
		data.Call, data.Action, data.Euros, data.Reread = c, "/calls/"+url.PathEscape(c.ID)+"/edit", euros, reread
		return s.callFormError(w, r, err, data)
	}
	http.Redirect(w, r, "/calls/"+url.PathEscape(c.ID), http.StatusSeeOther)
	return nil
}

func (s *Server) postDeleteCall(w http.ResponseWriter, r *http.Request) error {
	c, err := s.editableCall(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if err := s.calls.DeleteCall(r.Context(), c.ID, formVersion(r)); err != nil {
		return err
	}
	http.Redirect(w, r, "/calls", http.StatusSeeOther)
	return nil
}
