package match

import (
	"math"
	"slices"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/textindex"
)

// Limits of a query: a query is a call text or an idea of a few pages at
// most; beyond that it is a mistake or an attack.
const (
	MaxQueryBytes = 64 << 10
	DefaultLimit  = 20
	MaxLimit      = 1000
	maxIDs        = 200 // locked or excluded organisations
)

// How much of the index a query looks at: the most telling query terms,
// the most similar projects and declared profiles. Everything an
// organisation is ranked on comes from these, so they bound the cost of a
// query whatever the size of the index.
const (
	maxQueryTerms  = 32
	topProjects    = 250
	topDeclared    = 300
	circleProjects = 20
	circleFanOut   = 24 // closest partners followed from each of their members
	// leadHalfLife is the half-life of a project shared with the lead:
	// partners of recent projects come back more often.
	leadHalfLife  = 3.0
	evidenceFloor = 0.05 // project similarity (relative to the best) below which a project is no evidence
)

// Filter narrows the ranked organisations; empty fields do not filter.
// Within a field any value matches (a country of Countries), across fields
// all must (a country and a kind).
type Filter struct {
	Countries []string
	Kinds     []string
	Roles     []string // practitioner roles
	Clusters  []string
}

// Query asks for partners.
type Query struct {
	// Text is what the partners are for: a call topic (its title,
	// description, keywords) or a project idea, in English, Dutch, French
	// or German.
	Text string
	// Lead is the organisation that leads the proposal (optional):
	// organisations that worked with it, or with its partners, rank
	// higher.
	Lead string
	// Locked partners are already in; they count like the lead, less
	// strongly, and are not ranked.
	Locked []string
	// Excluded organisations are never ranked.
	Excluded []string
	Filter   Filter
	// Visible says whether the viewer may see an organisation; nil means
	// every organisation of the index. Only visible organisations are
	// ranked, and a lead or locked partner that is not visible is unknown.
	Visible func(id string) bool
	// Prefer lists partner types the call asks for (calls partner types:
	// practitioner roles, "practitioner", "sme", "research_organisation");
	// organisations of those types get a bonus, not a privilege.
	Prefer []string
	// Limit is the number of organisations returned (DefaultLimit when
	// 0, at most MaxLimit).
	Limit int
	// CallTitle is a call's title and keywords: capabilities they name
	// are needed for sure, where the description's count only when it
	// says them twice. Like CallText, it loses the template's words.
	CallTitle string
	// CallText is a call's text (its description): unlike
	// Text, the words of the call template ("expected outcome", "scope",
	// "proposals", the destination, links and footnotes) are left out of
	// it (textindex.IsBoilerplate).
	CallText string
	// ActionType is the call's type of action (RIA, IA, CSA, ...), when
	// known.
	ActionType string
	// Needs are capability codes the call or idea needs; the
	// capabilities whose label the texts hold are added.
	Needs []string
	// Model overrides the ranking model (nil: DefaultModel).
	Model *Model
	// Weights ranks with the former hand-set linear weights instead of
	// the model (nil: the model); the evaluation compares the two.
	Weights *Weights
}

// Weights combine the signals an organisation is ranked on. The defaults
// were set by hand on a replay that ends before the evaluation's cutoff
// (docs/benchmarks.md says how).
type Weights struct {
	Text     float64 // similar past projects
	Breadth  float64 // more than one similar project
	Declared float64 // declared capabilities and description
	Lead     float64 // worked with the lead or a locked partner
	Network  float64 // shares partners with the lead or a locked partner
	Fit      float64 // is of a partner type the call asks for
	Prior    float64 // number of past projects
	// Synergy rewards organisations that are both close to the lead and
	// on the subject: the lead's partners in similar projects.
	Synergy float64
	// Activity is how much the organisation took part in projects
	// lately: recent track record, not just a long one.
	Activity float64
	// Circle rewards the partners of the organisations that did similar
	// projects: who the field works with. It measured neutral on the
	// validation replay and is off by default.
	Circle float64
	// Capability weighs a declared capability against the query's
	// needs.
	Capability float64
}

// DefaultWeights are the weights of the ranking.
var DefaultWeights = Weights{
	Text:     0.6,
	Breadth:  0.2,
	Declared: 1.2,
	Lead:     0.8,
	Network:  0.35,
	Fit:      0.2,
	Prior:    0.12,
	Synergy:  0.5,
	Activity: 0.3,
	Circle:   0,
	// Capability is as the model has it.
	Capability: 1.5,
}

