package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
	"github.com/orderly-shop/orderly/internal/bench/procstat"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// fanOut has n subscribers follow one order that waits for approval, then
// approves it as the operator and measures the delivery of every change
// that follows.
func (h *harness) fanOut(ctx context.Context, n int) (report.FanOut, error) {
	h.logger.Info("fan-out", "subscribers", n)
	f := report.FanOut{Subscribers: n}
	a, err := h.startApp(ctx, appOptions{trackingUpdates: h.cfg.FanOutTrackingUpdates, trackingInterval: h.cfg.FanOutTrackingInterval})
	if err != nil {
		return f, err
	}
	defer a.stop()
	setup, cancel := context.WithTimeout(ctx, setupTimeout)
	defer cancel()
	op, err := login(setup, a.url, nil, operatorEmail, operatorPassword)
	if err != nil {
		return f, err
	}
	defer op.CloseIdle()
	// The order waits for the operator, who lets it go once everyone listens.
	products, err := h.prepareShop(setup, a, orderly.ApprovalAlways)
	if err != nil {
		return f, err
	}
	customer, err := register(setup, a.url, gqlclient.SourceAddress(0), "fanout-"+orderly.NewID("r")+"@bench.example", h.cfg.OrderTimeout)
	if err != nil {
		return f, err
	}
	defer customer.close()
	var st sample
	orderID, err := customer.place(setup, "fanout-"+orderly.NewID("k"), products[0], &st)
	if err != nil {
		return f, err
	}
	waiting, err := waitStatus(setup, customer.api, orderID, orderly.StatusAwaitingApproval)
	if err != nil {
		return f, err
	}

	serverPid := a.server.Pid()
	before, err := procstat.Read(serverPid)
	if err != nil {
		return f, err
	}
	f.ServerRSSBefore = before.RSS
	setupStart := time.Now()
	subs, errs := h.subscribe(setup, a.url, customer.api.Token, orderID, n)
	f.Errors = errs
	defer func() {
		for _, s := range subs {
			s.sock.Close()
		}
	}()
	f.Subscribed = len(subs)
	f.SetupSeconds = time.Since(setupStart).Seconds()
	if len(subs) == 0 {
		return f, errors.New("no subscription started")
	}
	sleep(ctx, time.Second) // let the server settle before reading its memory
	if s, err := procstat.Read(serverPid); err == nil {
		f.ServerRSSSubscribed, f.ServerRSSPeak = s.RSS, s.RSS
		f.BytesPerSubscriber = float64(s.RSS-f.ServerRSSBefore) / float64(len(subs))
	}

	// Deliver: approve, and read until every subscriber saw the order end.
	m := meter{h: h, pids: a.pids(), stats: a.stats}
	use0 := m.sample(ctx)
	dctx, stopDelivery := context.WithTimeout(ctx, h.cfg.FanOutTimeout)
	defer stopDelivery()
	var wg sync.WaitGroup
	for _, s := range subs {
		wg.Go(func() { s.read(dctx) })
	}
	var peak atomic.Int64
	peak.Store(f.ServerRSSPeak)
	stopPeak := watchPeak(dctx, serverPid, &peak)
	approved := time.Now()
	var out struct{ ApproveOrder struct{ Errors []userError } }
	if err := op.Do(ctx, approveMutation, map[string]any{"id": orderID}, &out); err != nil {
		return f, fmt.Errorf("approve: %w", err)
	}
	if err := payloadError("approveOrder", out.ApproveOrder.Errors); err != nil {
		return f, err
	}
	wg.Wait()
	f.DeliverySeconds = time.Since(approved).Seconds()
	use1 := m.sample(ctx)
	stopPeak()
	f.ServerRSSPeak = peak.Load()

	final, err := orderVersion(ctx, op, orderID)
	if err != nil {
		return f, err
	}
	f.Changes = final - waiting
	d := countDeliveries(subs, final)
	f.Expected, f.Delivered, f.Violations, f.ViolatingEvents = d.expected, d.delivered, d.violations, d.violatingEvents
	for _, s := range subs {
		if s.err != nil {
			f.Errors++
		}
	}
	f.Latency = report.Summarize(d.latencies)
	f.Processes, f.Store = costs(use0, use1, f.Changes, time.Since(approved))
	if f.Store != nil {
		f.RequestsPerChange = f.Store.RequestsPerOrder
	}
	h.logger.Info("fan-out done", "subscribers", n, "p50_s", round(f.Latency.P50), "p99_s", round(f.Latency.P99),
		"violations", f.Violations, "bytes_per_subscriber", int64(f.BytesPerSubscriber))
	return f, nil
}

// watchPeak keeps the highest RSS of pid in peak until ctx ends or the
// returned stop is called.
func watchPeak(ctx context.Context, pid int, peak *atomic.Int64) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if s, err := procstat.Read(pid); err == nil && s.RSS > peak.Load() {
				peak.Store(s.RSS)
			}
		}
	}()
	return func() { cancel(); <-done }
}

// waitStatus polls the order until it reaches status and returns its
// version then; at most two minutes.
func waitStatus(ctx context.Context, c *gqlclient.Client, orderID string, status orderly.OrderStatus) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	for {
		var out struct {
			Order *struct {
				Status  string
				Version int
			}
		}
		err := c.Do(ctx, `query($id: ID!) { order(id: $id) { status version } }`, map[string]any{"id": orderID}, &out)
		switch {
		case err != nil && ctx.Err() != nil:
			return 0, fmt.Errorf("order %s never %s: %w", orderID, status, err)
		case err == nil && out.Order != nil && out.Order.Status == string(status):
			return out.Order.Version, nil
		case err == nil && out.Order != nil && orderly.OrderStatus(out.Order.Status).IsFinal():
			return 0, fmt.Errorf("order %s ended %s before %s", orderID, out.Order.Status, status)
		}
		sleep(ctx, 200*time.Millisecond)
	}
}

// orderVersion reads the order's current version.
func orderVersion(ctx context.Context, c *gqlclient.Client, orderID string) (int, error) {
	var out struct{ Order *struct{ Version int } }
	if err := c.Do(ctx, `query($id: ID!) { order(id: $id) { version } }`, map[string]any{"id": orderID}, &out); err != nil {
		return 0, err
	}
	if out.Order == nil {
		return 0, fmt.Errorf("order %s not found", orderID)
	}
	return out.Order.Version, nil
}
