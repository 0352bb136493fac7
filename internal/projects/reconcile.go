package projects

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/escnet/escnet/internal/cordis"
)

// The reconciliation of CORDIS participant rows with the directory: which
// rows become which organisations, which organisations change, which
// participations are new, updated or unchanged. PlanBatch computes it
// from a snapshot the store reads (BatchSnapshot); the store writes the
// plan (BatchPlan) in the batch's transaction.

// ContentHash is a short digest of a record's canonical JSON: an import
// compares it with the stored one and writes only what differs.
func ContentHash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs of strings and numbers always encode
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:12])
}

// SourceRank orders the rows that describe one organisation: newer
// exports (contentUpdateDate) first, then later projects (CORDIS numbers
// projects in time order); "#" sorts before the digits of a date, so a
// row without a date ranks below any dated one. The organisation's fields
// follow its highest-ranked row, whatever the order of the files, so a
// second import changes nothing.
func SourceRank(p *cordis.Participation) string {
	return p.Updated + "#" + strings.Repeat("0", max(0, 12-len(p.ProjectID))) + p.ProjectID
}

// participationHash is what a stored participation is compared on.
type participationHash struct {
	Role       string
	EU         cordis.Amount
	Terminated bool
	Order      int
	Updated    string
}

// DirOrg is a directory organisation as an import sees it.
type DirOrg struct {
	ID, Slug, Description, PIC string
	Fields                     OrgFields // Fields.VAT is the vat column
	New, Changed               bool
}

// CordisState is what CORDIS said last about a participant (its
// cordis_organisations row) and the directory organisation it belongs to.
type CordisState struct {
	OrgID string
	Prev  OrgFields
	Rank  string
	Hash  string
}

// StoredParticipation is what is stored of a participation.
type StoredParticipation struct{ Updated, Hash string }

// BatchSnapshot is what the store reads for a batch of participant rows.
type BatchSnapshot struct {
	Known  map[string]bool                // projects stored
	States map[string]CordisState         // by PIC
	Orgs   []DirOrg                       // the directory organisations involved
	Merged map[string]string              // PICs merged into an organisation → its id
	Slugs  map[string]bool                // slugs taken
	Stored map[string]StoredParticipation // by project id + "\x00" + PIC
}

// CordisRow is a cordis_organisations row to write.
type CordisRow struct {
	PIC, OrgID string
	Fields     OrgFields
	Rank, Hash string
}

// Identifier is an organisation_identifiers row to add.
type Identifier struct{ Scheme, Value, OrgID, Source string }

// ParticipationRow is a participation to write.
type ParticipationRow struct {
	P      *cordis.Participation
	OrgID  string
	Hash   string
	Exists bool // stored already: an update
}

// BatchPlan is what storing a batch writes.
type BatchPlan struct {
	NewOrgs        []*DirOrg
	ChangedOrgs    []*DirOrg
	Cordis         []CordisRow
	Identifiers    []Identifier
	Participations []ParticipationRow
	Result         BatchResult
}

// Empty reports whether the plan writes nothing.
func (p BatchPlan) Empty() bool {
	return len(p.NewOrgs)+len(p.ChangedOrgs)+len(p.Cordis)+len(p.Identifiers)+len(p.Participations) == 0
}

// picState is what is known about one CORDIS participant during a batch.
type picState struct {
	org   *DirOrg
	prev  OrgFields
	rank  string
	hash  string
	dirty bool // the cordis_organisations row must be written
}

type planner struct {
	states    map[string]*picState
	orgs      map[string]*DirOrg
	vatHolder map[string]string    // vat column value → organisation id
	byPIC     map[string]*DirOrg   // by their pic column
	byVAT     map[string][]*DirOrg // by their vat column
	merged    map[string]string
	slugs     map[string]bool
	idents    []Identifier
	newID     func() string
	res       *BatchResult
}

