package bench

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderly-shop/orderly/internal/bench/report"
)

// outcome is how one iteration of a client's loop ended.
type outcome int

const (
	completed outcome = iota
	failed
	cancelled
	// errored: the iteration broke (API error, lost socket, timeout).
	errored
	// aborted: the loop was stopped during the iteration; not counted.
	aborted
)

// sample is one iteration of a client's loop: one order.
type sample struct {
	start, end time.Time
	outcome    outcome
	// reason says why an order failed or an iteration errored.
	reason string
	// place is the placeOrder round trip (Orderly only).
	place time.Duration
	// violations counts events out of version order.
	violations int
}

// iteration runs one order for client i (its n-th) and reports it.
type iteration func(ctx context.Context, i, n int) sample

// loopResult is what a closed loop measured.
type loopResult struct {
	window   []sample
	warmup   time.Duration
	warmedUp bool
	length   time.Duration
	before   usage
	after    usage
}

// errorPause is how long a client waits after a broken iteration, so that a
// failing API is not hammered in a tight loop.
const errorPause = time.Second

// closedLoop runs clients, each looping over iterate, until the window is
// measured: first the warm-up (at least cfg.Warmup, until every client has
// ended an order, at most cfg.WarmupMax), then cfg.Window, sampling m just
// before and just after it. Samples that end inside the window count.
func closedLoop(ctx context.Context, cfg Config, clients int, iterate iteration, m meter) loopResult {
	loadCtx, stop := context.WithCancel(ctx)
	defer stop()
	var (
		mu      sync.Mutex
		samples []sample
		ended   = make([]atomic.Bool, clients)
		wg      sync.WaitGroup
	)
	for i := range clients {
		wg.Go(func() {
			for n := 0; loadCtx.Err() == nil; n++ {
				s := iterate(loadCtx, i, n)
				if s.outcome == aborted || (loadCtx.Err() != nil && s.outcome == errored) {
					return
				}
				if s.outcome != errored {
					ended[i].Store(true)
				}
				mu.Lock()
				samples = append(samples, s)
				mu.Unlock()
				if s.outcome == errored {
					select {
					case <-loadCtx.Done():
					case <-time.After(errorPause):
					}
				}
			}
		})
	}

	var res loopResult
	start := time.Now()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
warmup:
	for {
		select {
		case <-ctx.Done():
			break warmup
		case <-tick.C:
		}
		elapsed := time.Since(start)
		all := true
		for i := range ended {
			all = all && ended[i].Load()
		}
		switch {
		case elapsed >= cfg.Warmup && all:
			res.warmedUp = true
			break warmup
		case elapsed >= cfg.WarmupMax:
			break warmup
		}
	}
	res.warmup = time.Since(start)

	res.before = m.sample(ctx)
	from := time.Now()
	select {
	case <-ctx.Done():
	case <-time.After(cfg.Window):
	}
	to := time.Now()
	res.after = m.sample(ctx)
	res.length = to.Sub(from)
	stop()
	wg.Wait()

	for _, s := range samples {
		if !s.end.Before(from) && s.end.Before(to) {
			res.window = append(res.window, s)
		}
	}
	return res
}

// run turns a loop's result into the report's figures.
func (r loopResult) run(clients int) report.Run {
	out := report.Run{
		Clients: clients, WindowSeconds: r.length.Seconds(), WarmupSeconds: r.warmup.Seconds(), WarmedUp: r.warmedUp,
		FailureReasons: map[string]int{},
	}
	var latencies, places []time.Duration
	for _, s := range r.window {
		switch s.outcome {
		case completed:
			out.Completed++
			latencies = append(latencies, s.end.Sub(s.start))
		case failed:
			out.Failed++
		case cancelled:
			out.Cancelled++
		case errored:
			out.Errors++
		}
		if s.reason != "" {
			out.FailureReasons[s.reason]++
		}
		if s.place > 0 {
			places = append(places, s.place)
		}
		out.SequenceViolations += s.violations
	}
	out.OrdersPerSecond = report.Ratio(float64(out.Completed), r.length.Seconds())
	out.Latency = report.Summarize(latencies)
	if len(places) > 0 {
		p := report.Summarize(places)
		out.PlaceOrder = &p
	}
	out.Processes, out.Store = costs(r.before, r.after, out.Completed, r.length)
	if len(out.FailureReasons) == 0 {
		out.FailureReasons = nil
	}
	return out
}
