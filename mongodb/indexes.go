package mongodb

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// indexSpecs lists, per collection, the index that each query of this package
// needs beyond _id, and the unique indexes that carry its guarantees. Every
// hot path is a lookup by _id and uses the built-in _id index: orders are
// keyed by an ID derived from the idempotency key, sessions by the token
// hash, payments by the payment ID, notifications by their deterministic ID,
// carts and rewards accounts by the customer ID, change log entries by their
// sequence number. The indexes here serve the lists (operators' and
// customers' pages in each of their sorts, the dashboard's window) and the
// sweep of pending checkouts.
//
// No TTL or partial index: the embedded store rejects both (expired sessions
// are removed by DeleteExpiredSessions and on use).
type collectionIndexes struct {
	collection string
	models     []mongo.IndexModel
}

func indexSpecs() []collectionIndexes {
	unique := func(keys bson.D) mongo.IndexModel {
		return mongo.IndexModel{Keys: keys, Options: options.Index().SetUnique(true)}
	}
	plain := func(keys bson.D) mongo.IndexModel { return mongo.IndexModel{Keys: keys} }
	return []collectionIndexes{
		{colProducts, []mongo.IndexModel{
			unique(bson.D{{Key: "sku", Value: 1}}),
			plain(bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}}),                              // catalog pages
			plain(bson.D{{Key: "category", Value: 1}, {Key: "name", Value: 1}, {Key: "_id", Value: 1}}), // category pages
		}},
		{colCustomers, []mongo.IndexModel{
			unique(bson.D{{Key: "email", Value: 1}}),
		}},
		{colSessions, []mongo.IndexModel{
			plain(bson.D{{Key: "expiresAt", Value: 1}}), // DeleteExpiredSessions
		}},
		{colOrders, []mongo.IndexModel{
			plain(bson.D{{Key: "customerId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}), // a customer's orders
			plain(bson.D{{Key: "status", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),     // operator queue by status
			plain(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),                                // all orders
			plain(bson.D{{Key: "updatedAt", Value: 1}}),                                                          // re-reads after a subscription drop; the dashboard's window
			// The orders table's sorts (FindOrders): by total, and by status
			// within a customer; each serves its direction and its reverse.
			plain(bson.D{{Key: "total.amount", Value: -1}, {Key: "_id", Value: -1}}),
			plain(bson.D{{Key: "customerId", Value: 1}, {Key: "total.amount", Value: -1}, {Key: "_id", Value: -1}}),
			plain(bson.D{{Key: "status", Value: 1}, {Key: "total.amount", Value: -1}, {Key: "_id", Value: -1}}),
			plain(bson.D{{Key: "returns.status", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}), // the returns queue
			plain(bson.D{{Key: "customerId", Value: 1}, {Key: "status", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),
		}},
		{colNotifications, []mongo.IndexModel{
			plain(bson.D{{Key: "customerId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),
		}},
		{colCarts, []mongo.IndexModel{
			plain(bson.D{{Key: "checkout.pending", Value: 1}, {Key: "checkout.at", Value: 1}}), // PendingCheckouts
		}},
	}
}

// retiredIndexes are indexes an earlier release created that no query uses
// any more. The first is harmful: orders no longer carry dedupeKey, and a
// unique index over a missing field admits one such order per customer.
func retiredIndexes() []struct{ collection, name string } {
	return []struct{ collection, name string }{
		{colOrders, "customerId_1_dedupeKey_1"},
		{colNotifications, "updatedAt_1"},
		{colRewards, "updatedAt_1"},
	}
}

// codeIndexNotFound is the server's error code for dropping a missing index.
const codeIndexNotFound = 27

// EnsureIndexes creates every index the package relies on. Creating an
// existing identical index is a no-op, so every process may call it at
// start-up, concurrently. Indexes are created one per command: the embedded
// store's createIndexes mis-indexes its list when two or more of the
// requested indexes already exist, and crashes the connection.
func (db *DB) EnsureIndexes(ctx context.Context) error {
	for _, r := range retiredIndexes() {
		err := db.coll(r.collection).Indexes().DropOne(ctx, r.name)
		var se mongo.ServerError
		if err != nil && !(errors.As(err, &se) && se.HasErrorCode(codeIndexNotFound)) && !isMissingNamespace(err) {
			return fmt.Errorf("mongodb: drop retired index %s on %s: %w", r.name, r.collection, err)
		}
	}
	for _, spec := range indexSpecs() {
		for _, m := range spec.models {
			if _, err := db.coll(spec.collection).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("mongodb: index %v on %s: %w", m.Keys, spec.collection, err)
			}
		}
	}
	return nil
}

// codeNamespaceNotFound is the server's error code for a missing collection.
const codeNamespaceNotFound = 26

// isMissingNamespace reports whether err says the collection does not exist.
func isMissingNamespace(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorCode(codeNamespaceNotFound)
}
