// Package engine opens a database by its data source name, picking the
// engine, and brings its schema up to date.
package engine

import (
	"context"
	"errors"
	"fmt"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/postgres"
	"github.com/escnet/escnet/internal/store/sqlite"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Open opens the database named by dsn without migrating it.
func Open(ctx context.Context, dsn string) (*sqlstore.DB, error) {
	d, err := store.ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	switch d.Engine {
	case store.Postgres:
		return postgres.Open(ctx, d.Path)
	default:
		return sqlite.Open(ctx, d.Path)
	}
}

// Migrate applies the engine's pending migrations, then makes sure the
// capability taxonomy exists (a fresh database gets the built-in one), and
// returns the schema version.
func Migrate(ctx context.Context, db *sqlstore.DB) (int, error) {
	var version int
	var err error
	switch db.Engine() {
	case store.Postgres:
		version, err = db.Migrate(ctx, postgres.Migrations())
	default:
		version, err = db.Migrate(ctx, sqlite.Migrations())
	}
	if err != nil {
		return version, err
	}
	if err := SeedTaxonomy(ctx, db); err != nil {
		return version, fmt.Errorf("seed taxonomy: %w", err)
	}
	return version, nil
}

// OpenAndMigrate opens the database and migrates it.
func OpenAndMigrate(ctx context.Context, dsn string) (*sqlstore.DB, int, error) {
	db, err := Open(ctx, dsn)
	if err != nil {
		return nil, 0, err
	}
	v, err := Migrate(ctx, db)
	if err != nil {
		db.Close()
		return nil, 0, err
	}
	return db, v, nil
}

// SeedTaxonomy loads the built-in capability taxonomy into an empty
// capabilities table; a taxonomy that administrators have edited is left
// alone.
func SeedTaxonomy(ctx context.Context, db *sqlstore.DB) error {
	existing, err := db.ListCapabilities(ctx)
	if err != nil || len(existing) > 0 {
		return err
	}
	nodes, err := directory.Taxonomy()
	if err != nil {
		return err
	}
	err = db.InsertCapabilities(ctx, nodes)
	var ce *store.ConflictError
	if errors.As(err, &ce) {
		// Another node starting at the same time seeded it first.
		if again, lerr := db.ListCapabilities(ctx); lerr == nil && len(again) > 0 {
			return nil
		}
	}
	return err
}
