package e2e

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	tclient "go.temporal.io/sdk/client"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/mongodb"
)

// BenchmarkOrderThroughput places orders through the real stack (server and
// worker binaries, the Temporal dev server, the embedded store) and measures
// how many run from placeOrder to COMPLETED per second, with 0 and with 200
// completed orders already stored (the embedded store scans them on every
// update). Each iteration is a batch: benchShoppers customers each place one
// order at the same moment, and the batch ends when every order's workflow
// has completed. A first, untimed batch warms the stack up (workers, each
// customer's rewards workflow).
//
// The baseline, measured in the same run on the same database before and
// after each batch, is the store's raw OrderService.ApplyOrderEvent rate:
// each timeline entry of an order is one such write, and the store serves one
// request at a time. It reports:
//
//	orders/s        completed orders per second
//	latency-s       mean time from placeOrder to the workflow's completion
//	events/order    timeline entries per order (ApplyOrderEvent calls)
//	store-events/s  the baseline: ApplyOrderEvent calls per second, alone
//	store-share     orders/s × events/order ÷ store-events/s: the share of
//	                the run the store spends on timeline writes alone. Near
//	                1, the store is the bottleneck; the rest goes to the
//	                store's other requests, the worker and Temporal.
//
// Completion is awaited through Temporal (a workflow result long poll), not
// by polling the store, so that waiting adds no load to the store.
//
//	go test -run '^$' -bench OrderThroughput ./e2e/
func BenchmarkOrderThroughput(b *testing.B) {
	for _, stored := range []int{0, 200} {
		b.Run(fmt.Sprintf("stored=%d", stored), func(b *testing.B) { benchOrders(b, stored) })
	}
}

// benchShoppers is the batch size: orders placed at the same moment.
const benchShoppers = 8

// benchProbeEvents is how many raw ApplyOrderEvent calls measure the store
// before and after each batch.
const benchProbeEvents = 5

// benchBatchTimeout bounds one batch.
const benchBatchTimeout = 3 * time.Minute

func benchOrders(b *testing.B, stored int) {
	ns := newNamespace(b)
	a := startApp(b, appOptions{env: []string{
		"TEMPORAL_NAMESPACE=" + ns,
		"SHIPPING_TRACKING_INTERVAL=10ms",
		"SHIPPING_TRACKING_UPDATES=0",
		// The order workflow stays open through the return window after
		// COMPLETED; the benchmark waits for the workflow, so the window is
		// as short as the configuration allows.
		"RETURN_WINDOW=10ms",
		"FEED_POLL_INTERVAL=250ms", // the default; nobody subscribes here anyway
	}})
	s := &stack{app: a, namespace: ns, op: a.operator(b)}
	s.setApproval(b, orderly.ApprovalNever, time.Hour)
	shoppers := make([]*client, benchShoppers)
	for i := range shoppers {
		shoppers[i] = a.register(b, fmt.Sprint("bench", i))
	}
	products := catalog(b, s.op)
	db := a.openStore(b)
	fillHistory(b, db, stored)
	orders := mongodb.NewOrderService(db.db)
	probe, _, err := orders.CreateOrder(b.Context(), benchProbeOrder())
	if err != nil {
		b.Fatal(err)
	}
	tc := s.temporal(b)

	orderBatch(b, tc, s.op, shoppers, products, 0) // warm-up

	var completed, events, probes int
	var latency, storeTime time.Duration
	storeRate := func() {
		b.StopTimer()
		defer b.StartTimer()
		start := time.Now()
		for range benchProbeEvents {
			e := orderly.OrderEvent{ID: fmt.Sprint("probe-", probes), Kind: orderly.EntryInfo, Detail: "benchmark probe"}
			if _, err := orders.ApplyOrderEvent(b.Context(), probe.ID, e); err != nil {
				b.Fatal(err)
			}
			probes++
		}
		storeTime += time.Since(start)
	}
	b.ResetTimer()
	for i := range b.N {
		storeRate()
		versions, took := orderBatch(b, tc, s.op, shoppers, products, i+1)
		for _, v := range versions {
			completed++
			events += v - 1 // version 1 is the insert
		}
		latency += took
		storeRate()
	}
	b.StopTimer()

	ordersPerSec := float64(completed) / b.Elapsed().Seconds()
	eventsPerOrder := float64(events) / float64(completed)
	storePerSec := float64(probes) / storeTime.Seconds()
	b.ReportMetric(ordersPerSec, "orders/s")
	b.ReportMetric(latency.Seconds()/float64(completed), "latency-s")
	b.ReportMetric(eventsPerOrder, "events/order")
	b.ReportMetric(storePerSec, "store-events/s")
	b.ReportMetric(ordersPerSec*eventsPerOrder/storePerSec, "store-share")
}

