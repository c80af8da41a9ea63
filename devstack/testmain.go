package devstack

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Shared names the services Main starts once for all tests of a binary.
type Shared uint8

// The services Main can share.
const (
	SharedStore Shared = 1 << iota
	SharedTemporal
)

// Main runs m with the services in shared started once and shared by all its
// tests (and any child processes they start), and returns the exit code for
// os.Exit. It passes them on through TestStoreEnv and TestTemporalEnv, which
// TestStore and TestTemporal read; a service whose variable is already set is
// used as is. With -short nothing is started. Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(devstack.Main(m, devstack.SharedTemporal)) }
func Main(m *testing.M, shared Shared) int {
	if !flag.Parsed() {
		flag.Parse() // testing.Short needs the flags
	}
	if testing.Short() || shared == 0 {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "orderly-devstack-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "devstack:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	stack := NewStack()
	defer stack.Stop() // before the directory goes
	if err := startShared(stack, shared, dir); err != nil {
		fmt.Fprintln(os.Stderr, "devstack:", err)
		return 1
	}
	return m.Run()
}

// startShared starts the shared services and publishes them in the
// environment, which is the one process-wide place child processes see too.
func startShared(stack *Stack, shared Shared, dir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), buildTimeout)
	defer cancel()
	root, err := Root()
	if err != nil {
		return err
	}
	out := NewOutput(os.Stderr)
	if shared&SharedStore != 0 && os.Getenv(TestStoreEnv) == "" {
		bin, err := BuildDevstore(ctx, root)
		if err != nil {
			return err
		}
		s, err := StartStore(ctx, StoreOptions{Bin: bin, DataDir: filepath.Join(dir, "store"), Output: out})
		if err != nil {
			return err
		}
		stack.Add(s.Process)
		os.Setenv(TestStoreEnv, s.URI)
	}
	if shared&SharedTemporal != 0 && os.Getenv(TestTemporalEnv) == "" {
		bin, err := BuildTemporal(ctx, root)
		if err != nil {
			return err
		}
		tp, err := StartTemporal(ctx, TemporalOptions{Bin: bin, Headless: true, LogLevel: "error", Output: out})
		if err != nil {
			return err
		}
		stack.Add(tp.Process)
		os.Setenv(TestTemporalEnv, tp.Address)
	}
	return nil
}
