package graph

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// deliveredOrder stores an order of qty units of the first product, paid,
// shipped and delivered as its workflow would have recorded it, with a
// return window of a week from now; its workflow counts as running.
func (f *fixture) deliveredOrder(c *orderly.Customer, key string, qty int) *orderly.Order {
	f.t.Helper()
	ctx := context.Background()
	f.resolver.Now = f.store.clock // the window is in the store's time
	p := f.products[0]
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: c.ID, IdempotencyKey: key,
		ShippingAddress: orderly.Address{Name: "Ada", Line1: "1 Way", City: "London", PostalCode: "N1", Country: "GB"},
		PaymentMethod:   orderly.PaymentMethod{Brand: "Visa", Last4: "4242"},
		Lines:           []orderly.PricedCartLine{{Product: p, Quantity: qty, UnitPrice: p.Price, LineTotal: p.Price.Times(qty)}},
		At:              f.store.clock().Add(-time.Hour),
	})
	if err == nil {
		o, _, err = f.store.CreateOrder(ctx, o)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	exp := f.store.clock().Add(7 * 24 * time.Hour)
	until := f.store.clock().Add(7 * 24 * time.Hour)
	auth := orderly.PaymentEntry{ID: orderly.AuthorizationKey(o.ID, 1), Kind: orderly.PaymentAuthorization, Amount: o.Total,
		PaymentID: "pi_" + o.ID, TransactionID: "txn_a", ExpiresAt: &exp}
	capture := orderly.PaymentEntry{ID: orderly.CaptureKey("shp_1"), Kind: orderly.PaymentCapture, Amount: o.Total,
		PaymentID: "pi_" + o.ID, TransactionID: "txn_c", ShipmentID: "shp_1"}
	shipped := orderly.Shipment{ID: "shp_1", Carrier: "UPS", TrackingNumber: "1Z", Status: orderly.ShipmentDispatched, Lines: o.Lines}
	delivered := shipped
	delivered.Status = orderly.ShipmentDelivered
	for _, e := range []orderly.OrderEvent{
		{ID: "v", Status: orderly.StatusValidated},
		{ID: "r", Status: orderly.StatusInventoryReserved},
		{ID: "a", Status: orderly.StatusPaymentAuthorized, PaymentEntry: &auth},
		{ID: "s", Status: orderly.StatusShipping},
		{ID: "d", Status: orderly.StatusShipped, Shipment: &shipped},
		{ID: "c", PaymentEntry: &capture},
		{ID: "dl", Status: orderly.StatusDelivered, Shipment: &delivered},
		{ID: "co", Status: orderly.StatusCompleted, ReturnsUntil: &until},
	} {
		if o, err = f.store.ApplyOrderEvent(ctx, o.ID, e); err != nil {
			f.t.Fatalf("event %s: %v", e.ID, err)
		}
	}
	f.store.mu.Lock()
	f.store.started[o.ID] = true
	f.store.mu.Unlock()
	return o
}

const ledgerFields = `id status
	paymentMethod { brand last4 }
	ledger { status authorized { amount } captured { amount } refunded { amount } voided { amount } balance { amount } refundable { amount }
		entries { id kind amount { amount } paymentId transactionId reason shipmentId returnId lines { productId quantity } } }
	returns { id status reason carrier trackingNumber note refund { amount } canCancel lines { productId quantity } }
	returnsUntil returnableLines { productId quantity }`

type ledgerView struct {
	ID            string
	Status        string
	PaymentMethod *struct{ Brand, Last4 string }
	Ledger        *struct {
		Status                                                      string
		Authorized, Captured, Refunded, Voided, Balance, Refundable struct{ Amount int }
		Entries                                                     []struct {
			ID, Kind, PaymentID string
			Amount              struct{ Amount int }
			TransactionID       *string
			Reason, ShipmentID  *string
			ReturnID            *string
			Lines               []struct {
				ProductID string
				Quantity  int
			}
		}
	}
	Returns []struct {
		ID, Status, Reason      string
		Carrier, TrackingNumber *string
		Note                    *string
		Refund                  *struct{ Amount int }
		CanCancel               bool
	}
	ReturnsUntil    *time.Time
	ReturnableLines []struct {
		ProductID string
		Quantity  int
	}
}

