package bench

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.temporal.io/sdk/client"

	"github.com/orderly-shop/orderly/devstack"
	"github.com/orderly-shop/orderly/internal/bench/bare"
	"github.com/orderly-shop/orderly/internal/bench/storestats"
)

// binaries are the programs a run starts.
type binaries struct {
	temporal, devstore, server, worker, bareWorker string
}

// build builds every program into root/bin (incrementally: warm, in
// seconds).
func build(ctx context.Context, root string) (binaries, error) {
	tools, err := devstack.BuildTools(ctx, root)
	if err != nil {
		return binaries{}, err
	}
	b := binaries{temporal: tools.Temporal, devstore: tools.Devstore}
	for _, t := range []struct {
		out *string
		pkg string
	}{{&b.server, "./server"}, {&b.worker, "./worker"}, {&b.bareWorker, "./cmd/bare-worker"}} {
		*t.out = filepath.Join(root, "bin", filepath.Base(t.pkg))
		if err := devstack.GoBuild(ctx, root, *t.out, t.pkg); err != nil {
			return binaries{}, err
		}
	}
	return b, nil
}

// harness is what every part of a run shares: the configuration, the
// binaries, the one Temporal dev server, a scratch directory and the notes
// for the report.
type harness struct {
	cfg      Config
	bin      binaries
	temporal *devstack.Temporal
	out      *devstack.Output
	logger   *slog.Logger
	scratch  string

	mu    sync.Mutex
	seq   int
	notes []string
}

// note adds a line to the report's notes, once.
func (h *harness) note(format string, args ...any) {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := fmt.Sprintf(format, args...)
	for _, have := range h.notes {
		if have == n {
			return
		}
	}
	h.notes = append(h.notes, n)
	h.logger.Warn(n)
}

// name returns a name unique in this run, for namespaces and directories.
func (h *harness) name(prefix string) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	return fmt.Sprintf("%s-%d", prefix, h.seq)
}

// app is one Orderly deployment: its own store, a worker and a server in
// their own Temporal namespace.
type app struct {
	h         *harness
	namespace string
	url       string
	store     *devstack.Store
	worker    *devstack.Process
	server    *devstack.Process
	mongo     *mongo.Client
	stats     *storestats.Reader
	temporal  client.Client
}

// appOptions shape an app.
type appOptions struct {
	trackingUpdates  int
	trackingInterval time.Duration
	// noWorker starts only the store and the server.
	noWorker bool
	// namespace is the Temporal namespace; "" registers a new one.
	namespace string
}

// startApp starts a fresh store, then the worker and the server, and waits
// until the server is ready. The processes run with Orderly's defaults but
// for the shipping pace; the demo accounts exist.
func (h *harness) startApp(ctx context.Context, o appOptions) (_ *app, err error) {
	a := &app{h: h, namespace: o.namespace}
	defer func() {
		if err != nil {
			a.stop()
		}
	}()
	dir := filepath.Join(h.scratch, h.name("store"))
	if a.store, err = devstack.StartStore(ctx, devstack.StoreOptions{Bin: h.bin.devstore, DataDir: dir, Output: h.out}); err != nil {
		return nil, err
	}
	if a.mongo, err = mongo.Connect(options.Client().ApplyURI(a.store.URI)); err != nil {
		return nil, fmt.Errorf("connect store: %w", err)
	}
	a.stats = storestats.NewReader(a.mongo)
	if a.namespace == "" {
		a.namespace = h.name("orderly")
		if err := registerNamespace(ctx, h.temporal.Address, a.namespace); err != nil {
			return nil, err
		}
	}
	if a.temporal, err = dialTemporal(ctx, h.temporal.Address, a.namespace); err != nil {
		return nil, err
	}
	port, err := devstack.FreePort()
	if err != nil {
		return nil, err
	}
	a.url = fmt.Sprintf("http://127.0.0.1:%d", port)
	env := []string{
		"MONGODB_URI=" + a.store.URI,
		"MONGODB_DATABASE=orderly",
		"TEMPORAL_ADDRESS=" + h.temporal.Address,
		"TEMPORAL_NAMESPACE=" + a.namespace,
		"ORDERLY_ENV=development",
		"LOG_LEVEL=warn",
		fmt.Sprintf("SHIPPING_TRACKING_UPDATES=%d", o.trackingUpdates),
		"SHIPPING_TRACKING_INTERVAL=" + o.trackingInterval.String(),
		// An order's workflow stays open through its return window; the
		// bare program waits the same ReturnWindow after completing, so
		// that both close (and report) alike.
		"RETURN_WINDOW=" + bare.ReturnWindow.String(),
	}
	if !o.noWorker {
		if a.worker, err = devstack.Start(devstack.Options{Name: "worker", Path: h.bin.worker, Env: env, Output: h.out}); err != nil {
			return nil, err
		}
	}
	env = append(env, fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", port))
	if a.server, err = devstack.Start(devstack.Options{Name: "server", Path: h.bin.server, Env: env, Output: h.out}); err != nil {
		return nil, err
	}
	if err := waitReady(ctx, a.url, a.server); err != nil {
		return nil, err
	}
	return a, nil
}

// stop stops the server, the worker and the store, in that order.
func (a *app) stop() {
	if a.temporal != nil {
		a.temporal.Close()
	}
	if a.mongo != nil {
		_ = a.mongo.Disconnect(context.Background())
	}
	for _, p := range []*devstack.Process{a.server, a.worker} {
		if p != nil {
			if err := p.Stop(); err != nil {
				a.h.logger.Warn("stopping", "process", p.Name(), "err", err)
			}
		}
	}
	if a.store != nil {
		if err := a.store.Stop(); err != nil {
			a.h.logger.Warn("stopping the store", "err", err)
		}
	}
}

// pids names the app's processes by role, for sampling.
func (a *app) pids() map[string]int {
	m := map[string]int{"temporal": a.h.temporal.Pid(), "store": a.store.Pid(), "server": a.server.Pid(), "harness": os.Getpid()}
	if a.worker != nil {
		m["worker"] = a.worker.Pid()
	}
	return m
}

// waitReady polls /readyz until it answers 200, for at most two minutes.
func waitReady(ctx context.Context, url string, p *devstack.Process) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	var last error
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("HTTP %d", resp.StatusCode)
		}
		last = err
		select {
		case <-p.Done():
			return fmt.Errorf("server exited before it was ready: %v", p.Err())
		case <-ctx.Done():
			return fmt.Errorf("server %s not ready: %v (%w)", url, last, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// errorReason shortens an error to what the report shows.
func errorReason(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "timeout"
	}
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	return s
}
