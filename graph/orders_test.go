package graph

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly"
)

type placedOrder struct {
	Created bool
	Order   *struct {
		ID      string
		Status  string
		Version int
		Total   struct {
			Amount    int
			Formatted string
		}
		Lines []struct {
			ProductID string
			Quantity  int
			Product   *struct{ ID string }
		}
	}
}

func placeInput(key string, addr map[string]any) map[string]any {
	return map[string]any{"input": map[string]any{"idempotencyKey": key, "shippingAddress": addr}}
}

func TestPlaceOrder(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 2) // 2 × $10.00: shipping $4.99
	var p placedOrder
	if errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput("key-1", validAddress()), &p); len(errs) > 0 {
		t.Fatalf("placeOrder: %+v", errs)
	}
	if !p.Created || p.Order.Status != "RECEIVED" || p.Order.Version != 1 || p.Order.Total.Amount != 2000+499 ||
		len(p.Order.Lines) != 1 || p.Order.Lines[0].Product == nil || p.Order.Lines[0].Product.ID != f.products[0].ID {
		t.Fatalf("order: %+v", p.Order)
	}
	id := p.Order.ID
	stored, err := f.store.FindOrderByID(context.Background(), id)
	if err != nil || stored.CustomerID != f.alice.ID || stored.WorkflowID != orderly.OrderWorkflowIDFor(id) || stored.RunID != "run-"+id || !f.store.started[id] {
		t.Fatalf("stored order: %+v, %v", stored, err)
	}
	if cart, _ := f.store.FindCart(context.Background(), f.alice.ID); len(cart.Lines) != 0 {
		t.Error("the cart was not emptied")
	}

	// A double submit (cart already empty) returns the same order.
	if errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput("key-1", validAddress()), &p); len(errs) > 0 || p.Created || p.Order.ID != id {
		t.Fatalf("resubmit: %+v %+v", errs, p)
	}
	// Even with a refilled cart, the key still names the first order.
	f.addToCart(f.alice, f.products[1], 1)
	if errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput("key-1", validAddress()), &p); len(errs) > 0 || p.Created || p.Order.ID != id {
		t.Fatalf("resubmit with a cart: %+v %+v", errs, p)
	}
	// Bob's identical key is his own.
	f.addToCart(f.bob, f.products[1], 1)
	if errs := f.mutate(f.bobToken, placeOrderMutation, "placeOrder", placeInput("key-1", validAddress()), &p); len(errs) > 0 || !p.Created || p.Order.ID == id {
		t.Fatalf("bob's order: %+v %+v", errs, p)
	}
}

func TestPlaceOrderErrors(t *testing.T) {
	f := newFixture(t)
	bad := func(k string, v any) map[string]any {
		a := validAddress()
		a[k] = v
		return a
	}
	writes := f.store.writes.Load()
	for _, tc := range []struct {
		name        string
		key         string
		addr        map[string]any
		code, field string
		withCartQty int
	}{
		{"empty cart", "k", validAddress(), "INVALID", "input", 0},
		{"empty key", " ", validAddress(), "INVALID", "input.idempotencyKey", 1},
		{"long key", strings.Repeat("k", 101), validAddress(), "INVALID", "input.idempotencyKey", 1},
		{"no city", "k", bad("city", ""), "INVALID", "input.shippingAddress.city", 1},
		{"bad country", "k", bad("country", "usa"), "INVALID", "input.shippingAddress.country", 1},
		{"long line1", "k", bad("line1", strings.Repeat("x", 201)), "INVALID", "input.shippingAddress.line1", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f.store.carts = map[string]orderly.Cart{}
			if tc.withCartQty > 0 {
				f.store.carts[f.alice.ID] = orderly.Cart{CustomerID: f.alice.ID, Version: 1,
					Lines: []orderly.CartLine{{ProductID: f.products[0].ID, Quantity: tc.withCartQty}}}
			}
			var p placedOrder
			errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput(tc.key, tc.addr), &p)
			if !slices.Equal(errs.codes(), []string{tc.code}) || *errs[0].Field != tc.field || p.Order != nil {
				t.Errorf("errors: %+v", errs)
			}
		})
	}
	// Stock fell below the cart's quantity after it was filled.
	f.store.carts[f.alice.ID] = orderly.Cart{CustomerID: f.alice.ID, Version: 1,
		Lines: []orderly.CartLine{{ProductID: f.products[0].ID, Quantity: 5}}}
	f.store.products[f.products[0].ID].Stock = 2
	errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", placeInput("k", validAddress()), nil)
	if !slices.Equal(errs.codes(), []string{"OUT_OF_STOCK"}) {
		t.Errorf("out of stock: %+v", errs)
	}
	if got := f.store.writes.Load(); got != writes || len(f.store.orders) != 0 {
		t.Errorf("rejected orders wrote %d times, %d orders", got-writes, len(f.store.orders))
	}
}

