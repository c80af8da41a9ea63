package main

import (
	"bufio"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/rs/cors"
)

// Checker reports whether a dependency is reachable; /readyz asks each one.
type Checker struct {
	Name  string
	Check func(ctx context.Context) error
}

// routes is what the HTTP server serves.
type routes struct {
	GraphQL    http.Handler
	Playground http.Handler // nil when the playground is off
	App        http.Handler
	Ready      []Checker
	// Codec is the payload codec endpoint for the Temporal UI, mounted at
	// /codec/ with CORS of its own (the UI's origin); nil without keys.
	Codec http.Handler
}

// newHandler assembles the routes behind the CORS policy (newCORS),
// security headers, panic recovery and access logging.
func newHandler(r routes, policy *cors.Cors, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/graphql", r.GraphQL)
	if r.Playground != nil {
		mux.Handle("GET /playground", r.Playground)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.Handle("GET /readyz", readyHandler(r.Ready, logger))
	mux.Handle("/", r.App)

	app := policy.Handler(mux)
	if r.Codec != nil {
		// Outside the app's CORS, whose allowlist would refuse the UI's
		// preflight before the codec's own could allow it.
		top := http.NewServeMux()
		top.Handle("/codec/", r.Codec)
		top.Handle("/", app)
		app = top
	}
	return accessLog(logger, recoverPanics(logger, securityHeaders(app)))
}

// readyHandler answers 200 when every dependency answers within two seconds,
// 503 with the failing names otherwise. Failure details go to the log only.
func readyHandler(checks []Checker, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		status, result := http.StatusOK, map[string]string{}
		for _, c := range checks {
			if err := c.Check(ctx); err != nil {
				logger.WarnContext(ctx, "readiness check failed", "dependency", c.Name, "err", err)
				status, result[c.Name] = http.StatusServiceUnavailable, "unavailable"
				continue
			}
			result[c.Name] = "ok"
		}
		writeJSON(w, status, result)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// securityHeaders sets the headers every response carries, the app's
// Content-Security-Policy among them; a route with a page of its own (the
// playground) replaces that policy with its own.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", appContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func recoverPanics(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				logger.ErrorContext(r.Context(), "http handler panic", "panic", v, "path", r.URL.Path)
				writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "internal error"})
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code for the access log. It passes
// Hijack and Flush through: gorilla/websocket needs an http.Hijacker itself
// (it does not look through Unwrap).
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// Hijack hands the connection to the websocket; the upgrade is a 101.
func (s *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, rw, err := http.NewResponseController(s.ResponseWriter).Hijack()
	if err == nil && s.status == 0 {
		s.status = http.StatusSwitchingProtocols
	}
	return conn, rw, err
}

// Flush sends buffered data, for streaming responses.
func (s *statusRecorder) Flush() { _ = http.NewResponseController(s.ResponseWriter).Flush() }

// accessLog logs one line per request: no query string and no headers, so
// tokens never reach the log.
func accessLog(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		logger.LogAttrs(r.Context(), levelFor(r, rec.status), "http request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", rec.status), slog.Duration("duration", time.Since(start)))
	})
}

// levelFor keeps probes and static assets out of the info log.
func levelFor(r *http.Request, status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case r.URL.Path == "/healthz" || r.URL.Path == "/readyz":
		return slog.LevelDebug
	}
	return slog.LevelInfo
}
