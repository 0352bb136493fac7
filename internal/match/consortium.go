package match

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/escnet/escnet/internal/calls"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/validate"
)

// Limits of a consortium request.
const (
	MaxConsortiumSize = 50
	MaxProposals      = 10
	DefaultProposals  = 3
	defaultPool       = 120 // best-ranked organisations the search draws from
	perTypePool       = 25  // extra organisations per partner type a rule asks for
	coverageTerms     = 8   // the call's needs: its most telling words
)

// What a consortium scores besides the relevance of its partners.
const (
	helixWeight    = 0.5  // per helix present: industry, research, practitioners and public bodies
	countryWeight  = 0.15 // per country, up to spreadCap
	clusterWeight  = 0.1  // per cluster, up to spreadCap
	coverageWeight = 1.0  // the share of the call's needs the partners have done or declare
	spreadCap      = 10
	reusePenalty   = 0.35 // per partner already in an earlier proposal, while searching the next
	// maxChecksPerRound bounds the swaps checked against the rules in
	// one round of local search.
	maxChecksPerRound = 40
)

// ConsortiumRequest asks for alternative consortia.
type ConsortiumRequest struct {
	// Query gives the call or idea text, the lead, locked and excluded
	// partners, filters and visibility, as for Rank. Its Limit and
	// Prefer are set by the builder.
	Query Query
	// Rules are the call's eligibility rules (calls.Call.Rules, with the
	// general rule); every proposal satisfies all of them.
	Rules []calls.Rule
	// Size is the number of partners, lead and locked partners included.
	Size int
	// Proposals is the number of alternatives (DefaultProposals when 0).
	Proposals int
	// Budget is the EU contribution the consortium divides, in cents
	// (the call's budget per project; 0: shares only). Every proposal
	// comes with a split of it that meets the call's budget rules.
	Budget int64
}

// Proposal is one consortium.
type Proposal struct {
	Members []Member `json:"members"`
	// Score is the total: relevance of the partners plus the mix, spread
	// and coverage terms in Parts.
	Score   float64        `json:"score"`
	Parts   ScoreParts     `json:"parts"`
	Results []calls.Result `json:"results"` // one per rule, all satisfied
	// Covered and Uncovered are the call's main words the partners have
	// (or have not) worked on or declared.
	Covered   []string `json:"covered"`
	Uncovered []string `json:"uncovered"`
	// Budget is the proposed split of the budget, per partner, that
	// meets the call's budget rules (calls.ProposeSplit).
	Budget calls.Split `json:"budget"`
}

// ScoreParts splits a proposal's score.
type ScoreParts struct {
	Relevance float64 `json:"relevance"`
	Helix     float64 `json:"helix"`
	Countries float64 `json:"countries"`
	Clusters  float64 `json:"clusters"`
	Coverage  float64 `json:"coverage"`
	// Budget is at most 0: the cost of a mix that fits the call's budget
	// shares badly (more capped partners than their share leaves room
	// for, fewer of a favoured kind than their share asks).
	Budget float64 `json:"budget"`
}

// Member is a partner in a proposal and what it brings.
type Member struct {
	Ranked
	Lead   bool `json:"lead,omitempty"`
	Locked bool `json:"locked,omitempty"`
	// Relevance is the partner's score relative to the best-ranked
	// organisation (0 for the lead and locked partners: they are given).
	Relevance float64 `json:"relevance"`
	// Rules lists the indexes of the rules the partner counts toward
	// (min_* rules only: every partner counts toward "at most N").
	Rules []int `json:"rules"`
	// Satisfies names those rules in words.
	Satisfies []string `json:"satisfies"`
	// BudgetCents and BudgetPercent are the partner's part of the
	// proposed budget split (cents 0 when the call states no budget).
	BudgetCents   int64   `json:"budget_cents"`
	BudgetPercent float64 `json:"budget_percent"`
}

// cand is an organisation the search may place in a consortium.
type cand struct {
	org    uint32
	rel    float64
	member calls.Member
	helix  int // 0 industry, 1 research, 2 practitioners and public bodies, -1 none
	covers uint16
	fixed  bool
	scored *scoredOrg
	// country and clusters as bits of the pool's own numbering, so that
	// a consortium's spread is a few OR operations.
	country  bitset
	clusters bitset
	// counts has bit r set when the candidate counts toward rule r (of
	// its types, in its scope); memberState when it is established in an
	// EU Member State.
	counts      uint64
	memberState bool
}

