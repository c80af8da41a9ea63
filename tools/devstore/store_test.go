package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// testStore is a devstore run in the test process: the real FerretDB on
// SQLite in a temporary directory, behind the real gate.
type testStore struct {
	uri  string
	dir  string
	stop func()
}

// startStore runs the devstore with its data in dir and the given extra
// flags until stop is called or the test ends.
func startStore(t testing.TB, dir string, flags ...string) *testStore {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	args := append([]string{"-listen", "127.0.0.1:0", "-data", dir, "-log-level", "warn"}, flags...)
	done := make(chan error, 1)
	go func() {
		err := run(ctx, args, pw, testLog{t})
		pw.Close()
		done <- err
	}()

	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		cancel()
		t.Fatalf("devstore did not start: %v", <-done)
	}
	uri, ok := strings.CutPrefix(lines.Text(), "devstore: ready ")
	if !ok {
		cancel()
		t.Fatalf("devstore printed %q", lines.Text())
	}
	go func() { _, _ = io.Copy(io.Discard, pr) }()

	s := &testStore{uri: uri, dir: dir}
	s.stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("devstore: %v", err)
			}
		case <-time.After(30 * time.Second):
			t.Error("devstore did not stop")
		}
	})
	t.Cleanup(s.stop)
	return s
}

// testLog passes the devstore's log lines to the test's output while the
// test runs; the store stops before the test ends.
type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// connect returns a driver client of the store, disconnected when the test
// ends (before the store stops: cleanups run last registered first).
func connect(t testing.TB, uri string, opts ...*options.ClientOptions) *mongo.Client {
	t.Helper()
	o := append([]*options.ClientOptions{options.Client().ApplyURI(uri)}, opts...)
	c, err := mongo.Connect(o...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Disconnect(context.Background()) })
	return c
}

// testTimeout bounds each step of a test against the store.
const testTimeout = 30 * time.Second

// discardLog is a logger for components under test that should be quiet.
func discardLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// testContext bounds a test's store calls.
func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// storeStats runs devstoreStats.
func storeStats(ctx context.Context, t testing.TB, c *mongo.Client) bson.Raw {
	t.Helper()
	raw, err := c.Database("admin").RunCommand(ctx, bson.D{{Key: statsCommand, Value: 1}}).Raw()
	if err != nil {
		t.Fatalf("devstoreStats: %v", err)
	}
	return raw
}

// commandCount reads one counter of one command from a devstoreStats reply.
func commandCount(stats bson.Raw, command, counter string) int64 {
	v, _ := stats.Lookup("commands", command, counter).AsInt64OK()
	return v
}

// fillers returns n documents {_id, v: 1, email}, the first with the given
// _ids and the rest f0, f1…: collections smaller than minGuardRows are not
// rewritten, so tests of the rewrites need them.
func fillers(n int, ids ...string) []any {
	docs := make([]any, n)
	for i := range docs {
		id := fmt.Sprint("f", i)
		if i < len(ids) {
			id = ids[i]
		}
		docs[i] = bson.D{{Key: "_id", Value: id}, {Key: "v", Value: 1}, {Key: "email", Value: id + "@x"}}
	}
	return docs
}
