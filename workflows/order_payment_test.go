package workflows

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/orderly-shop/orderly"
)

// authorizationTTL makes the provider's holds last d.
func (h *harness) authorizationTTL(d time.Duration) { h.store.withAuthorizationTTL(d) }

func TestOrderDeclinedAuthorizationFailsWithoutRetry(t *testing.T) {
	tests := []struct {
		card   string
		reason string
	}{
		{"4000 0000 0000 9995", "payment declined: the card has insufficient funds"},
		{"4000 0000 0000 0069", "payment declined: the card has expired"},
		{"4100 0000 0000 0019", "payment declined: the card issuer suspects fraud"},
	}
	for _, tt := range tests {
		t.Run(tt.card, func(t *testing.T) {
			h := newHarness(t)
			in := testOrder(h.store, "ord_decl", 2000, 2, 5)
			in.PaymentMethod = card(t, tt.card)

			res, err := h.run(in)
			if err != nil {
				t.Fatalf("workflow error: %v", err)
			}
			if res.Status != FLD || res.FailureReason != tt.reason {
				t.Errorf("result = %+v, want FAILED: %s", res, tt.reason)
			}
			if n := h.count("AuthorizePayment"); n != 1 {
				t.Errorf("AuthorizePayment ran %d times; a decline must not be retried", n)
			}
			if !slices.Equal(res.Compensations, []string{CompensationReleaseStock}) || h.ran("VoidPayment") {
				t.Errorf("compensations = %v; want the stock released and no void (nothing is held)", res.Compensations)
			}
			o := h.store.order("ord_decl")
			assertPath(t, o, R, V, IR, FLD)
			if o.FailureReason != tt.reason || h.store.stockOf("prd_ord_decl") != 5 {
				t.Errorf("reason %q, stock %d; want the decline's reason and the stock back", o.FailureReason, h.store.stockOf("prd_ord_decl"))
			}
			if kinds := ledgerKinds(o); !slices.Equal(kinds, []orderly.PaymentEntryKind{orderly.PaymentDecline}) ||
				o.PaymentSummary().Status != orderly.PaymentDeclined {
				t.Errorf("ledger = %v (%s), want one DECLINE", kinds, o.PaymentSummary().Status)
			}
			if !h.store.hasNotification(NotificationIDFor("ord_decl", string(milestoneFailed))) {
				t.Error("the customer was not told")
			}
		})
	}
}

func TestOrderCancelBeforeCaptureVoids(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_void", 2000, 2, 5)
	delay(h, h.acts.CreateLabel, 10*time.Minute)
	var cancel *updateResult
	h.at(5*time.Minute, func() { cancel = h.update(UpdateCancelOrder, CancelOrderRequest{}) })

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CX || !res.Voided || res.Refunded || !cancel.done || cancel.err != nil {
		t.Errorf("result = %+v, cancel %+v; want CANCELLED with the hold voided, nothing refunded", res, cancel)
	}
	if want := []string{CompensationVoidPayment, CompensationReleaseStock}; !slices.Equal(res.Compensations, want) {
		t.Errorf("compensations = %v, want %v", res.Compensations, want)
	}
	o := h.store.order("ord_void")
	assertPath(t, o, R, V, IR, PA, SG, CX)
	if s := o.PaymentSummary(); s.Status != orderly.PaymentVoided || s.Voided != in.Total || s.Captured.Amount != 0 {
		t.Errorf("summary = %+v, want the total voided and nothing captured", s)
	}
	ps := h.store.providerPayments("ord_void")
	if len(ps) != 1 || ps[0].Held != 0 || ps[0].Captured != 0 || !ps[0].Closed {
		t.Errorf("provider payments = %v, want the hold released", ps)
	}
	if h.ran("CapturePayment") || h.ran("IssueRefund") || h.store.stockOf("prd_ord_void") != 5 {
		t.Error("want no capture, no refund, and the stock back")
	}
	if !hasDetail(o, "Payment hold released: USD 44.99") {
		t.Errorf("timeline %+v: want the release shown", o.Timeline)
	}
}

