package inquiries

import (
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/textindex"
)

// Reason keys (locales: *.inquiries.json).
const (
	ReasonCapability = "inquiries.reason.capability" // declares a suggested capability: args code
	ReasonWords      = "inquiries.reason.words"      // its profile uses the question's words: args words
	ReasonCountry    = "inquiries.reason.country"    // in the requester's country: args country code
	ReasonWorksAt    = "inquiries.reason.works_at"   // works at a fitting organisation: args name
)

func (r *Router) rankOrgs(sc *scratch, toks []textindex.Token, tags []Tag, q Query, limit int) []Suggestion {
	orgs := r.snap.Organisations
	sc.org.Reset()
	qt := r.orgIx.Query(toks, 24)
	r.orgIx.Score(qt, sc.org)
	acc, touched := r.capScores(sc, len(orgs), r.orgsByCap, tags)
	visible := func(d uint32) bool { return q.Scope.CanSee(orgs[d].Record) }
	country := r.countryNo[q.Country] // 0 when no organisation is there
	bonus := func(d uint32) float64 {
		if country != 0 && r.orgCountry[d] == country {
			return countryBonus
		}
		return 0
	}
	var out []Suggestion
	for _, x := range combine(acc, touched, sc.org, visible, bonus, limit) {
		o := orgs[x.doc]
		s := Suggestion{ID: o.ID, Slug: o.Slug, Name: o.Name, Clusters: o.Clusters, Score: x.score}
		s.Reasons = r.reasons(o.Capabilities, tags, qt, r.orgIx, x.doc)
		if q.Country != "" && o.Country == q.Country {
			s.Reasons = append(s.Reasons, Reason{Key: ReasonCountry, Args: []string{o.Country}})
		}
		out = append(out, s)
	}
	return nonNil(out)
}

func (r *Router) rankExperts(sc *scratch, toks []textindex.Token, tags []Tag, q Query, limit int) []Suggestion {
	exps, orgs := r.snap.Experts, r.snap.Organisations
	sc.exp.Reset()
	qt := r.expIx.Query(toks, 24)
	r.expIx.Score(qt, sc.exp)
	acc, touched := r.capScores(sc, len(exps), r.expsByCap, tags)
	var maxOrg float32
	for _, d := range sc.org.Touched() {
		maxOrg = max(maxOrg, sc.org.Get(d))
	}
	orgOf := func(d uint32) (OrgDoc, int, bool) {
		i := r.expOrg[d]
		if i < 0 {
			return OrgDoc{}, -1, false
		}
		return orgs[i], int(i), true
	}
	visible := func(d uint32) bool {
		o, _, ok := orgOf(d)
		return ok && !slices.Contains(q.Exclude, exps[d].PersonID) && q.Scope.CanSee(exps[d].Record) && q.Scope.CanSee(o.Record)
	}
	bonus := func(d uint32) float64 {
		i := r.expOrg[d]
		if maxOrg == 0 || i < 0 {
			return 0
		}
		return expertOrgShare * float64(sc.org.Get(uint32(i))/maxOrg)
	}
	var out []Suggestion
	for _, x := range combine(acc, touched, sc.exp, visible, bonus, limit) {
		e := exps[x.doc]
		o, i, _ := orgOf(x.doc)
		s := Suggestion{ID: e.PersonID, Name: e.Name, OrgID: o.ID, OrgName: o.Name, Clusters: o.Clusters, Score: x.score, Languages: e.Languages}
		s.Reasons = r.reasons(e.Expertise, tags, qt, r.expIx, x.doc)
		if maxOrg > 0 && sc.org.Get(uint32(i)) > 0.5*maxOrg {
			s.Reasons = append(s.Reasons, Reason{Key: ReasonWorksAt, Args: []string{o.Name}})
		}
		out = append(out, s)
	}
	return nonNil(out)
}

func (r *Router) rankFacilities(sc *scratch, toks []textindex.Token, tags []Tag, q Query, limit int) []Suggestion {
	facs := r.snap.Facilities
	sc.fac.Reset()
	qt := r.facIx.Query(toks, 24)
	r.facIx.Score(qt, sc.fac)
	acc, touched := r.capScores(sc, len(facs), r.facsByCap, tags)
	visible := func(d uint32) bool {
		i, ok := r.orgIndex[facs[d].OrganisationID]
		return ok && q.Scope.CanSee(facs[d].Record) && q.Scope.CanSee(r.snap.Organisations[i].Record)
	}
	var out []Suggestion
	for _, x := range combine(acc, touched, sc.fac, visible, func(uint32) float64 { return 0 }, limit) {
		f := facs[x.doc]
		s := Suggestion{ID: f.ID, Slug: f.Slug, Name: f.Name, OrgID: f.OrganisationID, Score: x.score}
		if i, ok := r.orgIndex[f.OrganisationID]; ok {
			s.OrgName, s.Clusters = r.snap.Organisations[i].Name, r.snap.Organisations[i].Clusters
		}
		s.Reasons = r.reasons(f.Capabilities, tags, qt, r.facIx, x.doc)
		out = append(out, s)
	}
	return nonNil(out)
}

