package projects

import (
	"cmp"
	"slices"
	"strings"
)

// Linking the directory's organisations to their CORDIS records: which
// organisation is "entered" (a member of a cluster, or entered by hand)
// and which is known only from CORDIS, and the links and candidates the
// linker finds between them. Pure; the service applies the plan with
// merges (a link is a merge of the CORDIS-only organisation into the
// entered one: audited, undoable, the entered one keeps its slug).

// LinkKey is what linking reads of a directory organisation.
type LinkKey struct {
	LinkRecord
	Member   bool     // in at least one cluster
	CORDIS   bool     // holds a CORDIS record (cordis_organisations)
	Clusters []string // ids of its clusters
	VATs     []string // its VAT numbers, the column's and recorded ones
}

// Entered reports whether k is an organisation of the directory's own: a
// member, or entered by hand (not created by an import).
func (k LinkKey) Entered() bool { return k.Member || !k.CORDIS }

// OnlyCORDIS reports whether k is known only from EU records.
func (k LinkKey) OnlyCORDIS() bool { return k.CORDIS && !k.Member }

// Ref is k as an OrgRef.
func (k LinkKey) Ref() OrgRef {
	return OrgRef{ID: k.ID, Slug: k.Slug, Name: k.Name, Country: normCountry(k.Country), City: k.City, PIC: k.PIC, VAT: k.VAT}
}

// PlannedLink is an entered organisation, a CORDIS-only one, and the
// evidence that they are one.
type PlannedLink struct {
	Entered  OrgRef       `json:"organisation"`
	Record   OrgRef       `json:"record"`
	Evidence LinkEvidence `json:"evidence"`
}

// PlanLinks compares entered organisations (all of them, or those whose
// ids are in only) with the CORDIS-only ones of their country and returns
// the automatic links and the candidates, strongest first. A record two
// entered organisations claim as strongly is a candidate of both, linked
// to neither; pairs in skip (marked distinct, or a link undone) are left
// out.
func PlanLinks(keys []LinkKey, skip map[[2]string]bool, only map[string]bool) (links, candidates []PlannedLink) {
	var records []LinkRecord
	byCountry := map[string][]int{}
	for i, k := range keys {
		if k.OnlyCORDIS() {
			records = append(records, k.LinkRecord)
			c := normCountry(k.Country)
			byCountry[c] = append(byCountry[c], i)
		}
	}
	corpus := NewLinkCorpus(records)
	cache := map[int]analysed{}        // the records' names, read once
	best := map[string][]PlannedLink{} // record id → its strongest automatic links
	for _, e := range keys {
		if !e.Entered() || only != nil && !only[e.ID] {
			continue
		}
		c := normCountry(e.Country)
		if c == "" {
			continue
		}
		entered := e.LinkRecord
		if len(e.VATs) > 0 && entered.VAT == "" {
			entered.VAT = e.VATs[0]
		}
		ne := analyse(entered)
		for _, j := range byCountry[c] {
			r := keys[j]
			if r.ID == e.ID || skip[pairKey(e.ID, r.ID)] {
				continue
			}
			ev := corpus.compare(entered, r.LinkRecord, func() (analysed, analysed) {
				nr, ok := cache[j]
				if !ok {
					nr = analyse(r.LinkRecord)
					cache[j] = nr
				}
				return ne, nr
			})
			ev.Reasons = sortEvidence(ev.Reasons)
			pl := PlannedLink{Entered: e.Ref(), Record: r.Ref(), Evidence: ev}
			switch ev.Verdict {
			case LinkAuto:
				best[r.ID] = append(best[r.ID], pl)
			case LinkCandidate:
				candidates = append(candidates, pl)
			}
		}
	}
	ids := mapsKeys(best)
	slices.Sort(ids)
	for _, id := range ids {
		ls := best[id]
		slices.SortFunc(ls, func(x, y PlannedLink) int { return cmp.Compare(y.Evidence.Score, x.Evidence.Score) })
		if len(ls) > 1 && ls[0].Evidence.Score == ls[1].Evidence.Score {
			for _, l := range ls {
				l.Evidence.Verdict = LinkCandidate
				candidates = append(candidates, l)
			}
			continue
		}
		links = append(links, ls[0])
		for _, l := range ls[1:] {
			l.Evidence.Verdict = LinkCandidate
			candidates = append(candidates, l)
		}
	}
	order := func(x, y PlannedLink) int {
		return cmp.Or(cmp.Compare(y.Evidence.Score, x.Evidence.Score), cmp.Compare(strings.ToLower(x.Entered.Name), strings.ToLower(y.Entered.Name)),
			cmp.Compare(x.Record.ID, y.Record.ID))
	}
	slices.SortFunc(links, order)
	slices.SortFunc(candidates, order)
	return links, candidates
}

func mapsKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// MatchEntry returns the CORDIS-only organisations an organisation about
// to be entered may be (verdict link or candidate), strongest first, at
// most limit: the offer to claim a record instead of creating a twin.
func MatchEntry(keys []LinkKey, entry LinkRecord, limit int) []PlannedLink {
	var records []LinkRecord
	for _, k := range keys {
		if k.OnlyCORDIS() {
			records = append(records, k.LinkRecord)
		}
	}
	corpus := NewLinkCorpus(records)
	var out []PlannedLink
	for _, k := range keys {
		if !k.OnlyCORDIS() {
			continue
		}
		ev := corpus.Compare(entry, k.LinkRecord)
		if ev.Verdict == LinkNone {
			continue
		}
		ev.Reasons = sortEvidence(ev.Reasons)
		out = append(out, PlannedLink{Entered: OrgRef{Name: entry.Name, Country: normCountry(entry.Country), City: entry.City}, Record: k.Ref(), Evidence: ev})
	}
	slices.SortStableFunc(out, func(x, y PlannedLink) int {
		return cmp.Or(cmp.Compare(y.Evidence.Score, x.Evidence.Score), cmp.Compare(x.Record.Name, y.Record.Name))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
