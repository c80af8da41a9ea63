package bare

import (
	"fmt"
	"slices"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// RewardsInput starts or continues a customer's RewardsWorkflow.
type RewardsInput struct {
	CustomerID string
	Account    *orderly.RewardsAccount `json:",omitempty"`
}

// RewardsWorkflow keeps a customer's points as Orderly's does: it loads the
// account on a fresh start, saves it on every credit, and continues as new
// after maxSignalsPerRun credits.
func RewardsWorkflow(ctx workflow.Context, in RewardsInput) (orderly.RewardsAccount, error) {
	var acct orderly.RewardsAccount
	if err := workflow.SetQueryHandler(ctx, queryRewardsState, func() (orderly.RewardsAccount, error) { return acct, nil }); err != nil {
		return acct, fmt.Errorf("set query handler: %w", err)
	}
	var a *Activities
	if in.Account != nil {
		acct = *in.Account
	} else if err := workflow.ExecuteActivity(bookkeepingOptions(ctx), a.LoadRewards,
		LoadRewardsInput{CustomerID: in.CustomerID}).Get(ctx, &acct); err != nil {
		return acct, fmt.Errorf("load rewards: %w", err)
	}
	adds := workflow.GetSignalChannel(ctx, signalAddPoints)
	closes := workflow.GetSignalChannel(ctx, signalCloseRewards)
	credit := func(add AddPointsSignal) {
		if slices.Contains(acct.OrderIDs, add.OrderID) {
			return
		}
		acct.Points += add.Points
		acct.Tier = orderly.TierFor(acct.Points)
		acct.OrderIDs = append(acct.OrderIDs, add.OrderID)
		acct.Version++
		acct.UpdatedAt = workflow.Now(ctx).UTC()
		_ = workflow.ExecuteActivity(bookkeepingOptions(ctx), a.SaveRewards, SaveRewardsInput{Account: acct}).Get(ctx, nil)
	}
	for handled := 0; ; {
		var add AddPointsSignal
		var added, closing bool
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(adds, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &add); added = true })
		sel.AddReceive(closes, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); closing = true })
		sel.Select(ctx)
		if added {
			credit(add)
			handled++
		}
		if closing {
			return acct, nil
		}
		if handled >= maxSignalsPerRun || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			for adds.ReceiveAsync(&add) {
				credit(add)
			}
			next := acct
			return acct, workflow.NewContinueAsNewError(ctx, RewardsWorkflow, RewardsInput{CustomerID: in.CustomerID, Account: &next})
		}
	}
}
