package devstack

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Module is the path of the root module; its go.mod marks the repository root.
const Module = "github.com/orderly-shop/orderly"

// Root returns the repository root: the nearest directory at or above the
// working directory whose go.mod declares Module, or else the one above this
// source file (for binaries started from elsewhere by `go run`).
func Root() (string, error) {
	var starts []string
	if wd, err := os.Getwd(); err == nil {
		starts = append(starts, wd)
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		starts = append(starts, filepath.Dir(file))
	}
	for _, dir := range starts {
		if root, ok := findModuleRoot(dir); ok {
			return root, nil
		}
	}
	return "", fmt.Errorf("devstack: no go.mod for module %s above the working directory: run from inside the repository", Module)
}

// findModuleRoot walks up from dir; the walk ends at the file system root.
func findModuleRoot(dir string) (string, bool) {
	for {
		if isModuleRoot(dir) {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

func isModuleRoot(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return false
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(s.Text()), "module"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`) == Module
		}
	}
	return false
}
