package mongodb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// newOrder is what a checkout of two lamps under key makes; a random key
// for "".
func newOrder(customerID, key string) *orderly.Order {
	if key == "" {
		key = orderly.NewID("key")
	}
	lamp := &orderly.Product{ID: "prd_a", SKU: "A-1", Name: "Lamp", Price: orderly.USD(4900), Stock: 10}
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: customerID, IdempotencyKey: key,
		ShippingAddress: orderly.Address{
			Name: "Ada Lovelace", Line1: "12 St James's Square", City: "London", PostalCode: "SW1Y 4JH", Country: "GB",
		},
		Lines: []orderly.PricedCartLine{{Product: lamp, Quantity: 2, UnitPrice: lamp.Price, LineTotal: lamp.Price.Times(2)}},
		At:    time.Now(),
	})
	if err != nil {
		panic(err)
	}
	return o
}

func createOrder(t testing.TB, os *OrderService, customerID, key string) *orderly.Order {
	t.Helper()
	o, created, err := os.CreateOrder(context.Background(), newOrder(customerID, key))
	if err != nil || !created {
		t.Fatalf("create order: created=%v err=%v", created, err)
	}
	return o
}

func TestCreateOrder(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	o := createOrder(t, svc, "cus_a", "k1")
	switch {
	case !strings.HasPrefix(o.ID, "ord_"):
		t.Errorf("ID = %q", o.ID)
	case o.Status != orderly.StatusReceived || o.Version != 1:
		t.Errorf("status %s version %d, want RECEIVED 1", o.Status, o.Version)
	case len(o.Timeline) != 1 || o.Timeline[0].Version != 1 || o.Timeline[0].Status != orderly.StatusReceived:
		t.Errorf("timeline = %+v", o.Timeline)
	case o.WorkflowID != orderly.OrderWorkflowIDFor(o.ID):
		t.Errorf("workflow ID = %q", o.WorkflowID)
	case o.CreatedAt.IsZero() || !o.UpdatedAt.Equal(o.CreatedAt):
		t.Errorf("createdAt %v updatedAt %v", o.CreatedAt, o.UpdatedAt)
	}
	got, err := svc.FindOrderByID(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, o) {
		t.Errorf("read back:\n%+v\nwant\n%+v", got, o)
	}
	_, err = svc.FindOrderByID(ctx, "ord_nope")
	wantCode(t, err, orderly.ENOTFOUND)
}

func TestCreateOrderIsIdempotentPerCustomerAndKey(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	first := createOrder(t, svc, "cus_a", "checkout-1")

	again, created, err := svc.CreateOrder(ctx, newOrder("cus_a", "checkout-1"))
	if err != nil || created || again.ID != first.ID || !again.CreatedAt.Equal(first.CreatedAt) {
		t.Fatalf("same key: id %s created %v err %v; want the first order %s", again.ID, created, err, first.ID)
	}
	if again.IdempotencyKey != "checkout-1" {
		t.Errorf("idempotency key read back as %q", again.IdempotencyKey)
	}
	// Keys are per customer.
	if other := createOrder(t, svc, "cus_b", "checkout-1"); other.ID == first.ID {
		t.Fatal("another customer's key returned the first order")
	}
	// The key finds the order, by ID.
	byKey, err := svc.FindOrderByID(ctx, orderly.OrderIDFor("cus_a", "checkout-1"))
	if err != nil || byKey.ID != first.ID {
		t.Fatalf("order of the key = %v, %v; want %s", byKey, err, first.ID)
	}
	// Another customer's order under the same ID is a conflict, not theirs.
	o := newOrder("cus_z", "checkout-2")
	o.ID = first.ID
	_, _, err = svc.CreateOrder(ctx, o)
	wantCode(t, err, orderly.ECONFLICT)
}

func TestCreateOrderDoubleSubmitRace(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[string]int{}
	createdCount := 0
	for range 10 {
		wg.Go(func() {
			o, created, err := svc.CreateOrder(ctx, newOrder("cus_a", "double-click"))
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			ids[o.ID]++
			if created {
				createdCount++
			}
		})
	}
	wg.Wait()
	if len(ids) != 1 || createdCount != 1 {
		t.Fatalf("10 racing submits made orders %v, %d created; want one", ids, createdCount)
	}
}

