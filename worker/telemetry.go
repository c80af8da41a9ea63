package main

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

// telemetry is the worker's tracing and metrics, made once in run.
type telemetry struct {
	tracing  *tracing.Provider
	registry *prometheus.Registry
	temporal *metrics.Temporal
	store    *metrics.Store
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
	return &telemetry{tracing: tp, registry: reg, temporal: tm, store: metrics.NewStore(reg)}, nil
}

// close flushes the spans still buffered, within a few seconds.
func (t *telemetry) close(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = t.tracing.Shutdown(ctx)
	_ = t.temporal.Shutdown(ctx)
}

// mongoOptions traces and times every store command the activities run.
func (t *telemetry) mongoOptions() []mongodb.OpenOption {
	return []mongodb.OpenOption{
		mongodb.WithCommandMonitor(t.tracing.MongoMonitor()),
		mongodb.WithCommandMonitor(t.store.Monitor()),
	}
}

// temporalOptions traces the client and, through it, both workers
// (workflows, activities, child workflows), and collects the SDK's metrics,
// the business figures of workflows.NewMetricsInterceptor among them.
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
