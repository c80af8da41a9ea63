package workflows

import (
	"fmt"
	"slices"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// DefaultMaxSignalsPerRun is how many add_points a RewardsWorkflow run handles
// before it continues as new. Each costs about six history events, so a run
// stays far below Temporal's history limits even without its suggestion.
const DefaultMaxSignalsPerRun = 500

// maxRememberedOrders bounds the order IDs an account keeps for dedupe. A
// duplicate add_points comes from a retried AwardPoints activity, minutes
// after the first, never a thousand orders later.
const maxRememberedOrders = 1000

// RewardsOptions tune a RewardsWorkflow.
type RewardsOptions struct {
	// MaxSignalsPerRun: see RewardsInput.
	MaxSignalsPerRun int `json:",omitempty"`
}

// RewardsInput starts (or continues) a customer's RewardsWorkflow.
type RewardsInput struct {
	CustomerID string
	// Account carries the balance across continue-as-new. Nil (a fresh
	// start) loads the persisted account, so the points of a closed run
	// carry over to the next.
	Account *orderly.RewardsAccount `json:",omitempty"`
	// MaxSignalsPerRun bounds a run's history: after that many add_points it
	// continues as new; 0 means DefaultMaxSignalsPerRun.
	MaxSignalsPerRun int `json:",omitempty"`
}

// RewardsResult is the balance when a RewardsWorkflow closes.
type RewardsResult struct {
	CustomerID string
	Points     int
	Tier       orderly.Tier
}

// RewardsWorkflow keeps one customer's reward points, on TaskQueueOrders,
// with the workflow ID orderly.RewardsWorkflowIDFor(customerID). Orders credit
// it with SignalAddPoints (through signal-with-start, so the first order
// starts it); each credit is deduplicated by order ID, persisted with a
// growing version, and a tier change notifies the customer. It continues as
// new to bound its history, and SignalCloseRewards ends it after crediting
// whatever was already sent.
func RewardsWorkflow(ctx workflow.Context, in RewardsInput) (RewardsResult, error) {
	r := &rewardsWorkflow{
		customerID: in.CustomerID,
		logger:     log.With(workflow.GetLogger(ctx), "customerId", in.CustomerID),
	}
	if err := workflow.SetQueryHandlerWithOptions(ctx, QueryRewardsState, r.state,
		workflow.QueryHandlerOptions{Description: "Points and tier (orderly.RewardsState)"}); err != nil {
		return RewardsResult{}, fmt.Errorf("set query handler: %w", err)
	}
	if in.Account != nil {
		r.account = *in.Account
	} else if err := r.load(ctx); err != nil {
		return RewardsResult{}, err
	}

	maxSignals := in.MaxSignalsPerRun
	if maxSignals <= 0 {
		maxSignals = DefaultMaxSignalsPerRun
	}
	adds := workflow.GetSignalChannel(ctx, SignalAddPoints)
	closes := workflow.GetSignalChannel(ctx, SignalCloseRewards)
	for handled := 0; ; {
		var add AddPointsSignal
		var added, closing bool
		sel := workflow.NewSelector(ctx)
		sel.AddReceive(adds, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &add); added = true })
		sel.AddReceive(closes, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, nil); closing = true })
		sel.Select(ctx)
		if added {
			r.credit(ctx, add)
			handled++
		}
		if closing {
			// Credit what was sent before the close: those orders are done
			// and their points must not wait for another run.
			r.drain(ctx, adds)
			r.logger.Info("rewards workflow closed", "points", r.account.Points)
			return r.result(), nil
		}
		if handled >= maxSignals || workflow.GetInfo(ctx).GetContinueAsNewSuggested() {
			// Signals not yet received would be lost with this run: take
			// them first. (Any that arrive later make Temporal retry the
			// task, which drains them too.)
			r.drain(ctx, adds)
			acct := r.account
			r.logger.Info("continuing as new", "handled", handled, "points", acct.Points)
			return RewardsResult{}, workflow.NewContinueAsNewError(ctx, RewardsWorkflow, RewardsInput{
				CustomerID: r.customerID, Account: &acct, MaxSignalsPerRun: in.MaxSignalsPerRun,
			})
		}
	}
}

