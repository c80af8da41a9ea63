package workflows

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// setHandlers registers the query, the updates and the failure-injection
// signal of an OrderWorkflow. Validators only read state; handlers change it
// and then wait for the main flow's verdict, so an accepted update means the
// change really happened.
func (w *orderWorkflow) setHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandlerWithOptions(ctx, QueryOrderState, w.state,
		workflow.QueryHandlerOptions{Description: "The live state of the order (orderly.OrderState)"}); err != nil {
		return fmt.Errorf("set query handler: %w", err)
	}
	updates := []struct {
		name, description  string
		handler, validator any
	}{
		{UpdateCancelOrder, "Cancel the order until it is dispatched; refunds if it was charged",
			w.cancelOrder, w.validateCancel},
		{UpdateChangeShippingAddress, "Change the shipping address until the order is dispatched",
			w.changeAddress, w.validateChangeAddress},
		{UpdateApproveOrder, "Approve an order awaiting approval",
			w.approveOrder, w.validateApprove},
		{UpdateRejectOrder, "Reject an order awaiting approval; it is cancelled",
			w.rejectOrder, w.validateReject},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{
			Validator: u.validator, Description: u.description,
		}); err != nil {
			return fmt.Errorf("set update handler %s: %w", u.name, err)
		}
	}

	// Injected failures are stored as they arrive, so the query shows them
	// even while the main flow is busy in an activity.
	dctx, _ := workflow.NewDisconnectedContext(ctx)
	failures := workflow.GetSignalChannel(ctx, SignalSimulateFailure)
	workflow.Go(dctx, func(gctx workflow.Context) {
		for {
			var f orderly.FailureInjection
			failures.Receive(gctx, &f)
			w.injectFailure(gctx, f)
		}
	})
	return nil
}

// state answers QueryOrderState.
func (w *orderWorkflow) state() (orderly.OrderState, error) {
	s := orderly.OrderState{
		OrderID:          w.in.OrderID,
		Status:           w.status,
		ShippingAddress:  w.address,
		PendingFailures:  append([]orderly.FailureInjection(nil), w.pending...),
		CanCancel:        w.validateCancel(CancelOrderRequest{}) == nil,
		CanChangeAddress: w.openBeforeDispatch("change the address") == nil,
	}
	if w.approvalDeadline != nil {
		d := *w.approvalDeadline
		s.ApprovalDeadline = &d
	}
	w.afterSalesState(w.base, &s)
	return s, nil
}

// openBeforeDispatch refuses an action once the goods have left or the order
// is being wound up.
func (w *orderWorkflow) openBeforeDispatch(action string) error {
	switch {
	case w.closing || w.status.IsFinal() || w.status == orderly.StatusRefunded:
		return rejectf(orderly.ECONFLICT, "cannot %s: the order is already %s", action, lower(w.status))
	case w.dispatched || !w.status.BeforeDispatch():
		return rejectf(orderly.ECONFLICT, "cannot %s: already dispatched", action)
	}
	return nil
}

func (w *orderWorkflow) validateCancel(CancelOrderRequest) error {
	return w.openBeforeDispatch("cancel")
}

// cancelOrder asks the main flow to cancel and answers once the order is
// CANCELLED (after its refund and stock release), or with the reason it could
// not be (it was dispatched first).
func (w *orderWorkflow) cancelOrder(ctx workflow.Context, req CancelOrderRequest) error {
	reason := req.Reason
	if reason == "" {
		reason = "cancelled by the customer"
	}
	w.requestCancel(reason, false)
	return w.cancel.outcome.wait(disconnected(ctx))
}

// requestCancel records the first cancel request and stops what can be
// stopped right away: the wait for approval (by its condition) and the
// shipping child (which still finishes a dispatch it has begun).
func (w *orderWorkflow) requestCancel(reason string, viaTemporal bool) {
	if w.cancel != nil {
		return
	}
	w.cancel = &cancelRequest{reason: reason, viaTemporal: viaTemporal}
	w.logger.Info("cancel requested", "reason", reason, "viaTemporal", viaTemporal)
	if w.ship != nil {
		w.ship.cancel()
	}
}

func (w *orderWorkflow) validateChangeAddress(req ChangeAddressRequest) error {
	if err := req.Address.Validate("address"); err != nil {
		return rejectInvalid(err)
	}
	return w.openBeforeDispatch("change the address")
}

