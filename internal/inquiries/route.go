package inquiries

import (
	"cmp"
	"slices"
	"strings"
	"sync"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/textindex"
)

// Snapshot is what routing reads from the directory: organisations,
// experts (listed people who agreed to be suggested), facilities,
// practices (the knowledge library's entries), clusters and the
// capability taxonomy.
type Snapshot struct {
	Clusters      []ClusterDoc
	Organisations []OrgDoc
	Experts       []ExpertDoc
	Facilities    []FacilityDoc
	Practices     []PracticeDoc
	Capabilities  []directory.Capability
}

// ClusterDoc is a cluster as routing sees it.
type ClusterDoc struct {
	ID, Slug, Name, Country string
	Themes                  []string
}

// OrgDoc is an organisation as routing sees it.
type OrgDoc struct {
	ID, Slug, Name, Description, Country string
	Capabilities                         []string
	Clusters                             []string
	Record                               access.Record
}

// ExpertDoc is a person who may be suggested as an expert.
type ExpertDoc struct {
	PersonID, Name, Title, Summary, OrganisationID string
	Expertise, Languages                           []string
	Record                                         access.Record
}

// FacilityDoc is a facility as routing sees it.
type FacilityDoc struct {
	ID, Slug, Name, Description, OrganisationID string
	Capabilities                                []string
	Record                                      access.Record
}

// PracticeDoc is an entry of the practices library as routing sees it:
// its language versions, capability tags and access label (the entry is
// shown only to those who may see it and its organisation).
type PracticeDoc struct {
	ID, Kind, OrganisationID string
	Texts                    []PracticeText // the original first
	Capabilities             []string
	Record                   access.Record
}

// PracticeText is one language version of a practice: its title, summary
// and the start of its body.
type PracticeText struct {
	Lang, Title, Summary, Body string
}

// Reason says why something was suggested, as a message key with
// arguments (capability codes, words, names) that the edge renders.
type Reason struct {
	Key  string   `json:"key"`
	Args []string `json:"args,omitempty"`
}

// Tag is a suggested capability of a question.
type Tag struct {
	Code  string   `json:"code"`
	Words []string `json:"words"` // the question's words that point to it
	score float32
}

// Suggestion is one suggested organisation, expert, facility or practice.
type Suggestion struct {
	ID        string   `json:"id"`
	Slug      string   `json:"slug,omitempty"`
	Name      string   `json:"name"`
	Clusters  []string `json:"clusters,omitempty"` // cluster ids
	OrgID     string   `json:"organisation_id,omitempty"`
	OrgName   string   `json:"organisation_name,omitempty"`
	Reasons   []Reason `json:"reasons"`
	Score     float64  `json:"-"`
	Languages []string `json:"languages,omitempty"`
	Kind      string   `json:"kind,omitempty"` // a practice's kind
	Lang      string   `json:"lang,omitempty"` // the language of a practice's title
}

// Suggestions is the routing of one question.
type Suggestions struct {
	Cluster       string       `json:"cluster"` // the cluster the question best fits
	Capabilities  []Tag        `json:"capabilities"`
	Organisations []Suggestion `json:"organisations"`
	Experts       []Suggestion `json:"experts"`
	Facilities    []Suggestion `json:"facilities"`
	Practices     []Suggestion `json:"practices"`
}

// Router ranks organisations, experts and facilities for a question.
// Build it once from a snapshot; Suggest is safe for concurrent use.
type Router struct {
	snap       Snapshot
	caps       map[string]directory.Capability
	capCodes   []string
	capIx      *textindex.Index
	orgIx      *textindex.Index
	expIx      *textindex.Index
	facIx      *textindex.Index
	pracIx     *textindex.Index
	orgsByCap  capLists
	expsByCap  capLists
	facsByCap  capLists
	pracsByCap capLists
	orgIndex   map[string]int
	// orgCountry is each organisation's country as a small number (0:
	// none), so that the country bonus reads two bytes per candidate
	// instead of the organisation's record.
	orgCountry []uint16
	countryNo  map[string]uint16
	expOrg     []int32 // expert → index of their organisation (-1 if unknown)
	clusterIdx map[string]int
	// free holds scratch spaces between queries (a sync.Pool would drop
	// them at every collection, and they are the size of the index).
	mu   sync.Mutex
	free []*scratch
}

