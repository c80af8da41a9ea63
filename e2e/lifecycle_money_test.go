package e2e

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/paysim"
)

// buyWithCard puts quantity units of a product in the cart and checks out
// with a card number.
func buyWithCard(t testing.TB, c *client, productID string, quantity int, card string) placedOrder {
	t.Helper()
	addToCart(t, c, productID, quantity)
	var out struct {
		PlaceOrder struct {
			Order  *placedOrder
			Errors []userError
		}
	}
	c.mustDo(t, `mutation($k: String!, $card: String!) { placeOrder(input: {idempotencyKey: $k, paymentMethod: {cardNumber: $card},
		shippingAddress: {name: "Ada Lovelace", line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB"}}) {
		order { id status version } errors { code message field } } }`,
		map[string]any{"k": fmt.Sprintf("card-%d", time.Now().UnixNano()), "card": card}, &out)
	if len(out.PlaceOrder.Errors) > 0 || out.PlaceOrder.Order == nil {
		t.Fatalf("placeOrder: %+v", out.PlaceOrder.Errors)
	}
	return *out.PlaceOrder.Order
}

// refund runs refundOrder as the operator and returns its errors.
func (s *stack) refund(t testing.TB, orderID string, in map[string]any) []userError {
	t.Helper()
	in["orderId"] = orderID
	return orderAction(t, s.op, "refundOrder", in)
}

func usdInput(cents int) map[string]any { return map[string]any{"amount": cents, "currency": "USD"} }

// TestMoneyAuthorizeCaptureRefund follows an order's money on the real
// stack: the total held after the reservation, captured as the parcel
// left, refunded in parts after delivery (an amount with a reason, then a
// line), an over-refund refused with OVER_REFUND; the provider's own books
// show each movement once and agree with the ledger. A declined card ends
// its order FAILED with the decline's reason, without retries.
func TestMoneyAuthorizeCaptureRefund(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Minute)

	runConcurrently(t,
		scenario{"authorize, capture, refund", func(t *testing.T) {
			c := s.register(t, "money")
			p := productBySKU(t, c, "AUD-003")
			order := buyWithCard(t, c, p.ID, 3, "4242 4242 4242 4242")
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			if path := o.statusPath(); !contains(path, string(orderly.StatusPaymentAuthorized)) || contains(path, string(orderly.StatusPaid)) {
				t.Errorf("status path %v, want PAYMENT_AUTHORIZED and no PAID", path)
			}
			if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "CAPTURE"}) || !o.captured() ||
				o.Ledger.Status != string(orderly.PaymentCaptured) {
				t.Fatalf("ledger %v (%+v), want the total held then captured", kinds, o.Ledger)
			}
			if o.PaymentMethod == nil || o.PaymentMethod.Brand != "Visa" || o.PaymentMethod.Last4 != "4242" {
				t.Errorf("payment method %+v, want only brand and last four", o.PaymentMethod)
			}
			if got := o.entries(string(orderly.EntryInfo), `^Payment captured: .* as shipment `); len(got) != 1 {
				t.Errorf("the capture at dispatch is not on the timeline:%s", o.timelineText())
			}

			over := o.Total.Amount + 1
			if errs := s.refund(t, order.ID, map[string]any{"amount": usdInput(over)}); len(errs) != 1 || errs[0].Code != orderly.EOVERREFUND {
				t.Errorf("refund of %d of %d = %+v, want OVER_REFUND", over, o.Total.Amount, errs)
			}
			if errs := s.refund(t, order.ID, map[string]any{"amount": usdInput(500), "reason": "late delivery"}); len(errs) > 0 {
				t.Fatalf("refund of 5.00: %+v", errs)
			}
			lines := []map[string]any{{"productId": p.ID, "quantity": 1}}
			if errs := s.refund(t, order.ID, map[string]any{"lines": lines}); len(errs) > 0 {
				t.Fatalf("refund of a line: %+v", errs)
			}
			if errs := s.refund(t, order.ID, map[string]any{"lines": []map[string]any{{"productId": p.ID, "quantity": 3}}}); len(errs) != 1 ||
				errs[0].Code != orderly.EOVERREFUND {
				t.Errorf("refund of more units than are left = %+v, want OVER_REFUND", errs)
			}
			o = getOrder(t, c, order.ID)
			want := 500 + p.Price.Amount
			if o.Ledger.Status != string(orderly.PaymentPartiallyRefunded) || o.Ledger.Refunded.Amount != int(want) ||
				o.Ledger.Balance.Amount != o.Total.Amount-int(want) {
				t.Errorf("ledger %+v, want %d refunded", o.Ledger, want)
			}
			db.checkProviderMatches(t, o)
			if ids := db.waitNotificationIDs(t, o.ID, o.ID+":refund:1", o.ID+":refund:2"); !contains(ids, o.ID+":refund:2") {
				t.Errorf("notifications %v, want one per refund", ids)
			}
			// Customers cannot refund: @auth refuses before any resolver runs.
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			top, err := c.do(ctx, `mutation($in: RefundOrderInput!) { refundOrder(input: $in) { errors { code } } }`,
				map[string]any{"in": map[string]any{"orderId": order.ID, "amount": usdInput(1)}}, nil)
			if err != nil || len(top) != 1 || top[0].Extensions["code"] != orderly.EFORBIDDEN {
				t.Errorf("refund by the customer = %+v, %v; want FORBIDDEN", top, err)
			}
		}},
		scenario{"a declined card", func(t *testing.T) {
			c := s.register(t, "declined")
			p := productBySKU(t, c, "OFF-004")
			before := productStock(t, c, p.ID)
			order := buyWithCard(t, c, p.ID, 1, "4000 0000 0000 9995")
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusFailed)
			if o.reason() != "payment declined: the card has insufficient funds" {
				t.Errorf("failure reason %q, want the decline's", o.reason())
			}
			if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"DECLINE"}) || o.Ledger.Status != string(orderly.PaymentDeclined) ||
				o.Ledger.Entries[0].DeclineReason == nil || *o.Ledger.Entries[0].DeclineReason != string(orderly.DeclineInsufficientFunds) {
				t.Errorf("ledger %+v, want one DECLINE for insufficient funds", o.Ledger)
			}
			db.checkProviderMatches(t, o)
			if runs := activityRunsNamed(s.activityRuns(t, o.WorkflowID), "AuthorizePayment"); len(runs) != 1 || runs[0].attempt != 1 {
				t.Errorf("AuthorizePayment runs %+v, want one attempt: a decline is not retried", runs)
			}
			if got := waitStock(t, c, p.ID, before); got != before {
				t.Errorf("stock %d, want it back to %d", got, before)
			}
			if got := o.entries(string(orderly.EntryCompensation), `.`); len(got) != 1 || got[0] != "Reserved stock released" {
				t.Errorf("compensations %v, want the stock released and nothing voided", got)
			}
			checkFailedNotified(t, db, order.ID)
		}},
	)
	db.checkInvariants(t)
}