// The hold is renewed by a durable timer before it lapses, as often as the
// goods take to leave; the capture then takes from the renewed hold.
func TestOrderReauthorizesBeforeTheHoldLapses(t *testing.T) {
	h := newHarness(t)
	h.authorizationTTL(time.Hour)
	in := testOrder(h.store, "ord_reauth", 2000, 1, 5)
	delay(h, h.acts.CreateLabel, 2*time.Hour) // renewals at 48 and 96 minutes

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	o := h.store.order("ord_reauth")
	want := []orderly.PaymentEntryKind{orderly.PaymentAuthorization, orderly.PaymentAuthorization, orderly.PaymentAuthorization, orderly.PaymentCapture}
	if kinds := ledgerKinds(o); !slices.Equal(kinds, want) {
		t.Errorf("ledger = %v, want %v", kinds, want)
	}
	if o.Ledger[1].ID != orderly.AuthorizationKey("ord_reauth", 2) || o.Ledger[1].PaymentID != o.Ledger[0].PaymentID {
		t.Errorf("renewal = %+v, want the second key on the same payment", o.Ledger[1])
	}
	if s := o.PaymentSummary(); s.Status != orderly.PaymentCaptured || s.Captured != in.Total {
		t.Errorf("summary = %+v", s)
	}
	ps := h.store.providerPayments("ord_reauth")
	if len(ps) != 1 || countMovements(ps[0], orderly.PaymentAuthorization) != 3 || ps[0].Captured != in.Total.Amount {
		t.Errorf("provider payments = %v, want one payment renewed twice and captured", ps)
	}
	if !hasDetail(o, "Payment re-authorized before the hold lapsed") {
		t.Errorf("timeline %+v: want the renewal shown", o.Timeline)
	}
}

// A renewal that is declined cancels the order with the reason while the
// goods are still here: the old hold is voided, the stock released.
func TestOrderDeclinedReauthorizationCancels(t *testing.T) {
	h := newHarness(t)
	h.authorizationTTL(time.Hour)
	in := testOrder(h.store, "ord_reauthx", 2000, 1, 5)
	in.PaymentMethod = card(t, "4000 0000 0000 0341")
	delay(h, h.acts.CreateLabel, 2*time.Hour)

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	reason := "the payment authorization could not be renewed: payment declined: the card has insufficient funds"
	if res.Status != CX || res.FailureReason != reason || !res.Voided {
		t.Errorf("result = %+v, want CANCELLED: %s, the hold voided", res, reason)
	}
	o := h.store.order("ord_reauthx")
	assertPath(t, o, R, V, IR, PA, SG, CX)
	want := []orderly.PaymentEntryKind{orderly.PaymentAuthorization, orderly.PaymentDecline, orderly.PaymentVoid}
	if kinds := ledgerKinds(o); !slices.Equal(kinds, want) {
		t.Errorf("ledger = %v, want %v", kinds, want)
	}
	if h.ran("DispatchShipment") || h.store.stockOf("prd_ord_reauthx") != 5 || o.Shipments[0].Status != orderly.ShipmentCancelled {
		t.Errorf("shipments %+v, stock %d; want no dispatch, the label voided and the stock back", o.Shipments, h.store.stockOf("prd_ord_reauthx"))
	}
}

// A hold that lapsed anyway (the worker was down past its expiry) is
// renewed at dispatch and captured on the second try.
func TestOrderCaptureAfterALapsedHoldReauthorizes(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_lapsed", 2000, 1, 5)
	h.env.OnActivity(h.acts.CapturePayment, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in CapturePaymentInput) (PaymentResult, error) {
			if in.Attempt == 1 {
				h.store.advanceProvider(8 * 24 * time.Hour) // past the week-long hold
			}
			return h.acts.CapturePayment(ctx, in)
		})

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	o := h.store.order("ord_lapsed")
	want := []orderly.PaymentEntryKind{orderly.PaymentAuthorization, orderly.PaymentDecline, orderly.PaymentAuthorization, orderly.PaymentCapture}
	if kinds := ledgerKinds(o); !slices.Equal(kinds, want) {
		t.Errorf("ledger = %v, want %v", kinds, want)
	}
	if o.Ledger[1].DeclineReason != orderly.DeclineAuthorizationExpired || o.PaymentSummary().Captured != in.Total {
		t.Errorf("ledger = %+v, want the lapsed capture declined and the renewed hold captured", o.Ledger)
	}
}

