package bench

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/internal/bench/gqlclient"
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

// deliveries is what the subscribers received, against what they should
// have: every version after their first event up to final, once, in order.
type deliveries struct {
	expected, delivered int
	// violations counts the subscribers with any entry lost, repeated or
	// out of order; violatingEvents the entries at fault (a missing tail
	// counts once).
	violations, violatingEvents int
	// latencies are from each entry's time to its receipt.
	latencies []time.Duration
}

func countDeliveries(subs []*subscriber, final int) deliveries {
	var d deliveries
	for _, s := range subs {
		d.expected += final - s.initial
		d.delivered += len(s.received)
		bad, got := 0, s.initial
		for _, r := range s.received {
			if r.version != got+1 {
				bad++
			}
			got = r.version
			d.latencies = append(d.latencies, r.got.Sub(r.at))
		}
		if got != final {
			bad++ // the tail never came
		}
		if bad > 0 {
			d.violations++
			d.violatingEvents += bad
		}
	}
	return d
}
