package workflows

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/paysim"
)

const (
	R   = orderly.StatusReceived
	V   = orderly.StatusValidated
	IR  = orderly.StatusInventoryReserved
	AA  = orderly.StatusAwaitingApproval
	AP  = orderly.StatusApproved
	PA  = orderly.StatusPaymentAuthorized
	PD  = orderly.StatusPaid
	SG  = orderly.StatusShipping
	SD  = orderly.StatusShipped
	DL  = orderly.StatusDelivered
	CO  = orderly.StatusCompleted
	RF  = orderly.StatusRefunded
	CX  = orderly.StatusCancelled
	FLD = orderly.StatusFailed
)

// alwaysApprove makes every order wait for an operator for up to an hour.
func alwaysApprove(h *harness) {
	h.store.settings.ApprovalMode = orderly.ApprovalAlways
	h.store.settings.ApprovalTimeout = time.Hour
}

// delay makes an activity take d of workflow time before it runs for real,
// which opens a window for a signal or an update in the middle of a step.
func delay[In, Out any](h *harness, fn func(context.Context, In) (Out, error), d time.Duration) {
	h.env.OnActivity(fn, mock.Anything, mock.Anything).After(d).Return(fn)
}

func TestOrderHappyPath(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_happy", 2000, 2, 10)
	in.PaymentMethod = card(t, "4242 4242 4242 4242")

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CO || res.FailureReason != "" || len(res.Compensations) != 0 {
		t.Errorf("result = %+v, want COMPLETED with no compensation", res)
	}
	o := h.store.order("ord_happy")
	assertPath(t, o, R, V, IR, PA, SG, SD, DL, CO)
	if got := h.store.stockOf("prd_ord_happy"); got != 8 {
		t.Errorf("stock = %d, want 8", got)
	}
	if !h.store.committed["ord_happy"] {
		t.Error("stock was not committed after dispatch")
	}
	// The ledger: the total held, then captured as the parcel left.
	kinds := ledgerKinds(o)
	if want := []orderly.PaymentEntryKind{orderly.PaymentAuthorization, orderly.PaymentCapture}; !slices.Equal(kinds, want) {
		t.Errorf("ledger = %v, want %v", kinds, want)
	}
	if s := o.PaymentSummary(); s.Status != orderly.PaymentCaptured || s.Captured != in.Total || s.Balance != in.Total || s.Authorized.Amount != 0 {
		t.Errorf("summary = %+v, want the total captured", s)
	}
	if o.Ledger[1].ShipmentID != ShipmentIDFor("ord_happy", 1) || o.Ledger[0].ExpiresAt == nil || o.Ledger[0].PaymentID == "" {
		t.Errorf("ledger = %+v, want the capture tied to the shipment and the hold's expiry", o.Ledger)
	}
	// The provider's own books say the same, each movement once.
	ps := h.store.providerPayments("ord_happy")
	if len(ps) != 1 || len(ps[0].Movements) != 2 || ps[0].Captured != in.Total.Amount || ps[0].Held != 0 {
		t.Errorf("provider payments = %v, want one authorization and one capture of %s", ps, in.Total)
	}
	if res.Payments == nil || res.Payments.Status != orderly.PaymentCaptured || res.PaymentID != o.Ledger[0].PaymentID {
		t.Errorf("result payments = %+v, payment %q", res.Payments, res.PaymentID)
	}
	if !hasDetail(o, "Payment authorized: USD 44.99 held on Visa •••• 4242 until") {
		t.Errorf("timeline %+v: want the authorization with the card", o.Timeline)
	}
	if o.ReturnsUntil == nil || !hasDetail(o, "Order completed: 44 reward points credited. Returns accepted until") {
		t.Errorf("returns until %v; want the return window on the order", o.ReturnsUntil)
	}
	for _, m := range []milestone{milestoneAuthorized, milestoneShipped, milestoneDelivered} {
		if !h.store.hasNotification(NotificationIDFor("ord_happy", string(m))) {
			t.Errorf("no %s notification", m)
		}
	}
	if len(h.awarded) != 1 || res.PointsAwarded != orderly.PointsFor(in.Total) {
		t.Errorf("awarded = %+v, result points %d", h.awarded, res.PointsAwarded)
	}
	for _, a := range []string{"ReleaseInventory", "VoidPayment", "IssueRefund", "CancelShipment", "ChargePayment"} {
		if h.ran(a) {
			t.Errorf("%s ran on the happy path", a)
		}
	}
}

