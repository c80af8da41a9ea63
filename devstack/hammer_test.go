package devstack

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// The environment of a hammering child process.
const (
	hammerEnv    = "DEVSTACK_HAMMER" // the workload's name
	hammerURIEnv = "DEVSTACK_HAMMER_URI"
	hammerDBEnv  = "DEVSTACK_HAMMER_DB"
)

// Every child runs hammerClients clients that together issue hammerOps updates.
const (
	hammerClients = 8
	hammerOps     = 400
)

// workload is one kind of update that FerretDB alone gets wrong under
// concurrency.
type workload struct {
	name string
	// update runs once and reports whether it changed the document.
	update func(ctx context.Context, c *mongo.Collection) (bool, error)
}

// workloads lists what the gate must make atomic.
func workloads() map[string]workload {
	return map[string]workload{
		// Inventory reservation: decrement only while stock remains.
		"decrement": {name: "decrement", update: func(ctx context.Context, c *mongo.Collection) (bool, error) {
			r, err := c.UpdateOne(ctx,
				bson.M{"_id": "product", "stock": bson.M{"$gte": 1}},
				bson.M{"$inc": bson.M{"stock": -1}})
			if err != nil {
				return false, err
			}
			return r.ModifiedCount == 1, nil
		}},
		// Counter created on first use: concurrent upserts race to insert.
		"upsert": {name: "upsert", update: func(ctx context.Context, c *mongo.Collection) (bool, error) {
			r, err := c.UpdateOne(ctx,
				bson.M{"_id": "counter"},
				bson.M{"$inc": bson.M{"n": 1}},
				options.UpdateOne().SetUpsert(true))
			if err != nil {
				return false, err
			}
			return r.ModifiedCount+r.UpsertedCount == 1, nil
		}},
	}
}

// hammerResult is what a child reports on its last line of output.
type hammerResult struct {
	Changed, Unchanged, Errors int
}

const resultFormat = "result changed=%d unchanged=%d errors=%d\n"

// hammerChild is the body of a child process: connect every client, say
// "ready", wait for "go" on stdin so that both children start together,
// hammer, and print the result. It returns the exit code.
func hammerChild() int {
	w, ok := workloads()[os.Getenv(hammerEnv)]
	if !ok {
		fmt.Fprintln(os.Stderr, "unknown workload", os.Getenv(hammerEnv))
		return 2
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	colls := make([]*mongo.Collection, hammerClients)
	for i := range colls {
		// One connection per client: each is its own stream of requests.
		client, err := mongo.Connect(options.Client().ApplyURI(os.Getenv(hammerURIEnv)).SetMaxPoolSize(1))
		if err != nil {
			fmt.Fprintln(os.Stderr, "connect:", err)
			return 1
		}
		defer client.Disconnect(context.WithoutCancel(ctx))
		if err := client.Ping(ctx, nil); err != nil {
			fmt.Fprintln(os.Stderr, "ping:", err)
			return 1
		}
		colls[i] = client.Database(os.Getenv(hammerDBEnv)).Collection("hammer")
	}

	fmt.Println("ready")
	if line, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil || line != "go\n" {
		fmt.Fprintln(os.Stderr, "no go signal:", err)
		return 1
	}

	var changed, unchanged, errs atomic.Int64
	var wg sync.WaitGroup
	for _, c := range colls {
		wg.Go(func() {
			for range hammerOps / hammerClients {
				switch ok, err := w.update(ctx, c); {
				case err != nil:
					errs.Add(1)
				case ok:
					changed.Add(1)
				default:
					unchanged.Add(1)
				}
			}
		})
	}
	wg.Wait()
	fmt.Printf(resultFormat, changed.Load(), unchanged.Load(), errs.Load())
	return 0
}
