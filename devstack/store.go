package devstack

import (
	"cmp"
	"context"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

// StoreOptions configures StartStore.
type StoreOptions struct {
	Bin string // the devstore (Tools.Devstore)
	// Addr is the loopback host:port to serve on; "" or port 0 lets the
	// devstore pick a free port itself, which no other program can steal.
	Addr     string
	DataDir  string
	LogLevel string // debug, info, warn (default), error
	// NoGate serves FerretDB bare: without the serialization gate and the
	// devstore's other additions (the _id index, the guard rewrites, the
	// duplicate-key translation). It exists only so that a test can show
	// what the gate prevents.
	NoGate bool
	Output *Output
	// Timeout bounds the wait for readiness; 0 means 30 seconds.
	Timeout time.Duration
}

// Store is a running devstore.
type Store struct {
	*Process
	URI string // mongodb://127.0.0.1:PORT/
}

// StoreProfilesEnv, when set to a loopback host:port, makes every store
// devstack starts serve its Go profiles there (devstore -pprof), to see
// where the store spends its CPU under a benchmark's load.
const StoreProfilesEnv = "ORDERLY_DEVSTORE_PPROF"

// readyPrefix starts the line the devstore prints once it accepts connections.
const readyPrefix = "devstore: ready "

// StartStore starts the devstore and waits for its ready line.
func StartStore(ctx context.Context, o StoreOptions) (*Store, error) {
	addr := cmp.Or(o.Addr, "127.0.0.1:0")
	if _, port, err := net.SplitHostPort(addr); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	} else if port != "0" {
		if err := CheckPort(addr, "store"); err != nil {
			return nil, err
		}
	}
	args := []string{"-listen", addr, "-data", o.DataDir, "-log-level", cmp.Or(o.LogLevel, "warn")}
	if addr := os.Getenv(StoreProfilesEnv); addr != "" {
		args = append(args, "-pprof", addr)
	}
	if o.NoGate {
		args = append(args, "-gate=false")
	}

	ready := make(chan string, 1)
	p, err := Start(Options{Name: "store", Path: o.Bin, Args: args, Output: o.Output,
		OnLine: func(line string) {
			if uri, ok := strings.CutPrefix(line, readyPrefix); ok {
				select {
				case ready <- uri:
				default:
				}
			}
		}})
	if err != nil {
		return nil, err
	}

	timeout := cmp.Or(o.Timeout, 30*time.Second)
	wait := time.NewTimer(timeout)
	defer wait.Stop()
	select {
	case uri := <-ready:
		return &Store{Process: p, URI: uri}, nil
	case <-p.Done():
		return nil, fmt.Errorf("store exited before it was ready: %v", p.Err())
	case <-wait.C:
		err = fmt.Errorf("store not ready after %s", timeout)
	case <-ctx.Done():
		err = fmt.Errorf("store: %w", context.Cause(ctx))
	}
	p.Stop()
	return nil, err
}