// Signals are an organisation's normalised scores per signal, each in
// [0, 1] (Breadth may exceed it), before weighting.
type Signals struct {
	Text       float64 `json:"text"`
	Breadth    float64 `json:"breadth"`
	Declared   float64 `json:"declared"`
	Lead       float64 `json:"lead"`
	Network    float64 `json:"network"`
	Fit        float64 `json:"fit"`
	Popularity float64 `json:"popularity"`
	Activity   float64 `json:"activity"`
	Circle     float64 `json:"circle"`
	// Capability is how well a declared capability meets the needs.
	Capability float64 `json:"capability"`
}

// Ranked is an organisation in a ranking with the reasons it is there.
type Ranked struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Kind     string   `json:"kind,omitempty"`
	SME      bool     `json:"sme"`
	Country  string   `json:"country,omitempty"`
	Roles    []string `json:"roles,omitempty"`
	Clusters []string `json:"clusters,omitempty"`
	Score    float64  `json:"score"`
	Signals  Signals  `json:"signals"`
	// Similar are its past projects most similar to the query, best
	// first.
	Similar []ProjectRef `json:"similar,omitempty"`
	Reasons []Reason     `json:"reasons"`

	// Outsider: in no cluster of the alliance, known only from EU records.
	Outsider bool `json:"outsider"`
}

// ProjectRef names a past project.
type ProjectRef struct {
	ID         string  `json:"id"`
	Acronym    string  `json:"acronym"`
	Title      string  `json:"title,omitempty"`
	Year       int     `json:"year,omitempty"`
	Similarity float64 `json:"similarity,omitempty"` // relative to the most similar project, in (0, 1]
}

// Reason kinds.
const (
	ReasonSimilarProjects = "similar_projects"
	ReasonDeclared        = "declared"
	// ReasonCapability: a declared capability that is, or is next to in
	// the taxonomy, one the call or idea needs.
	ReasonCapability     = "capability"
	ReasonWorkedWith     = "worked_with"
	ReasonSharedPartners = "shared_partners"
	ReasonFit            = "fit"
	ReasonProfile        = "profile"
	ReasonCluster        = "cluster"
	ReasonTrackRecord    = "track_record"
)

// Reason is one human-readable reason with its kind, so a page can show
// an icon or translate it. Text is English; the other fields hold what it
// says (numbers and names), so that a page can write the same reason in
// its own language.
type Reason struct {
	Kind string `json:"kind"`
	Text string `json:"text"`
	// Count is the number the reason gives: similar projects, projects
	// with the lead or partner, shared partners, projects in the record.
	Count int `json:"count,omitempty"`
	// Words are the query's words the evidence shares, as written.
	Words []string `json:"words,omitempty"`
	// Projects are project labels ("ACRONYM, 2017"), best or most recent
	// first; Titles their titles, in the same order.
	Projects []string `json:"projects,omitempty"`
	Titles   []string `json:"titles,omitempty"`
	// Names are declared capabilities (their English labels), clusters,
	// or the partner worked with (Who is WhoPartner).
	Names []string `json:"names,omitempty"`
	// Codes are the codes of the declared capabilities in Names; for a
	// capability reason, Needs are the capabilities needed that each
	// counts for, in the same order.
	Codes []string `json:"codes,omitempty"`
	Needs []string `json:"needs,omitempty"`
	// Types are the partner types the call asks for that the
	// organisation is (a fit reason): practitioner roles, "sme", ...
	Types []string `json:"types,omitempty"`
	// Who says whose network a worked_with or shared_partners reason
	// refers to: WhoLead, WhoConsortium or WhoPartner.
	Who string `json:"who,omitempty"`
}

// Whose network a reason refers to.
const (
	WhoLead       = "lead"       // the lead
	WhoConsortium = "consortium" // the lead and locked partners together
	WhoPartner    = "partner"    // a locked partner, named in Reason.Names
)

// Result is a ranking.
type Result struct {
	Orgs []Ranked `json:"orgs"`
	// Terms are the words of the query that counted most, as written.
	Terms []string `json:"terms"`
	// Candidates is how many organisations the query reached.
	Candidates int `json:"candidates"`
	// Needs are the capabilities (codes) the query needs: given, or
	// read from its text; Prefer the partner types it asks for.
	Needs  []string `json:"needs"`
	Prefer []string `json:"prefer"`
}

// anchor is the lead or a locked partner, with how much it counts.
type anchor struct {
	org    uint32
	weight float32
}

