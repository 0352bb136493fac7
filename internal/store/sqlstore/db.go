// Package sqlstore implements the capability stores over database/sql with
// SQL that both engines accept ($n parameters, standard joins, no
// engine-specific functions). What differs between engines — opening,
// migrations, error classification, locking — comes from a Dialect that the
// engine packages (store/sqlite, store/postgres) supply.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/feed"
)

// Dialect is what an engine tells the shared SQL code.
type Dialect interface {
	Engine() store.Engine
	// Unique reports whether err is a unique violation and, if so, the
	// table and column that caused it.
	Unique(err error) (table, column string, ok bool)
	// ForeignKey reports whether err is a foreign-key violation.
	ForeignKey(err error) bool
	// Retryable reports whether a transaction that failed with err may be
	// run again (serialization failure, deadlock, busy database).
	Retryable(err error) bool
	// LockMigrations serialises concurrent migrators inside tx.
	LockMigrations(ctx context.Context, tx *sql.Tx) error
}

// DB is an opened database: a pool for reads, a pool for writes (one
// connection on SQLite, where there is a single writer), and its dialect.
type DB struct {
	read    *sql.DB
	write   *sql.DB
	dialect Dialect
	// queries counts statements run, so that tests can check that pages
	// don't issue a query per row.
	queries atomic.Int64
	// feed follows the changes table; a commit that appended to it wakes
	// the feed's followers in this process.
	feed *feed.Feed
	// counts caches clusters' member counts per viewer scope until the
	// change feed moves.
	counts memberCountCache

	closeOnce sync.Once
	closeErr  error
}

// New wraps opened pools. read and write may be the same pool.
func New(read, write *sql.DB, d Dialect) *DB {
	db := &DB{read: read, write: write, dialect: d}
	// On PostgreSQL an id is taken at insert and a transaction holding a
	// lower one can commit later; on SQLite one writer commits in order.
	opt := feed.Options{LateCommits: d.Engine() == store.Postgres}
	if l, ok := d.(Listener); ok {
		opt.Listen = l.Listen
	}
	db.feed = feed.New(feedSource{db}, opt)
	return db
}

// Listener is what a dialect may offer the change feed: wake-ups when
// other processes commit (LISTEN/NOTIFY on PostgreSQL). See feed.Options.
type Listener interface {
	Listen(ctx context.Context, wake func())
}

// Feed returns the change feed that subscribers follow.
func (db *DB) Feed() *feed.Feed { return db.feed }

// Engine names the engine.
func (db *DB) Engine() store.Engine { return db.dialect.Engine() }

// Closer is what a dialect may do before the pools close: SQLite moves
// the write-ahead log into the database file, so that the file alone holds
// every committed row.
type Closer interface {
	BeforeClose(ctx context.Context, write *sql.DB) error
}

// Close stops the change feed and closes both pools: first the readers,
// then, after the dialect's BeforeClose, the writer, so that the writer is
// the last connection. Closing twice returns the first result.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.feed.Close()
		var err error
		if db.read != db.write {
			err = db.read.Close()
		}
		if c, ok := db.dialect.(Closer); ok {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			err = errors.Join(err, c.BeforeClose(ctx, db.write))
			cancel()
		}
		db.closeErr = errors.Join(err, db.write.Close())
	})
	return db.closeErr
}

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: %v", store.ErrUnavailable, err)
	}
	return nil
}

// Queries returns the number of statements run so far.
func (db *DB) Queries() int64 { return db.queries.Load() }

// SQL returns the write pool, for engine-specific tools (bulk loads).
func (db *DB) SQL() *sql.DB { return db.write }

// ReadSQL returns the read pool (the write pool where they are one), for
// tests and tools that look at pool settings.
func (db *DB) ReadSQL() *sql.DB { return db.read }

// Tx is a write transaction with the change feed at hand.
type Tx struct {
	*sql.Tx
	db      *DB
	changed bool
}

