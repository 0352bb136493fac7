package sqlstore

import (
	"context"
	"fmt"

	"github.com/escnet/escnet/internal/access"
)

// NetworkNode is an organisation in a collaboration network.
type NetworkNode struct {
	ID, Slug, Name, Kind, Country string
	Focus                         bool
}

// NetworkEdge is a number of shared projects between two organisations.
type NetworkEdge struct {
	From, To string
	Projects int
}

// CollaborationNetwork returns who worked with whom in imported projects
// around the focus organisations: their top partners (by shared projects,
// at most limit) and every pair among focus and partners with shared
// projects. Only organisations the viewer may see appear. Three queries,
// whatever the size of the data.
func (db *DB) CollaborationNetwork(ctx context.Context, focus []string, limit int) ([]NetworkNode, []NetworkEdge, error) {
	if len(focus) == 0 {
		return nil, nil, nil
	}
	scope := access.ScopeFrom(ctx)
	// Top partners of the focus, visible to the viewer.
	var w where
	in := w.inList(focus)
	w.scope(scope, "o.reach", "o.id", "o.tlp")
	cond := ""
	if len(w.conds) > 0 {
		cond = " AND " + w.conds[0]
	}
	q := fmt.Sprintf(`SELECT b.organisation_id, COUNT(DISTINCT a.project_id) AS n
		FROM participations a JOIN participations b ON b.project_id = a.project_id
		JOIN organisations o ON o.id = b.organisation_id
		WHERE a.organisation_id IN (%s) AND b.organisation_id NOT IN (%s)%s
		GROUP BY b.organisation_id ORDER BY n DESC, b.organisation_id LIMIT %s`, in, in, cond, w.arg(limit))
	rows, err := db.query(ctx, q, w.args...)
	if err != nil {
		return nil, nil, err
	}
	ids := append([]string(nil), focus...)
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return nil, nil, err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// The nodes, as the viewer may see them.
	var nw where
	nw.add("o.id IN (" + nw.inList(ids) + ")")
	nw.scope(scope, "o.reach", "o.id", "o.tlp")
	rows, err = db.query(ctx, `SELECT o.id, o.slug, o.name, o.kind, o.country FROM organisations o`+nw.sql(), nw.args...)
	if err != nil {
		return nil, nil, err
	}
	isFocus := map[string]bool{}
	for _, f := range focus {
		isFocus[f] = true
	}
	var nodes []NetworkNode
	visible := map[string]bool{}
	for rows.Next() {
		var n NetworkNode
		if err := rows.Scan(&n.ID, &n.Slug, &n.Name, &n.Kind, &n.Country); err != nil {
			rows.Close()
			return nil, nil, err
		}
		n.Focus = isFocus[n.ID]
		nodes = append(nodes, n)
		visible[n.ID] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if len(nodes) < 2 {
		return nodes, nil, nil
	}
	var vis []string
	for _, n := range nodes {
		vis = append(vis, n.ID)
	}
	// Shared projects between every pair of visible nodes.
	var ew where
	list := ew.inList(vis)
	rows, err = db.query(ctx, fmt.Sprintf(`SELECT a.organisation_id, b.organisation_id, COUNT(DISTINCT a.project_id)
		FROM participations a JOIN participations b ON b.project_id = a.project_id AND a.organisation_id < b.organisation_id
		WHERE a.organisation_id IN (%s) AND b.organisation_id IN (%s)
		GROUP BY a.organisation_id, b.organisation_id`, list, list), ew.args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var edges []NetworkEdge
	for rows.Next() {
		var e NetworkEdge
		if err := rows.Scan(&e.From, &e.To, &e.Projects); err != nil {
			return nil, nil, err
		}
		edges = append(edges, e)
	}
	return nodes, edges, rows.Err()
}
