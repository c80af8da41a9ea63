package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// TestLifecycleConcurrentCancels: five cancels of an order held for
// approval, through the real server and worker, all get the same answer,
// success, and the order is cancelled once: one release of its stock, one
// CANCELLED. The first goes alone; the other four go at once as soon as the
// order's timeline shows its stock released, that is while the workflow
// compensates (the old validators told them "cannot cancel: the order is
// already awaiting_approval") or, if it was quicker, once it has closed (the
// old Client told them "the order is no longer running"). A cancel after the
// end succeeds the same way, and an approval then is a CONFLICT that names
// the end.
func TestLifecycleConcurrentCancels(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, 2*time.Minute)
	c := s.register(t, "fivecancels")
	p := cheapest(t, c, 1)
	before := productStock(t, c, p.ID)
	order := buy(t, c, p.ID, 1)
	waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)

	const cancels = 5
	answers := make([][]userError, cancels)
	failures := make([]error, cancels)
	cancel := func(i int) {
		ctx, stop := context.WithTimeout(t.Context(), 90*time.Second)
		defer stop()
		var out struct{ CancelOrder struct{ Errors []userError } }
		errs, err := c.do(ctx, `mutation($in: CancelOrderInput!) { cancelOrder(input: $in) { errors { code message field } } }`,
			map[string]any{"in": map[string]any{"orderId": order.ID, "reason": fmt.Sprintf("cancel %d", i+1)}}, &out)
		if err == nil && len(errs) > 0 {
			err = fmt.Errorf("top-level errors %+v", errs)
		}
		answers[i], failures[i] = out.CancelOrder.Errors, err
	}
	var wg sync.WaitGroup
	wg.Go(func() { cancel(0) })
	waitOrderEvery(t, c, order.ID, time.Minute, 10*time.Millisecond, "its stock released", func(o fullOrder) bool {
		return len(o.entries(string(orderly.EntryCompensation), `(?i)stock released`)) > 0 || o.Status == string(orderly.StatusCancelled)
	})
	for i := 1; i < cancels; i++ {
		wg.Go(func() { cancel(i) })
	}
	wg.Wait()
	for i := range cancels {
		if failures[i] != nil || len(answers[i]) > 0 {
			t.Errorf("cancel %d: %v %+v, want the same success as the others", i+1, failures[i], answers[i])
		}
	}

	o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusCancelled)
	if got := o.entries(string(orderly.EntryStatus), `(?i)cancelled`); len(got) != 1 {
		t.Errorf("want one CANCELLED entry, got %v; timeline:%s", got, o.timelineText())
	}
	checkCancelledClean(t, db, c, o, p.ID, before)

	// After the end: a sixth cancel is the same success, an approval a
	// CONFLICT that says the order is cancelled.
	mustAct(t, c, "cancelOrder", map[string]any{"orderId": order.ID})
	wantConflict(t, orderAction(t, s.op, "approveOrder", map[string]any{"orderId": order.ID}), `cannot approve: the order is already cancelled`)
}
