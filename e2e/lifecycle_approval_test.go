package e2e

import (
	"regexp"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// TestLifecycleApproval proves the manual approval step on the real stack:
// with the operator's mode ALWAYS every order waits in AWAITING_APPROVAL with
// its stock reserved; approval completes it, rejection and the durable
// timeout cancel it with a reason and give the stock back, and a customer's
// cancel before approval does the same without ever touching the card.
func TestLifecycleApproval(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	c := s.customer(t)

	// The timeout is read when the order is validated, so the short one
	// applies only to the first order.
	s.setApproval(t, orderly.ApprovalAlways, 2*time.Second)
	timeoutProduct := productBySKU(t, c, "KIT-001")
	stockBefore := productStock(t, c, timeoutProduct.ID)
	timedOut := buy(t, c, timeoutProduct.ID, 2)
	o := waitStatus(t, c, timedOut.ID, 30*time.Second, orderly.StatusAwaitingApproval, orderly.StatusCancelled)
	s.setApproval(t, orderly.ApprovalAlways, 2*time.Minute)

	t.Run("timeout", func(t *testing.T) {
		o = waitFinal(t, c, timedOut.ID, 30*time.Second, orderly.StatusCancelled)
		if !regexp.MustCompile(`not approved within 2s`).MatchString(o.reason()) {
			t.Errorf("failure reason %q does not say the approval timed out", o.reason())
		}
		if !contains(o.statusPath(), string(orderly.StatusAwaitingApproval)) {
			t.Errorf("the order never waited for approval: %v", o.statusPath())
		}
		checkCancelledClean(t, db, c, o, timeoutProduct.ID, stockBefore)
		// Too late to decide now: the CONFLICT names the end.
		wantConflict(t, orderAction(t, s.op, "approveOrder", map[string]any{"orderId": o.ID}), `cannot approve: the order is (already )?cancelled`)
	})

	// Each scenario has its own customer (a cart is per customer) and its
	// own product (so stock counts are its own).
	runConcurrently(t,
		scenario{"approve", func(t *testing.T) {
			c := s.register(t, "approve")
			p := productBySKU(t, c, "KIT-002")
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 2)
			o := waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			if o.Payment != nil || o.Ledger != nil {
				t.Fatalf("an order awaiting approval has a payment already: %+v %+v", o.Payment, o.Ledger)
			}
			if got := waitStock(t, c, p.ID, before-2); got != before-2 {
				t.Errorf("stock while awaiting approval is %d, want %d reserved out of %d", got, before-2, before)
			}
			s.approve(t, order.ID)
			// A second approval repeats what happened: the same success
			// (issue 10), and the order is approved once.
			mustAct(t, s.op, "approveOrder", map[string]any{"orderId": order.ID})
			// The other decision is a CONFLICT that says what was decided.
			wantConflict(t, orderAction(t, s.op, "rejectOrder", map[string]any{"orderId": order.ID, "reason": "too late"}),
				`cannot reject: an operator approved the order|cannot reject: the order is already completed`)
			o = waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			path := o.statusPath()
			for _, st := range []orderly.OrderStatus{orderly.StatusAwaitingApproval, orderly.StatusApproved, orderly.StatusPaymentAuthorized, orderly.StatusCompleted} {
				if !contains(path, string(st)) {
					t.Errorf("status path %v lacks %s", path, st)
				}
			}
			if got := o.entries(string(orderly.EntryStatus), `(?i)approved`); len(got) != 1 {
				t.Errorf("want one APPROVED entry, got %v", got)
			}
			if !o.captured() || o.Ledger.Status != string(orderly.PaymentCaptured) {
				t.Errorf("ledger %+v, want %d captured", o.Ledger, o.Total.Amount)
			}
			db.checkProviderMatches(t, o)
			stock, res := db.stock(t, p.ID)
			if stock != before-2 || contains(res, order.ID) {
				t.Errorf("after completion stock %d (reservations %v), want %d and the reservation committed", stock, res, before-2)
			}
		}},
		scenario{"reject", func(t *testing.T) {
			c := s.register(t, "reject")
			p := productBySKU(t, c, "KIT-004")
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 3)
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			// The reason is required.
			errs := orderAction(t, s.op, "rejectOrder", map[string]any{"orderId": order.ID, "reason": ""})
			if len(errs) != 1 || errs[0].Code != orderly.EINVALID {
				t.Errorf("reject without a reason: %+v, want INVALID", errs)
			}
			mustAct(t, s.op, "rejectOrder", map[string]any{"orderId": order.ID, "reason": "address looks fraudulent"})
			// rejectOrder answers once the order is cancelled.
			o := getOrder(t, c, order.ID)
			if o.Status != string(orderly.StatusCancelled) {
				t.Fatalf("after rejectOrder returned the order is %s, want CANCELLED", o.Status)
			}
			if !regexp.MustCompile(`^rejected by an operator: address looks fraudulent$`).MatchString(o.reason()) {
				t.Errorf("failure reason %q, want the operator and their reason", o.reason())
			}
			checkCancelledClean(t, db, c, o, p.ID, before)
		}},
		scenario{"cancel before approval", func(t *testing.T) {
			c := s.register(t, "cancel")
			p := productBySKU(t, c, "OUT-002")
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 1)
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			mustAct(t, c, "cancelOrder", map[string]any{"orderId": order.ID, "reason": "found it cheaper"})
			o := getOrder(t, c, order.ID)
			if o.Status != string(orderly.StatusCancelled) || o.reason() != "found it cheaper" {
				t.Fatalf("after cancelOrder returned the order is %s (reason %q), want CANCELLED with the customer's reason", o.Status, o.reason())
			}
			checkCancelledClean(t, db, c, o, p.ID, before)
			// Cancelling twice repeats what happened: the same success
			// (issue 10), and nothing is released twice.
			mustAct(t, c, "cancelOrder", map[string]any{"orderId": order.ID})
			if got := productStock(t, c, p.ID); got != before {
				t.Errorf("stock after a second cancel %d, want %d", got, before)
			}
		}},
	)
	db.checkInvariants(t)
}

// checkCancelledClean checks an order cancelled before payment: the card
// never touched, its stock back to what it was, the release on the timeline
// and in the store, and the customer told.
func checkCancelledClean(t *testing.T, db *store, c *client, o fullOrder, productID string, stockBefore int) {
	t.Helper()
	if o.Payment != nil || o.Ledger != nil || len(db.payments(t, o.ID)) != 0 || len(db.providerPayments(t, o.ID)) != 0 {
		t.Errorf("a cancelled, never approved order has a payment: %+v %+v", o.Payment, o.Ledger)
	}
	if path := o.statusPath(); contains(path, string(orderly.StatusPaymentAuthorized)) || contains(path, string(orderly.StatusPaid)) ||
		contains(path, string(orderly.StatusRefunded)) {
		t.Errorf("status path %v went through payment", o.statusPath())
	}
	if got := waitStock(t, c, productID, stockBefore); got != stockBefore {
		t.Errorf("stock after cancellation %d, want it back to %d", got, stockBefore)
	}
	if _, res := db.stock(t, productID); contains(res, o.ID) {
		t.Errorf("product still holds a reservation for the cancelled order: %v", res)
	}
	if got := o.entries(string(orderly.EntryCompensation), `(?i)stock released`); len(got) != 1 {
		t.Errorf("want one stock-release compensation on the timeline, got %v; timeline:%s", got, o.timelineText())
	}
	if ids := db.waitNotificationIDs(t, o.ID, o.ID+":cancelled"); !contains(ids, o.ID+":cancelled") {
		t.Errorf("notifications %v lack the cancellation", ids)
	}
}
