package devstack

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// TemporalOptions configures StartTemporal.
type TemporalOptions struct {
	Bin      string // the temporal CLI (Tools.Temporal)
	Port     int    // frontend gRPC port; 0 picks a free one
	UIPort   int    // Web UI port; 0 picks a free one; unused when Headless
	Headless bool   // no Web UI (tests)
	// DBFile keeps the server's state in a SQLite file so that a restart
	// resumes running workflows; "" keeps it in memory.
	DBFile   string
	LogLevel string // debug, info, warn (default), error
	Output   *Output
	// Timeout bounds the wait for readiness; 0 means a minute.
	Timeout time.Duration
}

// Temporal is a running Temporal development server.
type Temporal struct {
	*Process
	Address string // host:port of the frontend gRPC service
	UIURL   string // the Web UI, "" when headless
}

// StartTemporal starts `temporal server start-dev` on loopback and waits until
// its frontend accepts connections and, unless headless, its UI answers. The
// namespace "default" exists by then: start-dev creates it before serving.
func StartTemporal(ctx context.Context, o TemporalOptions) (*Temporal, error) {
	port, err := pickPort(o.Port, "Temporal frontend")
	if err != nil {
		return nil, err
	}
	t := &Temporal{Address: loopback(port)}
	var uiCheck func(context.Context) error
	args := []string{"server", "start-dev", "--ip", "127.0.0.1", "--port", strconv.Itoa(port),
		"--log-level", cmp.Or(o.LogLevel, "warn")}
	if o.Headless {
		args = append(args, "--headless")
	} else {
		uiPort, err := pickPort(o.UIPort, "Temporal UI")
		if err != nil {
			return nil, err
		}
		args = append(args, "--ui-port", strconv.Itoa(uiPort))
		t.UIURL = fmt.Sprintf("http://localhost:%d", uiPort)
		uiCheck = httpCheck("http://"+loopback(uiPort)+"/", http.StatusOK)
	}
	if o.DBFile != "" {
		if err := os.MkdirAll(filepath.Dir(o.DBFile), 0o755); err != nil {
			return nil, fmt.Errorf("temporal: %w", err)
		}
		args = append(args, "--db-filename", o.DBFile)
	}

	t.Process, err = Start(Options{Name: "temporal", Path: o.Bin, Args: args, Output: o.Output})
	if err != nil {
		return nil, err
	}
	timeout := cmp.Or(o.Timeout, time.Minute)
	err = waitUntil(ctx, t.Process, timeout, "accepting connections on "+t.Address, dialCheck(t.Address))
	if err == nil && uiCheck != nil {
		err = waitUntil(ctx, t.Process, timeout, "serving its UI", uiCheck)
	}
	if err != nil {
		t.Stop()
		return nil, err
	}
	return t, nil
}

// pickPort returns port after checking it is free, or a free port if 0.
func pickPort(port int, service string) (int, error) {
	if port == 0 {
		return FreePort()
	}
	if err := CheckPort(loopback(port), service); err != nil {
		return 0, err
	}
	return port, nil
}
