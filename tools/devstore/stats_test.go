package main

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestDevstoreStats(t *testing.T) {
	s := startStore(t, t.TempDir())
	ctx := testContext(t)
	c := connect(t, s.uri)
	coll := c.Database("stats").Collection("items")
	if _, err := coll.InsertMany(ctx, fillers(minGuardRows, "a", "b")); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := coll.FindOne(ctx, bson.D{{Key: "_id", Value: "a"}}).Err(); err != nil {
			t.Fatal(err)
		}
	}
	inc := bson.D{{Key: "$inc", Value: bson.D{{Key: "v", Value: 1}}}}
	for range 2 { // the second finds v = 2: the guard fails
		if _, err := coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: "a"}, {Key: "v", Value: 1}}, inc); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := coll.Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{"a", "b"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := cur.All(ctx, new([]bson.Raw)); err != nil {
		t.Fatal(err)
	}

	// Answered by the devstore: FerretDB knows no such command.
	st := storeStats(ctx, t, c)
	want := []struct {
		command, counter string
		n                int64
	}{
		{"find", "requests", 4},
		{"find", "gated", 1}, // the split $in; finds by _id alone bypass the gate
		{"find", "split", 1},
		{"find", "backendRequests", 3 + 2},
		{"update", "requests", 2},
		{"update", "gated", 2},
		{"update", "rewritten", 1},
		{"update", "answered", 1},
		{"update", "backendRequests", 2 + 1}, // two checks, one write
		{"insert", "gated", 1},
	}
	for _, w := range want {
		if got := commandCount(st, w.command, w.counter); got != w.n {
			t.Errorf("%s.%s = %d, want %d", w.command, w.counter, got, w.n)
		}
	}
	for _, counter := range []string{"gateHeldNanos", "backendNanos"} {
		if commandCount(st, "update", counter) <= 0 {
			t.Errorf("update.%s not counted", counter)
		}
	}
	if commandCount(st, "find", "gateHeldNanos") <= 0 || commandCount(st, "hello", "gated") != 0 {
		t.Errorf("gate time: find %d ns held, hello gated %d times", commandCount(st, "find", "gateHeldNanos"), commandCount(st, "hello", "gated"))
	}
	if _, ok := st.Lookup("commands", statsCommand).DocumentOK(); ok {
		t.Error("devstoreStats counts itself")
	}
	for _, k := range []string{"uptimeNanos", "cpuUserNanos"} {
		if v, _ := st.Lookup(k).AsInt64OK(); v <= 0 {
			t.Errorf("%s = %d", k, v)
		}
	}
	byColl := st.Lookup("collections", coll.Name()+" update")
	if n, _ := byColl.Document().Lookup("requests").AsInt64OK(); n != 2 {
		t.Errorf("collections[%q] = %s, want 2 requests", coll.Name()+" update", byColl)
	}
	if v, _ := st.Lookup("idIndexesCreated").AsInt64OK(); v != 1 {
		t.Errorf("idIndexesCreated = %d, want 1", v)
	}
}