// An order started before the payment ledger charges its total before
// shipping, under the one payment ID of the order.
func TestOrderChargePathHappyPath(t *testing.T) {
	h := newHarness(t)
	h.chargePath()
	in := testOrder(h.store, "ord_happy", 2000, 2, 10)

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CO || res.FailureReason != "" || len(res.Compensations) != 0 {
		t.Errorf("result = %+v, want COMPLETED with no compensation", res)
	}
	o := h.store.order("ord_happy")
	assertPath(t, o, R, V, IR, PD, SG, SD, DL, CO)
	if got := h.store.stockOf("prd_ord_happy"); got != 8 {
		t.Errorf("stock = %d, want 8", got)
	}
	if !h.store.committed["ord_happy"] {
		t.Error("stock was not committed after dispatch")
	}
	p := h.store.payment(orderly.PaymentIDFor("ord_happy"))
	if p == nil || p.Status != orderly.PaymentCharged || p.Amount != in.Total || h.store.charges != 1 {
		t.Errorf("payment = %+v (charges %d), want one charge of %s", p, h.store.charges, in.Total)
	}
	if res.PaymentID != orderly.PaymentIDFor("ord_happy") || res.TrackingNumber == "" {
		t.Errorf("result = %+v, want payment ID and tracking number", res)
	}
	if len(o.Shipments) != 1 || o.Shipments[0].Status != orderly.ShipmentDelivered || o.Shipments[0].TrackingNumber != res.TrackingNumber {
		t.Errorf("shipments = %+v, want one delivered with the tracking number", o.Shipments)
	}
	if n := len(entries(o, orderly.EntryInfo)); n < 4 { // label, pickup, 2 tracking updates
		t.Errorf("%d info entries, want label, pickup and tracking updates", n)
	}
	for _, m := range []milestone{milestonePaid, milestoneShipped, milestoneDelivered} {
		if !h.store.hasNotification(NotificationIDFor("ord_happy", string(m))) {
			t.Errorf("no %s notification", m)
		}
	}
	if h.store.hasNotification(NotificationIDFor("ord_happy", string(milestoneAwaitingApproval))) {
		t.Error("an order that needs no approval was announced as under review")
	}
	want := AwardPointsInput{CustomerID: in.CustomerID, OrderID: in.OrderID, Points: orderly.PointsFor(in.Total)}
	if len(h.awarded) != 1 || h.awarded[0].CustomerID != want.CustomerID || h.awarded[0].OrderID != want.OrderID ||
		h.awarded[0].Points != want.Points || res.PointsAwarded != want.Points {
		t.Errorf("awarded = %+v, result points %d; want %+v", h.awarded, res.PointsAwarded, want)
	}
	if o.RunID == "" {
		t.Error("the order was not linked to its workflow run")
	}
	if s := h.query(); s.Status != CO || s.CanCancel || s.CanChangeAddress {
		t.Errorf("final state = %+v, want COMPLETED and closed to changes", s)
	}
	for _, a := range []string{"ReleaseInventory", "RefundPayment", "CancelShipment"} {
		if h.ran(a) {
			t.Errorf("%s ran on the happy path", a)
		}
	}
}

func TestOrderApprovalApproved(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_appr", 2000, 1, 5)
	var during orderly.OrderState
	var approve *updateResult
	h.at(10*time.Minute, func() {
		during = h.query()
		approve = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"})
	})

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	if during.Status != AA || during.ApprovalDeadline == nil || !during.CanCancel {
		t.Errorf("state while waiting = %+v, want AWAITING_APPROVAL with a deadline", during)
	}
	if !approve.done || approve.err != nil {
		t.Errorf("approve = %+v, want completed without error", approve)
	}
	assertPath(t, h.store.order("ord_appr"), R, V, IR, AA, AP, PA, SG, SD, DL, CO)
	if !h.store.hasNotification(NotificationIDFor("ord_appr", string(milestoneAwaitingApproval))) {
		t.Error("the customer was not told the order is under review")
	}
}

func TestOrderApprovalRejected(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_rej", 2000, 3, 5)
	var reject *updateResult
	h.at(10*time.Minute, func() {
		reject = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_1", Reason: "looks fraudulent"})
	})

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CX || res.FailureReason != "rejected by an operator: looks fraudulent" {
		t.Errorf("result = %+v, want CANCELLED with the operator's reason", res)
	}
	if !reject.done || reject.err != nil {
		t.Errorf("reject = %+v, want completed without error", reject)
	}
	o := h.store.order("ord_rej")
	assertPath(t, o, R, V, IR, AA, CX)
	if o.FailureReason != res.FailureReason {
		t.Errorf("order failure reason = %q", o.FailureReason)
	}
	if got := h.store.stockOf("prd_ord_rej"); got != 5 {
		t.Errorf("stock = %d, want 5 (released)", got)
	}
	if !slices.Equal(res.Compensations, []string{CompensationReleaseStock}) || h.ran("ChargePayment") || h.ran("RefundPayment") {
		t.Errorf("compensations %v, charge ran %v, refund ran %v; want only the stock released", res.Compensations, h.ran("ChargePayment"), h.ran("RefundPayment"))
	}
	if len(entries(o, orderly.EntryCompensation)) != 1 {
		t.Errorf("compensation entries = %+v, want one", entries(o, orderly.EntryCompensation))
	}
	if !h.store.hasNotification(NotificationIDFor("ord_rej", string(milestoneCancelled))) {
		t.Error("the customer was not told about the cancellation")
	}
}

