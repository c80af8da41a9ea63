package devstack

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// noGateEnv, set to 1, runs TestGateMakesUpdatesAtomic against FerretDB
// without the gate, where it fails: the proof that the test can fail.
const noGateEnv = "DEVSTACK_PROOF_NO_GATE"

// TestGateMakesUpdatesAtomic hammers the devstore from two processes, as the
// server and the worker do, each with 8 concurrent clients.
func TestGateMakesUpdatesAtomic(t *testing.T) {
	const processes, stock = 2, 300
	store := testStore(t, os.Getenv(noGateEnv) == "1")
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()

	client, err := mongo.Connect(options.Client().ApplyURI(store.URI))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Disconnect(context.Background()) })
	gated := os.Getenv(noGateEnv) != "1"

	t.Run("conditional decrement never oversells", func(t *testing.T) {
		db := TestDatabase(t)
		coll := client.Database(db).Collection("hammer")
		// A catalog of products, as the reservations meet it: big enough
		// that the devstore serves the guarded decrement by _id.
		products := []any{bson.M{"_id": "product", "stock": stock}}
		for i := range 63 {
			products = append(products, bson.M{"_id": fmt.Sprint("other", i), "stock": stock})
		}
		if _, err := coll.InsertMany(ctx, products); err != nil {
			t.Fatal(err)
		}

		before := updateGuards(ctx, t, client, gated)
		got := hammer(ctx, t, store.URI, db, "decrement", processes)
		after := updateGuards(ctx, t, client, gated)

		var doc struct{ Stock int }
		if err := coll.FindOne(ctx, bson.M{"_id": "product"}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		t.Logf("%d processes × %d decrements of stock %d: %d succeeded, %d refused, %d errors; final stock %d",
			processes, hammerOps, stock, got.Changed, got.Unchanged, got.Errors, doc.Stock)
		// Only decrements run, so the final stock is also the lowest it
		// ever was: 0 means it never went negative.
		if got.Changed != stock || doc.Stock != 0 || got.Errors != 0 {
			t.Errorf("sold %d of %d (final stock %d, %d errors), want exactly %d sold, stock 0, no errors",
				got.Changed, stock, doc.Stock, got.Errors, stock)
		}
		// Through the devstore, each decrement is a guard served by _id:
		// rewritten when stock remained, answered by the devstore when not.
		if gated {
			rewritten, answered := after[0]-before[0], after[1]-before[1]
			if rewritten != int64(got.Changed) || answered != int64(got.Unchanged) {
				t.Errorf("devstore rewrote %d and answered %d of the guarded decrements, want %d and %d",
					rewritten, answered, got.Changed, got.Unchanged)
			}
		}
	})

	t.Run("upsert increment loses nothing", func(t *testing.T) {
		db := TestDatabase(t)
		coll := client.Database(db).Collection("hammer")

		got := hammer(ctx, t, store.URI, db, "upsert", processes)

		var doc struct{ N int }
		if err := coll.FindOne(ctx, bson.M{"_id": "counter"}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		want := processes * hammerOps
		t.Logf("%d processes × %d upsert increments: %d acknowledged, %d errors; counter %d",
			processes, hammerOps, got.Changed, got.Errors, doc.N)
		if got.Changed != want || doc.N != want || got.Errors != 0 {
			t.Errorf("counter %d after %d acknowledged increments (%d errors), want %d and %d and none",
				doc.N, got.Changed, got.Errors, want, want)
		}
	})
}

// updateGuards returns the devstore's counts of guarded updates it
// rewrote to an update by _id and answered itself (devstoreStats), or
// zeros from bare FerretDB, which has no such counters.
func updateGuards(ctx context.Context, t *testing.T, c *mongo.Client, gated bool) [2]int64 {
	t.Helper()
	if !gated {
		return [2]int64{}
	}
	raw, err := c.Database("admin").RunCommand(ctx, bson.D{{Key: "devstoreStats", Value: 1}}).Raw()
	if err != nil {
		t.Fatalf("devstoreStats: %v", err)
	}
	rewritten, _ := raw.Lookup("commands", "update", "rewritten").AsInt64OK()
	answered, _ := raw.Lookup("commands", "update", "answered").AsInt64OK()
	return [2]int64{rewritten, answered}
}

// hammer runs the workload in n child processes started together and sums
// their results.
func hammer(ctx context.Context, t *testing.T, uri, db, workload string, n int) hammerResult {
	t.Helper()
	type child struct {
		cmd   *exec.Cmd
		stdin io.WriteCloser
		lines *bufio.Scanner
	}
	children := make([]child, n)
	for i := range children {
		cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), hammerEnv+"="+workload, hammerURIEnv+"="+uri, hammerDBEnv+"="+db)
		cmd.Stderr = t.Output()
		cmd.WaitDelay = time.Second
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Wait() }) // CommandContext kills it if the test ends early
		children[i] = child{cmd, stdin, bufio.NewScanner(stdout)}
	}

	// Every client is connected before any starts, so the load overlaps.
	for i, c := range children {
		if !c.lines.Scan() || c.lines.Text() != "ready" {
			t.Fatalf("child %d did not get ready: %v", i, c.lines.Err())
		}
	}
	for _, c := range children {
		if _, err := io.WriteString(c.stdin, "go\n"); err != nil {
			t.Fatal(err)
		}
	}

	var sum hammerResult
	for i, c := range children {
		var r hammerResult
		if !c.lines.Scan() {
			t.Fatalf("child %d reported nothing: %v", i, c.lines.Err())
		}
		if _, err := fmt.Sscanf(c.lines.Text()+"\n", resultFormat, &r.Changed, &r.Unchanged, &r.Errors); err != nil {
			t.Fatalf("child %d: %q: %v", i, strings.TrimSpace(c.lines.Text()), err)
		}
		if err := c.cmd.Wait(); err != nil {
			t.Fatalf("child %d: %v", i, err)
		}
		sum.Changed += r.Changed
		sum.Unchanged += r.Unchanged
		sum.Errors += r.Errors
	}
	return sum
}
