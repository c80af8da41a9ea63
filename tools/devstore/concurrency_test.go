package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// TestGuardedWritesStayAtomicBesideReads runs optimistic writers (read the
// document, write it back guarded by the version read, as the application
// does) beside readers that bypass the gate. The guard check and the write
// are two requests to FerretDB: were anything to come between them, two
// writers could pass the same version. Every read must see a whole
// document: a and b change together in one write.
func TestGuardedWritesStayAtomicBesideReads(t *testing.T) {
	const writers, attempts, readers, total = 6, 25, 3, 1000
	s := startStore(t, t.TempDir())
	ctx := testContext(t)
	coll := func() *mongo.Collection {
		return connect(t, s.uri, options.Client().SetMaxPoolSize(1)).Database("conc").Collection("accounts")
	}
	seed := append(fillers(minGuardRows), bson.D{{Key: "_id", Value: "acct"}, {Key: "version", Value: int64(0)},
		{Key: "a", Value: int64(0)}, {Key: "b", Value: int64(total)}})
	if _, err := coll().InsertMany(ctx, seed); err != nil {
		t.Fatal(err)
	}
	type account struct{ Version, A, B int64 }

	var won atomic.Int64
	var writing sync.WaitGroup
	errs := make(chan error, writers+readers)
	for range writers {
		c := coll()
		writing.Go(func() {
			for range attempts {
				var acc account
				if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "acct"}}).Decode(&acc); err != nil {
					errs <- err
					return
				}
				r, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "acct"}, {Key: "version", Value: acc.Version}},
					bson.D{{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}, {Key: "a", Value: 1}, {Key: "b", Value: -1}}}})
				if err != nil {
					errs <- err
					return
				}
				won.Add(r.ModifiedCount)
			}
		})
	}
	stop := make(chan struct{})
	var reading sync.WaitGroup
	var reads atomic.Int64
	for range readers {
		c := coll()
		reading.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				var acc account
				if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: "acct"}}).Decode(&acc); err != nil {
					errs <- err
					return
				}
				if acc.A+acc.B != total || acc.A != acc.Version {
					errs <- context.Canceled // reported below with the document
					t.Errorf("read a torn document: %+v", acc)
					return
				}
				reads.Add(1)
			}
		})
	}
	writing.Wait()
	close(stop)
	reading.Wait()
	close(errs)
	for err := range errs {
		if err != context.Canceled {
			t.Fatal(err)
		}
	}

	var acc account
	if err := coll().FindOne(ctx, bson.D{{Key: "_id", Value: "acct"}}).Decode(&acc); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d of %d guarded writes won, %d reads beside them; final %+v", won.Load(), writers*attempts, reads.Load(), acc)
	if acc.Version != won.Load() || acc.A != won.Load() || acc.B != total-won.Load() {
		t.Errorf("final %+v after %d acknowledged writes: an update was lost or applied twice", acc, won.Load())
	}
	if won.Load() == 0 {
		t.Error("no write won: the test proves nothing")
	}
	if st := storeStats(ctx, t, coll().Database().Client()); commandCount(st, "update", "rewritten") != won.Load() {
		t.Errorf("%d guarded writes rewritten, want all %d that won", commandCount(st, "update", "rewritten"), won.Load())
	}
}

// TestWritesToOneDocumentBesideWritesToAll runs writes that each name one
// document (keyed: they may run beside writes to other documents) beside
// updateMany, which touches all and must run alone. FerretDB reads then
// writes each document with no re-check, so a keyed increment landing
// inside an updateMany would be lost, or one of updateMany's. Every
// acknowledged increment must be in the final sum.
func TestWritesToOneDocumentBesideWritesToAll(t *testing.T) {
	const docs, keyedWriters, keyedWrites, manyWriters, manyWrites = 8, 6, 40, 2, 10
	s := startStore(t, t.TempDir())
	ctx := testContext(t)
	coll := func() *mongo.Collection {
		return connect(t, s.uri, options.Client().SetMaxPoolSize(1)).Database("conc").Collection("counters")
	}
	seed := make([]any, docs)
	for i := range seed {
		seed[i] = bson.D{{Key: "_id", Value: fmt.Sprint("d", i)}, {Key: "n", Value: int64(0)}}
	}
	if _, err := coll().InsertMany(ctx, seed); err != nil {
		t.Fatal(err)
	}
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: int64(1)}}}}

	var acknowledged atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, keyedWriters+manyWriters)
	for w := range keyedWriters {
		c := coll()
		wg.Go(func() {
			for i := range keyedWrites {
				r, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprint("d", (w+i)%docs)}}, inc)
				if err != nil {
					errs <- err
					return
				}
				acknowledged.Add(r.ModifiedCount)
			}
		})
	}
	for range manyWriters {
		c := coll()
		wg.Go(func() {
			for range manyWrites {
				r, err := c.UpdateMany(ctx, bson.D{}, inc)
				if err != nil {
					errs <- err
					return
				}
				acknowledged.Add(r.ModifiedCount)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	cur, err := coll().Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var got []struct{ N int64 }
	if err := cur.All(ctx, &got); err != nil {
		t.Fatal(err)
	}
	var sum int64
	for _, d := range got {
		sum += d.N
	}
	if want := int64(keyedWriters*keyedWrites + manyWriters*manyWrites*docs); acknowledged.Load() != want || sum != want {
		t.Errorf("sum of n = %d, %d increments acknowledged, want %d: an increment was lost", sum, acknowledged.Load(), want)
	}
	if st := storeStats(ctx, t, coll().Database().Client()); commandCount(st, "update", "keyed") != keyedWriters*keyedWrites {
		t.Errorf("%d updates ran keyed, want the %d that name their document", commandCount(st, "update", "keyed"), keyedWriters*keyedWrites)
	}
}
