package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// Activity timeouts. Step activities are tight (as in seed 002) so that an
// attempt stalled past its timeout shows up as a timeout and a retry within
// seconds; every attempt talks to the local store only.
const (
	stepTimeout         = 5 * time.Second
	bookkeepingTimeout  = 10 * time.Second
	compensationTimeout = 10 * time.Second
)

// stepOptions are for the business steps (validate, reserve, charge, shipping
// steps): a few quick retries, then the saga takes over.
//
// WaitForCancellation makes a cancelled context wait for the attempt to end,
// so the workflow never compensates while a charge may still be landing.
func stepOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: stepTimeout,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        10 * time.Second,
			MaximumAttempts:        8,
			NonRetryableErrorTypes: nonRetryableErrorTypes(),
		},
	})
}

// bookkeepingOptions are for writes that only record what happened (status
// changes, notifications, committing stock): idempotent, so retried longer.
func bookkeepingOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: bookkeepingTimeout,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        30 * time.Second,
			MaximumAttempts:        20,
			NonRetryableErrorTypes: nonRetryableErrorTypes(),
		},
	})
}

// compensationOptions are for the saga's undo steps. Giving up on a refund
// strands a customer's money, so they retry for about an hour before the
// workflow fails loudly for an operator to look at.
func compensationOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: compensationTimeout,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        70,
			NonRetryableErrorTypes: nonRetryableErrorTypes(),
		},
	})
}

// trackingOptions are for the shipping steps after dispatch. The goods are on
// their way and no status can undo that, so these retry much longer than the
// steps before dispatch and give up only for an operator.
func trackingOptions(ctx workflow.Context) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: stepTimeout,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        time.Second,
			BackoffCoefficient:     2,
			MaximumInterval:        time.Minute,
			MaximumAttempts:        70,
			NonRetryableErrorTypes: nonRetryableErrorTypes(),
		},
	})
}