func (r *Router) getScratch() *scratch {
	r.mu.Lock()
	defer r.mu.Unlock()
	if n := len(r.free); n > 0 {
		sc := r.free[n-1]
		r.free = r.free[:n-1]
		return sc
	}
	return &scratch{cap: r.capIx.NewScores(), org: r.orgIx.NewScores(), exp: r.expIx.NewScores(), fac: r.facIx.NewScores(), prac: r.pracIx.NewScores()}
}

func (r *Router) putScratch(sc *scratch) {
	r.mu.Lock()
	r.free = append(r.free, sc)
	r.mu.Unlock()
}

// scratch is one query's working memory.
type scratch struct {
	cap, org, exp, fac, prac *textindex.Scores
	capAcc                   []float32
	capTouched               []uint32
}

// Build indexes a snapshot.
func Build(s Snapshot) *Router {
	r := &Router{snap: s, caps: map[string]directory.Capability{}, orgIndex: map[string]int{}, clusterIdx: map[string]int{}}
	for _, c := range s.Capabilities {
		r.caps[c.Code] = c
	}
	for i, c := range s.Clusters {
		r.clusterIdx[c.ID] = i
	}
	r.buildCapabilities()
	r.orgIx, r.orgsByCap = r.buildDocs(len(s.Organisations), func(i int) (string, string, []string) {
		o := s.Organisations[i]
		r.orgIndex[o.ID] = i
		return o.Name, o.Description, o.Capabilities
	})
	r.expIx, r.expsByCap = r.buildDocs(len(s.Experts), func(i int) (string, string, []string) {
		e := s.Experts[i]
		return e.Title, e.Summary, e.Expertise
	})
	r.countryNo = map[string]uint16{}
	r.orgCountry = make([]uint16, len(s.Organisations))
	for i, o := range s.Organisations {
		if o.Country == "" {
			continue
		}
		n, ok := r.countryNo[o.Country]
		if !ok {
			n = uint16(len(r.countryNo) + 1)
			r.countryNo[o.Country] = n
		}
		r.orgCountry[i] = n
	}
	r.expOrg = make([]int32, len(s.Experts))
	for i, e := range s.Experts {
		r.expOrg[i] = -1
		if j, ok := r.orgIndex[e.OrganisationID]; ok {
			r.expOrg[i] = int32(j)
		}
	}
	r.facIx, r.facsByCap = r.buildDocs(len(s.Facilities), func(i int) (string, string, []string) {
		f := s.Facilities[i]
		return f.Name, f.Description, f.Capabilities
	})
	r.pracIx, r.pracsByCap = r.buildDocsWith(len(s.Practices), func(i int, add func([]textindex.Token, float32)) []string {
		p := s.Practices[i]
		for _, t := range p.Texts {
			lang, ok := textindex.ParseLang(t.Lang)
			if !ok {
				lang = textindex.Detect(t.Title + " " + t.Summary)
			}
			add(textindex.AnalyzeLang(t.Title, lang), 2)
			add(textindex.AnalyzeLang(t.Summary+" "+t.Body, lang), 1)
		}
		return p.Capabilities
	})
	return r
}

// buildCapabilities indexes each capability by its labels and its
// vocabulary in the four languages, each analysed in its own language.
func (r *Router) buildCapabilities() {
	b := textindex.NewBuilder()
	for _, c := range r.snap.Capabilities {
		doc := b.NewDoc()
		r.capCodes = append(r.capCodes, c.Code)
		for _, lang := range textindex.Langs {
			b.Add(doc, textindex.AnalyzeLang(c.Label(string(lang)), lang), 2)
			if words := vocabulary[c.Code][lang]; words != "" {
				b.Add(doc, textindex.AnalyzeLang(words, lang), 1)
			}
		}
	}
	r.capIx = b.Build()
}

// capLists are the documents per capability code: under lists those
// declaring the code or a descendant of it, exact those declaring it.
type capLists struct {
	under, exact map[string][]uint32
}

