package workflows

import (
	"cmp"
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
		CanCancel:        w.openBeforeDispatch("cancel") == nil,
		CanChangeAddress: w.openBeforeDispatch("change the address") == nil,
	}
	if w.approvalDeadline != nil {
		d := *w.approvalDeadline
		s.ApprovalDeadline = &d
	}
	w.afterSalesState(w.base, &s)
	return s, nil
}

// Requests that overlap get consistent answers. A request that repeats what
// is under way or done (a cancel or a rejection of an order being
// cancelled, an approval of an approved order) is accepted and answered as
// the first one was; any other request the order can no longer take is
// refused with a CONFLICT that names where the order really stands
// (standing). Validators do not run on replay, and a request that joins
// another only waits for its answer (it issues no command), so histories
// recorded before these rules replay unchanged: the rules only let more
// requests in, and answer a rejection that a cancel overtook with success.

// openBeforeDispatch refuses an action once the goods have left or the order
// is being wound up, saying which.
func (w *orderWorkflow) openBeforeDispatch(action string) error {
	if s := w.standing(); s != "" {
		return rejectf(orderly.ECONFLICT, "cannot %s: %s", action, s)
	}
	return nil
}

// standing says why the order takes no more changes, "" while it does. It
// reads where the order is going, not only the status it shows: while an
// order is wound up that status lags behind (a cancelled order shows
// AWAITING_APPROVAL or REFUNDED until its CANCELLED is recorded).
func (w *orderWorkflow) standing() string {
	switch {
	case w.status.IsFinal():
		return "the order is already " + lower(w.status)
	case w.endsCancelled():
		return "the order is being cancelled"
	case w.ending == orderly.StatusFailed:
		return "the order is failing"
	case w.closing:
		return "already dispatched"
	case w.parcels != nil:
		// Split shipments: open while a parcel may still be stopped.
		if len(w.toDispatch()) == 0 {
			return "already dispatched"
		}
		return ""
	case w.dispatched || !w.status.BeforeDispatch():
		return "already dispatched"
	}
	return ""
}

// endsCancelled reports whether the order is CANCELLED or on its way there:
// the wind-up under way is a cancellation, or, before it, a cancel or a
// rejection is pending.
func (w *orderWorkflow) endsCancelled() bool {
	switch {
	case w.status.IsFinal():
		return w.status == orderly.StatusCancelled
	case w.ending != "":
		return w.ending == orderly.StatusCancelled
	case w.closing || w.dispatched:
		return false
	}
	return w.cancel != nil || (w.decision != nil && !w.decision.approve)
}

// validateCancel accepts a cancel of an order that is being (or was)
// cancelled: it joins that cancellation.
func (w *orderWorkflow) validateCancel(CancelOrderRequest) error {
	if w.endsCancelled() || w.parcels != nil && w.cancel != nil && !w.closing {
		return nil
	}
	return w.openBeforeDispatch("cancel")
}

// cancelOrder asks the main flow to cancel and answers once the order is
// CANCELLED (after its refund and stock release), or with the reason it could
// not be (it was dispatched first). An order split in parcels, some of which
// left, is cancelled in part: the answer names the parcels cancelled and
// those already gone. A cancel that joins one under way waits for the same
// answer; one that comes once every answer was given gets it at once.
func (w *orderWorkflow) cancelOrder(ctx workflow.Context, req CancelOrderRequest) (orderly.ShipmentsChange, error) {
	if w.settled {
		var change orderly.ShipmentsChange
		if w.cancel != nil {
			change = w.cancel.change
		}
		return change, w.cancelAnswer()
	}
	reason := req.Reason
	if reason == "" {
		reason = "cancelled by the customer"
	}
	w.requestCancel(reason, false)
	err := w.cancel.outcome.wait(disconnected(ctx))
	return w.cancel.change, err
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
	for _, run := range w.toDispatch() {
		run.cancelAsked = true
		run.cancel()
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
func (w *orderWorkflow) changeAddress(ctx workflow.Context, req ChangeAddressRequest) (orderly.ShipmentsChange, error) {
	ctx = disconnected(ctx)
	w.addressSeq++
	seq := w.addressSeq
	if w.parcels != nil {
		return w.changeParcelsAddress(ctx, seq, req.Address)
	}
	return orderly.ShipmentsChange{}, w.changeOneAddress(ctx, seq, req)
}

// changeOneAddress is changeAddress for an order that ships as one parcel,
// or has not started shipping.
func (w *orderWorkflow) changeOneAddress(ctx workflow.Context, seq int, req ChangeAddressRequest) error {
	if run := w.ship; run != nil {
		change := shipmentAddressChange{Seq: seq, Address: req.Address}
		if err := run.future.SignalChildWorkflow(ctx, signalShipmentAddress, change).Get(ctx, nil); err != nil {
			return w.refused("change the address") // the child has ended
		}
		if err := workflow.Await(ctx, func() bool {
			_, answered := w.addressReplies[seq]
			return answered || w.ship != run
		}); err != nil {
			return err
		}
		reply, answered := w.addressReplies[seq]
		delete(w.addressReplies, seq)
		switch {
		case !answered:
			return w.refused("change the address") // the child ended first
		case !reply.Accepted:
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

// validateDecision accepts a decision that repeats the one made (it joins
// it), and a rejection of an order that is being cancelled anyway; it
// refuses the other decision with what was decided, and any decision once
// the order is past its approval with where the order stands.
func (w *orderWorkflow) validateDecision(approve bool, req ApprovalRequest) error {
	switch {
	case req.OperatorID == "":
		return rejectf(orderly.EINVALID, "an operator ID is required")
	case w.decision != nil && w.decision.approve == approve:
		return nil
	case w.decision != nil:
		return rejectf(orderly.ECONFLICT, "cannot %s: an operator %s the order", verb(approve), decided(w.decision.approve))
	case !approve && w.endsCancelled():
		return nil
	}
	if w.status.IsFinal() || w.endsCancelled() || w.ending != "" {
		return rejectf(orderly.ECONFLICT, "cannot %s: %s", verb(approve), w.standing())
	}
	if w.status != orderly.StatusAwaitingApproval || w.closing {
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

// decide records the first decision and waits for its outcome; a repeat
// (the validator let only repeats through once there is a decision) waits
// for the same one.
func (w *orderWorkflow) decide(ctx workflow.Context, approve bool, req ApprovalRequest) error {
	if w.settled {
		return w.decisionAnswer(approve)
	}
	if w.decision == nil {
		w.decision = &approvalDecision{approve: approve, reason: req.Reason}
	}
	return w.decision.outcome.wait(disconnected(ctx))
}

// refused is the CONFLICT of a request the order can no longer take, with
// where it stands.
func (w *orderWorkflow) refused(action string) error {
	return rejectf(orderly.ECONFLICT, "cannot %s: %s", action, cmp.Or(w.standing(), "already dispatched"))
}

// injectFailure stores an injected failure for its step's next execution, or
// forwards a shipping failure to the running shipping child.
func (w *orderWorkflow) injectFailure(ctx workflow.Context, f orderly.FailureInjection) {
	w.logger.Info("failure injected", "step", string(f.Step), "mode", string(f.Mode))
	if f.Step == orderly.StepShipping && w.parcels != nil && w.injectParcelFailure(ctx, f) {
		return
	}
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
