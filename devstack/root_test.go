package devstack

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRootFindsTheRootModule(t *testing.T) {
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "devstack", "root.go")); err != nil {
		t.Fatalf("Root = %s, which has no devstack/root.go", root)
	}
	// The tools modules have go.mod files too; they must be skipped.
	if got, ok := findModuleRoot(filepath.Join(root, "tools", "devstore")); !ok || got != root {
		t.Fatalf("from tools/devstore: %s, %v; want %s", got, ok, root)
	}
}

func TestTestDatabaseIsShortAndUnique(t *testing.T) {
	a, b := TestDatabase(t), TestDatabase(t)
	if a == b {
		t.Fatalf("two calls gave %s", a)
	}
	t.Run("a very long subtest name that goes on and on well past the sixty-three characters a database name may have", func(t *testing.T) {
		if n := TestDatabase(t); len(n) > 63 {
			t.Fatalf("%s is %d long", n, len(n))
		}
	})
}
