package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"
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
)

// DB is a connection to the one MongoDB database that holds all of Orderly's
// collections. The services of this package share it; it is safe for
// concurrent use.
type DB struct {
	client *mongo.Client
	db     *mongo.Database
	logger *slog.Logger
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
	db := &DB{client: client, db: client.Database(dbName), logger: logger}
	if err := db.Ping(ctx); err != nil {
		_ = client.Disconnect(context.WithoutCancel(ctx))
		return nil, err
	}
	return db, nil
}

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
