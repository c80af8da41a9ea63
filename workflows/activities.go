package workflows

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/worker"

	"github.com/orderly-shop/orderly"
)

// Activities are the side effects of the order lifecycle. Each method is an
// activity; the fields are its dependencies, so the worker wires the real
// MongoDB services in and tests wire fakes in.
//
// Every activity is idempotent: the services are (by event ID, payment ID,
// notification ID, reservation per order), so Temporal may retry any attempt.
type Activities struct {
	Orders    orderly.OrderService
	Inventory orderly.InventoryService
	// Payments charges and refunds orders placed before the ledger.
	Payments orderly.PaymentService
	// Provider moves the money of orders on the ledger.
	Provider      orderly.PaymentProvider
	Notifications orderly.NotificationService
	Rewards       orderly.RewardsService
	Settings      orderly.SettingsService
	// Sourcing decides where an order's units ship from; nil is
	// orderly.FewestShipments.
	Sourcing orderly.SourcingRule
	// Temporal signals-with-start the customer's RewardsWorkflow. Nil means
	// the client of the worker running the activity (activity.GetClient).
	Temporal client.Client
	// Logger receives the activities' own logs; nil discards them.
	Logger *slog.Logger
}

// RegisterOrderWorker registers on r (a worker polling TaskQueueOrders) the
// order, return and rewards workflows and the activities they run.
func RegisterOrderWorker(r worker.Registry, a *Activities) {
	r.RegisterWorkflow(OrderWorkflow)
	r.RegisterWorkflow(ReturnWorkflow)
	r.RegisterWorkflow(RewardsWorkflow)
	for _, fn := range a.orderActivities() {
		r.RegisterActivity(fn)
	}
}

// RegisterShippingWorker registers on r (a worker polling TaskQueueShipping)
// the shipping workflow and its activities, and nothing else: shipping could
// be deployed by another team from the same package.
func RegisterShippingWorker(r worker.Registry, a *Activities) {
	r.RegisterWorkflow(ShippingWorkflow)
	for _, fn := range append(a.shippingActivities(), a.RecordOrderEvent) {
		r.RegisterActivity(fn)
	}
}

// orderActivities are the activities of the order, return and rewards
// workflows. ChargePayment and RefundPayment serve the orders that started
// before the payment ledger.
func (a *Activities) orderActivities() []any {
	return []any{
		a.ValidateOrder, a.ReserveInventory, a.ReleaseInventory, a.CommitInventory, a.EndShipment,
		a.ChargePayment, a.RefundPayment,
		a.AuthorizePayment, a.CapturePayment, a.VoidPayment, a.IssueRefund,
		a.CreateReturnLabel, a.ReceiveReturn,
		a.RecordOrderEvent, a.Notify, a.AwardPoints, a.LoadRewards, a.SaveRewards,
	}
}

// shippingActivities are the shipping workflow's own activities (it also
// runs RecordOrderEvent, which the order workflow shares).
func (a *Activities) shippingActivities() []any {
	return []any{
		a.CreateLabel, a.SchedulePickup, a.RelabelShipment, a.DispatchShipment,
		a.RecordTracking, a.DeliverShipment, a.CancelShipment,
	}
}

func (a *Activities) logger(ctx context.Context) *slog.Logger {
	l := a.Logger
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	if !activity.IsActivity(ctx) {
		return l
	}
	info := activity.GetInfo(ctx)
	return l.With("workflowId", info.WorkflowExecution.ID, "activity", info.ActivityType.Name, "attempt", info.Attempt)
}

// RecordOrderEventInput is the input of RecordOrderEvent.
type RecordOrderEventInput struct {
	OrderID string
	Event   orderly.OrderEvent
}

// RecordOrderEvent applies one event to the order's read model: a status
// change, a timeline entry, an address. The event ID, chosen by the workflow,
// makes a retry a no-op.
func (a *Activities) RecordOrderEvent(ctx context.Context, in RecordOrderEventInput) error {
	_, err := a.apply(ctx, in.OrderID, in.Event)
	return err
}

// apply stamps and applies an event, classifying the service error.
func (a *Activities) apply(ctx context.Context, orderID string, e orderly.OrderEvent) (*orderly.Order, error) {
	o, err := a.Orders.ApplyOrderEvent(ctx, orderID, stamp(e))
	if err != nil {
		return nil, serviceError("apply order event "+e.ID, err)
	}
	return o, nil
}

// note records a timeline entry on a best-effort basis: it explains what
// happens (a failure, a retry) and must never be the reason a step fails.
func (a *Activities) note(ctx context.Context, orderID, eventID string, kind orderly.EntryKind, detail string) {
	if _, err := a.apply(ctx, orderID, orderly.OrderEvent{ID: eventID, Kind: kind, Detail: detail}); err != nil {
		a.logger(ctx).WarnContext(ctx, "cannot record timeline note", "orderId", orderID, "eventId", eventID, "err", err)
	}
}

// transientFailedAttempts is how many attempts an injected transient failure
// fails before the step succeeds (well within every step's MaximumAttempts).
const transientFailedAttempts = 2

