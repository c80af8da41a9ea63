package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// awaitApproval holds the order until an operator decides, the customer
// cancels, or the approval timeout (a durable timer) fires.
func (w *orderWorkflow) awaitApproval(ctx workflow.Context, v ValidateOrderResult) error {
	deadline := workflow.Now(ctx).Add(v.ApprovalTimeout)
	// Open the decision before the status is recorded: the read model shows
	// AWAITING_APPROVAL as soon as the activity writes it, and an operator
	// who approves at once must not be told the order is not awaiting
	// approval. A decision that arrives early is kept for the wait below.
	w.status = orderly.StatusAwaitingApproval
	w.approvalDeadline = &deadline
	if err := w.record(ctx, orderly.OrderEvent{
		ID: statusEventID(orderly.StatusAwaitingApproval), Kind: orderly.EntryStatus, Status: orderly.StatusAwaitingApproval,
		Detail: fmt.Sprintf("Waiting for an operator's approval until %s: %s", deadline.UTC().Format("Jan 2, 15:04 MST"), v.ApprovalReason),
	}); err != nil {
		return w.failed("approval", err)
	}
	w.notify(ctx, milestoneAwaitingApproval)

	// AwaitWithOptions is a durable timer raced against the condition: the
	// timer lives in Temporal, so a worker restart neither resets nor loses it.
	if _, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
		Timeout:      v.ApprovalTimeout,
		TimerOptions: workflow.TimerOptions{Summary: "approval timeout"},
	}, func() bool { return w.decision != nil || w.cancel != nil }); err != nil {
		return err
	}
	w.approvalDeadline = nil
	// A decision that raced the timer still counts: the operator was told yes.
	switch d := w.decision; {
	case w.cancel != nil:
		return w.checkpoint()
	case d != nil && d.approve:
		if err := w.record(ctx, orderly.OrderEvent{
			ID: statusEventID(orderly.StatusApproved), Kind: orderly.EntryStatus, Status: orderly.StatusApproved,
			// The customer reads the timeline: it names no staff account.
			// Which operator decided stays in the update's input, in the
			// workflow history.
			Detail: "Approved by an operator",
		}); err != nil {
			return w.failed("approval", err)
		}
		w.status = orderly.StatusApproved
		d.outcome.resolve(nil)
		return nil
	case d != nil:
		reason := "rejected by an operator"
		if d.reason != "" {
			reason += ": " + d.reason
		}
		return &stopError{status: orderly.StatusCancelled, reason: reason}
	}
	return &stopError{status: orderly.StatusCancelled, reason: fmt.Sprintf("not approved within %s", v.ApprovalTimeout)}
}
