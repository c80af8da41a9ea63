package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// benchVariant is one way to run the store, from bare FerretDB behind the
// gate to the whole devstore.
type benchVariant struct {
	name  string
	flags []string
}

// benchVariants: the devstore is the candidate, the others its baselines.
func benchVariants() []benchVariant {
	return []benchVariant{
		{"devstore", nil},
		{"index-only", []string{"-pushdown=false"}},
		{"bare", []string{"-pushdown=false", "-id-index=false"}},
	}
}

// benchOp is one request the application sends all the time. state holds
// what the op needs to know of the collection (versions, statuses), one
// per store, since each store's documents change on their own.
type benchOp struct {
	name string
	do   func(ctx context.Context, c *mongo.Collection, st *benchState, rng *rand.Rand) error
}

type benchState struct {
	versions []int64
	charged  []bool
}

// BenchmarkIDPath measures the devstore's additions on the requests the
// application makes by _id, at 100 and 5,000 stored orders: the same
// request against the whole devstore (ns/op), the devstore with the _id
// index but no rewrites (-pushdown=false) and bare FerretDB behind the gate
// (no index, no rewrites), all three in the same run, interleaved. It
// reports each baseline's time per request and the ratio to it
// (bare/devstore: 10 means ten times faster than bare FerretDB).
//
// The baselines run fewer requests than the candidate (see benchIDPath):
// at 5,000 documents each of theirs scans the collection.
//
//	go -C tools/devstore test -run '^$' -bench IDPath .
func BenchmarkIDPath(b *testing.B) {
	ctx := context.Background()
	variants := benchVariants()
	colls := map[string]map[int]*mongo.Collection{}
	states := map[string]map[int]*benchState{}
	sizes := []int{100, 5000}
	for _, v := range variants {
		s := startStore(b, b.TempDir(), v.flags...)
		c := connect(b, s.uri, options.Client().SetMaxPoolSize(1))
		colls[v.name], states[v.name] = map[int]*mongo.Collection{}, map[int]*benchState{}
		for _, n := range sizes {
			coll := c.Database(fmt.Sprint("bench_", n)).Collection("orders")
			seedOrders(ctx, b, coll, n)
			colls[v.name][n] = coll
			states[v.name][n] = &benchState{versions: make([]int64, n), charged: make([]bool, n)}
		}
	}

	for _, n := range sizes {
		for _, op := range benchOps(n) {
			b.Run(fmt.Sprintf("docs=%d/%s", n, op.name), func(b *testing.B) {
				benchIDPath(ctx, b, variants, op, colls, states, n)
			})
		}
	}
}

// benchIDPath runs op in rounds that alternate the variants, so that
// whatever else the machine does weighs on all alike. Only the devstore's
// requests are timed by the benchmark; each baseline runs at most
// benchBaselineOps requests or benchBaselineTime per call, whichever ends
// first, and is timed on its own.
func benchIDPath(ctx context.Context, b *testing.B, variants []benchVariant, op benchOp,
	colls map[string]map[int]*mongo.Collection, states map[string]map[int]*benchState, n int) {
	const rounds = 4
	elapsed := map[string]time.Duration{}
	done := map[string]int{}
	rngs := map[string]*rand.Rand{}
	for _, v := range variants {
		rngs[v.name] = rand.New(rand.NewPCG(1, uint64(n)))
	}
	b.ResetTimer()
	b.StopTimer()
	for r := range rounds {
		for _, v := range variants {
			lo, hi := b.N*r/rounds, b.N*(r+1)/rounds
			budget := time.Duration(math.MaxInt64)
			if v.name != "devstore" {
				lo, hi = 0, max(1, min(b.N, benchBaselineOps)/rounds)
				budget = benchBaselineTime / rounds
			}
			// The baselines' scans leave garbage behind; collect it now rather
			// than in the next variant's time.
			runtime.GC()
			start := time.Now()
			if v.name == "devstore" {
				b.StartTimer()
			}
			for i := lo; i < hi && (i == lo || time.Since(start) < budget); i++ {
				if err := op.do(ctx, colls[v.name][n], states[v.name][n], rngs[v.name]); err != nil {
					b.Fatalf("%s: %v", v.name, err)
				}
				done[v.name]++
			}
			b.StopTimer()
			elapsed[v.name] += time.Since(start)
		}
	}
	perOp := map[string]float64{}
	for _, v := range variants {
		perOp[v.name] = float64(elapsed[v.name]) / float64(max(1, done[v.name]))
	}
	b.ReportMetric(perOp["index-only"], "index-only-ns/op")
	b.ReportMetric(perOp["bare"], "bare-ns/op")
	b.ReportMetric(perOp["bare"]/perOp["devstore"], "bare/devstore")
	b.ReportMetric(perOp["index-only"]/perOp["devstore"], "index-only/devstore")
}

