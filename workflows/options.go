package workflows

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// activityKind says how an activity is timed and retried. Every kind retries
// the same way — any error that is not a business answer is retried, with
// backoff capped at maxRetryInterval, until the activity's give-up bound —
// because an infrastructure failure (the store slow, restarting or gone for
// a while, a worker killed) must never fail an order: only a named,
// non-retryable answer (out of stock, invalid, declined, conflict) does.
type activityKind int

// Activity kinds.
const (
	// stepActivity: the business steps (validate, reserve, pay, the
	// shipping steps before dispatch). A tight start-to-close timeout, so
	// that an attempt stalled past it shows as a timeout and a retry within
	// seconds; every attempt talks to the local store only.
	stepActivity activityKind = iota
	// bookkeepingActivity: writes that only record what happened (status
	// changes, notifications, committing stock, rewards).
	bookkeepingActivity
	// compensationActivity: the saga's undo steps. Giving up on a refund
	// strands a customer's money, so these try for a week.
	compensationActivity
	// trackingActivity: the shipping steps after dispatch. The goods are on
	// their way and no status can undo that, so these try for a week too.
	trackingActivity
)

// Retry pacing shared by every kind.
const (
	initialRetryInterval = time.Second
	// maxRetryInterval caps the backoff: a store that comes back is used
	// within seconds.
	maxRetryInterval = 5 * time.Second

	stepTimeout        = 5 * time.Second
	bookkeepingTimeout = 10 * time.Second
	// orderGiveUp bounds the retries of an order's forward steps: a store
	// down for a day fails its orders, one down for an hour does not.
	orderGiveUp = 24 * time.Hour
	// undoGiveUp bounds the retries of compensations and of the steps after
	// dispatch, which no failure of the order can replace.
	undoGiveUp = 7 * 24 * time.Hour
)

// timeouts returns the kind's start-to-close and schedule-to-close bounds.
func (k activityKind) timeouts() (startToClose, scheduleToClose time.Duration) {
	switch k {
	case bookkeepingActivity:
		return bookkeepingTimeout, orderGiveUp
	case compensationActivity:
		return bookkeepingTimeout, undoGiveUp
	case trackingActivity:
		return stepTimeout, undoGiveUp
	}
	return stepTimeout, orderGiveUp
}

// activityOptions returns ctx with the options of an activity of kind k.
//
// WaitForCancellation makes a cancelled context wait for the attempt to end,
// so the workflow never compensates while a charge may still be landing.
// Changing these options needs no versioning: replay checks which
// activities a workflow scheduled, not how they were timed.
func activityOptions(ctx workflow.Context, k activityKind) workflow.Context {
	startToClose, scheduleToClose := k.timeouts()
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    startToClose,
		ScheduleToCloseTimeout: scheduleToClose,
		WaitForCancellation:    true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:        initialRetryInterval,
			BackoffCoefficient:     2,
			MaximumInterval:        maxRetryInterval,
			MaximumAttempts:        0, // unlimited within scheduleToClose
			NonRetryableErrorTypes: nonRetryableErrorTypes(),
		},
	})
}
