package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
)

var _ projects.Store = (*DB)(nil)

// contentHash is a short digest of a record's canonical JSON: an import
// compares it with the stored one and writes only what differs.
func contentHash(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // plain structs of strings and numbers always encode
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:12])
}

func cents(a cordis.Amount) any {
	if !a.Known {
		return nil
	}
	return a.Cents
}

// maxParams keeps multi-row statements under the engines' limits on bound
// parameters (SQLite 32766, PostgreSQL 65535).
const maxParams = 30000

// insertRows runs one multi-row INSERT per chunk of rows, with suffix
// (e.g. an ON CONFLICT clause) after the values. On SQLite the values are
// bound to plain "?" placeholders: SQLite looks "$n" names up in a list,
// which makes a statement with thousands of them quadratic to prepare.
func insertRows(ctx context.Context, tx *Tx, table string, cols []string, rows [][]any, suffix string) error {
	anon := tx.db.Engine() == store.SQLite
	per := max(1, maxParams/len(cols))
	for start := 0; start < len(rows); start += per {
		chunk := rows[start:min(len(rows), start+per)]
		var b strings.Builder
		args := make([]any, 0, len(chunk)*len(cols))
		fmt.Fprintf(&b, "INSERT INTO %s (%s) VALUES ", table, strings.Join(cols, ", "))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j, v := range r {
				if j > 0 {
					b.WriteString(", ")
				}
				args = append(args, v)
				if anon {
					b.WriteByte('?')
				} else {
					b.WriteString("$" + strconv.Itoa(len(args)))
				}
			}
			b.WriteByte(')')
		}
		b.WriteString(suffix)
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
	}
	return nil
}

// upsertSuffix updates every column but the key and created_at on
// conflict; both engines accept this form.
func upsertSuffix(key string, cols []string) string {
	var set []string
	for _, c := range cols {
		if !strings.Contains(","+key+",", ","+c+",") && c != "created_at" {
			set = append(set, c+" = excluded."+c)
		}
	}
	return " ON CONFLICT (" + key + ") DO UPDATE SET " + strings.Join(set, ", ")
}

// change is one entry for the change feed and the audit log.
type change struct {
	entity, id, op, detail string
}

// changeMany appends entries to the change feed and the audit log in a few
// statements, as tx.Change does one at a time.
func (tx *Tx) changeMany(ctx context.Context, cs []change) error {
	if len(cs) == 0 {
		return nil
	}
	at := now()
	a := audit.ActorFrom(ctx)
	feed := make([][]any, len(cs))
	log := make([][]any, len(cs))
	for i, c := range cs {
		feed[i] = []any{c.entity, c.id, c.op, at}
		log[i] = []any{at, a.UserID, a.Label, a.IP, a.RequestID, c.entity + "." + c.op, c.entity, c.id, c.detail}
	}
	if err := insertRows(ctx, tx, "changes", []string{"entity", "entity_id", "op", "at"}, feed, ""); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, "audit_log", []string{"at", "actor_id", "actor_label", "ip", "request_id", "action", "entity", "entity_id", "detail"}, log, ""); err != nil {
		return err
	}
	tx.changed = true
	return nil
}

