package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/orderly-shop/orderly"
)

// Collection names.
const (
	colProducts      = "products"
	colCarts         = "carts"
	colOrders        = "orders"
	colPayments      = "payments"
	colCustomers     = "customers"
	colSessions      = "sessions"
	colRewards       = "rewards"
	colNotifications = "notifications"
	colSettings      = "settings"
	colChanges       = "changes"
	colCounters      = "counters"
	colFeedPositions = "feed_positions"
	colLocations     = "locations"
)

// DB is a connection to the one MongoDB database that holds all of Orderly's
// collections. The services of this package share it; it is safe for
// concurrent use.
type DB struct {
	client *mongo.Client
	db     *mongo.Database
	logger *slog.Logger
	// changeLog is set on deployments without change streams: every write
	// that the change feed reports is then announced in the change log (see
	// changelog.go), which the feed reads instead.
	changeLog bool
	// lists holds one token per list query in flight (see listSlot).
	lists chan struct{}
}

// maxConcurrentLists bounds the list queries (pages of orders and
// notifications) one process runs at once. A list filters and sorts on
// fields other than _id, which the embedded store answers by scanning the
// collection: however many clients ask at once, at most this many scans
// compete with the writers for the store's CPU.
const maxConcurrentLists = 2

// listSlot waits for a turn to run a list query and returns the function
// that ends it; EUNAVAILABLE if ctx ends first.
func (db *DB) listSlot(ctx context.Context) (release func(), err error) {
	select {
	case db.lists <- struct{}{}:
		return func() { <-db.lists }, nil
	case <-ctx.Done():
		return nil, orderly.Errorf(orderly.EUNAVAILABLE, "the store is busy; try again shortly")
	}
}

// Open connects to the deployment at uri, selects the database dbName and
// checks that the server answers. The caller closes the DB.
func Open(ctx context.Context, uri, dbName string, logger *slog.Logger, opts ...OpenOption) (*DB, error) {
	co := clientOptions(uri)
	for _, o := range opts {
		o(co)
	}
	return connect(ctx, co, dbName, logger)
}

func clientOptions(uri string) *options.ClientOptions {
	return options.Client().
		ApplyURI(uri).
		SetAppName("orderly").
		SetServerSelectionTimeout(10 * time.Second).
		// Nil slices become empty arrays, so that $push always finds an array
		// and clients read [] rather than null.
		SetBSONOptions(&options.BSONOptions{NilSliceAsEmpty: true})
}

func connect(ctx context.Context, opts *options.ClientOptions, dbName string, logger *slog.Logger) (*DB, error) {
	if dbName == "" {
		return nil, errors.New("mongodb: empty database name")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("mongodb: connect: %w", err)
	}
	db := &DB{client: client, db: client.Database(dbName), logger: logger, lists: make(chan struct{}, maxConcurrentLists)}
	streams, err := db.supportsChangeStreams(ctx)
	if err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	db.changeLog = !streams
	return db, nil
}

// supportsChangeStreams asks the deployment what it is: replica sets and
// sharded clusters offer change streams; a standalone server and the
// embedded store do not. It doubles as the connection check.
func (db *DB) supportsChangeStreams(ctx context.Context) (bool, error) {
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	err := db.client.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello)
	if err != nil {
		return false, fmt.Errorf("mongodb: hello: %w", err)
	}
	return hello.SetName != "" || hello.Msg == "isdbgrid", nil
}

// ChangeStreams reports whether the deployment offers change streams, which
// the feed then follows; without them writers announce their changes in the
// change log.
func (db *DB) ChangeStreams() bool { return !db.changeLog }

// closeTimeout bounds Close. Disconnecting ends the client's server
// sessions with a command, which waits for a reachable server: with the
// store down, a stopping process would otherwise wait out the whole server
// selection timeout.
const closeTimeout = 3 * time.Second

// Close disconnects, waiting for operations in flight until ctx ends or for
// closeTimeout at most.
func (db *DB) Close(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, closeTimeout)
	defer cancel()
	if err := db.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongodb: disconnect: %w", err)
	}
	return nil
}

// Ping checks that the primary answers; it serves the readiness probe.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.client.Ping(ctx, readpref.Primary()); err != nil {
		return fmt.Errorf("mongodb: ping: %w", err)
	}
	return nil
}

// Name returns the database name.
func (db *DB) Name() string { return db.db.Name() }

func (db *DB) coll(name string) *mongo.Collection { return db.db.Collection(name) }

// now returns the current time as BSON stores it: UTC, millisecond precision.
// Values returned to callers then equal the values read back later.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }
