package match

import (
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/textindex"
)

// Declared capabilities count by their place in the taxonomy: a call or
// an idea needs capabilities (tagged, or read from its text: the text
// holds a capability's label), and an organisation that declares one of
// them, a more specific one under it, or the broader one above it, has
// what is needed.

// How much a declared capability counts against a needed one.
const (
	capExact    = 1.0 // the capability needed
	capNarrower = 0.8 // a more specific one under it (counter-drone systems for drones)
	capBroader  = 0.5 // the broader one above it (drones for counter-drone systems)
	// capMore rewards each further need covered, up to capMoreMax.
	capMore    = 0.15
	capMoreMax = 2
	// maxNeeds bounds the needs of a query.
	maxNeeds = 12
)

// capInfo is a capability as the index knows it.
type capInfo struct {
	Capability
	// terms are, per label, the analysed words that name the subject
	// (the call template's words left out, unless nothing else is left).
	terms [][]string
	// compounds are its Dutch and German one-word labels, lower case and
	// folded ("dronebestrijding", "drohnenabwehr"), which a text may
	// write in two words ("drone-detectie en -bestrijding").
	compounds []string
	orgs      []uint32 // organisations declaring it
}

// indexCapabilities collects the taxonomy (the options' nodes and every
// capability an organisation declares, with its labels) and who declares
// what.
func (ix *Index) indexCapabilities(tax []Capability) {
	ix.caps = map[string]*capInfo{}
	add := func(c Capability) *capInfo {
		ci := ix.caps[c.Code]
		if ci == nil {
			ci = &capInfo{Capability: Capability{Code: c.Code, Labels: map[string]string{}}}
			ix.caps[c.Code] = ci
		}
		for lang, label := range c.Labels {
			if _, ok := ci.Labels[lang]; !ok && strings.TrimSpace(label) != "" {
				ci.Labels[lang] = label
			}
		}
		return ci
	}
	for _, c := range tax {
		if c.Code != "" {
			add(c)
		}
	}
	for i := range ix.orgs {
		for _, c := range ix.orgs[i].Capabilities {
			if c.Code == "" {
				continue
			}
			ci := add(c)
			if len(ci.orgs) == 0 || ci.orgs[len(ci.orgs)-1] != uint32(i) {
				ci.orgs = append(ci.orgs, uint32(i))
			}
		}
	}
	for _, ci := range ix.caps {
		for _, lang := range directory.Languages {
			label := ci.Labels[lang]
			if label == "" {
				continue
			}
			l, _ := textindex.ParseLang(lang)
			if w := textindex.Fold(strings.ToLower(strings.TrimSpace(label))); (l == textindex.Dutch || l == textindex.German) &&
				!strings.ContainsAny(w, " -") && len(w) >= 10 {
				ci.compounds = append(ci.compounds, w)
			}
			// "Cryptology (Cryptography and Cryptanalysis)" names its
			// subject three ways.
			alts := []string{label}
			if head, rest, ok := strings.Cut(label, "("); ok {
				alts = append(alts, head, strings.TrimSuffix(strings.TrimSpace(rest), ")"))
			}
			for _, alt := range alts {
				var all, content []string
				for _, t := range textindex.AnalyzeLang(alt, l) {
					all = appendNew(all, t.Term)
					if !textindex.IsBoilerplate(t.Term) {
						content = appendNew(content, t.Term)
					}
				}
				if len(content) == 0 {
					content = all
				}
				if len(content) > 0 {
					ci.terms = append(ci.terms, content)
				}
			}
		}
		ix.capList = append(ix.capList, ci)
	}
	slices.SortFunc(ix.capList, func(a, b *capInfo) int { return strings.Compare(a.Code, b.Code) })
}

// inferNeeds are the capabilities whose label the query's words hold:
// every word of a label of up to three words, all but one of a longer one,
// once among the strong words (an idea, a call's title and keywords) or
// twice among the weak ones (a call's description, where a word said in
// passing names no need).
func (ix *Index) inferNeeds(tf map[string]int, words map[string]bool) []string {
	if len(ix.capList) == 0 || len(tf) == 0 {
		return nil
	}
	var out []string
	for _, ci := range ix.capList {
		if slices.ContainsFunc(ci.compounds, func(c string) bool { return splitCompound(c, words) }) {
			out = append(out, ci.Code)
			continue
		}
		for _, terms := range ci.terms {
			m := 0
			for _, t := range terms {
				if tf[t] >= 2 {
					m++
				}
			}
			if m == len(terms) || len(terms) >= 4 && m >= len(terms)-1 {
				out = append(out, ci.Code)
				break
			}
		}
	}
	// A need and a narrower one: the narrower says more.
	out = slices.DeleteFunc(out, func(c string) bool {
		return slices.ContainsFunc(out, func(d string) bool { return strings.HasPrefix(d, c+".") })
	})
	if len(out) > maxNeeds {
		out = out[:maxNeeds]
	}
	return out
}

// splitCompound reports whether a compound is two of the words, with or
// without a linking s, e or n ("drohnen" + "abwehr", "drone" +
// "bestrijding").
func splitCompound(c string, words map[string]bool) bool {
	for i := 3; i <= len(c)-3; i++ {
		head, tail := c[:i], c[i:]
		if !words[tail] {
			continue
		}
		if words[head] || len(head) > 4 && strings.ContainsAny(head[len(head)-1:], "sen") && words[head[:len(head)-1]] {
			return true
		}
	}
	return false
}

// compoundWords are the strong words of a query as written (lower case,
// folded), for splitCompound.
func compoundWords(strong []textindex.Token) map[string]bool {
	out := make(map[string]bool, len(strong))
	for _, t := range strong {
		if len(t.Surface) >= 3 {
			out[textindex.Fold(t.Surface)] = true
		}
	}
	return out
}

// needTF counts the query's terms for inferNeeds and inferRoles: a strong
// word counts twice.
func needTF(strong, weak []textindex.Token) map[string]int {
	tf := make(map[string]int, len(strong)+len(weak))
	for _, t := range strong {
		tf[t.Term] += 2
	}
	for _, t := range weak {
		tf[t.Term]++
	}
	return tf
}

// HasCapability reports whether the index knows a capability code (from
// the taxonomy or an organisation's declaration).
func (ix *Index) HasCapability(code string) bool {
	_, ok := ix.caps[code]
	return ok
}

// MaxNeeds is the most capabilities a query may need.
const MaxNeeds = maxNeeds

// capRelation is how much declaring code counts against a need.
func capRelation(code, need string) float32 {
	switch {
	case code == need:
		return capExact
	case strings.HasPrefix(code, need+"."):
		return capNarrower
	case strings.HasPrefix(need, code+"."):
		return capBroader
	}
	return 0
}

// gatherCapabilities gives each organisation that declares a needed
// capability (or one next to it) its capability evidence.
func (ix *Index) gatherCapabilities(p *prepared, w *work) {
	if len(p.needs) == 0 {
		return
	}
	for k, need := range p.needs {
		for _, ci := range ix.capList {
			r := capRelation(ci.Code, need)
			if r == 0 {
				continue
			}
			for _, o := range ci.orgs {
				ev := w.at(o)
				ev.candidate = true
				if ev.capSeen&(1<<uint(k)) == 0 {
					ev.capSeen |= 1 << uint(k)
					ev.capNeeds++
				}
				ev.capBest = max(ev.capBest, r)
			}
		}
	}
}

// gatherRoles makes the organisations of a practitioner role the query
// asks for candidates: the role is evidence of its own.
func (ix *Index) gatherRoles(p *prepared, w *work) {
	for _, t := range p.prefer {
		for _, o := range ix.byRole[t] {
			w.at(o).candidate = true
		}
	}
}

// capSignal is the capability evidence in [0, 1.3]: the best relation to
// a need, and a little more for each further need covered.
func capSignal(ev *evidence) float64 {
	if ev.capBest == 0 {
		return 0
	}
	return float64(ev.capBest) + capMore*float64(min(int(ev.capNeeds)-1, capMoreMax))
}

// CapabilityMatch is a declared capability that counts for a need.
type CapabilityMatch struct {
	Code string // what the organisation declares
	Need string // what the call or idea needs
}

// capabilityMatches lists an organisation's declared capabilities that
// count for the query's needs, the closest first (at most three).
func (ix *Index) capabilityMatches(p *prepared, o *orgInfo) []CapabilityMatch {
	type scored struct {
		m CapabilityMatch
		r float32
	}
	var all []scored
	for _, c := range o.Capabilities {
		var best scored
		for _, need := range p.needs {
			if r := capRelation(c.Code, need); r > best.r {
				best = scored{CapabilityMatch{c.Code, need}, r}
			}
		}
		if best.r > 0 && !slices.ContainsFunc(all, func(s scored) bool { return s.m.Code == c.Code }) {
			all = append(all, best)
		}
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		switch {
		case a.r > b.r:
			return -1
		case a.r < b.r:
			return 1
		}
		return 0
	})
	out := make([]CapabilityMatch, 0, min(3, len(all)))
	for _, s := range all[:min(3, len(all))] {
		out = append(out, s.m)
	}
	return out
}

// capLabel is a capability's label in English (else any language, else
// its code).
func (ix *Index) capLabel(code string) string {
	ci := ix.caps[code]
	if ci == nil {
		return code
	}
	if l := ci.Labels["en"]; l != "" {
		return l
	}
	for _, lang := range directory.Languages {
		if l := ci.Labels[lang]; l != "" {
			return l
		}
	}
	return code
}

// roleWords are how texts name the practitioner roles, per language: a
// call or an idea that names one needs it, as a partner type a call's
// rules ask for.
var roleWords = map[string]map[textindex.Lang][]string{
	directory.RolePolice: {textindex.English: {"police", "law enforcement"}, textindex.Dutch: {"politie"},
		textindex.French: {"police", "gendarmerie"}, textindex.German: {"Polizei", "Strafverfolgungsbehörden"}},
	directory.RoleBorderGuard: {textindex.English: {"border guard", "coast guard"}, textindex.Dutch: {"grenswacht", "kustwacht", "marechaussee"},
		textindex.French: {"garde-frontières", "garde-côtes"}, textindex.German: {"Grenzschutz", "Küstenwache"}},
	directory.RoleCustoms: {textindex.English: {"customs"}, textindex.Dutch: {"douane"}, textindex.French: {"douane"}, textindex.German: {"Zoll"}},
	directory.RoleFirstResponder: {textindex.English: {"first responder", "firefighter", "fire brigade", "rescue service"},
		textindex.Dutch: {"brandweer", "hulpdiensten"}, textindex.French: {"pompiers", "secours"}, textindex.German: {"Feuerwehr", "Rettungskräfte"}},
	directory.RoleMedicalEmergency: {textindex.English: {"emergency medical", "ambulance"}, textindex.Dutch: {"ambulancezorg"},
		textindex.French: {"aide médicale urgente"}, textindex.German: {"Rettungsdienst", "Notfallmedizin"}},
	directory.RoleCivilProtection: {textindex.English: {"civil protection"}, textindex.Dutch: {"civiele bescherming"},
		textindex.French: {"protection civile", "sécurité civile"}, textindex.German: {"Katastrophenschutz", "Bevölkerungsschutz"}},
	directory.RoleCriticalInfrastructure: {textindex.English: {"infrastructure operator"}, textindex.Dutch: {"netbeheerder"},
		textindex.French: {"opérateur d'infrastructure"}, textindex.German: {"Infrastrukturbetreiber"}},
}

// roleTerms are roleWords analysed, built once.
var roleTerms = func() map[string][][]string {
	out := map[string][][]string{}
	for role, byLang := range roleWords {
		for lang, phrases := range byLang {
			for _, ph := range phrases {
				var terms []string
				for _, t := range textindex.AnalyzeLang(ph, lang) {
					terms = append(terms, t.Term)
				}
				if len(terms) > 0 {
					out[role] = append(out[role], terms)
				}
			}
		}
	}
	return out
}()

// inferRoles are the practitioner roles the query's words name (as
// inferNeeds reads labels: once among the strong words, twice among the
// weak ones), in the order of directory.PractitionerRoles.
func inferRoles(tf map[string]int) []string {
	var out []string
	for _, role := range directory.PractitionerRoles {
		for _, terms := range roleTerms[role] {
			ok := true
			for _, t := range terms {
				if tf[t] < 2 {
					ok = false
					break
				}
			}
			if ok {
				out = append(out, role)
				break
			}
		}
	}
	return out
}
