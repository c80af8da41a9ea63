package graph

import (
	"fmt"
	"testing"

	"github.com/orderly-shop/orderly"
)

// TestDataloadersBatch lists many orders with their lines' products and
// their customers, and checks that each kind is fetched in one batch per
// request rather than once per item (no N+1).
func TestDataloadersBatch(t *testing.T) {
	f := newFixture(t)
	for i := range 8 {
		c, token := f.alice, f.aliceToken
		if i%2 == 1 {
			c, token = f.bob, f.bobToken
		}
		f.addToCart(c, f.products[i%len(f.products)], 1)
		f.addToCart(c, f.products[(i+1)%len(f.products)], 1)
		f.placeOrder(token, fmt.Sprint("k", i))
	}
	f.store.productBatches.Store(0)
	f.store.customerBatches.Store(0)
	var got struct {
		Orders struct {
			Edges []struct {
				Node struct {
					Customer struct{ Email string }
					Lines    []struct{ Product *struct{ Name string } }
				}
			}
		}
	}
	f.ok(f.adminToken, `{ orders(first: 50) { edges { node { customer { email } lines { product { name } } } } } }`, nil, &got)
	if len(got.Orders.Edges) != 8 {
		t.Fatalf("%d orders", len(got.Orders.Edges))
	}
	for _, e := range got.Orders.Edges {
		if e.Node.Customer.Email == "" || len(e.Node.Lines) != 2 || e.Node.Lines[0].Product == nil {
			t.Fatalf("order: %+v", e.Node)
		}
	}
	// One batch each; a very busy machine may split a batching window in
	// two, but never approach one fetch per item (16 lines, 8 orders).
	if n := f.store.productBatches.Load(); n < 1 || n > 2 {
		t.Errorf("products fetched in %d batches, want 1", n)
	}
	if n := f.store.customerBatches.Load(); n < 1 || n > 2 {
		t.Errorf("customers fetched in %d batches, want 1", n)
	}
	// A second request gets fresh loaders: nothing is cached across requests.
	f.store.products[f.products[0].ID].Name = "Renamed"
	f.ok(f.adminToken, `{ orders(first: 50) { edges { node { lines { product { name } } } } } }`, nil, &got)
	found := false
	for _, e := range got.Orders.Edges {
		for _, l := range e.Node.Lines {
			found = found || l.Product.Name == "Renamed"
		}
	}
	if !found || f.store.productBatches.Load() < 2 {
		t.Errorf("second request: renamed=%v batches=%d", found, f.store.productBatches.Load())
	}
}

// TestNotificationOrdersBatch: the orders of a page of notifications are
// read in one batch, and only when they belong to the notification's owner.
func TestNotificationOrdersBatch(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	aOrder := f.placeOrder(f.aliceToken, "a")
	f.addToCart(f.bob, f.products[0], 1)
	bOrder := f.placeOrder(f.bobToken, "b")
	for i := range 5 {
		_ = f.store.Notify(t.Context(), orderly.Notification{ID: fmt.Sprint("n", i), CustomerID: f.alice.ID, OrderID: aOrder, Title: "x"})
	}
	// A notification of Alice's that (wrongly) names Bob's order must not show it.
	_ = f.store.Notify(t.Context(), orderly.Notification{ID: "odd", CustomerID: f.alice.ID, OrderID: bOrder, Title: "x"})
	f.store.orderBatches.Store(0)
	var got struct {
		Notifications struct {
			Edges []struct {
				Node struct {
					ID    string
					Order *struct{ ID string }
				}
			}
		}
	}
	f.ok(f.aliceToken, `{ notifications { edges { node { id order { id } } } } }`, nil, &got)
	for _, e := range got.Notifications.Edges {
		if e.Node.ID == "odd" && e.Node.Order != nil || e.Node.ID != "odd" && (e.Node.Order == nil || e.Node.Order.ID != aOrder) {
			t.Errorf("notification %s: order %+v", e.Node.ID, e.Node.Order)
		}
	}
	if n := f.store.orderBatches.Load(); n < 1 || n > 2 {
		t.Errorf("orders fetched in %d batches, want 1", n)
	}
}

// TestSubscriptionEventsGetFreshLoaders: each subscription event resolves
// with new loaders, so a product renamed between events shows its new name.
func TestSubscriptionEventsGetFreshLoaders(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	id := f.placeOrder(f.aliceToken, "k")
	c := mustDialWS(t, f.serve())
	c.initWith(f.aliceToken)
	c.subscribe("1", `subscription($id: ID!) { orderUpdated(id: $id) { order { lines { product { name } } } } }`, map[string]any{"id": id})
	var ev struct {
		OrderUpdated struct {
			Order struct {
				Lines []struct{ Product struct{ Name string } }
			}
		}
	}
	c.expectNext("1", &ev)
	if got := ev.OrderUpdated.Order.Lines[0].Product.Name; got != f.products[0].Name {
		t.Fatalf("first event: %q", got)
	}
	f.store.mu.Lock()
	f.store.products[f.products[0].ID].Name = "Renamed"
	f.store.mu.Unlock()
	if err := f.store.advance(id, orderly.StatusValidated); err != nil {
		t.Fatal(err)
	}
	c.expectNext("1", &ev)
	if got := ev.OrderUpdated.Order.Lines[0].Product.Name; got != "Renamed" {
		t.Errorf("second event: %q", got)
	}
}