// buildDocs indexes n documents (title, body, capability codes) and their
// capability lists.
func (r *Router) buildDocs(n int, doc func(int) (string, string, []string)) (*textindex.Index, capLists) {
	return r.buildDocsWith(n, func(i int, add func([]textindex.Token, float32)) []string {
		title, body, codes := doc(i)
		add(textindex.Analyze(title), 2)
		add(textindex.Analyze(body), 1)
		return codes
	})
}

// buildDocsWith indexes n documents whose analysed texts doc adds, and
// their capability lists (the codes doc returns).
func (r *Router) buildDocsWith(n int, doc func(int, func([]textindex.Token, float32)) []string) (*textindex.Index, capLists) {
	b := textindex.NewBuilder()
	lists := capLists{under: map[string][]uint32{}, exact: map[string][]uint32{}}
	for i := range n {
		d := b.NewDoc()
		codes := doc(i, func(toks []textindex.Token, w float32) { b.Add(d, toks, w) })
		seen := map[string]bool{}
		for _, code := range codes {
			lists.exact[code] = append(lists.exact[code], uint32(d))
			for c := code; c != "" && !seen[c]; c = r.caps[c].Parent {
				seen[c] = true
				lists.under[c] = append(lists.under[c], uint32(d))
			}
		}
	}
	return b.Build(), lists
}

// Query is a question to route, with the viewer's scope.
type Query struct {
	Text    string
	Lang    string // the question's language; empty detects it
	Country string // the requester's country
	Scope   access.Scope
	Limit   int // per list; 0 means 5
	// Exclude lists expert person ids not to suggest (declined, assigned).
	Exclude []string
}

// Weights of the ranking, tuned on the tuning set (testdata).
const (
	capWeight      = 0.65 // share of the score from the suggested capabilities
	textWeight     = 0.35 // share from the words of the question
	tagShare       = 0.35 // a capability counts when it scores this share of the best
	maxTags        = 4
	countryBonus   = 0.05
	expertOrgShare = 0.3 // an expert's organisation's fit counts this much
)

// Suggest routes a question.
func (r *Router) Suggest(q Query) Suggestions {
	limit := q.Limit
	if limit <= 0 {
		limit = 5
	}
	lang, ok := textindex.ParseLang(q.Lang)
	if !ok {
		lang = textindex.Detect(q.Text)
	}
	toks := textindex.AnalyzeLang(q.Text, lang)
	sc := r.getScratch()
	defer r.putScratch(sc)
	out := Suggestions{Capabilities: r.tags(sc, toks)}
	generic := textindex.Analyze(q.Text)
	orgs := r.rankOrgs(sc, generic, out.Capabilities, q, limit)
	out.Organisations = orgs
	out.Experts = r.rankExperts(sc, generic, out.Capabilities, q, limit)
	out.Facilities = r.rankFacilities(sc, generic, out.Capabilities, q, limit)
	out.Practices = r.rankPractices(sc, generic, out.Capabilities, q, lang, limit)
	out.Cluster = r.bestCluster(out, q.Country)
	return out
}

// tags suggests the question's capabilities.
func (r *Router) tags(sc *scratch, toks []textindex.Token) []Tag {
	sc.cap.Reset()
	qt := r.capIx.Query(toks, 32)
	r.capIx.Score(qt, sc.cap)
	hits := sc.cap.Top(maxTags * 2)
	if len(hits) == 0 {
		return []Tag{}
	}
	best := hits[0].Score
	var tags []Tag
	for _, h := range hits {
		if h.Score < tagShare*best || len(tags) == maxTags {
			break
		}
		t := Tag{Code: r.capCodes[h.Doc], score: h.Score / best, Words: []string{}}
		for _, term := range qt {
			if r.capIx.Has(term.ID, h.Doc) {
				_, surface := r.capIx.Term(term.ID)
				t.Words = appendWord(t.Words, surface, toks, term.ID, r.capIx)
			}
		}
		tags = append(tags, t)
	}
	// A child and its parent both suggested: keep the child, which says more.
	return slices.DeleteFunc(tags, func(t Tag) bool {
		return slices.ContainsFunc(tags, func(o Tag) bool { return o.Code != t.Code && strings.HasPrefix(o.Code, t.Code+".") })
	})
}

