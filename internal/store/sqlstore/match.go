package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/escnet/escnet/internal/match"
	"github.com/escnet/escnet/internal/match/live"
)

// The partner finder's reads (match/live.Store): the whole directory and
// project record in a fixed number of queries, whatever their size, each
// streamed row by row into the snapshot. They read as the application
// does (every organisation, whatever its visibility): the finder applies
// the viewer's scope per request.

// MatchData reads every organisation with its roles, capabilities (with
// their labels in every language), clusters and PICs, and every project
// with its topics, subjects and participants: ten queries.
func (db *DB) MatchData(ctx context.Context) (d live.Data, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("MatchData: %w", err)
		}
	}()
	org, err := db.matchOrgs(ctx, &d)
	if err != nil {
		return d, err
	}
	if err := db.matchClusters(ctx, &d, org); err != nil {
		return d, err
	}
	return d, db.matchProjects(ctx, &d)
}

// matchOrgs reads the organisations with their roles and capabilities,
// and returns how to find one by id: rows of an organisation created
// after the first query are left out.
func (db *DB) matchOrgs(ctx context.Context, d *live.Data) (func(id string) *live.Org, error) {
	orgAt := map[string]int{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var o live.Org
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.ShortName, &o.Kind, &o.SME, &o.Country, &o.PIC, &o.Description,
			&o.Visibility, &o.TLP); err != nil {
			return err
		}
		orgAt[o.ID] = len(d.Orgs)
		d.Orgs = append(d.Orgs, o)
		return nil
	}, `SELECT id, slug, name, short_name, kind, sme, country, COALESCE(pic, ''), description, visibility, tlp
		FROM organisations ORDER BY id`)
	if err != nil {
		return nil, err
	}
	org := func(id string) *live.Org {
		if i, ok := orgAt[id]; ok {
			return &d.Orgs[i]
		}
		return nil
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id, role string
		if err := rows.Scan(&id, &role); err != nil {
			return err
		}
		if o := org(id); o != nil {
			o.Roles = append(o.Roles, role)
		}
		return nil
	}, `SELECT organisation_id, role FROM organisation_roles ORDER BY organisation_id, position`)
	if err != nil {
		return nil, err
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id, code, en, nl, fr, de string
		if err := rows.Scan(&id, &code, &en, &nl, &fr, &de); err != nil {
			return err
		}
		if o := org(id); o != nil {
			o.Capabilities = append(o.Capabilities, match.Capability{Code: code,
				Labels: map[string]string{"en": en, "nl": nl, "fr": fr, "de": de}})
		}
		return nil
	}, `SELECT oc.organisation_id, c.code, c.label_en, c.label_nl, c.label_fr, c.label_de
		FROM organisation_capabilities oc JOIN capabilities c ON c.code = oc.capability_code
		ORDER BY oc.organisation_id, oc.position`)
	if err != nil {
		return nil, err
	}
	return org, nil
}

// matchClusters reads the clusters, the memberships and the PICs merged
// into organisations.
func (db *DB) matchClusters(ctx context.Context, d *live.Data, org func(id string) *live.Org) error {
	err := db.each(ctx, func(rows *sql.Rows) error {
		var c live.Cluster
		if err := rows.Scan(&c.ID, &c.Slug, &c.Name); err != nil {
			return err
		}
		d.Clusters = append(d.Clusters, c)
		return nil
	}, `SELECT id, slug, name FROM clusters ORDER BY sort_key, id`)
	if err != nil {
		return err
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id, clusterID, name string
		if err := rows.Scan(&id, &clusterID, &name); err != nil {
			return err
		}
		if o := org(id); o != nil {
			o.ClusterIDs = append(o.ClusterIDs, clusterID)
			o.Clusters = append(o.Clusters, name)
		}
		return nil
	}, `SELECT m.organisation_id, c.id, c.name FROM memberships m JOIN clusters c ON c.id = m.cluster_id
		ORDER BY m.organisation_id, c.sort_key, c.id`)
	if err != nil {
		return err
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id, pic string
		if err := rows.Scan(&id, &pic); err != nil {
			return err
		}
		if o := org(id); o != nil && pic != o.PIC {
			o.PICs = append(o.PICs, pic)
		}
		return nil
	}, `SELECT organisation_id, value FROM organisation_identifiers WHERE scheme = 'pic' ORDER BY organisation_id, value`)
	if err != nil {
		return err
	}
	return nil
}

// matchProjects reads the projects with their topics, subjects and
// participants.
func (db *DB) matchProjects(ctx context.Context, d *live.Data) error {
	projAt := map[string]int{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var p match.Project
		if err := rows.Scan(&p.ID, &p.Acronym, &p.Title, &p.Objective, &p.Start, &p.Scheme, &p.Call); err != nil {
			return err
		}
		projAt[p.ID] = len(d.Projects)
		d.Projects = append(d.Projects, p)
		return nil
	}, `SELECT id, acronym, title, objective, start_date, funding_scheme, call_id FROM projects ORDER BY id`)
	if err != nil {
		return err
	}
	project := func(id string) *match.Project {
		if i, ok := projAt[id]; ok {
			return &d.Projects[i]
		}
		return nil
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id string
		var t match.Topic
		if err := rows.Scan(&id, &t.Code, &t.Title, &t.CallName); err != nil {
			return err
		}
		if p := project(id); p != nil {
			p.Topics = append(p.Topics, t)
		}
		return nil
	}, `SELECT pt.project_id, pt.code, COALESCE(t.title, ''), COALESCE(t.call_name, '')
		FROM project_topics pt LEFT JOIN topics t ON t.code = pt.code ORDER BY pt.project_id, pt.position`)
	if err != nil {
		return err
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id, subject string
		if err := rows.Scan(&id, &subject); err != nil {
			return err
		}
		if p := project(id); p != nil {
			p.Subjects = append(p.Subjects, subject)
		}
		return nil
	}, `SELECT project_id, subject FROM project_subjects ORDER BY project_id, position`)
	if err != nil {
		return err
	}
	// Participants in consortium order: the coordinator first.
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id string
		var pt match.Participant
		if err := rows.Scan(&id, &pt.OrgID, &pt.Role); err != nil {
			return err
		}
		if p := project(id); p != nil {
			p.Participants = append(p.Participants, pt)
		}
		return nil
	}, `SELECT project_id, organisation_id, role FROM participations
		ORDER BY project_id, CASE WHEN role = 'coordinator' THEN 0 ELSE 1 END, position, pic`)
	return err
}

// each runs a query and calls fn for every row as it arrives.
func (db *DB) each(ctx context.Context, fn func(*sql.Rows) error, q string, args ...any) error {
	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
