package sqlstore

import "iter"

// BulkTable is rows for an engine's own bulk load (PostgreSQL COPY,
// SQLite one prepared statement in one transaction). Benchmarks compare
// the import with it; the application itself does not use it, because a
// bulk load neither compares, validates nor feeds the change log.
type BulkTable struct {
	Table   string
	Columns []string
	Rows    iter.Seq[[]any] // consumed once, after the tables before it
}
