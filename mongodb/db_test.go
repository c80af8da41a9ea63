package mongodb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// TestEnsureIndexesIsRepeatable runs EnsureIndexes again, from two clients
// at once, as the server and the worker do at start-up.
func TestEnsureIndexesIsRepeatable(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t) // has run EnsureIndexes once
	other, err := Open(ctx, devstack.TestStore(t), db.Name(), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	var wg sync.WaitGroup
	for _, d := range []*DB{db, other} {
		wg.Go(func() {
			if err := d.EnsureIndexes(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := db.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestIsDuplicateKey(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"E11000 on insert", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000, Message: "E11000 duplicate key error"}}}, true},
		{"an internal error that quotes SQLite", mongo.CommandError{Code: 1, Name: "InternalError",
			Message: "[msg_update.go:133] constraint failed: UNIQUE constraint failed: index 'products_4fbee88d_sku_1' (2067)"}, false},
		{"wrapped", fmt.Errorf("save: %w", mongo.WriteException{WriteErrors: []mongo.WriteError{{Code: 11000}}}), true},
		{"other server error", mongo.CommandError{Code: 2, Message: "BadValue"}, false},
		{"not from the server", errors.New("UNIQUE constraint failed"), false},
		{"no documents", mongo.ErrNoDocuments, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := isDuplicateKey(tt.err); got != tt.want {
				t.Errorf("isDuplicateKey(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

// TestUniqueViolationByAnUpdateIsADuplicateKey: an update that breaks a
// unique index is reported as E11000 by every store this package runs on
// (the devstore translates FerretDB's wording at its edge), so this package
// needs no store-specific error handling.
func TestUniqueViolationByAnUpdateIsADuplicateKey(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	insertProduct(t, db, orderly.Product{ID: "prd_a", SKU: "A"})
	insertProduct(t, db, orderly.Product{ID: "prd_b", SKU: "B"})
	_, err := db.coll(colProducts).UpdateOne(ctx, bson.D{{Key: "_id", Value: "prd_b"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "sku", Value: "A"}}}})
	if !isDuplicateKey(err) {
		t.Fatalf("update onto a taken SKU: %v, want a duplicate key error", err)
	}
	_, err = db.coll(colProducts).UpdateOne(ctx, bson.D{{Key: "_id", Value: "prd_c"}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "sku", Value: "A"}}}}, options.UpdateOne().SetUpsert(true))
	if !isDuplicateKey(err) {
		t.Fatalf("upsert onto a taken SKU: %v, want a duplicate key error", err)
	}
}