// work holds one query's per-organisation accumulators; arrays the size
// of the index are reused through a pool, and a generation number tells
// stale entries from this query's.
type work struct {
	ps, os  *textindex.Scores
	gen     uint32
	seen    []uint32 // generation an organisation was last touched in
	ev      []evidence
	touched []uint32
	// topScore is the score of the most similar project.
	topScore float32
	norm     norms
	heap     []scoredOrg
}

// evidence is what a query found for one organisation.
type evidence struct {
	best      float32 // the most similar project (relative, decayed)
	sum       float32 // all similar projects
	bestProj  int32
	declared  float32
	co        float32 // worked with anchors
	aa        float32 // shared partners with anchors (Adamic-Adar)
	circle    float32 // worked with organisations that did similar projects
	nSimilar  uint16
	coN       uint16  // projects with an anchor
	lastCo    float32 // start of the latest of them, in years
	capBest   float32 // best relation of a declared capability to a need
	capSeen   uint16  // needs covered, as bits
	capNeeds  uint8   // how many
	candidate bool
}

func (ix *Index) newWork() any {
	return &work{
		ps:   ix.projText.NewScores(),
		os:   ix.orgText.NewScores(),
		seen: make([]uint32, len(ix.orgs)),
		ev:   make([]evidence, len(ix.orgs)),
	}
}

func (w *work) at(o uint32) *evidence {
	if w.seen[o] != w.gen {
		w.seen[o] = w.gen
		w.ev[o] = evidence{bestProj: -1}
		w.touched = append(w.touched, o)
	}
	return &w.ev[o]
}

// Rank ranks the organisations for a query, best first, each with its
// reasons. Bad input gives a *QueryError.
func (ix *Index) Rank(q Query) (Result, error) {
	p, err := ix.prepare(q)
	if err != nil {
		return Result{}, err
	}
	w := ix.work.Get().(*work)
	defer ix.work.Put(w)
	ix.gather(p, w)
	scored := ix.top(p, w, p.limit)
	res := Result{Candidates: len(w.touched), Terms: ix.queryWords(p, 8), Needs: append([]string{}, p.needs...),
		Prefer: append([]string{}, p.prefer...)}
	res.Orgs = make([]Ranked, len(scored))
	for i, s := range scored {
		res.Orgs[i] = ix.explain(p, w, s)
	}
	return res, nil
}

// scoredOrg is an organisation with its score, before explanation.
type scoredOrg struct {
	org   uint32
	score float64
	sig   Signals
}

// norms scale the network signals of one query to [0, 1].
type norms struct{ aa, co, circle float32 }

// scoreOrg combines an organisation's evidence (none if the query found
// none) into its score.
func (ix *Index) scoreOrg(p *prepared, w *work, o uint32) scoredOrg {
	ev := &evidence{bestProj: -1}
	if w.seen[o] == w.gen {
		ev = &w.ev[o]
	}
	s := Signals{
		Text:       float64(ev.best),
		Breadth:    breadth(ev.sum - ev.best),
		Declared:   float64(ev.declared),
		Lead:       leadSignal(ev.co, w.norm.co),
		Fit:        ix.fit(o, p.prefer),
		Popularity: ix.orgs[o].popularity,
	}
	if w.norm.aa > 0 {
		s.Network = float64(ev.aa / w.norm.aa)
	}
	if w.norm.circle > 0 {
		s.Circle = float64(ev.circle / w.norm.circle)
	}
	if ix.maxActivity > 0 {
		s.Activity = float64(ix.orgs[o].activity / ix.maxActivity)
	}
	s.Capability = capSignal(ev)
	if !p.legacy {
		f := ix.features(p, w, o, ev, &s)
		m := p.model
		lin := m.linear(&f) + m.hand(&s)
		return scoredOrg{org: o, score: softplus(lin), sig: s}
	}
	wt := &p.w
	score := wt.Text*s.Text + wt.Breadth*s.Breadth + wt.Declared*s.Declared + wt.Lead*s.Lead +
		wt.Network*s.Network + wt.Fit*s.Fit + wt.Prior*s.Popularity + wt.Activity*s.Activity + wt.Circle*s.Circle +
		wt.Capability*s.Capability
	if syn := max(s.Text, s.Declared) * max(s.Lead, s.Network); syn > 0 {
		score += wt.Synergy * math.Sqrt(syn)
	}
	return scoredOrg{org: o, score: score, sig: s}
}

