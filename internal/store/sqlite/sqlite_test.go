package sqlite_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/escnet/escnet/internal/directory"
	"github.com/escnet/escnet/internal/store/engine"
	"github.com/escnet/escnet/internal/store/sqlite"
	"github.com/escnet/escnet/internal/store/sqlstore"
)

// TestCloseLeavesEverythingInTheFile writes through the store, closes it,
// copies only escnet.db elsewhere and finds every row in the copy, with no
// write-ahead log left behind that holds anything.
func TestCloseLeavesEverythingInTheFile(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "escnet.db")
	db, _, err := engine.OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	for i := range n {
		o := &directory.Organisation{Slug: fmt.Sprintf("org-%d", i), Name: fmt.Sprintf("Organisation %d", i), Country: "NL",
			Kind: "company", Visibility: "public", TLP: "CLEAR", Description: fmt.Sprintf("%0500d", i)}
		if err := db.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	// A reader in the middle of the pool's life must not keep the log.
	if _, err := db.LatestChange(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path + "-wal"); err != nil || st.Size() == 0 {
		t.Fatalf("the writes were expected in the write-ahead log before Close (stat: %v)", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if st, err := os.Stat(path + "-wal"); err == nil && st.Size() > 0 {
		t.Errorf("after Close the write-ahead log still holds %d bytes", st.Size())
	}

	copyPath := filepath.Join(t.TempDir(), "copy.db")
	copyFile(t, path, copyPath)
	cp, err := sqlite.Open(ctx, copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	for table, want := range map[string]int{"organisations": n, "changes": n} {
		if got := count(t, cp, table); got < want {
			t.Errorf("the copy holds %d rows of %s, want at least %d", got, table, want)
		}
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, db *sqlstore.DB, table string) int {
	t.Helper()
	var n int
	if err := db.SQL().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
