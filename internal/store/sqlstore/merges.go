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

// OrganisationKeys reads what duplicate detection compares of every
// organisation, with the VAT numbers recorded besides the vat column.
func (db *DB) OrganisationKeys(ctx context.Context) ([]projects.OrgKey, error) {
	var out []projects.OrgKey
	index := map[string]int{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var k projects.OrgKey
		if err := r.Scan(&k.ID, &k.Slug, &k.Name, &k.Country, &k.City, &k.Website, &k.PIC, &k.VAT); err != nil {
			return err
		}
		if k.VAT != "" {
			k.VATs = []string{k.VAT}
		}
		index[k.ID] = len(out)
		out = append(out, k)
		return nil
	}, `SELECT id, slug, name, country, city, website, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	err = db.scanAll(ctx, func(r *sql.Rows) error {
		var id, v string
		if err := r.Scan(&id, &v); err != nil {
			return err
		}
		if i, ok := index[id]; ok && !slices.Contains(out[i].VATs, v) {
			out[i].VATs = append(out[i].VATs, v)
		}
		return nil
	}, `SELECT organisation_id, value FROM organisation_identifiers WHERE scheme = 'vat' ORDER BY organisation_id, value`)
	return out, err
}

// DistinctPairs returns the pairs marked as different organisations.
func (db *DB) DistinctPairs(ctx context.Context) (map[[2]string]bool, error) {
	out := map[[2]string]bool{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var a, b string
		err := r.Scan(&a, &b)
		out[projects.PairKey(a, b)] = true
		return err
	}, `SELECT a_id, b_id FROM organisation_distinct`)
	return out, err
}

func orgRef(ctx context.Context, tx *Tx, key, field string) (projects.OrgRef, error) {
	var o projects.OrgRef
	err := tx.QueryRowContext(ctx, `SELECT id, slug, name, country, city, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations WHERE id = $1 OR slug = $1`, key).
		Scan(&o.ID, &o.Slug, &o.Name, &o.Country, &o.City, &o.PIC, &o.VAT)
	if errors.Is(err, sql.ErrNoRows) {
		var errs validate.Errors
		errs.Add(field, validate.NotFound)
		return o, errs
	}
	return o, err
}

// MarkDistinct records that two organisations are not the same one, so
// they are no longer offered as merge candidates. Marking a pair twice
// changes nothing.
func (db *DB) MarkDistinct(ctx context.Context, a, b string) error {
	return db.mapError(db.Transact(ctx, func(tx *Tx) error {
		ra, err := orgRef(ctx, tx, a, "a")
		if err != nil {
			return err
		}
		rb, err := orgRef(ctx, tx, b, "b")
		if err != nil {
			return err
		}
		if ra.ID == rb.ID {
			var errs validate.Errors
			errs.Add("b", validate.InvalidChoice, "choices", "an organisation other than a")
			return errs
		}
		k := projects.PairKey(ra.ID, rb.ID)
		res, err := tx.ExecContext(ctx, `INSERT INTO organisation_distinct (a_id, b_id, actor, marked_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (a_id, b_id) DO NOTHING`, k[0], k[1], audit.ActorFrom(ctx).Label, now())
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		return tx.changeMany(ctx, []change{{"organisation_distinct", k[0] + ":" + k[1], "create", ra.Name + " ≠ " + rb.Name}})
	}))
}

// mergeSnapshot is what a merge removed or moved, enough to undo it.
type mergeSnapshot struct {
	Organisation   []row         `json:"organisation"` // the removed row
	Roles          []row         `json:"roles"`
	Capabilities   []row         `json:"capabilities"`
	Memberships    []row         `json:"memberships"`
	Identifiers    []row         `json:"identifiers"`
	Distinct       []row         `json:"distinct"`
	Participations [][2]string   `json:"participations"` // (project, pic) moved
	CordisPICs     []string      `json:"cordis_pics"`
	People         []string      `json:"people"`
	Facilities     []string      `json:"facilities"`
	Invitations    []string      `json:"invitations"`
	Added          addedToTarget `json:"added"`
}

// addedToTarget is what the merge added to the organisation kept.
type addedToTarget struct {
	Roles        []string    `json:"roles"`
	Capabilities []string    `json:"capabilities"`
	Memberships  []string    `json:"memberships"` // cluster ids
	Identifiers  [][2]string `json:"identifiers"` // (scheme, value)
}

func (s *mergeSnapshot) moved() projects.MergeMoved {
	return projects.MergeMoved{Participations: len(s.Participations), People: len(s.People), Facilities: len(s.Facilities),
		Memberships: len(s.Added.Memberships), Identifiers: len(s.Added.Identifiers)}
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

// restore writes snapshot rows back into table.
func restore(ctx context.Context, tx *Tx, table string, rows []row) error {
	for _, r := range rows {
		cols := slices.Sorted(func(yield func(string) bool) {
			for c := range r {
				if !yield(c) {
					return
				}
			}
		})
		vals := make([]any, len(cols))
		for i, c := range cols {
			vals[i] = r[c].value()
		}
		if err := insertRows(ctx, tx, table, cols, [][]any{vals}, ""); err != nil {
			return err
		}
	}
	return nil
}

func column(rows []row, col string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r[col].V)
	}
	return out
}

// MergeOrganisations merges from into into in one transaction: from's
// participations, people, facilities, CORDIS records and identifiers move
// to into; its memberships, roles and capabilities are added where into
// lacks them; from is removed, and everything needed to undo the merge is
// recorded. Both identifiers are kept (from's PIC and VAT number become
// identifiers of into), so a later import links them to into.
func (db *DB) MergeOrganisations(ctx context.Context, into, from string) (projects.Merge, error) {
	var m projects.Merge
	err := db.Transact(ctx, func(tx *Tx) error {
		var err error
		if m.Into, err = orgRef(ctx, tx, into, "into"); err != nil {
			return err
		}
		if m.From, err = orgRef(ctx, tx, from, "from"); err != nil {
			return err
		}
		if m.Into.ID == m.From.ID {
			var errs validate.Errors
			errs.Add("from", validate.InvalidChoice, "choices", "an organisation other than into")
			return errs
		}
		in, fr := m.Into.ID, m.From.ID
		var s mergeSnapshot
		for _, x := range []struct {
			dst *[]row
			q   string
		}{
			{&s.Organisation, `SELECT * FROM organisations WHERE id = $1`},
			{&s.Roles, `SELECT * FROM organisation_roles WHERE organisation_id = $1`},
			{&s.Capabilities, `SELECT * FROM organisation_capabilities WHERE organisation_id = $1`},
			{&s.Memberships, `SELECT * FROM memberships WHERE organisation_id = $1`},
			{&s.Identifiers, `SELECT * FROM organisation_identifiers WHERE organisation_id = $1`},
			{&s.Distinct, `SELECT * FROM organisation_distinct WHERE a_id = $1 OR b_id = $1`},
		} {
			if *x.dst, err = snapshot(ctx, tx, x.q, fr); err != nil {
				return err
			}
		}
		if err := db.scanTx(ctx, tx, func(r *sql.Rows) error {
			var k [2]string
			err := r.Scan(&k[0], &k[1])
			s.Participations = append(s.Participations, k)
			return err
		}, `SELECT project_id, pic FROM participations WHERE organisation_id = $1 ORDER BY project_id, pic`, fr); err != nil {
			return err
		}
		for _, x := range []struct {
			dst *[]string
			q   string
		}{
			{&s.CordisPICs, `SELECT pic FROM cordis_organisations WHERE organisation_id = $1 ORDER BY pic`},
			{&s.People, `SELECT id FROM people WHERE organisation_id = $1 ORDER BY id`},
			{&s.Facilities, `SELECT id FROM facilities WHERE organisation_id = $1 ORDER BY id`},
			{&s.Invitations, `SELECT id FROM invitations WHERE organisation_id = $1 ORDER BY id`},
		} {
			if err := db.scanTx(ctx, tx, func(r *sql.Rows) error {
				var v string
				err := r.Scan(&v)
				*x.dst = append(*x.dst, v)
				return err
			}, x.q, fr); err != nil {
				return err
			}
		}

		// Links into lacks: added, remembered for undo.
		if s.Added.Roles, err = addMissing(ctx, tx, "organisation_roles", "role", in, column(s.Roles, "role")); err != nil {
			return err
		}
		if s.Added.Capabilities, err = addMissing(ctx, tx, "organisation_capabilities", "capability_code", in, column(s.Capabilities, "capability_code")); err != nil {
			return err
		}
		for _, mr := range s.Memberships {
			cluster := mr["cluster_id"].V
			res, err := tx.ExecContext(ctx, `INSERT INTO memberships (cluster_id, organisation_id, role, since) VALUES ($1, $2, $3, $4)
				ON CONFLICT (cluster_id, organisation_id) DO NOTHING`, cluster, in, mr["role"].V, mr["since"].V)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				s.Added.Memberships = append(s.Added.Memberships, cluster)
			}
		}
		idents := [][2]string{}
		if m.From.PIC != "" {
			idents = append(idents, [2]string{"pic", m.From.PIC})
		}
		if m.From.VAT != "" {
			idents = append(idents, [2]string{"vat", m.From.VAT})
		}
		for _, r := range s.Identifiers {
			idents = append(idents, [2]string{r["scheme"].V, r["value"].V})
		}
		for _, id := range idents {
			res, err := tx.ExecContext(ctx, `INSERT INTO organisation_identifiers (scheme, value, organisation_id, source) VALUES ($1, $2, $3, 'merge')
				ON CONFLICT (scheme, value, organisation_id) DO NOTHING`, id[0], id[1], in)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				s.Added.Identifiers = append(s.Added.Identifiers, id)
			}
		}

		// What moves.
		for _, q := range []string{
			`UPDATE participations SET organisation_id = $1 WHERE organisation_id = $2`,
			`UPDATE cordis_organisations SET organisation_id = $1 WHERE organisation_id = $2`,
			`UPDATE people SET organisation_id = $1 WHERE organisation_id = $2`,
			`UPDATE facilities SET organisation_id = $1 WHERE organisation_id = $2`,
			// Open invitations now invite into the organisation kept
			// (deleting from would otherwise drop them).
			`UPDATE invitations SET organisation_id = $1 WHERE organisation_id = $2`,
		} {
			if _, err := tx.ExecContext(ctx, q, in, fr); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM organisations WHERE id = $1`, fr); err != nil {
			if db.dialect.ForeignKey(err) {
				// Something this code does not move (an account, say)
				// still belongs to from.
				return &store.ConflictError{Field: "from", Code: validate.InUse}
			}
			return err
		}

		body, err := json.Marshal(s)
		if err != nil {
			return err
		}
		m.ID, m.Actor, m.MergedAt, m.Moved = newID(), audit.ActorFrom(ctx).Label, now(), s.moved()
		if _, err := tx.ExecContext(ctx, `INSERT INTO organisation_merges (id, into_id, from_id, into_name, from_name, snapshot, actor, merged_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.ID, in, fr, m.Into.Name, m.From.Name, string(body), m.Actor, m.MergedAt); err != nil {
			return err
		}
		detail := fmt.Sprintf("merge %s: %s (%s) into %s (%s)", m.ID, m.From.Name, fr, m.Into.Name, in)
		return tx.changeMany(ctx, []change{
			{"organisation", fr, "delete", detail},
			{"organisation", in, "update", detail},
			{"organisation_merge", m.ID, "create", detail},
		})
	})
	return m, db.mapError(err)
}

// addMissing adds values to owner's link table where it lacks them, after
// its own, and returns those added.
func addMissing(ctx context.Context, tx *Tx, table, col, owner string, values []string) ([]string, error) {
	var pos int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), -1) + 1 FROM `+table+` WHERE organisation_id = $1`, owner).Scan(&pos); err != nil {
		return nil, err
	}
	var added []string
	for _, v := range values {
		res, err := tx.ExecContext(ctx, `INSERT INTO `+table+` (organisation_id, `+col+`, position) VALUES ($1, $2, $3)
			ON CONFLICT (organisation_id, `+col+`) DO NOTHING`, owner, v, pos)
		if err != nil {
			return nil, err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added = append(added, v)
			pos++
		}
	}
	return added, nil
}

