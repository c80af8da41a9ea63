package devstack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Environment variables that point the integration tests at running
// services instead of starting their own.
const (
	TestStoreEnv    = "ORDERLY_TEST_MONGODB_URI"
	TestTemporalEnv = "ORDERLY_TEST_TEMPORAL_ADDRESS"
)

// buildTimeout bounds building the tools: a cold build of the temporal CLI
// takes a minute or two on a small machine.
const buildTimeout = 10 * time.Minute

// TestStore returns the URI of a store for t: $ORDERLY_TEST_MONGODB_URI when
// set (Main sets it for a shared store), otherwise a fresh devstore on a free
// port with its data in t.TempDir(), stopped when t ends. Tests sharing a
// store keep apart by using TestDatabase. With -short, t is skipped.
func TestStore(t testing.TB) string {
	t.Helper()
	if uri := os.Getenv(TestStoreEnv); uri != "" {
		return uri
	}
	return testStore(t, false).URI
}

// testStore starts a private devstore, with or without its gate.
func testStore(t testing.TB, noGate bool) *Store {
	t.Helper()
	skipShort(t)
	bin := testBuild(t, BuildDevstore)
	dir := t.TempDir() // registered first, so removed after the store stops
	s, err := StartStore(t.Context(), StoreOptions{Bin: bin, DataDir: dir, NoGate: noGate, Output: NewOutput(t.Output())})
	if err != nil {
		t.Fatalf("devstack: %v", err)
	}
	stopWithTest(t, s.Process)
	return s
}

// TestStoreAt starts a private devstore for t on addr (a fixed loopback
// host:port) with its data in dataDir, and stops it when t ends. Unlike
// TestStore it ignores $ORDERLY_TEST_MONGODB_URI: it is for tests that stop
// the store and start it again on the same address and data, as a restart
// of the database server would. With -short, t is skipped.
func TestStoreAt(t testing.TB, addr, dataDir string) *Store {
	t.Helper()
	skipShort(t)
	bin := testBuild(t, BuildDevstore)
	s, err := StartStore(t.Context(), StoreOptions{Bin: bin, Addr: addr, DataDir: dataDir, Output: NewOutput(t.Output())})
	if err != nil {
		t.Fatalf("devstack: %v", err)
	}
	stopWithTest(t, s.Process)
	return s
}

// TestTemporal returns the host:port of a Temporal frontend for t:
// $ORDERLY_TEST_TEMPORAL_ADDRESS when set (Main sets it for a shared server),
// otherwise a fresh headless in-memory dev server, stopped when t ends.
// Starting one takes about a second, so prefer Main with SharedTemporal.
// With -short, t is skipped.
func TestTemporal(t testing.TB) string {
	t.Helper()
	if addr := os.Getenv(TestTemporalEnv); addr != "" {
		return addr
	}
	skipShort(t)
	bin := testBuild(t, BuildTemporal)
	tp, err := StartTemporal(t.Context(), TemporalOptions{Bin: bin, Headless: true, LogLevel: "error", Output: NewOutput(t.Output())})
	if err != nil {
		t.Fatalf("devstack: %v", err)
	}
	stopWithTest(t, tp.Process)
	return tp.Address
}

// TestTools builds the development tools (see BuildTools) for t.
func TestTools(t testing.TB) Tools {
	t.Helper()
	root := TestRoot(t)
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	tools, err := BuildTools(ctx, root)
	if err != nil {
		t.Fatalf("devstack: %v", err)
	}
	return tools
}

// testBuild runs one of the Build functions for t.
func testBuild(t testing.TB, build func(context.Context, string) (string, error)) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	bin, err := build(ctx, TestRoot(t))
	if err != nil {
		t.Fatalf("devstack: %v", err)
	}
	return bin
}

// TestBinary builds the main package dir (relative to the repository root,
// e.g. "worker") into the root's bin/ and returns the binary's path.
func TestBinary(t testing.TB, dir string) string {
	t.Helper()
	root := TestRoot(t)
	ctx, cancel := context.WithTimeout(t.Context(), buildTimeout)
	defer cancel()
	out := filepath.Join(root, "bin", filepath.Base(dir))
	if err := GoBuild(ctx, root, out, "./"+filepath.ToSlash(dir)); err != nil {
		t.Fatalf("devstack: %v", err)
	}
	return out
}

// TestProcess starts a program for t with env added to the environment,
// logging to t.Output(), and stops it when t ends.
func TestProcess(t testing.TB, name, path string, env ...string) *Process {
	t.Helper()
	p, err := Start(Options{Name: name, Path: path, Env: env, Output: NewOutput(t.Output())})
	if err != nil {
		t.Fatalf("devstack: %v", err)
	}
	stopWithTest(t, p)
	return p
}

// TestRoot returns the repository root or fails t.
func TestRoot(t testing.TB) string {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// TestDatabase returns a database name unique to t, so that tests can share
// a store. Names are at most 63 characters of [a-z0-9_], which both MongoDB
// and FerretDB accept.
func TestDatabase(t testing.TB) string {
	name := strings.ToLower(t.Name())
	name = regexp.MustCompile(`[^a-z0-9]+`).ReplaceAllString(name, "_")
	suffix := fmt.Sprintf("_%x", time.Now().UnixNano()&0xffffffff)
	name = "t_" + strings.Trim(name, "_")
	if max := 63 - len(suffix); len(name) > max {
		name = name[:max]
	}
	return name + suffix
}

func skipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: needs the dev stack (runs without -short)")
	}
}

func stopWithTest(t testing.TB, p *Process) {
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("devstack: %v", err)
		}
	})
}
