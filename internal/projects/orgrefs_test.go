package projects_test

import (
	"database/sql"
	"testing"

	"github.com/escnet/escnet/internal/projects"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// schemaOrgRefs reads, from the engine's own catalogue, every column that
// points at an organisation: a foreign key to organisations, or a column
// named organisation_id or *_organisation_id without one. The merge log
// (organisation_merges) names organisations that may be gone on purpose.
func schemaOrgRefs(t *testing.T, db *sqlstore.DB) []string {
	t.Helper()
	var q string
	if db.Engine() == store.Postgres {
		q = `SELECT kcu.table_name, kcu.column_name
			FROM information_schema.table_constraints tc
			JOIN information_schema.key_column_usage kcu ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
			JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
			WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'organisations' AND ccu.column_name = 'id' AND tc.table_schema = current_schema()
			UNION
			SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND (column_name = 'organisation_id' OR column_name LIKE '%\_organisation\_id')`
	} else {
		q = `SELECT m.name, p."from" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) p
			WHERE m.type = 'table' AND p."table" = 'organisations'
			UNION
			SELECT m.name, c.name FROM sqlite_master m JOIN pragma_table_info(m.name) c
			WHERE m.type = 'table' AND (c.name = 'organisation_id' OR c.name LIKE '%\_organisation\_id' ESCAPE '\')`
	}
	rows, err := db.SQL().QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if table != "organisation_merges" {
			out = append(out, table+"."+col)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestOrgReferencesDeclared fails when a table of either engine points at
// an organisation without a capability declaring what a merge does with
// it (store.DeclareOrgReferences), or a declaration names a column the
// schema lacks, or a key column that does not exist.
func TestOrgReferencesDeclared(t *testing.T) {
	forEachEngine(t, func(t *testing.T, newDB func(t *testing.T) *sqlstore.DB) {
		db := newDB(t)
		refs := store.OrgReferences()
		schema := schemaOrgRefs(t, db)
		if len(schema) < 10 {
			t.Fatalf("read %d organisation references from the schema, want at least 10: %v", len(schema), schema)
		}
		missing, stale := projects.Undeclared(refs, schema)
		for _, m := range missing {
			t.Errorf("%s points at an organisation but no capability declares what a merge does with it (store.DeclareOrgReferences)", m)
		}
		for _, s := range stale {
			t.Errorf("%s is declared as an organisation reference but the schema has no such column", s)
		}
		for _, r := range refs {
			cols := append([]string{r.Column}, r.Key...)
			for c := range r.Set {
				cols = append(cols, c)
			}
			for _, c := range cols {
				var x sql.NullString
				err := db.SQL().QueryRowContext(ctx, `SELECT CAST(`+c+` AS TEXT) FROM `+r.Table+` LIMIT 1`).Scan(&x)
				if err != nil && err != sql.ErrNoRows {
					t.Errorf("%s (declared by %s): column %s: %v", r.Name(), r.Owner, c, err)
				}
			}
		}
	})
}

// TestUndeclared checks the comparison itself.
func TestUndeclared(t *testing.T) {
	refs := []store.OrgReference{{Table: "people", Column: "organisation_id"}, {Table: "gone", Column: "organisation_id"}}
	missing, stale := projects.Undeclared(refs, []string{"people.organisation_id", "bookings.organisation_id"})
	if len(missing) != 1 || missing[0] != "bookings.organisation_id" || len(stale) != 1 || stale[0] != "gone.organisation_id" {
		t.Errorf("missing %v, stale %v; want [bookings.organisation_id] and [gone.organisation_id]", missing, stale)
	}
}
