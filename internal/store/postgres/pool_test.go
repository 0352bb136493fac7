package postgres_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/escnet/escnet/internal/store/postgres"
	"github.com/escnet/escnet/internal/store/storetest"
)

// TestPoolKeepsIdleConnections: the pool keeps as many idle connections
// as it opens, so a burst of requests does not close its connections and
// open new PostgreSQL sessions for the next one. (Skipped without
// ESCNET_TEST_POSTGRES.)
func TestPoolKeepsIdleConnections(t *testing.T) {
	db := storetest.NewPostgres(t)
	ctx := context.Background()
	pool := db.ReadSQL()
	if got := pool.Stats().MaxOpenConnections; got != postgres.MaxConns {
		t.Errorf("pool: %d open at most, want %d", got, postgres.MaxConns)
	}
	burst := func() {
		var conns []*sql.Conn
		for range postgres.MaxConns {
			c, err := pool.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.PingContext(ctx); err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
	}
	burst()
	if st := pool.Stats(); st.Idle != postgres.MaxConns || st.MaxIdleClosed != 0 {
		t.Errorf("after a burst: %d idle, %d closed as surplus; want %d, 0", st.Idle, st.MaxIdleClosed, postgres.MaxConns)
	}
	burst()
	if st := pool.Stats(); st.MaxIdleClosed != 0 || st.OpenConnections != postgres.MaxConns {
		t.Errorf("after a second burst: %d open, %d closed as surplus", st.OpenConnections, st.MaxIdleClosed)
	}
}
