package e2e

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// TestLifecycleDurability kills the worker with SIGKILL in the middle of an
// order at three different steps (while it awaits approval, right after it
// was charged, and while the parcel is in transit), starts a fresh worker,
// and proves that the order completes from where it was, with no side effect
// done twice: one authorization and one capture (on the ledger and in the
// provider's own books), the stock decremented once, one notification per
// milestone, each status entered once. TestMoneyExactlyOnceUnderKill kills
// the worker inside each money step.
func TestLifecycleDurability(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{trackingInterval: time.Second, trackingUpdates: 3})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, 5*time.Minute)
	c := s.customer(t)

	// Each step runs in turn: every kill takes the one worker down.
	steps := []struct {
		name string
		// until brings the order to the step to kill at and returns what
		// it saw.
		until func(t *testing.T, orderID string) fullOrder
		// after does what the order still needs once the new worker runs.
		after func(t *testing.T, orderID string)
	}{
		{"while awaiting approval",
			func(t *testing.T, id string) fullOrder {
				return waitStatus(t, c, id, 30*time.Second, orderly.StatusAwaitingApproval)
			},
			// The approval is handled by the new worker.
			func(t *testing.T, id string) { s.approve(t, id) }},
		{"right after the authorization",
			func(t *testing.T, id string) fullOrder {
				waitStatus(t, c, id, 30*time.Second, orderly.StatusAwaitingApproval)
				s.approve(t, id)
				return waitOrderEvery(t, c, id, 30*time.Second, 20*time.Millisecond, "the authorization", func(o fullOrder) bool {
					return o.Ledger != nil
				})
			}, nil},
		{"in transit",
			func(t *testing.T, id string) fullOrder {
				waitStatus(t, c, id, 30*time.Second, orderly.StatusAwaitingApproval)
				s.approve(t, id)
				return waitOrder(t, c, id, 30*time.Second, "a tracking update", func(o fullOrder) bool {
					return len(o.entries(string(orderly.EntryInfo), `^In transit \(update 1 of 3\)`)) == 1
				})
			}, nil},
	}
	products := []string{"AUD-003", "OFF-004", "APP-001"}
	for i, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			p := productBySKU(t, c, products[i])
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 2)
			seen := step.until(t, order.ID)
			killed := s.killWorker(t)
			t.Logf("killed worker pid %d with the order %s at v%d", killed, seen.Status, seen.Version)
			fresh := s.startWorker()
			if step.after != nil {
				step.after(t, order.ID)
			}
			o := waitFinal(t, c, order.ID, 2*time.Minute, orderly.StatusCompleted)

			// No step's side effect happened twice.
			checkExactlyOnce(t, db, o, before-2)

			// The new worker did the rest: it ran the last activities.
			runs := s.activityRuns(t, o.WorkflowID)
			if last := runs[len(runs)-1]; !strings.HasPrefix(last.identity, fmt.Sprintf("%d@", fresh.Pid())) {
				t.Errorf("the last activity (%s) ran on %q, not on the new worker (pid %d)", last.name, last.identity, fresh.Pid())
			}
			if got := activityRunsNamed(runs, "AuthorizePayment"); len(got) != 1 {
				t.Errorf("AuthorizePayment scheduled %d times", len(got))
			}
		})
	}
	db.checkInvariants(t)
}

// killWorker kills the app's newest worker with SIGKILL, as a crash would,
// waits until it is gone and returns its pid.
func (s *stack) killWorker(t testing.TB) int {
	t.Helper()
	w := s.workers[len(s.workers)-1]
	if err := syscall.Kill(w.Pid(), syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 %d: %v", w.Pid(), err)
	}
	select {
	case <-w.Done():
	case <-time.After(10 * time.Second):
		t.Fatalf("worker %d still running 10s after SIGKILL", w.Pid())
	}
	return w.Pid()
}

// waitOrderEvery is waitOrder with a polling interval, for catching an order
// in a status it leaves quickly.
func waitOrderEvery(t testing.TB, c *client, id string, timeout, every time.Duration, what string, cond func(fullOrder) bool) fullOrder {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		o := getOrder(t, c, id)
		if cond(o) {
			return o
		}
		if orderly.OrderStatus(o.Status).IsFinal() || time.Now().After(deadline) {
			t.Fatalf("order %s never got %s within %s; it is %s, timeline:%s", id, what, timeout, o.Status, o.timelineText())
		}
		time.Sleep(every)
	}
}
