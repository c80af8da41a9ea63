package e2e

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

const placeOrderMutation = `mutation($k: String!) { placeOrder(input: {idempotencyKey: $k, shippingAddress: {
	name: "Ada Lovelace", line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB"}}) {
	order { id lines { productId quantity } } created errors { code message } } }`

// placeResult is one placeOrder answer.
type placeResult struct {
	Order *struct {
		ID    string
		Lines []struct {
			ProductID string
			Quantity  int
		}
	}
	Created bool
	Errors  []userError
}

func tryPlaceOrder(t testing.TB, c *client, key string) placeResult {
	t.Helper()
	var out struct{ PlaceOrder placeResult }
	c.mustDo(t, placeOrderMutation, map[string]any{"k": key}, &out)
	return out.PlaceOrder
}

// cartLines returns the caller's cart as product ID → quantity.
func cartLines(t testing.TB, c *client) map[string]int {
	t.Helper()
	var out struct {
		Cart struct {
			Lines []struct {
				Product  struct{ ID string }
				Quantity int
			}
		}
	}
	c.mustDo(t, `{ cart { lines { product { id } quantity } } }`, nil, &out)
	lines := map[string]int{}
	for _, l := range out.Cart.Lines {
		lines[l.Product.ID] = l.Quantity
	}
	return lines
}

// TestCheckoutTwoTabs is the outside tester's finding: ten concurrent
// placeOrder calls on one one-item cart, with ten different idempotency
// keys, made ten orders and ten charges. Now the cart's contents become one
// order: every caller gets that order or a CONFLICT, one unit is reserved,
// one payment taken.
func TestCheckoutTwoTabs(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Hour)
	c := s.register(t, "tabs")
	p := cheapest(t, c, 5)
	stockBefore := productStock(t, c, p.ID)
	addToCart(t, c, p.ID, 1)

	var wg sync.WaitGroup
	results := make([]placeResult, 10)
	for i := range results {
		wg.Go(func() { results[i] = tryPlaceOrder(t, c, fmt.Sprintf("tab-%d", i)) })
	}
	wg.Wait()
	ids := map[string]bool{}
	created, conflicts := 0, 0
	for i, r := range results {
		switch {
		case r.Order != nil:
			ids[r.Order.ID] = true
			if r.Created {
				created++
			}
		case len(r.Errors) == 1 && r.Errors[0].Code == orderly.ECONFLICT:
			conflicts++
		default:
			t.Errorf("tab %d: %+v", i, r.Errors)
		}
	}
	if len(ids) != 1 || created != 1 {
		t.Fatalf("ten tabs made orders %v (%d created, %d conflicts); want one order", ids, created, conflicts)
	}
	var out struct{ Orders struct{ TotalCount int } }
	c.mustDo(t, `{ orders(first: 10) { totalCount } }`, nil, &out)
	if out.Orders.TotalCount != 1 {
		t.Fatalf("the customer has %d orders, want 1", out.Orders.TotalCount)
	}
	for id := range ids {
		final := waitFinal(t, c, id, time.Minute, orderly.StatusCompleted)
		if ps := db.providerPayments(t, id); len(ps) != 1 || !final.captured() {
			t.Errorf("provider payments %v, ledger %+v; want one payment, captured", ps, final.Ledger)
		}
		if got := waitStock(t, c, p.ID, stockBefore-1); got != stockBefore-1 {
			t.Errorf("stock %d, want %d: one unit taken", got, stockBefore-1)
		}
		if len(final.Lines) != 1 || final.Lines[0].Quantity != 1 {
			t.Errorf("order lines %+v", final.Lines)
		}
	}
	t.Logf("10 tabs: %d answered with the order, %d with a CONFLICT", 10-conflicts, conflicts)
}

// TestCheckoutKeepsALineAddedDuringIt is the second finding: addToCart at
// the moment of placeOrder returned a cart with both items, the order held
// only the first, and then the cart was emptied. Every round here adds a
// second product while checking out the first: each unit ends either in the
// order or in the cart, never in both, never in neither.
func TestCheckoutKeepsALineAddedDuringIt(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	s.setApproval(t, orderly.ApprovalNever, time.Hour)
	c := s.register(t, "adder")
	ps := catalog(t, c)
	first, second := ps[0], ps[1]
	const rounds = 8
	for round := range rounds {
		addToCart(t, c, first.ID, 1)
		var wg sync.WaitGroup
		var placed placeResult
		wg.Go(func() { placed = tryPlaceOrder(t, c, fmt.Sprintf("round-%d", round)) })
		wg.Go(func() { addToCart(t, c, second.ID, 1) })
		wg.Wait()
		if placed.Order == nil {
			t.Fatalf("round %d: placeOrder: %+v", round, placed.Errors)
		}
		ordered := map[string]int{}
		for _, l := range placed.Order.Lines {
			ordered[l.ProductID] += l.Quantity
		}
		inCart := cartLines(t, c)
		for _, id := range []string{first.ID, second.ID} {
			if ordered[id]+inCart[id] != 1 {
				t.Errorf("round %d: %s is %d in the order and %d in the cart; want exactly one of the two",
					round, id, ordered[id], inCart[id])
			}
		}
		// Order what the cart kept, so that each round starts empty.
		if len(inCart) > 0 {
			if r := tryPlaceOrder(t, c, fmt.Sprintf("round-%d-rest", round)); r.Order == nil {
				t.Fatalf("round %d: ordering the rest: %+v", round, r.Errors)
			}
		}
	}
}
