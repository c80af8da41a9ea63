// Command orderly-bench measures Orderly end to end and writes the
// side-by-side report that `make bench` produces: Markdown, JSON and SVG
// charts in one directory (docs/bench by default). Every figure is measured
// in the same run on the same machine as the baseline it is compared with:
// Orderly against a bare Temporal program of the same shape on the same
// Temporal dev server, the real server's catalog read against the same
// handler over memory, and many subscribers on one order.
//
//	go run ./cmd/orderly-bench                       # the full report, about half an hour
//	go run ./cmd/orderly-bench -quick                # a few minutes, small points
//	go run ./cmd/orderly-bench -parts catalog -catalog-window 10s
//
// It builds and starts everything it needs (bin/temporal, bin/devstore, the
// server, the worker and bin/bare-worker) on free loopback ports and stops
// it all on exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/orderly-shop/orderly/internal/bench"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "orderly-bench:", err)
		}
		os.Exit(1)
	}
}

// quick is the preset of -quick: every part, small and short.
func quick(c *bench.Config) {
	c.Window, c.Warmup, c.WarmupMax = 30*time.Second, 5*time.Second, time.Minute
	c.Shoppers, c.Stored, c.StoredShoppers = []int{2, 8}, []int{0, 200}, 2
	c.CatalogWindow = 6 * time.Second
	c.Subscribers = []int{50, 200}
}

// options are the command's own flags, beside the benchmark's Config.
type options struct {
	out, processLog string
	timeout         time.Duration
}

// parse reads the command line into a validated Config.
func parse(args []string, stderr io.Writer) (bench.Config, options, error) {
	var o options
	cfg := bench.DefaultConfig()
	// The preset goes first, so that flags given explicitly still win.
	if slices.ContainsFunc(args, func(a string) bool {
		return strings.TrimLeft(a, "-") == "quick" || strings.TrimLeft(a, "-") == "quick=true"
	}) {
		quick(&cfg)
	}
	fs := flag.NewFlagSet("orderly-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.out, "out", filepath.Join("docs", "bench"), "directory of the report (latest.md, latest.json, *.svg)")
	fs.Bool("quick", false, "small, short points: a few minutes (flags given explicitly still win)")
	parts := fs.String("parts", "e2e,catalog,fanout", "parts to run: e2e, catalog, fanout")
	fs.DurationVar(&o.timeout, "timeout", 55*time.Minute, "bound of the whole run")
	fs.StringVar(&o.processLog, "process-log", filepath.Join("bin", "bench-processes.log"), "where the started processes' output goes")
	fs.DurationVar(&cfg.Window, "window", cfg.Window, "measured window of each end-to-end run")
	fs.DurationVar(&cfg.Warmup, "warmup", cfg.Warmup, "least warm-up before each window")
	fs.DurationVar(&cfg.WarmupMax, "warmup-max", cfg.WarmupMax, "most warm-up before each window")
	intList(fs, &cfg.Shoppers, "shoppers", "shopper counts of the fresh-store points")
	intList(fs, &cfg.Stored, "stored", "orders stored beforehand, one point each")
	fs.IntVar(&cfg.StoredShoppers, "stored-shoppers", cfg.StoredShoppers, "shoppers of the stored-orders points")
	fs.IntVar(&cfg.TrackingUpdates, "tracking-updates", cfg.TrackingUpdates, "shipping tracking updates per order (both programs)")
	fs.DurationVar(&cfg.TrackingInterval, "tracking-interval", cfg.TrackingInterval, "wait before each tracking update and delivery (both programs)")
	fs.DurationVar(&cfg.OrderTimeout, "order-timeout", cfg.OrderTimeout, "bound of one order in the loop")
	fs.IntVar(&cfg.Restock, "restock", cfg.Restock, "units added to every product before a point (0: seeded stock)")
	fs.IntVar(&cfg.CatalogClients, "catalog-clients", cfg.CatalogClients, "concurrent catalog readers")
	fs.DurationVar(&cfg.CatalogWindow, "catalog-window", cfg.CatalogWindow, "catalog measurement per side")
	intList(fs, &cfg.Subscribers, "subscribers", "subscriber counts of the fan-out points")
	fs.IntVar(&cfg.FanOutTrackingUpdates, "fanout-tracking-updates", cfg.FanOutTrackingUpdates, "tracking updates of the followed order")
	fs.DurationVar(&cfg.FanOutTrackingInterval, "fanout-tracking-interval", cfg.FanOutTrackingInterval, "pace of the followed order")
	fs.DurationVar(&cfg.FanOutTimeout, "fanout-timeout", cfg.FanOutTimeout, "bound of one fan-out delivery")
	if err := fs.Parse(args); err != nil {
		return cfg, o, err
	}
	cfg.EndToEnd, cfg.Catalog, cfg.FanOut = false, false, false
	for _, p := range strings.Split(*parts, ",") {
		switch strings.TrimSpace(p) {
		case "e2e":
			cfg.EndToEnd = true
		case "catalog":
			cfg.Catalog = true
		case "fanout":
			cfg.FanOut = true
		case "":
		default:
			return cfg, o, fmt.Errorf("-parts: unknown part %q (e2e, catalog, fanout)", p)
		}
	}
	return cfg, o, cfg.Validate()
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, o, err := parse(args, stderr)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(o.processLog), 0o755); err != nil {
		return fmt.Errorf("process log: %w", err)
	}
	logFile, err := os.Create(o.processLog)
	if err != nil {
		return fmt.Errorf("process log: %w", err)
	}
	defer logFile.Close()
	cfg.ProcessLog = logFile
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))

	ctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	rep, runErr := bench.Run(ctx, cfg)
	if rep == nil {
		return fmt.Errorf("%w (the processes' output is in %s)", runErr, o.processLog)
	}
	path, err := report.Write(o.out, rep)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report: %s (and %s, charts *.svg, in %s); processes' output: %s\n",
		path, report.FileJSON, o.out, o.processLog)
	for _, n := range rep.Notes {
		fmt.Fprintf(stdout, "note: %s\n", n)
	}
	return runErr
}

// intList registers a comma-separated list of counts.
func intList(fs *flag.FlagSet, dst *[]int, name, usage string) {
	fs.Func(name, fmt.Sprintf("%s, comma-separated (default %s)", usage, joinInts(*dst)), func(s string) error {
		var out []int
		for _, f := range strings.Split(s, ",") {
			if f = strings.TrimSpace(f); f == "" {
				continue
			}
			n, err := strconv.Atoi(strings.ReplaceAll(f, "_", ""))
			if err != nil {
				return fmt.Errorf("%q is not a count", f)
			}
			out = append(out, n)
		}
		*dst = out
		return nil
	})
}

func joinInts(ns []int) string {
	var parts []string
	for _, n := range ns {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ",")
}