// benchProbeOrder is the order whose timeline the store baseline grows: it
// has no workflow, so nothing else touches it.
func benchProbeOrder() *orderly.Order {
	probe := &orderly.Product{ID: "prd_probe", SKU: "PROBE", Name: "Probe", Price: orderly.USD(100), Stock: 1}
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: "cus_benchprobe", IdempotencyKey: "probe",
		ShippingAddress: orderly.Address{Name: "Probe", Line1: "1 Probe St", City: "London", PostalCode: "N1 9GU", Country: "GB"},
		Lines:           []orderly.PricedCartLine{{Product: probe, Quantity: 1, UnitPrice: probe.Price, LineTotal: probe.Price}},
		At:              time.Now(),
	})
	if err != nil {
		panic(err)
	}
	return o
}

// fillHistory stores n completed orders with a ten-entry timeline, changed
// an hour ago, as a shop that has been running for a while holds.
func fillHistory(b testing.TB, db *store, n int) { fillHistoryTagged(b, db, n, "") }

// fillHistoryTagged is fillHistory with tag in the order IDs, so that it can
// run more than once on a database.
func fillHistoryTagged(b testing.TB, db *store, n int, tag string) {
	b.Helper()
	if n == 0 {
		return
	}
	old := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	docs := make([]any, 0, n)
	for i := range n {
		o := benchProbeOrder()
		o.ID, o.CustomerID = fmt.Sprintf("ord_hist%s%05d", tag, i), fmt.Sprint("cus_hist", i%50)
		o.Status, o.Version, o.CreatedAt, o.UpdatedAt = orderly.StatusCompleted, 10, old, old
		o.WorkflowID = orderly.OrderWorkflowIDFor(o.ID)
		for v := 1; v <= 10; v++ {
			o.Timeline = append(o.Timeline, orderly.TimelineEntry{Version: v, EventID: fmt.Sprint("e", v), Kind: orderly.EntryStatus, Status: orderly.StatusCompleted, Detail: "history", At: old})
		}
		docs = append(docs, o)
	}
	ctx, cancel := storeCtx(b)
	defer cancel()
	if _, err := db.raw.Collection("orders").InsertMany(ctx, docs); err != nil {
		b.Fatal(err)
	}
}

// orderBatch has every shopper place one order at once and waits until all
// have completed. It returns their final versions and the summed time from
// placing to completion.
func orderBatch(b *testing.B, tc tclient.Client, op *client, shoppers []*client, products []product, batch int) ([]int, time.Duration) {
	ctx, cancel := context.WithTimeout(b.Context(), benchBatchTimeout)
	defer cancel()
	type result struct {
		id   string
		took time.Duration
		err  error
	}
	results := make([]result, len(shoppers))
	var wg sync.WaitGroup
	for i, c := range shoppers {
		// Spread the orders over the catalog, so that stock lasts.
		p := products[(batch*len(shoppers)+i)%len(products)]
		wg.Go(func() {
			r := &results[i]
			start := time.Now()
			if r.id, r.err = placeBenchOrder(ctx, c, p.ID, fmt.Sprintf("bench-%d-%d", batch, i)); r.err != nil {
				return
			}
			r.err = tc.GetWorkflow(ctx, orderly.OrderWorkflowIDFor(r.id), "").Get(ctx, nil)
			r.took = time.Since(start)
		})
	}
	wg.Wait()

	var versions []int
	var took time.Duration
	for _, r := range results {
		if r.err != nil {
			b.Fatalf("order %s: %v", r.id, r.err)
		}
		var out struct{ Order *placedOrder }
		op.mustDo(b, `query($id: ID!) { order(id: $id) { id status version } }`, map[string]any{"id": r.id}, &out)
		if out.Order == nil || out.Order.Status != string(orderly.StatusCompleted) {
			b.Fatalf("order %s: %+v, want COMPLETED", r.id, out.Order)
		}
		versions = append(versions, out.Order.Version)
		took += r.took
	}
	return versions, took
}

// placeBenchOrder puts one unit of a product in the cart and checks out.
func placeBenchOrder(ctx context.Context, c *client, productID, key string) (string, error) {
	var cart struct{ AddToCart struct{ Errors []userError } }
	errs, err := c.do(ctx, `mutation($p: ID!) { addToCart(input: {productId: $p, quantity: 1}) { errors { code message } } }`,
		map[string]any{"p": productID}, &cart)
	if err != nil || len(errs) > 0 || len(cart.AddToCart.Errors) > 0 {
		return "", fmt.Errorf("addToCart: %v %+v %+v", err, errs, cart.AddToCart.Errors)
	}
	var out struct {
		PlaceOrder struct {
			Order  *placedOrder
			Errors []userError
		}
	}
	errs, err = c.do(ctx, `mutation($k: String!) { placeOrder(input: {idempotencyKey: $k, shippingAddress: {
		name: "Ada Lovelace", line1: "12 Analytical Row", city: "London", postalCode: "N1 9GU", country: "GB"}}) {
		order { id status version } errors { code message field } } }`, map[string]any{"k": key}, &out)
	if err != nil || len(errs) > 0 || len(out.PlaceOrder.Errors) > 0 || out.PlaceOrder.Order == nil {
		return "", fmt.Errorf("placeOrder: %v %+v %+v", err, errs, out.PlaceOrder.Errors)
	}
	return out.PlaceOrder.Order.ID, nil
}
