package devstack

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Tools are the development binaries BuildTools produces.
type Tools struct {
	Temporal string // the pinned temporal CLI
	Devstore string // FerretDB behind the serialization gate (tools/devstore)
}

// BuildTools builds the temporal CLI (module tools/) and the devstore (module
// tools/devstore) into root/bin. Each lives in its own module so that it
// builds with exactly its released dependencies and neither enters the root
// module's graph. The Go build cache makes a warm rebuild take well under a
// second; a cold one takes a minute or two.
func BuildTools(ctx context.Context, root string) (Tools, error) {
	temporal, err := BuildTemporal(ctx, root)
	if err != nil {
		return Tools{}, err
	}
	devstore, err := BuildDevstore(ctx, root)
	if err != nil {
		return Tools{}, err
	}
	return Tools{Temporal: temporal, Devstore: devstore}, nil
}

// BuildTemporal builds the temporal CLI pinned in tools/go.mod into
// root/bin/temporal and returns its path.
func BuildTemporal(ctx context.Context, root string) (string, error) {
	bin := filepath.Join(root, "bin", "temporal")
	return bin, GoBuild(ctx, filepath.Join(root, "tools"), bin, "github.com/temporalio/cli/cmd/temporal")
}

// BuildDevstore builds tools/devstore into root/bin/devstore and returns
// its path.
func BuildDevstore(ctx context.Context, root string) (string, error) {
	bin := filepath.Join(root, "bin", "devstore")
	return bin, GoBuild(ctx, filepath.Join(root, "tools", "devstore"), bin, ".")
}

// GoBuild runs `go build -o out pkg` in the module directory dir. On failure
// the error carries the compiler's output.
//
// Concurrent test binaries may build the same output; a lock next to it makes
// them take turns, and the later ones find the binary up to date (go build
// leaves an up-to-date output untouched, so a running copy is never replaced).
func GoBuild(ctx context.Context, dir, out, pkg string) error {
	gobin, err := LookTool("go")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return fmt.Errorf("build %s: %w", pkg, err)
	}
	unlock, err := lockFile(ctx, out+".lock")
	if err != nil {
		return fmt.Errorf("build %s: %w", pkg, err)
	}
	defer unlock()

	var output bytes.Buffer
	cmd := command(ctx, gobin, "build", "-o", out, pkg)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = &output, &output
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build %s in %s: %w\n%s", pkg, dir, err, strings.TrimSpace(output.String()))
	}
	return nil
}
