package bare

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// ReturnWindow is how long an order stays open for refunds and returns
// after it completes, in both programs of a benchmark (Orderly's
// RETURN_WINDOW): short, so that an order's workflow closes soon after.
const ReturnWindow = 10 * time.Millisecond

// The activity options of package workflows, value for value: unlimited
// attempts within a give-up bound, backoff capped at five seconds.
const (
	stepTimeout        = 5 * time.Second
	bookkeepingTimeout = 10 * time.Second
	maxRetryInterval   = 5 * time.Second
	orderGiveUp        = 24 * time.Hour
	undoGiveUp         = 7 * 24 * time.Hour
)

func stepOptions(ctx workflow.Context) workflow.Context {
	return withRetries(ctx, stepTimeout, orderGiveUp)
}

func bookkeepingOptions(ctx workflow.Context) workflow.Context {
	return withRetries(ctx, bookkeepingTimeout, orderGiveUp)
}

func trackingOptions(ctx workflow.Context) workflow.Context {
	return withRetries(ctx, stepTimeout, undoGiveUp)
}

func withRetries(ctx workflow.Context, startToClose, scheduleToClose time.Duration) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout:    startToClose,
		ScheduleToCloseTimeout: scheduleToClose,
		WaitForCancellation:    true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    maxRetryInterval,
		},
	})
}

func disconnected(ctx workflow.Context) workflow.Context {
	d, _ := workflow.NewDisconnectedContext(ctx)
	return d
}
