package bench

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
	"github.com/orderly-shop/orderly/internal/bench/procstat"
	"github.com/orderly-shop/orderly/internal/bench/report"
)

// dialParallel is how many subscribers connect at once.
const dialParallel = 32

// subscriber is one browser tab following the order on its own socket.
type subscriber struct {
	sock *gqlclient.Socket
	// initial is the version of the subscription's first (current-state)
	// event; received are the events after it, in arrival order.
	initial  int
	received []receipt
	err      error
}

// receipt is one event as a subscriber got it.
type receipt struct {
	version int
	at      time.Time // the entry's time
	got     time.Time // when it was read off the socket
}

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
	var latencies []time.Duration
	for _, s := range subs {
		f.Expected += final - s.initial
		f.Delivered += len(s.received)
		bad, got := 0, s.initial
		for _, r := range s.received {
			if r.version != got+1 {
				bad++
			}
			got = r.version
			latencies = append(latencies, r.got.Sub(r.at))
		}
		if got != final {
			bad++ // the tail never came
		}
		if bad > 0 {
			f.Violations++
			f.ViolatingEvents += bad
		}
		if s.err != nil {
			f.Errors++
		}
	}
	f.Latency = report.Summarize(latencies)
	f.Processes, f.Store = costs(use0, use1, f.Changes, time.Since(approved))
	if f.Store != nil {
		f.RequestsPerChange = f.Store.RequestsPerOrder
	}
	h.logger.Info("fan-out done", "subscribers", n, "p50_s", round(f.Latency.P50), "p99_s", round(f.Latency.P99),
		"violations", f.Violations, "bytes_per_subscriber", int64(f.BytesPerSubscriber))
	return f, nil
}

// subscribe opens n sockets, each with one orderUpdated subscription whose
// first event has arrived. It returns those that did and how many failed.
func (h *harness) subscribe(ctx context.Context, url, token, orderID string, n int) ([]*subscriber, int) {
	var (
		mu     sync.Mutex
		subs   []*subscriber
		failed int
	)
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(dialParallel)
	for i := range n {
		g.Go(func() error {
			s, err := openSubscriber(gctx, url, token, orderID, i)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failed++
				if failed == 1 {
					h.note("fan-out: a subscription failed: %v", err)
				}
				return nil
			}
			subs = append(subs, s)
			return nil
		})
	}
	_ = g.Wait()
	return subs, failed
}

// openSubscriber dials from its own loopback address, subscribes and waits
// for the current state.
func openSubscriber(ctx context.Context, url, token, orderID string, i int) (*subscriber, error) {
	c := gqlclient.New(url, gqlclient.SourceAddress(1+i))
	c.Token = token
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	sock, err := c.Dial(ctx)
	if err != nil {
		return nil, err
	}
	if err := sock.Subscribe("1", orderUpdatedSubscription, map[string]any{"id": orderID}); err != nil {
		sock.Close()
		return nil, err
	}
	deadline, _ := ctx.Deadline()
	for {
		m, err := sock.Next(deadline)
		if err != nil {
			sock.Close()
			return nil, err
		}
		var ev orderUpdate
		if err := gqlclient.NextData(m, &ev); err != nil {
			sock.Close()
			return nil, err
		}
		if ev.OrderUpdated.Initial {
			return &subscriber{sock: sock, initial: ev.OrderUpdated.Entry.Version}, nil
		}
	}
}

// read collects events until the order ends or ctx does.
func (s *subscriber) read(ctx context.Context) {
	stop := context.AfterFunc(ctx, func() { s.sock.Close() })
	defer stop()
	for {
		m, err := s.sock.Next(time.Time{})
		if err != nil {
			if ctx.Err() == nil {
				s.err = err
			}
			return
		}
		var ev orderUpdate
		if err := gqlclient.NextData(m, &ev); err != nil {
			s.err = err
			return
		}
		u := ev.OrderUpdated
		s.received = append(s.received, receipt{version: u.Entry.Version, at: u.Entry.At, got: m.ReceivedAt})
		if orderly.OrderStatus(u.Order.Status).IsFinal() {
			return
		}
	}
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