func saveCheckpoint(ctx context.Context, tx *Tx, cp projects.Checkpoint) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO import_files (hash, name, layout, line, done, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (hash) DO UPDATE SET name = excluded.name, layout = excluded.layout, line = excluded.line, done = excluded.done, updated_at = excluded.updated_at`,
		cp.Hash, cp.Name, cp.Layout, cp.Line, cp.Done, now())
	return err
}

// params builds the parameters of an import statement: "$n" as
// everywhere, or on SQLite plain "?" (see insertRows) for the long IN
// lists of a batch.
type params struct {
	anon bool
	args []any
}

func newParams(tx *Tx) *params { return &params{anon: tx.db.Engine() == store.SQLite} }

// list adds values and returns their placeholders, comma-separated.
func (p *params) list(values []string) string {
	var b strings.Builder
	for i, v := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		p.args = append(p.args, v)
		if p.anon {
			b.WriteByte('?')
		} else {
			b.WriteString("$" + strconv.Itoa(len(p.args)))
		}
	}
	return b.String()
}

// queryKeys runs q (with one %s for an IN list) over keys and scans each
// row with scan.
func queryKeys(ctx context.Context, tx *Tx, q string, keys []string, scan func(*sql.Rows) error) error {
	if len(keys) == 0 {
		return nil
	}
	w := newParams(tx)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(q, w.list(keys)), w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func distinctKeys[T any](items []T, key func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		if k := key(it); !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

// lastOf returns the indexes of the last occurrence of each key, in order:
// within one batch the later row wins.
func lastOf[T any](items []T, key func(T) string) []int {
	last := map[string]int{}
	for i, it := range items {
		last[key(it)] = i
	}
	var out []int
	for i, it := range items {
		if last[key(it)] == i {
			out = append(out, i)
		}
	}
	return out
}

type stored struct {
	updated, hash string
}

// ImportTopics stores topic titles; an unchanged topic writes nothing.
func (db *DB) ImportTopics(ctx context.Context, batch []cordis.Topic, cp projects.Checkpoint) (projects.Counts, error) {
	var res projects.Counts
	err := db.Transact(ctx, func(tx *Tx) error {
		res = projects.Counts{}
		have := map[string]string{}
		codes := distinctKeys(batch, func(t cordis.Topic) string { return t.Code })
		if err := queryKeys(ctx, tx, `SELECT code, content_hash FROM topics WHERE code IN (%s)`, codes, func(r *sql.Rows) error {
			var c, h string
			err := r.Scan(&c, &h)
			have[c] = h
			return err
		}); err != nil {
			return err
		}
		cols := []string{"code", "title", "call_name", "work_programme", "content_hash", "created_at", "updated_at"}
		var rows [][]any
		var cs []change
		t := now()
		for _, i := range lastOf(batch, func(t cordis.Topic) string { return t.Code }) {
			tp := batch[i]
			h := contentHash(tp)
			old, ok := have[tp.Code]
			switch {
			case ok && old == h:
				res.Unchanged++
				continue
			case ok:
				res.Updated++
				cs = append(cs, change{"topic", tp.Code, "update", ""})
			default:
				res.New++
				cs = append(cs, change{"topic", tp.Code, "create", ""})
			}
			rows = append(rows, []any{tp.Code, tp.Title, tp.CallName, tp.WorkProgramme, h, t, t})
		}
		if len(rows) == 0 {
			return nil
		}
		if err := insertRows(ctx, tx, "topics", cols, rows, upsertSuffix("code", cols)); err != nil {
			return err
		}
		if err := tx.changeMany(ctx, cs); err != nil {
			return err
		}
		return saveCheckpoint(ctx, tx, cp)
	})
	return res, db.mapError(err)
}

// ImportProjects stores projects with their topics and subjects. A project
// whose export is older than the stored one, or that did not change, is
// left alone.
func (db *DB) ImportProjects(ctx context.Context, batch []cordis.Project, cp projects.Checkpoint) (projects.Counts, error) {
	var res projects.Counts
	err := db.Transact(ctx, func(tx *Tx) error {
		res = projects.Counts{}
		have := map[string]stored{}
		ids := distinctKeys(batch, func(p cordis.Project) string { return p.ID })
		if err := queryKeys(ctx, tx, `SELECT id, source_updated, content_hash FROM projects WHERE id IN (%s)`, ids, func(r *sql.Rows) error {
			var id string
			var s stored
			err := r.Scan(&id, &s.updated, &s.hash)
			have[id] = s
			return err
		}); err != nil {
			return err
		}
		cols := []string{"id", "rcn", "acronym", "title", "sort_key", "search_text", "objective", "status", "framework", "programmes",
			"call_id", "funding_scheme", "start_date", "end_date", "website", "total_cost_cents", "eu_contribution_cents",
			"source_updated", "content_hash", "created_at", "updated_at"}
		var rows, topics, subjects [][]any
		var changedIDs []string
		var cs []change
		t := now()
		for _, i := range lastOf(batch, func(p cordis.Project) string { return p.ID }) {
			p := batch[i]
			h := contentHash(p)
			old, ok := have[p.ID]
			switch {
			case ok && (p.Updated < old.updated || old.hash == h):
				res.Unchanged++
				continue
			case ok:
				res.Updated++
				cs = append(cs, change{"project", p.ID, "update", ""})
			default:
				res.New++
				cs = append(cs, change{"project", p.ID, "create", ""})
			}
			search := directory.SearchText(p.Acronym, p.Title, p.ID, p.Call, strings.Join(p.Topics, " "), strings.Join(p.Programmes, " "))
			rows = append(rows, []any{p.ID, p.RCN, p.Acronym, p.Title, directory.Fold(p.Acronym), search, p.Objective, p.Status, p.Framework,
				strings.Join(p.Programmes, ";"), p.Call, p.FundingScheme, p.StartDate, p.EndDate, p.Website, cents(p.TotalCost), cents(p.EUMax),
				p.Updated, h, t, t})
			changedIDs = append(changedIDs, p.ID)
			for j, c := range p.Topics {
				topics = append(topics, []any{p.ID, c, j})
			}
			for j, s := range p.Subjects {
				subjects = append(subjects, []any{p.ID, s, j})
			}
		}
		if len(rows) == 0 {
			return nil
		}
		if err := insertRows(ctx, tx, "projects", cols, rows, upsertSuffix("id", cols)); err != nil {
			return err
		}
		w := newParams(tx)
		in := w.list(changedIDs)
		for _, table := range []string{"project_topics", "project_subjects"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE project_id IN (`+in+`)`, w.args...); err != nil {
				return err
			}
		}
		if err := insertRows(ctx, tx, "project_topics", []string{"project_id", "code", "position"}, topics, ""); err != nil {
			return err
		}
		if err := insertRows(ctx, tx, "project_subjects", []string{"project_id", "subject", "position"}, subjects, ""); err != nil {
			return err
		}
		if err := tx.changeMany(ctx, cs); err != nil {
			return err
		}
		return saveCheckpoint(ctx, tx, cp)
	})
	return res, db.mapError(err)
}