// bitset holds up to 256 small numbers; countries and clusters of a pool
// beyond that share the last bit (never seen in practice).
type bitset [4]uint64

func (b *bitset) set(i int) {
	i = min(i, 255)
	b[i>>6] |= 1 << (i & 63)
}

func (b *bitset) or(c *bitset) {
	for k := range b {
		b[k] |= c[k]
	}
}

func (b *bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// helixOf places an organisation in the triple helix.
func helixOf(o *Org) int {
	switch {
	case slices.ContainsFunc(o.Roles, directory.IsPractitionerRole) || o.Kind == directory.KindPublicBody:
		return 2
	case o.Kind == directory.KindResearch || o.Kind == directory.KindHigherEducation:
		return 1
	case o.Kind == directory.KindCompany:
		return 0
	}
	return -1
}

// builder is one consortium search.
type builder struct {
	ix      *Index
	rules   []calls.Rule
	size    int
	cands   []cand // fixed ones first
	nFixed  int
	nTerms  int
	penalty []float64 // per candidate, for diversity between proposals
	budget  int64     // cents to divide (ConsortiumRequest.Budget)
}

// Consortium proposes alternative consortia of req.Size partners that
// satisfy every rule, best first. When no consortium of the organisations
// the viewer can see satisfies a rule, it returns an *InfeasibleError
// naming the rule and the kind of partner missing; bad requests give a
// *QueryError.
func (ix *Index) Consortium(req ConsortiumRequest) ([]Proposal, error) {
	if err := checkRequest(&req); err != nil {
		return nil, err
	}
	q := req.Query
	q.Limit = MaxLimit
	q.Prefer = preferredTypes(req.Rules)
	p, err := ix.prepare(q)
	if err != nil {
		return nil, err
	}
	fixed := len(p.anchors)
	if fixed > req.Size {
		return nil, queryErr("size", validate.InvalidChoice, "the lead and locked partners are %d, more than the size %d", fixed, req.Size)
	}
	w := ix.work.Get().(*work)
	defer ix.work.Put(w)
	ix.gather(p, w)
	b := &builder{ix: ix, rules: req.Rules, size: req.Size, budget: req.Budget}
	b.pool(p, w)
	if err := b.feasible(); err != nil {
		return nil, err
	}
	var out []Proposal
	b.penalty = make([]float64, len(b.cands))
	seen := map[string]bool{}
	for len(out) < req.Proposals {
		set, ok := b.search()
		if !ok {
			if len(out) == 0 {
				return nil, b.infeasible(set)
			}
			break
		}
		key := fmt.Sprint(sortedCopy(set))
		if seen[key] {
			break // no other consortium to propose
		}
		seen[key] = true
		out = append(out, b.proposal(p, w, set))
		for _, c := range set[b.nFixed:] {
			b.penalty[c] += reusePenalty
		}
	}
	return out, nil
}

func checkRequest(req *ConsortiumRequest) error {
	switch {
	case req.Size < 1 || req.Size > MaxConsortiumSize:
		return queryErr("size", validate.InvalidChoice, "size must be between 1 and %d, not %d", MaxConsortiumSize, req.Size)
	case req.Proposals < 0 || req.Proposals > MaxProposals:
		return queryErr("proposals", validate.InvalidChoice, "proposals must be between 1 and %d, not %d", MaxProposals, req.Proposals)
	case req.Proposals == 0:
		req.Proposals = DefaultProposals
	}
	for i, r := range req.Rules {
		if errs := r.Validate(); len(errs) > 0 {
			fe := errs[0]
			return queryErr(fmt.Sprintf("rules[%d].%s", i, fe.Field), fe.Code, "%s: %s", fe.Field, validate.Message(fe))
		}
		if r.Kind == calls.KindMaxPartners && r.Count < req.Size {
			return queryErr("size", validate.InvalidChoice, "the call allows at most %d partners (%q), fewer than the size %d", r.Count, r.Describe(), req.Size)
		}
	}
	return nil
}

// PreferredTypes are the partner types a call's rules ask for by name
// (practitioner roles, SMEs, research organisations, ...): what a
// partner query for the call passes as Query.Prefer.
func PreferredTypes(rules []calls.Rule) []string { return preferredTypes(rules) }

// preferredTypes are the partner types the rules ask for by name.
func preferredTypes(rules []calls.Rule) []string {
	var out []string
	for _, r := range rules {
		if r.Kind == calls.KindMinPractitioners || r.Kind == calls.KindMinEntitiesOfType || r.Kind == calls.KindMinCountries ||
			r.Kind == calls.KindMinBudgetShare {
			for _, t := range r.Types {
				if t != calls.TypeLegalEntity && !slices.Contains(out, t) {
					out = append(out, t)
				}
			}
		}
	}
	return out
}

func memberOf(o *Org) calls.Member {
	return calls.Member{ID: o.ID, Country: o.Country, Roles: o.Roles, Kind: o.Kind, SME: o.SME,
		Types: o.Types, IndependentGroup: o.IndependentGroup}
}

// pool gathers the candidates: the lead and locked partners, the best
// ranked organisations, and for each partner type a rule asks for the
// best organisations of that type, however they rank, so that the rules
// can be met.
func (b *builder) pool(p *prepared, w *work) {
	ix := b.ix
	scored := ix.top(p, w, defaultPool)
	top := 0.0
	if len(scored) > 0 {
		top = scored[0].score
	}
	in := map[uint32]bool{}
	add := func(o uint32, s *scoredOrg, fixed bool) {
		if in[o] {
			return
		}
		in[o] = true
		c := cand{org: o, member: memberOf(&ix.orgs[o].Org), helix: helixOf(&ix.orgs[o].Org), fixed: fixed, scored: s}
		if s != nil && top > 0 {
			c.rel = s.score / top
		}
		b.cands = append(b.cands, c)
	}
	for _, a := range p.anchors {
		add(a.org, nil, true)
	}
	b.nFixed = len(b.cands)
	// Every rule of scope must hold for each member; others cannot help.
	var scopes []string
	for _, r := range b.rules {
		if r.Kind == calls.KindAllInScope {
			scopes = append(scopes, r.CountryScope)
		}
	}
	inScope := func(o uint32) bool {
		for _, s := range scopes {
			if !calls.InScope(ix.orgs[o].Country, s) {
				return false
			}
		}
		return true
	}
	for i := range scored[:min(len(scored), defaultPool)] {
		if inScope(scored[i].org) {
			add(scored[i].org, &scored[i], false)
		}
	}
	for _, t := range preferredTypes(b.rules) {
		// The best-scored of the type, then the most experienced of
		// the type among the rest: a rule for two police authorities
		// needs them even when none did a similar project.
		sel := newSelector(ix, perTypePool)
		for o := range ix.orgs {
			o := uint32(o)
			if in[o] || !memberOf(&ix.orgs[o].Org).Has(t) || !ix.admits(p, o) || !inScope(o) {
				continue
			}
			sel.offer(ix.scoreOrg(p, w, o))
		}
		found := sel.sorted()
		for i := range found {
			add(found[i].org, &found[i], false)
		}
	}
	// What each candidate covers of the call's needs, and its country
	// and clusters as bits.
	b.nTerms = min(coverageTerms, len(p.pq), 16)
	countryNo, clusterNo := map[string]int{}, map[string]int{}
	number := func(m map[string]int, k string) int {
		n, ok := m[k]
		if !ok {
			n = len(m)
			m[k] = n
		}
		return n
	}
	for i := range b.cands {
		c := &b.cands[i]
		c.covers = ix.covers(p, c.org, b.nTerms)
		o := &ix.orgs[c.org]
		if o.Country != "" {
			c.country.set(number(countryNo, normCountry(o.Country)))
		}
		for _, cl := range o.Clusters {
			c.clusters.set(number(clusterNo, cl))
		}
		c.memberState = calls.IsMemberState(o.Country)
		for r, rule := range b.rules[:min(len(b.rules), 64)] {
			counts := len(rule.Types) == 0 || slices.ContainsFunc(rule.Types, c.member.Has)
			if counts && calls.InScope(o.Country, rule.CountryScope) {
				c.counts |= 1 << r
			}
		}
	}
}

// covers is a bit set of the query's first n terms that an organisation
// has worked on (in a project) or declares.
func (ix *Index) covers(p *prepared, o uint32, n int) uint16 {
	var bits uint16
	for k, t := range p.pq[:n] {
		term, _ := ix.projText.Term(t.ID)
		if id, ok := ix.orgText.TermID(term); ok && ix.orgText.Has(id, o) {
			bits |= 1 << k
			continue
		}
		for _, pj := range ix.orgs[o].projects {
			if ix.projText.Has(t.ID, pj) {
				bits |= 1 << k
				break
			}
		}
	}
	return bits
}

// value is the objective of a set of candidates (indexes into b.cands):
// the relevance of the partners the search chose, the helix mix, the
// spread over countries and clusters, and the coverage of the call's
// needs.
func (b *builder) value(set []int) (float64, ScoreParts) {
	var parts ScoreParts
	var helix [3]bool
	var countries, clusters bitset
	var covered uint16
	for _, i := range set {
		c := &b.cands[i]
		if !c.fixed {
			parts.Relevance += c.rel
		}
		if c.helix >= 0 {
			helix[c.helix] = true
		}
		countries.or(&c.country)
		clusters.or(&c.clusters)
		covered |= c.covers
	}
	for _, h := range helix {
		if h {
			parts.Helix += helixWeight
		}
	}
	parts.Countries = countryWeight * float64(min(countries.count(), spreadCap))
	parts.Clusters = clusterWeight * float64(min(clusters.count(), spreadCap))
	if b.nTerms > 0 {
		parts.Coverage = coverageWeight * float64(bits.OnesCount16(covered)) / float64(b.nTerms)
	}
	parts.Budget = b.budgetFit(set)
	return parts.Relevance + parts.Helix + parts.Countries + parts.Clusters + parts.Coverage + parts.Budget, parts
}

func (b *builder) penalised(set []int) float64 {
	v, _ := b.value(set)
	for _, i := range set {
		v -= b.penalty[i]
	}
	return v
}

func (b *builder) members(set []int) []calls.Member {
	ms := make([]calls.Member, len(set))
	for k, i := range set {
		ms[k] = b.cands[i].member
	}
	return ms
}

// search builds one consortium: greedily, each step taking the candidate
// that most reduces the rules' deficit and then adds most value, then
// improving by swaps until no swap helps. Several greedy starts (each
// forcing one of the best candidates in) guard against a poor first
// choice. ok is false when the best set found breaks a rule.
func (b *builder) search() (best []int, ok bool) {
	bestVal := math.Inf(-1)
	bestDef := math.MaxInt
	starts := []int{-1}
	for i := b.nFixed; i < len(b.cands) && len(starts) < 4; i++ {
		starts = append(starts, i)
	}
	for _, s := range starts {
		set := b.greedy(s)
		set = b.improve(set)
		d := b.deficit(b.members(set))
		v := b.penalised(set)
		if d < bestDef || d == bestDef && v > bestVal {
			best, bestVal, bestDef = set, v, d
		}
	}
	return best, bestDef == 0
}

func (b *builder) greedy(force int) []int {
	set := make([]int, 0, b.size)
	used := make([]bool, len(b.cands))
	st := make([]ruleState, len(b.rules))
	take := func(i int) {
		set = append(set, i)
		used[i] = true
		c := &b.cands[i]
		for r := range b.rules {
			if c.counts&(1<<r) != 0 {
				st[r].have++
				st[r].countries.or(&c.country)
				if c.memberState {
					st[r].inMS++
				}
			}
		}
	}
	for i := range b.nFixed {
		take(i)
	}
	if force >= 0 && len(set) < b.size {
		take(force)
	}
	for len(set) < b.size {
		bestI, bestH, bestV := -1, -1, math.Inf(-1)
		for i := range b.cands {
			if used[i] {
				continue
			}
			h := b.help(st, &b.cands[i])
			if h < bestH {
				continue
			}
			v := b.penalised(append(set, i))
			if h > bestH || v > bestV {
				bestI, bestH, bestV = i, h, v
			}
		}
		if bestI < 0 {
			break
		}
		take(bestI)
	}
	return set
}

// ruleState is what a partial consortium has toward one rule, counted the
// simple way (independence and the one-country-per-group matching are
// left to calls.Rule.Check, which has the last word).
type ruleState struct {
	have      int
	countries bitset
	inMS      int
}

// help estimates by how much adding a candidate reduces the rules'
// deficit; the greedy search uses it to place the partners the rules ask
// for first, without calling Check for every candidate.
func (b *builder) help(st []ruleState, c *cand) int {
	h := 0
	for r, rule := range b.rules {
		if c.counts&(1<<r) == 0 {
			continue
		}
		s := &st[r]
		switch rule.Kind {
		case calls.KindMaxPartners, calls.KindAllInScope, calls.KindMaxBudgetShare:
			continue
		case calls.KindMinBudgetShare:
			if s.have == 0 {
				h++ // someone to receive the share
			}
			continue
		}
		if s.have < rule.Count {
			h++
		}
		if s.countries.count() < rule.MinCountries {
			probe := s.countries
			probe.or(&c.country)
			if probe.count() > s.countries.count() {
				h++
			}
		}
		if c.memberState && s.inMS < rule.MinInMemberState {
			h++
		}
	}
	return h
}

// improve swaps a chosen partner for another candidate while that keeps
// the rules satisfied (or reduces their deficit) and raises the value.
func (b *builder) improve(set []int) []int {
	set = slices.Clone(set)
	in := make([]bool, len(b.cands))
	for _, i := range set {
		in[i] = true
	}
	def := b.deficit(b.members(set))
	val := b.penalised(set)
	type swap struct {
		pos, with int
		val       float64
	}
	for round := 0; round < 50; round++ {
		var swaps []swap
		for pos := b.nFixed; pos < len(set); pos++ {
			old := set[pos]
			for i := range b.cands {
				if in[i] {
					continue
				}
				set[pos] = i
				if v := b.penalised(set); v > val+1e-9 || def > 0 {
					swaps = append(swaps, swap{pos, i, v})
				}
			}
			set[pos] = old
		}
		slices.SortFunc(swaps, func(a, c swap) int { return cmp.Compare(c.val, a.val) })
		moved := false
		for k, s := range swaps {
			if k == maxChecksPerRound {
				break // the best swaps all break a rule: stop here
			}
			old := set[s.pos]
			set[s.pos] = s.with
			d := b.deficit(b.members(set))
			if d < def || d == def && s.val > val+1e-9 {
				in[old], in[s.with] = false, true
				def, val, moved = d, s.val, true
				break
			}
			set[s.pos] = old
		}
		if !moved {
			break
		}
	}
	return set
}

func sortedCopy(set []int) []int {
	s := slices.Clone(set)
	slices.Sort(s)
	return s
}

// proposal describes a set: each member with what it brings.
func (b *builder) proposal(p *prepared, w *work, set []int) Proposal {
	ms := b.members(set)
	var prop Proposal
	prop.Score, prop.Parts = b.value(set)
	prop.Score = round(prop.Score)
	prop.Results = calls.CheckAll(b.rules, ms)
	prop.Budget, _ = calls.ProposeSplit(b.rules, ms, b.budget) // the search kept only sets it can split
	var covered uint16
	for k, i := range set {
		c := &b.cands[i]
		covered |= c.covers
		s := scoredOrg{org: c.org}
		if c.scored != nil {
			s = *c.scored
		}
		m := Member{Ranked: b.ix.explain(p, w, s), Relevance: round(c.rel), Rules: []int{}, Satisfies: []string{}}
		m.BudgetCents, m.BudgetPercent = prop.Budget.Shares[k].Cents, prop.Budget.Shares[k].Percent
		m.Lead = k == 0 && p.lead >= 0 && c.fixed
		m.Locked = c.fixed && !m.Lead
		for ri, res := range prop.Results {
			if res.Rule.Kind == calls.KindMaxPartners || res.Rule.Kind == calls.KindAllInScope {
				continue
			}
			if slices.Contains(res.Contributors, c.member.ID) {
				m.Rules = append(m.Rules, ri)
				m.Satisfies = append(m.Satisfies, res.Rule.Describe())
			}
		}
		prop.Members = append(prop.Members, m)
	}
	for k, t := range p.pq[:b.nTerms] {
		_, s := b.ix.projText.Term(t.ID)
		word := surfaceIn(p.toks, b.ix.projText, t.ID, s)
		if covered&(1<<k) != 0 {
			prop.Covered = append(prop.Covered, word)
		} else {
			prop.Uncovered = append(prop.Uncovered, word)
		}
	}
	return prop
}
