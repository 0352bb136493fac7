package match

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/textindex"
	"github.com/escnet/escnet/internal/validate"
)

// prepared is a validated query.
type prepared struct {
	q       Query
	w       Weights
	toks    []textindex.Token
	pq, oq  []textindex.QueryTerm
	anchors []anchor
	lead    int32
	skip    []uint32 // lead, locked, excluded
	prefer  []string
	limit   int
	filter  Filter
	needs   []string
	action  string
	model   *Model
	legacy  bool // rank with p.w, not the model
}

func (ix *Index) prepare(q Query) (*prepared, error) {
	p := &prepared{q: q, w: DefaultWeights, lead: -1, model: DefaultModel}
	if q.Weights != nil {
		p.w, p.legacy = *q.Weights, true
	}
	if q.Model != nil {
		p.model = q.Model
	}
	p.action = strings.ToUpper(strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(q.ActionType)), "HORIZON-"))
	text := strings.TrimSpace(q.Text)
	callText := strings.TrimSpace(q.CallTitle + "\n" + q.CallText)
	switch {
	case len(text)+len(callText) > MaxQueryBytes:
		return nil, queryErr("text", validate.TooLong, "the query is %d bytes long; at most %d are read: give the call's title and description or a summary of the idea", len(text)+len(callText), MaxQueryBytes)
	case !utf8.ValidString(callText):
		return nil, queryErr("text", validate.InvalidFormat, "the query is not valid UTF-8 text")
	case len(text) > MaxQueryBytes:
		return nil, queryErr("text", validate.TooLong, "the query is %d bytes long; at most %d are read: give the call's title and description or a summary of the idea", len(text), MaxQueryBytes)
	case !utf8.ValidString(text):
		return nil, queryErr("text", validate.InvalidFormat, "the query is not valid UTF-8 text")
	}
	switch {
	case q.Limit < 0 || q.Limit > MaxLimit:
		return nil, queryErr("limit", validate.InvalidChoice, "limit must be between 1 and %d, not %d", MaxLimit, q.Limit)
	case q.Limit == 0:
		p.limit = DefaultLimit
	default:
		p.limit = q.Limit
	}
	if len(q.Locked) > maxIDs || len(q.Excluded) > maxIDs {
		return nil, queryErr("locked", validate.TooLarge, "at most %d locked and %d excluded organisations", maxIDs, maxIDs)
	}
	if err := p.checkFilter(q.Filter); err != nil {
		return nil, err
	}
	visible := func(i uint32) bool { return q.Visible == nil || q.Visible(ix.orgs[i].ID) }
	find := func(field, id string) (uint32, error) {
		i, ok := ix.byID[id]
		if !ok || !visible(i) {
			return 0, queryErr(field, validate.NotFound, "organisation %q is not known (or not visible to you)", id)
		}
		return i, nil
	}
	excluded := map[string]bool{}
	for _, id := range q.Excluded {
		excluded[id] = true
		if i, ok := ix.byID[id]; ok {
			p.skip = append(p.skip, i) // unknown exclusions exclude nothing: no error
		}
	}
	if q.Lead != "" {
		if excluded[q.Lead] {
			return nil, queryErr("excluded", validate.InvalidChoice, "the lead %q is also excluded", q.Lead)
		}
		i, err := find("lead", q.Lead)
		if err != nil {
			return nil, err
		}
		p.lead = int32(i)
		p.skip = append(p.skip, i)
		p.anchors = append(p.anchors, anchor{i, 1})
	}
	for k, id := range q.Locked {
		if excluded[id] {
			return nil, queryErr("excluded", validate.InvalidChoice, "organisation %q is both locked and excluded", id)
		}
		if id == q.Lead {
			continue
		}
		i, err := find(fmt.Sprintf("locked[%d]", k), id)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(p.skip, i) {
			p.anchors = append(p.anchors, anchor{i, 0.5})
			p.skip = append(p.skip, i)
		}
	}
	ix.analyse(p, strings.TrimSpace(q.CallTitle), strings.TrimSpace(q.CallText), text)
	switch {
	case text == "" && callText == "" && len(p.anchors) == 0:
		return nil, queryErr("text", validate.Required, "describe the call or the idea, or name a lead organisation")
	case len(p.toks) == 0 && len(p.anchors) == 0:
		return nil, queryErr("text", validate.InvalidFormat, "the query has no searchable words (only function words, numbers or symbols)")
	}
	return p, nil
}

