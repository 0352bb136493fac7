package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/listing"
)

// where accumulates conditions and their numbered parameters.
type where struct {
	conds []string
	args  []any
}

func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// likeEscape escapes LIKE wildcards; the queries declare ESCAPE '\'.
func likeEscape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

// text adds one condition per query word against the search_text column.
func (w *where) text(column, q string) {
	for _, word := range directory.Words(q) {
		w.add(column + " LIKE " + w.arg("%"+likeEscape(word)+"%") + ` ESCAPE '\'`)
	}
}

// capability matches a code and its descendants in a link table.
func (w *where) capability(table, owner, ownerCol, code string) {
	a, b := w.arg(code), w.arg(likeEscape(code)+".%")
	w.add(fmt.Sprintf(`EXISTS (SELECT 1 FROM %s x WHERE x.%s = %s AND (x.capability_code = %s OR x.capability_code LIKE %s ESCAPE '\'))`,
		table, ownerCol, owner, a, b))
}

// encodeCursor and decodeCursor are the shared listing cursor (for the
// lists that page by (sort_key, id)).
func encodeCursor(key, id string) string { return listing.Cursor{Key: key, ID: id}.Encode() }

func decodeCursor(s string) (listing.Cursor, error) { return listing.DecodeCursor(s) }

// keyed is a row with its sort key, for cursors.
type keyed[T any] struct {
	item T
	key  string
	id   string
}

// static returns fixed columns for page.
func static(cols string) func(*where) string { return func(*where) string { return cols } }

// page runs a list query: count with the filter, then one page after the
// cursor in (sort_key, id) order.
func page[T any](ctx context.Context, db *DB, f directory.Filter, selectCols func(*where) string, from, alias string, w *where,
	scan func(*sql.Rows) (keyed[T], error)) (directory.Page[T], []string, error) {
	var out directory.Page[T]
	out.Items = []T{}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM "+from+w.sql(), w.args...).Scan(&out.Total); err != nil {
		return out, nil, err
	}
	// Columns may carry parameters of their own (scoped counts); they are
	// numbered after the count query's.
	cols := selectCols(w)
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return out, nil, err
		}
		k, i := w.arg(c.Key), w.arg(c.ID)
		w.add(fmt.Sprintf("(%[1]s.sort_key > %[2]s OR (%[1]s.sort_key = %[2]s AND %[1]s.id > %[3]s))", alias, k, i))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := fmt.Sprintf("SELECT %s FROM %s%s ORDER BY %s.sort_key, %s.id LIMIT %s",
		cols, from, w.sql(), alias, alias, w.arg(limit+1))
	rows, err := db.query(ctx, q, w.args...)
	if err != nil {
		return out, nil, err
	}
	defer rows.Close()
	var ids []string
	var last keyed[T]
	for rows.Next() {
		k, err := scan(rows)
		if err != nil {
			return out, nil, err
		}
		if len(out.Items) == limit {
			out.Next = encodeCursor(last.key, last.id)
			break
		}
		out.Items = append(out.Items, k.item)
		ids = append(ids, k.id)
		last = k
	}
	return out, ids, rows.Err()
}

// inList returns "$a, $b, ..." for ids, added to w.
func (w *where) inList(ids []string) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = w.arg(id)
	}
	return strings.Join(parts, ", ")
}

// links loads owner → values from a link table for a set of owners in one
// query, in the table's position order when it has one.
func (db *DB) links(ctx context.Context, q string, ids []string) (map[string][]string, error) {
	out := map[string][]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var w where
	rows, err := db.query(ctx, fmt.Sprintf(q, w.inList(ids)), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var owner, v string
		if err := rows.Scan(&owner, &v); err != nil {
			return nil, err
		}
		out[owner] = append(out[owner], v)
	}
	return out, rows.Err()
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// joinList and splitList store short lists (languages) in one column.
func joinList(v []string) string { return strings.Join(v, ",") }

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// scope adds the access policy's condition for a record whose effective
// reach, owner organisation and TLP are in the given columns (see
// access.Scope for the rule this mirrors).
func (w *where) scope(s access.Scope, reach, owner, tlp string) {
	if s.Bulk {
		w.add(tlp + " <> " + w.arg(access.TLPRed))
	}
	if s.All {
		return
	}
	ors := []string{reach + " >= " + w.arg(int(s.MinReach))}
	if len(s.Orgs) > 0 {
		ors = append(ors, owner+" IN ("+w.inList(s.Orgs)+")")
	}
	if len(s.Clusters) > 0 {
		ors = append(ors, fmt.Sprintf("(%s >= 1 AND EXISTS (SELECT 1 FROM memberships sm WHERE sm.organisation_id = %s AND sm.cluster_id IN (%s)))",
			reach, owner, w.inList(s.Clusters)))
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
}

// personScope adds the policy for people: the person's own sharing, their
// organisation's visibility, and the listing consent.
func (w *where) personScope(s access.Scope) {
	self := ""
	if s.PersonID != "" {
		self = "p.id = " + w.arg(s.PersonID) + " OR "
	}
	if !s.All {
		listed := "p.listed = " + w.arg(true)
		if len(s.UnlistedOrgs) > 0 {
			listed += " OR p.organisation_id IN (" + w.inList(s.UnlistedOrgs) + ")"
		}
		w.add("(" + self + listed + ")")
	}
	var inner where
	inner.args = w.args
	inner.scope(s, "p.reach", "p.organisation_id", "p.tlp")
	inner.scope(s, "o.reach", "o.id", "o.tlp")
	w.args = inner.args
	if len(inner.conds) > 0 {
		w.add("(" + self + "(" + strings.Join(inner.conds, " AND ") + "))")
	}
}

// facilityScope applies the policy to a facility and to its owner, so that
// a visible facility never reveals a hidden organisation.
func (w *where) facilityScope(s access.Scope) {
	n := len(w.conds)
	w.scope(s, "f.reach", "f.organisation_id", "f.tlp")
	w.scope(s, "o.reach", "o.id", "o.tlp")
	if len(s.Facilities) > 0 && !s.Bulk && len(w.conds) > n {
		// A stay's grant: these facilities are visible besides the policy.
		policy := strings.Join(w.conds[n:], " AND ")
		w.conds = append(w.conds[:n], "(f.id IN ("+w.inList(s.Facilities)+") OR ("+policy+"))")
	}
}
