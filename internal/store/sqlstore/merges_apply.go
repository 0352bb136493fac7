package sqlstore

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/escnet/escnet/internal/audit"
	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/validate"
)

// AlreadyUndone is the message key for undoing a merge twice.
const AlreadyUndone = projects.AlreadyUndone

// mergeRecord is what a merge removed, moved and added, enough to undo
// it exactly; it is kept as JSON in organisation_merges.snapshot. Tables
// are walked through the declared organisation references
// (store.OrgReferences), named "table.column".
type mergeRecord struct {
	Format       int                   `json:"format"`
	Organisation []row                 `json:"organisation"` // the removed row, every column
	Rows         map[string][]row      `json:"rows"`         // union and drop references: From's rows, every column
	Moved        map[string][][]string `json:"moved"`        // move references: keys of the rows moved to Into
	Added        map[string][][]string `json:"added_keys"`   // union references: keys of the rows added to Into

	legacyRecord // merges recorded before format 2
}

// legacyRecord is the snapshot of merges recorded before the reference
// registry, read so that they can still be undone.
type legacyRecord struct {
	Roles          []row       `json:"roles"`
	Capabilities   []row       `json:"capabilities"`
	Memberships    []row       `json:"memberships"`
	Identifiers    []row       `json:"identifiers"`
	Distinct       []row       `json:"distinct"`
	Participations [][2]string `json:"participations"`
	CordisPICs     []string    `json:"cordis_pics"`
	People         []string    `json:"people"`
	Facilities     []string    `json:"facilities"`
	Invitations    []string    `json:"invitations"`
	LegacyAdded    struct {
		Roles        []string    `json:"roles"`
		Capabilities []string    `json:"capabilities"`
		Memberships  []string    `json:"memberships"`
		Identifiers  [][2]string `json:"identifiers"`
	} `json:"added"`
}

func parseMergeRecord(body string) (mergeRecord, error) {
	var r mergeRecord
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		return r, fmt.Errorf("merge snapshot: %w", err)
	}
	if r.Format == 0 {
		r.fromLegacy()
	}
	return r, nil
}

func keys1(vs []string) [][]string {
	out := make([][]string, len(vs))
	for i, v := range vs {
		out[i] = []string{v}
	}
	return out
}

func (r *mergeRecord) fromLegacy() {
	l := r.legacyRecord
	r.Rows = map[string][]row{
		"organisation_roles.organisation_id":        l.Roles,
		"organisation_capabilities.organisation_id": l.Capabilities,
		"memberships.organisation_id":               l.Memberships,
		"organisation_identifiers.organisation_id":  l.Identifiers,
		"organisation_distinct.a_id":                l.Distinct,
	}
	parts := make([][]string, len(l.Participations))
	for i, p := range l.Participations {
		parts[i] = []string{p[0], p[1]}
	}
	r.Moved = map[string][][]string{
		"participations.organisation_id":       parts,
		"cordis_organisations.organisation_id": keys1(l.CordisPICs),
		"people.organisation_id":               keys1(l.People),
		"facilities.organisation_id":           keys1(l.Facilities),
		"invitations.organisation_id":          keys1(l.Invitations),
	}
	ids := make([][]string, len(l.LegacyAdded.Identifiers))
	for i, p := range l.LegacyAdded.Identifiers {
		ids[i] = []string{p[0], p[1]}
	}
	r.Added = map[string][][]string{
		"organisation_roles.organisation_id":        keys1(l.LegacyAdded.Roles),
		"organisation_capabilities.organisation_id": keys1(l.LegacyAdded.Capabilities),
		"memberships.organisation_id":               keys1(l.LegacyAdded.Memberships),
		"organisation_identifiers.organisation_id":  ids,
	}
}

// row is a table row as column → tagged value, so that it can be kept as
// JSON and written back with the same types whatever the engine.
type row map[string]tagged

type tagged struct {
	T string `json:"t"` // n(ull) i(nt) f(loat) b(ool) s(tring) x (bytes) t(ime)
	V string `json:"v,omitempty"`
}

