package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/orderly-shop/orderly/devstack"
)

// binaries are the programs the stack runs; "" where not needed or absent.
type binaries struct {
	temporal, devstore string
	server, worker     string
}

// build brings everything the stack runs up to date. The web app goes first
// because the server binary embeds it. Builds are incremental: npm steps are
// skipped when their outputs are newer than their inputs, and go build
// leaves an up-to-date binary untouched.
func build(ctx context.Context, c config, out *devstack.Output) (binaries, error) {
	if _, err := devstack.LookTool("go"); err != nil {
		return binaries{}, err
	}
	var b binaries
	if !c.noApp {
		if err := devstack.BuildFrontend(ctx, c.root, out); err != nil {
			return binaries{}, err
		}
		for _, app := range []struct {
			dir string
			bin *string
		}{{"worker", &b.worker}, {"server", &b.server}} {
			if !hasMain(filepath.Join(c.root, app.dir)) {
				out.Printf("orderly-dev: no %s/ package yet: not starting it\n", app.dir)
				continue
			}
			*app.bin = filepath.Join(c.root, "bin", app.dir)
			if err := devstack.GoBuild(ctx, c.root, *app.bin, "./"+app.dir); err != nil {
				return binaries{}, err
			}
		}
	}
	var err error
	if c.temporalAddress == "" {
		if b.temporal, err = devstack.BuildTemporal(ctx, c.root); err != nil {
			return binaries{}, err
		}
	}
	if c.mongoURI == "" {
		if b.devstore, err = devstack.BuildDevstore(ctx, c.root); err != nil {
			return binaries{}, err
		}
	}
	return b, nil
}

// hasMain reports whether dir holds Go source other than tests, so that a
// binary someone has not written yet is skipped instead of failing the run.
func hasMain(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			return true
		}
	}
	return false
}
