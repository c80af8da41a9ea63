package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/orderly-shop/orderly/internal/envconfig"
)

// lockedBuffer is a bytes.Buffer safe for a server goroutine to log into
// while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// records decodes the JSON log lines.
func (b *lockedBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(b.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		out = append(out, rec)
	}
	return out
}

// accessLines returns the access log records.
func (b *lockedBuffer) accessLines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, rec := range b.records(t) {
		if rec["msg"] == "http request" {
			out = append(out, rec)
		}
	}
	return out
}

// waitForAccessLine waits, at most two seconds, for the access log line a
// server goroutine writes after its handler returns.
func (b *lockedBuffer) waitForAccessLine(t *testing.T) map[string]any {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		if lines := b.accessLines(t); len(lines) > 0 {
			return lines[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no access log line; log:\n%s", b.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func newTestLogger() (*slog.Logger, *lockedBuffer) {
	buf := &lockedBuffer{}
	return slog.New(slog.NewJSONHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

// stub answers with its name in the body and in X-Route.
func stub(name string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Route", name)
		fmt.Fprint(w, name)
	})
}

func stubRoutes() routes {
	return routes{GraphQL: stub("graphql"), App: stub("app")}
}

var testOrigins = []string{"https://shop.example.com", "http://localhost:5173"}

func serve(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func decodeBody(t *testing.T, rec *httptest.ResponseRecorder) map[string]string {
	t.Helper()
	var m map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", rec.Body.String(), err)
	}
	return m
}

func TestRouting(t *testing.T) {
	tests := []struct {
		name       string
		playground bool
		method     string
		target     string
		wantStatus int
		wantRoute  string // X-Route of the stub that answered; "" for built-in routes
		wantBody   string
	}{
		{name: "healthz", method: "GET", target: "/healthz", wantStatus: 200, wantBody: `{"status":"ok"}` + "\n"},
		// GET patterns match HEAD; the recorder keeps the body the server would drop.
		{name: "healthz HEAD", method: "HEAD", target: "/healthz", wantStatus: 200, wantBody: `{"status":"ok"}` + "\n"},
		{name: "readyz without checks", method: "GET", target: "/readyz", wantStatus: 200, wantBody: "{}\n"},
		{name: "POST healthz is the app's", method: "POST", target: "/healthz", wantStatus: 200, wantRoute: "app"},
		{name: "graphql GET", method: "GET", target: "/graphql", wantStatus: 200, wantRoute: "graphql"},
		{name: "graphql POST with a query", method: "POST", target: "/graphql?op=x", wantStatus: 200, wantRoute: "graphql"},
		{name: "graphql subpath is the app's", method: "GET", target: "/graphql/x", wantStatus: 200, wantRoute: "app"},
		{name: "graphql trailing slash is the app's", method: "GET", target: "/graphql/", wantStatus: 200, wantRoute: "app"},
		{name: "graphql lookalike is the app's", method: "GET", target: "/graphqlx", wantStatus: 200, wantRoute: "app"},
		{name: "root", method: "GET", target: "/", wantStatus: 200, wantRoute: "app"},
		{name: "client route", method: "GET", target: "/orders/42", wantStatus: 200, wantRoute: "app"},
		{name: "playground off falls through to the app", method: "GET", target: "/playground", wantStatus: 200, wantRoute: "app"},
		{name: "playground on", playground: true, method: "GET", target: "/playground", wantStatus: 200, wantRoute: "playground"},
		{name: "playground on, HEAD", playground: true, method: "HEAD", target: "/playground", wantStatus: 200, wantRoute: "playground"},
		{name: "playground on, POST is the app's", playground: true, method: "POST", target: "/playground", wantStatus: 200, wantRoute: "app"},
		{name: "playground on, subpath is the app's", playground: true, method: "GET", target: "/playground/x", wantStatus: 200, wantRoute: "app"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := stubRoutes()
			if tt.playground {
				r.Playground = stub("playground")
			}
			logger, _ := newTestLogger()
			rec := serve(newHandler(r, newCORS(testOrigins), logger), httptest.NewRequest(tt.method, tt.target, nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("X-Route"); got != tt.wantRoute {
				t.Errorf("answered by %q, want %q", got, tt.wantRoute)
			}
			if tt.wantRoute != "" {
				if rec.Body.String() != tt.wantRoute {
					t.Errorf("body = %q", rec.Body.String())
				}
				return
			}
			if rec.Body.String() != tt.wantBody {
				t.Errorf("body = %q, want %q", rec.Body.String(), tt.wantBody)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control = %q", cc)
			}
		})
	}
}

func check(name string, err error) Checker {
	return Checker{Name: name, Check: func(context.Context) error { return err }}
}

func TestReadyz(t *testing.T) {
	const secret = "dial tcp 10.0.0.7:27017: auth failed for user orderly:s3cret"
	tests := []struct {
		name       string
		checks     []Checker
		wantStatus int
		wantBody   map[string]string
		wantWarned []string // dependencies logged as failing
	}{
		{
			name:       "all pass",
			checks:     []Checker{check("mongodb", nil), check("temporal", nil)},
			wantStatus: http.StatusOK,
			wantBody:   map[string]string{"mongodb": "ok", "temporal": "ok"},
		},
		{
			name:       "mongodb fails",
			checks:     []Checker{check("mongodb", errors.New(secret)), check("temporal", nil)},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   map[string]string{"mongodb": "unavailable", "temporal": "ok"},
			wantWarned: []string{"mongodb"},
		},
		{
			name:       "temporal fails after mongodb passes",
			checks:     []Checker{check("mongodb", nil), check("temporal", errors.New(secret))},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   map[string]string{"mongodb": "ok", "temporal": "unavailable"},
			wantWarned: []string{"temporal"},
		},
		{
			name:       "both fail",
			checks:     []Checker{check("mongodb", errors.New(secret)), check("temporal", context.DeadlineExceeded)},
			wantStatus: http.StatusServiceUnavailable,
			wantBody:   map[string]string{"mongodb": "unavailable", "temporal": "unavailable"},
			wantWarned: []string{"mongodb", "temporal"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := stubRoutes()
			r.Ready = tt.checks
			logger, logs := newTestLogger()
			rec := serve(newHandler(r, newCORS(testOrigins), logger), httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			body := decodeBody(t, rec)
			if fmt.Sprint(body) != fmt.Sprint(tt.wantBody) {
				t.Errorf("body = %v, want %v", body, tt.wantBody)
			}
			if strings.Contains(rec.Body.String(), "s3cret") || strings.Contains(rec.Body.String(), "10.0.0.7") {
				t.Errorf("body leaks the error: %s", rec.Body.String())
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			var warned []string
			for _, l := range logs.records(t) {
				if l["msg"] == "readiness check failed" {
					warned = append(warned, fmt.Sprint(l["dependency"]))
					if l["level"] != "WARN" || l["err"] == nil || l["err"] == "" {
						t.Errorf("readiness log = %v", l)
					}
				}
			}
			if fmt.Sprint(warned) != fmt.Sprint(tt.wantWarned) {
				t.Errorf("logged failures %v, want %v", warned, tt.wantWarned)
			}
			// The detail goes to the log only.
			if len(tt.wantWarned) > 0 && !strings.Contains(logs.String(), "s3cret") && !strings.Contains(logs.String(), "deadline exceeded") {
				t.Errorf("the log does not have the detail:\n%s", logs.String())
			}
		})
	}
}

// TestReadyzBoundsSlowChecks: a dependency that never answers makes /readyz
// 503 after two seconds rather than hang the probe.
func TestReadyzBoundsSlowChecks(t *testing.T) {
	var deadline time.Duration
	r := stubRoutes()
	r.Ready = []Checker{
		check("mongodb", nil),
		{Name: "temporal", Check: func(ctx context.Context) error {
			d, ok := ctx.Deadline()
			if !ok {
				return errors.New("no deadline")
			}
			deadline = time.Until(d)
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(5 * time.Second): // keeps the test bounded if the handler is not
				return nil
			}
		}},
	}
	logger, _ := newTestLogger()
	start := time.Now()
	rec := serve(newHandler(r, newCORS(testOrigins), logger), httptest.NewRequest("GET", "/readyz", nil))
	elapsed := time.Since(start)
	if rec.Code != http.StatusServiceUnavailable {
		t.Errorf("status = %d, want 503", rec.Code)
	}
	if body := decodeBody(t, rec); body["temporal"] != "unavailable" || body["mongodb"] != "ok" {
		t.Errorf("body = %v", body)
	}
	if deadline <= 0 || deadline > 2*time.Second {
		t.Errorf("the check had %v left, want at most 2s", deadline)
	}
	if elapsed < 1900*time.Millisecond || elapsed > 4*time.Second {
		t.Errorf("took %v, want about 2s", elapsed)
	}
}

func TestSecurityHeaders(t *testing.T) {
	r := routes{
		GraphQL: stub("graphql"),
		App: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			switch req.URL.Path {
			case "/panic":
				panic("boom")
			case "/missing":
				http.NotFound(w, req)
			default:
				fmt.Fprint(w, "app")
			}
		}),
		Ready: []Checker{check("mongodb", errors.New("down"))},
	}
	requests := []struct {
		name string
		req  func() *http.Request
		code int
	}{
		{"healthz", func() *http.Request { return httptest.NewRequest("GET", "/healthz", nil) }, 200},
		{"readyz failing", func() *http.Request { return httptest.NewRequest("GET", "/readyz", nil) }, 503},
		{"graphql", func() *http.Request { return httptest.NewRequest("POST", "/graphql", nil) }, 200},
		{"app", func() *http.Request { return httptest.NewRequest("GET", "/", nil) }, 200},
		{"not found", func() *http.Request { return httptest.NewRequest("GET", "/missing", nil) }, 404},
		{"panic", func() *http.Request { return httptest.NewRequest("GET", "/panic", nil) }, 500},
		{"preflight", func() *http.Request {
			req := httptest.NewRequest("OPTIONS", "/graphql", nil)
			req.Header.Set("Origin", "https://shop.example.com")
			req.Header.Set("Access-Control-Request-Method", "POST")
			return req
		}, 204},
		{"refused preflight", func() *http.Request {
			req := httptest.NewRequest("OPTIONS", "/graphql", nil)
			req.Header.Set("Origin", "https://evil.example.com")
			req.Header.Set("Access-Control-Request-Method", "POST")
			return req
		}, 204},
	}
	want := map[string]string{
		"Content-Security-Policy": appContentSecurityPolicy,
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"X-Frame-Options":         "DENY",
	}
	logger, _ := newTestLogger()
	h := newHandler(r, newCORS(testOrigins), logger)
	for _, tt := range requests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(h, tt.req())
			if rec.Code != tt.code {
				t.Errorf("status = %d, want %d", rec.Code, tt.code)
			}
			for k, v := range want {
				if got := rec.Header().Values(k); len(got) != 1 || got[0] != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestCORS(t *testing.T) {
	tests := []struct {
		name        string
		method      string
		origin      string
		reqMethod   string // Access-Control-Request-Method
		reqHeaders  string // Access-Control-Request-Headers
		wantAllowed bool
		wantRoute   string // the stub reached, "" when CORS answered alone
	}{
		{name: "preflight from the app", method: "OPTIONS", origin: "https://shop.example.com", reqMethod: "POST", reqHeaders: "authorization,content-type", wantAllowed: true},
		{name: "preflight from vite", method: "OPTIONS", origin: "http://localhost:5173", reqMethod: "GET", wantAllowed: true},
		{name: "preflight origin is case-insensitive", method: "OPTIONS", origin: "https://SHOP.example.com", reqMethod: "POST", wantAllowed: true},
		{name: "preflight from elsewhere", method: "OPTIONS", origin: "https://evil.example.com", reqMethod: "POST"},
		{name: "preflight from a subdomain", method: "OPTIONS", origin: "https://a.shop.example.com", reqMethod: "POST"},
		{name: "preflight from another port", method: "OPTIONS", origin: "https://shop.example.com:8443", reqMethod: "POST"},
		{name: "preflight from the other scheme", method: "OPTIONS", origin: "http://shop.example.com", reqMethod: "POST"},
		{name: "preflight from null", method: "OPTIONS", origin: "null", reqMethod: "POST"},
		{name: "preflight for DELETE", method: "OPTIONS", origin: "https://shop.example.com", reqMethod: "DELETE"},
		{name: "preflight with a custom header", method: "OPTIONS", origin: "https://shop.example.com", reqMethod: "POST", reqHeaders: "x-api-key"},
		{name: "POST from the app", method: "POST", origin: "https://shop.example.com", wantAllowed: true, wantRoute: "graphql"},
		{name: "POST from elsewhere is served without CORS headers", method: "POST", origin: "https://evil.example.com", wantRoute: "graphql"},
		{name: "same-origin POST", method: "POST", wantRoute: "graphql"},
	}
	logger, _ := newTestLogger()
	h := newHandler(stubRoutes(), newCORS(testOrigins), logger)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, "/graphql", nil)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.reqMethod != "" {
				req.Header.Set("Access-Control-Request-Method", tt.reqMethod)
			}
			if tt.reqHeaders != "" {
				req.Header.Set("Access-Control-Request-Headers", tt.reqHeaders)
			}
			rec := serve(h, req)
			got := rec.Header().Get("Access-Control-Allow-Origin")
			if tt.wantAllowed && got != tt.origin {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.origin)
			}
			if !tt.wantAllowed && got != "" {
				t.Errorf("Access-Control-Allow-Origin = %q, want none", got)
			}
			if c := rec.Header().Get("Access-Control-Allow-Credentials"); c != "" {
				t.Errorf("Access-Control-Allow-Credentials = %q", c)
			}
			if route := rec.Header().Get("X-Route"); route != tt.wantRoute {
				t.Errorf("answered by %q, want %q", route, tt.wantRoute)
			}
			if tt.method == "OPTIONS" {
				if rec.Code != http.StatusNoContent {
					t.Errorf("preflight status = %d", rec.Code)
				}
				if tt.wantAllowed {
					if m := rec.Header().Get("Access-Control-Allow-Methods"); m != tt.reqMethod {
						t.Errorf("Access-Control-Allow-Methods = %q", m)
					}
					if a := rec.Header().Get("Access-Control-Max-Age"); a != "600" {
						t.Errorf("Access-Control-Max-Age = %q", a)
					}
				}
			}
			if !strings.Contains(strings.Join(rec.Header().Values("Vary"), ","), "Origin") {
				t.Errorf("Vary = %q, want Origin", rec.Header().Values("Vary"))
			}
		})
	}
}

