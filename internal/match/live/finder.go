package live

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/country"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// Filter narrows the ranked organisations; clusters are named by id, slug
// or name.
type Filter struct {
	Countries []string
	Kinds     []string
	Roles     []string
	Clusters  []string
}

// PartnerRequest asks for partners, as the API, the pages and the command
// line state it. Organisations are named by id, slug or PIC.
type PartnerRequest struct {
	// Call is a call topic: its title, keywords and description are the
	// query, and the partner types its rules ask for rank higher.
	Call string
	// Text is a project idea, or more words for the call.
	Text     string
	Lead     string
	Locked   []string
	Excluded []string
	Filter   Filter
	// Needs are capability codes the idea or call needs, besides those
	// read from its text.
	Needs []string
	// Limit is the number of partners (match.DefaultLimit when 0).
	Limit int
}

// Partner is a ranked organisation with the names people know it by.
type Partner struct {
	match.Ranked
	Slug string `json:"slug"`
	PIC  string `json:"pic,omitempty"`
}

// Partners is a ranking.
type Partners struct {
	Call string `json:"call,omitempty"`
	// Lead is the lead's id, as resolved.
	Lead string `json:"lead,omitempty"`
	// Terms are the query's words that counted most.
	Terms []string `json:"terms"`
	// Candidates is how many organisations the query reached.
	Candidates int `json:"candidates"`
	// Needs are the capabilities (codes) the call or idea needs, as read
	// from its text; Prefer the partner types it asks for (by its rules
	// or by name in its text).
	Needs    []string  `json:"needs"`
	Prefer   []string  `json:"prefer"`
	Partners []Partner `json:"partners"`
	// Change is the change-feed entry the ranking's data reflects.
	Change int64 `json:"change"`
}

// ConsortiumRequest asks for consortia for a call.
type ConsortiumRequest struct {
	Call string
	// Text adds words to the call's.
	Text     string
	Lead     string
	Locked   []string
	Excluded []string
	Filter   Filter
	// Size is the number of partners, lead and locked partners included
	// (0: DefaultSize, or more when the call's rules need more).
	Size int
	// Proposals is the number of alternatives (match.DefaultProposals
	// when 0).
	Proposals int
	// Budget is the EU contribution the consortium divides, in cents (0:
	// the call's budget per project). It must lie within the call's
	// budget range.
	Budget int64
}

// DefaultSize is the size of a consortium when the request gives none and
// the call's rules need no more.
const DefaultSize = 6

// Member is a partner of a proposal with the names people know it by.
type Member struct {
	match.Member
	Slug string `json:"slug"`
	PIC  string `json:"pic,omitempty"`
}

// Proposal is a consortium: its members, what each brings, and how it
// stands against each of the call's rules.
type Proposal struct {
	match.Proposal
	Members []Member `json:"members"`
}

// Consortia are the proposals for a call.
type Consortia struct {
	Call      string       `json:"call"`
	Lead      string       `json:"lead,omitempty"`
	Size      int          `json:"size"`
	Rules     []calls.Rule `json:"rules"`
	Proposals []Proposal   `json:"proposals"`
	Change    int64        `json:"change"`
	// Status is the call's status (calls.StatusOpen or
	// calls.StatusForthcoming: the builder refuses a closed call).
	Status string `json:"status"`
	// Budget is the EU contribution divided among the partners, in cents
	// (0: the call states none; the splits are then in percent only).
	Budget int64 `json:"budget"`
}

// InfeasibleError is a match.InfeasibleError with the index of the call's
// rule no consortium satisfies (-1 when it is the size, not a rule).
type InfeasibleError struct {
	*match.InfeasibleError
	Index int
}

func (e *InfeasibleError) Unwrap() error { return e.InfeasibleError }

// query is a request turned into the matcher's terms.
type query struct {
	call  *calls.Call
	text  string
	q     match.Query
	lead  string
	rules []calls.Rule
}

