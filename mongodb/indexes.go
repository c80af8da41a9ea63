package mongodb

import (
	"context"
	"fmt"
	"strings"

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

// EnsureIndexes creates every index the package relies on that does not
// exist yet, so every process may call it at start-up. It compares names
// rather than relying on createIndexes being a no-op for an existing index:
// the embedded store crashes the connection on a repeated createIndexes.
func (db *DB) EnsureIndexes(ctx context.Context) error {
	for _, spec := range indexSpecs() {
		coll := db.coll(spec.collection)
		existing, err := coll.Indexes().ListSpecifications(ctx)
		if err != nil {
			return fmt.Errorf("mongodb: list indexes on %s: %w", spec.collection, err)
		}
		have := map[string]bool{}
		for _, ix := range existing {
			have[ix.Name] = true
		}
		var missing []mongo.IndexModel
		for _, m := range spec.models {
			name := indexName(m.Keys.(bson.D))
			if !have[name] {
				if m.Options == nil {
					m.Options = options.Index()
				}
				missing = append(missing, mongo.IndexModel{Keys: m.Keys, Options: m.Options.SetName(name)})
			}
		}
		if len(missing) == 0 {
			continue
		}
		if _, err := coll.Indexes().CreateMany(ctx, missing); err != nil {
			return fmt.Errorf("mongodb: indexes on %s: %w", spec.collection, err)
		}
	}
	return nil
}

// indexName is MongoDB's default index name: each key and its direction
// joined by underscores ("customerId_1_createdAt_-1").
func indexName(keys bson.D) string {
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('_')
		}
		fmt.Fprintf(&b, "%s_%v", k.Key, k.Value)
	}
	return b.String()
}
