package workflows

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// Workflow time in the return tests: the order is delivered about three
// minutes in (testOrder's two tracking updates a minute apart).
const (
	afterDelivery = time.Hour
	day           = 24 * time.Hour
)

// returnOrder places an order whose returns an operator receives (no
// simulated carrier) within a week's window.
func returnOrder(h *harness, id string, qty int) OrderInput {
	in := testOrder(h.store, id, 1500, qty, 10)
	in.Returns = ReturnOptions{Window: 7 * day, CarrierInterval: -1}
	return in
}

func (h *harness) requestReturnAt(d time.Duration, lines []orderly.LineQuantity, reason string) *updateResult {
	return h.updateAt(d, "", UpdateRequestReturn, ReturnOrderRequest{Lines: lines, Reason: reason})
}

func (h *harness) returnUpdateAt(d time.Duration, orderID string, n int, name string, arg any) *updateResult {
	return h.updateAt(d, orderly.ReturnWorkflowIDFor(orderly.ReturnIDFor(orderID, n)), name, arg)
}

func units1(productID string, n int) []orderly.LineQuantity {
	return []orderly.LineQuantity{{ProductID: productID, Quantity: n}}
}

func assertDone(t *testing.T, name string, u *updateResult) {
	t.Helper()
	if !u.done || u.rejected || u.err != nil {
		t.Errorf("%s = %+v, want done", name, u)
	}
}

func assertRefused(t *testing.T, name string, u *updateResult, code, message string) {
	t.Helper()
	if !u.done || u.err == nil || !strings.Contains(errMessage(u.err), message) {
		t.Errorf("%s = %+v (%q), want refused: %s", name, u, errMessage(u.err), message)
	}
	assertCode(t, u.err, code)
}

func TestReturnApprovedReceivedRestockedAndRefunded(t *testing.T) {
	h := newHarness(t)
	in := returnOrder(h, "ord_ret", 3) // 3 × USD 15.00, free shipping
	p := "prd_ord_ret"
	req := h.requestReturnAt(afterDelivery, units1(p, 2), "too small")
	approve := h.returnUpdateAt(afterDelivery+time.Hour, "ord_ret", 1, UpdateApproveReturn, ReturnDecisionRequest{OperatorID: "op_1"})
	again := h.returnUpdateAt(afterDelivery+2*time.Hour, "ord_ret", 1, UpdateApproveReturn, ReturnDecisionRequest{OperatorID: "op_2"})
	received := h.returnUpdateAt(2*day, "ord_ret", 1, UpdateMarkReturnReceived, ReturnDecisionRequest{OperatorID: "op_1"})
	var during orderly.OrderState
	h.at(afterDelivery+time.Minute, func() { during = h.query() })

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	assertDone(t, "request", req)
	if req.value != orderly.ReturnIDFor("ord_ret", 1) {
		t.Errorf("request answered %v, want the return's ID", req.value)
	}
	assertDone(t, "approve", approve)
	assertRefused(t, "second approve", again, orderly.ECONFLICT, "cannot approve the return: it is already approved")
	assertDone(t, "received", received)
	if !during.CanReturn || during.ReturnsUntil == nil {
		t.Errorf("state after delivery = %+v, want returns open", during)
	}

	o := h.store.order("ord_ret")
	if len(o.Returns) != 1 {
		t.Fatalf("returns = %+v", o.Returns)
	}
	r := o.Returns[0]
	if r.Status != orderly.ReturnRefunded || r.Refund == nil || *r.Refund != orderly.USD(3000) || r.TrackingNumber == "" || r.Reason != "too small" {
		t.Errorf("return = %+v, want REFUNDED for USD 30.00 with a label", r)
	}
	if got := h.store.stockOf(p); got != 9 {
		t.Errorf("stock = %d, want 9: 10 - 3 sold + 2 returned", got)
	}
	s := o.PaymentSummary()
	last := o.Ledger[len(o.Ledger)-1]
	if s.Status != orderly.PaymentPartiallyRefunded || s.Refunded != orderly.USD(3000) || last.ReturnID != r.ID || last.Lines[0].Quantity != 2 {
		t.Errorf("summary %+v, last entry %+v; want the two units refunded for the return", s, last)
	}
	for _, step := range []string{"requested", "approved", "received"} {
		if !h.store.hasNotification(NotificationIDFor("ord_ret", "return:"+r.ID+":"+step)) {
			t.Errorf("no %s notification", step)
		}
	}
	if !h.store.hasNotification(NotificationIDFor("ord_ret", "refund:"+r.ID)) {
		t.Error("no refund notification")
	}
	if len(res.Returns) != 1 || res.Returns[0].Status != orderly.ReturnRefunded {
		t.Errorf("result returns = %+v", res.Returns)
	}
	if o.Status != CO || !hasDetail(o, "Return "+r.ID+" received (marked received by an operator): 2 unit(s) back in stock") {
		t.Errorf("status %s, timeline %+v", o.Status, o.Timeline)
	}
}