// prepare checks what the request says and turns it into a query for the
// viewer's scope; problems with it come back as validate.Errors naming
// the field, failures to read the call as the error.
func (s *Service) prepare(ctx context.Context, v *View, callID, text, lead string, locked, excluded []string, f Filter, callRequired bool) (query, validate.Errors, error) {
	var errs validate.Errors
	var qy query
	callID, text = strings.TrimSpace(callID), strings.TrimSpace(text)
	switch {
	case len(text) > match.MaxQueryBytes:
		errs.Add("text", validate.TooLong, "max", match.MaxQueryBytes)
	case !utf8.ValidString(text):
		errs.Add("text", validate.InvalidFormat)
	}
	var callTitle, callWords string
	if callID != "" {
		c, err := s.store.GetCall(ctx, callID)
		switch {
		case errors.Is(err, store.ErrNotFound):
			errs.Add("call", validate.NotFound)
		case err != nil:
			return qy, nil, err
		default:
			qy.call = &c
			qy.rules = c.Rules
			callTitle = c.Title + "\n" + strings.Join(c.Keywords, ", ")
			callWords = clip(c.Description, match.MaxQueryBytes-len(callTitle))
		}
	} else if callRequired {
		errs.Add("call", validate.Required)
	}
	qy.text = clip(text, max(match.MaxQueryBytes-len(callTitle)-len(callWords)-1, 0))
	if len(locked) > maxNamed {
		errs.Add("locked", validate.InvalidChoice, "choices", fmt.Sprintf("at most %d organisations", maxNamed))
	}
	if len(excluded) > maxNamed {
		errs.Add("excluded", validate.InvalidChoice, "choices", fmt.Sprintf("at most %d organisations", maxNamed))
	}
	visible := v.Visible(access.ScopeFrom(ctx))
	// An organisation the viewer may not see stays named as the client
	// named it, so that the answer is the one for an organisation that
	// does not exist: no internal id, no hint that it is there.
	resolve := func(k string) string {
		id := v.Resolve(k)
		if visible != nil && !visible(id) {
			return strings.TrimSpace(k)
		}
		return id
	}
	if strings.TrimSpace(lead) != "" {
		qy.lead = resolve(lead)
	}
	q := match.Query{Text: qy.text, CallTitle: callTitle, CallText: callWords, Lead: qy.lead, Visible: visible}
	if qy.call != nil {
		q.ActionType = qy.call.ActionType
	}
	for _, k := range locked {
		if strings.TrimSpace(k) != "" {
			q.Locked = append(q.Locked, resolve(k))
		}
	}
	for i, k := range excluded {
		if strings.TrimSpace(k) == "" {
			continue
		}
		id := resolve(k)
		if id == qy.lead || slices.Contains(q.Locked, id) {
			errs.Add(fmt.Sprintf("excluded[%d]", i), validate.InvalidChoice, "choices", "organisations that are neither the lead nor locked")
		}
		q.Excluded = append(q.Excluded, id)
	}
	q.Filter = match.Filter{Countries: f.Countries, Kinds: f.Kinds, Roles: f.Roles}
	for i, c := range f.Countries {
		if _, ok := country.Normalize(c); !ok {
			errs.Add(fmt.Sprintf("filter.countries[%d]", i), validate.InvalidCountry)
		}
	}
	for i, k := range f.Kinds {
		if !slices.Contains(directory.Kinds, k) {
			errs.Add(fmt.Sprintf("filter.kinds[%d]", i), validate.InvalidChoice, "choices", strings.Join(directory.Kinds, ", "))
		}
	}
	for i, r := range f.Roles {
		if !slices.Contains(directory.Roles, r) {
			errs.Add(fmt.Sprintf("filter.roles[%d]", i), validate.InvalidChoice, "choices", strings.Join(directory.Roles, ", "))
		}
	}
	for i, c := range f.Clusters {
		name, ok := v.clusters[strings.TrimSpace(c)]
		if !ok {
			name, ok = v.clusters[strings.ToLower(strings.TrimSpace(c))]
		}
		if !ok {
			errs.Add(fmt.Sprintf("filter.clusters[%d]", i), validate.NotFound)
			continue
		}
		q.Filter.Clusters = append(q.Filter.Clusters, name)
	}
	if qy.call != nil {
		q.Prefer = match.PreferredTypes(qy.call.Rules)
	}
	qy.q = q
	return qy, errs, nil
}

