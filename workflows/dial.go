package workflows

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/interceptor"
	tlog "go.temporal.io/sdk/log"
)

// DialOptions say where the Temporal frontend is.
type DialOptions struct {
	HostPort  string
	Namespace string
	Logger    *slog.Logger
	// Wait bounds how long Dial keeps retrying while the server starts (a
	// docker compose stack starts Temporal and the worker together).
	Wait time.Duration

	// Interceptors wrap the client's calls; those that are also worker
	// interceptors (the tracing one) wrap every worker made from the client.
	Interceptors []interceptor.ClientInterceptor
	// MetricsHandler receives the SDK's metrics, the workers' included; nil
	// drops them.
	MetricsHandler client.MetricsHandler
	// DataConverter turns values into payloads and back, for the client and
	// its workers (the payload codec lives here); nil is the SDK's default.
	DataConverter converter.DataConverter
}

// Dial connects a Temporal client, retrying with backoff until opts.Wait has
// passed or ctx ends. The SDK logs through opts.Logger.
func Dial(ctx context.Context, opts DialOptions) (client.Client, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	ctx, cancel := context.WithTimeout(ctx, max(opts.Wait, time.Second))
	defer cancel()
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		c, err := client.DialContext(ctx, client.Options{
			HostPort:       opts.HostPort,
			Namespace:      opts.Namespace,
			Logger:         tlog.NewStructuredLogger(logger),
			Interceptors:   opts.Interceptors,
			MetricsHandler: opts.MetricsHandler,
			DataConverter:  opts.DataConverter,
		})
		if err == nil {
			return c, nil
		}
		logger.InfoContext(ctx, "temporal not reachable yet", "address", opts.HostPort, "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("temporal: dial %s: %w", opts.HostPort, err)
		case <-time.After(delay):
			delay = min(2*delay, 3*time.Second)
		}
	}
}