func TestOrderQueries(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	a1 := f.placeOrder(f.aliceToken, "a1")
	f.addToCart(f.alice, f.products[1], 1)
	a2 := f.placeOrder(f.aliceToken, "a2")
	f.addToCart(f.bob, f.products[2], 1)
	b1 := f.placeOrder(f.bobToken, "b1")
	if err := f.store.advance(a1, orderly.StatusValidated); err != nil {
		t.Fatal(err)
	}

	const q = `query($first: Int, $after: String, $filter: OrderFilter) {
	  orders(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id status customer { id email } } } }
	}`
	ids := func(token string, vars map[string]any) []string {
		var got struct {
			Orders struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
		f.ok(token, q, vars, &got)
		var out []string
		for _, e := range got.Orders.Edges {
			out = append(out, e.Node.ID)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		token string
		vars  map[string]any
		want  []string
	}{
		{"own, newest first", f.aliceToken, nil, []string{a2, a1}},
		{"status filter", f.aliceToken, map[string]any{"filter": map[string]any{"statuses": []string{"VALIDATED"}}}, []string{a1}},
		{"bob", f.bobToken, nil, []string{b1}},
		{"customer asking for another's", f.bobToken, map[string]any{"filter": map[string]any{"customerId": f.alice.ID}}, nil},
		{"operator sees all", f.adminToken, nil, []string{b1, a2, a1}},
		{"operator filters by customer", f.adminToken, map[string]any{"filter": map[string]any{"customerId": f.alice.ID}}, []string{a2, a1}},
		{"page", f.adminToken, map[string]any{"first": 1, "after": b1}, []string{a2}},
	} {
		if got := ids(tc.token, tc.vars); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	if r := f.do(f.aliceToken, q, map[string]any{"filter": map[string]any{"statuses": []string{"LOST"}}}); len(r.Errors) == 0 {
		t.Error("an unknown status was accepted")
	}

	const one = `query($id: ID!) { order(id: $id) { id itemCount canCancel canChangeAddress failureReason runId workflowId
	  customer { id } timeline { version kind status detail at } subtotal { amount } shippingCost { amount } shippingAddress { country line2 } } }`
	var got struct {
		Order *struct {
			ID, WorkflowID string
			ItemCount      int
			CanCancel      bool
			FailureReason  *string
			RunID          *string
			Customer       struct{ ID string }
			Timeline       []struct {
				Version      int
				Kind, Status string
			}
		}
	}
	f.ok(f.aliceToken, one, map[string]any{"id": a1}, &got)
	o := got.Order
	if o == nil || o.ID != a1 || o.ItemCount != 1 || !o.CanCancel || o.FailureReason != nil || o.RunID == nil ||
		o.Customer.ID != f.alice.ID || len(o.Timeline) != 2 || o.Timeline[1].Status != "VALIDATED" {
		t.Fatalf("order: %+v", o)
	}
	for _, tc := range []struct{ token, id string }{{f.bobToken, a1}, {f.aliceToken, "ord_missing"}, {f.aliceToken, strings.Repeat("x", 1000)}} {
		got.Order = nil
		f.ok(tc.token, one, map[string]any{"id": tc.id}, &got)
		if got.Order != nil {
			t.Errorf("order %q visible: %+v", tc.id, got.Order)
		}
	}
	got.Order = nil
	f.ok(f.adminToken, one, map[string]any{"id": a1}, &got)
	if got.Order == nil || got.Order.Customer.ID != f.alice.ID {
		t.Errorf("operator: %+v", got.Order)
	}
}

func TestOperatorOrderFields(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	id := f.placeOrder(f.aliceToken, "k")
	f.store.pending[id] = []orderly.FailureInjection{{Step: orderly.StepPayment, Mode: orderly.FailureTimeout}}
	const q = `query($id: ID!) { order(id: $id) { temporalUrl workflowState { status canCancel pendingFailures { step mode } } } }`
	var got struct {
		Order struct {
			TemporalURL   *string
			WorkflowState *struct {
				Status          string
				PendingFailures []struct{ Step, Mode string }
			}
		}
	}
	f.ok(f.adminToken, q, map[string]any{"id": id}, &got)
	if want := "http://temporal.test:8233/namespaces/default/workflows/order_" + id; got.Order.TemporalURL == nil || *got.Order.TemporalURL != want {
		t.Errorf("temporalUrl: %v, want %s", got.Order.TemporalURL, want)
	}
	if s := got.Order.WorkflowState; s == nil || s.Status != "RECEIVED" || len(s.PendingFailures) != 1 || s.PendingFailures[0].Mode != "TIMEOUT" {
		t.Errorf("workflowState: %+v", s)
	}
	r := f.do(f.aliceToken, q, map[string]any{"id": id})
	if !slices.Equal(r.codes(), []string{"FORBIDDEN", "FORBIDDEN"}) {
		t.Errorf("customer reading operator fields: %+v", r.Errors)
	}
	// Once the workflow has ended the live state is null, without error.
	if err := f.store.advance(id, orderly.StatusFailed); err != nil {
		t.Fatal(err)
	}
	f.ok(f.adminToken, q, map[string]any{"id": id}, &got)
	if got.Order.WorkflowState != nil {
		t.Errorf("ended workflow state: %+v", got.Order.WorkflowState)
	}
}

const (
	cancelMutation  = `mutation($input: CancelOrderInput!) { cancelOrder(input: $input) { order { id status failureReason } errors { code message field } } }`
	addressMutation = `mutation($input: UpdateShippingAddressInput!) { updateShippingAddress(input: $input) {
	  order { id shippingAddress { city } } errors { code message field } } }`
	approveMutation  = `mutation($input: ApproveOrderInput!) { approveOrder(input: $input) { order { id status } errors { code message field } } }`
	rejectMutation   = `mutation($input: RejectOrderInput!) { rejectOrder(input: $input) { order { id status failureReason } errors { code message field } } }`
	simulateMutation = `mutation($input: SimulateFailureInput!) { simulateFailure(input: $input) { order { id } errors { code message field } } }`
)

type orderPayload struct {
	Order *struct {
		ID, Status      string
		FailureReason   *string
		ShippingAddress struct{ City string }
	}
}

func TestOrderMutations(t *testing.T) {
	f := newFixture(t)
	newOrder := func(statuses ...orderly.OrderStatus) string {
		f.addToCart(f.alice, f.products[0], 1)
		id := f.placeOrder(f.aliceToken, orderly.NewID("key"))
		if err := f.store.advance(id, statuses...); err != nil {
			t.Fatal(err)
		}
		return id
	}
	var p orderPayload
	check := func(name string, errs payloadErrors, code string) {
		t.Helper()
		if code == "" && len(errs) > 0 || code != "" && !slices.Equal(errs.codes(), []string{code}) {
			t.Errorf("%s: got %+v, want %q", name, errs, code)
		}
	}

	paid := newOrder(orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusPaid)
	check("cancel after payment", f.mutate(f.aliceToken, cancelMutation, "cancelOrder", map[string]any{"input": map[string]any{"orderId": paid, "reason": "changed my mind"}}, &p), "")
	if p.Order.Status != "CANCELLED" || *p.Order.FailureReason != "changed my mind" {
		t.Errorf("cancelled order: %+v", p.Order)
	}
	check("cancel again", f.mutate(f.aliceToken, cancelMutation, "cancelOrder", map[string]any{"input": map[string]any{"orderId": paid}}, &p), "CONFLICT")
	shipped := newOrder(orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusPaid, orderly.StatusShipping, orderly.StatusShipped)
	check("cancel shipped", f.mutate(f.aliceToken, cancelMutation, "cancelOrder", map[string]any{"input": map[string]any{"orderId": shipped}}, &p), "CONFLICT")
	check("cancel unknown", f.mutate(f.aliceToken, cancelMutation, "cancelOrder", map[string]any{"input": map[string]any{"orderId": "ord_x"}}, &p), "NOT_FOUND")
	check("cancel long reason", f.mutate(f.aliceToken, cancelMutation, "cancelOrder", map[string]any{"input": map[string]any{"orderId": newOrder(), "reason": strings.Repeat("r", 501)}}, &p), "INVALID")

	open := newOrder()
	addr := validAddress()
	addr["city"] = "Shelbyville"
	check("change address", f.mutate(f.aliceToken, addressMutation, "updateShippingAddress", map[string]any{"input": map[string]any{"orderId": open, "shippingAddress": addr}}, &p), "")
	if p.Order.ShippingAddress.City != "Shelbyville" {
		t.Errorf("address: %+v", p.Order)
	}
	addr["country"] = "Atlantis"
	check("bad address", f.mutate(f.aliceToken, addressMutation, "updateShippingAddress", map[string]any{"input": map[string]any{"orderId": open, "shippingAddress": addr}}, &p), "INVALID")
	check("address after dispatch", f.mutate(f.aliceToken, addressMutation, "updateShippingAddress", map[string]any{"input": map[string]any{"orderId": shipped, "shippingAddress": validAddress()}}, &p), "CONFLICT")

	held := newOrder(orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusAwaitingApproval)
	check("approve not held", f.mutate(f.adminToken, approveMutation, "approveOrder", map[string]any{"input": map[string]any{"orderId": open}}, &p), "CONFLICT")
	check("approve", f.mutate(f.adminToken, approveMutation, "approveOrder", map[string]any{"input": map[string]any{"orderId": held}}, &p), "")
	if p.Order.Status != "APPROVED" {
		t.Errorf("approved: %+v", p.Order)
	}
	check("approve unknown", f.mutate(f.adminToken, approveMutation, "approveOrder", map[string]any{"input": map[string]any{"orderId": "ord_nope"}}, &p), "NOT_FOUND")

	held2 := newOrder(orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusAwaitingApproval)
	check("reject without reason", f.mutate(f.adminToken, rejectMutation, "rejectOrder", map[string]any{"input": map[string]any{"orderId": held2, "reason": "  "}}, &p), "INVALID")
	check("reject", f.mutate(f.adminToken, rejectMutation, "rejectOrder", map[string]any{"input": map[string]any{"orderId": held2, "reason": "suspicious"}}, &p), "")
	if p.Order.Status != "CANCELLED" || *p.Order.FailureReason != "suspicious" {
		t.Errorf("rejected: %+v", p.Order)
	}
	check("reject ended", f.mutate(f.adminToken, rejectMutation, "rejectOrder", map[string]any{"input": map[string]any{"orderId": held2, "reason": "again"}}, &p), "CONFLICT")

	sim := map[string]any{"orderId": open, "step": "PAYMENT", "mode": "PERMANENT"}
	check("simulate", f.mutate(f.adminToken, simulateMutation, "simulateFailure", map[string]any{"input": sim}, &p), "")
	if got := f.store.pending[open]; len(got) != 1 || got[0] != (orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailurePermanent}) {
		t.Errorf("pending failures: %+v", got)
	}
	sim["orderId"] = paid
	check("simulate ended", f.mutate(f.adminToken, simulateMutation, "simulateFailure", map[string]any{"input": sim}, &p), "CONFLICT")
	sim["mode"] = "SOMETIMES"
	if r := f.do(f.adminToken, simulateMutation, map[string]any{"input": sim}); len(r.Errors) == 0 {
		t.Error("an unknown failure mode was accepted")
	}
}
