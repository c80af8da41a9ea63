package workflows

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"github.com/orderly-shop/orderly"
)

// Requests that overlap get consistent answers: a repeat of what is already
// under way or done succeeds the same way, anything else is a CONFLICT that
// names where the order really stands (never a status the order is only
// still showing while it is wound up).

// TestConcurrentCancelsOfAHeldOrder: five cancels of an order awaiting
// approval, the last four while the first one's compensation runs, all
// succeed once the order is CANCELLED; an approve, a reject and an address
// change sent meanwhile are answered for what is happening (the reject, a
// cancellation too, succeeds with them). The old validator told the four
// "cannot cancel: the order is already awaiting_approval".
func TestConcurrentCancelsOfAHeldOrder(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_cc", 2000, 2, 5)
	delayErr(h, h.acts.ReleaseInventory, 10*time.Minute)
	cancels := make([]*updateResult, 5)
	var approve, reject, address *updateResult
	h.at(5*time.Minute, func() { cancels[0] = h.update(UpdateCancelOrder, CancelOrderRequest{Reason: "changed my mind"}) })
	h.at(6*time.Minute, func() {
		for i := 1; i < len(cancels); i++ {
			cancels[i] = h.update(UpdateCancelOrder, CancelOrderRequest{Reason: "me too"})
		}
		approve = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"})
		reject = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_1", Reason: "fraud"})
		address = h.update(UpdateChangeShippingAddress, ChangeAddressRequest{Address: otherAddress()})
	})

	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CX || res.FailureReason != "changed my mind" {
		t.Errorf("result = %+v, want CANCELLED with the first cancel's reason", res)
	}
	for i, c := range cancels {
		if !c.done || c.rejected || c.err != nil {
			t.Errorf("cancel %d = %+v (%s), want the same success as the first", i+1, c, errMessage(c.err))
		}
	}
	if !reject.done || reject.err != nil {
		t.Errorf("reject while being cancelled = %+v (%s), want success: it asks for the same end", reject, errMessage(reject.err))
	}
	wantConflict(t, "approve", approve, "cannot approve: the order is being cancelled")
	wantConflict(t, "address change", address, "cannot change the address: the order is being cancelled")
	if n := h.count("ReleaseInventory"); n != 1 {
		t.Errorf("stock released %d times, want once", n)
	}
	assertPath(t, h.store.order("ord_cc"), R, V, IR, AA, CX)
	if got := h.store.stockOf("prd_ord_cc"); got != 5 {
		t.Errorf("stock = %d, want 5", got)
	}
}

// TestCancelOfACancelledOrder: a cancel that arrives when the order is
// already CANCELLED but its workflow is still winding up (here: notifying
// the customer) gets the same success as the cancel that did it, not a
// CONFLICT.
func TestCancelOfACancelledOrder(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_cc2", 2000, 1, 5)
	delayErr(h, h.acts.Notify, 10*time.Minute)
	var first, again *updateResult
	var during orderly.OrderState
	h.at(15*time.Minute, func() { first = h.update(UpdateCancelOrder, CancelOrderRequest{}) })
	h.at(20*time.Minute, func() {
		during = h.query()
		again = h.update(UpdateCancelOrder, CancelOrderRequest{})
	})

	res, err := h.run(in)
	if err != nil || res.Status != CX {
		t.Fatalf("result %+v, err %v; want CANCELLED", res, err)
	}
	if during.Status != CX || during.CanCancel {
		t.Errorf("state while notifying = %+v, want CANCELLED, nothing left to cancel", during)
	}
	for name, c := range map[string]*updateResult{"first": first, "again": again} {
		if !c.done || c.err != nil {
			t.Errorf("%s cancel = %+v (%s), want success", name, c, errMessage(c.err))
		}
	}
}

// TestConcurrentApprovals: two approvals at once both succeed, as does one
// after the order was approved; a rejection after them is a CONFLICT that
// says an operator approved the order (the old validator refused the
// second approval: "an operator already decided").
func TestConcurrentApprovals(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_ca", 2000, 1, 5)
	delay(h, h.acts.CreateLabel, 10*time.Minute)
	var a1, a2, later, reject *updateResult
	h.at(5*time.Minute, func() {
		a1 = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"})
		a2 = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_2"})
	})
	h.at(8*time.Minute, func() {
		later = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_3"})
		reject = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_3", Reason: "second thoughts"})
	})

	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result %+v, err %v; want COMPLETED", res, err)
	}
	for name, a := range map[string]*updateResult{"first": a1, "second": a2, "after approval": later} {
		if !a.done || a.rejected || a.err != nil {
			t.Errorf("%s approval = %+v (%s), want success", name, a, errMessage(a.err))
		}
	}
	wantConflict(t, "reject after approval", reject, "cannot reject: an operator approved the order")
	if got := countEntries(h.store.order("ord_ca"), AP); got != 1 {
		t.Errorf("%d APPROVED entries, want 1", got)
	}
}

