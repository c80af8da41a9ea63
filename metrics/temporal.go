package metrics

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	"go.opentelemetry.io/otel/sdk/instrumentation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/contrib/opentelemetry"
)

// temporalScope names the meter the Temporal SDK records through.
const temporalScope = "temporal-sdk-go"

// Time to complete is recorded under this name (seconds; Prometheus adds the
// _seconds suffix); it gets buckets of its own, from seconds to days.
const timeToCompleteName = "orderly_order_time_to_complete"

// Temporal is the Temporal SDK's metrics handler, exported into a
// Prometheus registry: the SDK's own metrics (temporal_request_total,
// temporal_workflow_completed_total, temporal_activity_execution_latency_seconds,
// …) and what workflows record through workflow.GetMetricsHandler, which the
// SDK drops while a workflow replays, so a replayed history never counts
// twice.
//
// The SDK's OpenTelemetry handler is used (rather than tally's) so that one
// module (go.temporal.io/sdk/contrib/opentelemetry) serves both traces and
// metrics; OpenTelemetry's Prometheus exporter turns its instruments into
// Prometheus series: counters get _total, timers _seconds.
type Temporal struct {
	provider *sdkmetric.MeterProvider
	handler  client.MetricsHandler
}

// NewTemporal registers the exporter in reg.
func NewTemporal(reg prometheus.Registerer, logger *slog.Logger) (*Temporal, error) {
	exp, err := otelprom.New(
		otelprom.WithRegisterer(reg),
		otelprom.WithoutScopeInfo(),
		otelprom.WithoutTargetInfo(),
	)
	if err != nil {
		return nil, fmt.Errorf("metrics: temporal exporter: %w", err)
	}
	histograms := sdkmetric.Instrument{Kind: sdkmetric.InstrumentKindHistogram, Scope: instrumentation.Scope{Name: temporalScope}}
	provider := sdkmetric.NewMeterProvider(
		sdkmetric.WithReader(exp),
		sdkmetric.WithView(
			// An instrument that two views match is exported twice, so the
			// catch-all leaves the time to complete to the first.
			sdkmetric.NewView(sdkmetric.Instrument{Name: timeToCompleteName, Scope: histograms.Scope},
				sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{
					Boundaries: []float64{1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600, 7 * 24 * 3600},
				}}),
			func(i sdkmetric.Instrument) (sdkmetric.Stream, bool) {
				if i.Kind != histograms.Kind || i.Scope.Name != temporalScope || i.Name == timeToCompleteName {
					return sdkmetric.Stream{}, false
				}
				return sdkmetric.Stream{
					Name: i.Name, Description: i.Description, Unit: i.Unit,
					Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: latencyBuckets},
				}, true
			},
		),
	)
	return &Temporal{
		provider: provider,
		handler: opentelemetry.NewMetricsHandler(opentelemetry.MetricsHandlerOptions{
			Meter:                provider.Meter(temporalScope),
			UseMonotonicCounters: true,
			// A metric the SDK cannot create is not worth a crash (the
			// handler's default is to panic).
			OnError: func(err error) { logger.Warn("temporal metric unavailable", "err", err) },
		}),
	}, nil
}

// Handler is what client.Options.MetricsHandler takes; workers made from the
// client use it too.
func (t *Temporal) Handler() client.MetricsHandler { return t.handler }

// Shutdown stops the meter provider.
func (t *Temporal) Shutdown(ctx context.Context) error {
	return t.provider.Shutdown(ctx)
}
