package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	iofs "io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlite"
)

// runBackup is "escnet backup --db DSN FILE": a consistent copy of a
// SQLite database into a new file (while the server runs, too); for
// PostgreSQL, the pg_dump command to run.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("backup", "[--db DSN] FILE", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	fs.Usage = withNotes(fs, `
SQLite: writes a consistent copy of the database into FILE with VACUUM INTO;
the server may go on running meanwhile. FILE must not exist.
PostgreSQL: prints the pg_dump command to run (the password is left out;
give it in PGPASSWORD or ~/.pgpass).
`)
	file, err := parseFile(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	d, err := store.ParseDSN(*dsn)
	if err != nil {
		return err
	}
	if d.Engine == store.Postgres {
		conn, schema := pgConn(d.Path)
		fmt.Fprintf(stdout, "PostgreSQL: run\n  pg_dump --format=custom%s --file=%s --dbname=%s\n", schema, shellQuote(file), shellQuote(conn))
		return nil
	}
	if _, err := os.Stat(d.Path); err != nil {
		return fmt.Errorf("database %s: %w", d.Path, err)
	}
	if _, err := os.Lstat(file); err == nil {
		return fmt.Errorf("%s exists: a backup never overwrites a file; name a new one", file)
	}
	db, err := engine.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("database %s: %w", d.Redacted(), err)
	}
	defer db.Close()
	if err := sqlite.Backup(ctx, db, file); err != nil {
		return err
	}
	v, err := sqlite.Inspect(ctx, file)
	if err != nil {
		return fmt.Errorf("the backup does not read back: %w", err)
	}
	st, err := os.Stat(file)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backup of %s written to %s (%s, schema version %d)\n", d.Path, file, megabytes(st.Size()), v)
	return nil
}

// runRestore is "escnet restore --db DSN [--force] FILE": the SQLite
// database replaced by a backup, atomically; for PostgreSQL, the
// pg_restore command to run.
func runRestore(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("restore", "[--db DSN] [--force] FILE", stderr)
	dsn := fs.String("db", defaultDB, "database: a file path, sqlite:PATH or postgres://...")
	force := fs.Bool("force", false, "replace a database that is not empty")
	fs.Usage = withNotes(fs, `
SQLite: checks that FILE is an escnet database whose schema this binary
knows, then replaces the database with a copy of it in one step (a rename).
Stop the server first. A database file that is not empty is replaced only
with --force.
PostgreSQL: prints the pg_restore command to run.
`)
	file, err := parseFile(fs, args, stdout, stderr)
	if err != nil {
		return err
	}
	d, err := store.ParseDSN(*dsn)
	if err != nil {
		return err
	}
	if d.Engine == store.Postgres {
		conn, schema := pgConn(d.Path)
		fmt.Fprintf(stdout, "PostgreSQL: stop every escnet node, then run\n  pg_restore --clean --if-exists --no-owner%s --dbname=%s %s\n", schema, shellQuote(conn), shellQuote(file))
		return nil
	}
	v, err := sqlite.Inspect(ctx, file)
	if err != nil {
		return fmt.Errorf("backup %s: %w", file, err)
	}
	if known := sqlite.SchemaVersion(); v > known {
		return fmt.Errorf("backup %s has schema version %d, newer than this escnet's %d: restore it with a newer escnet", file, v, known)
	}
	if st, err := os.Stat(d.Path); err == nil && st.Size() > 0 && !*force {
		return fmt.Errorf("database %s is not empty (%s): give --force to replace it", d.Path, megabytes(st.Size()))
	} else if err != nil && !errors.Is(err, iofs.ErrNotExist) {
		return err
	}
	if err := sqlite.Restore(file, d.Path); err != nil {
		return fmt.Errorf("restore %s: %w", d.Path, err)
	}
	fmt.Fprintf(stdout, "database %s restored from %s (schema version %d; escnet migrates it on the next start)\n", d.Path, file, v)
	return nil
}

func withNotes(fs *flag.FlagSet, notes string) func() {
	plain := fs.Usage
	return func() {
		plain()
		fmt.Fprint(fs.Output(), notes)
	}
}

// parseFile parses the flags, which may come before or after the one
// file name, and returns the file.
func parseFile(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) (string, error) {
	var flags, files []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			files = append(files, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && a != "-":
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if f := fs.Lookup(name); f != nil && !isBool(f) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		default:
			files = append(files, a)
		}
	}
	if err := parse(fs, flags, stdout); err != nil {
		return "", err
	}
	if len(files) != 1 {
		fmt.Fprintf(stderr, "escnet %s: name one file\n", fs.Name())
		fs.Usage()
		return "", errUsage
	}
	return files[0], nil
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// pgConn returns the connection URI for libpq's tools without the
// password and without the parameters they do not know, and the
// --schema flag for a search_path.
func pgConn(dsn string) (conn, schema string) {
	u, err := url.Parse(dsn)
	if err != nil {
		return store.DSN{Engine: store.Postgres, Path: dsn}.Redacted(), ""
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		first, _, _ := strings.Cut(sp, ",")
		schema = " --schema=" + shellQuote(strings.TrimSpace(first))
	}
	keep := url.Values{}
	for k, v := range q {
		switch k {
		case "sslmode", "sslrootcert", "sslcert", "sslkey", "connect_timeout", "application_name", "target_session_attrs":
			keep[k] = v
		}
	}
	u.RawQuery = keep.Encode()
	return u.String(), schema
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@=%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
