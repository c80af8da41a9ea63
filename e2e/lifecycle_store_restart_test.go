package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// storeOutage is the least time the store stays down (the checks made
// meanwhile take longer: a request waits up to the driver's 10 s server
// selection timeout): long enough for in-flight activities to fail and be
// retried, short enough for the retry policies (the steps give up after
// about two minutes of failures) to outlast it.
const storeOutage = 6 * time.Second

// TestLifecycleStoreRestart crashes the store (SIGKILL) while three orders
// are in flight — one in transit, one just approved (charging), one awaiting
// approval — keeps it down for storeOutage, and starts it again on the same
// address and data. The server and the worker keep running throughout.
//
// It proves that a store crash loses nothing and duplicates nothing: while
// the store is down /readyz says so and a mutation fails with a clean error
// that changes nothing; afterwards every order completes, each live
// subscription delivers every timeline entry once and in order (the change
// feed recovers by itself), and each order has exactly one payment, one
// stock decrement, one notification per milestone and one entry per status.
func TestLifecycleStoreRestart(t *testing.T) {
	parallel(t)
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	addr, dataDir := fmt.Sprintf("127.0.0.1:%d", port), filepath.Join(t.TempDir(), "store")
	st := devstack.TestStoreAt(t, addr, dataDir)
	s := startStack(t, stackOptions{storeURI: st.URI, trackingInterval: time.Second, trackingUpdates: 3})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, 5*time.Minute)
	c := s.customer(t)

	subs := map[*inFlight]*subscription{}
	transit, charging, held := threeInFlight(t, s, c, [3]string{"AUD-003", "OFF-004", "APP-001"}, func(o *inFlight) {
		subs[o] = c.subscribe(t, orderUpdatedSubscription, map[string]any{"id": o.order.ID})
	})
	orders := []*inFlight{transit, charging, held}

	// The crash.
	if err := syscall.Kill(st.Pid(), syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 store: %v", err)
	}
	select {
	case <-st.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("store still running 10s after SIGKILL")
	}
	downSince := time.Now()

	// While it is down the server says so, and a mutation fails cleanly.
	if code, body := get(t, s.servers[0].url+"/readyz"); code != http.StatusServiceUnavailable || !strings.Contains(body, `"mongodb":"unavailable"`) {
		t.Errorf("/readyz with the store down: %d %s, want 503 naming the store", code, body)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	var out struct{ ApproveOrder *struct{ Errors []userError } }
	gqlErrs, err := s.op.do(ctx, `mutation($in: ApproveOrderInput!) { approveOrder(input: $in) { errors { code message } } }`,
		map[string]any{"in": map[string]any{"orderId": held.order.ID}}, &out)
	cancel()
	if err != nil {
		t.Fatalf("approveOrder with the store down: %v", err)
	}
	// The session cannot be checked, so the request stops there: a 503
	// with UNAVAILABLE, which is neither "signed out" nor a leak of the
	// driver's error.
	if len(gqlErrs) != 1 || gqlErrs[0].Extensions["code"] != orderly.EUNAVAILABLE || strings.Contains(strings.ToLower(gqlErrs[0].Message), "mongo") {
		t.Errorf("approveOrder with the store down: errors %+v, data %+v; want one UNAVAILABLE error without detail", gqlErrs, out.ApproveOrder)
	}

	time.Sleep(storeOutage - time.Since(downSince))
	devstack.TestStoreAt(t, addr, dataDir)
	t.Logf("store back after %s", time.Since(downSince).Round(time.Millisecond))

	// The refused approval changed nothing: the order still waits for one.
	if o := getOrder(t, c, held.order.ID); o.Status != string(orderly.StatusAwaitingApproval) {
		t.Fatalf("held order is %s after a refused approval; timeline:%s", o.Status, o.timelineText())
	}
	s.approve(t, held.order.ID)

	for _, o := range orders {
		events := followOrder(t, subs[o], 2*time.Minute)
		if last := events[len(events)-1].OrderUpdated.Order.Status; last != string(orderly.StatusCompleted) {
			t.Errorf("%s (%s) ended %s over the subscription", o.order.ID, o.sku, last)
		}
		final := waitFinal(t, c, o.order.ID, time.Minute, orderly.StatusCompleted)
		if n := events[len(events)-1].OrderUpdated.Entry.Version; n != final.Version {
			t.Errorf("%s: the subscription ended at v%d, the order is at v%d", o.order.ID, n, final.Version)
		}
		checkExactlyOnce(t, db, final, o.stockBefore-1)
	}
	db.checkInvariants(t)
}

// get fetches a URL and returns its status code and body.
func get(t testing.TB, url string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}
