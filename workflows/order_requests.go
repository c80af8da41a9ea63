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
	// change is which parcels it cancelled, and which had left (split
	// shipments only).
	change orderly.ShipmentsChange
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
	w.settled, w.settleErr = true, err
	if c := w.cancel; c != nil {
		c.outcome.resolve(w.cancelAnswer())
	}
	if d := w.decision; d != nil {
		d.outcome.resolve(w.decisionAnswer(d.approve))
	}
}

// cancelAnswer is a settled order's answer to every cancel it accepted.
func (w *orderWorkflow) cancelAnswer() error {
	switch final := w.status; {
	case final == orderly.StatusCancelled:
		return nil
	case w.settleErr != nil:
		return rejectf(orderly.EUNAVAILABLE, "cannot cancel: the order needs an operator")
	case final == orderly.StatusFailed:
		return rejectf(orderly.ECONFLICT, "cannot cancel: the order failed first: %s", w.result.FailureReason)
	default:
		return rejectf(orderly.ECONFLICT, "cannot cancel: already dispatched")
	}
}

// decisionAnswer is a settled order's answer to a decision that its
// outcome did not answer before (an approval is answered once APPROVED is
// recorded). A rejection succeeds when the order ended CANCELLED, by it or
// by a cancel that came first: it asked for that end.
func (w *orderWorkflow) decisionAnswer(approve bool) error {
	switch final := w.status; {
	case !approve && final == orderly.StatusCancelled:
		return nil
	case final == orderly.StatusCancelled || final == orderly.StatusFailed:
		return rejectf(orderly.ECONFLICT, "cannot %s: the order is %s", verb(approve), final)
	default:
		return rejectf(orderly.ECONFLICT, "cannot %s: the order is no longer awaiting approval", verb(approve))
	}
}

// finishHandlers lets running update handlers return their answers before the
// workflow closes (they were all settled just before).
func (w *orderWorkflow) finishHandlers(ctx workflow.Context) error {
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}