// remember keeps one copy of each directory organisation.
func (pl *planner) remember(d *DirOrg) *DirOrg {
	if have, ok := pl.orgs[d.ID]; ok {
		return have
	}
	pl.orgs[d.ID] = d
	if d.PIC != "" {
		pl.byPIC[d.PIC] = d
	}
	if d.Fields.VAT != "" {
		pl.vatHolder[d.Fields.VAT] = d.ID
		pl.byVAT[d.Fields.VAT] = append(pl.byVAT[d.Fields.VAT], d)
	}
	return d
}

// PlanBatch reconciles a batch of participant rows with what is stored:
// each participant's directory organisation is found (by PIC, by a PIC
// merged into it, then by VAT number for an organisation entered without
// a PIC) or created; a newer export updates the fields not changed by
// hand; participations are new, updated or unchanged. Rows whose project
// is not stored are listed in Result.MissingProject and change nothing.
// newID makes the ids of new organisations.
func PlanBatch(batch []cordis.Participation, s BatchSnapshot, newID func() string) BatchPlan {
	var plan BatchPlan
	pl := &planner{states: map[string]*picState{}, orgs: map[string]*DirOrg{}, vatHolder: map[string]string{},
		byPIC: map[string]*DirOrg{}, byVAT: map[string][]*DirOrg{}, merged: s.Merged, slugs: map[string]bool{},
		newID: newID, res: &plan.Result}
	for k := range s.Slugs {
		pl.slugs[k] = true
	}
	for i := range s.Orgs {
		d := s.Orgs[i]
		pl.remember(&d)
	}
	for pic, st := range s.States {
		if d := pl.orgs[st.OrgID]; d != nil {
			pl.states[pic] = &picState{org: d, prev: st.Prev, rank: st.Rank, hash: st.Hash}
		}
	}
	var pics []string
	seenPIC := map[string]bool{}
	stored := map[string]StoredParticipation{}
	for k, v := range s.Stored {
		stored[k] = v
	}
	parts := map[string]int{} // key → index in plan.Participations
	for i := range batch {
		p := &batch[i]
		if !s.Known[p.ProjectID] {
			plan.Result.MissingProject = append(plan.Result.MissingProject, i)
			continue
		}
		if !seenPIC[p.PIC] {
			seenPIC[p.PIC] = true
			pics = append(pics, p.PIC)
		}
		st := pl.participant(p)
		key := p.ProjectID + "\x00" + p.PIC
		ph := ContentHash(participationHash{p.Role, p.EUContribution, p.Terminated, p.Order, p.Updated})
		old, exists := stored[key]
		if exists && (p.Updated < old.Updated || old.Hash == ph) {
			plan.Result.Participations.Unchanged++
			continue
		}
		row := ParticipationRow{P: p, OrgID: st.org.ID, Hash: ph, Exists: exists}
		if j, seen := parts[key]; seen {
			row.Exists = plan.Participations[j].Exists // the same row twice in a batch: the later wins
			plan.Participations[j] = row
		} else {
			parts[key] = len(plan.Participations)
			plan.Participations = append(plan.Participations, row)
		}
		stored[key] = StoredParticipation{p.Updated, ph}
	}
	pl.finish(&plan, pics)
	return plan
}

// participant returns the state of p's participant, bringing a newer
// record of it to its organisation.
func (pl *planner) participant(p *cordis.Participation) *picState {
	next := FieldsFromCORDIS(p)
	rank, h := SourceRank(p), ContentHash(next)
	st := pl.states[p.PIC]
	switch {
	case st == nil:
		st = pl.resolve(p, next, rank, h)
		pl.states[p.PIC] = st
	case rank > st.rank || rank == st.rank && h != st.hash:
		if h != st.hash {
			pl.apply(st.org, st.prev, next)
			st.prev, st.hash = next, h
		}
		st.rank, st.dirty = rank, true
	}
	return st
}