// rankPractices suggests entries of the practices library, each only
// when the scope may see it and its organisation.
func (r *Router) rankPractices(sc *scratch, toks []textindex.Token, tags []Tag, q Query, lang textindex.Lang, limit int) []Suggestion {
	pracs := r.snap.Practices
	sc.prac.Reset()
	qt := r.pracIx.Query(toks, 24)
	r.pracIx.Score(qt, sc.prac)
	acc, touched := r.capScores(sc, len(pracs), r.pracsByCap, tags)
	visible := func(d uint32) bool {
		i, ok := r.orgIndex[pracs[d].OrganisationID]
		return ok && q.Scope.CanSee(pracs[d].Record) && q.Scope.CanSee(r.snap.Organisations[i].Record)
	}
	var out []Suggestion
	for _, x := range combine(acc, touched, sc.prac, visible, func(uint32) float64 { return 0 }, limit) {
		p := pracs[x.doc]
		t := p.text(string(lang))
		s := Suggestion{ID: p.ID, Name: t.Title, Lang: t.Lang, Kind: p.Kind, OrgID: p.OrganisationID, Score: x.score}
		if i, ok := r.orgIndex[p.OrganisationID]; ok {
			s.OrgName, s.Clusters = r.snap.Organisations[i].Name, r.snap.Organisations[i].Clusters
		}
		s.Reasons = r.reasons(p.Capabilities, tags, qt, r.pracIx, x.doc)
		out = append(out, s)
	}
	return nonNil(out)
}

// text is the practice's version in lang, else its original.
func (p PracticeDoc) text(lang string) PracticeText {
	for _, t := range p.Texts {
		if t.Lang == lang {
			return t
		}
	}
	if len(p.Texts) > 0 {
		return p.Texts[0]
	}
	return PracticeText{}
}

// reasons explains a suggestion: the suggested capabilities the record
// declares, and the question's words its profile uses.
func (r *Router) reasons(codes []string, tags []Tag, qt []textindex.QueryTerm, ix *textindex.Index, doc uint32) []Reason {
	var out []Reason
	for _, t := range tags {
		for _, c := range codes {
			if c == t.Code || strings.HasPrefix(c, t.Code+".") || c == r.caps[t.Code].Parent {
				if !slices.ContainsFunc(out, func(x Reason) bool { return x.Args[0] == c }) {
					out = append(out, Reason{Key: ReasonCapability, Args: []string{c}})
				}
				break
			}
		}
	}
	var words []string
	for _, term := range qt {
		if len(words) < 4 && ix.Has(term.ID, doc) {
			_, surface := ix.Term(term.ID)
			if !slices.Contains(words, surface) {
				words = append(words, surface)
			}
		}
	}
	if len(words) > 0 {
		out = append(out, Reason{Key: ReasonWords, Args: words})
	}
	return out
}

// bestCluster picks the cluster whose desk receives a question: a
// cluster in the requester's country when there is one (the desk nearest
// to them, which hands the case on when it fits elsewhere), the best
// fitting among them; otherwise the best fitting overall. Fit is the
// clusters of the best organisations and experts, weighted by rank.
func (r *Router) bestCluster(s Suggestions, countryCode string) string {
	score := map[string]float64{}
	for i, o := range s.Organisations {
		for _, c := range o.Clusters {
			score[c] += o.Score / float64(i+1)
		}
	}
	for i, e := range s.Experts {
		for _, c := range e.Clusters {
			score[c] += 0.5 * e.Score / float64(i+1)
		}
	}
	best, bestScore, local := "", -1.0, false
	for _, c := range r.snap.Clusters {
		here := countryCode != "" && c.Country == countryCode
		v := score[c.ID]
		switch {
		case here && !local:
			best, bestScore, local = c.ID, v, true
		case here == local && v > bestScore:
			best, bestScore = c.ID, v
		}
	}
	return best
}

// Tags returns the suggested capability codes of a routing.
func (s Suggestions) Tags() []string {
	out := []string{}
	for _, t := range s.Capabilities {
		out = append(out, t.Code)
	}
	return out
}

// Domain is the top-level capability of the first tag, for statistics.
func (s Suggestions) Domain() string {
	if len(s.Capabilities) == 0 {
		return ""
	}
	d, _, _ := strings.Cut(s.Capabilities[0].Code, ".")
	return d
}

// Expert returns the snapshot's expert with a person id.
func (r *Router) Expert(personID string) (ExpertDoc, OrgDoc, bool) {
	for _, e := range r.snap.Experts {
		if e.PersonID == personID {
			i, ok := r.orgIndex[e.OrganisationID]
			if !ok {
				return e, OrgDoc{}, false
			}
			return e, r.snap.Organisations[i], true
		}
	}
	return ExpertDoc{}, OrgDoc{}, false
}

// ExpertVisible reports whether personID is a listed expert the scope
// may see (the person and their organisation).
func (r *Router) ExpertVisible(personID string, s access.Scope) bool {
	e, o, ok := r.Expert(personID)
	return ok && s.CanSee(e.Record) && s.CanSee(o.Record)
}

func nonNil(s []Suggestion) []Suggestion {
	if s == nil {
		return []Suggestion{}
	}
	return s
}

// Experts lists the snapshot's experts.
func (r *Router) Experts() []ExpertDoc { return r.snap.Experts }
