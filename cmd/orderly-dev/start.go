package main

import (
	"cmp"
	"context"
	"os"
	"path/filepath"
	"time"

	"github.com/orderly-shop/orderly/devstack"
)

// readyTimeout bounds the wait for the server's /readyz; the server itself
// waits up to a minute for the store and Temporal.
const readyTimeout = 90 * time.Second

// endpoints are where the running stack is reached.
type endpoints struct {
	temporal   string // host:port of the Temporal frontend
	temporalUI string
	store      string // MongoDB URI
	app        bool   // the server runs and is ready
	// payloadKeys is what both binaries encrypt workflow payloads with,
	// read from payloadKeysFrom (PAYLOAD_KEYS or the data dir's file).
	payloadKeys, payloadKeysFrom string
}

// checkPorts fails fast, before minutes of cold builds, when a fixed port is
// already taken. The services check again as they start.
func checkPorts(c config) error {
	var checks [][2]string
	if c.temporalAddress == "" && !c.ephemeral {
		checks = append(checks,
			[2]string{loopback(temporalPort), serviceTemporal},
			[2]string{loopback(temporalUIPort), serviceTemporalUI})
	}
	if c.mongoURI == "" && !c.ephemeral {
		checks = append(checks, [2]string{storeAddr, serviceStore})
	}
	if !c.noApp && hasMain(filepath.Join(c.root, "server")) {
		checks = append(checks, [2]string{c.httpAddr, serviceServer}, [2]string{c.serverMetrics, serviceMetrics})
	}
	if !c.noApp && hasMain(filepath.Join(c.root, "worker")) {
		checks = append(checks, [2]string{c.workerMetrics, serviceMetrics})
	}
	for _, ch := range checks {
		if err := devstack.CheckPort(ch[0], ch[1]); err != nil {
			return err
		}
	}
	return nil
}

// startStack starts, in order, whatever of Temporal, the store, the worker
// and the server is needed, adding each to stack as soon as it runs so that a
// failure further on still stops it.
func startStack(ctx context.Context, c config, dataDir string, b binaries, stack *devstack.Stack, out *devstack.Output) (endpoints, error) {
	ep := endpoints{temporal: c.temporalAddress, temporalUI: c.temporalUIURL, store: c.mongoURI}
	if !c.noApp {
		keys, source, err := payloadKeys(dataDir, os.Getenv)
		if err != nil {
			return ep, err
		}
		ep.payloadKeys, ep.payloadKeysFrom = keys, source
	}

	if b.temporal != "" {
		opts := devstack.TemporalOptions{Bin: b.temporal, Port: temporalPort, UIPort: temporalUIPort, LogLevel: "error", Output: out}
		if c.ephemeral {
			opts.Port, opts.UIPort = 0, 0 // and state in memory
		} else {
			opts.DBFile = filepath.Join(dataDir, "temporal.db")
		}
		t, err := devstack.StartTemporal(ctx, opts)
		if err != nil {
			return ep, err
		}
		stack.Add(t.Process)
		ep.temporal, ep.temporalUI = t.Address, cmp.Or(c.temporalUIURL, t.UIURL)
	}

	if b.devstore != "" {
		addr := storeAddr
		if c.ephemeral {
			addr = "127.0.0.1:0"
		}
		s, err := devstack.StartStore(ctx, devstack.StoreOptions{
			Bin: b.devstore, Addr: addr, DataDir: filepath.Join(dataDir, "store"), LogLevel: "info", Output: out,
		})
		if err != nil {
			return ep, err
		}
		stack.Add(s.Process)
		ep.store = s.URI
	}

	env := appEnv(c, ep)
	if b.worker != "" {
		w, err := devstack.Start(devstack.Options{Name: "worker", Path: b.worker, Dir: c.root,
			Env: append(env, "METRICS_ADDR="+c.workerMetrics), Output: out})
		if err != nil {
			return ep, err
		}
		stack.Add(w)
	}
	if b.server != "" {
		s, err := devstack.Start(devstack.Options{Name: "server", Path: b.server, Dir: c.root,
			Env: append(env, "METRICS_ADDR="+c.serverMetrics), Output: out})
		if err != nil {
			return ep, err
		}
		stack.Add(s)
		if err := devstack.WaitHTTP(ctx, s, readyTimeout, c.serverURL()+"/readyz"); err != nil {
			return ep, err
		}
		ep.app = true
	}
	return ep, nil
}

// appEnv is the environment of the server and the worker; the launcher's
// own environment comes first, so LOG_LEVEL and the like pass through.
func appEnv(c config, ep endpoints) []string {
	return []string{
		"ORDERLY_ENV=development",
		"MONGODB_URI=" + ep.store,
		"MONGODB_DATABASE=" + c.database,
		"TEMPORAL_ADDRESS=" + ep.temporal,
		"TEMPORAL_NAMESPACE=" + c.namespace,
		"TEMPORAL_UI_URL=" + ep.temporalUI,
		"HTTP_ADDR=" + c.httpAddr,
		"CORS_ALLOWED_ORIGINS=" + c.corsOrigins,
		"DEMO_CUSTOMER_PASSWORD=" + c.customerPassword,
		"DEMO_ADMIN_PASSWORD=" + c.adminPassword,
		"PAYLOAD_KEYS=" + ep.payloadKeys,
	}
}
