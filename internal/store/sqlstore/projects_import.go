package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/cordis"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
)

var _ projects.Store = (*DB)(nil)

// contentHash is a short digest of a record's canonical JSON
// (projects.ContentHash).
func contentHash(v any) string { return projects.ContentHash(v) }

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

// ImportParticipations stores a batch of organisation rows: it reads
// what the reconciliation needs (projects.BatchSnapshot), lets
// projects.PlanBatch decide which rows become which organisations and
// participations, and writes the plan.
func (db *DB) ImportParticipations(ctx context.Context, batch []cordis.Participation, cp projects.Checkpoint) (projects.BatchResult, error) {
	var res projects.BatchResult
	err := db.Transact(ctx, func(tx *Tx) error {
		snap, err := readBatchSnapshot(ctx, tx, batch)
		if err != nil {
			return err
		}
		plan := projects.PlanBatch(batch, snap, newID)
		res = plan.Result
		return writeBatchPlan(ctx, tx, plan, cp)
	})
	return res, db.mapError(err)
}

const orgFieldCols = `o.id, o.slug, o.description, COALESCE(o.pic, ''), COALESCE(o.vat, ''), o.name, o.short_name, o.kind, o.sme, o.country, o.city, o.website`

func dirOrgDest(d *projects.DirOrg) []any {
	return []any{&d.ID, &d.Slug, &d.Description, &d.PIC, &d.Fields.VAT, &d.Fields.Name, &d.Fields.ShortName, &d.Fields.Kind,
		&d.Fields.SME, &d.Fields.Country, &d.Fields.City, &d.Fields.Website}
}

// batchReader collects a batch snapshot.
type batchReader struct {
	tx   *Tx
	snap projects.BatchSnapshot
	seen map[string]bool // organisations read
}

func (br *batchReader) orgs(ctx context.Context, q string, keys []string) error {
	return queryKeys(ctx, br.tx, `SELECT `+orgFieldCols+` FROM organisations o WHERE `+q, keys, func(r *sql.Rows) error {
		var d projects.DirOrg
		if err := r.Scan(dirOrgDest(&d)...); err != nil {
			return err
		}
		if !br.seen[d.ID] {
			br.seen[d.ID] = true
			br.snap.Orgs = append(br.snap.Orgs, d)
		}
		return nil
	})
}

// readBatchSnapshot reads what reconciling batch needs: which projects
// are stored; what CORDIS said before about the participants, with their
// directory organisations; the organisations that hold the new
// participants' PICs or any VAT number of the batch, or into which their
// PICs were merged; the slugs new organisations might take; and the
// participations already stored.
func readBatchSnapshot(ctx context.Context, tx *Tx, batch []cordis.Participation) (projects.BatchSnapshot, error) {
	br := &batchReader{tx: tx, seen: map[string]bool{}, snap: projects.BatchSnapshot{Known: map[string]bool{},
		States: map[string]projects.CordisState{}, Merged: map[string]string{}, Slugs: map[string]bool{},
		Stored: map[string]projects.StoredParticipation{}}}
	s := &br.snap
	pids := distinctKeys(batch, func(p cordis.Participation) string { return p.ProjectID })
	if err := queryKeys(ctx, tx, `SELECT id FROM projects WHERE id IN (%s)`, pids, func(r *sql.Rows) error {
		var id string
		err := r.Scan(&id)
		s.Known[id] = true
		return err
	}); err != nil {
		return *s, err
	}
	var rows []*cordis.Participation
	for i := range batch {
		if s.Known[batch[i].ProjectID] {
			rows = append(rows, &batch[i])
		}
	}
	if len(rows) == 0 {
		return *s, nil
	}
	pics := distinctKeys(rows, func(p *cordis.Participation) string { return p.PIC })
	if err := queryKeys(ctx, tx, `SELECT c.pic, c.name, c.short_name, c.kind, c.sme, c.country, c.city, c.website, c.vat, c.source_rank, c.content_hash, `+orgFieldCols+`
		FROM cordis_organisations c JOIN organisations o ON o.id = c.organisation_id WHERE c.pic IN (%s)`, pics, func(r *sql.Rows) error {
		var st projects.CordisState
		var d projects.DirOrg
		var pic string
		f := &st.Prev
		err := r.Scan(append([]any{&pic, &f.Name, &f.ShortName, &f.Kind, &f.SME, &f.Country, &f.City, &f.Website, &f.VAT, &st.Rank, &st.Hash}, dirOrgDest(&d)...)...)
		st.OrgID = d.ID
		s.States[pic] = st
		if !br.seen[d.ID] {
			br.seen[d.ID] = true
			s.Orgs = append(s.Orgs, d)
		}
		return err
	}); err != nil {
		return *s, err
	}
	if err := br.newcomers(ctx, rows); err != nil {
		return *s, err
	}
	return *s, br.stored(ctx, pids, pics)
}