func (f *fixture) ledgerOf(token, orderID string) ledgerView {
	f.t.Helper()
	var out struct{ Order ledgerView }
	f.ok(token, `query($id: ID!) { order(id: $id) { `+ledgerFields+` } }`, map[string]any{"id": orderID}, &out)
	return out.Order
}

const refundMutation = `mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
	order { id ledger { status refunded { amount } } } errors { code message field } } }`

func TestOrderLedgerFields(t *testing.T) {
	f := newFixture(t)
	o := f.deliveredOrder(f.alice, "k-ledger", 2)
	v := f.ledgerOf(f.aliceToken, o.ID)
	l := v.Ledger
	if l == nil || l.Status != "CAPTURED" || l.Captured.Amount != int(o.Total.Amount) || l.Balance.Amount != int(o.Total.Amount) ||
		l.Authorized.Amount != 0 || l.Refundable.Amount != int(o.Total.Amount) || len(l.Entries) != 2 {
		t.Fatalf("ledger = %+v", l)
	}
	if e := l.Entries[1]; e.Kind != "CAPTURE" || e.ShipmentID == nil || *e.ShipmentID != "shp_1" || e.TransactionID == nil || e.Reason != nil {
		t.Errorf("capture entry = %+v", e)
	}
	if v.PaymentMethod == nil || v.PaymentMethod.Brand != "Visa" || v.PaymentMethod.Last4 != "4242" {
		t.Errorf("payment method = %+v", v.PaymentMethod)
	}
	if v.ReturnsUntil == nil || len(v.ReturnableLines) != 1 || v.ReturnableLines[0].Quantity != 2 {
		t.Errorf("returns until %v, returnable %+v", v.ReturnsUntil, v.ReturnableLines)
	}
	// An order before its first payment shows no ledger; canRefund is the operators'.
	fresh := f.storeOrder(f.alice, "k-fresh")
	if got := f.ledgerOf(f.aliceToken, fresh.ID); got.Ledger != nil || got.PaymentMethod != nil || len(got.ReturnableLines) != 0 {
		t.Errorf("fresh order = %+v", got)
	}
	r := f.do(f.aliceToken, `query($id: ID!) { order(id: $id) { canRefund } }`, map[string]any{"id": o.ID})
	if codes := r.codes(); !slices.Equal(codes, []string{orderly.EFORBIDDEN}) {
		t.Errorf("canRefund as a customer: %v", codes)
	}
	var op struct{ Order struct{ CanRefund *bool } }
	f.ok(f.adminToken, `query($id: ID!) { order(id: $id) { canRefund } }`, map[string]any{"id": o.ID}, &op)
	if op.Order.CanRefund == nil || !*op.Order.CanRefund {
		t.Errorf("canRefund as an operator = %v", op.Order.CanRefund)
	}
}

