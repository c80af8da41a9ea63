package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"

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
// newer version: an insert for a customer's first account, else a
// replacement guarded by the version it read, both by _id, retried when a
// concurrent save won. A rewards workflow that retries an old save after a
// newer one therefore never moves the balance back. It stamps UpdatedAt.
func (s *RewardsService) SaveRewards(ctx context.Context, a *orderly.RewardsAccount) error {
	switch {
	case a.CustomerID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	case a.Version < 1:
		return orderly.FieldErrorf(orderly.EINVALID, "version", "version must be at least 1")
	}
	doc := *a
	doc.UpdatedAt = now()
	coll := s.db.coll(colRewards)
	for attempt := range maxSaveAttempts {
		stored, err := s.FindRewards(ctx, doc.CustomerID)
		if err != nil {
			return fmt.Errorf("save rewards: %w", err)
		}
		if stored.Version >= doc.Version {
			return nil // an equal or newer version is stored
		}
		change := orderly.Change{Kind: orderly.ChangeRewards, ID: doc.CustomerID, CustomerID: doc.CustomerID, Version: doc.Version}
		if err := s.db.announce(ctx, change); err != nil {
			return fmt.Errorf("save rewards: %w", err)
		}
		if stored.Version == 0 {
			_, err = coll.InsertOne(ctx, doc)
			if err == nil {
				a.UpdatedAt = doc.UpdatedAt
				return nil
			}
			if !isDuplicateKey(err) {
				return fmt.Errorf("save rewards: %w", err)
			}
		} else {
			res, err := coll.ReplaceOne(ctx, bson.D{{Key: "_id", Value: doc.CustomerID}, {Key: "version", Value: stored.Version}}, doc)
			if err != nil {
				return fmt.Errorf("save rewards: %w", err)
			}
			if res.MatchedCount == 1 {
				a.UpdatedAt = doc.UpdatedAt
				return nil
			}
		}
		if err := backoff(ctx, attempt); err != nil {
			return fmt.Errorf("save rewards: %w", err)
		}
	}
	return fmt.Errorf("save rewards for %s: still conflicting after %d attempts", doc.CustomerID, maxSaveAttempts)
}

// maxSaveAttempts bounds the optimistic retries of SaveRewards; only one
// customer's rewards workflow (and a retry of its own activity) saves.
const maxSaveAttempts = 10