// ExecContext runs a statement inside the transaction, counting it.
func (tx *Tx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	tx.db.queries.Add(1)
	return tx.Tx.ExecContext(ctx, q, args...)
}

// QueryContext runs a query inside the transaction, counting it.
func (tx *Tx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	tx.db.queries.Add(1)
	return tx.Tx.QueryContext(ctx, q, args...)
}

// QueryRowContext runs a one-row query inside the transaction, counting it.
func (tx *Tx) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	tx.db.queries.Add(1)
	return tx.Tx.QueryRowContext(ctx, q, args...)
}

// Change appends a record to the change feed and, since every write goes
// through here, to the audit log with the actor from ctx.
func (tx *Tx) Change(ctx context.Context, entity, id, op string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO changes (entity, entity_id, op, at) VALUES ($1, $2, $3, $4)`,
		entity, id, op, now())
	if err != nil {
		return err
	}
	tx.changed = true
	return tx.Audit(ctx, entity+"."+op, entity, id, "")
}

// Transact runs fn in a write transaction, committing when fn returns nil
// and retrying a few times when the engine reports a transient conflict.
// Retries stop when ctx is done: the last error comes back joined with the
// context's.
//
// Inside InTransaction (ctx carries the transaction) fn joins the outer
// transaction: no commit and no retry of its own.
func (db *DB) Transact(ctx context.Context, fn func(*Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok && tx.db == db {
		return fn(tx)
	}
	const attempts = 5
	var err error
	for i := range attempts {
		err = db.transactOnce(ctx, fn)
		if err == nil || !db.dialect.Retryable(err) || i == attempts-1 {
			return err
		}
		if ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		slog.DebugContext(ctx, "retrying transaction", "attempt", i+1, "err", err)
		t := time.NewTimer(time.Duration(5*(i+1)) * time.Millisecond)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
	return err
}

func (db *DB) transactOnce(ctx context.Context, fn func(*Tx) error) (err error) {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	tx := &Tx{Tx: sqlTx, db: db}
	defer func() {
		if p := recover(); p != nil {
			_ = sqlTx.Rollback()
			panic(p)
		}
		if err != nil {
			_ = sqlTx.Rollback()
			return
		}
		if err = sqlTx.Commit(); err == nil && tx.changed {
			db.feed.Wake()
		}
	}()
	return fn(tx)
}

type txKey struct{}

// InTransaction runs fn in one write transaction that every store call
// made with fn's ctx joins, reads included (they see the transaction's own
// writes). The commit hooks added with store.OnCommit run after the
// commit; a rollback drops them. See store.Transactor.
func (db *DB) InTransaction(ctx context.Context, fn func(ctx context.Context) error) error {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok && tx.db == db {
		return fn(ctx)
	}
	var hooks *store.CommitHooks
	err := db.Transact(ctx, func(tx *Tx) error {
		var c context.Context
		c, hooks = store.WithCommitHooks(context.WithValue(ctx, txKey{}, tx))
		return fn(c)
	})
	if err != nil {
		return err
	}
	hooks.Run()
	return nil
}

func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok && tx.db == db {
		return tx.QueryContext(ctx, q, args...)
	}
	db.queries.Add(1)
	return db.read.QueryContext(ctx, q, args...)
}

func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	if tx, ok := ctx.Value(txKey{}).(*Tx); ok && tx.db == db {
		return tx.QueryRowContext(ctx, q, args...)
	}
	db.queries.Add(1)
	return db.read.QueryRowContext(ctx, q, args...)
}

// mapError turns engine errors into the store's sentinels.
func (db *DB) mapError(err error) error {
	if err == nil {
		return nil
	}
	if table, column, ok := db.dialect.Unique(err); ok {
		return &store.ConflictError{Field: fieldFor(table, column), Code: "error.duplicate"}
	}
	if db.dialect.ForeignKey(err) {
		return &store.ConflictError{Field: "", Code: "error.reference_not_found"}
	}
	return err
}

// fieldFor maps a table column to the JSON field the API calls it.
func fieldFor(table, column string) string {
	switch {
	case table == "memberships":
		return "memberships"
	case column == "code":
		return "code"
	}
	return column
}

func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Migrate applies the pending migrations in migrations (files named
// NNNN_description.sql, applied in order, each in its own transaction) and
// returns the schema version.
func (db *DB) Migrate(ctx context.Context, migrations fs.FS) (int, error) {
	// Under the migration lock: nodes starting at once would otherwise
	// race in CREATE TABLE IF NOT EXISTS, which PostgreSQL does not make
	// safe against itself (a duplicate key in pg_type).
	err := db.Transact(ctx, func(tx *Tx) error {
		if err := db.dialect.LockMigrations(ctx, tx.Tx); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("create schema_migrations: %w", err)
	}
	entries, err := fs.ReadDir(migrations, ".")
	if err != nil {
		return 0, err
	}
	type migration struct {
		version int
		name    string
	}
	var all []migration
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".sql" {
			continue
		}
		num, _, _ := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if err != nil {
			return 0, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		all = append(all, migration{v, e.Name()})
	}
	slices.SortFunc(all, func(a, b migration) int { return a.version - b.version })
	version := 0
	for _, m := range all {
		err := db.Transact(ctx, func(tx *Tx) error {
			if err := db.dialect.LockMigrations(ctx, tx.Tx); err != nil {
				return err
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			body, err := fs.ReadFile(migrations, m.name)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)`,
				m.version, m.name, now().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return version, fmt.Errorf("migration %s: %w", m.name, err)
		}
		version = m.version
	}
	return version, nil
}

