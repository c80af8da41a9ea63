package workflows

import (
	"context"
	"fmt"

	"github.com/orderly-shop/orderly"
)

// LoadRewardsInput is the input of LoadRewards.
type LoadRewardsInput struct {
	CustomerID string
}

// LoadRewards reads a customer's persisted rewards account (a zero BASIC
// account for a new customer), so a new run carries the points on.
func (a *Activities) LoadRewards(ctx context.Context, in LoadRewardsInput) (orderly.RewardsAccount, error) {
	acct, err := a.Rewards.FindRewards(ctx, in.CustomerID)
	if err != nil {
		return orderly.RewardsAccount{}, fmt.Errorf("find rewards: %w", err)
	}
	return *acct, nil
}

// SaveRewardsInput is the input of SaveRewards.
type SaveRewardsInput struct {
	Account orderly.RewardsAccount
}

// SaveRewards persists the account; the store ignores a version older than
// the one it has, so a late retry cannot roll the balance back.
func (a *Activities) SaveRewards(ctx context.Context, in SaveRewardsInput) error {
	acct := in.Account
	if err := a.Rewards.SaveRewards(ctx, &acct); err != nil {
		return fmt.Errorf("save rewards: %w", err)
	}
	return nil
}