func TestCreateOrderRejectsBadInput(t *testing.T) {
	svc := NewOrderService(newTestDB(t))
	tests := []struct {
		name  string
		order func() *orderly.Order
	}{
		{"no customer", func() *orderly.Order { o := newOrder("cus_a", "k"); o.CustomerID = ""; return o }},
		{"no ID", func() *orderly.Order { o := newOrder("cus_a", "k"); o.ID = ""; return o }},
		{"no lines", func() *orderly.Order { o := newOrder("cus_a", "k"); o.Lines = nil; return o }},
		{"not new", func() *orderly.Order { o := newOrder("cus_a", "k"); o.Version = 2; return o }},
		{"totals that do not add up", func() *orderly.Order { o := newOrder("cus_a", "k"); o.Total.Amount++; return o }},
		{"free shipping it did not earn", func() *orderly.Order {
			o := newOrder("cus_a", "k")
			o.Lines[0].Quantity, o.Lines[0].LineTotal = 1, o.Lines[0].UnitPrice
			o.Subtotal, o.ShippingCost, o.Total = o.Lines[0].LineTotal, orderly.USD(0), o.Lines[0].LineTotal
			return o
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := svc.CreateOrder(context.Background(), tt.order())
			wantCode(t, err, orderly.EINVALID)
		})
	}
}

func TestFindOrders(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	// Orders are listed by createdAt, which has millisecond precision, then
	// by ID; the pauses give each order its own millisecond, so that the
	// expected order is the creation order.
	var mine []*orderly.Order
	for i := range 7 {
		mine = append(mine, createOrder(t, svc, "cus_a", fmt.Sprint("k", i)))
		time.Sleep(2 * time.Millisecond)
	}
	theirs := createOrder(t, svc, "cus_b", "k0")
	time.Sleep(5 * time.Millisecond) // the update's updatedAt is after every createdAt
	validated, err := svc.ApplyOrderEvent(ctx, mine[2].ID, orderly.OrderEvent{ID: "validated", Status: orderly.StatusValidated})
	if err != nil {
		t.Fatal(err)
	}

	// A customer's orders, newest first, three at a time.
	var got []string
	page := orderly.PageRequest{First: 3}
	for {
		p, err := svc.FindOrders(ctx, orderly.OrderFilter{CustomerID: "cus_a", Page: page})
		if err != nil {
			t.Fatal(err)
		}
		if p.TotalCount != 7 {
			t.Fatalf("TotalCount = %d, want 7", p.TotalCount)
		}
		for _, o := range p.Items {
			got = append(got, o.ID)
		}
		if !p.HasNextPage {
			break
		}
		page.After = p.Cursors[len(p.Cursors)-1]
	}
	var want []string
	for i := len(mine) - 1; i >= 0; i-- {
		want = append(want, mine[i].ID)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pages = %v\nwant    %v", got, want)
	}

	p, err := svc.FindOrders(ctx, orderly.OrderFilter{Statuses: []orderly.OrderStatus{orderly.StatusValidated, orderly.StatusPaid}})
	if err != nil || p.TotalCount != 1 || p.Items[0].ID != mine[2].ID {
		t.Errorf("by status: %+v, %v", p, err)
	}
	p, err = svc.FindOrders(ctx, orderly.OrderFilter{UpdatedSince: validated.UpdatedAt})
	if err != nil || p.TotalCount != 1 || p.Items[0].ID != mine[2].ID {
		t.Errorf("updated since %v: %+v, %v", validated.UpdatedAt, p, err)
	}
	p, err = svc.FindOrders(ctx, orderly.OrderFilter{CustomerID: "cus_b", UpdatedSince: validated.UpdatedAt})
	if err != nil || p.TotalCount != 0 {
		t.Errorf("cus_b updated since: %+v, %v", p, err)
	}
	p, err = svc.FindOrders(ctx, orderly.OrderFilter{})
	if err != nil || p.TotalCount != 8 || p.Items[0].ID != theirs.ID {
		t.Errorf("all orders: total %d, first %v, %v", p.TotalCount, p.Items[0].ID, err)
	}
	_, err = svc.FindOrders(ctx, orderly.OrderFilter{Statuses: []orderly.OrderStatus{"SHIPPED_TO_MARS"}})
	wantCode(t, err, orderly.EINVALID)
	_, err = svc.FindOrders(ctx, orderly.OrderFilter{Page: orderly.PageRequest{After: "garbage"}})
	wantCode(t, err, orderly.EINVALID)

	byIDs, err := svc.FindOrdersByIDs(ctx, []string{mine[0].ID, theirs.ID, "ord_nope"})
	if err != nil || len(byIDs) != 2 {
		t.Errorf("by IDs: %d orders, %v", len(byIDs), err)
	}
}

