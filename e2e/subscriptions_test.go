package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// TestSubscriptionsAcrossReplicas: two server replicas and a worker, all
// separate processes. The order is placed through one replica; followers on
// both replicas see every timeline entry of a fast order (twenty tracking
// updates ten milliseconds apart), exactly once and in order, and the
// operator's ordersUpdated on the other replica sees the order reach the end.
// Each replica runs one change feed for all its subscribers.
func TestSubscriptionsAcrossReplicas(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{servers: 2, trackingUpdates: 20})
	r1, r2 := s.servers[0], s.servers[1]
	c := s.register(t, "replicas")
	p := cheapest(t, c, 1)
	addToCart(t, c, p.ID, 1)

	// The operator follows all orders on replica 2 before the order exists.
	ops := s.op.as(r2.url).subscribe(t, `subscription { ordersUpdated { id status version } }`, nil)

	order, _ := placeOrder(t, c, fmt.Sprintf("replicas-%d", time.Now().UnixNano()))
	onR1 := c.as(r1.url).subscribe(t, orderUpdatedSubscription, map[string]any{"id": order.ID})
	onR2 := c.as(r2.url).subscribe(t, orderUpdatedSubscription, map[string]any{"id": order.ID})
	e1 := followOrder(t, onR1, 2*time.Minute)
	e2 := followOrder(t, onR2, 2*time.Minute)

	final := getOrder(t, c, order.ID)
	if final.Status != string(orderly.StatusCompleted) {
		t.Fatalf("order ended %s", final.Status)
	}
	for name, events := range map[string][]orderEvent{"replica 1": e1, "replica 2": e2} {
		last := events[len(events)-1].OrderUpdated.Entry.Version
		if last != final.Version {
			t.Errorf("%s: last event is version %d, the order is at %d", name, last, final.Version)
		}
	}
	// Twenty tracking updates plus the lifecycle: many changes in quick
	// succession, and followOrder has checked that none was lost or repeated.
	if final.Version < 25 {
		t.Errorf("order has only %d timeline entries; the test wanted a burst", final.Version)
	}

	// ordersUpdated pushes the order's latest state; it must reach COMPLETED.
	deadline := time.Now().Add(time.Minute)
	for {
		var ev struct {
			OrdersUpdated struct {
				ID      string
				Status  string
				Version int
			}
		}
		ops.next(t, time.Until(deadline), &ev)
		if ev.OrdersUpdated.ID == order.ID && ev.OrdersUpdated.Status == string(orderly.StatusCompleted) {
			break
		}
	}
}

// TestSubscriptionResumesAfterServerRestart: a follower whose server restarts
// mid-order reconnects to the same address, subscribes again and gets the
// current state first, then every later entry, in order. Nothing the order
// did while the server was down is lost: the initial event's order carries
// the timeline up to its version.
func TestSubscriptionResumesAfterServerRestart(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{trackingInterval: 700 * time.Millisecond, trackingUpdates: 6})
	srv := s.servers[0]
	c := s.register(t, "restart")
	p := cheapest(t, c, 1)
	addToCart(t, c, p.ID, 1)
	order, _ := placeOrder(t, c, fmt.Sprintf("restart-%d", time.Now().UnixNano()))

	sub := c.subscribe(t, orderUpdatedSubscription, map[string]any{"id": order.ID})
	var seen int
	for seen == 0 || orderly.OrderStatus(lastStatus(t, c, order.ID)) != orderly.StatusShipped {
		var ev orderEvent
		sub.next(t, time.Minute, &ev)
		if v := ev.OrderUpdated.Entry.Version; seen > 0 && v != seen+1 {
			t.Fatalf("before the restart: version %d after %d", v, seen)
		}
		seen = ev.OrderUpdated.Entry.Version
	}

	srv.restart(t) // the order goes on in the worker meanwhile
	select {
	case _, open := <-sub.events:
		for open { // drain what was in flight; the socket must end
			_, open = <-sub.events
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the old subscription did not end when its server stopped")
	}

	resumed := c.subscribe(t, `subscription($id: ID!) { orderUpdated(id: $id) {
		initial entry { version kind status detail } order { id status version timeline { version } } } }`,
		map[string]any{"id": order.ID})
	var first struct {
		OrderUpdated struct {
			Initial bool
			Entry   struct{ Version int }
			Order   struct {
				Version  int
				Timeline []struct{ Version int }
			}
		}
	}
	resumed.next(t, 30*time.Second, &first)
	u := first.OrderUpdated
	if !u.Initial || u.Entry.Version < seen {
		t.Fatalf("after the restart the first event is %+v; want the current state at version >= %d", u, seen)
	}
	for i, e := range u.Order.Timeline {
		if e.Version != i+1 {
			t.Fatalf("the current state's timeline skips: entry %d has version %d", i, e.Version)
		}
	}
	// The rest follows in order to the end.
	last := u.Entry.Version
	for {
		var ev orderEvent
		resumed.next(t, time.Minute, &ev)
		v := ev.OrderUpdated.Entry.Version
		if v != last+1 {
			t.Fatalf("after the restart: version %d follows %d", v, last)
		}
		last = v
		if orderly.OrderStatus(ev.OrderUpdated.Order.Status).IsFinal() {
			break
		}
	}
	if o := getOrder(t, c, order.ID); o.Status != string(orderly.StatusCompleted) || o.Version != last {
		t.Fatalf("order is %s at v%d; the follower ended at v%d", o.Status, o.Version, last)
	}
}

// lastStatus reads an order's current status over HTTP.
func lastStatus(t testing.TB, c *client, id string) string { return getOrder(t, c, id).Status }