// maxNamed bounds the locked and excluded organisations of a request.
const maxNamed = 200

// clip cuts s to at most n bytes at a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// asErrors turns a matcher's *QueryError into validate.Errors; other
// errors are returned as they are.
func asErrors(err error) error {
	var qe *match.QueryError
	if errors.As(err, &qe) {
		return qe.Validation()
	}
	return err
}

// Partners ranks the organisations the viewer in ctx may see
// (access.ScopeFrom) as partners for req. Bad requests give
// validate.Errors naming the field.
func (s *Service) Partners(ctx context.Context, req PartnerRequest) (Partners, error) {
	v, err := s.View(ctx)
	if err != nil {
		return Partners{}, err
	}
	var errs validate.Errors
	if req.Limit < 0 || req.Limit > match.MaxLimit {
		errs.Add("limit", validate.InvalidChoice, "choices", fmt.Sprintf("1..%d", match.MaxLimit))
	}
	qy, perrs, err := s.prepare(ctx, v, req.Call, req.Text, req.Lead, req.Locked, req.Excluded, req.Filter, false)
	if err != nil {
		return Partners{}, err
	}
	if errs = append(errs, perrs...); len(errs) > 0 {
		return Partners{}, errs
	}
	if len(req.Needs) > match.MaxNeeds {
		errs.Add("needs", validate.InvalidChoice, "choices", fmt.Sprintf("at most %d capabilities", match.MaxNeeds))
	}
	for i, code := range req.Needs {
		if !v.Index.HasCapability(strings.TrimSpace(code)) {
			errs.Add(fmt.Sprintf("needs[%d]", i), validate.NotFound)
		}
		qy.q.Needs = append(qy.q.Needs, strings.TrimSpace(code))
	}
	if len(errs) > 0 {
		return Partners{}, errs
	}
	qy.q.Limit = req.Limit
	res, err := v.Index.Rank(qy.q)
	if err != nil {
		return Partners{}, asErrors(err)
	}
	out := Partners{Lead: qy.lead, Terms: res.Terms, Candidates: res.Candidates, Partners: make([]Partner, len(res.Orgs)),
		Needs: res.Needs, Prefer: res.Prefer, Change: v.Mark.Last}
	if qy.call != nil {
		out.Call = qy.call.ID
	}
	if out.Terms == nil {
		out.Terms = []string{}
	}
	for i, r := range res.Orgs {
		out.Partners[i] = Partner{Ranked: r}
		if o, ok := v.orgs[r.ID]; ok {
			out.Partners[i].Slug, out.Partners[i].PIC = o.Slug, o.PIC
		}
	}
	return out, nil
}

