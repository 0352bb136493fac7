package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/escnet/escnet/internal/access"
	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store"
	"github.com/escnet/escnet/internal/store/sqlstore"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestInTransaction: the writes of several store calls made with the
// transaction's context commit together or not at all, reads inside see
// them, and commit hooks run only after a commit.
func TestInTransaction(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *sqlstore.DB{"sqlite": storetest.NewSQLite, "postgres": storetest.NewPostgres} {
		t.Run(name, func(t *testing.T) {
			db := open(t)
			ctx := access.AsSystem(context.Background())
			boom := errors.New("boom")
			ran := 0
			err := db.InTransaction(ctx, func(ctx context.Context) error {
				c := directory.Cluster{Slug: "tx-one", Name: "Tx One", Country: "NL"}
				if err := db.CreateCluster(ctx, &c); err != nil {
					return err
				}
				if _, err := db.GetCluster(ctx, "tx-one"); err != nil {
					t.Errorf("read inside the transaction: %v", err)
				}
				store.OnCommit(ctx, func() { ran++ })
				return boom
			})
			if !errors.Is(err, boom) || ran != 0 {
				t.Fatalf("rolled back: err %v, hooks ran %d times", err, ran)
			}
			if _, err := db.GetCluster(ctx, "tx-one"); !errors.Is(err, store.ErrNotFound) {
				t.Fatalf("cluster after rollback: %v, want not found", err)
			}
			err = db.InTransaction(ctx, func(ctx context.Context) error {
				for _, slug := range []string{"tx-one", "tx-two"} {
					c := directory.Cluster{Slug: slug, Name: slug, Country: "NL"}
					if err := db.CreateCluster(ctx, &c); err != nil {
						return err
					}
				}
				store.OnCommit(ctx, func() { ran++ })
				if ran != 0 {
					t.Error("hook ran before the commit")
				}
				return nil
			})
			if err != nil || ran != 1 {
				t.Fatalf("committed: err %v, hooks ran %d times", err, ran)
			}
			for _, slug := range []string{"tx-one", "tx-two"} {
				if _, err := db.GetCluster(ctx, slug); err != nil {
					t.Errorf("cluster %s after commit: %v", slug, err)
				}
			}
			if store.OnCommit(ctx, func() {}) {
				t.Error("OnCommit outside a transaction reported a transaction")
			}
		})
	}
}