// dirOrg is a directory organisation as an import sees it.
type dirOrg struct {
	id, slug, description, pic string
	f                          projects.OrgFields // f.VAT is the vat column
	isNew, changed             bool
}

// picState is what is known about one CORDIS participant during a batch.
type picState struct {
	org    *dirOrg
	prev   projects.OrgFields // what CORDIS said last
	rank   string
	hash   string
	stored bool // a cordis_organisations row exists
	dirty  bool // the cordis_organisations row must be written
}

// sourceRank orders the rows that describe one organisation: newer exports
// (contentUpdateDate) first, then later projects (CORDIS numbers projects
// in time order); "#" sorts before the digits of a date, so a row without
// a date ranks below any dated one. The organisation's fields follow its
// highest-ranked row,
// whatever the order of the files, so a second import changes nothing.
func sourceRank(p *cordis.Participation) string {
	return p.Updated + "#" + strings.Repeat("0", max(0, 12-len(p.ProjectID))) + p.ProjectID
}

type participationHash struct {
	Role       string
	EU         cordis.Amount
	Terminated bool
	Order      int
	Updated    string
}

// ImportParticipations stores a batch of organisation rows: it finds or
// creates each participant's directory organisation (by PIC, then by VAT
// number for an organisation entered without a PIC), updates what a newer
// export says, and stores the participations. Rows whose project is not
// stored are returned in MissingProject and change nothing.
func (db *DB) ImportParticipations(ctx context.Context, batch []cordis.Participation, cp projects.Checkpoint) (projects.BatchResult, error) {
	var res projects.BatchResult
	err := db.Transact(ctx, func(tx *Tx) error {
		res = projects.BatchResult{}
		imp := &partImport{tx: tx, states: map[string]*picState{}, orgs: map[string]*dirOrg{}, vatHolder: map[string]string{},
			byPIC: map[string]*dirOrg{}, byVAT: map[string][]*dirOrg{}, identPIC: map[string]string{}, slugs: map[string]bool{}}
		return imp.run(ctx, batch, cp, &res)
	})
	return res, db.mapError(err)
}

type partImport struct {
	tx        *Tx
	states    map[string]*picState // by PIC
	orgs      map[string]*dirOrg   // by organisation id
	vatHolder map[string]string    // vat column value → organisation id
	byPIC     map[string]*dirOrg   // directory organisations by their pic column
	byVAT     map[string][]*dirOrg // ... and by their vat column
	identPIC  map[string]string    // merged-in PICs → organisation id
	slugs     map[string]bool      // slugs taken
	idents    [][]any              // identifiers to add
}

