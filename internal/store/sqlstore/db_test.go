package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/escnet/escnet/internal/store"
	_ "github.com/escnet/escnet/internal/store/sqlite" // registers the driver
	"github.com/escnet/escnet/internal/store/sqlstore"
)

var errTransient = errors.New("transient conflict")

// retryDialect calls errTransient retryable, like a serialization failure.
type retryDialect struct{}

func (retryDialect) Engine() store.Engine                          { return store.SQLite }
func (retryDialect) Unique(error) (string, string, bool)           { return "", "", false }
func (retryDialect) ForeignKey(error) bool                         { return false }
func (retryDialect) Retryable(err error) bool                      { return errors.Is(err, errTransient) }
func (retryDialect) LockMigrations(context.Context, *sql.Tx) error { return nil }

func openRetry(t *testing.T) *sqlstore.DB {
	t.Helper()
	pool, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "t.db"))
	if err != nil {
		t.Fatal(err)
	}
	db := sqlstore.New(pool, pool, retryDialect{})
	t.Cleanup(func() { db.Close() })
	return db
}

// TestTransactRetriesHonourTheContext: a transient failure is retried
// while the context lives, and not once more after it is done.
func TestTransactRetriesHonourTheContext(t *testing.T) {
	t.Run("retries until it succeeds", func(t *testing.T) {
		db := openRetry(t)
		attempts := 0
		err := db.Transact(context.Background(), func(*sqlstore.Tx) error {
			if attempts++; attempts < 3 {
				return errTransient
			}
			return nil
		})
		if err != nil || attempts != 3 {
			t.Fatalf("got err %v after %d attempts, want nil after 3", err, attempts)
		}
	})
	t.Run("gives up after five", func(t *testing.T) {
		db := openRetry(t)
		attempts := 0
		err := db.Transact(context.Background(), func(*sqlstore.Tx) error { attempts++; return errTransient })
		if !errors.Is(err, errTransient) || attempts != 5 {
			t.Fatalf("got err %v after %d attempts, want the transient error after 5", err, attempts)
		}
	})
	t.Run("cancelled during an attempt", func(t *testing.T) {
		db := openRetry(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		attempts := 0
		err := db.Transact(ctx, func(*sqlstore.Tx) error { attempts++; cancel(); return errTransient })
		if attempts != 1 || !errors.Is(err, context.Canceled) || !errors.Is(err, errTransient) {
			t.Fatalf("got err %v after %d attempts, want the transient error and context.Canceled after 1", err, attempts)
		}
	})
	t.Run("deadline during the wait", func(t *testing.T) {
		db := openRetry(t)
		// The waits between attempts are 5, 10, 15 and 20 ms: a deadline
		// of 8 ms ends during the second wait.
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Millisecond)
		defer cancel()
		attempts := 0
		start := time.Now()
		err := db.Transact(ctx, func(*sqlstore.Tx) error { attempts++; return errTransient })
		took := time.Since(start)
		if !errors.Is(err, context.DeadlineExceeded) || attempts > 2 {
			t.Fatalf("got err %v after %d attempts, want context.DeadlineExceeded after at most 2", err, attempts)
		}
		if took > 40*time.Millisecond {
			t.Errorf("Transact took %v after an 8 ms deadline", took)
		}
	})
}
