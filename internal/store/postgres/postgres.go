// Package postgres is the server engine: PostgreSQL through pgx v5. Several
// escnet nodes may share one database; constraints do the guarding.
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

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

// MaxConns is the size of the pool, open and idle.
const MaxConns = 16

// Open connects to PostgreSQL at dsn and checks that it answers.
func Open(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", store.ErrUnavailable, oneLine(err))
	}
	// Idle = open: database/sql keeps 2 idle connections by default, so
	// under load most connections were closed after each query and new
	// sessions opened (1,363 in 10 s of /healthz at 32 clients).
	db.SetMaxOpenConns(MaxConns)
	db.SetMaxIdleConns(MaxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		db.Close()
		return nil, fmt.Errorf("%w: %v", store.ErrUnavailable, oneLine(err))
	}
	return sqlstore.New(db, db, dialect{dsn: dsn}), nil
}

var _ = stdlib.GetDefaultDriver // registers the "pgx" driver

// oneLine folds pgx's multi-line connection errors into one line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

// dialect carries the DSN for the change feed's LISTEN connection.
type dialect struct{ dsn string }

func (dialect) Engine() store.Engine { return store.Postgres }

func pgError(err error) *pgconn.PgError {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe
	}
	return nil
}

// Unique reads the table and column from constraint names of the form
// uq_<table>_<column> (set in the migrations) or <table>_pkey.
func (dialect) Unique(err error) (string, string, bool) {
	pe := pgError(err)
	if pe == nil || pe.Code != "23505" {
		return "", "", false
	}
	name := pe.ConstraintName
	if rest, ok := strings.CutPrefix(name, "uq_"); ok {
		table, column, _ := strings.Cut(rest, "_")
		return table, column, true
	}
	if table, ok := strings.CutSuffix(name, "_pkey"); ok {
		return table, "id", true
	}
	return pe.TableName, "", true
}

func (dialect) ForeignKey(err error) bool {
	pe := pgError(err)
	return pe != nil && pe.Code == "23503"
}

func (dialect) Retryable(err error) bool {
	pe := pgError(err)
	return pe != nil && (pe.Code == "40001" || pe.Code == "40P01")
}

// LockMigrations takes a transaction-scoped advisory lock so that nodes
// starting together migrate one after the other. The lock is keyed by the
// schema: nodes of one database share it, while databases in other schemas
// of the same server (tests, staging beside production) do not wait on it.
func (dialect) LockMigrations(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(72839, hashtext(current_schema()))`)
	return err
}
