package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

func copyOnly(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func rows(t *testing.T, path, table string) int {
	t.Helper()
	db, err := engine.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return n
}

// TestImportLeavesEverythingInTheFile: after "escnet import cordis" the
// database file alone holds every row: a copy of escnet.db without its
// -wal has all 6,873 participations, and no -wal with content remains.
func TestImportLeavesEverythingInTheFile(t *testing.T) {
	if _, err := os.Stat(filepath.Join(cordisDir, "cordis-fp7projects.csv")); err != nil {
		t.Skip("the shared CORDIS files are absent")
	}
	db := filepath.Join(t.TempDir(), "escnet.db")
	args := []string{"import", "cordis", "--db", db}
	for _, f := range []string{"cordis-fp7organizations.csv", "cordis-h2020organizations.csv", "cordis-fp7projects.csv", "cordis-h2020projects.csv"} {
		args = append(args, filepath.Join(cordisDir, f))
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatalf("import: %v\n%s", err, errOut.String())
	}
	if st, err := os.Stat(db + "-wal"); err == nil && st.Size() > 0 {
		t.Errorf("after the import %s-wal holds %d bytes", filepath.Base(db), st.Size())
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	copyOnly(t, db, cp)
	for table, want := range map[string]int{"participations": 6873, "projects": 632, "organisations": 3070} {
		if got := rows(t, cp, table); got != want {
			t.Errorf("the copy of escnet.db alone holds %d %s, want %d", got, table, want)
		}
	}
}

// writeOrgs adds n organisations through the store.
func writeOrgs(t *testing.T, db *sqlstore.DB, prefix string, n int) {
	t.Helper()
	ctx := access.AsSystem(context.Background())
	for i := range n {
		o := &directory.Organisation{Slug: fmt.Sprintf("%s-%d", prefix, i), Name: fmt.Sprintf("%s %d", prefix, i), Kind: "company", Country: "NL"}
		if err := directory.NewService(db).CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(dir, "escnet.db")
	// A server has the database open, its last writes still in the
	// write-ahead log.
	live, _, err := engine.OpenAndMigrate(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	writeOrgs(t, live, "live", 25)
	run := func(args ...string) (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, args, &out, &errOut)
		return out.String() + errOut.String(), err
	}

	backup := filepath.Join(dir, "backup.db")
	if out, err := run("backup", "--db", src, backup); err != nil || !strings.Contains(out, "backup of") {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if got := rows(t, backup, "organisations"); got != 25 {
		t.Errorf("the backup holds %d organisations, want 25", got)
	}
	// Flags after the file work too; an existing file is never overwritten.
	before, _ := os.ReadFile(backup)
	if out, err := run("backup", backup, "--db", src); err == nil || !strings.Contains(out+err.Error(), "exists") {
		t.Errorf("a backup over an existing file: %v\n%s", err, out)
	}
	if after, _ := os.ReadFile(backup); !bytes.Equal(before, after) {
		t.Error("a refused backup changed the existing file")
	}

	// Restore into a new place.
	fresh := filepath.Join(dir, "fresh.db")
	if out, err := run("restore", "--db", fresh, backup); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if got := rows(t, fresh, "organisations"); got != 25 {
		t.Errorf("the restored database holds %d organisations, want 25", got)
	}

	// A database that is not empty is replaced only with --force, and its
	// old write-ahead log (left as after a crash) is not replayed into the
	// restored file.
	other := filepath.Join(dir, "other.db")
	odb, _, err := engine.OpenAndMigrate(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	writeOrgs(t, odb, "other", 3)
	oldLog, err := os.ReadFile(other + "-wal")
	if err != nil || len(oldLog) == 0 {
		t.Fatalf("no write-ahead log to leave behind: %v", err)
	}
	odb.Close()
	if err := os.WriteFile(other+"-wal", oldLog, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := run("restore", "--db", other, backup); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("restore over a database that is not empty: %v\n%s", err, out)
	}
	if _, err := os.Stat(other + "-wal"); err != nil {
		t.Fatalf("a refused restore touched the target's log: %v", err)
	}
	if out, err := run("restore", "--force", "--db", other, backup); err != nil {
		t.Fatalf("restore --force: %v\n%s", err, out)
	}
	if got := rows(t, other, "organisations"); got != 25 {
		t.Errorf("after restore --force: %d organisations, want 25", got)
	}
}

func TestRestoreRefusesWhatIsNotABackup(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	target := filepath.Join(dir, "escnet.db")
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte(strings.Repeat("not a database\n", 200)), 0o600)
	// A SQLite file of another application.
	foreign := filepath.Join(dir, "foreign.db")
	fdb, err := engine.Open(ctx, foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fdb.SQL().ExecContext(ctx, `CREATE TABLE notes (body TEXT)`); err != nil {
		t.Fatal(err)
	}
	fdb.Close()
	// A backup from a newer escnet.
	newer := filepath.Join(dir, "newer.db")
	ndb, _, err := engine.OpenAndMigrate(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ndb.SQL().ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future.sql', '2030-01-01')`); err != nil {
		t.Fatal(err)
	}
	ndb.Close()
	for _, tt := range []struct{ name, file, want string }{
		{"missing", filepath.Join(dir, "missing.db"), "no such file"},
		{"text", text, "not a SQLite database"},
		{"foreign", foreign, "not an escnet one"},
		{"newer", newer, "schema version 9999, newer than"},
	} {
		var out, errOut bytes.Buffer
		err := run(ctx, []string{"restore", "--db", target, tt.file}, &out, &errOut)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error with %q", tt.name, err, tt.want)
		}
		if _, err := os.Stat(target); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: a refused restore created the target", tt.name)
		}
	}
	var out, errOut bytes.Buffer
	if err := run(ctx, []string{"restore", "--db", target}, &out, &errOut); !errors.Is(err, errUsage) {
		t.Errorf("restore without a file: %v, want a usage error", err)
	}
}

// TestBackupPostgres prints the commands to run, without the password.
func TestBackupPostgres(t *testing.T) {
	dsn := "postgres://escnet:s3cret@db.example:5432/escnet?sslmode=require&search_path=alliance&pool_max_conns=8"
	for _, tt := range []struct{ cmd, want string }{
		{"backup", "pg_dump --format=custom --schema=alliance --file=/backups/escnet.dump --dbname='postgres://escnet@db.example:5432/escnet?sslmode=require'"},
		{"restore", "pg_restore --clean --if-exists --no-owner --schema=alliance --dbname='postgres://escnet@db.example:5432/escnet?sslmode=require' /backups/escnet.dump"},
	} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), []string{tt.cmd, "--db", dsn, "/backups/escnet.dump"}, &out, &errOut); err != nil {
			t.Fatalf("%s: %v", tt.cmd, err)
		}
		if !strings.Contains(out.String(), tt.want) {
			t.Errorf("%s printed\n%s\nwant %s", tt.cmd, out.String(), tt.want)
		}
		if strings.Contains(out.String()+errOut.String(), "s3cret") {
			t.Errorf("%s printed the password", tt.cmd)
		}
	}
}

// TestServeStopLeavesEverythingInTheFile: serve --demo, stopped as by
// SIGTERM (its context ends), leaves every row in the file alone.
func TestServeStopLeavesEverythingInTheFile(t *testing.T) {
	dsn := filepath.Join(t.TempDir(), "escnet.db")
	startServeOnce(t, dsn)
	if st, err := os.Stat(dsn + "-wal"); err == nil && st.Size() > 0 {
		t.Errorf("after serve stopped %s-wal holds %d bytes", filepath.Base(dsn), st.Size())
	}
	cp := filepath.Join(t.TempDir(), "copy.db")
	copyOnly(t, dsn, cp)
	for _, table := range []string{"clusters", "organisations", "people", "changes", "audit_log"} {
		if got, want := rows(t, cp, table), rows(t, dsn, table); got != want || got == 0 {
			t.Errorf("the copy holds %d rows of %s, the database %d", got, table, want)
		}
	}
}
