package main

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestRewritesOnlyWhereTheyPay checks that a guard on a collection smaller
// than minGuardRows goes to FerretDB unchanged (its scan is cheaper there)
// and one on a larger collection is rewritten.
func TestRewritesOnlyWhereTheyPay(t *testing.T) {
	s := startStore(t, t.TempDir())
	ctx := testContext(t)
	c := connect(t, s.uri)
	db := c.Database("size")
	for coll, n := range map[string]int{"small": minGuardRows - 1, "large": minGuardRows} {
		if _, err := db.Collection(coll).InsertMany(ctx, fillers(n, "a")); err != nil {
			t.Fatal(err)
		}
	}
	guard := bson.D{{Key: "_id", Value: "a"}, {Key: "v", Value: 1}}
	set := bson.D{{Key: "$set", Value: bson.D{{Key: "w", Value: 1}}}}
	for _, coll := range []string{"small", "large"} {
		before := commandCount(storeStats(ctx, t, c), "update", "rewritten")
		if _, err := db.Collection(coll).UpdateOne(ctx, guard, set); err != nil {
			t.Fatal(err)
		}
		rewritten := commandCount(storeStats(ctx, t, c), "update", "rewritten") - before
		if want := map[string]int64{"small": 0, "large": 1}[coll]; rewritten != want {
			t.Errorf("%s collection: %d guards rewritten, want %d", coll, rewritten, want)
		}
	}
}

// TestRowCountsFollowWrites checks that the upkeep counts a collection's
// rows again on a write once the count is older than recountAfter.
func TestRowCountsFollowWrites(t *testing.T) {
	dir := t.TempDir()
	s := startStore(t, dir)
	ctx := testContext(t)
	coll := connect(t, s.uri).Database("grow").Collection("items")
	if _, err := coll.InsertMany(ctx, fillers(5)); err != nil {
		t.Fatal(err)
	}
	// An upkeep of its own over the store's files, to set the clock.
	x := newIDIndex(dir, true, testTimeout, discardLog(), nil)
	if err := x.scan(ctx, "grow", "items"); err != nil {
		t.Fatal(err)
	}
	if _, err := coll.InsertMany(ctx, fillers(40)[5:]); err != nil {
		t.Fatal(err)
	}
	insert := command{name: "insert", db: "grow", coll: "items", parsed: true}
	x.afterWrite(context.Background(), insert)
	if n := x.rows("grow", "items"); n != 5 {
		t.Fatalf("rows = %d right after counting, want the count of 5 kept", n)
	}
	x.mu.Lock()
	x.tables["grow"]["items"].countedAt = time.Now().Add(-recountAfter - time.Second)
	x.mu.Unlock()
	x.afterWrite(context.Background(), insert)
	if n := x.rows("grow", "items"); n != 40 {
		t.Fatalf("rows = %d after a write to a stale count, want 40", n)
	}
}
