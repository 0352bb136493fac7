package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlite"
)

// TestPoolSettings reads the settings back: every pooled reading
// connection has the page cache and memory map of the DSN's pragmas, and
// the pool keeps as many idle connections as it opens.
func TestPoolSettings(t *testing.T) {
	ctx := context.Background()
	db, _, err := engine.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "escnet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := db.ReadSQL()
	if got := read.Stats().MaxOpenConnections; got != sqlite.ReadConns {
		t.Errorf("read pool: %d open at most, want %d", got, sqlite.ReadConns)
	}
	// Take every connection at once, so each is a separate one.
	for i := range sqlite.ReadConns {
		c, err := read.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		var cache, mmap int64
		if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&cache); err != nil {
			t.Fatal(err)
		}
		if err := c.QueryRowContext(ctx, `PRAGMA mmap_size`).Scan(&mmap); err != nil {
			t.Fatal(err)
		}
		if cache != -sqlite.CacheKiB || mmap != sqlite.MmapBytes {
			t.Errorf("connection %d: cache_size %d, mmap_size %d; want %d, %d", i, cache, mmap, -sqlite.CacheKiB, sqlite.MmapBytes)
		}
	}
	var wcache int64
	if err := db.SQL().QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&wcache); err != nil || wcache != -sqlite.CacheKiB {
		t.Errorf("write connection: cache_size %d (%v), want %d", wcache, err, -sqlite.CacheKiB)
	}
}

// TestPoolKeepsIdleConnections: after a burst that uses every reading
// connection, all of them stay open and idle (idle = open), so the next
// burst opens none.
func TestPoolKeepsIdleConnections(t *testing.T) {
	ctx := context.Background()
	db, _, err := engine.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "escnet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	read := db.ReadSQL()
	burst := func() {
		var conns []interface{ Close() error }
		for range sqlite.ReadConns {
			c, err := read.Conn(ctx)
			if err != nil {
				t.Fatal(err)
			}
			conns = append(conns, c)
		}
		for _, c := range conns {
			c.Close()
		}
	}
	burst()
	st := read.Stats()
	if st.Idle != sqlite.ReadConns || st.MaxIdleClosed != 0 {
		t.Errorf("after a burst: %d idle, %d closed as surplus; want %d, 0", st.Idle, st.MaxIdleClosed, sqlite.ReadConns)
	}
	burst()
	if st := read.Stats(); st.MaxIdleClosed != 0 || st.OpenConnections != sqlite.ReadConns {
		t.Errorf("after a second burst: %d open, %d closed as surplus", st.OpenConnections, st.MaxIdleClosed)
	}
}
