package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/projects"
)

// orgScope returns " AND ..." with the access policy's condition on the
// organisation aliased o, its parameters added to w: projects are public,
// but the directory records of their participants follow the policy.
func orgScope(ctx context.Context, w *where, alias string) string {
	inner := where{args: w.args}
	inner.scope(access.ScopeFrom(ctx), alias+".reach", alias+".id", alias+".tlp")
	w.args = inner.args
	if len(inner.conds) == 0 {
		return ""
	}
	return " AND " + strings.Join(inner.conds, " AND ")
}

const projectCols = `p.id, p.rcn, p.acronym, p.title, p.status, p.framework, p.programmes, p.call_id, p.funding_scheme,
	p.start_date, p.end_date, p.website, p.total_cost_cents, p.eu_contribution_cents, p.created_at, p.updated_at, p.sort_key`

func scanProject(r interface{ Scan(...any) error }) (projects.Project, string, error) {
	var p projects.Project
	var key, programmes string
	var total, eu sql.NullInt64
	err := r.Scan(&p.ID, &p.RCN, &p.Acronym, &p.Title, &p.Status, &p.Framework, &programmes, &p.Call, &p.FundingScheme,
		&p.StartDate, &p.EndDate, &p.Website, &total, &eu, &p.CreatedAt, &p.UpdatedAt, &key)
	p.Programmes = splitOn(programmes, ";")
	p.TotalCostCents, p.EUContributionCents = centsOf(total), centsOf(eu)
	p.Topics, p.Subjects = []projects.Topic{}, []string{}
	return p, key, err
}

func splitOn(s, sep string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}

func centsOf(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	v := n.Int64
	return &v
}

// ListProjects lists projects by acronym, a page at a time.
func (db *DB) ListProjects(ctx context.Context, f projects.Filter) (directory.Page[projects.Project], error) {
	out := directory.Page[projects.Project]{Items: []projects.Project{}}
	var w where
	w.text("p.search_text", f.Query)
	if f.Organisation != "" {
		a := w.arg(f.Organisation)
		w.add(fmt.Sprintf(`EXISTS (SELECT 1 FROM participations pa JOIN organisations o ON o.id = pa.organisation_id
			WHERE pa.project_id = p.id AND (o.id = %s OR o.slug = %s)%s)`, a, a, orgScope(ctx, &w, "o")))
	}
	if f.Topic != "" {
		w.add("EXISTS (SELECT 1 FROM project_topics pt WHERE pt.project_id = p.id AND pt.code = " + w.arg(f.Topic) + ")")
	}
	if f.Framework != "" {
		w.add("p.framework = " + w.arg(f.Framework))
	}
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM projects p"+w.sql(), w.args...).Scan(&out.Total); err != nil {
		return out, err
	}
	if f.Cursor != "" {
		c, err := decodeCursor(f.Cursor)
		if err != nil {
			return out, err
		}
		k, i := w.arg(c.Key), w.arg(c.ID)
		w.add(fmt.Sprintf("(p.sort_key > %[1]s OR (p.sort_key = %[1]s AND p.id > %[2]s))", k, i))
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.query(ctx, fmt.Sprintf("SELECT %s FROM projects p%s ORDER BY p.sort_key, p.id LIMIT %s", projectCols, w.sql(), w.arg(limit+1)), w.args...)
	if err != nil {
		return out, err
	}
	defer rows.Close()
	var ids []string
	var lastKey string
	for rows.Next() {
		p, key, err := scanProject(rows)
		if err != nil {
			return out, err
		}
		if len(out.Items) == limit {
			out.Next = encodeCursor(lastKey, out.Items[len(out.Items)-1].ID)
			break
		}
		out.Items = append(out.Items, p)
		ids = append(ids, p.ID)
		lastKey = key
	}
	if err := rows.Err(); err != nil {
		return out, err
	}
	rows.Close()
	return out, db.fillProjects(ctx, out.Items, ids)
}

