package bench

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"
)

func quietHarness() *harness { return &harness{logger: slog.New(slog.DiscardHandler)} }

// TestClosedLoopWarmsUpEveryClient: the window opens only once every client
// has ended an order (here the slow third one), and counts what ends inside
// it, by outcome.
func TestClosedLoopWarmsUpEveryClient(t *testing.T) {
	cfg := Config{Warmup: 10 * time.Millisecond, WarmupMax: 5 * time.Second, Window: 300 * time.Millisecond}
	iterate := func(ctx context.Context, i, n int) sample {
		s := sample{start: time.Now()}
		d := 10 * time.Millisecond
		if i == 2 && n == 0 {
			d = 400 * time.Millisecond // the slow first order
		}
		select {
		case <-ctx.Done():
			return sample{outcome: aborted}
		case <-time.After(d):
		}
		s.end = time.Now()
		switch {
		case i == 1 && n%2 == 1:
			s.outcome, s.reason = failed, "out of stock"
		case i == 0 && n == 3:
			s.outcome, s.reason = errored, errorReason(errors.New("socket lost"))
		}
		return s
	}
	res := closedLoop(t.Context(), cfg, 3, iterate, meter{h: quietHarness()})
	if !res.warmedUp || res.warmup < 400*time.Millisecond {
		t.Fatalf("warm-up %s (warmed up %v): it must wait for the slow client's first order", res.warmup, res.warmedUp)
	}
	run := res.run(3)
	if run.Completed == 0 || run.Failed == 0 || run.FailureReasons["out of stock"] != run.Failed {
		t.Fatalf("run %+v: want completed and failed orders, failures by reason", run)
	}
	if run.Completed+run.Failed+run.Errors != len(res.window) || run.Latency.Count != run.Completed {
		t.Fatalf("run %+v does not add up to its %d samples", run, len(res.window))
	}
}

// TestClosedLoopWarmupBound: a client that never ends an order does not
// hold the window back past WarmupMax, and the result says so.
func TestClosedLoopWarmupBound(t *testing.T) {
	cfg := Config{Warmup: 10 * time.Millisecond, WarmupMax: 200 * time.Millisecond, Window: 100 * time.Millisecond}
	iterate := func(ctx context.Context, i, _ int) sample {
		if i == 1 {
			<-ctx.Done() // stuck until the loop stops
			return sample{outcome: aborted}
		}
		s := sample{start: time.Now()}
		time.Sleep(5 * time.Millisecond)
		s.end = time.Now()
		return s
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	res := closedLoop(ctx, cfg, 2, iterate, meter{h: quietHarness()})
	if res.warmedUp || res.warmup < cfg.WarmupMax {
		t.Fatalf("warm-up %s, warmed up %v: want the bound, not warmed up", res.warmup, res.warmedUp)
	}
	if res.run(2).Completed == 0 {
		t.Fatal("the healthy client's orders were not counted")
	}
}

func TestConfigPoints(t *testing.T) {
	c := DefaultConfig()
	got := c.points()
	want := []point{{8, 0}, {32, 0}, {128, 0}, {8, 1000}, {8, 5000}}
	if len(got) != len(want) {
		t.Fatalf("points %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("points %v, want %v (8 shoppers on a fresh store once)", got, want)
		}
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	bad := c
	bad.Shoppers, bad.TrackingInterval, bad.Subscribers = []int{0}, time.Millisecond, nil
	if err := bad.Validate(); err == nil {
		t.Fatal("a zero shopper count, a 1ms tracking interval and no subscribers validated")
	}
}
