package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// cancelRequest is a request to cancel, from the update or from a Temporal
// cancellation of the workflow.
type cancelRequest struct {
	reason      string
	viaTemporal bool
	outcome     outcome
}

// approvalDecision is an operator's approve or reject.
type approvalDecision struct {
	approve bool
	reason  string
	outcome outcome
}

// stopError ends the order early through the saga: status is CANCELLED or
// FAILED, reason is recorded on the order.
type stopError struct {
	status orderly.OrderStatus
	reason string
	// failedStep is set when a step failed (status FAILED).
	failedStep string
}

func (e *stopError) Error() string { return fmt.Sprintf("order %s: %s", e.status, e.reason) }

// settleRequests answers every request still waiting, once the order's fate
// is known; err is the reason the workflow itself failed, if it did.
func (w *orderWorkflow) settleRequests(err error) {
	final := w.status
	if c := w.cancel; c != nil {
		switch {
		case final == orderly.StatusCancelled:
			c.outcome.resolve(nil)
		case err != nil:
			c.outcome.resolve(rejectf(orderly.EUNAVAILABLE, "cannot cancel: the order needs an operator"))
		case final == orderly.StatusFailed:
			c.outcome.resolve(rejectf(orderly.ECONFLICT, "cannot cancel: the order failed first: %s", w.result.FailureReason))
		default:
			c.outcome.resolve(rejectf(orderly.ECONFLICT, "cannot cancel: already dispatched"))
		}
	}
	if d := w.decision; d != nil {
		switch {
		case !d.approve && final == orderly.StatusCancelled && w.cancel == nil:
			d.outcome.resolve(nil)
		case final == orderly.StatusCancelled || final == orderly.StatusFailed:
			d.outcome.resolve(rejectf(orderly.ECONFLICT, "cannot %s: the order is %s", verb(d.approve), final))
		default:
			d.outcome.resolve(rejectf(orderly.ECONFLICT, "cannot %s: the order is no longer awaiting approval", verb(d.approve)))
		}
	}
}

// finishHandlers lets running update handlers return their answers before the
// workflow closes (they were all settled just before).
func (w *orderWorkflow) finishHandlers(ctx workflow.Context) error {
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}
