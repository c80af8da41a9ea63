package mongodb

import (
	"context"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// TestMain shares one store among the package's tests (each test keeps to
// its own database): $ORDERLY_TEST_MONGODB_URI when set, else the embedded
// development store, started once. A helper process started by a test
// inherits the parent's store.
func TestMain(m *testing.M) {
	if os.Getenv("ORDERLY_TEST_HELPER") != "" {
		os.Exit(m.Run())
	}
	os.Exit(devstack.Main(m, devstack.SharedStore))
}

// testLogger sends the package's logs to the test log.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// newTestDB opens a fresh database with its indexes, dropped at the end of
// the test.
func newTestDB(t testing.TB) *DB {
	t.Helper()
	return newTestDBWith(t)
}

// newTestDBWith is newTestDB with options for Open.
func newTestDBWith(t testing.TB, opts ...OpenOption) *DB {
	t.Helper()
	name := devstack.TestDatabase(t)
	ctx := context.Background()
	db, err := Open(ctx, devstack.TestStore(t), name, testLogger(t), opts...)
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
	if p.StockAt == nil {
		// Stock without locations is at the first location, as Seed
		// moves the stock of products stored before locations existed.
		p.StockAt = map[string]int{legacyLocationID: p.Stock}
	} else {
		p.Stock = 0
		for _, n := range p.StockAt {
			p.Stock += n
		}
	}
	if _, err := db.coll(colProducts).InsertOne(context.Background(), p); err != nil {
		t.Fatal(err)
	}
	return &p
}

// firstLocation is the first location (by ID) stocking the product.
func firstLocation(p orderly.Product) string {
	return slices.Sorted(maps.Keys(p.StockAt))[0]
}

// wantCode fails the test unless err carries the orderly error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := orderly.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
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
	opts := clientOptions(devstack.TestStore(t)).SetMonitor(&event.CommandMonitor{
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