// SchemaVersion returns the highest applied migration.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := db.queryRow(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}

// LatestChange returns the id of the newest change-feed entry (0 if none).
func (db *DB) LatestChange(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := db.queryRow(ctx, `SELECT MAX(id) FROM changes`).Scan(&v)
	return v.Int64, err
}

// Change is an entry of the change feed.
type Change = feed.Change

// ChangesSince returns up to limit change-feed entries after id, oldest first.
func (db *DB) ChangesSince(ctx context.Context, id int64, limit int) ([]Change, error) {
	db.queries.Add(1)
	return db.changes(ctx, `SELECT id, entity, entity_id, op, at FROM changes WHERE id > $1 ORDER BY id LIMIT $2`, id, limit)
}

// changes reads entries of the feed. It does not count the statement:
// followers read the feed in the background, and the counts are for the
// statements a request issues.
func (db *DB) changes(ctx context.Context, q string, args ...any) ([]Change, error) {
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.ID, &c.Entity, &c.EntityID, &c.Op, &c.At); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// feedSource is the changes table as the feed reads it (statements not
// counted).
type feedSource struct{ db *DB }

func (s feedSource) LatestChange(ctx context.Context) (int64, error) {
	var v sql.NullInt64
	err := s.db.read.QueryRowContext(ctx, `SELECT MAX(id) FROM changes`).Scan(&v)
	return v.Int64, err
}

func (s feedSource) ChangesAfter(ctx context.Context, after int64, limit int) ([]Change, error) {
	return s.db.changes(ctx, `SELECT id, entity, entity_id, op, at FROM changes WHERE id > $1 ORDER BY id LIMIT $2`, after, limit)
}

// ChangesIn reads the entries among ids, 500 ids a statement.
func (s feedSource) ChangesIn(ctx context.Context, ids []int64) ([]Change, error) {
	var out []Change
	for chunk := range slices.Chunk(ids, 500) {
		marks := make([]string, len(chunk))
		args := make([]any, len(chunk))
		for i, id := range chunk {
			marks[i], args[i] = "$"+strconv.Itoa(i+1), id
		}
		cs, err := s.db.changes(ctx, `SELECT id, entity, entity_id, op, at FROM changes WHERE id IN (`+strings.Join(marks, ", ")+`) ORDER BY id`, args...)
		if err != nil {
			return nil, err
		}
		out = append(out, cs...)
	}
	return out, nil
}