const orgFieldCols = `o.id, o.slug, o.description, COALESCE(o.pic, ''), COALESCE(o.vat, ''), o.name, o.short_name, o.kind, o.sme, o.country, o.city, o.website`

func scanDirOrg(r interface{ Scan(...any) error }) (*dirOrg, error) {
	d := &dirOrg{}
	err := r.Scan(&d.id, &d.slug, &d.description, &d.pic, &d.f.VAT, &d.f.Name, &d.f.ShortName, &d.f.Kind, &d.f.SME, &d.f.Country, &d.f.City, &d.f.Website)
	return d, err
}

// remember keeps one copy of each directory organisation.
func (imp *partImport) remember(d *dirOrg) *dirOrg {
	if have, ok := imp.orgs[d.id]; ok {
		return have
	}
	imp.orgs[d.id] = d
	if d.pic != "" {
		imp.byPIC[d.pic] = d
	}
	if d.f.VAT != "" {
		imp.vatHolder[d.f.VAT] = d.id
		imp.byVAT[d.f.VAT] = append(imp.byVAT[d.f.VAT], d)
	}
	return d
}

func (imp *partImport) run(ctx context.Context, batch []cordis.Participation, cp projects.Checkpoint, res *projects.BatchResult) error {
	tx := imp.tx
	// Which projects exist.
	known := map[string]bool{}
	pids := distinctKeys(batch, func(p cordis.Participation) string { return p.ProjectID })
	if err := queryKeys(ctx, tx, `SELECT id FROM projects WHERE id IN (%s)`, pids, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		known[id] = true
		return err
	}); err != nil {
		return err
	}
	var rows []int
	for i := range batch {
		if known[batch[i].ProjectID] {
			rows = append(rows, i)
		} else {
			res.MissingProject = append(res.MissingProject, i)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	pics := distinctKeys(rows, func(i int) string { return batch[i].PIC })

	// What CORDIS said before about these participants, with their
	// directory organisations.
	if err := queryKeys(ctx, tx, `SELECT c.pic, c.name, c.short_name, c.kind, c.sme, c.country, c.city, c.website, c.vat, c.source_rank, c.content_hash, `+orgFieldCols+`
		FROM cordis_organisations c JOIN organisations o ON o.id = c.organisation_id WHERE c.pic IN (%s)`, pics, func(r *sql.Rows) error {
		st := &picState{stored: true}
		d := &dirOrg{}
		var pic string
		err := r.Scan(&pic, &st.prev.Name, &st.prev.ShortName, &st.prev.Kind, &st.prev.SME, &st.prev.Country, &st.prev.City, &st.prev.Website, &st.prev.VAT,
			&st.rank, &st.hash, &d.id, &d.slug, &d.description, &d.pic, &d.f.VAT, &d.f.Name, &d.f.ShortName, &d.f.Kind, &d.f.SME, &d.f.Country, &d.f.City, &d.f.Website)
		st.org = d
		imp.states[pic] = st
		return err
	}); err != nil {
		return err
	}
	for _, st := range imp.states {
		st.org = imp.remember(st.org)
	}

	// Directory organisations that hold the new participants' PICs or VAT
	// numbers, and PICs merged into an organisation.
	var newPICs, vats []string
	for _, i := range rows {
		p := &batch[i]
		if imp.states[p.PIC] == nil {
			newPICs = append(newPICs, p.PIC)
		}
		// Holders of every VAT number in the batch: a new one must not
		// take a number another organisation holds.
		if p.VAT != "" {
			vats = append(vats, p.VAT)
		}
	}
	same := func(s string) string { return s }
	newPICs, vats = distinctKeys(newPICs, same), distinctKeys(vats, same)
	if len(newPICs)+len(vats) > 0 {
		// Two queries, not one with OR: each uses its column's index.
		for _, q := range []struct {
			col  string
			keys []string
		}{{"pic", newPICs}, {"vat", vats}} {
			if err := queryKeys(ctx, tx, `SELECT `+orgFieldCols+` FROM organisations o WHERE o.`+q.col+` IN (%s)`, q.keys, func(r *sql.Rows) error {
				d, err := scanDirOrg(r)
				if err == nil {
					imp.remember(d)
				}
				return err
			}); err != nil {
				return err
			}
		}
		var mergedInto []string
		if err := queryKeys(ctx, tx, `SELECT value, organisation_id FROM organisation_identifiers WHERE scheme = 'pic' AND value IN (%s)`, newPICs, func(r *sql.Rows) error {
			var pic, id string
			err := r.Scan(&pic, &id)
			imp.identPIC[pic] = id
			mergedInto = append(mergedInto, id)
			return err
		}); err != nil {
			return err
		}
		if err := queryKeys(ctx, tx, `SELECT `+orgFieldCols+` FROM organisations o WHERE o.id IN (%s)`, mergedInto, func(r *sql.Rows) error {
			d, err := scanDirOrg(r)
			if err == nil {
				imp.remember(d)
			}
			return err
		}); err != nil {
			return err
		}
		// Slugs that new organisations might take.
		var cands []string
		for _, i := range rows {
			p := &batch[i]
			if imp.states[p.PIC] == nil {
				cands = append(cands, projects.SlugCandidates(p.Name, p.PIC)...)
			}
		}
		if err := queryKeys(ctx, tx, `SELECT slug FROM organisations WHERE slug IN (%s)`, distinctKeys(cands, func(s string) string { return s }), func(r *sql.Rows) error {
			var s string
			err := r.Scan(&s)
			imp.slugs[s] = true
			return err
		}); err != nil {
			return err
		}
	}

	// Participations already stored.
	have := map[string]stored{}
	{
		w := newParams(tx)
		q := `SELECT project_id, pic, source_updated, content_hash FROM participations WHERE project_id IN (` + w.list(pids) + `)`
		q += ` AND pic IN (` + w.list(pics) + `)`
		r, err := tx.QueryContext(ctx, q, w.args...)
		if err != nil {
			return err
		}
		for r.Next() {
			var pid, pic string
			var s stored
			if err := r.Scan(&pid, &pic, &s.updated, &s.hash); err != nil {
				r.Close()
				return err
			}
			have[pid+"\x00"+pic] = s
		}
		r.Close()
		if err := r.Err(); err != nil {
			return err
		}
	}

	// Row by row, in file order.
	type partRow struct {
		p      *cordis.Participation
		org    string
		hash   string
		exists bool
	}
	parts := map[string]*partRow{}
	var partOrder []string
	for _, i := range rows {
		p := &batch[i]
		next := projects.FieldsFromCORDIS(p)
		rank, h := sourceRank(p), contentHash(next)
		st := imp.states[p.PIC]
		switch {
		case st == nil:
			st = imp.resolve(p, next, rank, h, res)
			imp.states[p.PIC] = st
		case rank > st.rank || rank == st.rank && h != st.hash:
			if h != st.hash {
				imp.apply(st.org, st.prev, next)
				st.prev, st.hash = next, h
			}
			st.rank, st.dirty = rank, true
		}

		key := p.ProjectID + "\x00" + p.PIC
		ph := contentHash(participationHash{p.Role, p.EUContribution, p.Terminated, p.Order, p.Updated})
		old, exists := have[key]
		if exists && (p.Updated < old.updated || old.hash == ph) {
			res.Participations.Unchanged++
			continue
		}
		if prior, seen := parts[key]; seen {
			exists = prior.exists // the same row twice in a batch: the later wins
		} else {
			partOrder = append(partOrder, key)
		}
		parts[key] = &partRow{p: p, org: st.org.id, hash: ph, exists: exists}
		have[key] = stored{p.Updated, ph}
	}

	// Write organisations: new ones, changed ones, what CORDIS said.
	t := now()
	var cs []change
	orgCols := []string{"id", "slug", "name", "short_name", "sort_key", "search_text", "kind", "sme", "country", "city", "website", "pic", "vat", "description", "created_at", "updated_at"}
	var newOrgs [][]any
	for _, pic := range pics {
		st := imp.states[pic]
		if st == nil || st.org.id == "" {
			continue
		}
		d := st.org
		switch {
		case d.isNew:
			newOrgs = append(newOrgs, []any{d.id, d.slug, d.f.Name, d.f.ShortName, directory.Fold(d.f.Name), searchText(d), d.f.Kind, d.f.SME,
				d.f.Country, d.f.City, d.f.Website, nullable(d.pic), nullable(d.f.VAT), "", t, t})
			cs = append(cs, change{"organisation", d.id, "create", "cordis pic " + d.pic})
			res.Organisations.New++
		case d.changed:
			_, err := tx.ExecContext(ctx, `UPDATE organisations SET name = $2, short_name = $3, sort_key = $4, search_text = $5, kind = $6, sme = $7,
				country = $8, city = $9, website = $10, pic = $11, vat = $12, updated_at = $13 WHERE id = $1`,
				d.id, d.f.Name, d.f.ShortName, directory.Fold(d.f.Name), searchText(d), d.f.Kind, d.f.SME, d.f.Country, d.f.City, d.f.Website,
				nullable(d.pic), nullable(d.f.VAT), t)
			if err != nil {
				return err
			}
			cs = append(cs, change{"organisation", d.id, "update", "cordis pic " + pic})
			res.Organisations.Updated++
		}
		d.isNew, d.changed = false, false // written once even if several PICs share it
	}
	if err := insertRows(ctx, tx, "organisations", orgCols, newOrgs, ""); err != nil {
		return err
	}
	cordisCols := []string{"pic", "organisation_id", "name", "short_name", "kind", "sme", "country", "city", "website", "vat", "source_rank", "content_hash", "created_at", "updated_at"}
	var cordisRows [][]any
	for _, pic := range pics {
		st := imp.states[pic]
		if st == nil || !st.dirty {
			continue
		}
		f := st.prev
		cordisRows = append(cordisRows, []any{pic, st.org.id, f.Name, f.ShortName, f.Kind, f.SME, f.Country, f.City, f.Website, f.VAT, st.rank, st.hash, t, t})
	}
	if err := insertRows(ctx, tx, "cordis_organisations", cordisCols, cordisRows, upsertSuffix("pic", cordisCols)); err != nil {
		return err
	}
	if err := insertRows(ctx, tx, "organisation_identifiers", []string{"scheme", "value", "organisation_id", "source"}, imp.idents,
		" ON CONFLICT (scheme, value, organisation_id) DO NOTHING"); err != nil {
		return err
	}

	// Write participations; one change entry per project touched.
	partCols := []string{"project_id", "pic", "organisation_id", "role", "eu_contribution_cents", "terminated", "position", "source_updated", "content_hash", "created_at", "updated_at"}
	var partRows [][]any
	perProject := map[string][2]int{}
	var projOrder []string
	for _, key := range partOrder {
		pr := parts[key]
		p := pr.p
		partRows = append(partRows, []any{p.ProjectID, p.PIC, pr.org, p.Role, cents(p.EUContribution), p.Terminated, p.Order, p.Updated, pr.hash, t, t})
		n, ok := perProject[p.ProjectID]
		if !ok {
			projOrder = append(projOrder, p.ProjectID)
		}
		if pr.exists {
			n[1]++
			res.Participations.Updated++
		} else {
			n[0]++
			res.Participations.New++
		}
		perProject[p.ProjectID] = n
	}
	// On conflict the organisation stays: a merge may have moved it.
	suffix := strings.Replace(upsertSuffix("project_id,pic", partCols), "organisation_id = excluded.organisation_id, ", "", 1)
	if err := insertRows(ctx, tx, "participations", partCols, partRows, suffix); err != nil {
		return err
	}
	for _, pid := range projOrder {
		n := perProject[pid]
		cs = append(cs, change{"participations", pid, "update", fmt.Sprintf("%d new, %d updated", n[0], n[1])})
	}
	if len(cs) == 0 && len(cordisRows) == 0 && len(imp.idents) == 0 {
		return nil
	}
	if err := tx.changeMany(ctx, cs); err != nil {
		return err
	}
	return saveCheckpoint(ctx, tx, cp)
}

func searchText(d *dirOrg) string {
	return directory.SearchText(d.f.Name, d.f.ShortName, d.slug, d.f.City, d.f.Country, d.pic, d.description)
}

// resolve finds the directory organisation of a participant seen for the
// first time: one that holds its PIC, one it was merged into, or one
// entered without a PIC that holds its VAT number; else a new one. A VAT
// number held by an organisation with another PIC does not link: the PIC
// is CORDIS's identity of a legal entity, so the pair becomes a merge
// candidate for an administrator instead.
func (imp *partImport) resolve(p *cordis.Participation, next projects.OrgFields, rank, h string, res *projects.BatchResult) *picState {
	st := &picState{prev: next, rank: rank, hash: h, dirty: true}
	var d *dirOrg
	switch {
	case imp.byPIC[p.PIC] != nil:
		d = imp.byPIC[p.PIC]
	case imp.identPIC[p.PIC] != "" && imp.orgs[imp.identPIC[p.PIC]] != nil:
		d = imp.orgs[imp.identPIC[p.PIC]]
	case p.VAT != "":
		for _, cand := range imp.byVAT[p.VAT] {
			if cand.pic == "" {
				d = cand
				break
			}
		}
	}
	if d != nil {
		res.Linked++
		if d.pic == "" {
			d.pic = p.PIC
			imp.byPIC[p.PIC] = d
			d.changed = !d.isNew
		}
		st.org = d
		imp.apply(d, projects.OrgFields{}, next) // a zero previous record: fills the empty fields
		return st
	}
	d = &dirOrg{id: newID(), pic: p.PIC, isNew: true}
	for _, s := range projects.SlugCandidates(next.Name, p.PIC) {
		if !imp.slugs[s] {
			d.slug = s
			break
		}
	}
	if d.slug == "" {
		d.slug = projects.Slug(next.Name) + "-" + p.PIC + "-" + d.id[len(d.id)-6:]
	}
	imp.slugs[d.slug] = true
	d.f = next
	imp.fitVAT(d)
	imp.orgs[d.id] = d
	imp.byPIC[p.PIC] = d
	st.org = d
	return st
}

// apply brings a newer CORDIS record (next, after prev) to a directory
// organisation, keeping the fields changed by hand.
func (imp *partImport) apply(d *dirOrg, prev, next projects.OrgFields) {
	before := d.f
	d.f = projects.Reconcile(d.f, prev, next)
	if d.f.VAT != before.VAT {
		imp.fitVAT(d)
	}
	if d.f != before && !d.isNew {
		d.changed = true
	}
}

// fitVAT keeps the unique vat column for the first organisation with a
// VAT number; another organisation with the same number gets it as an
// extra identifier (and the pair becomes a merge candidate).
func (imp *partImport) fitVAT(d *dirOrg) {
	v := d.f.VAT
	if v == "" {
		return
	}
	if holder, ok := imp.vatHolder[v]; ok && holder != d.id {
		d.f.VAT = ""
		imp.idents = append(imp.idents, []any{"vat", v, d.id, "cordis"})
		return
	}
	imp.vatHolder[v] = d.id
}

// KnownProjects returns which of ids are stored.
func (db *DB) KnownProjects(ctx context.Context, ids []string) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(len(ids), start+500)]
		var w where
		rows, err := db.query(ctx, `SELECT id FROM projects WHERE id IN (`+w.inList(chunk)+`)`, w.args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ImportCheckpoint returns how far the import of a file got.
func (db *DB) ImportCheckpoint(ctx context.Context, hash string) (projects.Checkpoint, error) {
	cp := projects.Checkpoint{Hash: hash}
	err := db.queryRow(ctx, `SELECT name, layout, line, done FROM import_files WHERE hash = $1`, hash).Scan(&cp.Name, &cp.Layout, &cp.Line, &cp.Done)
	if errors.Is(err, sql.ErrNoRows) {
		return projects.Checkpoint{Hash: hash}, nil
	}
	return cp, err
}

// FinishImport marks a file imported; a run that changed something is
// recorded in the audit log. A run that changed nothing writes nothing.
func (db *DB) FinishImport(ctx context.Context, cp projects.Checkpoint, changed bool, detail string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		var line int
		var done bool
		err := tx.QueryRowContext(ctx, `SELECT line, done FROM import_files WHERE hash = $1`, cp.Hash).Scan(&line, &done)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && done == cp.Done && line == cp.Line && !changed {
			return nil
		}
		if err := saveCheckpoint(ctx, tx, cp); err != nil {
			return err
		}
		if !changed {
			return nil
		}
		return tx.Audit(ctx, "import.cordis", "import", cp.Hash, detail)
	}))
}
