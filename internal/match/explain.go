package match

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/textindex"
)

// explain turns an organisation's evidence into reasons a person reads:
// "3 similar past projects on crisis, preparedness (best: IN-PREP, 2017)",
// "worked twice with your lead (IN-PREP, DRIVER+)", "fire brigade, ES".
func (ix *Index) explain(p *prepared, w *work, s scoredOrg) Ranked {
	o := &ix.orgs[s.org]
	ev := &evidence{bestProj: -1} // nothing found for it by this query
	if w.seen[s.org] == w.gen {
		ev = &w.ev[s.org]
	}
	r := Ranked{
		ID: o.ID, Name: o.Name, Kind: o.Kind, SME: o.SME, Country: o.Country,
		Roles: o.Roles, Clusters: o.Clusters, Outsider: len(o.Clusters) == 0, Score: round(s.score), Signals: s.sig,
		Reasons: []Reason{},
	}
	// Its similar projects, best first.
	if ev.nSimilar > 0 && ev.bestProj >= 0 {
		refs := ix.similarProjects(w, o)
		r.Similar = refs
		if len(refs) > 0 {
			words := ix.sharedWords(p, uint32(ev.bestProj), 3)
			text := count(int(ev.nSimilar), "similar past project", "similar past projects")
			if len(words) > 0 {
				text += " on " + strings.Join(words, ", ")
			}
			text += " (best: " + refs[0].label() + ")"
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonSimilarProjects, Text: text, Count: int(ev.nSimilar),
				Words: words, Projects: []string{refs[0].label()}})
		}
	}
	if ev.declared > 0 {
		if caps, codes := ix.matchingCapabilities(p, o); len(caps) > 0 {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonDeclared, Text: "declares " + strings.Join(caps, "; "), Names: caps, Codes: codes})
		} else if words := ix.declaredWords(p, s.org, 3); len(words) > 0 {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonDeclared, Text: "describes itself with " + strings.Join(words, ", "), Words: words})
		}
	}
	for k, a := range p.anchors {
		if a.org == s.org {
			continue
		}
		shared := ix.sharedProjects(a.org, s.org)
		if len(shared) == 0 {
			continue
		}
		who, whoKind, partner := "your lead", WhoLead, []string(nil)
		if k > 0 || p.lead < 0 {
			who, whoKind = ix.orgs[a.org].displayName(), WhoPartner
			partner = []string{who}
		}
		names := make([]string, 0, 3)
		for _, pj := range shared[:min(3, len(shared))] {
			names = append(names, ix.projectRef(pj, 0).label())
		}
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonWorkedWith,
			Text:  fmt.Sprintf("worked %s with %s (%s)", times(len(shared)), who, strings.Join(names, "; ")),
			Count: len(shared), Projects: names, Names: partner, Who: whoKind})
	}
	if ev.aa > 0 && ev.co == 0 {
		n := 0
		for _, a := range p.anchors {
			n += ix.commonNeighbours(a.org, s.org)
		}
		if n > 0 {
			who, whoKind := "your lead", WhoLead
			if p.lead < 0 || len(p.anchors) > 1 {
				who, whoKind = "your consortium", WhoConsortium
			}
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonSharedPartners,
				Text: fmt.Sprintf("shares %s with %s", count(n, "partner", "partners"), who), Count: n, Who: whoKind})
		}
	}
	if s.sig.Fit > 0 {
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonFit, Text: "of a kind the call asks for: " + o.describeKind()})
	}
	profile := o.describeKind()
	if o.Country != "" {
		profile += ", " + o.Country
	}
	r.Reasons = append(r.Reasons, Reason{Kind: ReasonProfile, Text: profile})
	if len(o.Clusters) > 0 {
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonCluster, Text: "member of " + strings.Join(o.Clusters, ", "), Names: o.Clusters})
	}
	if n := len(o.projects); n > 0 {
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonTrackRecord, Text: count(n, "EU project", "EU projects") + " in the record", Count: n})
	}
	return r
}

// similarProjects returns the organisation's most similar projects, best
// first, by partial selection: a large organisation has thousands.
func (ix *Index) similarProjects(w *work, o *orgInfo) []ProjectRef {
	best := w.topScore
	type simProj struct {
		pj uint32
		sc float32
	}
	var topN [5]simProj
	n := 0
	for _, pj := range o.projects {
		sc := w.ps.Get(pj)
		if best == 0 || sc/best < evidenceFloor {
			continue
		}
		x := simProj{pj, sc}
		if n < len(topN) {
			topN[n] = x
			n++
		} else if x.sc > topN[n-1].sc {
			topN[n-1] = x
		} else {
			continue
		}
		for k := n - 1; k > 0 && topN[k].sc > topN[k-1].sc; k-- {
			topN[k], topN[k-1] = topN[k-1], topN[k]
		}
	}
	refs := make([]ProjectRef, n)
	for k := range n {
		refs[k] = ix.projectRef(topN[k].pj, float64(topN[k].sc/best))
	}
	return refs
}