// finish lists the organisations and CORDIS records to write, in the
// order of the batch's participants, and counts them.
func (pl *planner) finish(plan *BatchPlan, pics []string) {
	for _, pic := range pics {
		st := pl.states[pic]
		d := st.org
		switch {
		case d.New:
			plan.NewOrgs = append(plan.NewOrgs, d)
			plan.Result.Organisations.New++
		case d.Changed:
			plan.ChangedOrgs = append(plan.ChangedOrgs, d)
			plan.Result.Organisations.Updated++
		}
		d.New, d.Changed = false, false // written once even if several PICs share it
	}
	for _, pic := range pics {
		if st := pl.states[pic]; st.dirty {
			plan.Cordis = append(plan.Cordis, CordisRow{PIC: pic, OrgID: st.org.ID, Fields: st.prev, Rank: st.rank, Hash: st.hash})
		}
	}
	plan.Identifiers = pl.idents
	for _, pr := range plan.Participations {
		if pr.Exists {
			plan.Result.Participations.Updated++
		} else {
			plan.Result.Participations.New++
		}
	}
}

// resolve finds the directory organisation of a participant seen for the
// first time: one that holds its PIC, one it was merged into, or one
// entered without a PIC that holds its VAT number; else a new one. A VAT
// number held by an organisation with another PIC does not link: the PIC
// is CORDIS's identity of a legal entity, so the pair becomes a merge
// candidate for an administrator instead.
func (pl *planner) resolve(p *cordis.Participation, next OrgFields, rank, h string) *picState {
	st := &picState{prev: next, rank: rank, hash: h, dirty: true}
	var d *DirOrg
	switch {
	case pl.byPIC[p.PIC] != nil:
		d = pl.byPIC[p.PIC]
	case pl.merged[p.PIC] != "" && pl.orgs[pl.merged[p.PIC]] != nil:
		d = pl.orgs[pl.merged[p.PIC]]
	case p.VAT != "":
		for _, cand := range pl.byVAT[p.VAT] {
			if cand.PIC == "" {
				d = cand
				break
			}
		}
	}
	if d != nil {
		pl.res.Linked++
		if d.PIC == "" {
			d.PIC = p.PIC
			pl.byPIC[p.PIC] = d
			d.Changed = !d.New
		}
		st.org = d
		pl.apply(d, OrgFields{}, next) // a zero previous record: fills the empty fields
		return st
	}
	d = &DirOrg{ID: pl.newID(), PIC: p.PIC, New: true}
	for _, s := range SlugCandidates(next.Name, p.PIC) {
		if !pl.slugs[s] {
			d.Slug = s
			break
		}
	}
	if d.Slug == "" {
		d.Slug = Slug(next.Name) + "-" + p.PIC + "-" + d.ID[len(d.ID)-6:]
	}
	pl.slugs[d.Slug] = true
	d.Fields = next
	pl.fitVAT(d)
	pl.orgs[d.ID] = d
	pl.byPIC[p.PIC] = d
	st.org = d
	return st
}

// apply brings a newer CORDIS record (next, after prev) to a directory
// organisation, keeping the fields changed by hand.
func (pl *planner) apply(d *DirOrg, prev, next OrgFields) {
	before := d.Fields
	d.Fields = Reconcile(d.Fields, prev, next)
	if d.Fields.VAT != before.VAT {
		pl.fitVAT(d)
	}
	if d.Fields != before && !d.New {
		d.Changed = true
	}
}

// fitVAT keeps the unique vat column for the first organisation with a
// VAT number; another organisation with the same number gets it as an
// extra identifier (and the pair becomes a merge candidate).
func (pl *planner) fitVAT(d *DirOrg) {
	v := d.Fields.VAT
	if v == "" {
		return
	}
	if holder, ok := pl.vatHolder[v]; ok && holder != d.ID {
		d.Fields.VAT = ""
		pl.idents = append(pl.idents, Identifier{"vat", v, d.ID, "cordis"})
		return
	}
	pl.vatHolder[v] = d.ID
}