// TestCORSEmptyAllowlist: an allowlist with no entries allows no other
// origin (the CORS library on its own reads an empty list as "every origin").
func TestCORSEmptyAllowlist(t *testing.T) {
	cfg, err := LoadConfig(envconfig.FromMap(map[string]string{"CORS_ALLOWED_ORIGINS": ","}))
	if err != nil {
		t.Fatal(err)
	}
	logger, _ := newTestLogger()
	h := newHandler(stubRoutes(), newCORS(cfg.AllowedOrigins), logger)
	for _, method := range []string{"OPTIONS", "POST"} {
		req := httptest.NewRequest(method, "/graphql", nil)
		req.Header.Set("Origin", "https://evil.example.com")
		req.Header.Set("Access-Control-Request-Method", "POST")
		rec := serve(h, req)
		if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q with an empty allowlist", method, got)
		}
	}
}

// TestCORSFromConfig: what LoadConfig accepts is what CORS allows, no more
// and no less.
func TestCORSFromConfig(t *testing.T) {
	tests := []struct {
		value   string
		origin  string
		allowed bool
	}{
		{"https://shop.example.com", "https://shop.example.com", true},
		{"https://shop.example.com/", "https://shop.example.com", true},
		{"https://Shop.Example.com", "https://shop.example.com", true},
		{"https://shop.example.com", "https://shop.example.com.evil.net", false},
		{"http://localhost:8080", "http://localhost:8081", false},
	}
	for _, tt := range tests {
		cfg, err := LoadConfig(envconfig.FromMap(map[string]string{"CORS_ALLOWED_ORIGINS": tt.value}))
		if err != nil {
			t.Errorf("%s: %v", tt.value, err)
			continue
		}
		logger, _ := newTestLogger()
		req := httptest.NewRequest("OPTIONS", "/graphql", nil)
		req.Header.Set("Origin", tt.origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		rec := serve(newHandler(stubRoutes(), newCORS(cfg.AllowedOrigins), logger), req)
		if got := rec.Header().Get("Access-Control-Allow-Origin") == tt.origin; got != tt.allowed {
			t.Errorf("CORS_ALLOWED_ORIGINS=%s, Origin %s: allowed = %v, want %v", tt.value, tt.origin, got, tt.allowed)
		}
	}
}

func TestPanicsBecome500(t *testing.T) {
	tests := []struct {
		name  string
		value any
	}{
		{"string", "boom: card 4242424242424242"},
		{"error", errors.New("boom: card 4242424242424242")},
		{"nil", nil}, // a *runtime.PanicNilError since Go 1.21
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := stubRoutes()
			r.App = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Partial", "1")
				panic(tt.value)
			})
			logger, logs := newTestLogger()
			rec := serve(newHandler(r, newCORS(testOrigins), logger), httptest.NewRequest("GET", "/orders/1", nil))
			if rec.Code != http.StatusInternalServerError {
				t.Errorf("status = %d, want 500", rec.Code)
			}
			if body := rec.Body.String(); body != `{"error":"internal error"}`+"\n" {
				t.Errorf("body = %q", body)
			}
			if strings.Contains(rec.Body.String(), "4242") {
				t.Errorf("body leaks the panic")
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			var panics, access []map[string]any
			for _, l := range logs.records(t) {
				switch l["msg"] {
				case "http handler panic":
					panics = append(panics, l)
				case "http request":
					access = append(access, l)
				}
			}
			if len(panics) != 1 || panics[0]["level"] != "ERROR" || panics[0]["path"] != "/orders/1" {
				t.Errorf("panic log = %v", panics)
			}
			if tt.value != nil && !strings.Contains(fmt.Sprint(panics[0]["panic"]), "4242") {
				t.Errorf("panic log lacks the value: %v", panics)
			}
			if len(access) != 1 || access[0]["status"] != float64(500) || access[0]["level"] != "ERROR" {
				t.Errorf("access log = %v", access)
			}
		})
	}
}

