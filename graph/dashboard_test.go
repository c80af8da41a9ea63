package graph

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

const dashboardQuery = `query($w: Int) { operationsDashboard(windowMinutes: $w) {
  generatedAt windowMinutes from to ordersRead partial
  ordersByStatus { status count }
  minutes { start completed failed cancelled retries compensations }
  totals { completed failed cancelled retries compensations refunds stockReleases otherCompensations }
  timeToComplete { count p50Seconds p95Seconds maxSeconds }
} }`

type dashboardResult struct {
	OperationsDashboard struct {
		GeneratedAt, From, To time.Time
		WindowMinutes         int
		OrdersRead            int
		Partial               bool
		OrdersByStatus        []struct {
			Status string
			Count  int
		}
		Minutes []struct {
			Start                                                time.Time
			Completed, Failed, Cancelled, Retries, Compensations int
		}
		Totals struct {
			Completed, Failed, Cancelled, Retries, Compensations int
			Refunds, StockReleases, OtherCompensations           int
		}
		TimeToComplete struct {
			Count                              int
			P50Seconds, P95Seconds, MaxSeconds *float64
		}
	}
}

// dashboardFixture is a fixture whose API clock is the store's clock, or
// the time the test sets with the returned function (zero: the store's
// again).
func dashboardFixture(t *testing.T) (*fixture, func(time.Time)) {
	f := newFixture(t)
	var pinned atomic.Pointer[time.Time]
	f.resolver.Now = func() time.Time {
		if p := pinned.Load(); p != nil {
			return *p
		}
		return f.store.clock()
	}
	return f, func(t time.Time) {
		if t.IsZero() {
			pinned.Store(nil)
		} else {
			pinned.Store(&t)
		}
	}
}

// TestOperationsDashboard: the figures of orders placed and moved through
// the API's fakes, which record their timelines as the workflows do.
func TestOperationsDashboard(t *testing.T) {
	f, setNow := dashboardFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	done := f.placeOrder(f.aliceToken, "done")
	if err := f.store.advance(done, orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusPaid,
		orderly.StatusShipping, orderly.StatusShipped, orderly.StatusDelivered, orderly.StatusCompleted); err != nil {
		t.Fatal(err)
	}
	f.addToCart(f.bob, f.products[1], 1)
	failed := f.placeOrder(f.bobToken, "failed")
	for _, e := range []orderly.OrderEvent{
		{ID: "status:VALIDATED", Status: orderly.StatusValidated},
		{ID: "status:INVENTORY_RESERVED", Status: orderly.StatusInventoryReserved},
		{ID: orderly.AttemptEventID("order_"+failed, "9", 2, orderly.AttemptRetry), Detail: "attempt 2"},
		{ID: orderly.AttemptEventID("order_"+failed, "9", 3, orderly.AttemptRetry), Detail: "attempt 3"},
		{ID: "failure:PAYMENT", Kind: orderly.EntryFailure, Detail: "declined"},
		{ID: orderly.ReleaseStockEventID, Kind: orderly.EntryCompensation, Detail: "Reserved stock released"},
		{ID: "status:FAILED", Status: orderly.StatusFailed, FailureReason: "declined"},
	} {
		if _, err := f.store.ApplyOrderEvent(t.Context(), failed, e); err != nil {
			t.Fatal(err)
		}
	}
	f.addToCart(f.bob, f.products[2], 1)
	f.placeOrder(f.bobToken, "waiting")

	var got dashboardResult
	f.ok(f.adminToken, dashboardQuery, nil, &got)
	d := got.OperationsDashboard
	now := f.store.clock()
	if d.WindowMinutes != 60 || len(d.Minutes) != 60 || !d.GeneratedAt.Equal(now) || !d.From.Equal(orderly.DashboardSince(now, time.Hour)) ||
		!d.To.Equal(d.From.Add(time.Hour)) || d.Partial || d.OrdersRead != 3 {
		t.Errorf("window: %d minutes, %d buckets, generated %v, %v–%v, read %d, partial %v",
			d.WindowMinutes, len(d.Minutes), d.GeneratedAt, d.From, d.To, d.OrdersRead, d.Partial)
	}
	byStatus := map[string]int{}
	var statuses []string
	for _, sc := range d.OrdersByStatus {
		byStatus[sc.Status] = sc.Count
		statuses = append(statuses, sc.Status)
	}
	var all []string
	for _, s := range orderly.AllOrderStatuses {
		all = append(all, string(s))
	}
	if !slices.Equal(statuses, all) || byStatus["COMPLETED"] != 1 || byStatus["FAILED"] != 1 || byStatus["RECEIVED"] != 1 || byStatus["PAID"] != 0 {
		t.Errorf("by status: %v", d.OrdersByStatus)
	}
	tot := d.Totals
	if tot.Completed != 1 || tot.Failed != 1 || tot.Cancelled != 0 || tot.Retries != 2 || tot.Compensations != 1 ||
		tot.StockReleases != 1 || tot.Refunds != 0 || tot.OtherCompensations != 0 {
		t.Errorf("totals: %+v", tot)
	}
	var completed, retries int
	for i, m := range d.Minutes {
		completed += m.Completed
		retries += m.Retries
		if !m.Start.Equal(d.From.Add(time.Duration(i) * time.Minute)) {
			t.Errorf("minute %d starts %v", i, m.Start)
		}
	}
	if completed != 1 || retries != 2 {
		t.Errorf("minutes add up to %d completed, %d retries", completed, retries)
	}
	// The fake clock ticks a second per write: placement to COMPLETED.
	o := f.store.orders[done]
	want := o.Timeline[len(o.Timeline)-1].At.Sub(o.CreatedAt).Seconds()
	if ttc := d.TimeToComplete; ttc.Count != 1 || ttc.P50Seconds == nil || *ttc.P50Seconds != want || *ttc.P95Seconds != want || *ttc.MaxSeconds != want {
		t.Errorf("time to complete: %+v, want %v s", ttc, want)
	}

	// An hour later, a window of five minutes has five buckets, and none
	// measured is null.
	setNow(now.Add(time.Hour))
	f.ok(f.adminToken, dashboardQuery, map[string]any{"w": 5}, &got)
	if d := got.OperationsDashboard; len(d.Minutes) != 5 || d.Totals.Completed != 0 || d.TimeToComplete.Count != 0 || d.TimeToComplete.P50Seconds != nil ||
		d.OrdersRead != 0 {
		t.Errorf("an hour later, five minutes: %+v", d)
	}
}

