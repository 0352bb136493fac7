package match

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/escnet/escnet/internal/textindex"
)

// Index is a Snapshot prepared for ranking: term indexes over project
// texts and declared profiles, each organisation's projects, the
// co-participation graph and popularity. It is immutable and safe for
// concurrent queries; a changed snapshot means a new Index.
type Index struct {
	orgs     []orgInfo
	byID     map[string]uint32
	projects []projInfo
	projText *textindex.Index // one document per project
	orgText  *textindex.Index // one document per organisation: its declared profile
	adj      [][]neighbour    // co-participation, sorted by organisation
	// closest are each organisation's most frequent partners, most
	// projects together first (at most closestPartners), for the walks two steps out that must stay cheap
	// around organisations with thousands of partners.
	closest [][]neighbour
	decay   []float32 // per project: recency weight at asOf
	asOf    float64   // in years; the latest project start
	maxPop  int
	// maxActivity normalises orgInfo.activity.
	maxActivity float32
	// caps is the capability taxonomy by code, capList the same sorted
	// by code.
	caps    map[string]*capInfo
	capList []*capInfo
	// byRole lists the organisations of each practitioner role.
	byRole map[string][]uint32
	work   sync.Pool
}

type orgInfo struct {
	Org
	projects []uint32 // indexes into Index.projects, oldest first
	declared bool     // has a description or capabilities
	activity float32  // projects, each weighted by its recency (activityHalfLife)
	// popularity is log(1+projects) relative to the most popular.
	popularity float64
}

type projInfo struct {
	id, acronym, title string
	start              float64 // years (2017.5 = July 2017); NaN when unknown
	members            []uint32
	coordinator        int32 // -1 when unknown
}

type neighbour struct {
	org   uint32
	count uint32 // projects together
}

// recencyHalfLife is how many years it takes for a past project to count
// half as much as one starting now: security research moves, but a
// track record of ten years still says something.
const recencyHalfLife = 6.0

// activityHalfLife is the half-life of a project in an organisation's
// activity: who is active in EU research now.
const activityHalfLife = 2.0

// Analyzer turns text into tokens. Build uses textindex.Analyze unless
// told otherwise; the evaluation passes a memoising one because it builds
// many indexes over the same texts.
type Analyzer func(text string) []textindex.Token

// MemoAnalyzer returns an Analyzer that remembers what it analysed; it is
// safe for concurrent use.
func MemoAnalyzer() Analyzer {
	var mu sync.Mutex
	memo := map[string][]textindex.Token{}
	return func(text string) []textindex.Token {
		mu.Lock()
		toks, ok := memo[text]
		mu.Unlock()
		if ok {
			return toks
		}
		toks = textindex.Analyze(text)
		mu.Lock()
		memo[text] = toks
		mu.Unlock()
		return toks
	}
}

// BuildOptions tune Build.
type BuildOptions struct {
	// Analyzer defaults to textindex.Analyze.
	Analyzer Analyzer
	// AsOf is the date recency is measured from (YYYY-MM-DD); it
	// defaults to the latest project start.
	AsOf string
	// Taxonomy is the capability taxonomy (codes and labels), from which
	// a query's needed capabilities are read; capabilities organisations
	// declare are added to it.
	Taxonomy []Capability
}

