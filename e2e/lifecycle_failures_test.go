package e2e

import (
	"slices"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"

	"github.com/orderly-shop/orderly"
)

// TestLifecycleFailureInjection proves the failure simulation and the saga
// on the real stack. An operator injects a failure into a running order:
//   - TRANSIENT at PAYMENT: two attempts lose the provider's answer after
//     the hold was made, the retry policy recovers with the same idempotency
//     key, the order completes held and captured once, the failures are on
//     the timeline;
//   - TIMEOUT at PAYMENT: the first attempt outlives its start-to-close
//     timeout, Temporal times it out and retries, the order completes;
//   - PERMANENT at INVENTORY, PAYMENT and SHIPPING: the order ends FAILED
//     with the reason, and exactly what was done is undone: stock released
//     iff it was reserved, the hold voided iff one was made, each
//     compensation on the timeline.
//
// Orders wait for approval (mode ALWAYS) so that a failure can be injected
// before the payment and shipping steps; validation is slowed down (a 1.5s
// latency rate) so that one can be injected before the reservation.
func TestLifecycleFailureInjection(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, 2*time.Minute)
	s.setFailureRates(t, rate{step: orderly.StepValidation, latencyProb: 1, latency: 1500 * time.Millisecond})

	// subs follow the held orders live, by order ID.
	var subs sync.Map
	// live checks that the subscription of a held order pushed every entry,
	// in order, along allowed status moves, and returns the statuses.
	live := func(t *testing.T, orderID string) []string {
		t.Helper()
		sub, _ := subs.Load(orderID)
		return statuses(followOrder(t, sub.(*subscription), 10*time.Second))
	}

	// held places an order and injects a failure while it waits for approval,
	// then approves it.
	held := func(t *testing.T, c *client, sku string, step orderly.Step, mode orderly.FailureMode) (placedOrder, product, int) {
		t.Helper()
		p := productBySKU(t, c, sku)
		before := productStock(t, c, p.ID)
		order := buy(t, c, p.ID, 2)
		subs.Store(order.ID, c.subscribe(t, orderUpdatedSubscription, map[string]any{"id": order.ID}))
		waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
		s.injectFailure(t, order.ID, step, mode)
		s.approve(t, order.ID)
		return order, p, before
	}

	runConcurrently(t,
		scenario{"transient at payment recovers by retry", func(t *testing.T) {
			c := s.register(t, "transient")
			order, p, before := held(t, c, "AUD-002", orderly.StepPayment, orderly.FailureTransient)
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			if got := o.entries(string(orderly.EntryFailure), `^Payment: attempt [12] lost the provider's answer \(injected transient failure\)`); len(got) != 2 {
				t.Errorf("want the two failed payment attempts on the timeline, got %v; timeline:%s", got, o.timelineText())
			}
			if got := o.entries(string(orderly.EntryInfo), `^Payment: attempt 3, retrying`); len(got) != 1 {
				t.Errorf("the successful retry is not on the timeline:%s", o.timelineText())
			}
			// Three attempts reached the provider; it held the money once.
			if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "CAPTURE"}) || !o.captured() {
				t.Errorf("ledger %v, want one authorization and one capture", kinds)
			}
			db.checkProviderMatches(t, o)
			auths := activityRunsNamed(s.activityRuns(t, o.WorkflowID), "AuthorizePayment")
			if len(auths) != 1 || auths[0].attempt != 3 || auths[0].closed != enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED {
				t.Errorf("AuthorizePayment in the history: %+v, want one activity completed on attempt 3", auths)
			}
			if got := waitStock(t, c, p.ID, before-2); got != before-2 {
				t.Errorf("stock %d, want %d", got, before-2)
			}
		}},
		scenario{"timeout at payment times out and retries", func(t *testing.T) {
			c := s.register(t, "timeout")
			order, _, _ := held(t, c, "AUD-004", orderly.StepPayment, orderly.FailureTimeout)
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			if got := o.entries(string(orderly.EntryFailure), `^Payment: attempt 1 stalls past its \d+s timeout`); len(got) != 1 {
				t.Errorf("the stalled attempt is not on the timeline:%s", o.timelineText())
			}
			if got := o.entries(string(orderly.EntryInfo), `^Payment: attempt 2, retrying`); len(got) != 1 {
				t.Errorf("the retry after the timeout is not on the timeline:%s", o.timelineText())
			}
			// The history proves that Temporal, not the activity, ended the
			// first attempt: the attempt that completed is the second, and
			// the failure before it is a start-to-close timeout.
			auths := activityRunsNamed(s.activityRuns(t, o.WorkflowID), "AuthorizePayment")
			if len(auths) != 1 {
				t.Fatalf("AuthorizePayment runs %+v, want one", auths)
			}
			ch := auths[0]
			timeout := ch.lastFailure.GetTimeoutFailureInfo()
			if ch.attempt != 2 || timeout == nil || timeout.GetTimeoutType() != enumspb.TIMEOUT_TYPE_START_TO_CLOSE || ch.closed != enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED {
				t.Errorf("AuthorizePayment: attempt %d, last failure %v, closed %v; want completed on attempt 2 after a START_TO_CLOSE timeout", ch.attempt, ch.lastFailure, ch.closed)
			}
			if !o.captured() {
				t.Errorf("ledger %+v, want the total captured once", o.Ledger)
			}
			db.checkProviderMatches(t, o)
		}},
		scenario{"permanent at inventory undoes nothing", func(t *testing.T) {
			c := s.register(t, "perminventory")
			p := productBySKU(t, c, "OFF-003")
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 2)
			// Validation takes 1.5s: the failure lands before the reservation.
			s.injectFailure(t, order.ID, orderly.StepInventory, orderly.FailurePermanent)
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusFailed)
			if o.reason() != "inventory reservation failed: injected permanent failure" {
				t.Errorf("failure reason %q", o.reason())
			}
			if contains(o.statusPath(), string(orderly.StatusInventoryReserved)) {
				t.Fatalf("the order reserved stock before the failure (inject came too late): %v", o.statusPath())
			}
			if got := o.entries(string(orderly.EntryFailure), `^Inventory reservation failed: injected permanent failure$`); len(got) != 1 {
				t.Errorf("the failure is not on the timeline:%s", o.timelineText())
			}
			if got := o.entries(string(orderly.EntryCompensation), `.`); len(got) != 0 {
				t.Errorf("nothing was reserved or charged, yet compensations ran: %v", got)
			}
			if got := waitStock(t, c, p.ID, before); got != before {
				t.Errorf("stock %d, want untouched %d", got, before)
			}
			if o.Payment != nil || o.Ledger != nil || len(db.providerPayments(t, order.ID)) != 0 {
				t.Errorf("a payment exists: %+v %+v", o.Payment, o.Ledger)
			}
			checkFailedNotified(t, db, order.ID)
		}},
		scenario{"permanent at payment releases the stock", func(t *testing.T) {
			c := s.register(t, "permpayment")
			order, p, before := held(t, c, "KIT-002", orderly.StepPayment, orderly.FailurePermanent)
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusFailed)
			if o.reason() != "payment failed: injected permanent failure" {
				t.Errorf("failure reason %q", o.reason())
			}
			if got := o.entries(string(orderly.EntryFailure), `^Payment failed: injected permanent failure$`); len(got) != 1 {
				t.Errorf("the failure is not on the timeline:%s", o.timelineText())
			}
			if got := o.entries(string(orderly.EntryCompensation), `.`); len(got) != 1 || got[0] != "Reserved stock released" {
				t.Errorf("compensations %v, want only the stock release (nothing was held)", got)
			}
			if path := o.statusPath(); contains(path, string(orderly.StatusPaymentAuthorized)) || contains(path, string(orderly.StatusRefunded)) {
				t.Errorf("status path %v went through payment", path)
			}
			if o.Payment != nil || o.Ledger != nil || len(db.providerPayments(t, order.ID)) != 0 {
				t.Errorf("a payment exists: %+v %+v", o.Payment, o.Ledger)
			}
			if got := waitStock(t, c, p.ID, before); got != before {
				t.Errorf("stock %d, want it back to %d", got, before)
			}
			checkFailedNotified(t, db, order.ID)
			if got := live(t, order.ID); got[len(got)-1] != "FAILED" || contains(got, "PAYMENT_AUTHORIZED") {
				t.Errorf("subscription statuses %v, want FAILED without PAYMENT_AUTHORIZED", got)
			}
		}},
		scenario{"permanent at shipping voids and releases", func(t *testing.T) {
			c := s.register(t, "permshipping")
			order, p, before := held(t, c, "APP-002", orderly.StepShipping, orderly.FailurePermanent)
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusFailed)
			if o.reason() != "shipping failed: injected permanent failure" {
				t.Errorf("failure reason %q", o.reason())
			}
			path := o.statusPath()
			if n := len(path); n < 2 || path[n-2] != string(orderly.StatusShipping) || contains(path, string(orderly.StatusShipped)) {
				t.Errorf("status path %v, want SHIPPING, FAILED and never SHIPPED", path)
			}
			comps := o.entries(string(orderly.EntryCompensation), `^(Payment hold|Reserved stock)`)
			if len(comps) != 2 || comps[0] != "Payment hold released: "+formatUSD(o.Total.Amount) || comps[1] != "Reserved stock released" {
				t.Errorf("compensations %v, want the hold released then the stock", comps)
			}
			if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "VOID"}) || o.Ledger.Status != string(orderly.PaymentVoided) {
				t.Errorf("ledger %v (%+v), want the hold voided", kinds, o.Ledger)
			}
			db.checkProviderMatches(t, o)
			if got := waitStock(t, c, p.ID, before); got != before {
				t.Errorf("stock %d, want it back to %d", got, before)
			}
			checkFailedNotified(t, db, order.ID)
			if got := live(t, order.ID); !slices.Equal(got[len(got)-2:], []string{"SHIPPING", "FAILED"}) {
				t.Errorf("subscription statuses %v do not end SHIPPING, FAILED", got)
			}
		}},
	)
	db.checkInvariants(t)
}

// checkFailedNotified checks that the customer heard of the failure once.
func checkFailedNotified(t *testing.T, db *store, orderID string) {
	t.Helper()
	if ids := db.waitNotificationIDs(t, orderID, orderID+":failed"); !contains(ids, orderID+":failed") || contains(ids, orderID+":cancelled") {
		t.Errorf("notifications %v, want the failure and no cancellation", ids)
	}
}

// formatUSD writes cents as Money's String does: "USD 12.34".
func formatUSD(cents int) string { return orderly.USD(int64(cents)).String() }