// Consortium proposes consortia for req's call of organisations the
// viewer in ctx may see. When none satisfies a rule it returns an
// *InfeasibleError; bad requests give validate.Errors naming the field.
func (s *Service) Consortium(ctx context.Context, req ConsortiumRequest) (Consortia, error) {
	v, err := s.View(ctx)
	if err != nil {
		return Consortia{}, err
	}
	var errs validate.Errors
	if req.Size < 0 || req.Size > match.MaxConsortiumSize {
		errs.Add("size", validate.InvalidChoice, "choices", fmt.Sprintf("1..%d", match.MaxConsortiumSize))
	}
	if req.Proposals < 0 || req.Proposals > match.MaxProposals {
		errs.Add("proposals", validate.InvalidChoice, "choices", fmt.Sprintf("1..%d", match.MaxProposals))
	}
	qy, perrs, err := s.prepare(ctx, v, req.Call, req.Text, req.Lead, req.Locked, req.Excluded, req.Filter, true)
	if err != nil {
		return Consortia{}, err
	}
	if errs = append(errs, perrs...); len(errs) > 0 {
		return Consortia{}, errs
	}
	status := qy.call.StatusAt(s.now())
	if status == calls.StatusClosed {
		errs.Add("call", CallClosed, "deadline", qy.call.Deadline)
	}
	budget, berr := budgetFor(qy.call, req.Budget)
	if berr != nil {
		errs = append(errs, *berr)
	}
	size := req.Size
	if size == 0 {
		size = SizeFor(qy.rules)
	}
	fixed := len(qy.q.Locked)
	if qy.lead != "" && !slices.Contains(qy.q.Locked, qy.lead) {
		fixed++
	}
	for _, r := range qy.rules {
		if r.Kind == calls.KindMaxPartners && r.Count < size {
			errs.Add("size", validate.InvalidChoice, "choices", fmt.Sprintf("1..%d", r.Count))
		}
	}
	if fixed > size {
		errs.Add("size", validate.InvalidChoice, "choices", fmt.Sprintf("%d..%d", fixed, match.MaxConsortiumSize))
	}
	if len(errs) > 0 {
		return Consortia{}, errs
	}
	props, err := v.Index.Consortium(match.ConsortiumRequest{Query: qy.q, Rules: qy.rules, Size: size, Proposals: req.Proposals, Budget: budget})
	var ie *match.InfeasibleError
	if errors.As(err, &ie) {
		idx := slices.IndexFunc(qy.rules, func(r calls.Rule) bool { return r.Describe() == ie.Rule })
		return Consortia{}, &InfeasibleError{InfeasibleError: ie, Index: idx}
	}
	if err != nil {
		return Consortia{}, asErrors(err)
	}
	out := Consortia{Call: qy.call.ID, Lead: qy.lead, Size: size, Rules: qy.rules, Proposals: make([]Proposal, len(props)),
		Change: v.Mark.Last, Status: status, Budget: budget}
	if out.Rules == nil {
		out.Rules = []calls.Rule{}
	}
	for i, p := range props {
		ms := p.Members
		p.Members = nil
		if p.Covered == nil {
			p.Covered = []string{}
		}
		if p.Uncovered == nil {
			p.Uncovered = []string{}
		}
		out.Proposals[i] = Proposal{Proposal: p, Members: make([]Member, len(ms))}
		for k, m := range ms {
			out.Proposals[i].Members[k] = Member{Member: m}
			if o, ok := v.orgs[m.ID]; ok {
				out.Proposals[i].Members[k].Slug, out.Proposals[i].Members[k].PIC = o.Slug, o.PIC
			}
		}
	}
	return out, nil
}

// SizeFor is the size of a consortium for a call's rules when the request
// gives none: DefaultSize, or what the rules need together if that is
// more, within the call's maximum.
func SizeFor(rules []calls.Rule) int {
	n, typed, most := DefaultSize, 0, match.MaxConsortiumSize
	for _, r := range rules {
		switch r.Kind {
		case calls.KindMaxPartners:
			most = min(most, r.Count)
		case calls.KindAllInScope:
		case calls.KindMinPractitioners, calls.KindMinEntitiesOfType:
			typed += r.Count
			n = max(n, r.Count, r.MinCountries, r.MinInMemberState)
		default:
			n = max(n, r.Count, r.MinCountries, r.MinInMemberState)
		}
	}
	return max(min(max(n, typed), most), 1)
}

// CallClosed is the message key of a consortium asked for a call whose
// deadline has passed.
const CallClosed = "error.calls.closed"

func init() {
	validate.Define(map[string]string{CallClosed: "is closed: its deadline ({deadline}, 17:00 Brussels time) has passed"})
}

// now is the service's clock.
func (s *Service) now() time.Time {
	if s.opt.Now != nil {
		return s.opt.Now()
	}
	return time.Now()
}

// budgetFor is the budget a consortium divides: the one asked for, which
// must lie within the call's range, or the call's largest budget per
// project.
func budgetFor(c *calls.Call, asked int64) (int64, *validate.FieldError) {
	if asked == 0 {
		return max(c.BudgetMax, c.BudgetMin), nil
	}
	lo, hi := c.BudgetMin, c.BudgetMax
	if hi == 0 {
		hi = lo
	}
	if asked < 0 || hi > 0 && (asked < lo || asked > hi) {
		choices := "a positive amount in cents"
		if hi > 0 {
			choices = fmt.Sprintf("%d..%d", lo, hi)
		}
		return 0, &validate.FieldError{Field: "budget", Code: validate.InvalidChoice, Args: map[string]any{"choices": choices}}
	}
	return asked, nil
}