// TestMoneyAuthorizationExpiry runs the worker's simulated provider with
// holds that last four seconds and slows shipping down, so that a hold
// would lapse before dispatch: the durable timer renews it (the ledger shows
// a second authorization on the same payment) and the capture takes from
// the renewed hold; a card whose renewal is declined cancels its order with
// the reason, the old hold voided and the stock released.
func TestMoneyAuthorizationExpiry(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{env: []string{"PAYMENT_AUTHORIZATION_TTL=4s"}})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Minute)
	// Each shipping step takes three seconds: the label and the pickup
	// alone outlast the four-second hold, whose renewal is due at 3.2s.
	s.setFailureRates(t, rate{step: orderly.StepShipping, latencyProb: 1, latency: 3 * time.Second})

	runConcurrently(t,
		scenario{"renewed before it lapses", func(t *testing.T) {
			c := s.register(t, "renewed")
			p := productBySKU(t, c, "APP-003")
			order := buyWithCard(t, c, p.ID, 1, "4242 4242 4242 4242")
			o := waitFinal(t, c, order.ID, 2*time.Minute, orderly.StatusCompleted)
			kinds := o.ledgerKinds()
			auths := 0
			for _, k := range kinds {
				if k == "AUTHORIZATION" {
					auths++
				}
			}
			if auths < 2 || kinds[len(kinds)-1] != "CAPTURE" || !o.captured() {
				t.Errorf("ledger %v, want the hold renewed at least once before the capture", kinds)
			}
			if got := o.entries(string(orderly.EntryInfo), `^Payment re-authorized before the hold lapsed`); len(got) != auths-1 {
				t.Errorf("renewals on the timeline %v, want %d", got, auths-1)
			}
			db.checkProviderMatches(t, o)
		}},
		scenario{"a declined renewal cancels", func(t *testing.T) {
			c := s.register(t, "renewaldeclined")
			p := productBySKU(t, c, "APP-001")
			before := productStock(t, c, p.ID)
			order := buyWithCard(t, c, p.ID, 1, "4000 0000 0000 0341")
			o := waitFinal(t, c, order.ID, 2*time.Minute, orderly.StatusCancelled)
			want := "the payment authorization could not be renewed: payment declined: the card has insufficient funds"
			if o.reason() != want {
				t.Errorf("reason %q, want %q", o.reason(), want)
			}
			if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "DECLINE", "VOID"}) || o.Ledger.Status != string(orderly.PaymentVoided) {
				t.Errorf("ledger %v (%+v), want the hold, the declined renewal and the void", kinds, o.Ledger)
			}
			if contains(o.statusPath(), string(orderly.StatusShipped)) {
				t.Errorf("status path %v: the order was dispatched", o.statusPath())
			}
			if got := waitStock(t, c, p.ID, before); got != before {
				t.Errorf("stock %d, want it back to %d", got, before)
			}
			db.checkProviderMatches(t, o)
		}},
	)
	db.checkInvariants(t)
}

