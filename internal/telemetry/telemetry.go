// Package telemetry is what both binaries observe themselves with: the
// tracing provider, the Prometheus registry, the Temporal SDK's metrics and
// the store commands' timings, made once at start-up and handed to the
// store and Temporal clients they observe.
package telemetry

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orderly-shop/orderly/metrics"
	"github.com/orderly-shop/orderly/mongodb"
	"github.com/orderly-shop/orderly/tracing"
	"github.com/orderly-shop/orderly/workflows"
)

// Process is one binary's tracing and metrics.
type Process struct {
	Tracing  *tracing.Provider
	Registry *prometheus.Registry
	Temporal *metrics.Temporal
	Store    *metrics.Store
}

// New starts tracing as cfg says and makes the registry with the Temporal
// SDK's and the store's metrics in it.
func New(ctx context.Context, cfg tracing.Config, logger *slog.Logger) (*Process, error) {
	tp, err := tracing.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	reg := metrics.NewRegistry()
	tm, err := metrics.NewTemporal(reg, logger)
	if err != nil {
		return nil, err
	}
	return &Process{Tracing: tp, Registry: reg, Temporal: tm, Store: metrics.NewStore(reg)}, nil
}

// Close flushes the spans still buffered, within a few seconds.
func (p *Process) Close(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = p.Tracing.Shutdown(ctx)
	_ = p.Temporal.Shutdown(ctx)
}

// MongoOptions traces and times every store command.
func (p *Process) MongoOptions() []mongodb.OpenOption {
	return []mongodb.OpenOption{
		mongodb.WithCommandMonitor(p.Tracing.MongoMonitor()),
		mongodb.WithCommandMonitor(p.Store.Monitor()),
	}
}

// TemporalOptions traces the Temporal client's calls (and, in the worker,
// through it the workflows, activities and child workflows it runs) and
// collects the SDK's metrics, the business figures of
// workflows.NewMetricsInterceptor among them.
func (p *Process) TemporalOptions(opts *workflows.DialOptions) error {
	ti, err := p.Tracing.TemporalInterceptor()
	if err != nil {
		return err
	}
	if ti != nil {
		opts.Interceptors = append(opts.Interceptors, ti)
	}
	opts.MetricsHandler = p.Temporal.Handler()
	return nil
}