// Build prepares a snapshot for ranking. Organisations that appear only
// as participants are added with their ID as name. Two organisations with
// one ID are an error: the caller's snapshot is broken.
func Build(s Snapshot, opt BuildOptions) (*Index, error) {
	an := opt.Analyzer
	if an == nil {
		an = textindex.Analyze
	}
	ix := &Index{byID: make(map[string]uint32, len(s.Orgs))}
	for _, o := range s.Orgs {
		if o.ID == "" {
			return nil, fmt.Errorf("match: organisation %q without id", o.Name)
		}
		if _, dup := ix.byID[o.ID]; dup {
			return nil, fmt.Errorf("match: organisation id %q twice in the snapshot", o.ID)
		}
		ix.byID[o.ID] = uint32(len(ix.orgs))
		ix.orgs = append(ix.orgs, orgInfo{Org: o})
	}
	orgOf := func(id string) uint32 {
		if i, ok := ix.byID[id]; ok {
			return i
		}
		i := uint32(len(ix.orgs))
		ix.byID[id] = i
		ix.orgs = append(ix.orgs, orgInfo{Org: Org{ID: id, Name: id}})
		return i
	}

	// Projects, oldest first so that each organisation's list is too.
	order := make([]int, len(s.Projects))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(s.Projects[a].Start, s.Projects[b].Start) })
	pb := textindex.NewBuilder()
	latest := math.Inf(-1)
	for _, pi := range order {
		p := &s.Projects[pi]
		info := projInfo{id: p.ID, acronym: p.Acronym, title: p.Title, start: years(p.Start), coordinator: -1}
		if !math.IsNaN(info.start) {
			latest = max(latest, info.start)
		}
		for _, pt := range p.Participants {
			if pt.OrgID == "" {
				continue
			}
			o := orgOf(pt.OrgID)
			if slices.Contains(info.members, o) {
				continue
			}
			info.members = append(info.members, o)
			if pt.Role == RoleCoordinator && info.coordinator < 0 {
				info.coordinator = int32(o)
			}
		}
		n := uint32(len(ix.projects))
		for _, o := range info.members {
			ix.orgs[o].projects = append(ix.orgs[o].projects, n)
		}
		ix.projects = append(ix.projects, info)
		d := pb.NewDoc()
		addProjectText(pb, d, p, an)
	}
	ix.projText = pb.Build()

	ix.weigh(latest, opt.AsOf, an)
	ix.buildGraph()
	ix.indexCapabilities(opt.Taxonomy)
	ix.byRole = map[string][]uint32{}
	for i := range ix.orgs {
		for _, r := range ix.orgs[i].Roles {
			if l := ix.byRole[r]; len(l) == 0 || l[len(l)-1] != uint32(i) {
				ix.byRole[r] = append(l, uint32(i))
			}
		}
	}
	ix.work.New = func() any { return ix.newWork() }
	return ix, nil
}

// weigh sets the index's reference date (asOf, else the latest project,
// else today), each project's recency decay, and each organisation's
// declared text, activity and popularity.
func (ix *Index) weigh(latest float64, asOf string, an Analyzer) {
	ix.asOf = latest
	if asOf != "" {
		if y := years(asOf); !math.IsNaN(y) {
			ix.asOf = y
		}
	}
	if math.IsInf(ix.asOf, -1) {
		ix.asOf = years(time.Now().UTC().Format(time.DateOnly))
	}
	ix.decay = make([]float32, len(ix.projects))
	for i, p := range ix.projects {
		age := ix.asOf - p.start
		if math.IsNaN(age) || age < 0 {
			age = 0
		}
		ix.decay[i] = float32(math.Pow(0.5, age/recencyHalfLife))
	}

	ob := textindex.NewBuilder()
	for i := range ix.orgs {
		d := ob.NewDoc()
		ix.orgs[i].declared = addDeclaredText(ob, d, &ix.orgs[i].Org, an)
		ix.maxPop = max(ix.maxPop, len(ix.orgs[i].projects))
		for _, pj := range ix.orgs[i].projects {
			age := ix.asOf - ix.projects[pj].start
			if math.IsNaN(age) || age < 0 {
				age = 0
			}
			ix.orgs[i].activity += float32(math.Pow(0.5, age/activityHalfLife))
		}
		ix.maxActivity = max(ix.maxActivity, ix.orgs[i].activity)
	}
	for i := range ix.orgs {
		ix.orgs[i].popularity = math.Log1p(float64(len(ix.orgs[i].projects))) / math.Log1p(float64(max(ix.maxPop, 1)))
	}
	ix.orgText = ob.Build()
}