// newcomers reads the organisations and slugs that participants seen for
// the first time may link to or take.
func (br *batchReader) newcomers(ctx context.Context, rows []*cordis.Participation) error {
	s := &br.snap
	var newPICs, vats, cands []string
	for _, p := range rows {
		if _, ok := s.States[p.PIC]; !ok {
			newPICs = append(newPICs, p.PIC)
			cands = append(cands, projects.SlugCandidates(p.Name, p.PIC)...)
		}
		// Holders of every VAT number in the batch: a new one must not
		// take a number another organisation holds.
		if p.VAT != "" {
			vats = append(vats, p.VAT)
		}
	}
	same := func(s string) string { return s }
	newPICs, vats = distinctKeys(newPICs, same), distinctKeys(vats, same)
	if len(newPICs)+len(vats) == 0 {
		return nil
	}
	// Two queries, not one with OR: each uses its column's index.
	if err := br.orgs(ctx, `o.pic IN (%s)`, newPICs); err != nil {
		return err
	}
	if err := br.orgs(ctx, `o.vat IN (%s)`, vats); err != nil {
		return err
	}
	var mergedInto []string
	if err := queryKeys(ctx, br.tx, `SELECT value, organisation_id FROM organisation_identifiers WHERE scheme = 'pic' AND value IN (%s)`, newPICs, func(r *sql.Rows) error {
		var pic, id string
		err := r.Scan(&pic, &id)
		s.Merged[pic] = id
		mergedInto = append(mergedInto, id)
		return err
	}); err != nil {
		return err
	}
	if err := br.orgs(ctx, `o.id IN (%s)`, mergedInto); err != nil {
		return err
	}
	return queryKeys(ctx, br.tx, `SELECT slug FROM organisations WHERE slug IN (%s)`, distinctKeys(cands, same), func(r *sql.Rows) error {
		var slug string
		err := r.Scan(&slug)
		s.Slugs[slug] = true
		return err
	})
}

// stored reads the participations of the batch's projects and PICs.
func (br *batchReader) stored(ctx context.Context, pids, pics []string) error {
	w := newParams(br.tx)
	q := `SELECT project_id, pic, source_updated, content_hash FROM participations WHERE project_id IN (` + w.list(pids) + `)`
	q += ` AND pic IN (` + w.list(pics) + `)`
	r, err := br.tx.QueryContext(ctx, q, w.args...)
	if err != nil {
		return err
	}
	defer r.Close()
	for r.Next() {
		var pid, pic string
		var sp projects.StoredParticipation
		if err := r.Scan(&pid, &pic, &sp.Updated, &sp.Hash); err != nil {
			return err
		}
		br.snap.Stored[pid+"\x00"+pic] = sp
	}
	return r.Err()
}

