package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/inquiries"
	"github.com/escnet/escnet/internal/store"
)

// The contact point's desks, experts and routing snapshot.

func (db *DB) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	out := []string{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}, q, args...)
	return out, err
}

// DeskClusters lists the clusters whose desk a user is named to.
func (db *DB) DeskClusters(ctx context.Context, userID string) ([]string, error) {
	return db.strings(ctx, `SELECT cluster_id FROM inquiry_desk WHERE user_id = $1 ORDER BY cluster_id`, userID)
}

// ListDesk lists a cluster's named desk staff.
func (db *DB) ListDesk(ctx context.Context, clusterID string) ([]inquiries.DeskMember, error) {
	out := []inquiries.DeskMember{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var m inquiries.DeskMember
		if err := rows.Scan(&m.UserID, &m.Email, &m.Name); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	}, `SELECT u.id, u.email, u.name FROM inquiry_desk d JOIN users u ON u.id = d.user_id WHERE d.cluster_id = $1 ORDER BY u.email`, clusterID)
	return out, err
}

// DeskVersion is the version of a cluster's desk staff list (1 until it
// is first set).
func (db *DB) DeskVersion(ctx context.Context, clusterID string) (int, error) {
	var v int
	err := db.queryRow(ctx, `SELECT COALESCE((SELECT version FROM inquiry_desk_versions WHERE cluster_id = $1), 1)`, clusterID).Scan(&v)
	return v, err
}

// SetDesk replaces a cluster's named desk staff when the list is still
// at version expected (0: no check), and returns the new version.
func (db *DB) SetDesk(ctx context.Context, clusterID string, userIDs []string, expected int) (int, error) {
	var next int
	err := db.mapError(db.Transact(ctx, func(tx *Tx) error {
		cur := 1
		err := tx.QueryRowContext(ctx, `SELECT version FROM inquiry_desk_versions WHERE cluster_id = $1`, clusterID).Scan(&cur)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if expected > 0 && expected != cur {
			return fmt.Errorf("desk of cluster %q is at version %d, not %d: %w", clusterID, cur, expected, store.ErrStale)
		}
		next = cur + 1
		if _, err := tx.ExecContext(ctx, `INSERT INTO inquiry_desk_versions (cluster_id, version) VALUES ($1, $2)
			ON CONFLICT (cluster_id) DO UPDATE SET version = excluded.version`, clusterID, next); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM inquiry_desk WHERE cluster_id = $1`, clusterID); err != nil {
			return err
		}
		for _, u := range userIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO inquiry_desk (cluster_id, user_id) VALUES ($1, $2)`, clusterID, u); err != nil {
				return err
			}
		}
		return tx.changeDetail(ctx, "inquiry_desk", clusterID, "set", strings.Join(userIDs, " "))
	}))
	return next, err
}