func TestRefundOrder(t *testing.T) {
	f := newFixture(t)
	o := f.deliveredOrder(f.alice, "k-refund", 3) // 3 × $10.00 and $4.99 shipping
	pid := f.products[0].ID
	in := func(fields map[string]any) map[string]any {
		fields["orderId"] = o.ID
		return map[string]any{"input": fields}
	}
	tests := []struct {
		name  string
		input map[string]any
		code  string
		field string
	}{
		{"a part", in(map[string]any{"amount": map[string]any{"amount": 500, "currency": "USD"}, "reason": "late"}), "", ""},
		{"a line", in(map[string]any{"lines": []any{map[string]any{"productId": pid, "quantity": 1}}}), "", ""},
		{"more than is left", in(map[string]any{"amount": map[string]any{"amount": 2000, "currency": "USD"}}), orderly.EOVERREFUND, "input.amount"},
		{"more units than are left", in(map[string]any{"lines": []any{map[string]any{"productId": pid, "quantity": 3}}}), orderly.EOVERREFUND, "input.lines.0.quantity"},
		{"neither", in(map[string]any{}), orderly.EINVALID, "input"},
		{"both", in(map[string]any{"amount": map[string]any{"amount": 1, "currency": "USD"}, "lines": []any{map[string]any{"productId": pid, "quantity": 1}}}), orderly.EINVALID, "input"},
		{"a bad currency", in(map[string]any{"amount": map[string]any{"amount": 1, "currency": "dollars"}}), orderly.EINVALID, "input.amount.currency"},
		{"another currency", in(map[string]any{"amount": map[string]any{"amount": 1, "currency": "EUR"}}), orderly.EINVALID, "input.amount"},
		{"an unknown line", in(map[string]any{"lines": []any{map[string]any{"productId": "prd_nope", "quantity": 1}}}), orderly.EINVALID, "input.lines.0.productId"},
		{"the rest", in(map[string]any{"amount": map[string]any{"amount": 1999, "currency": "USD"}}), "", ""},
		{"nothing left", in(map[string]any{"amount": map[string]any{"amount": 1, "currency": "USD"}}), orderly.EOVERREFUND, "input.amount"},
		{"unknown order", map[string]any{"input": map[string]any{"orderId": "ord_nope", "amount": map[string]any{"amount": 1, "currency": "USD"}}}, orderly.ENOTFOUND, "input.orderId"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := f.mutate(f.adminToken, refundMutation, "refundOrder", tt.input, nil)
			if tt.code == "" {
				if len(errs) > 0 {
					t.Fatalf("errors %+v", errs)
				}
				return
			}
			if len(errs) != 1 || errs[0].Code != tt.code || errs[0].Field == nil || *errs[0].Field != tt.field {
				t.Errorf("errors = %+v, want %s on %s", errs, tt.code, tt.field)
			}
		})
	}
	l := f.ledgerOf(f.aliceToken, o.ID).Ledger
	if l.Status != "REFUNDED" || l.Refunded.Amount != int(o.Total.Amount) || len(l.Entries) != 5 || *l.Entries[2].Reason != "late" {
		t.Errorf("ledger = %+v", l)
	}
	// Customers cannot refund.
	r := f.do(f.aliceToken, refundMutation, in(map[string]any{"amount": map[string]any{"amount": 1, "currency": "USD"}}))
	if codes := r.codes(); !slices.Equal(codes, []string{orderly.EFORBIDDEN}) {
		t.Errorf("refund by a customer: %v", codes)
	}
}

const requestReturnMutation = `mutation($input: RequestReturnInput!) { requestReturn(input: $input) {
	return { id status reason lines { productId quantity } canCancel } order { id returns { id } } errors { code message field } } }`

const returnActionFields = `{ return { id status note refund { amount } carrier } order { id ledger { status refunded { amount } } } errors { code message field } }`