// changeAddress changes where the order ships. While the shipping child runs,
// the child decides (it alone knows whether dispatch has begun) and records
// the change; before that, the workflow records it and the child will start
// with the new address.
func (w *orderWorkflow) changeAddress(ctx workflow.Context, req ChangeAddressRequest) error {
	ctx = disconnected(ctx)
	w.addressSeq++
	seq := w.addressSeq
	if run := w.ship; run != nil {
		change := shipmentAddressChange{Seq: seq, Address: req.Address}
		if err := run.future.SignalChildWorkflow(ctx, signalShipmentAddress, change).Get(ctx, nil); err != nil {
			return rejectf(orderly.ECONFLICT, "cannot change the address: already dispatched")
		}
		if err := workflow.Await(ctx, func() bool {
			_, answered := w.addressReplies[seq]
			return answered || w.ship != run
		}); err != nil {
			return err
		}
		reply, answered := w.addressReplies[seq]
		delete(w.addressReplies, seq)
		if !answered || !reply.Accepted {
			return rejectf(orderly.ECONFLICT, "cannot change the address: already dispatched")
		}
		w.address = req.Address
		return nil
	}
	previous := w.address
	w.address = req.Address
	if err := w.record(ctx, addressEvent(seq, req.Address)); err != nil {
		w.address = previous
		return rejectf(orderly.EUNAVAILABLE, "cannot record the new address; try again")
	}
	return nil
}

// addressEvent records an address change on the order.
func addressEvent(seq int, a orderly.Address) orderly.OrderEvent {
	addr := a
	return orderly.OrderEvent{
		ID: fmt.Sprintf("address:%d", seq), Kind: orderly.EntryInfo, Address: &addr,
		Detail: fmt.Sprintf("Shipping address changed to %s, %s %s, %s", a.Line1, a.PostalCode, a.City, a.Country),
	}
}

func (w *orderWorkflow) validateApprove(req ApprovalRequest) error {
	return w.validateDecision(true, req)
}

func (w *orderWorkflow) validateReject(req ApprovalRequest) error {
	return w.validateDecision(false, req)
}

func (w *orderWorkflow) validateDecision(approve bool, req ApprovalRequest) error {
	switch {
	case req.OperatorID == "":
		return rejectf(orderly.EINVALID, "an operator ID is required")
	case w.decision != nil:
		return rejectf(orderly.ECONFLICT, "cannot %s: an operator already decided", verb(approve))
	case w.status != orderly.StatusAwaitingApproval || w.cancel != nil || w.closing:
		return rejectf(orderly.ECONFLICT, "cannot %s: the order is %s, not awaiting approval", verb(approve), lower(w.status))
	}
	return nil
}

// approveOrder answers once the order is APPROVED.
func (w *orderWorkflow) approveOrder(ctx workflow.Context, req ApprovalRequest) error {
	return w.decide(ctx, true, req)
}

// rejectOrder answers once the order is CANCELLED (stock released).
func (w *orderWorkflow) rejectOrder(ctx workflow.Context, req ApprovalRequest) error {
	return w.decide(ctx, false, req)
}

func (w *orderWorkflow) decide(ctx workflow.Context, approve bool, req ApprovalRequest) error {
	// The validator ran in this same workflow task, so nobody decided since.
	w.decision = &approvalDecision{approve: approve, reason: req.Reason}
	return w.decision.outcome.wait(disconnected(ctx))
}

// injectFailure stores an injected failure for its step's next execution, or
// forwards a shipping failure to the running shipping child.
func (w *orderWorkflow) injectFailure(ctx workflow.Context, f orderly.FailureInjection) {
	w.logger.Info("failure injected", "step", string(f.Step), "mode", string(f.Mode))
	if f.Step == orderly.StepShipping && w.ship != nil && !w.dispatched {
		if err := w.ship.future.SignalChildWorkflow(ctx, signalShipmentFailure, f).Get(ctx, nil); err == nil {
			return
		}
	}
	for i, p := range w.pending {
		if p.Step == f.Step {
			w.pending[i] = f
			return
		}
	}
	w.pending = append(w.pending, f)
}

// disconnected returns a context that a Temporal cancellation of the workflow
// does not reach, for handlers that must wait for the main flow's answer.
func disconnected(ctx workflow.Context) workflow.Context {
	d, _ := workflow.NewDisconnectedContext(ctx)
	return d
}
