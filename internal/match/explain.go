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
			text += "; the closest: " + refs[0].label()
			if refs[0].Title != "" {
				text += ", " + refs[0].Title
			}
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonSimilarProjects, Text: text, Count: int(ev.nSimilar),
				Words: words, Projects: []string{refs[0].label()}, Titles: []string{refs[0].Title}})
		}
	}
	capCodes := ix.capabilityReason(p, o, ev, &r)
	if ev.declared > 0 {
		caps, codes := ix.matchingCapabilities(p, o)
		for i := len(codes) - 1; i >= 0; i-- {
			if slices.Contains(capCodes, codes[i]) { // said already, as a need
				caps, codes = slices.Delete(caps, i, i+1), slices.Delete(codes, i, i+1)
			}
		}
		if len(caps) > 0 {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonDeclared, Text: "declares " + strings.Join(caps, "; "), Names: caps, Codes: codes})
		} else if words := ix.declaredWords(p, s.org, 3); len(words) > 0 && len(capCodes) == 0 {
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
		var titles []string
		for _, pj := range shared[:min(3, len(shared))] {
			ref := ix.projectRef(pj, 0)
			names = append(names, ref.label())
			titles = append(titles, ref.Title)
		}
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonWorkedWith,
			Text:  fmt.Sprintf("worked %s with %s (%s)", times(len(shared)), who, strings.Join(names, "; ")),
			Count: len(shared), Projects: names, Titles: titles, Names: partner, Who: whoKind})
	}
	if ev.aa > 0 && ev.co == 0 {
		ix.sharedPartnersReason(p, s.org, &r)
	}
	if s.sig.Fit > 0 {
		var types []string
		for _, t := range p.prefer {
			if ix.isType(s.org, t) {
				types = appendNew(types, t)
			}
		}
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonFit, Text: "of a kind the call asks for: " + o.describeKind(), Types: types})
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

// capabilityReason adds the reason of the declared capabilities that
// meet the query's needs and returns their codes.
func (ix *Index) capabilityReason(p *prepared, o *orgInfo, ev *evidence, r *Ranked) []string {
	var capCodes []string
	if ev.capBest > 0 {
		if ms := ix.capabilityMatches(p, o); len(ms) > 0 {
			re := Reason{Kind: ReasonCapability}
			var parts []string
			for _, m := range ms {
				re.Codes = append(re.Codes, m.Code)
				re.Needs = append(re.Needs, m.Need)
				re.Names = append(re.Names, ix.capLabel(m.Code))
				capCodes = append(capCodes, m.Code)
				part := ix.capLabel(m.Code)
				if m.Code != m.Need {
					part += " (for " + ix.capLabel(m.Need) + ")"
				}
				parts = append(parts, part)
			}
			re.Text = "declares " + strings.Join(parts, "; ") + ", which the query needs"
			r.Reasons = append(r.Reasons, re)
		}
	}
	return capCodes
}

// sharedPartnersReason adds the reason of the partners an organisation
// shares with the lead and locked partners, the closest named.
func (ix *Index) sharedPartnersReason(p *prepared, org uint32, r *Ranked) {
	n := 0
	var closest []neighbour
	for _, a := range p.anchors {
		cn := ix.commonNeighbours(a.org, org)
		n += len(cn)
		closest = append(closest, cn...)
	}
	if n > 0 {
		who, whoKind := "your lead", WhoLead
		if p.lead < 0 || len(p.anchors) > 1 {
			who, whoKind = "your consortium", WhoConsortium
		}
		slices.SortStableFunc(closest, func(a, b neighbour) int { return int(b.count) - int(a.count) })
		var names []string
		for _, nb := range closest {
			if len(names) == 3 {
				break
			}
			names = appendNew(names, ix.orgs[nb.org].displayName())
		}
		r.Reasons = append(r.Reasons, Reason{Kind: ReasonSharedPartners,
			Text:  fmt.Sprintf("shares %s with %s (%s)", count(n, "partner", "partners"), who, strings.Join(names, "; ")),
			Count: n, Who: whoKind, Names: names})
	}
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

// commonNeighbours lists the organisations both a and b worked with, each
// with the fewer of the projects it shared with a and with b.
func (ix *Index) commonNeighbours(a, b uint32) []neighbour {
	na, nb := ix.adj[a], ix.adj[b]
	var n []neighbour
	for i, j := 0, 0; i < len(na) && j < len(nb); {
		switch {
		case na[i].org == nb[j].org:
			if na[i].org != a && na[i].org != b {
				n = append(n, neighbour{org: na[i].org, count: min(na[i].count, nb[j].count)})
			}
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