// writeBatchPlan writes what projects.PlanBatch decided: organisations,
// CORDIS records, identifiers, participations, one change entry per
// organisation and per project touched, and the checkpoint.
func writeBatchPlan(ctx context.Context, tx *Tx, plan projects.BatchPlan, cp projects.Checkpoint) error {
	if plan.Empty() {
		return nil
	}
	t := now()
	var cs []change
	orgCols := []string{"id", "slug", "name", "short_name", "sort_key", "search_text", "kind", "sme", "country", "city", "website", "pic", "vat", "description", "created_at", "updated_at"}
	var newOrgs [][]any
	for _, d := range plan.NewOrgs {
		f := d.Fields
		newOrgs = append(newOrgs, []any{d.ID, d.Slug, f.Name, f.ShortName, directory.Fold(f.Name), searchText(d), f.Kind, f.SME,
			f.Country, f.City, f.Website, nullable(d.PIC), nullable(f.VAT), "", t, t})
		cs = append(cs, change{"organisation", d.ID, "create", "cordis pic " + d.PIC})
	}
	for _, d := range plan.ChangedOrgs {
		f := d.Fields
		_, err := tx.ExecContext(ctx, `UPDATE organisations SET name = $2, short_name = $3, sort_key = $4, search_text = $5, kind = $6, sme = $7,
			country = $8, city = $9, website = $10, pic = $11, vat = $12, updated_at = $13 WHERE id = $1`,
			d.ID, f.Name, f.ShortName, directory.Fold(f.Name), searchText(d), f.Kind, f.SME, f.Country, f.City, f.Website,
			nullable(d.PIC), nullable(f.VAT), t)
		if err != nil {
			return err
		}
		cs = append(cs, change{"organisation", d.ID, "update", "cordis pic " + d.PIC})
	}
	if err := insertRows(ctx, tx, "organisations", orgCols, newOrgs, ""); err != nil {
		return err
	}
	// What the record shows beyond doubt of a new organisation's actor
	// type (a PUB named "Gemeente ..." is a local authority); the rest is
	// left to people.
	var roleRows [][]any
	for _, d := range plan.NewOrgs {
		for i, r := range directory.RolesFromCORDIS(d.Fields.Kind, d.Fields.Name) {
			roleRows = append(roleRows, []any{d.ID, r, i})
		}
	}
	if err := insertRows(ctx, tx, "organisation_roles", []string{"organisation_id", "role", "position"}, roleRows, ""); err != nil {
		return err
	}
	cordisCols := []string{"pic", "organisation_id", "name", "short_name", "kind", "sme", "country", "city", "website", "vat", "source_rank", "content_hash", "created_at", "updated_at"}
	cordisRows := make([][]any, len(plan.Cordis))
	for i, c := range plan.Cordis {
		f := c.Fields
		cordisRows[i] = []any{c.PIC, c.OrgID, f.Name, f.ShortName, f.Kind, f.SME, f.Country, f.City, f.Website, f.VAT, c.Rank, c.Hash, t, t}
	}
	if err := insertRows(ctx, tx, "cordis_organisations", cordisCols, cordisRows, upsertSuffix("pic", cordisCols)); err != nil {
		return err
	}
	idents := make([][]any, len(plan.Identifiers))
	for i, id := range plan.Identifiers {
		idents[i] = []any{id.Scheme, id.Value, id.OrgID, id.Source}
	}
	if err := insertRows(ctx, tx, "organisation_identifiers", []string{"scheme", "value", "organisation_id", "source"}, idents,
		" ON CONFLICT (scheme, value, organisation_id) DO NOTHING"); err != nil {
		return err
	}
	pcs, err := writeParticipations(ctx, tx, plan.Participations, t)
	if err != nil {
		return err
	}
	if err := tx.changeMany(ctx, append(cs, pcs...)); err != nil {
		return err
	}
	return saveCheckpoint(ctx, tx, cp)
}

// writeParticipations writes participation rows and returns one change
// entry per project touched.
func writeParticipations(ctx context.Context, tx *Tx, parts []projects.ParticipationRow, t time.Time) ([]change, error) {
	partCols := []string{"project_id", "pic", "organisation_id", "role", "eu_contribution_cents", "terminated", "position", "source_updated", "content_hash", "created_at", "updated_at"}
	rows := make([][]any, len(parts))
	perProject := map[string][2]int{}
	var projOrder []string
	for i, pr := range parts {
		p := pr.P
		rows[i] = []any{p.ProjectID, p.PIC, pr.OrgID, p.Role, cents(p.EUContribution), p.Terminated, p.Order, p.Updated, pr.Hash, t, t}
		n, ok := perProject[p.ProjectID]
		if !ok {
			projOrder = append(projOrder, p.ProjectID)
		}
		if pr.Exists {
			n[1]++
		} else {
			n[0]++
		}
		perProject[p.ProjectID] = n
	}
	// On conflict the organisation stays: a merge may have moved it.
	suffix := strings.Replace(upsertSuffix("project_id,pic", partCols), "organisation_id = excluded.organisation_id, ", "", 1)
	if err := insertRows(ctx, tx, "participations", partCols, rows, suffix); err != nil {
		return nil, err
	}
	var cs []change
	for _, pid := range projOrder {
		n := perProject[pid]
		cs = append(cs, change{"participations", pid, "update", fmt.Sprintf("%d new, %d updated", n[0], n[1])})
	}
	return cs, nil
}

func searchText(d *projects.DirOrg) string {
	f := d.Fields
	return directory.SearchText(f.Name, f.ShortName, d.Slug, f.City, f.Country, d.PIC, d.Description)
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