// addProjectText indexes what a project was about. The title and the
// topic titles say it in few words and count double.
func addProjectText(b *textindex.Builder, d int, p *Project, an Analyzer) {
	b.Add(d, an(p.Title), 2)
	for _, t := range p.Topics {
		b.Add(d, an(t.Title), 1)
		b.Add(d, an(t.CallName), 0.5)
	}
	b.Add(d, an(p.Objective), 1)
	for _, s := range p.Subjects {
		b.Add(d, an(s), 1)
	}
}

// addDeclaredText indexes what an organisation says of itself: each
// capability label in its own language (so a Dutch query finds an English
// speaker's declared capability) and the description.
func addDeclaredText(b *textindex.Builder, d int, o *Org, an Analyzer) bool {
	declared := false
	for _, c := range o.Capabilities {
		for lang, label := range c.Labels {
			if l, ok := textindex.ParseLang(lang); ok {
				b.Add(d, textindex.AnalyzeLang(label, l), 2)
			} else {
				b.Add(d, an(label), 2)
			}
			declared = true
		}
	}
	if strings.TrimSpace(o.Description) != "" {
		b.Add(d, an(o.Description), 1)
		declared = true
	}
	return declared
}

// buildGraph counts, for each organisation, the projects it shared with
// each other one.
func (ix *Index) buildGraph() {
	ix.adj = make([][]neighbour, len(ix.orgs))
	var buf []uint32
	for o := range ix.orgs {
		buf = buf[:0]
		for _, p := range ix.orgs[o].projects {
			for _, m := range ix.projects[p].members {
				if m != uint32(o) {
					buf = append(buf, m)
				}
			}
		}
		if len(buf) == 0 {
			continue
		}
		slices.Sort(buf)
		var ns []neighbour
		for i := 0; i < len(buf); {
			j := i
			for j < len(buf) && buf[j] == buf[i] {
				j++
			}
			ns = append(ns, neighbour{org: buf[i], count: uint32(j - i)})
			i = j
		}
		ix.adj[o] = slices.Clip(ns)
	}
	ix.closest = make([][]neighbour, len(ix.orgs))
	for o, ns := range ix.adj {
		c := slices.Clone(ns)
		slices.SortStableFunc(c, func(a, b neighbour) int { return cmp.Compare(b.count, a.count) })
		ix.closest[o] = slices.Clip(c[:min(len(c), closestPartners)])
	}
}

// closestPartners bounds the partners followed two steps out.
const closestPartners = 48

// years turns YYYY-MM-DD into fractional years, NaN when it is not a
// date.
func years(date string) float64 {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return math.NaN()
	}
	return float64(t.Year()) + float64(t.YearDay()-1)/365.25
}

// Len is the number of organisations in the index.
func (ix *Index) Len() int { return len(ix.orgs) }

// Projects is the number of projects in the index.
func (ix *Index) Projects() int { return len(ix.projects) }

// Has reports whether the index knows an organisation.
func (ix *Index) Has(id string) bool {
	_, ok := ix.byID[id]
	return ok
}

// Org returns an organisation of the index.
func (ix *Index) Org(id string) (Org, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return Org{}, false
	}
	return ix.orgs[i].Org, true
}

// PastProjects is how many projects of the snapshot an organisation took
// part in.
func (ix *Index) PastProjects(id string) int {
	i, ok := ix.byID[id]
	if !ok {
		return 0
	}
	return len(ix.orgs[i].projects)
}

// CoParticipations returns how many projects two organisations shared.
func (ix *Index) CoParticipations(a, b string) int {
	i, ok1 := ix.byID[a]
	j, ok2 := ix.byID[b]
	if !ok1 || !ok2 {
		return 0
	}
	ns := ix.adj[i]
	k, found := slices.BinarySearchFunc(ns, j, func(n neighbour, t uint32) int { return cmp.Compare(n.org, t) })
	if !found {
		return 0
	}
	return int(ns[k].count)
}
