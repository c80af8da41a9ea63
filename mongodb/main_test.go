package mongodb

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// testURI is the store every test of the package uses; each test gets its
// own database in it.
var testURI string

// TestMain points the tests at ORDERLY_TEST_MONGODB_URI, or starts the
// embedded development store (tools/devstore) for the package.
func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if uri := os.Getenv("ORDERLY_TEST_MONGODB_URI"); uri != "" {
		testURI = uri
		return m.Run()
	}
	uri, stop, err := startDevstore()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mongodb tests: start devstore:", err)
		return 1
	}
	defer stop()
	testURI = uri
	return m.Run()
}

// startDevstore builds and starts tools/devstore on a free port with a
// throwaway data directory, and waits for its ready line.
func startDevstore() (uri string, stop func(), err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	root, err := devstack.Root()
	if err != nil {
		return "", nil, err
	}
	bin := filepath.Join(root, "bin", "devstore")
	if err := devstack.GoBuild(ctx, filepath.Join(root, "tools", "devstore"), bin, "."); err != nil {
		return "", nil, err
	}
	data, err := os.MkdirTemp("", "orderly-mongodb-test-")
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()

	cmd := exec.Command(bin, "-listen", addr, "-data", data)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop = func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		_ = os.RemoveAll(data)
	}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "devstore: ready "); ok {
				ready <- u
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case u := <-ready:
		return u, stop, nil
	case <-time.After(time.Minute):
		stop()
		return "", nil, errors.New("devstore did not print its ready line within a minute")
	}
}

// testLogger sends the package's logs to the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// newTestDB opens a fresh database with its indexes, dropped at the end of
// the test.
func newTestDB(t testing.TB) *DB {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	ctx := context.Background()
	db, err := Open(ctx, testURI, name, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.WithoutCancel(ctx)
		if err := db.db.Drop(ctx); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
		if err := db.Close(ctx); err != nil {
			t.Error(err)
		}
	})
	if err := db.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	return db
}

// seededDB returns a fresh database holding the demo catalog.
func seededDB(t testing.TB) *DB {
	t.Helper()
	db := newTestDB(t)
	if _, err := db.Seed(context.Background()); err != nil {
		t.Fatal(err)
	}
	return db
}

// insertProduct stores a product for a test.
func insertProduct(t testing.TB, db *DB, p orderly.Product) *orderly.Product {
	t.Helper()
	if p.ID == "" {
		p.ID = orderly.NewID(orderly.PrefixProduct)
	}
	if p.SKU == "" {
		p.SKU = strings.ToUpper(p.ID)
	}
	if p.Price.Currency == "" {
		p.Price = orderly.USD(1000)
	}
	if _, err := db.coll(colProducts).InsertOne(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// wantCode fails the test unless err carries the orderly error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := orderly.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// must fails the test on err and returns v.
func must[T any](t testing.TB) func(v T, err error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// commandCounter counts the commands a client sends, by name.
type commandCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (c *commandCounter) count(name string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[name]
}

// openCounting opens dbName with a client whose commands c counts.
func openCounting(ctx context.Context, dbName string, c *commandCounter, t testing.TB) (*DB, error) {
	c.counts = map[string]int{}
	opts := clientOptions(testURI).SetMonitor(&event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			c.mu.Lock()
			defer c.mu.Unlock()
			c.counts[e.CommandName]++
		},
	})
	db, err := connect(ctx, opts, dbName, testLogger(t))
	if err == nil {
		t.Cleanup(func() { _ = db.Close(context.WithoutCancel(ctx)) })
	}
	return db, err
}

func optionsUpsert() *options.UpdateOneOptionsBuilder { return options.UpdateOne().SetUpsert(true) }