// appendWord adds the question's own spelling of a matched term.
func appendWord(words []string, surface string, toks []textindex.Token, id int32, ix *textindex.Index) []string {
	term, _ := ix.Term(id)
	for _, t := range toks {
		if t.Term == term {
			surface = t.Surface
			break
		}
	}
	if !slices.Contains(words, surface) {
		words = append(words, surface)
	}
	return words
}

// capScores accumulates, per document, the weight of the suggested
// capabilities it declares: a tag or a descendant of it fully, exactly
// the tag's parent (a general declaration) at 40 %.
func (r *Router) capScores(sc *scratch, n int, docs capLists, tags []Tag) ([]float32, []uint32) {
	if len(sc.capAcc) < n {
		sc.capAcc = make([]float32, n)
		sc.capTouched = sc.capTouched[:0]
	}
	for _, d := range sc.capTouched {
		sc.capAcc[d] = 0
	}
	sc.capTouched = sc.capTouched[:0]
	acc := sc.capAcc
	add := func(list []uint32, w float32) {
		for _, d := range list {
			if acc[d] == 0 {
				sc.capTouched = append(sc.capTouched, d)
			}
			acc[d] += w
		}
	}
	for _, t := range tags {
		add(docs.under[t.Code], t.score)
		if p := r.caps[t.Code].Parent; p != "" {
			add(docs.exact[p], t.score*0.4)
		}
	}
	return acc[:n], sc.capTouched
}

// combine mixes capability and text scores into a ranking of visible
// documents.
type ranked struct {
	doc         uint32
	score       float64
	capS, textS float32
}

func combine(capAcc []float32, capTouched []uint32, text *textindex.Scores, visible func(uint32) bool, bonus func(uint32) float64, k int) []ranked {
	var maxCap, maxText float32
	for _, d := range capTouched {
		maxCap = max(maxCap, capAcc[d])
	}
	for _, d := range text.Touched() {
		maxText = max(maxText, text.Get(d))
	}
	// A bounded min-heap of the best k visible documents: the policy is
	// asked only about documents that would enter it.
	h := make([]ranked, 0, k+1)
	worse := func(a, b ranked) bool { return a.score < b.score || a.score == b.score && a.doc > b.doc }
	consider := func(d uint32) {
		x := ranked{doc: d, capS: capAcc[d], textS: text.Get(d)}
		if maxCap > 0 {
			x.score += capWeight * float64(x.capS/maxCap)
		}
		if maxText > 0 {
			x.score += textWeight * float64(x.textS/maxText)
		}
		if x.score <= 0 {
			return
		}
		x.score += bonus(d)
		if len(h) == k && !worse(h[0], x) {
			return
		}
		if !visible(d) {
			return
		}
		if len(h) == k {
			h[0] = x
			heapDown(h, worse)
			return
		}
		h = append(h, x)
		heapUp(h, worse)
	}
	for _, d := range capTouched {
		consider(d)
	}
	for _, d := range text.Touched() {
		if capAcc[d] == 0 { // not seen with the capabilities
			consider(d)
		}
	}
	slices.SortFunc(h, func(a, b ranked) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		return cmp.Compare(a.doc, b.doc)
	})
	return h
}

func heapUp(h []ranked, less func(a, b ranked) bool) {
	for i := len(h) - 1; i > 0; {
		p := (i - 1) / 2
		if !less(h[i], h[p]) {
			return
		}
		h[i], h[p] = h[p], h[i]
		i = p
	}
}

func heapDown(h []ranked, less func(a, b ranked) bool) {
	for i := 0; ; {
		l := 2*i + 1
		if l >= len(h) {
			return
		}
		m := l
		if r := l + 1; r < len(h) && less(h[r], h[l]) {
			m = r
		}
		if !less(h[m], h[i]) {
			return
		}
		h[i], h[m] = h[m], h[i]
		i = m
	}
}
