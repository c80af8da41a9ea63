package bare

import (
	"time"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"
)

// The activity options of package workflows, value for value.
const (
	stepTimeout        = 5 * time.Second
	bookkeepingTimeout = 10 * time.Second
)

func stepOptions(ctx workflow.Context) workflow.Context {
	return withRetries(ctx, stepTimeout, 10*time.Second, 8)
}

func bookkeepingOptions(ctx workflow.Context) workflow.Context {
	return withRetries(ctx, bookkeepingTimeout, 30*time.Second, 20)
}

func trackingOptions(ctx workflow.Context) workflow.Context {
	return withRetries(ctx, stepTimeout, time.Minute, 70)
}

func withRetries(ctx workflow.Context, timeout, maxInterval time.Duration, attempts int32) workflow.Context {
	return workflow.WithActivityOptions(ctx, workflow.ActivityOptions{
		StartToCloseTimeout: timeout,
		WaitForCancellation: true,
		RetryPolicy: &temporal.RetryPolicy{
			InitialInterval:    time.Second,
			BackoffCoefficient: 2,
			MaximumInterval:    maxInterval,
			MaximumAttempts:    attempts,
		},
	})
}

func disconnected(ctx workflow.Context) workflow.Context {
	d, _ := workflow.NewDisconnectedContext(ctx)
	return d
}