// TestReturnThroughToRefund returns units of a delivered order on the real
// stack: the customer asks within the window (too many units, or an order
// not delivered, are typed errors), an operator approves (a label is made)
// and marks the parcel received, the units go back in stock once, and the
// order refunds those lines; a rejected return frees its units again; a
// return asked after the window is RETURN_WINDOW_CLOSED.
func TestReturnThroughToRefund(t *testing.T) {
	parallel(t)
	// No simulated carrier: parcels arrive when an operator says so.
	s := startStack(t, stackOptions{env: []string{"RETURN_WINDOW=25s", "RETURN_CARRIER_INTERVAL=0s"}})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Minute)
	c := s.customer(t)
	p := productBySKU(t, c, "KIT-001")
	before := productStock(t, c, p.ID)
	order := buyWithCard(t, c, p.ID, 2, "4242 4242 4242 4242")
	requestReturn := func(orderID string, n int, reason string) ([]userError, string) {
		var out struct {
			RequestReturn struct {
				Return *struct{ ID, Status string }
				Errors []userError
			}
		}
		c.mustDo(t, `mutation($in: RequestReturnInput!) { requestReturn(input: $in) { return { id status } errors { code message field } } }`,
			map[string]any{"in": map[string]any{"orderId": orderID, "lines": []map[string]any{{"productId": p.ID, "quantity": n}}, "reason": reason}}, &out)
		if out.RequestReturn.Return == nil {
			return out.RequestReturn.Errors, ""
		}
		return out.RequestReturn.Errors, out.RequestReturn.Return.ID
	}
	if errs, _ := requestReturn(order.ID, 1, ""); len(errs) != 1 || errs[0].Code != orderly.ENOTDELIVERED {
		t.Errorf("a return before delivery = %+v, want NOT_DELIVERED", errs)
	}
	o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
	if o.ReturnsUntil == nil {
		t.Fatal("a completed order has no return window")
	}
	if errs, _ := requestReturn(order.ID, 3, ""); len(errs) != 1 || errs[0].Code != orderly.ERETURNQUANTITY {
		t.Errorf("returning 3 of 2 = %+v, want RETURN_QUANTITY_EXCEEDED", errs)
	}
	errs, rejected := requestReturn(order.ID, 2, "changed my mind")
	if len(errs) > 0 {
		t.Fatalf("request: %+v", errs)
	}
	returnInput := func(returnID string, extra map[string]any) map[string]any {
		in := map[string]any{"orderId": order.ID, "returnId": returnID}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	mustAct(t, s.op, "rejectReturn", returnInput(rejected, map[string]any{"reason": "outside our policy"}))
	errs, ret := requestReturn(order.ID, 1, "too small")
	if len(errs) > 0 {
		t.Fatalf("request after the rejection freed the units: %+v", errs)
	}
	mustAct(t, s.op, "approveReturn", returnInput(ret, nil))
	wantConflict(t, orderAction(t, s.op, "approveReturn", returnInput(ret, nil)), `already approved`)
	mustAct(t, s.op, "markReturnReceived", returnInput(ret, nil))

	o = waitAfterSales(t, c, order.ID, time.Minute, "the return refunded", func(o fullOrder) bool {
		return len(o.Returns) == 2 && o.Returns[1].Status == string(orderly.ReturnRefunded)
	})
	if o.Returns[0].Status != string(orderly.ReturnRejected) || o.Returns[1].Refund == nil || o.Returns[1].Refund.Amount != int(p.Price.Amount) {
		t.Errorf("returns %+v, want the first rejected and the second refunded at %d", o.Returns, p.Price.Amount)
	}
	last := o.Ledger.Entries[len(o.Ledger.Entries)-1]
	if last.Kind != "REFUND" || last.ReturnID == nil || *last.ReturnID != ret || o.Ledger.Refunded.Amount != int(p.Price.Amount) {
		t.Errorf("ledger %+v, want the return's refund", o.Ledger)
	}
	if got := waitStock(t, c, p.ID, before-1); got != before-1 {
		t.Errorf("stock %d, want %d: two sold, one returned", got, before-1)
	}
	if got := o.entries(string(orderly.EntryInfo), `^Return `+regexp.QuoteMeta(ret)+` received \(marked received by an operator\): 1 unit\(s\) back in stock$`); len(got) != 1 {
		t.Errorf("the receipt is not on the timeline:%s", o.timelineText())
	}
	for _, step := range []string{"requested", "approved", "received"} {
		id := o.ID + ":return:" + ret + ":" + step
		if ids := db.waitNotificationIDs(t, o.ID, id); !contains(ids, id) {
			t.Errorf("no notification %s in %v", id, ids)
		}
	}
	db.checkProviderMatches(t, o)

	// After the window, returns are closed.
	if wait := time.Until(*o.ReturnsUntil); wait > 0 {
		time.Sleep(wait + time.Second)
	}
	if errs, _ := requestReturn(order.ID, 1, ""); len(errs) != 1 || errs[0].Code != orderly.ERETURNCLOSED {
		t.Errorf("a return after the window = %+v, want RETURN_WINDOW_CLOSED", errs)
	}
	db.checkInvariants(t)
}

