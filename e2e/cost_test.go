package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// costHistory is the number of orders TestStoreCostLimits stores first,
// about the size of the store of the report in issue 10 (240 scans of the
// orders collection in 8.8 s: 37 ms each). A scan of this store decodes
// every order with its timeline, so its cost grows with it: at 50 orders,
// about 80 ms here; at 150, about 270 ms.
const costHistory = 30

// storeTimeTarget is what issue 10 asks of the worst operation within the
// limits on the embedded store; the test asserts four times that, and
// reports what it measured.
const storeTimeTarget = 250 * time.Millisecond

// TestStoreCostLimits, on the real server binary and the embedded store
// with costHistory orders: the report's request (120 aliases of
// orders(first: 1) { totalCount }, 8.8 s before, and another client's
// product(id) read took 3.9 s during it) is refused at once, reading
// nothing; the most expensive operations within the limits answer within
// four times the 250 ms target, and so does a point read of another client
// during them.
//
// It is not parallel: it measures, and runs alone in the package's
// sequential phase, on a quiet store.
func TestStoreCostLimits(t *testing.T) {
	binary(t, "worker")
	binary(t, "server")
	a := startApp(t, appOptions{})
	db := a.openStore(t)
	fillHistory(t, db, costHistory)
	storeCustomers(t, db, costHistory)
	op := a.operator(t)
	other := a.customer(t)
	p := cheapest(t, other, 1)
	pointRead := fmt.Sprintf(`{ product(id: %q) { id name stock } }`, p.ID)
	productReads := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, " p%d: product(id: %q) { id name price { amount } }", i, p.ID)
		}
		return b.String()
	}

	var report strings.Builder
	timed := func(c *client, query string) (time.Duration, []gqlError) {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		start := time.Now()
		errs, err := c.do(ctx, query, nil, nil)
		if err != nil {
			t.Fatalf("request: %v", err)
		}
		return time.Since(start), errs
	}

	var issue strings.Builder
	issue.WriteString("{")
	for i := range 120 {
		fmt.Fprintf(&issue, " a%d: orders(first: 1) { totalCount }", i)
	}
	issue.WriteString(" }")
	took, errs := timed(op, issue.String())
	if len(errs) != 1 || errs[0].Extensions["code"] != "ROOT_FIELD_LIMIT_EXCEEDED" {
		t.Fatalf("the report's 120 counts: %+v", errs)
	}
	fmt.Fprintf(&report, "\n  the report's 120 counts: refused (ROOT_FIELD_LIMIT_EXCEEDED) in %s", took.Round(time.Millisecond))

	idle := make([]time.Duration, 20)
	for i := range idle {
		idle[i], _ = timed(other, pointRead)
	}
	slices.Sort(idle)
	fmt.Fprintf(&report, "\n  another client's product(id), store idle: median %s, max %s",
		idle[len(idle)/2].Round(time.Millisecond), idle[len(idle)-1].Round(time.Millisecond))

	// The most expensive operations the limits let through: 4 scans of the
	// orders collection or its neighbours and 10 root fields, as the
	// operator (who lists every order).
	worst := []struct{ name, query string }{
		{"two order pages with counts, 8 product reads", `{ a: orders(first: 100) { totalCount edges { node { id status total { amount } } } }
			b: orders(first: 100, filter: {statuses: [COMPLETED]}) { totalCount edges { node { id updatedAt } } }` + productReads(8) + ` }`},
		{"a page, its count, customers and products, 9 product reads", `{ orders(first: 40) { totalCount edges { node { id customer { id name }
			lines { quantity product { id name } } } } }` + productReads(9) + ` }`},
	}
	for _, w := range worst {
		alone := make([]time.Duration, 5)
		for i := range alone {
			d, errs := timed(op, w.query)
			if len(errs) > 0 {
				t.Fatalf("%s: refused or failed: %+v", w.name, errs)
			}
			alone[i] = d
		}
		slices.Sort(alone)
		worstAlone := alone[len(alone)-1]

		// The same operation, three times in a row, while another client
		// reads one product over and over.
		var (
			mu     sync.Mutex
			during []time.Duration
			wg     sync.WaitGroup
		)
		done := make(chan struct{})
		wg.Go(func() {
			for {
				select {
				case <-done:
					return
				default:
				}
				d, _ := timed(other, pointRead)
				mu.Lock()
				during = append(during, d)
				mu.Unlock()
			}
		})
		for range 3 {
			if _, errs := timed(op, w.query); len(errs) > 0 {
				t.Fatalf("%s: %+v", w.name, errs)
			}
		}
		close(done)
		wg.Wait()
		slices.Sort(during)
		stall := during[len(during)-1]
		fmt.Fprintf(&report, "\n  %s: alone median %s, max %s; another client's product(id) meanwhile: %d reads, median %s, max %s",
			w.name, alone[len(alone)/2].Round(time.Millisecond), worstAlone.Round(time.Millisecond),
			len(during), during[len(during)/2].Round(time.Millisecond), stall.Round(time.Millisecond))
		// Alone, the operation stays within four times the target, and so
		// does another client's point read beside it. (That its root fields
		// take turns at the store, rather than queue at once, is shown by
		// graph's TestRootFieldsTakeTurns; timings here are too coarse.)
		if worstAlone > 4*storeTimeTarget {
			t.Errorf("%s took %s, more than four times the %s target", w.name, worstAlone, storeTimeTarget)
		}
		if stall > 4*storeTimeTarget {
			t.Errorf("%s held another client's point read for %s, more than four times the %s target", w.name, stall, storeTimeTarget)
		}
	}
	t.Logf("store cost, %d orders stored:%s", costHistory, report.String())
}

// storeCustomers stores the customers fillHistory's orders belong to, so
// that an order's customer resolves.
func storeCustomers(t testing.TB, db *store, orders int) {
	t.Helper()
	var docs []any
	for i := range min(orders, 50) {
		docs = append(docs, orderly.Customer{ID: fmt.Sprint("cus_hist", i), Email: fmt.Sprintf("hist%d@example.com", i),
			Name: fmt.Sprint("History ", i), Role: orderly.RoleCustomer, CreatedAt: time.Now().UTC()})
	}
	ctx, cancel := storeCtx(t)
	defer cancel()
	if _, err := db.raw.Collection("customers").InsertMany(ctx, docs); err != nil {
		t.Fatal(err)
	}
}