func tag(v any) tagged {
	switch x := v.(type) {
	case nil:
		return tagged{T: "n"}
	case int64:
		return tagged{"i", strconv.FormatInt(x, 10)}
	case int:
		return tagged{"i", strconv.Itoa(x)}
	case float64:
		return tagged{"f", strconv.FormatFloat(x, 'g', -1, 64)}
	case bool:
		return tagged{"b", strconv.FormatBool(x)}
	case []byte:
		return tagged{"x", base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		return tagged{"t", x.UTC().Format(time.RFC3339Nano)}
	case string:
		return tagged{"s", x}
	}
	return tagged{"s", fmt.Sprint(v)}
}

func (t tagged) value() any {
	switch t.T {
	case "i":
		n, _ := strconv.ParseInt(t.V, 10, 64)
		return n
	case "f":
		f, _ := strconv.ParseFloat(t.V, 64)
		return f
	case "b":
		return t.V == "true"
	case "x":
		b, _ := base64.StdEncoding.DecodeString(t.V)
		return b
	case "t":
		tm, _ := time.Parse(time.RFC3339Nano, t.V)
		return tm
	case "s":
		return t.V
	}
	return nil
}

func (r row) plain() projects.Row {
	out := projects.Row{}
	for c, v := range r {
		out[c] = v.value()
	}
	return out
}

func tagRow(r projects.Row) row {
	out := row{}
	for c, v := range r {
		out[c] = tag(v)
	}
	return out
}

func plainRows(rs []row) []projects.Row {
	out := make([]projects.Row, len(rs))
	for i, r := range rs {
		out[i] = r.plain()
	}
	return out
}

// snapshot reads whole rows, every column, so that a restore brings back
// columns this code does not know about (added by later migrations).
func snapshot(ctx context.Context, tx *Tx, q string, args ...any) ([]row, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out []row
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		r := row{}
		for i, c := range cols {
			r[c] = tag(vals[i])
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// insertRow writes r into table; with ignore, a row that conflicts with
// a stored one is left out (and false returned).
func insertRow(ctx context.Context, tx *Tx, table string, r projects.Row, ignore bool) (bool, error) {
	cols := slices.Sorted(func(yield func(string) bool) {
		for c := range r {
			if !yield(c) {
				return
			}
		}
	})
	vals := make([]any, len(cols))
	marks := make([]string, len(cols))
	for i, c := range cols {
		vals[i], marks[i] = r[c], "$"+strconv.Itoa(i+1)
	}
	q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (` + strings.Join(marks, ", ") + `)`
	if ignore {
		q += ` ON CONFLICT DO NOTHING`
	}
	res, err := tx.ExecContext(ctx, q, vals...)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// keyCond is "a = $n AND b = $n+1 ..." over cols, numbering from n.
func keyCond(cols []string, n int) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = c + " = $" + strconv.Itoa(n+i)
	}
	return strings.Join(parts, " AND ")
}

func anys(ss ...string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// alreadyMerged turns "from not found" into a conflict when an open
// merge took that organisation away: of two identical merges at once,
// the later one (which on SQLite runs after the first committed) says so.
func alreadyMerged(ctx context.Context, tx *Tx, key string, notFound error) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisation_merges WHERE (from_id = $1 OR from_slug = $1) AND undone_at IS NULL`, key).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return &store.ConflictError{Field: "from", Code: projects.AlreadyMerged}
	}
	return notFound
}

// MergeOrganisations merges from into into in one transaction, walking
// the declared organisation references (store.OrgReferences): the plan
// is projects.PlanMerge's, over a snapshot read here; what moved and was
// added is recorded so that UndoMerge restores exactly that. Of two
// merges of one organisation at once exactly one succeeds; the other
// gets a *store.ConflictError (projects.AlreadyMerged).
func (db *DB) MergeOrganisations(ctx context.Context, into, from string) (projects.Merge, error) {
	var m projects.Merge
	err := db.Transact(ctx, func(tx *Tx) error {
		var err error
		if m.Into, err = orgRef(ctx, tx, into, "into"); err != nil {
			return err
		}
		if m.From, err = orgRef(ctx, tx, from, "from"); err != nil {
			return alreadyMerged(ctx, tx, from, err)
		}
		if m.Into.ID == m.From.ID {
			var errs validate.Errors
			errs.Add("from", validate.InvalidChoice, "choices", "an organisation other than into")
			return errs
		}
		m.ID, m.Actor, m.MergedAt = newID(), audit.ActorFrom(ctx).Label, now()
		// The record first: a second merge of from waits here on the
		// index of open merges until this one ends, then fails.
		if _, err := tx.ExecContext(ctx, `INSERT INTO organisation_merges (id, into_id, from_id, from_slug, into_name, from_name, snapshot, actor, merged_at)
			VALUES ($1, $2, $3, $4, $5, $6, '{}', $7, $8)`, m.ID, m.Into.ID, m.From.ID, m.From.Slug, m.Into.Name, m.From.Name, m.Actor, m.MergedAt); err != nil {
			if _, _, ok := db.dialect.Unique(err); ok {
				return &store.ConflictError{Field: "from", Code: projects.AlreadyMerged}
			}
			return err
		}
		rec, err := db.applyMerge(ctx, tx, m)
		if err != nil {
			return err
		}
		m.Moved = projects.Counted(rec.Moved, rec.Added)
		body, err := json.Marshal(rec)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE organisation_merges SET snapshot = $2 WHERE id = $1`, m.ID, string(body)); err != nil {
			return err
		}
		detail := fmt.Sprintf("merge %s: %s (%s) into %s (%s)", m.ID, m.From.Name, m.From.ID, m.Into.Name, m.Into.ID)
		return tx.changeMany(ctx, []change{
			{"organisation", m.From.ID, "delete", detail},
			{"organisation", m.Into.ID, "update", detail},
			{"organisation_merge", m.ID, "create", detail},
		})
	})
	return m, db.mapError(err)
}

// applyMerge reads the snapshot, plans the merge and applies the plan:
// links added to into, rows moved, from removed.
func (db *DB) applyMerge(ctx context.Context, tx *Tx, m projects.Merge) (mergeRecord, error) {
	in, fr := m.Into.ID, m.From.ID
	refs := store.OrgReferences()
	rec := mergeRecord{Format: 2, Rows: map[string][]row{}, Moved: map[string][][]string{}, Added: map[string][][]string{}}
	snap := projects.MergeSnapshot{Into: m.Into, From: m.From, FromRows: map[string][]projects.Row{},
		IntoRows: map[string][]projects.Row{}, Blocking: map[string]int{}}
	var err error
	if rec.Organisation, err = snapshot(ctx, tx, `SELECT * FROM organisations WHERE id = $1`, fr); err != nil {
		return rec, err
	}
	for _, ref := range refs {
		q := `SELECT * FROM ` + ref.Table + ` WHERE ` + ref.Column + ` = $1`
		switch ref.Action {
		case store.UnionWithMerge, store.DropWithMerge:
			if rec.Rows[ref.Name()], err = snapshot(ctx, tx, q, fr); err != nil {
				return rec, err
			}
			snap.FromRows[ref.Name()] = plainRows(rec.Rows[ref.Name()])
			if ref.Action == store.UnionWithMerge {
				have, err := snapshot(ctx, tx, q, in)
				if err != nil {
					return rec, err
				}
				snap.IntoRows[ref.Name()] = plainRows(have)
			}
		case store.BlockMerge:
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+ref.Table+` WHERE `+ref.Column+` = $1`, fr).Scan(&n); err != nil {
				return rec, err
			}
			snap.Blocking[ref.Name()] = n
		}
	}
	plan, err := projects.PlanMerge(refs, snap)
	if err != nil {
		return rec, err
	}
	for _, ref := range refs {
		for _, r := range plan.Add[ref.Name()] {
			added, err := insertRow(ctx, tx, ref.Table, r, true)
			if err != nil {
				return rec, err
			}
			if added {
				rec.Added[ref.Name()] = append(rec.Added[ref.Name()], r.KeyOf(ref.Key))
			}
		}
	}
	for _, ref := range plan.Move {
		if rec.Moved[ref.Name()], err = moveRows(ctx, tx, ref, fr, in); err != nil {
			return rec, err
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM organisations WHERE id = $1`, fr); err != nil {
		if db.dialect.ForeignKey(err) {
			// A table no capability declared still points at from.
			return rec, &store.ConflictError{Field: "from", Code: validate.InUse}
		}
		return rec, err
	}
	return rec, nil
}

// moveRows points ref's rows of from at to and returns their keys.
func moveRows(ctx context.Context, tx *Tx, ref store.OrgReference, from, to string) ([][]string, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE `+ref.Table+` SET `+ref.Column+` = $1 WHERE `+ref.Column+` = $2 RETURNING `+strings.Join(ref.Key, ", "), to, from)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]string
	for rows.Next() {
		k := make([]sql.NullString, len(ref.Key))
		ptrs := make([]any, len(k))
		for i := range k {
			ptrs[i] = &k[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		key := make([]string, len(k))
		for i := range k {
			key[i] = k[i].String
		}
		out = append(out, key)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b []string) int { return slices.Compare(a, b) })
	return out, nil
}

// UndoMerge restores the organisation a merge removed with the rows that
// went with it, points back exactly the rows that moved, and takes back
// what the merge added to the organisation kept. The merge record stays,
// marked undone.
func (db *DB) UndoMerge(ctx context.Context, id string) (projects.Merge, error) {
	var m projects.Merge
	err := db.Transact(ctx, func(tx *Tx) error {
		var body string
		var undone sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT id, into_id, from_id, into_name, from_name, snapshot, actor, merged_at, undone_at FROM organisation_merges WHERE id = $1`, id).
			Scan(&m.ID, &m.Into.ID, &m.From.ID, &m.Into.Name, &m.From.Name, &body, &m.Actor, &m.MergedAt, &undone)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("merge", id)
		}
		if err != nil {
			return err
		}
		t := now()
		// Mark it first, so that of two undos at once one waits and
		// then finds it undone.
		res, err := tx.ExecContext(ctx, `UPDATE organisation_merges SET undone_at = $2, undone_by = $3 WHERE id = $1 AND undone_at IS NULL`, m.ID, t, audit.ActorFrom(ctx).Label)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); undone.Valid || n == 0 {
			return &store.ConflictError{Field: "id", Code: AlreadyUndone}
		}
		rec, err := parseMergeRecord(body)
		if err != nil {
			return fmt.Errorf("merge %s: %w", id, err)
		}
		if err := db.applyUndo(ctx, tx, m, rec); err != nil {
			return err
		}
		m.UndoneAt, m.UndoneBy, m.Moved = &t, audit.ActorFrom(ctx).Label, projects.Counted(rec.Moved, rec.Added)
		detail := fmt.Sprintf("undo merge %s: %s (%s) out of %s (%s)", m.ID, m.From.Name, m.From.ID, m.Into.Name, m.Into.ID)
		return tx.changeMany(ctx, []change{
			{"organisation", m.From.ID, "create", detail},
			{"organisation", m.Into.ID, "update", detail},
			{"organisation_merge", m.ID, "delete", detail},
		})
	})
	if err != nil {
		return m, db.mapError(err)
	}
	return db.fillMergeRefs(ctx, m)
}