// fillProjects loads topics (with titles) and subjects for projects with
// one query per table.
func (db *DB) fillProjects(ctx context.Context, ps []projects.Project, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	index := map[string]int{}
	for i, p := range ps {
		index[p.ID] = i
	}
	var w where
	rows, err := db.query(ctx, `SELECT pt.project_id, pt.code, COALESCE(t.title, '') FROM project_topics pt LEFT JOIN topics t ON t.code = pt.code
		WHERE pt.project_id IN (`+w.inList(ids)+`) ORDER BY pt.project_id, pt.position`, w.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var t projects.Topic
		if err := rows.Scan(&id, &t.Code, &t.Title); err != nil {
			return err
		}
		p := &ps[index[id]]
		p.Topics = append(p.Topics, t)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	subjects, err := db.links(ctx, `SELECT project_id, subject FROM project_subjects WHERE project_id IN (%s) ORDER BY project_id, position`, ids)
	if err != nil {
		return err
	}
	for id, s := range subjects {
		ps[index[id]].Subjects = s
	}
	return nil
}

// GetProject returns a project with its objective and participants.
func (db *DB) GetProject(ctx context.Context, id string) (projects.Project, error) {
	var objective string
	p, _, err := scanProject(scanExtra{db.queryRow(ctx, `SELECT `+projectCols+`, p.objective FROM projects p WHERE p.id = $1`, id), &objective})
	if errors.Is(err, sql.ErrNoRows) {
		return projects.Project{}, notFound("project", id)
	}
	if err != nil {
		return projects.Project{}, err
	}
	p.Objective = objective
	ps := []projects.Project{p}
	if err := db.fillProjects(ctx, ps, []string{p.ID}); err != nil {
		return p, err
	}
	p = ps[0]
	w := where{args: []any{p.ID}}
	rows, err := db.query(ctx, `SELECT pa.pic, o.id, o.slug, o.name, o.country, pa.role, pa.eu_contribution_cents, pa.terminated
		FROM participations pa JOIN organisations o ON o.id = pa.organisation_id
		WHERE pa.project_id = $1`+orgScope(ctx, &w, "o")+`
		ORDER BY CASE WHEN pa.role = 'coordinator' THEN 0 ELSE 1 END, pa.position, o.sort_key, pa.pic`, w.args...)
	if err != nil {
		return p, err
	}
	defer rows.Close()
	p.Participants = []projects.Participation{}
	for rows.Next() {
		pa := projects.Participation{ProjectID: p.ID, ProjectAcronym: p.Acronym}
		var eu sql.NullInt64
		if err := rows.Scan(&pa.PIC, &pa.OrganisationID, &pa.OrganisationSlug, &pa.OrganisationName, &pa.Country, &pa.Role, &eu, &pa.Terminated); err != nil {
			return p, err
		}
		pa.EUContributionCents = centsOf(eu)
		p.Participants = append(p.Participants, pa)
	}
	return p, rows.Err()
}

// scanExtra scans a row into the project columns plus trailing ones.
type scanExtra struct {
	row   *sql.Row
	extra *string
}

func (s scanExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// TrackRecord sums up an organisation's projects with a fixed number of
// queries, however many projects it has. An organisation the viewer may
// not see has none (not found); partners the viewer may not see are left
// out.
func (db *DB) TrackRecord(ctx context.Context, key string) (projects.TrackRecord, error) {
	tr := projects.TrackRecord{ByYear: []projects.YearCount{}, Roles: []projects.RoleCount{}, Topics: []projects.TopicCount{},
		Subjects: []projects.NameCount{}, Partners: []projects.Partner{}, Recent: []projects.ProjectRole{}}
	w := where{args: []any{key}}
	err := db.queryRow(ctx, `SELECT o.id FROM organisations o WHERE (o.id = $1 OR o.slug = $1)`+orgScope(ctx, &w, "o"), w.args...).Scan(&tr.OrganisationID)
	if errors.Is(err, sql.ErrNoRows) {
		return tr, notFound("organisation", key)
	}
	if err != nil {
		return tr, err
	}
	id := tr.OrganisationID

	if err := db.trackProjects(ctx, id, &tr); err != nil {
		return tr, err
	}
	err = db.scanAll(ctx, func(r *sql.Rows) error {
		var t projects.TopicCount
		err := r.Scan(&t.Code, &t.Title, &t.Projects)
		tr.Topics = append(tr.Topics, t)
		return err
	}, `SELECT pt.code, COALESCE(MAX(t.title), ''), COUNT(DISTINCT pt.project_id) AS n
		FROM project_topics pt LEFT JOIN topics t ON t.code = pt.code
		WHERE pt.project_id IN (SELECT project_id FROM participations WHERE organisation_id = $1)
		GROUP BY pt.code ORDER BY n DESC, pt.code LIMIT $2`, id, projects.MaxTopics)
	if err != nil {
		return tr, err
	}
	err = db.scanAll(ctx, func(r *sql.Rows) error {
		var s projects.NameCount
		err := r.Scan(&s.Name, &s.Projects)
		tr.Subjects = append(tr.Subjects, s)
		return err
	}, `SELECT ps.subject, COUNT(DISTINCT ps.project_id) AS n FROM project_subjects ps
		WHERE ps.project_id IN (SELECT project_id FROM participations WHERE organisation_id = $1)
		GROUP BY ps.subject ORDER BY n DESC, ps.subject LIMIT $2`, id, projects.MaxTopics)
	if err != nil {
		return tr, err
	}
	w = where{args: []any{id, projects.MaxPartners}}
	err = db.scanAll(ctx, func(r *sql.Rows) error {
		var p projects.Partner
		var key string
		err := r.Scan(&p.OrganisationID, &p.Slug, &p.Name, &p.Country, &key, &p.Projects)
		tr.Partners = append(tr.Partners, p)
		return err
	}, `SELECT o.id, o.slug, o.name, o.country, o.sort_key, COUNT(DISTINCT b.project_id) AS n
		FROM participations a
		JOIN participations b ON b.project_id = a.project_id AND b.organisation_id <> a.organisation_id
		JOIN organisations o ON o.id = b.organisation_id
		WHERE a.organisation_id = $1`+orgScope(ctx, &w, "o")+`
		GROUP BY o.id, o.slug, o.name, o.country, o.sort_key
		ORDER BY n DESC, o.sort_key, o.id LIMIT $2`, w.args...)
	return tr, err
}

// trackProjects reads an organisation's participations: the counts by
// year and role, the EU money and the most recent projects.
func (db *DB) trackProjects(ctx context.Context, id string, tr *projects.TrackRecord) error {
	rows, err := db.query(ctx, `SELECT p.id, p.acronym, p.title, p.start_date, pa.role, pa.eu_contribution_cents
		FROM participations pa JOIN projects p ON p.id = pa.project_id
		WHERE pa.organisation_id = $1 ORDER BY p.start_date DESC, p.id DESC, pa.role`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	years := map[int]*projects.YearCount{}
	roles := map[string]int{}
	coordinated := map[string]bool{}
	for rows.Next() {
		var pr projects.ProjectRole
		var eu sql.NullInt64
		if err := rows.Scan(&pr.ProjectID, &pr.Acronym, &pr.Title, &pr.StartDate, &pr.Role, &eu); err != nil {
			return err
		}
		pr.EUContributionCents = centsOf(eu)
		roles[pr.Role]++
		if eu.Valid {
			tr.EUContributionCents += eu.Int64
		} else {
			tr.UnknownAmounts++
		}
		if pr.Role == "coordinator" {
			coordinated[pr.ProjectID] = true
		}
		year := 0
		if len(pr.StartDate) >= 4 {
			fmt.Sscan(pr.StartDate[:4], &year)
		}
		y := years[year]
		if y == nil {
			y = &projects.YearCount{Year: year}
			years[year] = y
		}
		y.EUContributionCents += eu.Int64
		if !seen[pr.ProjectID] {
			seen[pr.ProjectID] = true
			y.Projects++
			if len(tr.Recent) < projects.MaxRecent {
				tr.Recent = append(tr.Recent, pr)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	tr.Projects, tr.Coordinated = len(seen), len(coordinated)
	for _, y := range years {
		tr.ByYear = append(tr.ByYear, *y)
	}
	slices.SortFunc(tr.ByYear, func(a, b projects.YearCount) int { return cmp.Compare(a.Year, b.Year) })
	for r, n := range roles {
		tr.Roles = append(tr.Roles, projects.RoleCount{Role: r, Count: n})
	}
	slices.SortFunc(tr.Roles, func(a, b projects.RoleCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Role, b.Role))
	})
	return nil
}

// scanAll runs a read query and calls scan for each row.
func (db *DB) scanAll(ctx context.Context, scan func(*sql.Rows) error, q string, args ...any) error {
	rows, err := db.query(ctx, q, args...)
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