// top returns the k best admitted candidates, best first (ties by id).
// Organisations reached only as distant shared partners are not
// candidates unless the link is strong.
func (ix *Index) top(p *prepared, w *work, k int) []scoredOrg {
	sel := selector{ix: ix, k: k, h: w.heap[:0]}
	for _, o := range w.touched {
		ev := &w.ev[o]
		if !ev.candidate && ev.aa < 0.25*w.norm.aa && ev.circle < 0.25*w.norm.circle {
			continue
		}
		if !ix.admits(p, o) {
			continue
		}
		sel.offer(ix.scoreOrg(p, w, o))
	}
	w.heap = sel.h
	return sel.sorted()
}

// selector keeps the k best scored organisations seen, in a min-heap with
// the worst of them on top.
type selector struct {
	ix *Index
	k  int
	h  []scoredOrg
}

func newSelector(ix *Index, k int) *selector { return &selector{ix: ix, k: k} }

func (s *selector) better(a, b *scoredOrg) bool {
	return a.score > b.score || a.score == b.score && s.ix.orgs[a.org].ID < s.ix.orgs[b.org].ID
}

func (s *selector) offer(x scoredOrg) {
	h := s.h
	if len(h) < s.k {
		h = append(h, x)
		for i := len(h) - 1; i > 0; {
			par := (i - 1) / 2
			if !s.better(&h[par], &h[i]) {
				break
			}
			h[i], h[par] = h[par], h[i]
			i = par
		}
		s.h = h
		return
	}
	if s.k == 0 || !s.better(&x, &h[0]) {
		return
	}
	h[0] = x
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && s.better(&h[l], &h[r]) {
			m = r
		}
		if !s.better(&h[i], &h[m]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}

// sorted returns a copy of the kept organisations, best first.
func (s *selector) sorted() []scoredOrg {
	out := slices.Clone(s.h)
	slices.SortFunc(out, func(a, b scoredOrg) int {
		switch {
		case s.better(&a, &b):
			return -1
		case s.better(&b, &a):
			return 1
		}
		return 0
	})
	return out
}

// topProjects applies recency to the project scores and returns the most
// similar projects.
func (w *work) topProjects(ix *Index) []textindex.Hit {
	for _, d := range w.ps.Touched() {
		w.ps.Scale(d, ix.decay[d])
	}
	return w.ps.Top(topProjects)
}

// fit is 1 when the organisation has a practitioner role (or another
// specific type) the call asks for, 0.5 when it is only of a broad type
// the call asks for (any practitioner, an SME, a research organisation).
func (ix *Index) fit(o uint32, prefer []string) float64 {
	f := 0.0
	for _, t := range prefer {
		if !ix.isType(o, t) {
			continue
		}
		switch t {
		case "practitioner", "sme", "research_organisation":
			f = max(f, 0.5)
		default:
			return 1
		}
	}
	return f
}

// isType reports whether an organisation is of a partner type.
func (ix *Index) isType(o uint32, t string) bool {
	org := &ix.orgs[o].Org
	switch t {
	case "legal_entity":
		return false
	case "practitioner":
		return len(org.Roles) > 0
	case "sme":
		return org.SME
	case "research_organisation":
		return org.Kind == directory.KindResearch
	}
	return slices.Contains(org.Roles, t) || slices.Contains(org.Types, t)
}

// queryWords are the query's most telling words as written: among the
// projects' words, or the declared profiles' when no project has any
// (an alliance known only by what its members declare).
func (ix *Index) queryWords(p *prepared, n int) []string {
	terms, tx := p.pq, ix.projText
	if len(terms) == 0 {
		terms, tx = p.oq, ix.orgText
	}
	var out []string
	for _, t := range terms {
		if len(out) == n {
			break
		}
		_, s := tx.Term(t.ID)
		out = append(out, surfaceIn(p.toks, tx, t.ID, s))
	}
	return out
}

// surfaceIn prefers the word as the query wrote it.
func surfaceIn(toks []textindex.Token, tx *textindex.Index, id int32, fallback string) string {
	term, _ := tx.Term(id)
	for _, t := range toks {
		if t.Term == term {
			return t.Surface
		}
	}
	return fallback
}

// leadSignal turns the weighted projects shared with the anchors into
// [0, 1], relative to the organisation that shared the most: the square
// root lets the second circle of partners count, not only the closest.
func leadSignal(co, maxCo float32) float64 {
	if co == 0 || maxCo == 0 {
		return 0
	}
	return math.Sqrt(float64(co / maxCo))
}

func breadth(more float32) float64 {
	if more <= 0 {
		return 0
	}
	return math.Log1p(float64(more))
}
