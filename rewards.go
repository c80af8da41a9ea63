package orderly

import (
	"context"
	"time"
)

// Tier is a rewards level.
type Tier string

// Tiers, lowest first.
const (
	TierBasic    Tier = "BASIC"
	TierSilver   Tier = "SILVER"
	TierGold     Tier = "GOLD"
	TierPlatinum Tier = "PLATINUM"
)

// TierThreshold is the least number of points a tier needs.
type TierThreshold struct {
	Tier   Tier
	Points int
}

// TierThresholds are the documented tier thresholds, lowest first. A customer
// earns one point per whole unit of currency of each completed order.
var TierThresholds = []TierThreshold{
	{TierBasic, 0},
	{TierSilver, 500},
	{TierGold, 1500},
	{TierPlatinum, 5000},
}

// TierFor returns the tier that a points balance reaches.
func TierFor(points int) Tier {
	tier := TierBasic
	for _, t := range TierThresholds {
		if points >= t.Points {
			tier = t.Tier
		}
	}
	return tier
}

// NextTier returns the tier after t and the points it needs, or ok=false at
// the top.
func NextTier(t Tier) (next TierThreshold, ok bool) {
	for i, th := range TierThresholds {
		if th.Tier == t && i+1 < len(TierThresholds) {
			return TierThresholds[i+1], true
		}
	}
	return TierThreshold{}, false
}

// PointsFor returns the points an order total earns: one per whole unit.
func PointsFor(total Money) int {
	if total.Amount <= 0 {
		return 0
	}
	return int(total.Amount / 100)
}

// RewardsAccount is a customer's rewards balance, kept by the customer's
// RewardsWorkflow and persisted so that a new run carries the points on.
type RewardsAccount struct {
	CustomerID string `json:"customerId" bson:"_id"`
	Points     int    `json:"points" bson:"points"`
	Tier       Tier   `json:"tier" bson:"tier"`
	// OrderIDs are the orders already credited, so a repeated signal never
	// credits an order twice. Bounded: see the workflow.
	OrderIDs []string `json:"orderIds" bson:"orderIds"`
	// Version grows with every save; a save with an older version is ignored.
	Version   int       `json:"version" bson:"version"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// RewardsService persists rewards accounts.
type RewardsService interface {
	// FindRewards returns the account, or a zero BASIC account for a
	// customer who has none yet.
	FindRewards(ctx context.Context, customerID string) (*RewardsAccount, error)
	// SaveRewards stores the account unless a newer version is stored.
	SaveRewards(ctx context.Context, a *RewardsAccount) error
}