// TestConcurrentRejections: two rejections at once both succeed, and so do
// a cancel and a third rejection sent while the order is being cancelled;
// an approval meanwhile is a CONFLICT that says the order was rejected.
func TestConcurrentRejections(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_cr", 2000, 1, 5)
	delayErr(h, h.acts.ReleaseInventory, 10*time.Minute)
	var r1, r2, r3, cancel, approve *updateResult
	h.at(5*time.Minute, func() {
		r1 = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_1", Reason: "fraud"})
		r2 = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_2", Reason: "fraud too"})
	})
	h.at(6*time.Minute, func() {
		r3 = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_3"})
		cancel = h.update(UpdateCancelOrder, CancelOrderRequest{Reason: "changed my mind"})
		approve = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_4"})
	})

	res, err := h.run(in)
	if err != nil || res.Status != CX {
		t.Fatalf("result %+v, err %v; want CANCELLED", res, err)
	}
	if res.FailureReason != "rejected by an operator: fraud" {
		t.Errorf("reason %q, want the first rejection's", res.FailureReason)
	}
	for name, r := range map[string]*updateResult{"first": r1, "second": r2, "third": r3, "cancel": cancel} {
		if !r.done || r.rejected || r.err != nil {
			t.Errorf("%s = %+v (%s), want success", name, r, errMessage(r.err))
		}
	}
	wantConflict(t, "approve after rejection", approve, "cannot approve: an operator rejected the order")
	if n := h.count("ReleaseInventory"); n != 1 {
		t.Errorf("stock released %d times, want once", n)
	}
}

// TestRejectWhileCancelled: a cancel and a rejection of the same held order
// in one workflow task: the cancel wins (it came first), and the rejection,
// which asked for the same end, is answered with success once the order is
// CANCELLED, not with "cannot reject: the order is cancelled".
func TestRejectWhileCancelled(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_rc", 2000, 1, 5)
	var cancel, reject *updateResult
	h.at(5*time.Minute, func() {
		cancel = h.update(UpdateCancelOrder, CancelOrderRequest{Reason: "changed my mind"})
		reject = h.update(UpdateRejectOrder, ApprovalRequest{OperatorID: "op_1", Reason: "fraud"})
	})
	res, err := h.run(in)
	if err != nil || res.Status != CX {
		t.Fatalf("result %+v, err %v; want CANCELLED", res, err)
	}
	for name, r := range map[string]*updateResult{"cancel": cancel, "reject": reject} {
		if !r.done || r.rejected || r.err != nil {
			t.Errorf("%s = %+v (%s), want success", name, r, errMessage(r.err))
		}
	}
}

// TestAddressChangeWhileFailing: requests that reach an order being wound
// up after a failure are told so, not given the status it still shows.
func TestRequestsWhileFailing(t *testing.T) {
	h := newHarness(t)
	alwaysApprove(h)
	in := testOrder(h.store, "ord_rf", 2000, 1, 5)
	delayErr(h, h.acts.ReleaseInventory, 10*time.Minute)
	var cancel, approve, address *updateResult
	h.at(5*time.Minute, func() {
		h.signalFailure(orderly.StepPayment, orderly.FailurePermanent)
		h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_1"})
	})
	h.at(6*time.Minute, func() {
		cancel = h.update(UpdateCancelOrder, CancelOrderRequest{})
		approve = h.update(UpdateApproveOrder, ApprovalRequest{OperatorID: "op_2"})
		address = h.update(UpdateChangeShippingAddress, ChangeAddressRequest{Address: otherAddress()})
	})
	res, err := h.run(in)
	if err != nil || res.Status != orderly.StatusFailed {
		t.Fatalf("result %+v, err %v; want FAILED", res, err)
	}
	wantConflict(t, "cancel", cancel, "cannot cancel: the order is failing")
	if !approve.done || approve.err != nil {
		t.Errorf("a repeated approval = %+v (%s), want the first one's answer (success)", approve, errMessage(approve.err))
	}
	wantConflict(t, "address change", address, "cannot change the address: the order is failing")
}

// wantConflict checks that a request was refused or answered with a
// CONFLICT whose message starts with want.
func wantConflict(t *testing.T, name string, r *updateResult, want string) {
	t.Helper()
	if r == nil || !r.done {
		t.Errorf("%s: no answer (%+v)", name, r)
		return
	}
	if !strings.HasPrefix(errMessage(r.err), want) {
		t.Errorf("%s: %q, want %q", name, errMessage(r.err), want)
	}
	assertCode(t, r.err, orderly.ECONFLICT)
}

func otherAddress() orderly.Address {
	return orderly.Address{Name: "Ada", Line1: "9 Side Rd", City: "Shelbyville", PostalCode: "54321", Country: "GB"}
}

// countEntries counts the timeline's status entries with status s.
func countEntries(o *orderly.Order, s orderly.OrderStatus) int {
	n := 0
	for _, e := range o.Timeline {
		if e.Kind == orderly.EntryStatus && e.Status == s {
			n++
		}
	}
	return n
}

// delayErr is delay for an activity that returns only an error.
func delayErr[In any](h *harness, fn func(context.Context, In) error, d time.Duration) {
	h.env.OnActivity(fn, mock.Anything, mock.Anything).After(d).Return(fn)
}