func (ix *Index) projectRef(pj uint32, sim float64) ProjectRef {
	p := &ix.projects[pj]
	ref := ProjectRef{ID: p.id, Acronym: p.acronym, Title: p.title, Similarity: round(sim)}
	if !math.IsNaN(p.start) {
		ref.Year = int(p.start)
	}
	return ref
}

func (r ProjectRef) label() string {
	name := r.Acronym
	if name == "" {
		name = r.ID
	}
	if r.Year > 0 {
		return fmt.Sprintf("%s, %d", name, r.Year)
	}
	return name
}

// sharedWords are the query's most telling words that a project's text
// holds, as the query wrote them.
func (ix *Index) sharedWords(p *prepared, pj uint32, n int) []string {
	var out []string
	for _, t := range p.pq {
		if len(out) == n {
			break
		}
		if ix.projText.Has(t.ID, pj) {
			_, s := ix.projText.Term(t.ID)
			out = appendNew(out, surfaceIn(p.toks, ix.projText, t.ID, s))
		}
	}
	return out
}

func (ix *Index) declaredWords(p *prepared, o uint32, n int) []string {
	var out []string
	for _, t := range p.oq {
		if len(out) == n {
			break
		}
		if ix.orgText.Has(t.ID, o) {
			_, s := ix.orgText.Term(t.ID)
			out = appendNew(out, surfaceIn(p.toks, ix.orgText, t.ID, s))
		}
	}
	return out
}

// matchingCapabilities are the declared capabilities whose label (in any
// language) shares a term with the query, named in English when there
// is an English label, and their codes.
func (ix *Index) matchingCapabilities(p *prepared, o *orgInfo) (names, codes []string) {
	terms := map[string]bool{}
	for _, t := range p.toks {
		terms[t.Term] = true
	}
	var out []string
	for _, c := range o.Capabilities {
		hit := false
		for lang, label := range c.Labels {
			l, ok := textindex.ParseLang(lang)
			if !ok {
				l = textindex.English
			}
			for _, t := range textindex.AnalyzeLang(label, l) {
				if terms[t.Term] {
					hit = true
					break
				}
			}
			if hit {
				break
			}
		}
		if hit {
			name := c.Labels["en"]
			if name == "" {
				for _, lang := range directory.Languages {
					if name = c.Labels[lang]; name != "" {
						break
					}
				}
			}
			if name == "" {
				name = c.Code
			}
			if !slices.Contains(out, name) {
				out = append(out, name)
				codes = append(codes, c.Code)
			}
		}
		if len(out) == 3 {
			break
		}
	}
	return out, codes
}

// sharedProjects lists the projects two organisations took part in
// together, most recent first.
func (ix *Index) sharedProjects(a, b uint32) []uint32 {
	pa, pb := ix.orgs[a].projects, ix.orgs[b].projects
	var out []uint32
	for i, j := 0, 0; i < len(pa) && j < len(pb); {
		switch {
		case pa[i] == pb[j]:
			out = append(out, pa[i])
			i++
			j++
		case pa[i] < pb[j]:
			i++
		default:
			j++
		}
	}
	slices.Reverse(out)
	return out
}

// commonNeighbours counts the organisations both a and b worked with.
func (ix *Index) commonNeighbours(a, b uint32) int {
	na, nb := ix.adj[a], ix.adj[b]
	n := 0
	for i, j := 0, 0; i < len(na) && j < len(nb); {
		switch {
		case na[i].org == nb[j].org:
			n++
			i++
			j++
		case na[i].org < nb[j].org:
			i++
		default:
			j++
		}
	}
	return n
}

var roleNames = map[string]string{
	directory.RolePolice:                 "police",
	directory.RoleBorderGuard:            "border or coast guard",
	directory.RoleCustoms:                "customs",
	directory.RoleFirstResponder:         "first responder",
	directory.RoleMedicalEmergency:       "medical emergency service",
	directory.RoleCivilProtection:        "civil protection",
	directory.RolePublicProcurer:         "public procurer",
	directory.RoleCriticalInfrastructure: "critical infrastructure operator",
	directory.RoleOtherEndUser:           "end user",
}

var kindNames = map[string]string{
	directory.KindCompany:         "company",
	directory.KindResearch:        "research organisation",
	directory.KindHigherEducation: "university",
	directory.KindPublicBody:      "public body",
	directory.KindOther:           "organisation",
}

// describeKind says what an organisation is: its practitioner roles if
// it has any, else its kind ("SME" for a small company).
func (o *orgInfo) describeKind() string {
	var parts []string
	for _, r := range o.Roles {
		if n, ok := roleNames[r]; ok {
			parts = append(parts, n)
		}
	}
	if len(parts) > 0 {
		return strings.Join(parts, ", ")
	}
	if o.Kind == directory.KindCompany && o.SME {
		return "SME"
	}
	if n, ok := kindNames[o.Kind]; ok {
		return n
	}
	return "organisation"
}

func (o *orgInfo) displayName() string {
	if o.ShortName != "" {
		return o.ShortName
	}
	return o.Name
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func times(n int) string {
	switch n {
	case 1:
		return "once"
	case 2:
		return "twice"
	}
	return fmt.Sprintf("%d times", n)
}

func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func round(f float64) float64 { return math.Round(f*1000) / 1000 }
