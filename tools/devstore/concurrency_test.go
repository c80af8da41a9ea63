package main

import (
	"context"
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