// TestMoneyExactlyOnceUnderKill kills the worker with SIGKILL inside each
// money step — after the provider moved the money and recorded it, before
// the worker heard the answer — and starts a new one. The retried activity
// calls the provider under the same idempotency key and gets the first
// answer back: the provider's own books show each movement once, and the
// ledger records it once. The steps: the authorization, the capture at
// dispatch, an operator's refund after delivery, and the void of a
// cancelled order.
//
// Every answer of the provider comes back three seconds late (a PAYMENT
// latency rate, which the simulated provider applies after recording), so
// the kill lands in that window.
func TestMoneyExactlyOnceUnderKill(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{trackingInterval: 500 * time.Millisecond, trackingUpdates: 1})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Minute)
	s.setFailureRates(t, rate{step: orderly.StepPayment, latencyProb: 1, latency: 3 * time.Second})
	c := s.customer(t)

	// killWhenRecorded waits until the provider recorded a movement whose
	// key matches, kills the worker and starts a fresh one.
	killWhenRecorded := func(t *testing.T, orderID string, key *regexp.Regexp) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !providerHas(t, db, orderID, key) {
			if time.Now().After(deadline) {
				t.Fatalf("the provider never recorded %s for %s", key, orderID)
			}
			time.Sleep(20 * time.Millisecond)
		}
		pid := s.killWorker(t)
		s.startWorker()
		t.Logf("killed worker %d with %s recorded by the provider", pid, key)
	}
	checkOnce := func(t *testing.T, o fullOrder, kind string, n int) {
		t.Helper()
		got := 0
		for _, k := range o.ledgerKinds() {
			if k == kind {
				got++
			}
		}
		if got != n {
			t.Errorf("%s: %d %s entries on the ledger, want %d: %v", o.ID, got, kind, n, o.ledgerKinds())
		}
		db.checkProviderMatches(t, o)
	}

	t.Run("authorization", func(t *testing.T) {
		p := productBySKU(t, c, "OUT-003")
		order := buyWithCard(t, c, p.ID, 1, "4242 4242 4242 4242")
		killWhenRecorded(t, order.ID, regexp.MustCompile(`^auth:`))
		o := waitFinal(t, c, order.ID, 3*time.Minute, orderly.StatusCompleted)
		checkOnce(t, o, "AUTHORIZATION", 1)
		checkOnce(t, o, "CAPTURE", 1)
	})
	t.Run("capture", func(t *testing.T) {
		p := productBySKU(t, c, "OFF-001")
		order := buyWithCard(t, c, p.ID, 1, "4242 4242 4242 4242")
		killWhenRecorded(t, order.ID, regexp.MustCompile(`^capture:`))
		o := waitFinal(t, c, order.ID, 3*time.Minute, orderly.StatusCompleted)
		checkOnce(t, o, "CAPTURE", 1)
		if !o.captured() {
			t.Errorf("ledger %+v, want the total captured", o.Ledger)
		}
	})
	t.Run("refund", func(t *testing.T) {
		p := productBySKU(t, c, "OFF-002")
		order := buyWithCard(t, c, p.ID, 1, "4242 4242 4242 4242")
		waitFinal(t, c, order.ID, 3*time.Minute, orderly.StatusCompleted)
		// The update answers once the money went back, on whichever worker
		// that was; the kill makes it wait for the retry.
		done := actInBackground(t, s.op, "refundOrder", map[string]any{"orderId": order.ID, "amount": usdInput(300), "reason": "kill test"})
		killWhenRecorded(t, order.ID, regexp.MustCompile(`^refund:`))
		if errs := done(); len(errs) > 0 {
			t.Errorf("refund: %+v", errs)
		}
		o := waitAfterSales(t, c, order.ID, time.Minute, "the refund on the ledger", func(o fullOrder) bool { return o.Ledger.Refunded.Amount > 0 })
		checkOnce(t, o, "REFUND", 1)
		if o.Ledger.Refunded.Amount != 300 {
			t.Errorf("refunded %d, want 300 once", o.Ledger.Refunded.Amount)
		}
	})
	t.Run("void", func(t *testing.T) {
		p := productBySKU(t, c, "KIT-003")
		before := productStock(t, c, p.ID)
		order := buyWithCard(t, c, p.ID, 1, "4242 4242 4242 4242")
		// Hold the order before dispatch: the label's first two attempts
		// fail (the injection waits for the shipping step), then cancel.
		s.injectFailure(t, order.ID, orderly.StepShipping, orderly.FailureTransient)
		waitStatus(t, c, order.ID, time.Minute, orderly.StatusShipping)
		done := actInBackground(t, c, "cancelOrder", map[string]any{"orderId": order.ID})
		killWhenRecorded(t, order.ID, regexp.MustCompile(`^void:`))
		if errs := done(); len(errs) > 0 {
			t.Errorf("cancel: %+v", errs)
		}
		o := waitFinal(t, c, order.ID, 3*time.Minute, orderly.StatusCancelled)
		checkOnce(t, o, "VOID", 1)
		if o.Ledger.Status != string(orderly.PaymentVoided) || waitStock(t, c, p.ID, before) != before {
			t.Errorf("ledger %+v, stock %d; want the hold voided and the stock back to %d", o.Ledger, productStock(t, c, p.ID), before)
		}
	})
	db.checkInvariants(t)
}

