package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// indexSpecs lists, per collection, the index that each query of this package
// needs, and the unique indexes that carry its idempotency guarantees. Point
// lookups by _id use the built-in _id index: sessions are keyed by the token
// hash, payments by the payment ID, notifications by their deterministic ID,
// carts and rewards accounts by the customer ID.
//
// No TTL or partial index: the embedded store rejects both (expired sessions
// are removed by DeleteExpiredSessions and on use; see orderDoc for the
// idempotency key).
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
			unique(bson.D{{Key: "customerId", Value: 1}, {Key: "dedupeKey", Value: 1}}),                          // CreateOrder idempotency
			plain(bson.D{{Key: "customerId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}), // a customer's orders
			plain(bson.D{{Key: "status", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),     // operator queue by status
			plain(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),                                // all orders
			plain(bson.D{{Key: "updatedAt", Value: 1}}),                                                          // change feed polling
		}},
		{colNotifications, []mongo.IndexModel{
			plain(bson.D{{Key: "customerId", Value: 1}, {Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}),
			plain(bson.D{{Key: "updatedAt", Value: 1}}), // change feed polling
		}},
		{colRewards, []mongo.IndexModel{
			plain(bson.D{{Key: "updatedAt", Value: 1}}), // change feed polling
		}},
	}
}

// EnsureIndexes creates every index the package relies on. Creating an
// existing identical index is a no-op, so every process may call it at
// start-up, concurrently. Indexes are created one per command: the embedded
// store's createIndexes mis-indexes its list when two or more of the
// requested indexes already exist, and crashes the connection.
func (db *DB) EnsureIndexes(ctx context.Context) error {
	for _, spec := range indexSpecs() {
		for _, m := range spec.models {
			if _, err := db.coll(spec.collection).Indexes().CreateOne(ctx, m); err != nil {
				return fmt.Errorf("mongodb: index %v on %s: %w", m.Keys, spec.collection, err)
			}
		}
	}
	return nil
}
