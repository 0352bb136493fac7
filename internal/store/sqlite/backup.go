package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Backup writes a consistent copy of db into the new file to with VACUUM
// INTO: the copy holds every row committed when it began, whatever other
// connections or processes (a running server) do meanwhile. It refuses an
// existing file, and to appears only when the copy is complete.
func Backup(ctx context.Context, db *sqlstore.DB, to string) error {
	if _, err := os.Lstat(to); err == nil {
		return fmt.Errorf("%s exists: a backup never overwrites a file; name a new one", to)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	tmp, err := tempName(to)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if _, err := db.SQL().ExecContext(ctx, `VACUUM INTO $1`, tmp); err != nil {
		return fmt.Errorf("backup into %s: %w", to, err)
	}
	if err := syncFile(tmp); err != nil {
		return err
	}
	// A link fails when to appeared meanwhile, where a rename would
	// replace it.
	if err := os.Link(tmp, to); err != nil {
		return fmt.Errorf("backup into %s: %w", to, err)
	}
	return syncDir(filepath.Dir(to))
}

// tempName returns an unused name next to path.
func tempName(path string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return "", err
	}
	name := f.Name()
	f.Close()
	// VACUUM INTO wants a file that does not exist or is empty; remove it
	// so that SQLite creates it.
	return name, os.Remove(name)
}

// Inspect opens the file at path read-only and returns the schema version
// of the escnet database it holds. A file that is not SQLite, not an
// escnet database, or damaged is an error saying so.
func Inspect(ctx context.Context, path string) (int, error) {
	if _, err := os.Stat(path); err != nil {
		return 0, err
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?mode=ro&_pragma=query_only(1)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil {
		return 0, fmt.Errorf("%s: %s", path, errMessage(err))
	}
	if check != "ok" {
		return 0, fmt.Errorf("%s is damaged: %s", path, check)
	}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'changes', 'organisations')`).Scan(&tables); err != nil {
		return 0, fmt.Errorf("%s: %s", path, errMessage(err))
	}
	if tables != 3 {
		return 0, fmt.Errorf("%s is a SQLite database but not an escnet one (no schema_migrations, changes and organisations tables)", path)
	}
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("%s: %s", path, errMessage(err))
	}
	return int(v.Int64), nil
}

// SchemaVersion is the newest migration this binary has for SQLite.
func SchemaVersion() int {
	entries, _ := fs.ReadDir(Migrations(), ".")
	latest := 0
	for _, e := range entries {
		num, _, _ := strings.Cut(e.Name(), "_")
		if v, err := strconv.Atoi(num); err == nil && path.Ext(e.Name()) == ".sql" {
			latest = max(latest, v)
		}
	}
	return latest
}

// Restore replaces the database file at to with a copy of the backup
// from, atomically: the copy is written next to to, synced, and renamed
// over it, so that to is either the old database or the whole backup. The
// old database's write-ahead log and shared-memory files go first, or
// SQLite would replay them into the restored file. No process may have to
// open meanwhile (stop the server first).
func Restore(from, to string) error {
	tmp, err := tempName(to)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := copyFile(from, tmp); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(to + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmp, to); err != nil {
		return err
	}
	return syncDir(filepath.Dir(to))
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(name string) error {
	f, err := os.OpenFile(name, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not every file system syncs directories
	return nil
}