func TestReturns(t *testing.T) {
	f := newFixture(t)
	o := f.deliveredOrder(f.alice, "k-ret", 3)
	pid := f.products[0].ID
	ask := func(token, orderID string, n int) (payloadErrors, string) {
		var p struct{ Return *struct{ ID, Status string } }
		errs := f.mutate(token, requestReturnMutation, "requestReturn", map[string]any{"input": map[string]any{
			"orderId": orderID, "lines": []any{map[string]any{"productId": pid, "quantity": n}}, "reason": "too big",
		}}, &p)
		if p.Return == nil {
			return errs, ""
		}
		return errs, p.Return.ID
	}
	act := func(token, mutation, returnID string, extra map[string]any) (payloadErrors, map[string]any) {
		input := map[string]any{"orderId": o.ID, "returnId": returnID}
		for k, v := range extra {
			input[k] = v
		}
		var p map[string]any
		inputType := strings.ToUpper(mutation[:1]) + mutation[1:] + "Input"
		errs := f.mutate(token, `mutation($input: `+inputType+`!) { `+mutation+`(input: $input) `+returnActionFields+` }`,
			mutation, map[string]any{"input": input}, &p)
		return errs, p
	}

	errs, first := ask(f.aliceToken, o.ID, 2)
	if len(errs) > 0 || first != orderly.ReturnIDFor(o.ID, 1) {
		t.Fatalf("request = %+v, %q", errs, first)
	}
	if errs, _ := ask(f.aliceToken, o.ID, 2); len(errs) != 1 || errs[0].Code != orderly.ERETURNQUANTITY || *errs[0].Field != "input.lines.0.quantity" {
		t.Errorf("a second return of two = %+v, want RETURN_QUANTITY_EXCEEDED", errs)
	}
	if errs, _ := ask(f.bobToken, o.ID, 1); len(errs) != 1 || errs[0].Code != orderly.ENOTFOUND {
		t.Errorf("bob returning alice's order = %+v, want NOT_FOUND", errs)
	}
	undelivered := f.storeOrder(f.alice, "k-undelivered")
	if errs, _ := ask(f.aliceToken, undelivered.ID, 1); len(errs) != 1 || errs[0].Code != orderly.ENOTDELIVERED {
		t.Errorf("a return before delivery = %+v, want NOT_DELIVERED", errs)
	}
	r := f.do(f.aliceToken, `mutation($input: ApproveReturnInput!) { approveReturn(input: $input) { errors { code } } }`,
		map[string]any{"input": map[string]any{"orderId": o.ID, "returnId": first}})
	if codes := r.codes(); !slices.Equal(codes, []string{orderly.EFORBIDDEN}) {
		t.Errorf("approve by a customer: %v", codes)
	}
	if errs, _ := act(f.adminToken, "approveReturn", "ret_nope", nil); len(errs) != 1 || errs[0].Code != orderly.ENOTFOUND || *errs[0].Field != "input.returnId" {
		t.Errorf("approve of another order's return = %+v, want NOT_FOUND", errs)
	}
	if errs, p := act(f.adminToken, "approveReturn", first, nil); len(errs) > 0 || p["return"].(map[string]any)["status"] != "APPROVED" {
		t.Fatalf("approve = %+v, %v", errs, p)
	}
	if errs, _ := act(f.adminToken, "approveReturn", first, nil); len(errs) != 1 || errs[0].Code != orderly.ECONFLICT {
		t.Errorf("second approve = %+v, want CONFLICT", errs)
	}
	errs, p := act(f.adminToken, "markReturnReceived", first, nil)
	if len(errs) > 0 {
		t.Fatalf("received = %+v", errs)
	}
	ret := p["return"].(map[string]any)
	if ret["status"] != "REFUNDED" || ret["refund"].(map[string]any)["amount"] != float64(2*f.products[0].Price.Amount) {
		t.Errorf("return after receipt = %v, want REFUNDED for 20.00", ret)
	}

	_, second := ask(f.aliceToken, o.ID, 1)
	if errs, _ := act(f.adminToken, "rejectReturn", second, map[string]any{"reason": " "}); len(errs) != 1 || errs[0].Code != orderly.EINVALID {
		t.Errorf("reject without a reason = %+v, want INVALID", errs)
	}
	if errs, p := act(f.aliceToken, "cancelReturn", second, map[string]any{"reason": "kept it"}); len(errs) > 0 || p["return"].(map[string]any)["status"] != "CANCELLED" {
		t.Errorf("cancel = %+v, %v", errs, p)
	}
	if errs, _ := act(f.aliceToken, "cancelReturn", second, nil); len(errs) != 1 || errs[0].Code != orderly.ECONFLICT {
		t.Errorf("cancel again = %+v, want CONFLICT", errs)
	}

	// The window closes: returns are refused by the root rule, even with
	// the workflow gone.
	f.store.mu.Lock()
	f.store.now = f.store.now.Add(8 * 24 * time.Hour)
	f.store.mu.Unlock()
	f.resolver.Now = f.store.clock
	if errs, _ := ask(f.aliceToken, o.ID, 1); len(errs) != 1 || errs[0].Code != orderly.ERETURNCLOSED {
		t.Errorf("a return after the window = %+v, want RETURN_WINDOW_CLOSED", errs)
	}
	v := f.ledgerOf(f.aliceToken, o.ID)
	if len(v.Returns) != 2 || v.Returns[0].Status != "REFUNDED" || v.Returns[1].Status != "CANCELLED" || len(v.ReturnableLines) != 0 {
		t.Errorf("returns = %+v, returnable %+v", v.Returns, v.ReturnableLines)
	}
}