// The baselines' share of a run: at 5,000 documents one of their guarded
// writes scans the collection for a second or more on a busy machine.
const (
	benchBaselineOps  = 40
	benchBaselineTime = 2 * time.Second
)

// seedOrders fills coll with n order-like documents: ten fields and three
// lines, so that FerretDB's scans decode as much as they do for real ones.
func seedOrders(ctx context.Context, b *testing.B, coll *mongo.Collection, n int) {
	b.Helper()
	const batch = 500
	for lo := 0; lo < n; lo += batch {
		var docs []any
		for i := lo; i < min(n, lo+batch); i++ {
			lines := bson.A{}
			for l := range 3 {
				lines = append(lines, bson.D{{Key: "productId", Value: fmt.Sprint("p", l)}, {Key: "name", Value: "A product name"},
					{Key: "quantity", Value: int32(l + 1)}, {Key: "unitPrice", Value: int64(1999)}})
			}
			docs = append(docs, bson.D{
				{Key: "_id", Value: orderID(i)}, {Key: "customerId", Value: fmt.Sprint("c", i%50)},
				{Key: "status", Value: "RESERVED"}, {Key: "version", Value: int64(0)}, {Key: "n", Value: int64(0)},
				{Key: "currency", Value: "EUR"}, {Key: "total", Value: int64(5997)},
				{Key: "createdAt", Value: bson.DateTime(1700000000000 + int64(i))},
				{Key: "address", Value: bson.D{{Key: "line1", Value: "1 Main Street"}, {Key: "city", Value: "Springfield"}, {Key: "country", Value: "US"}}},
				{Key: "lines", Value: lines},
			})
		}
		if _, err := coll.InsertMany(ctx, docs); err != nil {
			b.Fatal(err)
		}
	}
}

func orderID(i int) string { return fmt.Sprintf("o%05d", i) }

func benchOps(n int) []benchOp {
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}}
	byID := func(i int) bson.D { return bson.D{{Key: "_id", Value: orderID(i)}} }
	return []benchOp{
		{"find-by-id", func(ctx context.Context, c *mongo.Collection, _ *benchState, rng *rand.Rand) error {
			return c.FindOne(ctx, byID(rng.IntN(n))).Err()
		}},
		{"update-by-id", func(ctx context.Context, c *mongo.Collection, _ *benchState, rng *rand.Rand) error {
			_, err := c.UpdateOne(ctx, byID(rng.IntN(n)), inc)
			return err
		}},
		{"findAndModify-by-id", func(ctx context.Context, c *mongo.Collection, _ *benchState, rng *rand.Rand) error {
			return c.FindOneAndUpdate(ctx, byID(rng.IntN(n)), inc).Err()
		}},
		// An order event: a write guarded by the version it was read at.
		{"update-id-version", func(ctx context.Context, c *mongo.Collection, st *benchState, rng *rand.Rand) error {
			i := rng.IntN(n)
			r, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: orderID(i)}, {Key: "version", Value: st.versions[i]}},
				bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: int64(1)}}}})
			if err == nil && r.ModifiedCount != 1 {
				err = fmt.Errorf("version guard of %s failed", orderID(i))
			}
			st.versions[i]++
			return err
		}},
		// A charge or refund: a status transition guarded by the status.
		{"findAndModify-id-status", func(ctx context.Context, c *mongo.Collection, st *benchState, rng *rand.Rand) error {
			i := rng.IntN(n)
			from, to := "RESERVED", "CHARGED"
			if st.charged[i] {
				from, to = to, from
			}
			err := c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: orderID(i)}, {Key: "status", Value: from}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: to}}}}).Err()
			st.charged[i] = !st.charged[i]
			return err
		}},
		// A dataloader's batch.
		{"find-in-20", func(ctx context.Context, c *mongo.Collection, _ *benchState, rng *rand.Rand) error {
			ids := bson.A{}
			for range 20 {
				ids = append(ids, orderID(rng.IntN(n)))
			}
			cur, err := c.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
			if err != nil {
				return err
			}
			return cur.All(ctx, new([]bson.Raw))
		}},
	}
}
