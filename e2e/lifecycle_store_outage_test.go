package e2e

import (
	"syscall"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// longStoreOutage outlasts every retry policy of the previous release: its
// step activities gave up after eight attempts, about a minute and a half of
// failures (five-second timeouts and backoff to ten seconds), and the order
// then FAILED.
const longStoreOutage = 100 * time.Second

// TestLifecycleStoreOutage freezes the store (SIGSTOP: every request hangs,
// the worst kind of slow) for longStoreOutage while three orders are in
// flight — one in transit, one just approved (its charge under way), one
// awaiting approval — then lets it go on (SIGCONT). An infrastructure error
// is not a business answer, so no order fails: each activity keeps retrying
// until the store answers, and every order completes with each side effect
// done exactly once.
func TestLifecycleStoreOutage(t *testing.T) {
	parallel(t)
	st := devstack.TestStoreAt(t, "127.0.0.1:0", t.TempDir())
	s := startStack(t, stackOptions{storeURI: st.URI, trackingInterval: time.Second, trackingUpdates: 3})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, time.Hour)
	c := s.customer(t)

	transit, charging, held := threeInFlight(t, s, c, [3]string{"AUD-004", "KIT-001", "OUT-004"}, nil)

	if err := syscall.Kill(st.Pid(), syscall.SIGSTOP); err != nil {
		t.Fatalf("stop the store: %v", err)
	}
	resumed := false
	resume := func() {
		if !resumed {
			resumed = true
			if err := syscall.Kill(st.Pid(), syscall.SIGCONT); err != nil {
				t.Errorf("resume the store: %v", err)
			}
		}
	}
	t.Cleanup(resume) // a stopped store would hang the test's cleanup
	time.Sleep(longStoreOutage)
	resume()
	t.Logf("store resumed after %s", longStoreOutage)

	s.approve(t, held.order.ID)
	for _, o := range []*inFlight{transit, charging, held} {
		final := waitFinal(t, c, o.order.ID, 3*time.Minute, orderly.StatusCompleted)
		checkExactlyOnce(t, db, final, o.stockBefore-1)
	}
	db.checkInvariants(t)
}