// simulate runs the failure simulation at the start of a step's attempt: the
// operator's injected failure (carried in the activity input, so each attempt
// sees the same one and decides by its attempt number alone) and the step's
// random failure and latency rates (read from the settings now, so an operator
// change applies at once; activities may be non-deterministic).
//
// It also records what the timeline should show about retries: a failing
// attempt records its own failure, and a retry records that it is one, which
// is how a timed-out attempt (which cannot speak for itself) becomes visible.
func (a *Activities) simulate(ctx context.Context, orderID string, step orderly.Step, inj *orderly.FailureInjection) error {
	info := activity.GetInfo(ctx)
	return a.simulateAttempt(ctx, attemptInfo{
		number: int(info.Attempt), workflowID: info.WorkflowExecution.ID,
		activityID: info.ActivityID, activityName: info.ActivityType.Name,
	}, orderID, step, inj)
}

// attemptInfo is what simulateAttempt needs to know about the attempt; a
// struct of its own so that tests can play any attempt number.
type attemptInfo struct {
	number                               int
	workflowID, activityID, activityName string
}

func (a *Activities) simulateAttempt(ctx context.Context, at attemptInfo, orderID string, step orderly.Step, inj *orderly.FailureInjection) error {
	return a.simulateAttemptWith(ctx, at, orderID, step, inj, true)
}

// simulateAttemptWith is simulateAttempt; rates=false leaves the step's
// random failure and latency rates to the service called (the payment
// provider draws its own).
func (a *Activities) simulateAttemptWith(ctx context.Context, at attemptInfo, orderID string, step orderly.Step, inj *orderly.FailureInjection, rates bool) error {
	attempt := at.number
	what := stepTitle(step, at.activityName)
	// The activity ID is deterministic within its workflow run, so these
	// event IDs are too: a replayed attempt writes nothing twice.
	eventID := func(what string) string {
		return orderly.AttemptEventID(at.workflowID, at.activityID, attempt, what)
	}
	if attempt > 1 {
		a.note(ctx, orderID, eventID(orderly.AttemptRetry), orderly.EntryInfo,
			fmt.Sprintf("%s: attempt %d, retrying after an earlier attempt failed or timed out", what, attempt))
	}

	if inj != nil && inj.Step == step {
		switch inj.Mode {
		case orderly.FailurePermanent:
			return permanentError(ErrTypeInjectedPermanentFailure, "injected permanent failure", nil)
		case orderly.FailureTransient:
			if attempt <= transientFailedAttempts {
				a.note(ctx, orderID, eventID("failed"), orderly.EntryFailure,
					fmt.Sprintf("%s: attempt %d failed (injected transient failure); Temporal will retry", what, attempt))
				return temporal.NewApplicationError("injected transient failure", ErrTypeInjectedTransientFailure)
			}
		case orderly.FailureTimeout:
			if attempt == 1 {
				a.note(ctx, orderID, eventID("stalled"), orderly.EntryFailure,
					fmt.Sprintf("%s: attempt 1 stalls past its %s timeout (injected); Temporal will time it out and retry", what, timeoutOf(ctx)))
				return stall(ctx)
			}
		}
	}

	if !rates {
		return nil
	}
	rate := a.failureRate(ctx, step)
	if rate.LatencyProbability > 0 && rate.Latency > 0 && rand.Float64() < rate.LatencyProbability {
		if rate.Latency >= timeoutOf(ctx) {
			a.note(ctx, orderID, eventID("slow"), orderly.EntryFailure,
				fmt.Sprintf("%s: attempt %d delayed by %s (random latency), past its %s timeout", what, attempt, rate.Latency, timeoutOf(ctx)))
		}
		if err := sleep(ctx, rate.Latency); err != nil {
			return err
		}
	}
	if rate.FailureProbability > 0 && rand.Float64() < rate.FailureProbability {
		a.note(ctx, orderID, eventID("failed"), orderly.EntryFailure,
			fmt.Sprintf("%s: attempt %d failed (random failure rate); Temporal will retry", what, attempt))
		return temporal.NewApplicationError("random failure", ErrTypeRandomFailure)
	}
	return nil
}

// failureRate reads the step's random failure rate. Unreadable settings mean
// no random failure: a demo knob must never be why an order fails.
func (a *Activities) failureRate(ctx context.Context, step orderly.Step) orderly.FailureRate {
	if a.Settings == nil {
		return orderly.FailureRate{Step: step}
	}
	s, err := a.Settings.FindSettings(ctx)
	if err != nil {
		a.logger(ctx).WarnContext(ctx, "cannot read failure rates; assuming none", "err", err)
		return orderly.FailureRate{Step: step}
	}
	return s.FailureRateFor(step)
}

// timeoutOf returns the time the current attempt has left before Temporal
// times it out.
func timeoutOf(ctx context.Context) time.Duration {
	if d, ok := ctx.Deadline(); ok {
		return time.Until(d).Round(time.Second)
	}
	return stepTimeout
}

// stall sleeps past the attempt's deadline. The context ends first, at the
// deadline, when Temporal has already timed the attempt out.
func stall(ctx context.Context) error {
	d := stepTimeout
	if deadline, ok := ctx.Deadline(); ok {
		d = time.Until(deadline)
	}
	if err := sleep(ctx, d+time.Second); err != nil {
		return err
	}
	return temporal.NewApplicationError("attempt stalled past its timeout", ErrTypeInjectedTransientFailure)
}

// sleep waits for d or until ctx ends, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// stepTitle names a step for people: "Payment", or "Shipping (DispatchShipment)".
func stepTitle(step orderly.Step, activityName string) string {
	title := strings.ToUpper(string(step[:1])) + strings.ToLower(string(step[1:]))
	if step == orderly.StepShipping && activityName != "" {
		return fmt.Sprintf("%s (%s)", title, activityName)
	}
	return title
}