// refundAt sends a refund update at d of workflow time.
func (h *harness) refundAt(d time.Duration, req RefundOrderRequest) *updateResult {
	return h.updateAt(d, "", UpdateRefundOrder, req)
}

func usd(cents int64) *orderly.Money { m := orderly.USD(cents); return &m }

func TestOrderRefundsAfterDeliveryNeverPastWhatWasCaptured(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_refund", 2000, 3, 5) // USD 60.00, free shipping
	const day = 24 * time.Hour
	tooMuch := h.refundAt(day, RefundOrderRequest{OperatorID: "op_1", Amount: usd(6001)})
	part := h.refundAt(day+time.Minute, RefundOrderRequest{OperatorID: "op_1", Amount: usd(1500), Reason: "late delivery"})
	lines := h.refundAt(day+2*time.Minute, RefundOrderRequest{OperatorID: "op_1", Lines: []orderly.LineQuantity{{ProductID: "prd_ord_refund", Quantity: 2}}})
	linesPast := h.refundAt(day+3*time.Minute, RefundOrderRequest{OperatorID: "op_1", Lines: []orderly.LineQuantity{{ProductID: "prd_ord_refund", Quantity: 2}}})
	rest := h.refundAt(day+4*time.Minute, RefundOrderRequest{OperatorID: "op_1", Amount: usd(500)})
	nothing := h.refundAt(day+5*time.Minute, RefundOrderRequest{OperatorID: "op_1", Amount: usd(1)})
	both := h.refundAt(day+6*time.Minute, RefundOrderRequest{OperatorID: "op_1", Amount: usd(1), Lines: []orderly.LineQuantity{{ProductID: "prd_ord_refund", Quantity: 1}}})
	var during orderly.OrderState
	h.at(day+30*time.Second, func() { during = h.query() })

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	if !tooMuch.rejected || !strings.Contains(errMessage(tooMuch.err), "cannot refund USD 60.01") {
		t.Errorf("refund above the capture = %+v, want rejected", tooMuch)
	}
	assertCode(t, tooMuch.err, orderly.EOVERREFUND)
	for name, u := range map[string]*updateResult{"part": part, "lines": lines, "rest": rest} {
		if !u.done || u.err != nil || u.rejected {
			t.Errorf("%s refund = %+v, want done", name, u)
		}
	}
	// Two of three units were refunded by line: two more are too many.
	assertCode(t, linesPast.err, orderly.EOVERREFUND)
	assertCode(t, nothing.err, orderly.EOVERREFUND)
	assertCode(t, both.err, orderly.EINVALID)
	if !during.CanRefund {
		t.Errorf("state after delivery = %+v, want refunds open", during)
	}
	o := h.store.order("ord_refund")
	s := o.PaymentSummary()
	if s.Status != orderly.PaymentRefunded || s.Refunded != in.Total || s.Balance.Amount != 0 {
		t.Errorf("summary = %+v, want everything refunded in three parts", s)
	}
	refunds := 0
	for _, e := range o.Ledger {
		if e.Kind == orderly.PaymentRefund {
			refunds++
		}
	}
	if refunds != 3 || o.Ledger[2].Reason != "late delivery" || o.Ledger[3].Lines[0].Quantity != 2 || o.Ledger[3].Amount != orderly.USD(4000) {
		t.Errorf("ledger = %+v, want three refunds: 15.00 with its reason, two units (40.00), the rest", o.Ledger)
	}
	if ps := h.store.providerPayments("ord_refund"); len(ps) != 1 || ps[0].Refunded != in.Total.Amount {
		t.Errorf("provider payments = %v, want the total refunded once", ps)
	}
	for _, id := range []string{"refund:1", "refund:2", "refund:3"} {
		if !h.store.hasNotification(NotificationIDFor("ord_refund", id)) {
			t.Errorf("no notification for %s", id)
		}
	}
	if o.Status != CO {
		t.Errorf("status = %s; refunds change the payment's status, not the order's", o.Status)
	}
}

