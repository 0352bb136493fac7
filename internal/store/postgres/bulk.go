package postgres

import (
	"context"
	"fmt"
	"iter"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Bulk loads tables with COPY, in one transaction: PostgreSQL's own
// fastest way in, the baseline the import is measured against.
func Bulk(ctx context.Context, db *sqlstore.DB, tables []sqlstore.BulkTable) (int64, error) {
	conn, err := db.SQL().Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	var total int64
	err = conn.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		tx, err := c.BeginTx(ctx, pgx.TxOptions{})
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx)
		for _, t := range tables {
			next, stop := iter.Pull(t.Rows)
			n, err := tx.CopyFrom(ctx, pgx.Identifier{t.Table}, t.Columns, pgx.CopyFromFunc(func() ([]any, error) {
				row, ok := next()
				if !ok {
					return nil, nil
				}
				return row, nil
			}))
			stop()
			if err != nil {
				return fmt.Errorf("copy %s: %w", t.Table, err)
			}
			total += n
		}
		return tx.Commit(ctx)
	})
	return total, err
}