func TestApplyOrderEvent(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	o := createOrder(t, svc, "cus_a", "")

	steps := []orderly.OrderEvent{
		{ID: "validated", Status: orderly.StatusValidated, Detail: "Order validated"},
		{ID: "reserved", Status: orderly.StatusInventoryReserved},
		{ID: "approval-skipped", Kind: orderly.EntryInfo, Detail: "No approval needed"},
		{ID: "paid", Status: orderly.StatusPaid, Payment: &orderly.Payment{ID: "pay_x", OrderID: o.ID, Amount: orderly.USD(10300), Status: orderly.PaymentCharged}},
		{ID: "address", Kind: orderly.EntryInfo, Address: &orderly.Address{Name: "Ada", Line1: "1 Main St", City: "Paris", PostalCode: "75001", Country: "FR"}},
		{ID: "shipping", Status: orderly.StatusShipping, Shipment: &orderly.Shipment{ID: "shp_1", Carrier: "UPS", Status: orderly.ShipmentLabelCreated}},
		{ID: "shp_2-label", Kind: orderly.EntryInfo, Shipment: &orderly.Shipment{ID: "shp_2", Carrier: "DHL", Status: orderly.ShipmentLabelCreated}},
		// Before either parcel left: the order stays SHIPPING (its parcels decide, orderly.FulfillmentStatus).
		{ID: "shp_1-pickup", Kind: orderly.EntryInfo, Shipment: &orderly.Shipment{ID: "shp_1", Carrier: "UPS", Status: orderly.ShipmentPickupScheduled, TrackingNumber: "1Z"}},
	}
	var got *orderly.Order
	for _, e := range steps {
		var err error
		if got, err = svc.ApplyOrderEvent(ctx, o.ID, e); err != nil {
			t.Fatalf("%s: %v", e.ID, err)
		}
	}
	if got.Version != 1+len(steps) || len(got.Timeline) != 1+len(steps) || got.Status != orderly.StatusShipping {
		t.Fatalf("version %d, %d entries, status %s", got.Version, len(got.Timeline), got.Status)
	}
	for i, te := range got.Timeline {
		if te.Version != i+1 {
			t.Errorf("entry %d has version %d", i, te.Version)
		}
	}
	if e := got.Timeline[3]; e.Kind != orderly.EntryInfo || e.Status != orderly.StatusInventoryReserved || e.Detail != "No approval needed" {
		t.Errorf("info entry = %+v", e)
	}
	if e := got.Timeline[1]; e.Kind != orderly.EntryStatus || e.Status != orderly.StatusValidated {
		t.Errorf("status entry = %+v", e)
	}
	if got.Payment == nil || got.Payment.ID != "pay_x" {
		t.Errorf("payment = %+v", got.Payment)
	}
	if got.ShippingAddress.City != "Paris" {
		t.Errorf("address = %+v", got.ShippingAddress)
	}
	if len(got.Shipments) != 2 || got.Shipments[0].Status != orderly.ShipmentPickupScheduled || got.Shipments[0].TrackingNumber != "1Z" || got.Shipments[1].ID != "shp_2" {
		t.Errorf("shipments = %+v", got.Shipments)
	}
	if !got.UpdatedAt.After(o.UpdatedAt) && !got.UpdatedAt.Equal(o.UpdatedAt) {
		t.Errorf("updatedAt went back: %v < %v", got.UpdatedAt, o.UpdatedAt)
	}

	// A retried event is a no-op, even one whose status move is no longer allowed.
	again, err := svc.ApplyOrderEvent(ctx, o.ID, steps[1])
	if err != nil || again.Version != got.Version {
		t.Fatalf("replayed event: version %d, %v; want %d, nil", again.Version, err, got.Version)
	}

	// A forbidden move is a conflict and changes nothing.
	_, err = svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "back", Status: orderly.StatusValidated})
	wantCode(t, err, orderly.ECONFLICT)
	// Failure path: refund (an order cannot end keeping the charge), then
	// fail with a reason.
	refunded := &orderly.Payment{ID: "pay_x", OrderID: o.ID, Amount: orderly.USD(10300), Status: orderly.PaymentRefunded}
	if _, err := svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "refunded", Kind: orderly.EntryCompensation, Status: orderly.StatusRefunded, Payment: refunded}); err != nil {
		t.Fatal(err)
	}
	final, err := svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "failed", Status: orderly.StatusFailed, FailureReason: "carrier lost the parcel"})
	if err != nil {
		t.Fatal(err)
	}
	if final.Status != orderly.StatusFailed || final.FailureReason != "carrier lost the parcel" || final.Timeline[len(final.Timeline)-2].Kind != orderly.EntryCompensation {
		t.Errorf("final order: %s %q", final.Status, final.FailureReason)
	}
	_, err = svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "revive", Status: orderly.StatusPaid})
	wantCode(t, err, orderly.ECONFLICT)
	stored, err := svc.FindOrderByID(ctx, o.ID)
	if err != nil || stored.Version != final.Version {
		t.Fatalf("stored version %d, want %d (%v)", stored.Version, final.Version, err)
	}
}