// TestAbortHandlerPanicsPropagate: http.ErrAbortHandler is net/http's way
// to abort a response silently, so it is re-panicked, not turned into a 500.
func TestAbortHandlerPanicsPropagate(t *testing.T) {
	r := stubRoutes()
	r.App = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) })
	logger, logs := newTestLogger()
	h := newHandler(r, newCORS(testOrigins), logger)
	rec := httptest.NewRecorder()
	recovered := func() (v any) {
		defer func() { v = recover() }()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
		return nil
	}()
	if recovered != http.ErrAbortHandler {
		t.Fatalf("recovered %v, want http.ErrAbortHandler", recovered)
	}
	if rec.Body.Len() != 0 {
		t.Errorf("body = %q, want none", rec.Body.String())
	}
	if strings.Contains(logs.String(), "http handler panic") {
		t.Errorf("an abort was logged as a panic:\n%s", logs.String())
	}
}

func TestAccessLog(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		target     string
		app        http.HandlerFunc
		wantPath   string
		wantStatus float64
		wantLevel  string
	}{
		{
			name: "query string is not logged", method: "POST", target: "/graphql?token=secret&op=Login",
			wantPath: "/graphql", wantStatus: 200, wantLevel: "INFO",
		},
		{
			name: "app status", method: "GET", target: "/nope?secret=1",
			app:      func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
			wantPath: "/nope", wantStatus: 404, wantLevel: "INFO",
		},
		{
			name: "body without WriteHeader is 200", method: "GET", target: "/",
			app:      func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("hi")) },
			wantPath: "/", wantStatus: 200, wantLevel: "INFO",
		},
		{
			name: "nothing written is 200", method: "GET", target: "/empty",
			app:      func(http.ResponseWriter, *http.Request) {},
			wantPath: "/empty", wantStatus: 200, wantLevel: "INFO",
		},
		{
			name: "the first status counts", method: "GET", target: "/twice",
			app: func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(http.StatusAccepted)
				w.WriteHeader(http.StatusTeapot)
			},
			wantPath: "/twice", wantStatus: 202, wantLevel: "INFO",
		},
		{
			name: "server errors are errors", method: "GET", target: "/broken",
			app:      func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) },
			wantPath: "/broken", wantStatus: 502, wantLevel: "ERROR",
		},
		{name: "healthz is debug", method: "GET", target: "/healthz", wantPath: "/healthz", wantStatus: 200, wantLevel: "DEBUG"},
		{name: "readyz is debug", method: "GET", target: "/readyz?verbose=secret", wantPath: "/readyz", wantStatus: 200, wantLevel: "DEBUG"},
		{name: "escaped path", method: "GET", target: "/a%20b?secret", wantPath: "/a b", wantStatus: 200, wantLevel: "INFO"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := stubRoutes()
			if tt.app != nil {
				r.App = tt.app
			}
			logger, logs := newTestLogger()
			req := httptest.NewRequest(tt.method, tt.target, nil)
			req.Header.Set("Authorization", "Bearer secret-token")
			serve(newHandler(r, newCORS(testOrigins), logger), req)
			lines := logs.accessLines(t)
			if len(lines) != 1 {
				t.Fatalf("%d access log lines:\n%s", len(lines), logs.String())
			}
			l := lines[0]
			if l["method"] != tt.method || l["path"] != tt.wantPath || l["status"] != tt.wantStatus || l["level"] != tt.wantLevel {
				t.Errorf("access log = %v; want method %s path %s status %v level %s", l, tt.method, tt.wantPath, tt.wantStatus, tt.wantLevel)
			}
			if d, ok := l["duration"].(float64); !ok || d < 0 {
				t.Errorf("duration = %v", l["duration"])
			}
			if strings.Contains(logs.String(), "secret") {
				t.Errorf("log has the query string or a header:\n%s", logs.String())
			}
		})
	}
}

