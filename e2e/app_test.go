package e2e

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly/devstack"
)

// app is one Orderly deployment under test: a worker and one or more server
// replicas sharing a store database and a Temporal namespace.
type app struct {
	t        testing.TB
	storeURI string
	database string
	env      []string
	opts     appOptions
	servers  []*server
	workers  []*devstack.Process
}

// server is one running server process and its base URL.
type server struct {
	proc *devstack.Process
	url  string
	env  []string
}

// appOptions tune startApp.
type appOptions struct {
	servers int
	// storeURI is the store to use; "" means the package's shared one.
	storeURI string
	// env is added to both binaries' environment; workerEnv and serverEnv
	// to one's only (a metrics address each, say).
	env, workerEnv, serverEnv []string
}

// startApp builds the binaries (incrementally) and starts a worker and the
// servers on free ports, waiting until every server is ready.
func startApp(t testing.TB, opts appOptions) *app {
	t.Helper()
	if opts.servers == 0 {
		opts.servers = 1
	}
	a := &app{t: t, storeURI: opts.storeURI, database: devstack.TestDatabase(t), opts: opts}
	if a.storeURI == "" {
		a.storeURI = devstack.TestStore(t)
	}
	a.env = append([]string{
		"MONGODB_URI=" + a.storeURI,
		"MONGODB_DATABASE=" + a.database,
		"TEMPORAL_ADDRESS=" + devstack.TestTemporal(t),
		"TEMPORAL_NAMESPACE=default",
		"ORDERLY_ENV=development",
		"LOG_LEVEL=warn",
		"FEED_POLL_INTERVAL=50ms",
		// Off: several servers and workers run at once; tests that scrape
		// give each its own address.
		"METRICS_ADDR=",
	}, opts.env...)
	a.startWorker()
	for range opts.servers {
		a.startServer()
	}
	return a
}

// startWorker starts one more worker process.
func (a *app) startWorker() *devstack.Process {
	a.t.Helper()
	bin := binary(a.t, "worker")
	w := devstack.TestProcess(a.t, fmt.Sprintf("worker%d", len(a.workers)+1), bin, append(slices.Clip(a.env), a.opts.workerEnv...)...)
	a.workers = append(a.workers, w)
	return w
}

// startServer starts one more server replica and waits until it is ready.
func (a *app) startServer() *server {
	a.t.Helper()
	port, err := devstack.FreePort()
	if err != nil {
		a.t.Fatal(err)
	}
	s := &server{url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	s.env = append(append(append([]string{}, a.env...), a.opts.serverEnv...), fmt.Sprintf("HTTP_ADDR=127.0.0.1:%d", port))
	s.proc = devstack.TestProcess(a.t, fmt.Sprintf("server%d", len(a.servers)+1), binary(a.t, "server"), s.env...)
	waitReady(a.t, s)
	a.servers = append(a.servers, s)
	return s
}

// restart stops the server and starts it again on the same address.
func (s *server) restart(t testing.TB) {
	t.Helper()
	if err := s.proc.Stop(); err != nil {
		t.Logf("stopping server: %v", err)
	}
	s.proc = devstack.TestProcess(t, s.proc.Name(), binary(t, "server"), s.env...)
	waitReady(t, s)
}

// waitReady polls /readyz until it answers 200, for at most a minute.
func waitReady(t testing.TB, s *server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.url+"/readyz", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case <-s.proc.Done():
			t.Fatalf("server exited before it was ready: %v", s.proc.Err())
		case <-ctx.Done():
			t.Fatalf("server %s not ready within a minute (last error: %v)", s.url, err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// binary builds a main package once per test binary run.
func binary(t testing.TB, dir string) string {
	t.Helper()
	if p, ok := built[dir]; ok {
		return p
	}
	p := devstack.TestBinary(t, dir)
	built[dir] = p
	return p
}

// built caches binary paths; tests in this package do not run in parallel
// with each other's first build, so a plain map is enough.
var built = map[string]string{}

// demoLogin signs in as a demo account created by the server at start-up.
func (a *app) login(t testing.TB, email, password string) *client {
	t.Helper()
	c := newClient(a.servers[0].url, "")
	var out struct {
		Login struct {
			Token  *string
			Errors []userError
		}
	}
	c.mustDo(t, `mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token errors { code message field } } }`,
		map[string]any{"e": email, "p": password}, &out)
	if len(out.Login.Errors) > 0 || out.Login.Token == nil {
		t.Fatalf("login %s: %+v", email, out.Login.Errors)
	}
	c.token = *out.Login.Token
	return c
}

// customer signs in as the demo shopper.
func (a *app) customer(t testing.TB) *client { return a.login(t, "demo@orderly.dev", "orderly-demo") }

// operator signs in as the demo operator.
func (a *app) operator(t testing.TB) *client { return a.login(t, "admin@orderly.dev", "orderly-admin") }

// register creates and signs in a fresh customer.
func (a *app) register(t testing.TB, name string) *client {
	t.Helper()
	c := newClient(a.servers[0].url, "")
	email := strings.ToLower(fmt.Sprintf("%s-%d@example.com", name, time.Now().UnixNano()))
	var out struct {
		Register struct {
			Token  *string
			Errors []userError
		}
	}
	c.mustDo(t, `mutation($e: String!, $n: String!) { register(input: {email: $e, password: "correct horse battery", name: $n}) { token errors { code message field } } }`,
		map[string]any{"e": email, "n": name}, &out)
	if len(out.Register.Errors) > 0 || out.Register.Token == nil {
		t.Fatalf("register %s: %+v", email, out.Register.Errors)
	}
	c.token = *out.Register.Token
	return c
}