func TestApplyOrderEventErrors(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	o := createOrder(t, svc, "cus_a", "")
	tests := []struct {
		name    string
		orderID string
		event   orderly.OrderEvent
		code    string
	}{
		{"unknown order", "ord_nope", orderly.OrderEvent{ID: "e"}, orderly.ENOTFOUND},
		{"no event ID", o.ID, orderly.OrderEvent{Status: orderly.StatusValidated}, orderly.EINVALID},
		{"unknown status", o.ID, orderly.OrderEvent{ID: "e", Status: "LOST"}, orderly.EINVALID},
		{"unknown kind", o.ID, orderly.OrderEvent{ID: "e", Kind: "GOSSIP"}, orderly.EINVALID},
		{"bad address", o.ID, orderly.OrderEvent{ID: "e", Address: &orderly.Address{Name: "x"}}, orderly.EINVALID},
		{"skipping steps", o.ID, orderly.OrderEvent{ID: "e", Status: orderly.StatusShipped}, orderly.ECONFLICT},
		{"same status again", o.ID, orderly.OrderEvent{ID: "e", Status: orderly.StatusReceived}, orderly.ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.ApplyOrderEvent(ctx, tt.orderID, tt.event)
			wantCode(t, err, tt.code)
		})
	}
}

// TestApplyOrderEventConcurrently has 8 writers apply 40 events, each event
// by two writers, in random orders: every event lands exactly once, and the
// versions run 1..41 without a gap.
func TestApplyOrderEventConcurrently(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	svc := NewOrderService(db)
	o := createOrder(t, svc, "cus_a", "")
	const events, writers = 40, 8
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			var mine []int
			for i := range events {
				if i%(writers/2) == w%(writers/2) { // each event goes to two writers
					mine = append(mine, i)
				}
			}
			rand.Shuffle(len(mine), func(i, j int) { mine[i], mine[j] = mine[j], mine[i] })
			for _, i := range mine {
				e := orderly.OrderEvent{ID: fmt.Sprintf("tracking-%02d", i), Kind: orderly.EntryInfo, Detail: fmt.Sprint("scan ", i)}
				if _, err := svc.ApplyOrderEvent(ctx, o.ID, e); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	got, err := svc.FindOrderByID(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Version != events+1 || len(got.Timeline) != events+1 {
		t.Fatalf("version %d with %d entries, want %d", got.Version, len(got.Timeline), events+1)
	}
	seen := map[string]bool{}
	for i, e := range got.Timeline {
		if e.Version != i+1 {
			t.Errorf("entry %d has version %d", i, e.Version)
		}
		if seen[e.EventID] {
			t.Errorf("event %s applied twice", e.EventID)
		}
		seen[e.EventID] = true
	}
}

func TestSetOrderRun(t *testing.T) {
	ctx := context.Background()
	svc := NewOrderService(newTestDB(t))
	o := createOrder(t, svc, "cus_a", "")
	if err := svc.SetOrderRun(ctx, o.ID, "run-1"); err != nil {
		t.Fatal(err)
	}
	got, err := svc.FindOrderByID(ctx, o.ID)
	if err != nil || got.RunID != "run-1" || got.Version != 1 {
		t.Fatalf("run %q version %d, %v", got.RunID, got.Version, err)
	}
	wantCode(t, svc.SetOrderRun(ctx, "ord_nope", "run-1"), orderly.ENOTFOUND)
}

// TestApplyOrderEventFromTwoProcesses alternates two OrderServices (two
// processes, each remembering the order as it last wrote it) on one order:
// a remembered copy that the other process has moved past costs a retry,
// never an entry, and an event one applied is a no-op for the other.
func TestApplyOrderEventFromTwoProcesses(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	a, b := NewOrderService(db), NewOrderService(db)
	o := createOrder(t, a, "cus_a", "")
	for i := range 10 {
		w := a
		if i%2 == 1 {
			w = b
		}
		e := orderly.OrderEvent{ID: fmt.Sprint("e", i), Kind: orderly.EntryInfo}
		if _, err := w.ApplyOrderEvent(ctx, o.ID, e); err != nil {
			t.Fatal(err)
		}
		// The same event through the other process changes nothing.
		other := b
		if w == b {
			other = a
		}
		if got, err := other.ApplyOrderEvent(ctx, o.ID, e); err != nil || got.Version != i+2 {
			t.Fatalf("repeat of e%d through the other process: version %d, %v; want %d", i, got.Version, err, i+2)
		}
	}
	got, err := a.FindOrderByID(ctx, o.ID)
	if err != nil || got.Version != 11 || len(got.Timeline) != 11 {
		t.Fatalf("final order: version %d with %d entries (%v); want 11", got.Version, len(got.Timeline), err)
	}
	for i, e := range got.Timeline {
		if e.Version != i+1 {
			t.Errorf("entry %d has version %d", i, e.Version)
		}
	}
}
