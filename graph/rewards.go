package graph

import (
	"context"

	"github.com/orderly-shop/orderly"
)

// rewardsOwner returns whose rewards the caller asks for: their own by
// default; another customer's only for operators (ENOTFOUND otherwise, the
// same as for a customer who does not exist).
func (r *Resolver) rewardsOwner(ctx context.Context, field string, customerID *string) (string, error) {
	c, err := viewer(ctx)
	if err != nil {
		return "", err
	}
	if customerID == nil || *customerID == c.ID {
		return c.ID, nil
	}
	if err := checkID(field, "customer", *customerID); err != nil {
		return "", err
	}
	if !c.IsAdmin() {
		return "", notFound(field, "customer")
	}
	if _, err := r.AccountService.FindCustomerByID(ctx, *customerID); orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return "", notFound(field, "customer")
	} else if err != nil {
		return "", err
	}
	return *customerID, nil
}

// closeRewards ends a customer's rewards workflow and returns their account.
func (r *Resolver) closeRewards(ctx context.Context, customerID *string) (*orderly.RewardsAccount, error) {
	id, err := r.rewardsOwner(ctx, "input.customerId", customerID)
	if err != nil {
		return nil, err
	}
	if err := r.OrderProcessing.CloseRewards(ctx, id); err != nil {
		return nil, err
	}
	return r.RewardsService.FindRewards(ctx, id)
}

// tierOf returns the account's tier, derived from its points if unset.
func tierOf(a *orderly.RewardsAccount) orderly.Tier {
	if a.Tier == "" {
		return orderly.TierFor(a.Points)
	}
	return a.Tier
}

// tierProgress is how far the points went from the current tier's threshold
// to the next one, 0..1; 1 at the top tier.
func tierProgress(a *orderly.RewardsAccount) float64 {
	tier := tierOf(a)
	next, ok := orderly.NextTier(tier)
	if !ok {
		return 1
	}
	from := 0
	for _, t := range orderly.TierThresholds {
		if t.Tier == tier {
			from = t.Points
		}
	}
	span := next.Points - from
	if span <= 0 {
		return 0
	}
	return min(max(float64(a.Points-from)/float64(span), 0), 1)
}
