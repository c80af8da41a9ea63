package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// product is what the tests read of a catalog product.
type product struct {
	ID    string
	Name  string
	Stock int
	Price struct{ Amount int }
}

// catalog returns the first page of the seeded catalog.
func catalog(t testing.TB, c *client) []product {
	t.Helper()
	var out struct {
		Products struct {
			TotalCount int
			Edges      []struct{ Node product }
		}
	}
	c.mustDo(t, `{ products(first: 50) { totalCount edges { node { id name stock price { amount } } } } }`, nil, &out)
	var ps []product
	for _, e := range out.Products.Edges {
		ps = append(ps, e.Node)
	}
	return ps
}

// cheapest returns the cheapest product with at least n units in stock, so
// orders stay below the approval threshold.
func cheapest(t testing.TB, c *client, n int) product {
	t.Helper()
	var best *product
	for _, p := range catalog(t, c) {
		if p.Stock >= n && (best == nil || p.Price.Amount < best.Price.Amount) {
			best = &p
		}
	}
	if best == nil {
		t.Fatalf("no product with %d units in stock", n)
		return product{}
	}
	return *best
}

// addToCart puts quantity units of a product in the caller's cart.
func addToCart(t testing.TB, c *client, productID string, quantity int) {
	t.Helper()
	var out struct{ AddToCart struct{ Errors []userError } }
	c.mustDo(t, `mutation($p: ID!, $q: Int!) { addToCart(input: {productId: $p, quantity: $q}) { errors { code message } } }`,
		map[string]any{"p": productID, "q": quantity}, &out)
	if len(out.AddToCart.Errors) > 0 {
		t.Fatalf("addToCart: %+v", out.AddToCart.Errors)
	}
}

// placedOrder is what placeOrder returns.
type placedOrder struct {
	ID      string
	Status  string
	Version int
}

// placeOrder checks the cart out with an idempotency key.
func placeOrder(t testing.TB, c *client, key string) (placedOrder, bool) {
	t.Helper()
	var out struct {
		PlaceOrder struct {
			Order   *placedOrder
			Created bool
			Errors  []userError
		}
	}
	c.mustDo(t, `mutation($k: String!) { placeOrder(input: {idempotencyKey: $k, shippingAddress: {
		name: "Ada Lovelace", line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB"}}) {
		order { id status version } created errors { code message field } } }`, map[string]any{"k": key}, &out)
	if len(out.PlaceOrder.Errors) > 0 || out.PlaceOrder.Order == nil {
		t.Fatalf("placeOrder: %+v", out.PlaceOrder.Errors)
	}
	return *out.PlaceOrder.Order, out.PlaceOrder.Created
}

// orderEvent is one orderUpdated event.
type orderEvent struct {
	OrderUpdated struct {
		Initial bool
		Entry   struct {
			Version int
			Kind    string
			Status  string
			Detail  string
		}
		Order struct {
			ID      string
			Status  string
			Version int
		}
	}
}

const orderUpdatedSubscription = `subscription($id: ID!) { orderUpdated(id: $id) {
	initial entry { version kind status detail } order { id status version } } }`

// followOrder collects orderUpdated events until the order reaches a final
// status, checking the subscription's guarantees on the way: the current
// state comes first, then every entry exactly once, in version order, along
// allowed status transitions.
func followOrder(t testing.TB, sub *subscription, timeout time.Duration) []orderEvent {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var events []orderEvent
	for {
		var ev orderEvent
		sub.next(t, time.Until(deadline), &ev)
		u := ev.OrderUpdated
		if len(events) == 0 {
			if !u.Initial {
				t.Fatalf("first event is not the current state: %+v", u)
			}
		} else {
			prev := events[len(events)-1].OrderUpdated
			if u.Initial {
				t.Fatalf("a second initial event: %+v", u)
			}
			if u.Entry.Version != prev.Entry.Version+1 {
				t.Fatalf("version %d follows %d: an entry was lost, repeated or reordered", u.Entry.Version, prev.Entry.Version)
			}
			from, to := orderly.OrderStatus(prev.Order.Status), orderly.OrderStatus(u.Order.Status)
			if from != to && !from.CanTransitionTo(to) {
				t.Fatalf("status moved %s -> %s, which the lifecycle forbids", from, to)
			}
		}
		if u.Order.Version != u.Entry.Version || u.Order.Status != u.Entry.Status {
			t.Fatalf("event order (v%d %s) is not as of its entry (v%d %s)", u.Order.Version, u.Order.Status, u.Entry.Version, u.Entry.Status)
		}
		events = append(events, ev)
		if orderly.OrderStatus(u.Order.Status).IsFinal() {
			return events
		}
	}
}

// statuses lists the distinct statuses the events went through, in order.
func statuses(events []orderEvent) []string {
	var out []string
	for _, ev := range events {
		s := ev.OrderUpdated.Order.Status
		if len(out) == 0 || out[len(out)-1] != s {
			out = append(out, s)
		}
	}
	return out
}

// TestOrderLiveAcrossProcesses is the thin slice through every layer: the
// seeded catalog from the store, a cart, placeOrder starting an
// OrderWorkflow, the worker (another process) writing each step to the store,
// and a graphql-transport-ws subscription on the server pushing every change,
// first the current state, in order, to COMPLETED.
func TestOrderLiveAcrossProcesses(t *testing.T) {
	a := startApp(t, appOptions{})
	c := a.customer(t)
	if n := len(catalog(t, c)); n < 15 {
		t.Fatalf("seeded catalog has %d products, want about 20", n)
	}
	p := cheapest(t, c, 2)
	addToCart(t, c, p.ID, 2)

	key := fmt.Sprintf("checkout-%d", time.Now().UnixNano())
	order, created := placeOrder(t, c, key)
	if !created {
		t.Fatal("first placeOrder did not create an order")
	}
	sub := c.subscribe(t, orderUpdatedSubscription, map[string]any{"id": order.ID})
	events := followOrder(t, sub, 2*time.Minute)

	got := statuses(events)
	if last := got[len(got)-1]; last != string(orderly.StatusCompleted) {
		t.Fatalf("order ended %s, want COMPLETED; statuses %v", last, got)
	}
	// Whatever the initial event caught up with, the tail must walk the
	// lifecycle's last steps one by one.
	want := []string{"PAYMENT_AUTHORIZED", "SHIPPING", "SHIPPED", "DELIVERED", "COMPLETED"}
	if len(got) < len(want) || fmt.Sprint(got[len(got)-len(want):]) != fmt.Sprint(want) {
		t.Fatalf("statuses %v do not end with %v", got, want)
	}

	// A double submit returns the same order, never a second one.
	again, created := placeOrder(t, c, key)
	if created || again.ID != order.ID {
		t.Fatalf("second placeOrder with the same key: created=%v id=%s, want the first order %s", created, again.ID, order.ID)
	}
}
