package bench

import (
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/orderly-shop/orderly/devstack"
	"github.com/orderly-shop/orderly/internal/bench/procstat"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// buildTimeout bounds building the programs; a cold build of the temporal
// CLI alone takes minutes on two cores.
const buildTimeout = 15 * time.Minute

// Run builds the programs, starts one Temporal dev server and runs the
// selected parts in turn, each on fresh stores and processes. A part that
// fails leaves a note and the others still run. When ctx ends first, Run
// returns the report of what was measured so far with ctx's error; it
// returns no report only when nothing could run (a build, Temporal).
func Run(ctx context.Context, cfg Config) (*report.Report, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ProcessLog == nil {
		cfg.ProcessLog = io.Discard
	}
	root := cfg.Root
	if root == "" {
		var err error
		if root, err = devstack.Root(); err != nil {
			return nil, err
		}
	}
	if err := raiseOpenFiles(); err != nil {
		cfg.Logger.Warn("cannot raise the open-files limit", "err", err)
	}
	started := time.Now()
	rep := &report.Report{StartedAt: started.UTC(), Machine: machine(root), Settings: settings(cfg)}

	bctx, cancel := context.WithTimeout(ctx, buildTimeout)
	cfg.Logger.Info("building the programs (the first build takes minutes)")
	bin, err := build(bctx, root)
	cancel()
	if err != nil {
		return nil, err
	}
	scratch, err := os.MkdirTemp("", "orderly-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	h := &harness{cfg: cfg, bin: bin, out: devstack.NewOutput(cfg.ProcessLog), logger: cfg.Logger, scratch: scratch}
	h.temporal, err = devstack.StartTemporal(ctx, devstack.TemporalOptions{Bin: bin.temporal, Headless: true, LogLevel: "error", Output: h.out})
	if err != nil {
		return nil, err
	}
	defer h.temporal.Stop()

	finish := func(err error) (*report.Report, error) {
		rep.Machine.LoadEnd, _ = procstat.LoadAverage()
		rep.DurationSeconds = time.Since(started).Seconds()
		if err != nil {
			h.note("the run stopped early (%v): the report holds what was measured before", err)
		}
		rep.Notes = h.notes
		return rep, err
	}
	if cfg.EndToEnd {
		for i, p := range cfg.points() {
			rp, shape, err := h.endToEnd(ctx, p, i == 0)
			if ctx.Err() != nil {
				return finish(ctx.Err())
			}
			if err != nil {
				h.note("end-to-end point left out: %v", err)
				continue
			}
			rep.EndToEnd = append(rep.EndToEnd, rp)
			if shape != nil {
				rep.Shape = shape
			}
		}
	}
	if cfg.Catalog {
		c, err := h.catalog(ctx)
		if ctx.Err() != nil {
			return finish(ctx.Err())
		}
		if err != nil {
			h.note("catalog read left out: %v", err)
		} else {
			rep.Catalog = c
		}
	}
	if cfg.FanOut {
		for _, n := range cfg.Subscribers {
			f, err := h.fanOut(ctx, n)
			if ctx.Err() != nil {
				return finish(ctx.Err())
			}
			if err != nil {
				h.note("fan-out to %d subscribers left out: %v", n, err)
				continue
			}
			rep.FanOut = append(rep.FanOut, f)
		}
	}
	return finish(nil)
}

// machine describes this machine and the code under test.
func machine(root string) report.Machine {
	m := report.Machine{CPUs: runtime.NumCPU(), OS: runtime.GOOS, Arch: runtime.GOARCH, GoVersion: runtime.Version()}
	m.LoadStart, _ = procstat.LoadAverage()
	if out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out))
		if st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(st) > 0 {
			m.Commit += "-dirty"
		}
	}
	return m
}

func settings(c Config) report.Settings {
	return report.Settings{
		WindowSeconds: c.Window.Seconds(), WarmupSeconds: c.Warmup.Seconds(), WarmupMaxSeconds: c.WarmupMax.Seconds(),
		TrackingUpdates: c.TrackingUpdates, TrackingIntervalSecs: c.TrackingInterval.Seconds(),
		Shoppers: c.Shoppers, Stored: c.Stored, StoredShoppers: c.StoredShoppers,
		CatalogClients: c.CatalogClients, CatalogWindowSeconds: c.CatalogWindow.Seconds(),
		Subscribers: c.Subscribers, FanOutTrackingUpdates: c.FanOutTrackingUpdates,
		FanOutTrackingInterval: c.FanOutTrackingInterval.Seconds(),
	}
}
