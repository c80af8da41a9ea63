// Package metrics exposes what Orderly's binaries do as Prometheus metrics:
// HTTP requests and websockets, GraphQL operations, live subscriptions and
// the change feed's lag, store commands, and the Temporal SDK's own metrics
// (which carry the business figures the workflows record; see
// workflows.NewMetricsInterceptor). Each binary makes one Registry, hands its
// parts to what they measure, and serves it at /metrics on an address of its
// own, which can be kept off the public network.
//
// Every label takes its values from a small fixed set (route names, GraphQL
// root fields, error codes, command names), never from what a client sent,
// so no request can make the series grow without bound.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Namespace prefixes Orderly's own metric names.
const Namespace = "orderly"

// NewRegistry returns a registry holding the Go runtime's and the process's
// collectors, to which the parts of this package add theirs.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// Handler serves reg in the Prometheus exposition formats.
func Handler(reg *prometheus.Registry, logger *slog.Logger) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		ErrorHandling:     promhttp.ContinueOnError,
		Registry:          reg, // promhttp_metric_handler_errors_total
		EnableOpenMetrics: true,
	})
}

// Listen opens the metrics address, saying which variable to change when it
// is taken.
func Listen(addr, variable string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen on %s (set %s to another address, or to empty to turn metrics off): %w", addr, variable, err)
	}
	return ln, nil
}

// Serve answers GET /metrics on ln until ctx ends, then closes it. The same
// private address serves Go's runtime profiles under /debug/pprof/ (see
// net/http/pprof), where an operator looks when the numbers say a process
// is busy.
func Serve(ctx context.Context, ln net.Listener, reg *prometheus.Registry, logger *slog.Logger) error {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", Handler(reg, logger))
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		WriteTimeout:      90 * time.Second, // a CPU profile takes its seconds
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	stop := context.AfterFunc(ctx, func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(shutdownCtx)
	})
	defer stop()
	logger.InfoContext(ctx, "metrics listening", "addr", ln.Addr().String(), "path", "/metrics")
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("metrics: %w", err)
	}
	return nil
}

// latencyBuckets are the bounds, in seconds, of the request and command
// latency histograms: from a millisecond to half a minute.
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}