func TestLevelFor(t *testing.T) {
	tests := []struct {
		path   string
		status int
		want   slog.Level
	}{
		{"/", 200, slog.LevelInfo},
		{"/graphql", 400, slog.LevelInfo},
		{"/graphql", 499, slog.LevelInfo},
		{"/graphql", 500, slog.LevelError},
		{"/healthz", 200, slog.LevelDebug},
		{"/readyz", 503, slog.LevelError},
		{"/readyz", 200, slog.LevelDebug},
		{"/healthz/", 200, slog.LevelInfo},
	}
	for _, tt := range tests {
		if got := levelFor(httptest.NewRequest("GET", tt.path, nil), tt.status); got != tt.want {
			t.Errorf("levelFor(%s, %d) = %v, want %v", tt.path, tt.status, got, tt.want)
		}
	}
}

// TestHijackIsLogged101: a handler that takes the connection over (as a
// websocket upgrade does) can, through the access log's recorder, and the
// request is logged as 101.
func TestHijackIsLogged101(t *testing.T) {
	r := stubRoutes()
	hijackErr := make(chan error, 1)
	r.App = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		conn, brw, err := http.NewResponseController(w).Hijack()
		hijackErr <- err
		if err != nil {
			return
		}
		defer conn.Close()
		_, _ = brw.WriteString("HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\nhello")
		_ = brw.Flush()
	})
	logger, logs := newTestLogger()
	srv := httptest.NewServer(newHandler(r, newCORS(testOrigins), logger))
	defer srv.Close()

	conn, err := net.DialTimeout("tcp", srv.Listener.Addr().String(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(2 * time.Second))
	fmt.Fprintf(conn, "GET /echo?ticket=secret HTTP/1.1\r\nHost: x\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n")
	br := bufio.NewReader(conn)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Errorf("status = %d", resp.StatusCode)
	}
	if rest, _ := io.ReadAll(br); string(rest) != "hello" {
		t.Errorf("after the upgrade read %q", rest)
	}
	if err := <-hijackErr; err != nil {
		t.Fatalf("Hijack: %v", err)
	}
	l := logs.waitForAccessLine(t)
	if l["status"] != float64(101) || l["path"] != "/echo" || l["method"] != "GET" {
		t.Errorf("access log = %v", l)
	}
	if strings.Contains(logs.String(), "secret") {
		t.Errorf("log has the query string:\n%s", logs.String())
	}
}

