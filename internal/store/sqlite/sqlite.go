// Package sqlite is the embedded engine: modernc.org/sqlite (pure Go), one
// file, WAL, foreign keys on, a busy timeout, and a single writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"strings"

	sqlite3 "modernc.org/sqlite"
	sqlite3lib "modernc.org/sqlite/lib"

	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations returns the engine's migrations.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// pragmas go in the DSN so that every pooled connection has them.
// cache_size and mmap_size size the reading: each connection keeps
// CacheKiB of pages of its own, and the file is read through a shared
// memory map of up to MmapBytes (the operating system's page cache, one
// copy for every connection) instead of a pread per page.
const pragmas = "_time_format=sqlite&_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)&_txlock=immediate" +
	"&_pragma=cache_size(-16384)&_pragma=mmap_size(1073741824)"

// Pool sizes and the page cache and memory map of each connection, as
// the pragmas above set them.
const (
	ReadConns = 8
	CacheKiB  = 16384
	MmapBytes = 1 << 30
)

// Open opens (creating if needed) the SQLite file at path and checks that it
// is a SQLite database.
func Open(ctx context.Context, path string) (*sqlstore.DB, error) {
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%w: %s is a directory", store.ErrUnavailable, path)
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + pragmas
	write, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrUnavailable, err)
	}
	// One writer: SQLite allows a single writing transaction at a time, so
	// writes queue in the pool instead of failing with SQLITE_BUSY.
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	read, err := sql.Open("sqlite", dsn+"&mode=ro")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("%w: %v", store.ErrUnavailable, err)
	}
	// Idle = open: a connection returned to the pool stays, with its
	// page cache, instead of being closed and opened again under load.
	read.SetMaxOpenConns(ReadConns)
	read.SetMaxIdleConns(ReadConns)
	// A plain query reads the header: a file that is not SQLite fails here
	// ("file is not a database") instead of on first use.
	var n int
	if err := write.QueryRowContext(ctx, `SELECT COUNT(*) FROM sqlite_master`).Scan(&n); err != nil {
		write.Close()
		read.Close()
		return nil, fmt.Errorf("%w: %v", store.ErrUnavailable, errMessage(err))
	}
	return sqlstore.New(read, write, dialect{}), nil
}

func errMessage(err error) string {
	var se *sqlite3.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3lib.SQLITE_NOTADB {
		return "the file is not a SQLite database"
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

type dialect struct{}

func (dialect) Engine() store.Engine { return store.SQLite }

var uniqueColumn = regexp.MustCompile(`UNIQUE constraint failed: (\w+)\.(\w+)`)

func (dialect) Unique(err error) (string, string, bool) {
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return "", "", false
	}
	if se.Code() != sqlite3lib.SQLITE_CONSTRAINT_UNIQUE && se.Code() != sqlite3lib.SQLITE_CONSTRAINT_PRIMARYKEY {
		return "", "", false
	}
	m := uniqueColumn.FindStringSubmatch(se.Error())
	if m == nil {
		return "", "", true
	}
	return m[1], m[2], true
}

func (dialect) ForeignKey(err error) bool {
	var se *sqlite3.Error
	return errors.As(err, &se) && se.Code() == sqlite3lib.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (dialect) Retryable(err error) bool {
	var se *sqlite3.Error
	if !errors.As(err, &se) {
		return false
	}
	code := se.Code() & 0xff
	return code == sqlite3lib.SQLITE_BUSY || code == sqlite3lib.SQLITE_LOCKED
}

// LockMigrations has nothing to do: transactions begin IMMEDIATE, so the
// first migrator holds the write lock.
func (dialect) LockMigrations(context.Context, *sql.Tx) error { return nil }

// BeforeClose moves the write-ahead log into the database file and empties
// the log, so that a copy of the file alone holds every committed row.
// When another process still reads the database the checkpoint cannot
// finish; that is no error: the last connection to close finishes it.
func (dialect) BeforeClose(ctx context.Context, write *sql.DB) error {
	var busy, logged, moved int
	if err := write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
		return fmt.Errorf("checkpoint the write-ahead log: %w", err)
	}
	return nil
}
