package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderly-shop/orderly/metrics"
	"github.com/orderly-shop/orderly/mongodb"
	"github.com/orderly-shop/orderly/tracing"
	"github.com/orderly-shop/orderly/workflows"
)

// telemetry is the server's tracing and metrics, made once in Serve and
// handed to what they observe.
type telemetry struct {
	tracing  *tracing.Provider
	registry *prometheus.Registry
	temporal *metrics.Temporal
	store    *metrics.Store
	http     *metrics.HTTP
	graphql  *metrics.GraphQL
	feed     *metrics.Feed
}

func newTelemetry(ctx context.Context, cfg Config, logger *slog.Logger) (*telemetry, error) {
	tp, err := tracing.New(ctx, cfg.Tracing)
	if err != nil {
		return nil, err
	}
	reg := metrics.NewRegistry()
	tm, err := metrics.NewTemporal(reg, logger)
	if err != nil {
		return nil, err
	}
	return &telemetry{
		tracing: tp, registry: reg, temporal: tm,
		store: metrics.NewStore(reg), http: metrics.NewHTTP(reg), graphql: metrics.NewGraphQL(reg), feed: metrics.NewFeed(reg),
	}, nil
}

// close flushes the spans still buffered, within a few seconds.
func (t *telemetry) close(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = t.tracing.Shutdown(ctx)
	_ = t.temporal.Shutdown(ctx)
}

// mongoOptions traces and times every store command.
func (t *telemetry) mongoOptions() []mongodb.OpenOption {
	return []mongodb.OpenOption{
		mongodb.WithCommandMonitor(t.tracing.MongoMonitor()),
		mongodb.WithCommandMonitor(t.store.Monitor()),
	}
}

// temporalOptions traces the Temporal client's calls and collects the SDK's
// metrics.
func (t *telemetry) temporalOptions(opts *workflows.DialOptions) error {
	ti, err := t.tracing.TemporalInterceptor()
	if err != nil {
		return err
	}
	if ti != nil {
		opts.Interceptors = append(opts.Interceptors, ti)
	}
	opts.MetricsHandler = t.temporal.Handler()
	return nil
}

// handler traces and measures every request to next. The tracing span is
// outermost, so the access log line of a traced request carries its trace ID.
func (t *telemetry) handler(next http.Handler) http.Handler {
	return t.tracing.HTTPHandler(t.http.Middleware(next, routeOf), routeOf)
}

// routeOf names a request's route for metrics and span names: one of a few
// fixed names, never the path a client sent.
func routeOf(r *http.Request) string {
	switch p := r.URL.Path; {
	case p == "/graphql":
		return "/graphql"
	case p == "/playground", p == "/healthz", p == "/readyz":
		return p
	case strings.HasPrefix(p, "/codec/"):
		return "/codec"
	case strings.HasPrefix(p, "/assets/"):
		return "/assets"
	}
	return "app"
}