// TestWebsocketThroughHandler: gorilla/websocket upgrades through CORS,
// the security headers, panic recovery and the access log. (Its 101 carries
// only its own headers: Upgrade writes the response on the raw connection.)
func TestWebsocketThroughHandler(t *testing.T) {
	r := stubRoutes()
	up := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	r.GraphQL = http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		c, err := up.Upgrade(w, req, nil)
		if err != nil {
			return
		}
		defer c.Close()
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		mt, msg, err := c.ReadMessage()
		if err != nil {
			return
		}
		_ = c.WriteMessage(mt, append([]byte("echo "), msg...))
	})
	logger, logs := newTestLogger()
	srv := httptest.NewServer(newHandler(r, newCORS(testOrigins), logger))
	defer srv.Close()

	d := websocket.Dialer{HandshakeTimeout: 2 * time.Second}
	c, resp, err := d.Dial("ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql", http.Header{"Origin": {"https://shop.example.com"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.Close()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		t.Errorf("status = %d", resp.StatusCode)
	}
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	_ = c.SetWriteDeadline(time.Now().Add(2 * time.Second))
	if err := c.WriteMessage(websocket.TextMessage, []byte("ping")); err != nil {
		t.Fatal(err)
	}
	if _, msg, err := c.ReadMessage(); err != nil || string(msg) != "echo ping" {
		t.Fatalf("read %q, %v", msg, err)
	}
	l := logs.waitForAccessLine(t)
	if l["status"] != float64(101) || l["path"] != "/graphql" || l["level"] != "INFO" {
		t.Errorf("access log = %v", l)
	}
}

func TestStatusRecorder(t *testing.T) {
	t.Run("hijack unsupported", func(t *testing.T) {
		s := &statusRecorder{ResponseWriter: httptest.NewRecorder()}
		if _, _, err := s.Hijack(); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("Hijack = %v, want ErrNotSupported", err)
		}
		if s.status != 0 {
			t.Errorf("status = %d after a failed hijack", s.status)
		}
	})
	t.Run("flush passes through", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s := &statusRecorder{ResponseWriter: rec}
		_, _ = s.Write([]byte("chunk"))
		if err := http.NewResponseController(s).Flush(); err != nil {
			t.Fatalf("Flush: %v", err)
		}
		if !rec.Flushed {
			t.Error("the underlying writer was not flushed")
		}
	})
	t.Run("unwrap", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s := &statusRecorder{ResponseWriter: rec}
		if s.Unwrap() != rec {
			t.Error("Unwrap does not return the wrapped writer")
		}
		// Through Unwrap the controller reaches the recorder's deadlines,
		// which httptest does not support.
		if err := http.NewResponseController(s).SetWriteDeadline(time.Now()); !errors.Is(err, http.ErrNotSupported) {
			t.Errorf("SetWriteDeadline = %v", err)
		}
	})
	t.Run("first status wins", func(t *testing.T) {
		rec := httptest.NewRecorder()
		s := &statusRecorder{ResponseWriter: rec}
		s.WriteHeader(http.StatusCreated)
		s.WriteHeader(http.StatusInternalServerError)
		if s.status != http.StatusCreated || rec.Code != http.StatusCreated {
			t.Errorf("status = %d, recorder = %d", s.status, rec.Code)
		}
	})
}
