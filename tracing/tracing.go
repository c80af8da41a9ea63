// Package tracing sets up OpenTelemetry traces for Orderly's binaries and
// instruments what they call: incoming HTTP requests, GraphQL operations, the
// Temporal client and worker, and MongoDB commands. One order then shows as
// one trace, from the placeOrder mutation through the workflow and each of
// its activities to the store commands they run.
//
// Tracing is off unless the standard OTEL_* variables configure an exporter
// (see Config). Off, a Provider instruments nothing: every
// function of this package returns its input unchanged or nil, so an
// untraced process pays nothing for it.
//
// No OpenTelemetry global is set: the tracer provider and the propagator
// travel as values, so two Providers in one test process stay apart.
package tracing

import (
	"context"
	"errors"
	"fmt"

	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// OTLP protocols, as OTEL_EXPORTER_OTLP_PROTOCOL names them.
const (
	OTLPGRPC = "grpc"
	OTLPHTTP = "http/protobuf"
)

// Config is what the standard OpenTelemetry variables say about exporting
// traces (envconfig.ReadTracing reads them).
type Config struct {
	// Exporter is "otlp" when traces are exported, "" when tracing is off.
	Exporter string
	// Protocol is OTLPGRPC or OTLPHTTP.
	Protocol string
	// ServiceName is the binary's default service.name; OTEL_SERVICE_NAME
	// overrides it in the resource.
	ServiceName string
}

// Enabled reports whether an exporter is configured.
func (c Config) Enabled() bool { return c.Exporter != "" }

// instrumentation is the name of the tracers this package hands out.
const instrumentation = "github.com/orderly-shop/orderly/tracing"

// Provider is a process's tracing: a tracer provider exporting to the
// configured OTLP endpoint, or nothing at all.
type Provider struct {
	tp         trace.TracerProvider
	propagator propagation.TextMapPropagator
	// shutdown flushes and stops the exporter; nil when tracing is off.
	shutdown func(context.Context) error
}

// Off returns a Provider that traces nothing.
func Off() *Provider {
	return &Provider{tp: noop.NewTracerProvider(), propagator: propagation.NewCompositeTextMapPropagator()}
}

// New returns the Provider that cfg describes. The exporter reads the rest
// of the OTLP settings (endpoint, headers, timeout, TLS) from the OTEL_*
// variables itself, and the SDK the sampler (OTEL_TRACES_SAMPLER) and the
// batching (OTEL_BSP_*); the resource takes OTEL_SERVICE_NAME and
// OTEL_RESOURCE_ATTRIBUTES over cfg.ServiceName.
func New(ctx context.Context, cfg Config) (*Provider, error) {
	if !cfg.Enabled() {
		return Off(), nil
	}
	var exp sdktrace.SpanExporter
	var err error
	switch cfg.Protocol {
	case OTLPGRPC:
		exp, err = otlptracegrpc.New(ctx)
	case OTLPHTTP:
		exp, err = otlptracehttp.New(ctx)
	default:
		err = fmt.Errorf("unknown OTLP protocol %q", cfg.Protocol)
	}
	if err != nil {
		return nil, fmt.Errorf("tracing: exporter: %w", err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName(cfg.ServiceName)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		return nil, fmt.Errorf("tracing: resource: %w", err)
	}
	return NewWithExporter(exp, res), nil
}

// NewWithExporter returns a Provider that batches spans to exp, for tests
// that collect spans in memory. res may be nil.
func NewWithExporter(exp sdktrace.SpanExporter, res *resource.Resource) *Provider {
	opts := []sdktrace.TracerProviderOption{sdktrace.WithBatcher(exp)}
	if res != nil {
		opts = append(opts, sdktrace.WithResource(res))
	}
	tp := sdktrace.NewTracerProvider(opts...)
	return &Provider{
		tp:         tp,
		propagator: propagation.NewCompositeTextMapPropagator(propagation.TraceContext{}, propagation.Baggage{}),
		shutdown:   tp.Shutdown,
	}
}

// Enabled reports whether spans are recorded and exported.
func (p *Provider) Enabled() bool { return p.shutdown != nil }

// TracerProvider returns the provider, a no-op one when tracing is off.
func (p *Provider) TracerProvider() trace.TracerProvider { return p.tp }

// Shutdown exports the spans still buffered and stops the exporter; call it
// once, at exit, with a bounded ctx.
func (p *Provider) Shutdown(ctx context.Context) error {
	if p.shutdown == nil {
		return nil
	}
	if err := p.shutdown(ctx); err != nil {
		return fmt.Errorf("tracing: shutdown: %w", err)
	}
	return nil
}

func (p *Provider) tracer() trace.Tracer { return p.tp.Tracer(instrumentation) }
