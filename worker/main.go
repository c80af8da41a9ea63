// Command worker runs Orderly's Temporal workers: one polling the `orders`
// task queue (order and rewards workflows and their activities) and one
// polling `shipping` (the shipping workflow). It is stateless; run as many as
// the load needs, and kill any of them at any time: Temporal hands their work
// to the others, or to this one when it comes back.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/worker"

	"github.com/orderly-shop/orderly/codec"
	"github.com/orderly-shop/orderly/internal/telemetry"
	"github.com/orderly-shop/orderly/metrics"
	"github.com/orderly-shop/orderly/mongodb"
	"github.com/orderly-shop/orderly/paysim"
	"github.com/orderly-shop/orderly/workflows"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.LookupEnv, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		os.Exit(1)
	}
}

// run starts the workers and blocks until ctx ends, then stops them.
func run(ctx context.Context, lookup func(string) (string, bool), logOut io.Writer) error {
	cfg, err := LoadConfig(lookup)
	if err != nil {
		return err
	}
	logger := cfg.Logging.NewLogger(logOut).With("component", "worker")

	connectCtx, cancel := context.WithTimeout(ctx, cfg.ConnectWait)
	defer cancel()
	tel, err := telemetry.New(ctx, cfg.Tracing, logger)
	if err != nil {
		return err
	}
	defer tel.Close(ctx)
	if cfg.MetricsAddr != "" {
		ln, err := metrics.Listen(cfg.MetricsAddr, "METRICS_ADDR")
		if err != nil {
			return err
		}
		metricsCtx, stopMetrics := context.WithCancel(context.WithoutCancel(ctx))
		done := make(chan error, 1)
		go func() { done <- metrics.Serve(metricsCtx, ln, tel.Registry, logger) }()
		// Last to stop, so that a scrape sees the final counts of a
		// stopping worker as long as it can.
		defer func() { stopMetrics(); <-done }()
	}
	db, err := mongodb.Open(connectCtx, cfg.MongoURI, cfg.MongoDatabase, logger, tel.MongoOptions()...)
	if err != nil {
		return err
	}
	defer db.Close(context.WithoutCancel(ctx))
	if err := db.EnsureIndexes(connectCtx); err != nil {
		return err
	}
	if err := db.EnsureLocations(connectCtx); err != nil {
		return err
	}

	dial := workflows.DialOptions{
		HostPort: cfg.TemporalAddress, Namespace: cfg.TemporalNamespace, Logger: logger, Wait: cfg.ConnectWait,
	}
	if err := tel.TemporalOptions(&dial); err != nil {
		return err
	}
	if len(cfg.PayloadKeys) > 0 {
		payloads, err := codec.New(cfg.PayloadKeys)
		if err != nil {
			return err
		}
		dial.DataConverter = payloads.DataConverter()
		logger.Info("workflow payloads encrypted", "keys", cfg.PayloadKeys.IDs())
	}
	tc, err := workflows.Dial(connectCtx, dial)
	if err != nil {
		return err
	}
	defer tc.Close()

	// Every activity attempt reads the failure rates: an operator's change
	// applies within a second instead of costing a read each.
	settings := mongodb.NewSettingsService(db, mongodb.SettingsOptions{CacheFor: time.Second})
	acts := &workflows.Activities{
		Orders:    mongodb.NewOrderService(db),
		Inventory: mongodb.NewInventoryService(db),
		Payments:  mongodb.NewPaymentService(db),
		// The simulated provider keeps its own books in the same store and
		// reads the PAYMENT step's failure rates from the settings.
		Provider: paysim.New(mongodb.NewPaysimStore(db), paysim.Options{
			AuthorizationTTL: cfg.AuthorizationTTL, Settings: settings, Logger: logger.With("component", "paysim"),
		}),
		Notifications: mongodb.NewNotificationService(db),
		Rewards:       mongodb.NewRewardsService(db),
		Settings:      settings,
		Temporal:      tc,
		Logger:        logger,
	}
	opts := worker.Options{
		WorkerStopTimeout:                  cfg.StopTimeout,
		MaxConcurrentActivityExecutionSize: cfg.MaxConcurrentActivities,
		Interceptors:                       []interceptor.WorkerInterceptor{workflows.NewRetryLogger(logger), workflows.NewMetricsInterceptor()},
	}
	orders := worker.New(tc, workflows.TaskQueueOrders, opts)
	workflows.RegisterOrderWorker(orders, acts)
	shipping := worker.New(tc, workflows.TaskQueueShipping, opts)
	workflows.RegisterShippingWorker(shipping, acts)

	for _, w := range []worker.Worker{orders, shipping} {
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		defer w.Stop()
	}
	logger.Info("worker started", "temporal", cfg.TemporalAddress, "namespace", cfg.TemporalNamespace,
		"task_queues", []string{workflows.TaskQueueOrders, workflows.TaskQueueShipping})
	<-ctx.Done()
	logger.Info("worker stopping")
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