// analyse turns the query's texts into terms, without the call
// template's, and reads the capabilities they need.
func (ix *Index) analyse(p *prepared, callTitle, callText, text string) {
	var strong, weak []textindex.Token
	for _, ct := range []string{callTitle, callText} {
		if ct == "" {
			continue
		}
		toks := textindex.Analyze(textindex.StripCallMarkup(ct))
		if ct == callTitle {
			strong = append(strong, toks...)
		} else {
			weak = append(weak, toks...)
		}
		p.toks = append(p.toks, textindex.DropBoilerplate(slices.Clone(toks), true)...)
	}
	if text != "" {
		tt := textindex.Analyze(text)
		strong = append(strong, tt...)
		p.toks = append(p.toks, textindex.DropBoilerplate(slices.Clone(tt), false)...)
	}
	p.pq = ix.projText.Query(p.toks, maxQueryTerms)
	p.oq = ix.orgText.Query(p.toks, maxQueryTerms)
	for _, c := range p.q.Needs {
		if _, ok := ix.caps[c]; ok && !slices.Contains(p.needs, c) && len(p.needs) < maxNeeds {
			p.needs = append(p.needs, c)
		}
	}
	tf := needTF(strong, weak)
	for _, c := range ix.inferNeeds(tf, compoundWords(strong)) {
		if !slices.Contains(p.needs, c) && len(p.needs) < maxNeeds {
			p.needs = append(p.needs, c)
		}
	}
	p.prefer = slices.Clone(p.q.Prefer)
	for _, r := range inferRoles(tf) {
		if !slices.Contains(p.prefer, r) {
			p.prefer = append(p.prefer, r)
		}
	}
}

func (p *prepared) checkFilter(f Filter) error {
	for i, c := range f.Countries {
		c = strings.ToUpper(strings.TrimSpace(c))
		switch c {
		case "EL":
			c = "GR"
		case "UK":
			c = "GB"
		}
		if len(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' || c[1] > 'Z' {
			return queryErr(fmt.Sprintf("filter.countries[%d]", i), validate.InvalidCountry, "%q is not a two-letter country code", f.Countries[i])
		}
		p.filter.Countries = append(p.filter.Countries, c)
	}
	for i, k := range f.Kinds {
		if !slices.Contains(directory.Kinds, k) {
			return queryErr(fmt.Sprintf("filter.kinds[%d]", i), validate.InvalidChoice, "%q is not an organisation kind (%s)", k, strings.Join(directory.Kinds, ", "))
		}
	}
	for i, r := range f.Roles {
		if !slices.Contains(directory.Roles, r) {
			return queryErr(fmt.Sprintf("filter.roles[%d]", i), validate.InvalidChoice, "%q is not a practitioner role or actor type (%s)", r, strings.Join(directory.Roles, ", "))
		}
	}
	p.filter.Kinds, p.filter.Roles, p.filter.Clusters = f.Kinds, f.Roles, f.Clusters
	return nil
}

// admits reports whether an organisation passes the filters, the
// visibility and the exclusions.
func (ix *Index) admits(p *prepared, o uint32) bool {
	if len(p.skip) > 0 && slices.Contains(p.skip, o) {
		return false
	}
	org := &ix.orgs[o].Org
	f := &p.filter
	if len(f.Countries) > 0 && !slices.Contains(f.Countries, normCountry(org.Country)) {
		return false
	}
	if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, org.Kind) {
		return false
	}
	if len(f.Roles) > 0 && !slices.ContainsFunc(org.Roles, func(r string) bool { return slices.Contains(f.Roles, r) }) {
		return false
	}
	if len(f.Clusters) > 0 && !slices.ContainsFunc(org.Clusters, func(c string) bool { return slices.Contains(f.Clusters, c) }) {
		return false
	}
	return p.q.Visible == nil || p.q.Visible(org.ID)
}

func normCountry(c string) string {
	switch c {
	case "EL":
		return "GR"
	case "UK":
		return "GB"
	}
	return c
}
