package workflows

import (
	"context"
	"errors"
	"log/slog"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/temporal"
)

// alertAfterAttempts is the attempt from which a failing activity logs at
// ERROR with alert=true: with the retry pacing of activityOptions that is
// about half a minute of failures, longer than any blip of a healthy store.
const alertAfterAttempts = 6

// NewRetryLogger returns a worker interceptor that makes retries visible to
// an operator: every failed attempt that Temporal will retry is logged
// (WARN), and once an activity has failed alertAfterAttempts times in a row
// the line is an ERROR with alert=true — the line to alert on when the
// store or another dependency is down, which no longer fails orders but
// stalls them. The first success after failures says so (INFO).
func NewRetryLogger(logger *slog.Logger) interceptor.WorkerInterceptor {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &retryLogger{logger: logger}
}

type retryLogger struct {
	interceptor.WorkerInterceptorBase
	logger *slog.Logger
}

func (r *retryLogger) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	i := &retryLogActivity{logger: r.logger}
	i.Next = next
	return i
}

type retryLogActivity struct {
	interceptor.ActivityInboundInterceptorBase
	logger *slog.Logger
}

func (a *retryLogActivity) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	res, err := a.Next.ExecuteActivity(ctx, in)
	info := activity.GetInfo(ctx)
	attrs := []any{"activity", info.ActivityType.Name, "workflowId", info.WorkflowExecution.ID, "attempt", info.Attempt}
	switch {
	case err == nil && info.Attempt > 1:
		a.logger.InfoContext(ctx, "activity succeeded after retries", attrs...)
	case err != nil && retryable(err):
		if info.Attempt >= alertAfterAttempts {
			a.logger.ErrorContext(ctx, "activity keeps failing; Temporal keeps retrying (is the store or another dependency down?)",
				append(attrs, "alert", true, "err", err)...)
		} else {
			a.logger.WarnContext(ctx, "activity attempt failed; Temporal will retry", append(attrs, "err", err)...)
		}
	}
	return res, err
}

// retryable reports whether Temporal retries err: anything but a
// non-retryable application error (or one whose type the policies name).
func retryable(err error) bool {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		if appErr.NonRetryable() {
			return false
		}
		for _, t := range nonRetryableErrorTypes() {
			if appErr.Type() == t {
				return false
			}
		}
	}
	return true
}