func (db *DB) scanTx(ctx context.Context, tx *Tx, scan func(*sql.Rows) error, q string, args ...any) error {
	rows, err := tx.QueryContext(ctx, q, args...)
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

// AlreadyUndone is the message key for undoing a merge twice.
const AlreadyUndone = "error.already_undone"

// UndoMerge restores the organisation a merge removed, with everything
// that moved, and takes back what the merge added to the organisation
// kept. The merge record stays, marked undone.
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
		if undone.Valid {
			return &store.ConflictError{Field: "id", Code: AlreadyUndone}
		}
		var s mergeSnapshot
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			return fmt.Errorf("merge %s: snapshot: %w", id, err)
		}
		in, fr := m.Into.ID, m.From.ID
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, in).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			// into was itself merged away (or deleted): undo that first.
			return &store.ConflictError{Field: "into", Code: validate.NotFound}
		}

		// Take back what the merge added to into, so that from's unique
		// identifiers are free again.
		for _, x := range []struct {
			table, col string
			values     []string
		}{
			{"organisation_roles", "role", s.Added.Roles},
			{"organisation_capabilities", "capability_code", s.Added.Capabilities},
			{"memberships", "cluster_id", s.Added.Memberships},
		} {
			for _, v := range x.values {
				if _, err := tx.ExecContext(ctx, `DELETE FROM `+x.table+` WHERE organisation_id = $1 AND `+x.col+` = $2`, in, v); err != nil {
					return err
				}
			}
		}
		for _, idn := range s.Added.Identifiers {
			if _, err := tx.ExecContext(ctx, `DELETE FROM organisation_identifiers WHERE scheme = $1 AND value = $2 AND organisation_id = $3`, idn[0], idn[1], in); err != nil {
				return err
			}
		}
		for _, r := range []struct {
			table string
			rows  []row
		}{
			{"organisations", s.Organisation}, {"organisation_roles", s.Roles}, {"organisation_capabilities", s.Capabilities},
			{"memberships", s.Memberships}, {"organisation_identifiers", s.Identifiers},
		} {
			if err := restore(ctx, tx, r.table, r.rows); err != nil {
				if _, _, ok := db.dialect.Unique(err); ok {
					// Someone took from's slug, PIC or VAT number since.
					return &store.ConflictError{Field: "from", Code: validate.Duplicate}
				}
				return err
			}
		}
		// Distinct marks come back only where the other organisation
		// still exists.
		for _, r := range s.Distinct {
			other := r["a_id"].V
			if other == fr {
				other = r["b_id"].V
			}
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations WHERE id = $1`, other).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				if err := restore(ctx, tx, "organisation_distinct", []row{r}); err != nil {
					return err
				}
			}
		}
		for _, pa := range s.Participations {
			if _, err := tx.ExecContext(ctx, `UPDATE participations SET organisation_id = $1 WHERE project_id = $2 AND pic = $3 AND organisation_id = $4`, fr, pa[0], pa[1], in); err != nil {
				return err
			}
		}
		// Participations imported since the merge under from's PICs go
		// back with them.
		for _, pic := range s.CordisPICs {
			if _, err := tx.ExecContext(ctx, `UPDATE participations SET organisation_id = $1 WHERE pic = $2 AND organisation_id = $3`, fr, pic, in); err != nil {
				return err
			}
		}
		for _, x := range []struct {
			q   string
			ids []string
		}{
			{`UPDATE cordis_organisations SET organisation_id = $1 WHERE pic = $2 AND organisation_id = $3`, s.CordisPICs},
			{`UPDATE people SET organisation_id = $1 WHERE id = $2 AND organisation_id = $3`, s.People},
			{`UPDATE facilities SET organisation_id = $1 WHERE id = $2 AND organisation_id = $3`, s.Facilities},
			{`UPDATE invitations SET organisation_id = $1 WHERE id = $2 AND organisation_id = $3`, s.Invitations},
		} {
			for _, v := range x.ids {
				if _, err := tx.ExecContext(ctx, x.q, fr, v, in); err != nil {
					return err
				}
			}
		}
		t := now()
		m.UndoneAt, m.UndoneBy, m.Moved = &t, audit.ActorFrom(ctx).Label, s.moved()
		if _, err := tx.ExecContext(ctx, `UPDATE organisation_merges SET undone_at = $2, undone_by = $3 WHERE id = $1`, m.ID, t, m.UndoneBy); err != nil {
			return err
		}
		detail := fmt.Sprintf("undo merge %s: %s (%s) out of %s (%s)", m.ID, m.From.Name, fr, m.Into.Name, in)
		return tx.changeMany(ctx, []change{
			{"organisation", fr, "create", detail},
			{"organisation", in, "update", detail},
			{"organisation_merge", m.ID, "delete", detail},
		})
	})
	if err != nil {
		return m, db.mapError(err)
	}
	return db.fillMergeRefs(ctx, m)
}

// fillMergeRefs completes the organisation references of a merge.
func (db *DB) fillMergeRefs(ctx context.Context, m projects.Merge) (projects.Merge, error) {
	for _, o := range []*projects.OrgRef{&m.Into, &m.From} {
		err := db.queryRow(ctx, `SELECT slug, country, city, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations WHERE id = $1`, o.ID).
			Scan(&o.Slug, &o.Country, &o.City, &o.PIC, &o.VAT)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return m, err
		}
	}
	return m, nil
}

// ListMerges returns merges, newest first, undone ones included.
func (db *DB) ListMerges(ctx context.Context, limit int) ([]projects.Merge, error) {
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	out := []projects.Merge{}
	err := db.scanAll(ctx, func(r *sql.Rows) error {
		var m projects.Merge
		var body string
		var undone sql.NullTime
		if err := r.Scan(&m.ID, &m.Into.ID, &m.From.ID, &m.Into.Name, &m.From.Name, &body, &m.Actor, &m.MergedAt, &undone, &m.UndoneBy); err != nil {
			return err
		}
		if undone.Valid {
			t := undone.Time
			m.UndoneAt = &t
		}
		var s mergeSnapshot
		if err := json.Unmarshal([]byte(body), &s); err != nil {
			return err
		}
		m.Moved = s.moved()
		if len(s.Organisation) == 1 {
			o := s.Organisation[0]
			m.From.Slug, m.From.Country, m.From.City = o["slug"].V, o["country"].V, o["city"].V
			m.From.PIC, m.From.VAT = strings.TrimSpace(o["pic"].V), strings.TrimSpace(o["vat"].V)
		}
		out = append(out, m)
		return nil
	}, `SELECT id, into_id, from_id, into_name, from_name, snapshot, actor, merged_at, undone_at, undone_by
		FROM organisation_merges ORDER BY merged_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, err
	}
	for i := range out {
		into := &out[i].Into
		err := db.queryRow(ctx, `SELECT slug, country, city, COALESCE(pic, ''), COALESCE(vat, '') FROM organisations WHERE id = $1`, into.ID).
			Scan(&into.Slug, &into.Country, &into.City, &into.PIC, &into.VAT)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
	}
	return out, nil
}
