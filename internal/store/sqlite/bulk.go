package sqlite

import (
	"context"
	"fmt"
	"strings"

	"github.com/escnet/escnet/internal/store/sqlstore"
)

// Bulk loads tables with one prepared INSERT per table, all in one
// transaction: SQLite's own fastest plain way in, the baseline the import
// is measured against.
func Bulk(ctx context.Context, db *sqlstore.DB, tables []sqlstore.BulkTable) (int64, error) {
	tx, err := db.SQL().BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var total int64
	for _, t := range tables {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(t.Columns)), ", ")
		stmt, err := tx.PrepareContext(ctx, fmt.Sprintf("INSERT INTO %s (%s) VALUES (%s)", t.Table, strings.Join(t.Columns, ", "), marks))
		if err != nil {
			return total, err
		}
		for row := range t.Rows {
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				stmt.Close()
				return total, fmt.Errorf("insert into %s: %w", t.Table, err)
			}
			total++
		}
		stmt.Close()
	}
	return total, tx.Commit()
}