// UserIDByEmail finds an account by address.
func (db *DB) UserIDByEmail(ctx context.Context, email string) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT id FROM users WHERE email = $1 AND NOT disabled`, strings.ToLower(strings.TrimSpace(email))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("user: %w", store.ErrNotFound)
	}
	return id, err
}

// ManagerEmails lists the addresses of a cluster's managers.
func (db *DB) ManagerEmails(ctx context.Context, clusterID string) ([]string, error) {
	return db.strings(ctx, `SELECT u.email FROM cluster_managers m JOIN users u ON u.id = m.user_id
		WHERE m.cluster_id = $1 AND NOT u.disabled ORDER BY u.email`, clusterID)
}

// DeskEmails lists the addresses of a cluster's managers and desk staff.
func (db *DB) DeskEmails(ctx context.Context, clusterID string) ([]string, error) {
	return db.strings(ctx, `SELECT u.email FROM users u WHERE NOT u.disabled AND (
		u.id IN (SELECT user_id FROM cluster_managers WHERE cluster_id = $1) OR
		u.id IN (SELECT user_id FROM inquiry_desk WHERE cluster_id = $1)) ORDER BY u.email`, clusterID)
}

// PersonEmail is an expert's address: their account's, else their entry's.
func (db *DB) PersonEmail(ctx context.Context, personID string) (string, error) {
	var email string
	err := db.queryRow(ctx, `SELECT COALESCE((SELECT u.email FROM users u WHERE u.person_id = $1 AND NOT u.disabled ORDER BY u.email LIMIT 1),
		(SELECT p.email FROM people p WHERE p.id = $1), '')`, personID).Scan(&email)
	if err == nil && email == "" {
		err = fmt.Errorf("person %q has no address: %w", personID, store.ErrNotFound)
	}
	return email, err
}

// SetExpert lists or unlists a person as an expert for questions.
func (db *DB) SetExpert(ctx context.Context, personID string, on bool, summary string) error {
	return db.Transact(ctx, func(tx *Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM people WHERE id = $1`, personID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("person %q: %w", personID, store.ErrNotFound)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM inquiry_experts WHERE person_id = $1`, personID); err != nil {
			return err
		}
		op := "unlist"
		if on {
			op = "list"
			if _, err := tx.ExecContext(ctx, `INSERT INTO inquiry_experts (person_id, summary, created_at) VALUES ($1, $2, $3)`, personID, summary, now()); err != nil {
				return err
			}
		}
		return tx.changeDetail(ctx, "inquiry_expert", personID, op, "")
	})
}

// ClusterExists resolves a cluster id or slug to its id.
func (db *DB) ClusterExists(ctx context.Context, key string) (string, error) {
	var id string
	err := db.queryRow(ctx, `SELECT id FROM clusters WHERE id = $1 OR slug = $1`, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("cluster %q: %w", key, store.ErrNotFound)
	}
	return id, err
}

// RoutingData reads the routing snapshot in a fixed number of queries.
func (db *DB) RoutingData(ctx context.Context) (s inquiries.Snapshot, err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("RoutingData: %w", err)
		}
	}()
	if s.Capabilities, err = db.ListCapabilities(ctx); err != nil {
		return s, err
	}
	clusterAt := map[string]int{}
	if err = db.each(ctx, func(rows *sql.Rows) error {
		var c inquiries.ClusterDoc
		err := rows.Scan(&c.ID, &c.Slug, &c.Name, &c.Country)
		clusterAt[c.ID] = len(s.Clusters)
		s.Clusters = append(s.Clusters, c)
		return err
	}, `SELECT id, slug, name, country FROM clusters ORDER BY sort_key, id`); err != nil {
		return s, err
	}
	if err = db.each(ctx, func(rows *sql.Rows) error {
		var id, code string
		err := rows.Scan(&id, &code)
		if i, ok := clusterAt[id]; ok {
			s.Clusters[i].Themes = append(s.Clusters[i].Themes, code)
		}
		return err
	}, `SELECT cluster_id, capability_code FROM cluster_themes ORDER BY cluster_id, position`); err != nil {
		return s, err
	}
	orgAt := map[string]int{}
	if err = db.each(ctx, func(rows *sql.Rows) error {
		var o inquiries.OrgDoc
		err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.Description, &o.Country, &o.Record.Visibility, &o.Record.TLP)
		o.Record.OwnerOrg = o.ID
		orgAt[o.ID] = len(s.Organisations)
		s.Organisations = append(s.Organisations, o)
		return err
	}, `SELECT id, slug, name, description, country, visibility, tlp FROM organisations ORDER BY id`); err != nil {
		return s, err
	}
	org := func(id string) *inquiries.OrgDoc {
		if i, ok := orgAt[id]; ok {
			return &s.Organisations[i]
		}
		return nil
	}
	if err = db.each(ctx, func(rows *sql.Rows) error {
		var id, code string
		err := rows.Scan(&id, &code)
		if o := org(id); o != nil {
			o.Capabilities = append(o.Capabilities, code)
		}
		return err
	}, `SELECT organisation_id, capability_code FROM organisation_capabilities ORDER BY organisation_id, position`); err != nil {
		return s, err
	}
	if err = db.each(ctx, func(rows *sql.Rows) error {
		var id, cluster string
		err := rows.Scan(&id, &cluster)
		if o := org(id); o != nil {
			o.Clusters = append(o.Clusters, cluster)
			o.Record.OwnerClusters = o.Clusters
		}
		return err
	}, `SELECT organisation_id, cluster_id FROM memberships ORDER BY organisation_id, cluster_id`); err != nil {
		return s, err
	}
	if err := db.routingExperts(ctx, &s, org); err != nil {
		return s, err
	}
	if err := db.routingFacilities(ctx, &s, org); err != nil {
		return s, err
	}
	return s, db.routingPractices(ctx, &s, org)
}

func (db *DB) routingExperts(ctx context.Context, s *inquiries.Snapshot, org func(string) *inquiries.OrgDoc) error {
	at := map[string]int{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var e inquiries.ExpertDoc
		var langs string
		err := rows.Scan(&e.PersonID, &e.Name, &e.Title, &e.Summary, &e.OrganisationID, &langs, &e.Record.Visibility, &e.Record.TLP)
		e.Languages = splitList(langs)
		e.Record.PersonID, e.Record.OwnerOrg = e.PersonID, e.OrganisationID
		if o := org(e.OrganisationID); o != nil {
			e.Record.OwnerClusters = o.Clusters
		}
		at[e.PersonID] = len(s.Experts)
		s.Experts = append(s.Experts, e)
		return err
	}, `SELECT p.id, p.name, p.title, x.summary, p.organisation_id, p.languages, p.visibility, p.tlp
		FROM inquiry_experts x JOIN people p ON p.id = x.person_id WHERE p.listed ORDER BY p.id`)
	if err != nil {
		return err
	}
	return db.each(ctx, func(rows *sql.Rows) error {
		var id, code string
		err := rows.Scan(&id, &code)
		if i, ok := at[id]; ok {
			s.Experts[i].Expertise = append(s.Experts[i].Expertise, code)
		}
		return err
	}, `SELECT e.person_id, e.capability_code FROM person_expertise e JOIN inquiry_experts x ON x.person_id = e.person_id ORDER BY e.person_id, e.position`)
}

func (db *DB) routingFacilities(ctx context.Context, s *inquiries.Snapshot, org func(string) *inquiries.OrgDoc) error {
	at := map[string]int{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var f inquiries.FacilityDoc
		err := rows.Scan(&f.ID, &f.Slug, &f.Name, &f.Description, &f.OrganisationID, &f.Record.Visibility, &f.Record.TLP)
		f.Record.OwnerOrg = f.OrganisationID
		if o := org(f.OrganisationID); o != nil {
			f.Record.OwnerClusters = o.Clusters
		}
		at[f.ID] = len(s.Facilities)
		s.Facilities = append(s.Facilities, f)
		return err
	}, `SELECT id, slug, name, description, organisation_id, visibility, tlp FROM facilities ORDER BY id`)
	if err != nil {
		return err
	}
	return db.each(ctx, func(rows *sql.Rows) error {
		var id, code string
		err := rows.Scan(&id, &code)
		if i, ok := at[id]; ok {
			s.Facilities[i].Capabilities = append(s.Facilities[i].Capabilities, code)
		}
		return err
	}, `SELECT facility_id, capability_code FROM facility_capabilities ORDER BY facility_id, position`)
}

// routingBody is how much of a practice's body routing indexes (its
// title and summary say most; the start of the body the rest).
const routingBody = 1500

// routingPractices reads the practices library's entries: their label,
// language versions (the original first) and capability tags.
func (db *DB) routingPractices(ctx context.Context, s *inquiries.Snapshot, org func(string) *inquiries.OrgDoc) error {
	at := map[string]int{}
	err := db.each(ctx, func(rows *sql.Rows) error {
		var p inquiries.PracticeDoc
		err := rows.Scan(&p.ID, &p.Kind, &p.OrganisationID, &p.Record.Visibility, &p.Record.TLP)
		p.Record.OwnerOrg = p.OrganisationID
		if o := org(p.OrganisationID); o != nil {
			p.Record.OwnerClusters = o.Clusters
		}
		at[p.ID] = len(s.Practices)
		s.Practices = append(s.Practices, p)
		return err
	}, `SELECT id, kind, organisation_id, visibility, tlp FROM practice_entries ORDER BY id`)
	if err != nil {
		return err
	}
	err = db.each(ctx, func(rows *sql.Rows) error {
		var id string
		var t inquiries.PracticeText
		err := rows.Scan(&id, &t.Lang, &t.Title, &t.Summary, &t.Body)
		if i, ok := at[id]; ok {
			s.Practices[i].Texts = append(s.Practices[i].Texts, t)
		}
		return err
	}, `SELECT entry_id, lang, title, summary, SUBSTR(body, 1, $1) FROM practice_texts ORDER BY entry_id, original DESC, lang`, routingBody)
	if err != nil {
		return err
	}
	return db.each(ctx, func(rows *sql.Rows) error {
		var id, code string
		err := rows.Scan(&id, &code)
		if i, ok := at[id]; ok {
			s.Practices[i].Capabilities = append(s.Practices[i].Capabilities, code)
		}
		return err
	}, `SELECT entry_id, capability_code FROM practice_capabilities ORDER BY entry_id, position`)
}

var _ inquiries.Store = (*DB)(nil)