func orgExists(ctx context.Context, tx *Tx, id string) (bool, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, id).Scan(&n)
	return n > 0, err
}

// applyUndo carries out the undo of rec.
func (db *DB) applyUndo(ctx context.Context, tx *Tx, m projects.Merge, rec mergeRecord) error {
	in, fr := m.Into.ID, m.From.ID
	if ok, err := orgExists(ctx, tx, in); err != nil || !ok {
		if err == nil {
			// into was itself merged away (or deleted): undo that first.
			err = &store.ConflictError{Field: "into", Code: validate.NotFound}
		}
		return err
	}
	refs := store.OrgReferences()
	// Take back what the merge added to into, so that from's unique
	// identifiers are free again.
	for _, ref := range refs {
		for _, k := range rec.Added[ref.Name()] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+ref.Table+` WHERE `+ref.Column+` = $1 AND `+keyCond(ref.Key, 2), append(anys(in), anys(k...)...)...); err != nil {
				return err
			}
		}
	}
	// A link gave into from's PIC (LinkPIC): it goes back with from.
	for _, r := range rec.Organisation {
		if p := r["pic"]; p.T == "s" && p.V != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE organisations SET pic = NULL WHERE id = $1 AND pic = $2`, in, p.V); err != nil {
				return err
			}
		}
	}
	if err := restoreRows(ctx, db, tx, "organisations", rec.Organisation); err != nil {
		return err
	}
	for _, ref := range refs {
		if err := restoreRefRows(ctx, db, tx, refs, ref, fr, rec.Rows[ref.Name()]); err != nil {
			return err
		}
	}
	for _, ref := range refs {
		for _, k := range rec.Moved[ref.Name()] {
			q := `UPDATE ` + ref.Table + ` SET ` + ref.Column + ` = $1 WHERE ` + ref.Column + ` = $2 AND ` + keyCond(ref.Key, 3)
			if _, err := tx.ExecContext(ctx, q, append(anys(fr, in), anys(k...)...)...); err != nil {
				return err
			}
		}
	}
	// Participations imported since the merge under from's PICs go back
	// with them.
	for _, k := range rec.Moved["cordis_organisations.organisation_id"] {
		if _, err := tx.ExecContext(ctx, `UPDATE participations SET organisation_id = $1 WHERE pic = $2 AND organisation_id = $3`, fr, k[0], in); err != nil {
			return err
		}
	}
	return nil
}

// restoreRefRows writes back the rows of ref that went with from; a row
// that also points at another organisation comes back only while that
// one exists.
func restoreRefRows(ctx context.Context, db *DB, tx *Tx, refs []store.OrgReference, ref store.OrgReference, fr string, rows []row) error {
	var keep []row
	for _, r := range rows {
		ok := true
		for _, other := range refs {
			if other.Table != ref.Table {
				continue
			}
			if v := r[other.Column].V; v != "" && v != fr {
				exists, err := orgExists(ctx, tx, v)
				if err != nil {
					return err
				}
				ok = ok && exists
			}
		}
		if ok {
			keep = append(keep, r)
		}
	}
	return restoreRows(ctx, db, tx, ref.Table, keep)
}

// restoreRows writes snapshot rows back into table.
func restoreRows(ctx context.Context, db *DB, tx *Tx, table string, rows []row) error {
	for _, r := range rows {
		if _, err := insertRow(ctx, tx, table, r.plain(), false); err != nil {
			if _, _, ok := db.dialect.Unique(err); ok {
				// Someone took from's slug, PIC or VAT number since.
				return &store.ConflictError{Field: "from", Code: validate.Duplicate}
			}
			return err
		}
	}
	return nil
}
