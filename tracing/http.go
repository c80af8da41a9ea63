package tracing

import (
	"net/http"

	"go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp"
	metricnoop "go.opentelemetry.io/otel/metric/noop"
)

// HTTPHandler traces each request to next as a server span named after the
// method and route, continuing a trace the caller propagated (W3C
// traceparent). routeOf names the route; it must return one of a few fixed
// names, never a raw path. Off, it returns next itself.
func (p *Provider) HTTPHandler(next http.Handler, routeOf func(*http.Request) string) http.Handler {
	if !p.Enabled() {
		return next
	}
	return otelhttp.NewHandler(next, "http",
		otelhttp.WithTracerProvider(p.tp),
		otelhttp.WithPropagators(p.propagator),
		// Request metrics come from the Prometheus registry (package metrics).
		otelhttp.WithMeterProvider(metricnoop.NewMeterProvider()),
		otelhttp.WithSpanNameFormatter(func(_ string, r *http.Request) string {
			return r.Method + " " + routeOf(r)
		}),
		// Probes and metrics scrapes would drown the orders in noise.
		otelhttp.WithFilter(func(r *http.Request) bool {
			return r.URL.Path != "/healthz" && r.URL.Path != "/readyz"
		}),
	)
}