func TestOrderApprovalTimesOut(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_timeout", 2000, 1, 5)
	start := h.env.Now()

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CX || res.FailureReason != "not approved within 1h0m0s" {
		t.Errorf("result = %+v, want CANCELLED for the timeout", res)
	}
	if waited := h.env.Now().Sub(start); waited < time.Hour {
		t.Errorf("the workflow gave up after %s, before the 1h approval timeout", waited)
	}
	assertPath(t, h.store.order("ord_timeout"), R, V, IR, AA, CX)
	if got := h.store.stockOf("prd_ord_timeout"); got != 5 {
		t.Errorf("stock = %d, want 5 (released)", got)
	}
}

func TestOrderApproveRefusedWhenNotAwaitingApproval(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_noappr", 2000, 1, 5)
	var approve *updateResult
	h.at(30*time.Second, func() { approve = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"}) })

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	if !approve.rejected || !strings.Contains(errMessage(approve.err), "not awaiting approval") {
		t.Errorf("approve = %+v, want rejected by the validator", approve)
	}
	assertCode(t, approve.err, orderly.ECONFLICT)
}

func TestOrderCancelBeforeApproval(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_cxl", 2000, 2, 5)
	var cancel, approveAfter *updateResult
	h.at(5*time.Minute, func() { cancel = h.update(UpdateCancelOrder, CancelOrderRequest{Reason: "changed my mind"}) })
	h.at(6*time.Minute, func() { approveAfter = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"}) })

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CX || res.FailureReason != "changed my mind" {
		t.Errorf("result = %+v, want CANCELLED with the customer's reason", res)
	}
	if !cancel.done || cancel.err != nil {
		t.Errorf("cancel = %+v, want completed without error", cancel)
	}
	if approveAfter != nil && !approveAfter.rejected {
		t.Errorf("approve after cancel = %+v, want rejected", approveAfter)
	}
	assertPath(t, h.store.order("ord_cxl"), R, V, IR, AA, CX)
	if h.ran("ChargePayment") || h.ran("RefundPayment") || !h.ran("ReleaseInventory") {
		t.Error("want stock released, nothing charged, nothing refunded")
	}
	if got := h.store.stockOf("prd_ord_cxl"); got != 5 {
		t.Errorf("stock = %d, want 5", got)
	}
}

func TestOrderChargePathCancelAfterPaymentRefunds(t *testing.T) {
	h := newHarness(t)
	h.chargePath()
	in := testOrder(h.store, "ord_cxlpaid", 2000, 2, 5)
	delay(h, h.acts.CreateLabel, 10*time.Minute)
	var cancel *updateResult
	var during orderly.OrderState
	h.at(5*time.Minute, func() {
		during = h.query()
		cancel = h.update(UpdateCancelOrder, CancelOrderRequest{})
	})

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if during.Status != SG || !during.CanCancel {
		t.Errorf("state before cancel = %+v, want SHIPPING and cancellable", during)
	}
	if res.Status != CX || !res.Refunded || res.FailureReason != "cancelled by the customer" {
		t.Errorf("result = %+v, want CANCELLED and refunded", res)
	}
	if !cancel.done || cancel.err != nil {
		t.Errorf("cancel = %+v, want completed without error", cancel)
	}
	if want := []string{CompensationRefundPayment, CompensationReleaseStock}; !slices.Equal(res.Compensations, want) {
		t.Errorf("compensations = %v, want %v (refund first)", res.Compensations, want)
	}
	o := h.store.order("ord_cxlpaid")
	assertPath(t, o, R, V, IR, PD, SG, RF, CX)
	if p := h.store.payment(orderly.PaymentIDFor("ord_cxlpaid")); p == nil || p.Status != orderly.PaymentRefunded {
		t.Errorf("payment = %+v, want refunded", p)
	}
	if got := h.store.stockOf("prd_ord_cxlpaid"); got != 5 {
		t.Errorf("stock = %d, want 5", got)
	}
	if len(o.Shipments) != 1 || o.Shipments[0].Status != orderly.ShipmentCancelled {
		t.Errorf("shipments = %+v, want the label voided", o.Shipments)
	}
	if h.ran("DispatchShipment") || h.ran("SchedulePickup") {
		t.Error("the shipment went on after the cancel")
	}
}

func TestOrderCancelAfterDispatchRefused(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_late", 2000, 1, 5)
	var cancel *updateResult
	h.at(30*time.Second, func() { cancel = h.update(UpdateCancelOrder, CancelOrderRequest{}) })

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	if !cancel.rejected || errMessage(cancel.err) != "cannot cancel: already dispatched" {
		t.Errorf("cancel = %+v, want rejected: cannot cancel: already dispatched", cancel)
	}
	assertCode(t, cancel.err, orderly.ECONFLICT)
	if h.ran("RefundPayment") {
		t.Error("a refused cancel refunded")
	}
}

// A cancel accepted while the shipment was still SHIPPING, but whose answer
// comes after the child had begun dispatching: the child finishes dispatch,
// and the caller learns the cancel did not happen.
func TestOrderCancelRacingDispatchIsRefused(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_race", 2000, 1, 5)
	delay(h, h.acts.DispatchShipment, 10*time.Minute)
	var cancel *updateResult
	h.at(5*time.Minute, func() { cancel = h.update(UpdateCancelOrder, CancelOrderRequest{}) })

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	if !cancel.accepted || !cancel.done || errMessage(cancel.err) != "cannot cancel: already dispatched" {
		t.Errorf("cancel = %+v, want accepted, then answered: cannot cancel: already dispatched", cancel)
	}
	if h.ran("RefundPayment") || h.ran("ReleaseInventory") {
		t.Error("compensation ran for goods that left")
	}
}

func TestOrderAddressChangeBeforeShipping(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_addr", 2000, 1, 5)
	newAddr := orderly.Address{Name: "Ada", Line1: "9 Side Rd", City: "Shelbyville", PostalCode: "54321", Country: "GB"}
	var change, approve *updateResult
	h.at(5*time.Minute, func() { change = h.update(UpdateChangeShippingAddress, ChangeAddressRequest{Address: newAddr}) })
	h.at(6*time.Minute, func() { approve = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"}) })

	res, err := h.run(in)
	if err != nil || res.Status != CO || approve.err != nil {
		t.Fatalf("result %+v, err %v, approve %+v; want COMPLETED", res, err, approve)
	}
	if !change.done || change.err != nil {
		t.Errorf("change = %+v, want completed without error", change)
	}
	o := h.store.order("ord_addr")
	if o.ShippingAddress != newAddr {
		t.Errorf("order address = %+v, want %+v", o.ShippingAddress, newAddr)
	}
	if o.Shipments[0].Carrier != "DHL" || !hasDetail(o, "Dispatched with DHL to Shelbyville, GB") {
		t.Errorf("the shipment did not go to the new address: %+v", o.Shipments)
	}
}

func TestOrderAddressChangeWhileShippingAskedTheChild(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_addr2", 2000, 1, 5)
	delay(h, h.acts.CreateLabel, 10*time.Minute)
	newAddr := orderly.Address{Name: "Ada", Line1: "9 Side Rd", City: "Ogdenville", PostalCode: "54321", Country: "US"}
	var change *updateResult
	h.at(5*time.Minute, func() { change = h.update(UpdateChangeShippingAddress, ChangeAddressRequest{Address: newAddr}) })

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	if !change.done || change.err != nil {
		t.Errorf("change = %+v, want completed without error", change)
	}
	o := h.store.order("ord_addr2")
	if o.ShippingAddress != newAddr || !hasDetail(o, "Dispatched with UPS to Ogdenville, US") {
		t.Errorf("address %+v, timeline %+v: want the dispatch to the new address", o.ShippingAddress, o.Timeline)
	}
}

func TestOrderAddressChangeRefused(t *testing.T) {
	newAddr := orderly.Address{Name: "Ada", Line1: "9 Side Rd", City: "Ogdenville", PostalCode: "54321", Country: "US"}
	tests := []struct {
		name     string
		at       time.Duration
		addr     orderly.Address
		slowStep bool // DispatchShipment takes 10 minutes
		code     string
		message  string
		rejected bool // by the validator, rather than by the child's answer
	}{
		{"after dispatch", 30 * time.Second, newAddr, false, orderly.ECONFLICT, "cannot change the address: already dispatched", true},
		{"while dispatching", 5 * time.Minute, newAddr, true, orderly.ECONFLICT, "cannot change the address: already dispatched", false},
		{"invalid address", 30 * time.Second, orderly.Address{Name: "Ada", Line1: "x", City: "y", PostalCode: "1", Country: "usa"}, false, orderly.EINVALID, "country must be an ISO 3166-1 alpha-2 code such as US", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			in := testOrder(h.store, "ord_addr3", 2000, 1, 5)
			if tt.slowStep {
				delay(h, h.acts.DispatchShipment, 10*time.Minute)
			}
			var change *updateResult
			h.at(tt.at, func() { change = h.update(UpdateChangeShippingAddress, ChangeAddressRequest{Address: tt.addr}) })

			res, err := h.run(in)
			if err != nil || res.Status != CO {
				t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
			}
			if change.rejected != tt.rejected || errMessage(change.err) != tt.message {
				t.Errorf("change = %+v, want rejected=%v with %q", change, tt.rejected, tt.message)
			}
			assertCode(t, change.err, tt.code)
			if got := h.store.order("ord_addr3").ShippingAddress; got != in.ShippingAddress {
				t.Errorf("address changed to %+v", got)
			}
		})
	}
}

func TestOrderTransientFailureRecovers(t *testing.T) {
	for _, step := range []orderly.Step{orderly.StepInventory, orderly.StepPayment, orderly.StepShipping} {
		t.Run(string(step), func(t *testing.T) {
			h := newHarness(t)
			in := testOrder(h.store, "ord_flaky", 2000, 1, 5)
			delay(h, h.acts.ValidateOrder, time.Minute)
			h.at(30*time.Second, func() { h.signalFailure(step, orderly.FailureTransient) })

			res, err := h.run(in)
			if err != nil || res.Status != CO {
				t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
			}
			activity := map[orderly.Step]string{
				orderly.StepInventory: "ReserveInventory", orderly.StepPayment: "AuthorizePayment", orderly.StepShipping: "CreateLabel",
			}[step]
			if n := h.count(activity); n != transientFailedAttempts+1 {
				t.Errorf("%s ran %d times, want %d", activity, n, transientFailedAttempts+1)
			}
			o := h.store.order("ord_flaky")
			if n := len(entries(o, orderly.EntryFailure)); n != transientFailedAttempts {
				t.Errorf("%d failure entries, want %d: %+v", n, transientFailedAttempts, o.Timeline)
			}
			// A payment attempt that failed lost the provider's answer after
			// the hold was made: the provider still holds it once.
			if ps := h.store.providerPayments("ord_flaky"); len(ps) != 1 || countMovements(ps[0], orderly.PaymentAuthorization) != 1 ||
				h.store.stockOf("prd_ord_flaky") != 4 {
				t.Errorf("provider payments %v, stock %d; want exactly one authorization and one reservation", ps, h.store.stockOf("prd_ord_flaky"))
			}
		})
	}
}

// An outage of the store longer than the old retry policy's eight attempts
// (a minute of failures) must not fail the order: infrastructure errors are
// retried until the store answers. Each business step and a bookkeeping
// write fail nine times in a row here (the SDK test environment runs at most
// ten attempts of an unlimited policy), then the store is back.
func TestOrderOutlastsAStoreOutage(t *testing.T) {
	outage := errors.New("server selection error: context deadline exceeded")
	mocks := map[string]func(h *harness, down func() bool){
		"ValidateOrder": func(h *harness, down func() bool) {
			h.env.OnActivity(h.acts.ValidateOrder, mock.Anything, mock.Anything).Return(
				func(ctx context.Context, in ValidateOrderInput) (ValidateOrderResult, error) {
					if down() {
						return ValidateOrderResult{}, outage
					}
					return h.acts.ValidateOrder(ctx, in)
				})
		},
		"ReserveInventory": func(h *harness, down func() bool) {
			h.env.OnActivity(h.acts.ReserveInventory, mock.Anything, mock.Anything).Return(
				func(ctx context.Context, in InventoryInput) (ReserveInventoryResult, error) {
					if down() {
						return ReserveInventoryResult{}, outage
					}
					return h.acts.ReserveInventory(ctx, in)
				})
		},
		"AuthorizePayment": func(h *harness, down func() bool) {
			h.env.OnActivity(h.acts.AuthorizePayment, mock.Anything, mock.Anything).Return(
				func(ctx context.Context, in AuthorizePaymentInput) (PaymentResult, error) {
					if down() {
						return PaymentResult{}, outage
					}
					return h.acts.AuthorizePayment(ctx, in)
				})
		},
		"CreateLabel": func(h *harness, down func() bool) {
			h.env.OnActivity(h.acts.CreateLabel, mock.Anything, mock.Anything).Return(
				func(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
					if down() {
						return orderly.Shipment{}, outage
					}
					return h.acts.CreateLabel(ctx, in)
				})
		},
	}
	for name, mockActivity := range mocks {
		t.Run(name, func(t *testing.T) {
			h := newHarness(t)
			in := testOrder(h.store, "ord_outage", 2000, 1, 5)
			failures := 0
			mockActivity(h, func() bool {
				h.mu.Lock()
				defer h.mu.Unlock()
				failures++
				return failures <= 9
			})
			res, err := h.run(in)
			if err != nil || res.Status != CO {
				t.Fatalf("result %+v, err %v; want COMPLETED after the outage", res, err)
			}
			ps := h.store.providerPayments("ord_outage")
			if failures != 10 || len(ps) != 1 || ps[0].Captured != in.Total.Amount || h.store.stockOf("prd_ord_outage") != 4 {
				t.Errorf("attempts %d, provider payments %v, stock %d; want 9 failed attempts and a tenth that worked, one capture, one reservation",
					failures, ps, h.store.stockOf("prd_ord_outage"))
			}
		})
	}
}

func TestOrderTimedOutAttemptIsRetried(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_slow", 2000, 1, 5)
	h.env.OnActivity(h.acts.AuthorizePayment, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in AuthorizePaymentInput) (PaymentResult, error) {
			if activity.GetInfo(ctx).Attempt == 1 {
				// The provider held the money; the answer came too late.
				if _, err := h.acts.AuthorizePayment(ctx, in); err != nil {
					return PaymentResult{}, err
				}
				return PaymentResult{}, temporal.NewTimeoutError(enumspb.TIMEOUT_TYPE_START_TO_CLOSE, nil)
			}
			return h.acts.AuthorizePayment(ctx, in)
		})

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	ps := h.store.providerPayments("ord_slow")
	if n := h.count("AuthorizePayment"); n != 2 || len(ps) != 1 || countMovements(ps[0], orderly.PaymentAuthorization) != 1 {
		t.Errorf("AuthorizePayment ran %d times, provider payments %v; want 2 attempts and 1 authorization", n, ps)
	}
}

func TestOrderPermanentFailureCompensatesWhatWasDone(t *testing.T) {
	tests := []struct {
		step          orderly.Step
		reason        string
		path          []orderly.OrderStatus
		compensations []string
		notRun        []string
	}{
		{orderly.StepValidation, "validation failed: injected permanent failure",
			[]orderly.OrderStatus{R, FLD}, nil, []string{"ReserveInventory", "ReleaseInventory", "AuthorizePayment", "VoidPayment"}},
		{orderly.StepInventory, "inventory reservation failed: injected permanent failure",
			[]orderly.OrderStatus{R, V, FLD}, nil, []string{"ReleaseInventory", "AuthorizePayment", "VoidPayment"}},
		{orderly.StepPayment, "payment failed: injected permanent failure",
			[]orderly.OrderStatus{R, V, IR, FLD}, []string{CompensationReleaseStock}, []string{"VoidPayment", "CreateLabel"}},
		{orderly.StepShipping, "shipping failed: injected permanent failure",
			[]orderly.OrderStatus{R, V, IR, PA, SG, FLD}, []string{CompensationVoidPayment, CompensationReleaseStock}, []string{"SchedulePickup", "CancelShipment"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.step), func(t *testing.T) {
			h := newHarness(t)
			in := testOrder(h.store, "ord_perm", 2000, 2, 5)
			if tt.step == orderly.StepValidation {
				// Validation runs first: inject by hand what the signal
				// would have carried.
				h.env.OnActivity(h.acts.ValidateOrder, mock.Anything, mock.Anything).Return(
					func(ctx context.Context, in ValidateOrderInput) (ValidateOrderResult, error) {
						in.Injection = &orderly.FailureInjection{Step: orderly.StepValidation, Mode: orderly.FailurePermanent}
						return h.acts.ValidateOrder(ctx, in)
					})
			} else {
				delay(h, h.acts.ValidateOrder, time.Minute)
				h.at(30*time.Second, func() { h.signalFailure(tt.step, orderly.FailurePermanent) })
			}

			res, err := h.run(in)
			if err != nil {
				t.Fatalf("workflow error: %v", err)
			}
			if res.Status != FLD || res.FailureReason != tt.reason {
				t.Errorf("result = %+v, want FAILED: %s", res, tt.reason)
			}
			if !slices.Equal(res.Compensations, tt.compensations) {
				t.Errorf("compensations = %v, want %v", res.Compensations, tt.compensations)
			}
			for _, a := range tt.notRun {
				if h.ran(a) {
					t.Errorf("%s ran", a)
				}
			}
			o := h.store.order("ord_perm")
			assertPath(t, o, tt.path...)
			if o.FailureReason != tt.reason || !hasDetail(o, upperFirst(tt.reason)) {
				t.Errorf("order reason %q, timeline %+v: want the failure recorded", o.FailureReason, o.Timeline)
			}
			if got := len(entries(o, orderly.EntryCompensation)); got != len(tt.compensations) {
				t.Errorf("%d compensation entries, want %d", got, len(tt.compensations))
			}
			if got := h.store.stockOf("prd_ord_perm"); got != 5 {
				t.Errorf("stock = %d, want 5 (nothing left reserved)", got)
			}
			if held := o.MoneyHeld(); held.Amount != 0 {
				t.Errorf("the order still holds %s: ledger %+v", held, o.Ledger)
			}
			if !h.store.hasNotification(NotificationIDFor("ord_perm", string(milestoneFailed))) {
				t.Error("the customer was not told")
			}
		})
	}
}

func TestOrderOutOfStock(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_oos", 2000, 3, 2)

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != FLD || res.FailureReason != "inventory reservation failed: not enough Widget ord_oos in stock: 3 wanted, 2 available" {
		t.Errorf("result = %+v, want FAILED out of stock", res)
	}
	if h.count("ReserveInventory") != 1 {
		t.Errorf("ReserveInventory ran %d times; OutOfStock must not be retried", h.count("ReserveInventory"))
	}
	if h.ran("ReleaseInventory") || len(res.Compensations) != 0 {
		t.Error("released a reservation that never happened")
	}
	if got := h.store.stockOf("prd_ord_oos"); got != 2 {
		t.Errorf("stock = %d, want 2", got)
	}
	assertPath(t, h.store.order("ord_oos"), R, V, FLD)
}

func TestOrderShippingChildFailureCompensates(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_shipfail", 2000, 1, 5)
	h.env.OnActivity(h.acts.SchedulePickup, mock.Anything, mock.Anything).Return(
		orderly.Shipment{}, permanentError(ErrTypeInvalidOrder, "the carrier refuses this parcel", nil))

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != FLD || res.FailureReason != "shipping failed: the carrier refuses this parcel" || !res.Voided {
		t.Errorf("result = %+v, want FAILED, the hold voided", res)
	}
	o := h.store.order("ord_shipfail")
	assertPath(t, o, R, V, IR, PA, SG, FLD)
	if s := o.PaymentSummary(); s.Status != orderly.PaymentVoided || s.Voided != in.Total {
		t.Errorf("summary = %+v, want the total voided", s)
	}
	if !h.ran("CancelShipment") || o.Shipments[0].Status != orderly.ShipmentCancelled {
		t.Errorf("the label was not voided: %+v", o.Shipments)
	}
	if h.ran("DispatchShipment") || h.store.stockOf("prd_ord_shipfail") != 5 {
		t.Error("want no dispatch and the stock back")
	}
}

// A charge whose outcome is unknown (its retries ran out after it reached the
// payment service) is refunded anyway: compensations are idempotent, and a
// refund of nothing is a no-op.
func TestOrderChargePathAmbiguousChargeIsRefunded(t *testing.T) {
	h := newHarness(t)
	h.chargePath()
	in := testOrder(h.store, "ord_ambig", 2000, 1, 5)
	h.env.OnActivity(h.acts.ChargePayment, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in ChargePaymentInput) (ChargePaymentResult, error) {
			if _, err := h.store.Charge(ctx, orderly.Payment{ID: orderly.PaymentIDFor(in.OrderID), OrderID: in.OrderID,
				Amount: in.Amount, Status: orderly.PaymentCharged}); err != nil {
				return ChargePaymentResult{}, err
			}
			return ChargePaymentResult{}, errors.New("connection reset after the charge")
		})

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != FLD || !res.Refunded {
		t.Errorf("result = %+v, want FAILED and refunded", res)
	}
	if want := []string{CompensationRefundPayment, CompensationReleaseStock}; !slices.Equal(res.Compensations, want) {
		t.Errorf("compensations = %v, want %v", res.Compensations, want)
	}
	if p := h.store.payment(orderly.PaymentIDFor("ord_ambig")); p == nil || p.Status != orderly.PaymentRefunded {
		t.Errorf("payment = %+v, want refunded", p)
	}
	if h.count("ChargePayment") < 2 || h.store.charges != 1 {
		t.Errorf("ChargePayment ran %d times with %d charges; want retries until the give-up bound, 1 charge", h.count("ChargePayment"), h.store.charges)
	}
	// PAID never landed, so REFUNDED is not a legal move: the refund is on
	// the timeline without a status, and the order still ends FAILED.
	assertPath(t, h.store.order("ord_ambig"), R, V, IR, FLD)
}

func TestOrderTemporalCancellationCompensates(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_tcancel", 2000, 1, 5)
	h.at(5*time.Minute, h.env.CancelWorkflow)

	_, err := h.run(in)
	var canceled *temporal.CanceledError
	if !errors.As(err, &canceled) {
		t.Fatalf("workflow error = %v, want cancelled", err)
	}
	o := h.store.order("ord_tcancel")
	assertPath(t, o, R, V, IR, AA, CX)
	if o.FailureReason != "the order's workflow was cancelled" || h.store.stockOf("prd_ord_tcancel") != 5 {
		t.Errorf("reason %q, stock %d; want the stock released", o.FailureReason, h.store.stockOf("prd_ord_tcancel"))
	}
}

func TestOrderFailureAfterDispatchFailsTheWorkflowWithoutCompensation(t *testing.T) {
	h := newHarness(t)
	in := testOrder(h.store, "ord_lost", 2000, 1, 5)
	h.env.OnActivity(h.acts.RecordTracking, mock.Anything, mock.Anything).Return(
		orderly.Shipment{}, permanentError(ErrTypeInvalidOrder, "carrier lost the parcel", nil))

	_, err := h.run(in)
	if err == nil || !strings.Contains(err.Error(), "failed after dispatch") {
		t.Fatalf("workflow error = %v, want a failure after dispatch", err)
	}
	if h.ran("VoidPayment") || h.ran("ReleaseInventory") {
		t.Error("compensated goods that had left")
	}
	if s := h.store.order("ord_lost").Status; s != SD {
		t.Errorf("status = %s, want SHIPPED (for an operator)", s)
	}
}

func TestOrderQueryShowsPendingFailures(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_query", 2000, 1, 5)
	var s orderly.OrderState
	h.at(time.Minute, func() {
		h.signalFailure(orderly.StepPayment, orderly.FailureTransient)
		h.signalFailure(orderly.StepPayment, orderly.FailurePermanent) // replaces the first
		h.signalFailure(orderly.StepShipping, orderly.FailureTimeout)
	})
	h.at(2*time.Minute, func() {
		s = h.query()
		h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_1"})
	})

	if _, err := h.run(in); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	want := []orderly.FailureInjection{
		{Step: orderly.StepPayment, Mode: orderly.FailurePermanent},
		{Step: orderly.StepShipping, Mode: orderly.FailureTimeout},
	}
	if !slices.Equal(s.PendingFailures, want) || s.Status != AA || s.OrderID != "ord_query" || !s.CanChangeAddress {
		t.Errorf("state = %+v, want pending %+v while awaiting approval", s, want)
	}
}

func TestOrderInputValidate(t *testing.T) {
	m := newMemStore()
	good := testOrder(m, "ord_v", 1000, 2, 5)
	tests := []struct {
		name  string
		edit  func(*OrderInput)
		field string
	}{
		{"valid", func(*OrderInput) {}, ""},
		{"no lines", func(in *OrderInput) { in.Lines = nil }, "lines"},
		{"bad quantity", func(in *OrderInput) { in.Lines[0].Quantity = 0 }, "lines.0.quantity"},
		{"bad line total", func(in *OrderInput) { in.Lines[0].LineTotal = orderly.USD(1) }, "lines.0.lineTotal"},
		{"bad subtotal", func(in *OrderInput) { in.Subtotal = orderly.USD(1) }, "subtotal"},
		{"bad total", func(in *OrderInput) { in.Total = orderly.USD(1) }, "total"},
		{"bad address", func(in *OrderInput) { in.ShippingAddress.City = "" }, "shippingAddress.city"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := good
			in.Lines = slices.Clone(good.Lines)
			tt.edit(&in)
			err := in.Validate()
			var e *orderly.Error
			switch {
			case tt.field == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.field != "" && (!errors.As(err, &e) || e.Code != orderly.EINVALID || e.Field != tt.field):
				t.Errorf("Validate() = %v, want EINVALID on %s", err, tt.field)
			}
		})
	}
}

// ledgerKinds lists the kinds of an order's ledger entries.
func ledgerKinds(o *orderly.Order) []orderly.PaymentEntryKind {
	var out []orderly.PaymentEntryKind
	for _, e := range o.Ledger {
		out = append(out, e.Kind)
	}
	return out
}

// countKind counts an order's ledger entries of a kind.
func countKind(o *orderly.Order, kind orderly.PaymentEntryKind) int {
	n := 0
	for _, e := range o.Ledger {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// countMovements counts a provider payment's movements of a kind.
func countMovements(p *paysim.Payment, kind orderly.PaymentEntryKind) int {
	n := 0
	for _, m := range p.Movements {
		if m.Kind == kind {
			n++
		}
	}
	return n
}

// card is a payment method from a test card number.
func card(t *testing.T, number string) orderly.PaymentMethod {
	t.Helper()
	m, err := orderly.NewCardPaymentMethod("card", number)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// errMessage returns the message of an application error, or err.Error().
func errMessage(err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return appErr.Message()
	}
	if err == nil {
		return ""
	}
	return err.Error()
}

func assertCode(t *testing.T, err error, code string) {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != code {
		t.Errorf("error %v, want an application error of type %s", err, code)
	}
}

// hasDetail reports whether a timeline entry's detail starts with prefix.
func hasDetail(o *orderly.Order, prefix string) bool {
	return slices.ContainsFunc(o.Timeline, func(t orderly.TimelineEntry) bool { return strings.HasPrefix(t.Detail, prefix) })
}
