package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// RewardsService persists rewards accounts, _id = customer ID. It implements
// orderly.RewardsService.
type RewardsService struct {
	db *DB
}

var _ orderly.RewardsService = (*RewardsService)(nil)

// NewRewardsService returns a RewardsService over db.
func NewRewardsService(db *DB) *RewardsService { return &RewardsService{db: db} }

// FindRewards returns the account, or a zero BASIC account at version 0 for a
// customer who has none yet.
func (s *RewardsService) FindRewards(ctx context.Context, customerID string) (*orderly.RewardsAccount, error) {
	var a orderly.RewardsAccount
	err := s.db.coll(colRewards).FindOne(ctx, bson.D{{Key: "_id", Value: customerID}}).Decode(&a)
	if isNotFound(err) {
		return &orderly.RewardsAccount{CustomerID: customerID, Tier: orderly.TierBasic, OrderIDs: []string{}}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find rewards: %w", err)
	}
	return &a, nil
}

// SaveRewards stores the account unless the stored one has the same or a
// newer version, in one conditional upsert: the filter matches only an older
// version; when a newer one is stored the upsert's insert hits the _id index
// and the save is dropped. A rewards workflow that retries an old save after
// a newer one therefore never moves the balance back. It stamps UpdatedAt.
func (s *RewardsService) SaveRewards(ctx context.Context, a *orderly.RewardsAccount) error {
	switch {
	case a.CustomerID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	case a.Version < 1:
		return orderly.FieldErrorf(orderly.EINVALID, "version", "version must be at least 1")
	}
	doc := *a
	doc.UpdatedAt = now()
	_, err := s.db.coll(colRewards).ReplaceOne(ctx,
		bson.D{{Key: "_id", Value: doc.CustomerID}, {Key: "version", Value: bson.D{{Key: "$lt", Value: doc.Version}}}},
		doc, options.Replace().SetUpsert(true))
	if isDuplicateKey(err) {
		return nil // an equal or newer version is stored
	}
	if err != nil {
		return fmt.Errorf("save rewards: %w", err)
	}
	a.UpdatedAt = doc.UpdatedAt
	return nil
}
