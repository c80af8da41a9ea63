package mongodb

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/paysim"
)

// TestPaysimStoreMovesMoneyOnce runs the simulated provider on the real
// store: repeated calls under one key move money once, and captures racing
// under different keys never take more than is held.
func TestPaysimStoreMovesMoneyOnce(t *testing.T) {
	ctx := context.Background()
	store := NewPaysimStore(newTestDB(t))
	p := paysim.New(store, paysim.Options{AuthorizationTTL: time.Hour})
	method, _ := orderly.NewCardPaymentMethod("card", "4242424242424242")
	req := orderly.AuthorizeRequest{IdempotencyKey: "auth:ord_1:1", Reference: "ord_1", Amount: orderly.USD(1000), Method: method}
	first, err := p.Authorize(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	again, err := p.Authorize(ctx, req)
	if err != nil || again != first {
		t.Fatalf("repeated authorization = %+v, %v; want %+v", again, err, first)
	}

	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := p.Capture(ctx, orderly.CaptureRequest{
				IdempotencyKey: fmt.Sprintf("capture:%d", i%6), PaymentID: first.PaymentID, Amount: orderly.USD(300),
			})
			if _, declined := orderly.DeclineReasonOf(err); err != nil && !declined {
				t.Errorf("capture: %v", err)
			}
		}()
	}
	wg.Wait()
	pay, err := store.FindPayment(ctx, first.PaymentID)
	if err != nil {
		t.Fatal(err)
	}
	captures := 0
	keys := map[string]int{}
	for _, m := range pay.Movements {
		keys[m.Key]++
		if m.Kind == orderly.PaymentCapture {
			captures++
		}
	}
	if pay.Captured != 900 || captures != 3 || pay.Held != 100 {
		t.Errorf("payment = %s with %d captures; want three captures of 300 out of 1000", pay, captures)
	}
	for k, n := range keys {
		if n != 1 {
			t.Errorf("key %s answered %d times", k, n)
		}
	}
	listed, err := store.FindPaysimPayments(ctx, "ord_1")
	if err != nil || len(listed) != 1 || listed[0].ID != first.PaymentID {
		t.Errorf("payments of ord_1 = %v, %v", listed, err)
	}
	if _, err := store.FindPayment(ctx, "pi_nope"); orderly.ErrorCode(err) != orderly.ENOTFOUND {
		t.Errorf("unknown payment = %v", err)
	}
}

func TestRestockReturnOncePerReturn(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	inv := NewInventoryService(db)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 5})
	b := insertProduct(t, db, orderly.Product{Name: "B", Stock: 0})
	returned := lines(a.ID, 2, b.ID, 1)
	var wg sync.WaitGroup
	for range 4 { // a retried activity and a second worker, racing
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := inv.RestockReturn(ctx, "ret_ord_1_1", "", returned); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if s, _ := stockOf(t, db, a.ID); s != 7 {
		t.Errorf("A stock = %d, want 7: restocked once", s)
	}
	if err := inv.RestockReturn(ctx, "ret_ord_1_2", loc2, lines(b.ID, 1)); err != nil {
		t.Fatal(err)
	}
	if s := readStock(t, db, b.ID); s.Stock != 2 || s.StockAt[loc1] != 1 || s.StockAt[loc2] != 1 {
		t.Errorf("B stock = %+v, want 2: two returns, one unit each, at the first location and at %s", s, loc2)
	}
	if err := inv.RestockReturn(ctx, "ret_ord_1_3", "", lines("prd_gone", 1)); err != nil {
		t.Errorf("a product no longer sold = %v, want nothing to restock", err)
	}
	wantCode(t, inv.RestockReturn(ctx, "", "", returned), orderly.EINVALID)
}

func TestOrderLedgerAndReturnsRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	orders := NewOrderService(db)
	draft := newOrder("cus_a", "")
	draft.PaymentMethod, _ = orderly.NewCardPaymentMethod("card", "4242424242424242")
	o, _, err := orders.CreateOrder(ctx, draft)
	if err != nil {
		t.Fatal(err)
	}
	exp := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	auth := orderly.PaymentEntry{ID: orderly.AuthorizationKey(o.ID, 1), Kind: orderly.PaymentAuthorization, Amount: o.Total,
		PaymentID: "pi_1", TransactionID: "txn_1", ExpiresAt: &exp, At: exp.Add(-time.Hour)}
	for _, st := range []orderly.OrderStatus{orderly.StatusValidated, orderly.StatusInventoryReserved} {
		if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "status:" + string(st), Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: auth.ID, Status: orderly.StatusPaymentAuthorized, PaymentEntry: &auth}); err != nil {
		t.Fatal(err)
	}
	capture := orderly.PaymentEntry{ID: "capture:shp_1", Kind: orderly.PaymentCapture, Amount: o.Total, PaymentID: "pi_1", TransactionID: "txn_2", ShipmentID: "shp_1"}
	if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: capture.ID, PaymentEntry: &capture}); err != nil {
		t.Fatal(err)
	}
	over := orderly.PaymentEntry{ID: "refund:1", Kind: orderly.PaymentRefund, Amount: o.Total.Add(orderly.USD(1)), PaymentID: "pi_1"}
	_, err = orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: over.ID, PaymentEntry: &over})
	wantCode(t, err, orderly.EOVERREFUND)

	ret := orderly.Return{ID: orderly.ReturnIDFor(o.ID, 1), Status: orderly.ReturnRequested, Lines: o.Lines, Reason: "too small"}
	if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "return:1", Return: &ret, ReturnsUntil: &exp}); err != nil {
		t.Fatal(err)
	}
	got, err := orders.FindOrderByID(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := got.PaymentSummary()
	if len(got.Ledger) != 2 || s.Status != orderly.PaymentCaptured || s.Balance != o.Total || got.Ledger[0].ExpiresAt == nil ||
		!got.Ledger[0].ExpiresAt.Equal(exp) {
		t.Errorf("ledger = %+v, summary %+v", got.Ledger, s)
	}
	if len(got.Returns) != 1 || got.Returns[0].Status != orderly.ReturnRequested || got.ReturnsUntil == nil || !got.ReturnsUntil.Equal(exp) {
		t.Errorf("returns = %+v until %v", got.Returns, got.ReturnsUntil)
	}
	if got.PaymentMethod != o.PaymentMethod {
		t.Errorf("payment method = %+v, want %+v", got.PaymentMethod, o.PaymentMethod)
	}
}

// TestReturnsQueue lists the orders with a return awaiting a decision.
func TestReturnsQueue(t *testing.T) {
	ctx := context.Background()
	orders := NewOrderService(newTestDB(t))
	waiting := createOrder(t, orders, "cus_a", "")
	other := createOrder(t, orders, "cus_b", "")
	r := orderly.Return{ID: orderly.ReturnIDFor(waiting.ID, 1), Status: orderly.ReturnRequested, Lines: waiting.Lines}
	if _, err := orders.ApplyOrderEvent(ctx, waiting.ID, orderly.OrderEvent{ID: "return", Return: &r}); err != nil {
		t.Fatal(err)
	}
	page, err := orders.FindOrders(ctx, orderly.OrderFilter{ReturnStatuses: []orderly.ReturnStatus{orderly.ReturnRequested}, Page: orderly.PageRequest{First: 10}})
	if err != nil || len(page.Items) != 1 || page.Items[0].ID != waiting.ID || page.TotalCount != 1 {
		t.Errorf("queue = %+v, %v; want only %s (not %s)", page.Items, err, waiting.ID, other.ID)
	}
	_, err = orders.FindOrders(ctx, orderly.OrderFilter{ReturnStatuses: []orderly.ReturnStatus{"LOST"}, Page: orderly.PageRequest{First: 10}})
	wantCode(t, err, orderly.EINVALID)
}
