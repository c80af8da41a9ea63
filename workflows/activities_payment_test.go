package workflows

import (
	"context"
	"testing"

	"github.com/orderly-shop/orderly"
)

// reserved places an order and moves it to INVENTORY_RESERVED.
func reserved(t *testing.T, m *memStore, id string) OrderInput {
	t.Helper()
	in := testOrder(m, id, 1000, 2, 5)
	for _, s := range []orderly.OrderStatus{V, IR} {
		if _, err := m.ApplyOrderEvent(context.Background(), id, orderly.OrderEvent{ID: statusEventID(s), Status: s}); err != nil {
			t.Fatal(err)
		}
	}
	return in
}

// Every money activity, run again as Temporal retries it, moves the money
// once: one ledger entry, one provider movement.
func TestMoneyActivitiesAreIdempotent(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := reserved(t, m, "ord_money")
	var auth PaymentResult
	for range 3 {
		v, err := env.ExecuteActivity(a.AuthorizePayment, AuthorizePaymentInput{OrderID: in.OrderID, Amount: in.Total, N: 1})
		if err != nil {
			t.Fatal(err)
		}
		_ = v.Get(&auth)
	}
	for range 3 {
		if _, err := env.ExecuteActivity(a.CapturePayment, CapturePaymentInput{
			OrderID: in.OrderID, PaymentID: auth.Entry.PaymentID, ShipmentID: "shp_1", Attempt: 1, Amount: in.Total,
		}); err != nil {
			t.Fatal(err)
		}
	}
	for range 3 {
		if _, err := env.ExecuteActivity(a.IssueRefund, IssueRefundInput{
			OrderID: in.OrderID, PaymentID: auth.Entry.PaymentID, RefundID: "1", Amount: orderly.USD(700), Reason: "scratched",
		}); err != nil {
			t.Fatal(err)
		}
	}
	o := m.order(in.OrderID)
	want := []orderly.PaymentEntryKind{orderly.PaymentAuthorization, orderly.PaymentCapture, orderly.PaymentRefund}
	if got := ledgerKinds(o); len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("ledger = %v, want %v", got, want)
	}
	if o.Status != PA || !hasDetail(o, "Refunded USD 7.00: scratched") {
		t.Errorf("status %s, timeline %+v", o.Status, o.Timeline)
	}
	ps := m.providerPayments(in.OrderID)
	if len(ps) != 1 || len(ps[0].Movements) != 3 || ps[0].Refunded != 700 {
		t.Errorf("provider payments = %v, want three movements", ps)
	}
}

func TestAuthorizePaymentDeclineIsRecordedAndPermanent(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := reserved(t, m, "ord_no")
	_, err := env.ExecuteActivity(a.AuthorizePayment, AuthorizePaymentInput{
		OrderID: in.OrderID, Amount: in.Total, N: 1, Method: card(t, "4000000000009995"),
	})
	appErr := appError(t, err)
	if appErr.Type() != ErrTypePaymentDeclined || !appErr.NonRetryable() || appErr.Message() != "payment declined: the card has insufficient funds" {
		t.Errorf("err = %v, want a permanent PaymentDeclined", err)
	}
	reason, entry, ok := declined(err)
	if !ok || reason != orderly.DeclineInsufficientFunds || entry.Kind != orderly.PaymentDecline {
		t.Errorf("details = %s, %+v", reason, entry)
	}
	o := m.order(in.OrderID)
	if len(o.Ledger) != 1 || o.Ledger[0].DeclineReason != orderly.DeclineInsufficientFunds || o.Status != IR ||
		len(entries(o, orderly.EntryFailure)) != 1 {
		t.Errorf("order = %s, ledger %+v: want the decline recorded, the status kept", o.Status, o.Ledger)
	}
}

// A void whose authorization's outcome is unknown learns the payment from
// the provider under the authorization's key, and releases it.
func TestVoidPaymentOfAnUnknownAuthorization(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := reserved(t, m, "ord_unknown")
	// The authorization reached the provider; its answer never came back.
	if _, err := m.currentProvider().Authorize(context.Background(), orderly.AuthorizeRequest{
		IdempotencyKey: orderly.AuthorizationKey(in.OrderID, 1), Reference: in.OrderID, Amount: in.Total,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.ExecuteActivity(a.VoidPayment, VoidPaymentInput{OrderID: in.OrderID, Amount: in.Total}); err != nil {
		t.Fatal(err)
	}
	ps := m.providerPayments(in.OrderID)
	if len(ps) != 1 || ps[0].Held != 0 || !ps[0].Closed || len(ps[0].Movements) != 2 {
		t.Errorf("provider payments = %v, want the one hold released", ps)
	}
	if got := ledgerKinds(m.order(in.OrderID)); len(got) != 1 || got[0] != orderly.PaymentVoid {
		t.Errorf("ledger = %v, want the void", got)
	}
}
