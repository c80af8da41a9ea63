package mongodb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// The benchmarks measure this package's hot paths with n orders already in
// the store, to show what the store costs as it fills. On the embedded store
// every query scans the whole collection, so the figures fall as n grows; on
// MongoDB the indexes keep them flat.
//
//	go test -run '^$' -bench . -benchtime 200x ./mongodb/

var benchSizes = []int{100, 1000, 5000}

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
			o := newOrder("cus_bulk", "")
			o.ID = fmt.Sprintf("ord_bulk%06d", i)
			o.Status, o.Version, o.CreatedAt, o.UpdatedAt = orderly.StatusCompleted, 10, old, old
			for v := 1; v <= 10; v++ {
				o.Timeline = append(o.Timeline, orderly.TimelineEntry{Version: v, EventID: fmt.Sprint("e", v), Kind: orderly.EntryStatus, Status: orderly.StatusCompleted, Detail: "bulk", At: old})
			}
			docs = append(docs, orderDoc{Order: *o, DedupeKey: dedupeKey(o)})
		}
		if _, err := db.coll(colOrders).InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkApplyOrderEvent(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db := newTestDB(b)
			fillOrders(b, db, n)
			svc := NewOrderService(db)
			o := createOrder(b, svc, "cus_a", "")
			b.ResetTimer()
			for i := range b.N {
				if _, err := svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: fmt.Sprint("e", i), Kind: orderly.EntryInfo}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkFindOrderByID(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db := newTestDB(b)
			fillOrders(b, db, n)
			svc := NewOrderService(db)
			b.ResetTimer()
			for i := range b.N {
				if _, err := svc.FindOrderByID(ctx, fmt.Sprintf("ord_bulk%06d", i%n)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "reads/s")
		})
	}
}

// BenchmarkFeedPoll measures one poll of the three collections with n orders
// stored and none changed recently: the cost the feed pays every interval.
func BenchmarkFeedPoll(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("orders=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db := newTestDB(b)
			fillOrders(b, db, n)
			p := newPoller(db, DefaultPollOverlap)
			b.ResetTimer()
			for range b.N {
				if _, err := p.poll(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "polls/s")
		})
	}
}

// BenchmarkReserveRelease measures a reserve and its release of one line,
// with the demo catalog stored.
func BenchmarkReserveRelease(b *testing.B) {
	ctx := context.Background()
	db := seededDB(b)
	inv := NewInventoryService(db)
	line := []orderly.OrderLine{{ProductID: DemoProducts()[0].ID, Quantity: 1}}
	b.ResetTimer()
	for i := range b.N {
		id := fmt.Sprint("ord_", i)
		if err := inv.ReserveStock(ctx, id, line); err != nil {
			b.Fatal(err)
		}
		if err := inv.ReleaseStock(ctx, id, line); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}