func TestReturnRejectedFreesTheUnits(t *testing.T) {
	h := newHarness(t)
	in := returnOrder(h, "ord_rej2", 2)
	p := "prd_ord_rej2"
	first := h.requestReturnAt(afterDelivery, units1(p, 2), "")
	tooMany := h.requestReturnAt(afterDelivery+time.Minute, units1(p, 1), "")
	noReason := h.returnUpdateAt(afterDelivery+time.Hour, "ord_rej2", 1, UpdateRejectReturn, ReturnDecisionRequest{OperatorID: "op_1"})
	reject := h.returnUpdateAt(afterDelivery+2*time.Hour, "ord_rej2", 1, UpdateRejectReturn, ReturnDecisionRequest{OperatorID: "op_1", Reason: "worn"})
	second := h.requestReturnAt(afterDelivery+3*time.Hour, units1(p, 2), "")
	cancel := h.returnUpdateAt(afterDelivery+4*time.Hour, "ord_rej2", 2, UpdateCancelReturn, CancelReturnRequest{Reason: "kept it"})

	if res, err := h.run(in); err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v", res, err)
	}
	assertDone(t, "first request", first)
	assertRefused(t, "a unit more", tooMany, orderly.ERETURNQUANTITY, "only 0 of Widget ord_rej2 can still be returned")
	assertRefused(t, "reject without reason", noReason, orderly.EINVALID, "a rejection needs a reason")
	assertDone(t, "reject", reject)
	assertDone(t, "second request", second)
	assertDone(t, "cancel", cancel)
	o := h.store.order("ord_rej2")
	if len(o.Returns) != 2 || o.Returns[0].Status != orderly.ReturnRejected || o.Returns[0].Note != "worn" || o.Returns[1].Status != orderly.ReturnCancelled {
		t.Errorf("returns = %+v, want the first REJECTED (worn), the second CANCELLED", o.Returns)
	}
	if h.store.stockOf(p) != 8 || h.ran("IssueRefund") || h.ran("ReceiveReturn") {
		t.Errorf("stock %d; want nothing restocked or refunded", h.store.stockOf(p))
	}
}

func TestReturnWithTheSimulatedCarrier(t *testing.T) {
	h := newHarness(t)
	in := returnOrder(h, "ord_carrier", 1)
	in.Returns.CarrierInterval = 6 * time.Hour
	h.requestReturnAt(afterDelivery, units1("prd_ord_carrier", 1), "broken")
	h.returnUpdateAt(afterDelivery+time.Hour, "ord_carrier", 1, UpdateApproveReturn, ReturnDecisionRequest{OperatorID: "op_1"})
	// Picked up six hours after the approval: too late to cancel.
	late := h.returnUpdateAt(afterDelivery+8*time.Hour, "ord_carrier", 1, UpdateCancelReturn, CancelReturnRequest{})

	if res, err := h.run(in); err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v", res, err)
	}
	assertRefused(t, "cancel after pickup", late, orderly.ECONFLICT, "the parcel was already sent")
	o := h.store.order("ord_carrier")
	if r := o.Returns[0]; r.Status != orderly.ReturnRefunded || *r.Refund != orderly.USD(1500) {
		t.Errorf("return = %+v, want REFUNDED", r)
	}
	if !hasDetail(o, "Return "+o.Returns[0].ID+" picked up by") || !hasDetail(o, "Return "+o.Returns[0].ID+" received (delivered by") {
		t.Errorf("timeline %+v: want the carrier's pickup and delivery", o.Timeline)
	}
	// The shipping charge is the customer's: the return refunds the line.
	if s := o.PaymentSummary(); s.Balance != orderly.USD(499) {
		t.Errorf("summary = %+v, want the shipping charge kept", s)
	}
}

