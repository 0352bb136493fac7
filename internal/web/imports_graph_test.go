package web

import (
	"encoding/json"
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestWebImportsNoStore reads the import graph with go list and fails when
// internal/web imports a store package other than internal/store (its
// sentinel errors): the HTTP edge talks to services, never to the store.
func TestWebImportsNoStore(t *testing.T) {
	out, err := exec.Command("go", "list", "-json", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkg struct {
		Dir     string
		GoFiles []string
		Imports []string
	}
	if err := json.Unmarshal(out, &pkg); err != nil {
		t.Fatal(err)
	}
	const store = "github.com/escnet/escnet/internal/store"
	forbidden := func(path string) bool { return strings.HasPrefix(path, store+"/") }
	if !slices.ContainsFunc(pkg.Imports, forbidden) {
		return
	}
	// Name the files that import one.
	for _, name := range pkg.GoFiles {
		f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(pkg.Dir, name), nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if path := strings.Trim(imp.Path.Value, `"`); forbidden(path) {
				t.Errorf("%s imports %s: call a service instead", name, path)
			}
		}
	}
	if !t.Failed() {
		t.Errorf("internal/web imports a store package: %v", pkg.Imports)
	}
}