func TestOperationsDashboardRefuses(t *testing.T) {
	f, _ := dashboardFixture(t)
	for _, tc := range []struct {
		name, token string
		window      any
		code        string
	}{
		{"anonymous", "", nil, "UNAUTHORIZED"},
		{"a customer", f.aliceToken, nil, "FORBIDDEN"},
		{"a window too short", f.adminToken, 4, "INVALID"},
		{"a window too long", f.adminToken, 61, "INVALID"},
		{"a window of 32 bits", f.adminToken, 2147483647, "INVALID"},
		{"a window beyond 32 bits", f.adminToken, 2147483648, "GRAPHQL_VALIDATION_FAILED"},
	} {
		r := f.do(tc.token, dashboardQuery, map[string]any{"w": tc.window})
		if !slices.Equal(r.codes(), []string{tc.code}) {
			t.Errorf("%s: errors %+v, want %s", tc.name, r.Errors, tc.code)
		}
	}
	if n := f.store.statsReads.Load(); n != 0 {
		t.Errorf("refused requests read the store %d times", n)
	}
}

// TestOperationsDashboardIsKept: within dashboardTTL every request of a
// window is answered from memory, concurrent ones by one read; then the
// figures are read again and show what changed.
func TestOperationsDashboardIsKept(t *testing.T) {
	f, setNow := dashboardFixture(t)
	t0 := f.store.clock()
	setNow(t0)
	completed := func(vars map[string]any) int {
		var got dashboardResult
		f.ok(f.adminToken, dashboardQuery, vars, &got)
		return got.OperationsDashboard.Totals.Completed
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { completed(nil) })
	}
	wg.Wait()
	if n := f.store.statsReads.Load(); n != 2 {
		t.Fatalf("8 concurrent requests read the store %d times, want 2 (one dashboard)", n)
	}

	f.addToCart(f.alice, f.products[0], 1)
	id := f.placeOrder(f.aliceToken, "k")
	if err := f.store.advance(id, orderly.StatusValidated, orderly.StatusInventoryReserved, orderly.StatusPaid,
		orderly.StatusShipping, orderly.StatusShipped, orderly.StatusDelivered, orderly.StatusCompleted); err != nil {
		t.Fatal(err)
	}
	setNow(t0.Add(dashboardTTL - time.Millisecond))
	if got := completed(nil); got != 0 || f.store.statsReads.Load() != 2 {
		t.Errorf("within the TTL: %d completed after %d reads; want the kept 0 after 2", got, f.store.statsReads.Load())
	}
	later := f.store.clock()
	if t0.Add(dashboardTTL).After(later) {
		later = t0.Add(dashboardTTL)
	}
	setNow(later)
	if got := completed(nil); got != 1 || f.store.statsReads.Load() != 4 {
		t.Errorf("after the TTL: %d completed after %d reads; want 1 after 4", got, f.store.statsReads.Load())
	}
	// Each window is kept on its own.
	if got := completed(map[string]any{"w": 30}); got != 1 || f.store.statsReads.Load() != 6 {
		t.Errorf("another window: %d completed after %d reads; want 1 after 6", got, f.store.statsReads.Load())
	}
	if got := completed(nil); got != 1 || f.store.statsReads.Load() != 6 {
		t.Errorf("the first window again: %d completed after %d reads; want 1 after 6", got, f.store.statsReads.Load())
	}
}