// actInBackground runs an order mutation while the test goes on, and
// returns the function that waits for its payload's errors: a request that
// fails outright (a transport error, a top-level error) is one error of
// code "REQUEST". The caller must wait before its test ends.
func actInBackground(t testing.TB, c *client, mutation string, input map[string]any) func() []userError {
	t.Helper()
	var wg sync.WaitGroup
	var errs []userError
	wg.Add(1)
	go func() {
		defer wg.Done()
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
		defer cancel()
		var out map[string]struct{ Errors []userError }
		q := fmt.Sprintf(`mutation($in: %sInput!) { %s(input: $in) { errors { code message field } } }`,
			strings.ToUpper(mutation[:1])+mutation[1:], mutation)
		top, err := c.do(ctx, q, map[string]any{"in": input}, &out)
		switch {
		case err != nil:
			errs = []userError{{Code: "REQUEST", Message: err.Error()}}
		case len(top) > 0:
			errs = []userError{{Code: "REQUEST", Message: top[0].Message}}
		default:
			errs = out[mutation].Errors
		}
	}()
	return func() []userError {
		wg.Wait()
		return errs
	}
}

// waitAfterSales polls a completed order until cond holds: refunds and
// returns change an order after its last status.
func waitAfterSales(t testing.TB, c *client, id string, timeout time.Duration, what string, cond func(fullOrder) bool) fullOrder {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		o := getOrder(t, c, id)
		if cond(o) {
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s never got %s within %s; timeline:%s", id, what, timeout, o.timelineText())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// providerHas reports whether the provider recorded, for the order, a
// movement whose key matches.
func providerHas(t testing.TB, db *store, orderID string, key *regexp.Regexp) bool {
	t.Helper()
	for _, p := range db.providerPayments(t, orderID) {
		if slices.ContainsFunc(p.Movements, func(m paysim.Movement) bool { return key.MatchString(m.Key) }) {
			return true
		}
	}
	return false
}