// rewardsWorkflow is the state of one RewardsWorkflow run.
type rewardsWorkflow struct {
	customerID string
	logger     log.Logger
	account    orderly.RewardsAccount
}

func (r *rewardsWorkflow) load(ctx workflow.Context) error {
	var a *Activities
	var acct orderly.RewardsAccount
	if err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.LoadRewards, LoadRewardsInput{CustomerID: r.customerID}).
		Get(ctx, &acct); err != nil {
		return fmt.Errorf("load rewards: %w", err)
	}
	acct.CustomerID = r.customerID
	if acct.Tier == "" {
		acct.Tier = orderly.TierFor(acct.Points)
	}
	r.account = acct
	return nil
}

// credit adds an order's points once, persists the account and, when the
// tier changes, notifies the customer.
func (r *rewardsWorkflow) credit(ctx workflow.Context, add AddPointsSignal) {
	if add.OrderID == "" || slices.Contains(r.account.OrderIDs, add.OrderID) {
		r.logger.Info("add_points ignored: order already credited", "credited", add.OrderID)
		return
	}
	before := r.account.Tier
	r.account.Points += max(add.Points, 0)
	r.account.Tier = orderly.TierFor(r.account.Points)
	r.account.OrderIDs = append(r.account.OrderIDs, add.OrderID)
	if n := len(r.account.OrderIDs); n > maxRememberedOrders {
		r.account.OrderIDs = slices.Clone(r.account.OrderIDs[n-maxRememberedOrders:])
	}
	r.account.Version++
	r.account.UpdatedAt = workflow.Now(ctx).UTC()

	var a *Activities
	acct := r.account
	if err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.SaveRewards, SaveRewardsInput{Account: acct}).
		Get(ctx, nil); err != nil {
		// The balance lives on in this workflow; the next save (a higher
		// version) persists it.
		r.logger.Error("cannot persist rewards", "error", err)
	}
	if r.account.Tier != before {
		r.notifyTier(ctx, before)
	}
}

func (r *rewardsWorkflow) notifyTier(ctx workflow.Context, before orderly.Tier) {
	var a *Activities
	t := r.account.Tier
	body := fmt.Sprintf("You moved up from %s to %s with %d points.", before, t, r.account.Points)
	if next, ok := orderly.NextTier(t); ok {
		body += fmt.Sprintf(" %d more points to %s.", next.Points-r.account.Points, next.Tier)
	}
	err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.Notify, NotifyInput{Notification: orderly.Notification{
		ID: TierNotificationIDFor(r.customerID, t), CustomerID: r.customerID,
		Title: fmt.Sprintf("Welcome to %s", t), Body: body, CreatedAt: workflow.Now(ctx).UTC(),
	}}).Get(ctx, nil)
	if err != nil {
		r.logger.Error("cannot notify the tier change", "tier", string(t), "error", err)
	}
}

// drain credits every add_points already delivered to this run.
func (r *rewardsWorkflow) drain(ctx workflow.Context, adds workflow.ReceiveChannel) {
	for {
		var add AddPointsSignal
		if !adds.ReceiveAsync(&add) {
			return
		}
		r.credit(ctx, add)
	}
}

func (r *rewardsWorkflow) state() (orderly.RewardsState, error) {
	return orderly.RewardsState{
		CustomerID: r.customerID, Points: r.account.Points, Tier: r.account.Tier, Running: true,
	}, nil
}

func (r *rewardsWorkflow) result() RewardsResult {
	return RewardsResult{CustomerID: r.customerID, Points: r.account.Points, Tier: r.account.Tier}
}

// rewardsStartOptions start a customer's RewardsWorkflow. A closed run may be
// followed by a new one (the next order after close_workflow).
func rewardsStartOptions(customerID string) client.StartWorkflowOptions {
	return client.StartWorkflowOptions{
		ID:                    orderly.RewardsWorkflowIDFor(customerID),
		TaskQueue:             TaskQueueOrders,
		WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
		StaticSummary:         "Rewards of " + customerID,
	}
}