func TestReturnsQueue(t *testing.T) {
	f := newFixture(t)
	waiting := f.deliveredOrder(f.alice, "k-q1", 1)
	f.deliveredOrder(f.bob, "k-q2", 1)
	if _, err := f.store.RequestReturn(context.Background(), orderly.ReturnRequest{OrderID: waiting.ID,
		Lines: []orderly.LineQuantity{{ProductID: f.products[0].ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	var out struct {
		Orders struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	f.ok(f.adminToken, `{ orders(filter: {returnStatuses: [REQUESTED]}) { totalCount edges { node { id } } } }`, nil, &out)
	if out.Orders.TotalCount != 1 || out.Orders.Edges[0].Node.ID != waiting.ID {
		t.Errorf("returns queue = %+v, want the one order with a requested return", out.Orders)
	}
}

func TestPlaceOrderWithACard(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	in := placeInput("k-card", validAddress())
	in["input"].(map[string]any)["paymentMethod"] = map[string]any{"cardNumber": "4242 4242 4242 4241"}
	if errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", in, nil); len(errs) != 1 || errs[0].Code != orderly.EINVALID ||
		*errs[0].Field != "input.paymentMethod.cardNumber" {
		t.Fatalf("a bad card number = %+v, want INVALID on the card", errs)
	}
	in["input"].(map[string]any)["paymentMethod"] = map[string]any{"cardNumber": "4000 0000 0000 9995"}
	var p placedOrder
	if errs := f.mutate(f.aliceToken, placeOrderMutation, "placeOrder", in, &p); len(errs) > 0 {
		t.Fatalf("placeOrder: %+v", errs)
	}
	if v := f.ledgerOf(f.aliceToken, p.Order.ID); v.PaymentMethod == nil || v.PaymentMethod.Last4 != "9995" {
		t.Errorf("payment method = %+v, want only the brand and last four kept", v.PaymentMethod)
	}
}

// A refund and a return are order events: orderUpdated pushes each with the
// order's ledger and returns.
func TestOrderUpdatedCarriesMoneyAndReturns(t *testing.T) {
	f := newFixture(t)
	o := f.deliveredOrder(f.alice, "k-live", 2)
	srv := f.serve()
	c := mustDialWS(t, srv)
	c.initWith(f.aliceToken)
	c.subscribe("1", `subscription($id: ID!) { orderUpdated(id: $id) { initial entry { version detail }
		order { ledger { status refunded { amount } } returns { id status } } } }`, map[string]any{"id": o.ID})
	type event struct {
		OrderUpdated struct {
			Initial bool
			Entry   struct {
				Version int
				Detail  string
			}
			Order struct {
				Ledger struct {
					Status   string
					Refunded struct{ Amount int }
				}
				Returns []struct{ ID, Status string }
			}
		}
	}
	var ev event
	c.expectNext("1", &ev)
	if !ev.OrderUpdated.Initial || ev.OrderUpdated.Order.Ledger.Status != "CAPTURED" {
		t.Fatalf("initial = %+v", ev.OrderUpdated)
	}
	if errs := f.mutate(f.adminToken, refundMutation, "refundOrder", map[string]any{"input": map[string]any{
		"orderId": o.ID, "amount": map[string]any{"amount": 250, "currency": "USD"},
	}}, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	c.expectNext("1", &ev)
	if e := ev.OrderUpdated; e.Initial || e.Order.Ledger.Status != "PARTIALLY_REFUNDED" || e.Order.Ledger.Refunded.Amount != 250 {
		t.Errorf("refund event = %+v", e)
	}
	if _, err := f.store.RequestReturn(context.Background(), orderly.ReturnRequest{OrderID: o.ID,
		Lines: []orderly.LineQuantity{{ProductID: f.products[0].ID, Quantity: 1}}}); err != nil {
		t.Fatal(err)
	}
	c.expectNext("1", &ev)
	if e := ev.OrderUpdated; len(e.Order.Returns) != 1 || e.Order.Returns[0].Status != "REQUESTED" {
		t.Errorf("return event = %+v", e)
	}
}
