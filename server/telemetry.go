package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/orderly-shop/orderly/internal/telemetry"
	"github.com/orderly-shop/orderly/metrics"
)

// apiTelemetry is the server's tracing and metrics, made once in Serve and
// handed to what they observe: the binaries' shared ones, and the API's.
type apiTelemetry struct {
	*telemetry.Process
	http    *metrics.HTTP
	graphql *metrics.GraphQL
	feed    *metrics.Feed
}

func newTelemetry(ctx context.Context, cfg Config, logger *slog.Logger) (*apiTelemetry, error) {
	p, err := telemetry.New(ctx, cfg.Tracing, logger)
	if err != nil {
		return nil, err
	}
	return &apiTelemetry{Process: p, http: metrics.NewHTTP(p.Registry), graphql: metrics.NewGraphQL(p.Registry), feed: metrics.NewFeed(p.Registry)}, nil
}

// handler traces and measures every request to next. The tracing span is
// outermost, so the access log line of a traced request carries its trace ID.
func (t *apiTelemetry) handler(next http.Handler) http.Handler {
	return t.Tracing.HTTPHandler(t.http.Middleware(next, routeOf), routeOf)
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
