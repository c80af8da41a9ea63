package mongodb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// The benchmarks measure this package's hot paths with n orders already in
// the store, each against the same operation on a store holding
// baselineOrders, interleaved in the same run, to show what the store costs
// as it fills. On the embedded store every query but a plain _id lookup
// scans the whole collection, so the slowdown grows with n; on MongoDB the
// indexes keep it near 1.
//
//	slowdown          baseline ops/s ÷ ops/s: how many times slower at n
//	ops/s             the rate with n orders stored
//	baseline-ops/s    the rate with baselineOrders stored
//
//	go test -run '^$' -bench . ./mongodb/

var benchSizes = []int{1000, 5000}

const baselineOrders = 100

// benchGrowth runs op alternately on a store holding baselineOrders orders
// and on one holding n, timing each, and reports both rates and their
// ratio. setup prepares a store once it is filled and returns the op to
// time; i counts the op's calls on that store.
func benchGrowth(b *testing.B, n int, setup func(b *testing.B, db *DB, n int) func(ctx context.Context, i int) error) {
	ctx := context.Background()
	base, big := newTestDB(b), newTestDB(b)
	fillOrders(b, base, baselineOrders)
	fillOrders(b, big, n)
	baseOp, bigOp := setup(b, base, baselineOrders), setup(b, big, n)
	// One untimed op each first: the embedded store counts a collection's
	// rows again after a bulk insert at its next write, and until then
	// serves the op as it would a small collection (one scan, a second at
	// 1,000 orders). A store that starts with its orders counts them at
	// start-up, so the steady state is what production sees.
	const warmUp = -1
	if err := baseOp(ctx, warmUp); err != nil {
		b.Fatal(err)
	}
	if err := bigOp(ctx, warmUp); err != nil {
		b.Fatal(err)
	}
	var baseTime, bigTime time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := baseOp(ctx, i); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		if err := bigOp(ctx, i); err != nil {
			b.Fatal(err)
		}
		baseTime, bigTime = baseTime+mid.Sub(start), bigTime+time.Since(mid)
	}
	b.ReportMetric(float64(b.N)/bigTime.Seconds(), "ops/s")
	b.ReportMetric(float64(b.N)/baseTime.Seconds(), "baseline-ops/s")
	b.ReportMetric(bigTime.Seconds()/baseTime.Seconds(), "slowdown")
}

// fillOrders inserts n orders of cus_bulk with a realistic timeline, each
// stamped updatedAt long ago so that they sit outside the feed's window.
func fillOrders(b *testing.B, db *DB, n int) {
	b.Helper()
	ctx := context.Background()
	old := time.Now().Add(-time.Hour).UTC().Truncate(time.Millisecond)
	const batch = 500
	for start := 0; start < n; start += batch {
		docs := make([]any, 0, batch)
		for i := start; i < min(n, start+batch); i++ {
			o := newOrder("cus_bulk", fmt.Sprint("bulk", i))
			o.ID = fmt.Sprintf("ord_bulk%06d", i)
			o.Status, o.Version, o.CreatedAt, o.UpdatedAt = orderly.StatusCompleted, 10, old, old
			for v := 1; v <= 10; v++ {
				o.Timeline = append(o.Timeline, orderly.TimelineEntry{Version: v, EventID: fmt.Sprint("e", v), Kind: orderly.EntryStatus, Status: orderly.StatusCompleted, Detail: "bulk", At: old})
			}
			docs = append(docs, o)
		}
		if _, err := db.coll(colOrders).InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkApplyOrderEvent appends a timeline note to one order: the write
// behind every status change.
func BenchmarkApplyOrderEvent(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			benchGrowth(b, n, func(b *testing.B, db *DB, _ int) func(context.Context, int) error {
				svc := NewOrderService(db)
				o := createOrder(b, svc, "cus_a", "")
				return func(ctx context.Context, i int) error {
					_, err := svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: fmt.Sprint("e", i), Kind: orderly.EntryInfo})
					return err
				}
			})
		})
	}
}

// BenchmarkFindOrderByID reads stored orders by ID, the store's one indexed
// lookup.
func BenchmarkFindOrderByID(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			benchGrowth(b, n, func(b *testing.B, db *DB, size int) func(context.Context, int) error {
				svc := NewOrderService(db)
				return func(ctx context.Context, i int) error {
					_, err := svc.FindOrderByID(ctx, fmt.Sprintf("ord_bulk%06d", (i%size+size)%size))
					return err
				}
			})
		})
	}
}

// BenchmarkFeedPoll measures one read of the change log with one change
// announced since the last: the cost the feed pays every interval, and per
// change.
func BenchmarkFeedPoll(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			benchGrowth(b, n, func(b *testing.B, db *DB, _ int) func(context.Context, int) error {
				f := NewFeed(db, FeedOptions{})
				f.markPositioned() // the benchmark drives the reader itself
				orders := NewOrderService(db)
				o := createOrder(b, orders, "cus_a", "")
				sub := f.Subscribe(b.Context(), nil)
				go func() {
					for range sub {
					}
				}()
				last, err := db.lastChangeSeq(b.Context())
				if err != nil {
					b.Fatal(err)
				}
				r := &logReader{db: db, gapTimeout: time.Minute, lateTimeout: time.Minute, retention: DefaultLogRetention, next: last + 1,
					holes: map[int64]time.Time{}, waiting: map[changeKey]*announced{}}
				return func(ctx context.Context, i int) error {
					if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: fmt.Sprint("e", i), Kind: orderly.EntryInfo}); err != nil {
						return err
					}
					return r.poll(ctx, f)
				}
			})
		})
	}
}

// BenchmarkReserveRelease measures a reserve and its release of one line,
// with the demo catalog stored.
func BenchmarkReserveRelease(b *testing.B) {
	ctx := context.Background()
	db := seededDB(b)
	inv := NewInventoryService(db)
	p := DemoProducts()[0]
	order := plan(parcel(firstLocation(p), p.ID, 1))
	b.ResetTimer()
	for i := range b.N {
		id := fmt.Sprint("ord_", i)
		if err := inv.ReserveStock(ctx, id, order); err != nil {
			b.Fatal(err)
		}
		if err := inv.ReleaseStock(ctx, id, "", order[0].Lines); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}
