// Command bare-worker runs the workers of the bare Temporal program that
// orderly-bench measures beside Orderly (package internal/bench/bare): one
// on the bare orders task queue, one on the bare shipping task queue, with
// the options Orderly's worker uses. It is a process of its own, as
// Orderly's worker is, so that each is charged for its own CPU.
//
//	bare-worker -temporal 127.0.0.1:7233 -namespace bench-bare
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"go.temporal.io/sdk/client"
	tlog "go.temporal.io/sdk/log"
	"go.temporal.io/sdk/worker"

	"github.com/orderly-shop/orderly/internal/bench/bare"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bare-worker:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("bare-worker", flag.ContinueOnError)
	address := fs.String("temporal", "127.0.0.1:7233", "Temporal frontend host:port")
	namespace := fs.String("namespace", "default", "Temporal namespace")
	// Orderly's worker defaults: WORKER_MAX_CONCURRENT_ACTIVITIES=50, WORKER_STOP_TIMEOUT=10s.
	maxActivities := fs.Int("max-concurrent-activities", 50, "per task queue")
	stopTimeout := fs.Duration("stop-timeout", 10*time.Second, "time activities get to finish on shutdown")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	dialCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := client.DialContext(dialCtx, client.Options{HostPort: *address, Namespace: *namespace, Logger: tlog.NewStructuredLogger(logger)})
	if err != nil {
		return fmt.Errorf("dial temporal: %w", err)
	}
	defer c.Close()
	opts := worker.Options{WorkerStopTimeout: *stopTimeout, MaxConcurrentActivityExecutionSize: *maxActivities}
	orders := worker.New(c, bare.TaskQueueOrders, opts)
	shipping := worker.New(c, bare.TaskQueueShipping, opts)
	bare.Register(orders, shipping)
	for _, w := range []worker.Worker{orders, shipping} {
		if err := w.Start(); err != nil {
			return fmt.Errorf("start worker: %w", err)
		}
		defer w.Stop()
	}
	logger.Info("bare worker started", "namespace", *namespace)
	<-ctx.Done()
	return nil
}