func TestReturnWindowClosesRequests(t *testing.T) {
	h := newHarness(t)
	in := returnOrder(h, "ord_window", 2)
	in.Returns.DecisionTimeout = 30 * day // nobody decides: the return outlives the window
	p := "prd_ord_window"
	early := h.updateAt(time.Minute, "", UpdateRequestReturn, ReturnOrderRequest{Lines: units1(p, 1)})
	open := h.requestReturnAt(afterDelivery, units1(p, 1), "")
	late := h.requestReturnAt(8*day, units1(p, 1), "")
	refund := h.refundAt(9*day, RefundOrderRequest{OperatorID: "op_1", Amount: usd(100)})
	h.returnUpdateAt(10*day, "ord_window", 1, UpdateRejectReturn, ReturnDecisionRequest{OperatorID: "op_1", Reason: "too late"})

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v", res, err)
	}
	assertRefused(t, "before delivery", early, orderly.ENOTDELIVERED, "not been delivered yet")
	assertDone(t, "in the window", open)
	assertRefused(t, "after the window", late, orderly.ERETURNCLOSED, "returns for this order closed on")
	// The order stays open for the return asked in time, refunds included.
	assertDone(t, "refund while a return is open", refund)
	if len(res.Returns) != 1 || res.Returns[0].Status != orderly.ReturnRejected {
		t.Errorf("result returns = %+v", res.Returns)
	}
}

func TestReturnTimeouts(t *testing.T) {
	h := newHarness(t)
	in := returnOrder(h, "ord_slowret", 2)
	in.Returns.DecisionTimeout = 2 * day
	in.Returns.SendWithin = 3 * day
	h.requestReturnAt(afterDelivery, units1("prd_ord_slowret", 1), "")

	if res, err := h.run(in); err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v", res, err)
	}
	o := h.store.order("ord_slowret")
	r := o.Returns[0]
	if r.Status != orderly.ReturnCancelled || !hasDetail(o, "Return "+r.ID+" approved: label with UPS") {
		t.Errorf("return = %+v, want approved without an operator, then cancelled", r)
	}
	for _, d := range []string{"(approved automatically: not reviewed within 48h0m0s)", "cancelled: the parcel was not sent within 72h0m0s"} {
		if !slices.ContainsFunc(o.Timeline, func(e orderly.TimelineEntry) bool { return strings.Contains(e.Detail, d) }) {
			t.Errorf("timeline misses %q: %+v", d, o.Timeline)
		}
	}
}

// A return of units an operator refunded by line already refunds only what
// is left of those lines.
func TestReturnRefundsOnlyWhatIsLeft(t *testing.T) {
	h := newHarness(t)
	in := returnOrder(h, "ord_left", 3)
	p := "prd_ord_left"
	h.refundAt(afterDelivery, RefundOrderRequest{OperatorID: "op_1", Lines: units1(p, 2), Reason: "damaged"})
	h.requestReturnAt(afterDelivery+time.Hour, units1(p, 3), "")
	h.returnUpdateAt(afterDelivery+2*time.Hour, "ord_left", 1, UpdateApproveReturn, ReturnDecisionRequest{OperatorID: "op_1"})
	h.returnUpdateAt(afterDelivery+3*time.Hour, "ord_left", 1, UpdateMarkReturnReceived, ReturnDecisionRequest{OperatorID: "op_1"})

	if res, err := h.run(in); err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v", res, err)
	}
	o := h.store.order("ord_left")
	if r := o.Returns[0]; r.Status != orderly.ReturnRefunded || *r.Refund != orderly.USD(1500) {
		t.Errorf("return = %+v, want one unit's worth refunded", r)
	}
	if s := o.PaymentSummary(); s.Refunded != orderly.USD(4500) || s.Balance != in.ShippingCost {
		t.Errorf("summary = %+v, want the three units refunded once, the shipping kept", s)
	}
	if got := h.store.stockOf(p); got != 10 {
		t.Errorf("stock = %d, want all three back", got)
	}
}