func TestOrderRefundRefusedBeforeCaptureAndOnTheChargePath(t *testing.T) {
	t.Run("before capture", func(t *testing.T) {
		h := newHarness(t)
		in := testOrder(h.store, "ord_early", 2000, 1, 5)
		delay(h, h.acts.CreateLabel, 10*time.Minute)
		early := h.refundAt(5*time.Minute, RefundOrderRequest{OperatorID: "op_1", Amount: usd(100)})
		if res, err := h.run(in); err != nil || res.Status != CO {
			t.Fatalf("result %+v, err %v", res, err)
		}
		if !early.rejected || !strings.Contains(errMessage(early.err), "nothing was captured yet") {
			t.Errorf("refund before capture = %+v, want rejected", early)
		}
	})
	t.Run("charge path", func(t *testing.T) {
		h := newHarness(t)
		h.chargePath()
		in := testOrder(h.store, "ord_old", 2000, 1, 5)
		delay(h, h.acts.CreateLabel, 10*time.Minute)
		var old *updateResult
		h.at(5*time.Minute, func() { old = h.update(UpdateRefundOrder, RefundOrderRequest{OperatorID: "op_1", Amount: usd(100)}) })
		if res, err := h.run(in); err != nil || res.Status != CO {
			t.Fatalf("result %+v, err %v", res, err)
		}
		if old == nil || !old.rejected {
			t.Errorf("refund of an order on the charge path = %+v, want rejected (no such update)", old)
		}
	})
}

func TestCapturePaymentCapturesPartsOfTheHold(t *testing.T) {
	env, store, acts := newActivityEnv(t)
	in := testOrder(store, "ord_parts", 2000, 2, 5) // USD 44.99
	for _, st := range []orderly.OrderStatus{V, IR} {
		if _, err := store.ApplyOrderEvent(context.Background(), in.OrderID, orderly.OrderEvent{ID: statusEventID(st), Status: st}); err != nil {
			t.Fatal(err)
		}
	}
	v, err := env.ExecuteActivity(acts.AuthorizePayment, AuthorizePaymentInput{OrderID: in.OrderID, Amount: in.Total, N: 1})
	if err != nil {
		t.Fatal(err)
	}
	var auth PaymentResult
	_ = v.Get(&auth)
	for i, cents := range []int64{2000, 2499} {
		_, err := env.ExecuteActivity(acts.CapturePayment, CapturePaymentInput{
			OrderID: in.OrderID, PaymentID: auth.Entry.PaymentID, ShipmentID: ShipmentIDFor(in.OrderID, i+1), Attempt: 1, Amount: orderly.USD(cents),
		})
		if err != nil {
			t.Fatalf("capture %d: %v", i+1, err)
		}
		want := []orderly.PaymentStatus{orderly.PaymentPartiallyCaptured, orderly.PaymentCaptured}[i]
		if s := store.order(in.OrderID).PaymentSummary(); s.Status != want {
			t.Errorf("after capture %d: %+v, want %s", i+1, s, want)
		}
	}
	_, err = env.ExecuteActivity(acts.CapturePayment, CapturePaymentInput{
		OrderID: in.OrderID, PaymentID: auth.Entry.PaymentID, ShipmentID: ShipmentIDFor(in.OrderID, 3), Attempt: 1, Amount: orderly.USD(1),
	})
	if reason, ok := declineReason(err); !ok || reason != orderly.DeclineAmountNotAvailable {
		t.Errorf("capture past the hold = %v, want declined AMOUNT_NOT_AVAILABLE", err)
	}
}
