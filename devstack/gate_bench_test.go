package devstack

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// BenchmarkStoreGate measures what the devstore costs and saves: the same
// requests, from 1 and from 8 concurrent clients (one connection each, as
// separate processes would have), sent through the devstore as it runs
// ("gated": the gate, the _id index, the guard rewrites, reads bypassing
// the gate) and straight to FerretDB (-gate=false), interleaved in the same
// run. It reports the devstore's throughput over FerretDB's
// (gated/ungated: 1 means the same, 0.5 half the requests per second, 2
// twice as many).
//
// What each workload meets in the devstore: the point read is a read, so it
// takes no gate and FerretDB serves it from the _id index; the conditional
// decrement holds the gate and is served as two lookups by _id (the guard
// check and the write, see tools/devstore's guard) where FerretDB alone
// scans the collection.
//
// The ungated figure is not an alternative: FerretDB's updates are not atomic
// across connections, and the conditional-update case counts the acknowledged
// decrements that the ungated store lost (ungated-lost/op). The gate is the
// price of correctness on this store, and a gated decrement lost fails the
// benchmark.
//
//	go test -run '^$' -bench StoreGate ./devstack/
func BenchmarkStoreGate(b *testing.B) {
	stores := map[bool]*Store{false: testStore(b, false), true: testStore(b, true)}
	for _, w := range gateWorkloads() {
		for _, clients := range []int{1, 8} {
			b.Run(fmt.Sprintf("%s/clients=%d", w.name, clients), func(b *testing.B) {
				benchGate(b, stores, w, clients)
			})
		}
	}
}

// gateWorkload is one kind of request the application sends all the time.
type gateWorkload struct {
	name string
	// op sends request i and reports whether it changed a document.
	op func(ctx context.Context, c *mongo.Collection, i int) (bool, error)
}

// gateDocs is the size of the collection: the demo catalog's, which the
// reservations hit. Bare FerretDB scans it for every conditional update,
// so a bigger one slows the ungated path; through the devstore both
// workloads are lookups by _id, whatever the size.
const gateDocs = 20

// gateStock is the hot product's starting stock: more than any run sells,
// so that every decrement is entitled to succeed.
const gateStock = 1 << 30

func gateWorkloads() []gateWorkload {
	return []gateWorkload{
		// A product page or a dataloader batch: find by _id.
		{name: "point-read", op: func(ctx context.Context, c *mongo.Collection, i int) (bool, error) {
			var doc bson.M
			return false, c.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprint("p", i%gateDocs)}}).Decode(&doc)
		}},
		// An inventory reservation during a flash sale: every client
		// decrements the same product while stock remains.
		{name: "conditional-update", op: func(ctx context.Context, c *mongo.Collection, _ int) (bool, error) {
			r, err := c.UpdateOne(ctx,
				bson.D{{Key: "_id", Value: "p0"}, {Key: "stock", Value: bson.D{{Key: "$gte", Value: 1}}}},
				bson.D{{Key: "$inc", Value: bson.D{{Key: "stock", Value: -1}}}})
			if err != nil {
				return false, err
			}
			return r.ModifiedCount == 1, nil
		}},
	}
}

// gateSide is one path to the store: its clients and what they achieved.
type gateSide struct {
	colls   []*mongo.Collection
	elapsed time.Duration
	changed int64
}

func benchGate(b *testing.B, stores map[bool]*Store, w gateWorkload, clients int) {
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	db := TestDatabase(b)
	sides := map[bool]*gateSide{} // keyed by noGate, like stores
	for noGate, s := range stores {
		side := &gateSide{}
		for range clients {
			side.colls = append(side.colls, gateCollection(ctx, b, s.URI, db))
		}
		docs := make([]any, gateDocs)
		for i := range docs {
			docs[i] = bson.D{{Key: "_id", Value: fmt.Sprint("p", i)}, {Key: "sku", Value: fmt.Sprint("SKU-", i)},
				{Key: "name", Value: fmt.Sprint("Product ", i)}, {Key: "stock", Value: gateStock}, {Key: "reservations", Value: bson.A{}}}
		}
		if _, err := side.colls[0].InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = side.colls[0].Database().Drop(context.WithoutCancel(ctx)) })
		sides[noGate] = side
	}

	// Alternate the two paths in rounds, so that whatever else the machine
	// does weighs on both alike. Only the gated rounds are timed.
	const rounds = 8
	b.ResetTimer()
	for r := range rounds {
		lo, hi := b.N*r/rounds, b.N*(r+1)/rounds
		if lo == hi {
			continue
		}
		b.StopTimer()
		gateRound(ctx, b, w, sides[true], lo, hi)
		b.StartTimer()
		gateRound(ctx, b, w, sides[false], lo, hi)
	}
	b.StopTimer()

	gated, ungated := sides[false], sides[true]
	gatedRate := float64(b.N) / gated.elapsed.Seconds()
	ungatedRate := float64(b.N) / ungated.elapsed.Seconds()
	b.ReportMetric(gatedRate, "gated-ops/s")
	b.ReportMetric(ungatedRate, "ungated-ops/s")
	b.ReportMetric(gatedRate/ungatedRate, "gated/ungated")
	if w.name != "conditional-update" {
		return
	}
	gatedLost := lostDecrements(ctx, b, gated)
	ungatedLost := lostDecrements(ctx, b, ungated)
	b.ReportMetric(float64(ungatedLost)/float64(b.N), "ungated-lost/op")
	if gatedLost != 0 {
		b.Fatalf("through the gate, %d of %d acknowledged decrements were lost", gatedLost, gated.changed)
	}
	if ungatedLost > 0 {
		b.Logf("%d clients: ungated, %d of %d acknowledged decrements were lost (an oversell): the ungated figures are incorrect under concurrency; the gate is the price of correctness on this store",
			clients, ungatedLost, ungated.changed)
	}
}

// gateCollection connects one client with a single connection.
func gateCollection(ctx context.Context, b *testing.B, uri, db string) *mongo.Collection {
	b.Helper()
	c, err := mongo.Connect(options.Client().ApplyURI(uri).SetMaxPoolSize(1))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = c.Disconnect(context.WithoutCancel(ctx)) })
	if err := c.Ping(ctx, nil); err != nil {
		b.Fatal(err)
	}
	return c.Database(db).Collection("products")
}

// gateRound sends requests lo..hi-1 from all of side's clients at once.
func gateRound(ctx context.Context, b *testing.B, w gateWorkload, side *gateSide, lo, hi int) {
	next := atomic.Int64{}
	next.Store(int64(lo))
	var changed atomic.Int64
	var failed atomic.Pointer[error]
	var wg sync.WaitGroup
	start := time.Now()
	for _, c := range side.colls {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < hi; i = int(next.Add(1) - 1) {
				ok, err := w.op(ctx, c, i)
				if err != nil {
					failed.CompareAndSwap(nil, &err)
					return
				}
				if ok {
					changed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	side.elapsed += time.Since(start)
	side.changed += changed.Load()
	if err := failed.Load(); err != nil {
		b.Fatalf("%s: %v", w.name, *err)
	}
}

// lostDecrements compares the acknowledged decrements with the stock that
// actually went.
func lostDecrements(ctx context.Context, b *testing.B, side *gateSide) int64 {
	b.Helper()
	var doc struct{ Stock int64 }
	if err := side.colls[0].FindOne(ctx, bson.D{{Key: "_id", Value: "p0"}}).Decode(&doc); err != nil {
		b.Fatal(err)
	}
	return side.changed - (gateStock - doc.Stock)
}
