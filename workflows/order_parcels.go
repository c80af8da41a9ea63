package workflows

import (
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// shipParcels ships an order split across locations (changeSplitShipments):
// one ShippingWorkflow child per parcel, started together, each reporting
// its own dispatch (commit its units at its location, capture its amount)
// and delivery. A parcel that fails for good, or is cancelled before it
// leaves, gives its units back to its location while the others go on.
// Then:
//   - no parcel left: the order ends FAILED or CANCELLED through the saga
//     (release, void), as a one-parcel order does;
//   - some left: what was held for the parcels that never shipped is
//     voided, and the order goes on to COMPLETED.
func (w *orderWorkflow) shipParcels(ctx workflow.Context) error {
	if err := w.record(ctx, orderly.OrderEvent{
		ID: statusEventID(orderly.StatusShipping), Kind: orderly.EntryStatus, Status: orderly.StatusShipping,
		Detail: "Handed over to shipping: " + parcelCount(len(w.plan)),
	}); err != nil {
		return w.failed(stepNameShipping, err)
	}
	w.status = orderly.StatusShipping
	if err := w.checkpoint(); err != nil {
		return err
	}
	if len(w.plan) == 0 {
		return w.failed(stepNameShipping, fmt.Errorf("the order has no parcels"))
	}
	inj := w.takeInjection(orderly.StepShipping)
	for i, alloc := range w.plan {
		id := ShipmentIDFor(w.in.OrderID, i+1)
		var mine *orderly.FailureInjection
		if inj != nil && (inj.ShipmentID == id || inj.ShipmentID == "" && i == 0) {
			mine, inj = inj, nil
		}
		w.parcels = append(w.parcels, w.startParcel(ctx, id, alloc, mine))
	}
	if inj != nil { // aimed at no parcel of this order: keep it visible
		w.pending = append(w.pending, *inj)
	}

	progress := workflow.GetSignalChannel(ctx, signalShipmentProgress)
	for w.parcelsRunning() {
		var p shipmentProgress
		got := false
		var ended *shippingRun
		sel := workflow.NewSelector(ctx)
		for _, run := range w.parcels {
			if !run.done {
				sel.AddFuture(run.future, func(workflow.Future) { ended = run })
			}
		}
		sel.AddReceive(progress, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &p); got = true })
		sel.Select(ctx)
		if got {
			w.onShipmentProgress(ctx, nil, p)
		}
		if ended != nil {
			// A child signals before it completes, but both can land in
			// one workflow task: take its milestones first.
			w.drainProgress(ctx, progress)
			w.parcelEnded(ctx, ended)
		}
	}
	w.drainProgress(ctx, progress)
	return w.parcelsShipped(ctx)
}

// startParcel starts one parcel's ShippingWorkflow child.
func (w *orderWorkflow) startParcel(ctx workflow.Context, id string, alloc orderly.Allocation, inj *orderly.FailureInjection) *shippingRun {
	cctx, cancelChild := workflow.WithCancel(ctx)
	cctx = workflow.WithChildOptions(cctx, workflow.ChildWorkflowOptions{
		WorkflowID:          ShippingWorkflowIDFor(id),
		TaskQueue:           TaskQueueShipping,
		WaitForCancellation: true,
		ParentClosePolicy:   enumspb.PARENT_CLOSE_POLICY_TERMINATE,
		StaticSummary:       fmt.Sprintf("Shipment %s from %s", id, alloc.Location.Name),
	})
	loc := alloc.Location
	run := &shippingRun{shipmentID: id, lines: alloc.Lines, cancel: cancelChild, location: loc, status: orderly.ShipmentPending}
	run.future = workflow.ExecuteChildWorkflow(cctx, ShippingWorkflow, ShippingInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, ShipmentID: id, Location: &loc,
		Lines: alloc.Lines, Address: w.address, Options: w.in.Shipping, Injection: inj,
	})
	return run
}

func (w *orderWorkflow) drainProgress(ctx workflow.Context, progress workflow.ReceiveChannel) {
	for {
		var p shipmentProgress
		if !progress.ReceiveAsync(&p) {
			return
		}
		w.onShipmentProgress(ctx, nil, p)
	}
}

func (w *orderWorkflow) parcelsRunning() bool {
	for _, run := range w.parcels {
		if !run.done {
			return true
		}
	}
	return false
}

// parcel returns the run of a shipment, nil for none.
func (w *orderWorkflow) parcel(shipmentID string) *shippingRun {
	for _, run := range w.parcels {
		if run.shipmentID == shipmentID {
			return run
		}
	}
	return nil
}

// toDispatch lists the parcels that have not left and may still: what a
// cancel or an address change can reach.
func (w *orderWorkflow) toDispatch() []*shippingRun {
	var out []*shippingRun
	for _, run := range w.parcels {
		if !run.done && !run.status.Dispatched() && !run.cancelAsked {
			out = append(out, run)
		}
	}
	return out
}

// followParcels sets the order's status from its parcels (the store does
// the same from the shipments it holds: orderly.FulfillmentStatus).
func (w *orderWorkflow) followParcels() {
	shipments := make([]orderly.Shipment, len(w.parcels))
	for i, run := range w.parcels {
		shipments[i] = orderly.Shipment{ID: run.shipmentID, Status: run.status}
	}
	if s := orderly.FulfillmentStatus(shipments); s != "" {
		w.status = s
	}
}

// onParcelDispatched is the point of no return for one parcel: its units
// are committed at its location and its amount captured. The first
// dispatch ends the saga: the order will complete, whatever its other
// parcels do.
func (w *orderWorkflow) onParcelDispatched(ctx workflow.Context, p shipmentProgress) {
	run := w.parcel(p.ShipmentID)
	if run == nil || run.status.Dispatched() {
		return
	}
	first := !w.dispatched
	w.dispatched = true
	run.status = orderly.ShipmentDispatched
	w.followParcels()
	if w.result.TrackingNumber == "" {
		w.result.TrackingNumber = p.TrackingNumber
	}
	w.saga.clear()
	var a *Activities
	if err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.CommitInventory, InventoryInput{
		OrderID: w.in.OrderID, Lines: run.lines, LocationID: run.location.ID,
	}).Get(ctx, nil); err != nil {
		w.logger.Error("cannot commit stock after dispatch", "shipment", run.shipmentID, "error", err)
	}
	w.capture(ctx, run.shipmentID, run.lines)
	if first {
		w.notify(ctx, milestoneShipped)
	}
}

func (w *orderWorkflow) onParcelDelivered(ctx workflow.Context, p shipmentProgress) {
	run := w.parcel(p.ShipmentID)
	if run == nil || run.status == orderly.ShipmentDelivered {
		return
	}
	run.status = orderly.ShipmentDelivered
	w.followParcels()
	w.sales.delivered(workflow.Now(ctx), run.lines, w.in.Returns.withDefaults().Window)
	if w.status == orderly.StatusDelivered {
		w.notify(ctx, milestoneDelivered)
	}
}

// parcelEnded takes in a parcel's child as it ended: delivered, or
// cancelled or failed before it left (its units go back to its location at
// once, so other orders may have them while the siblings travel).
func (w *orderWorkflow) parcelEnded(ctx workflow.Context, run *shippingRun) {
	var res ShippingResult
	run.err = run.future.Get(ctx, &res)
	run.done = true
	switch {
	case run.err == nil:
		return
	case run.status.Dispatched():
		w.logger.Error("shipment failed after dispatch", "shipment", run.shipmentID, "error", run.err)
		return
	case temporal.IsCanceledError(run.err):
		run.status = orderly.ShipmentCancelled
	default:
		run.status = orderly.ShipmentFailed
	}
	w.followParcels()
	if !w.dispatched && !w.parcelsRunning() {
		// The last parcel, and none left: the order ends through its saga,
		// which gives every unit back.
		return
	}
	detail := fmt.Sprintf("Shipment %s from %s cancelled before dispatch", run.shipmentID, run.location.Name)
	if run.status == orderly.ShipmentFailed {
		detail = fmt.Sprintf("Shipment %s from %s failed: %s", run.shipmentID, run.location.Name, failureReason(stepNameShipping, run.err))
	}
	var a *Activities
	loc := run.location
	if err := workflow.ExecuteActivity(activityOptions(ctx, compensationActivity), a.EndShipment, EndShipmentInput{
		OrderID: w.in.OrderID, Status: run.status, Detail: detail,
		Shipment: orderly.Shipment{ID: run.shipmentID, Location: &loc, Lines: run.lines},
	}).Get(ctx, nil); err != nil {
		w.logger.Error("cannot end the shipment", "shipment", run.shipmentID, "error", err)
	}
	if w.status == orderly.StatusDelivered {
		// The last parcel on its way had arrived already: this end
		// completes the delivery.
		w.notify(ctx, milestoneDelivered)
	}
	w.answerPartialCancel()
}

// answerPartialCancel answers a cancel that came once a parcel had left,
// as soon as every parcel it reached has ended: it cancelled those.
func (w *orderWorkflow) answerPartialCancel() {
	c := w.cancel
	if c == nil || c.outcome.done || !w.dispatched {
		return
	}
	var change orderly.ShipmentsChange
	for _, run := range w.parcels {
		switch {
		case run.cancelAsked && !run.done:
			return // still deciding
		case run.status.Dispatched():
			change.Dispatched = append(change.Dispatched, run.shipmentID)
		case run.cancelAsked && run.status == orderly.ShipmentCancelled:
			change.Changed = append(change.Changed, run.shipmentID)
		}
	}
	c.change = change
	if len(change.Changed) == 0 {
		c.outcome.resolve(rejectf(orderly.ECONFLICT, "cannot cancel: already dispatched"))
		return
	}
	c.outcome.resolve(nil)
}

// parcelsShipped decides how the order goes on once every parcel's child
// has ended.
func (w *orderWorkflow) parcelsShipped(ctx workflow.Context) error {
	var firstErr, afterDispatch error
	ended := 0
	for _, run := range w.parcels {
		switch {
		case run.err == nil:
		case run.status.Dispatched():
			afterDispatch = fmt.Errorf("shipment %s failed after dispatch: %w", run.shipmentID, run.err)
		default:
			ended++
			if firstErr == nil && run.status == orderly.ShipmentFailed {
				firstErr = run.err
			}
		}
	}
	if !w.dispatched {
		if w.cancel != nil {
			for _, run := range w.parcels {
				w.cancel.change.Changed = append(w.cancel.change.Changed, run.shipmentID)
			}
			return w.checkpoint()
		}
		return w.failed(stepNameShipping, firstErr)
	}
	w.answerPartialCancel()
	if ended > 0 && w.pay != nil {
		w.voidUnshipped(ctx)
	}
	return afterDispatch
}

// voidUnshipped releases what is still held once every parcel that ships
// has been captured: the part of the parcels that never left.
func (w *orderWorkflow) voidUnshipped(ctx workflow.Context) {
	if w.pay.summary(w.in.Total.Currency).Authorized.Amount == 0 {
		return
	}
	if err := w.voidPayment(activityOptions(ctx, compensationActivity)); err != nil {
		w.logger.Error("cannot void what the unshipped parcels held", "error", err)
		_ = w.record(ctx, orderly.OrderEvent{
			ID: "failure:void-unshipped", Kind: orderly.EntryFailure,
			Detail: "The hold for the parcels that never shipped could not be released; an operator must void it",
		})
	}
}

// parcelReplyKey keys a parcel's answer to an address change.
func parcelReplyKey(seq int, shipmentID string) string { return fmt.Sprintf("%d:%s", seq, shipmentID) }

// changeParcelsAddress sends the parcels not yet dispatched to a new
// address; each child decides for itself (it alone knows whether its
// dispatch has begun). It answers which parcels took it, refused when none
// did.
func (w *orderWorkflow) changeParcelsAddress(ctx workflow.Context, seq int, addr orderly.Address) (orderly.ShipmentsChange, error) {
	var change orderly.ShipmentsChange
	var asked []*shippingRun
	for _, run := range w.toDispatch() {
		change := shipmentAddressChange{Seq: seq, Address: addr}
		if err := run.future.SignalChildWorkflow(ctx, signalShipmentAddress, change).Get(ctx, nil); err == nil {
			asked = append(asked, run)
		}
	}
	if err := workflow.Await(ctx, func() bool {
		for _, run := range asked {
			if _, ok := w.parcelReplies[parcelReplyKey(seq, run.shipmentID)]; !ok && !run.done {
				return false
			}
		}
		return true
	}); err != nil {
		return change, err
	}
	for _, run := range w.parcels {
		key := parcelReplyKey(seq, run.shipmentID)
		reply, ok := w.parcelReplies[key]
		delete(w.parcelReplies, key)
		switch {
		case ok && reply.Accepted:
			change.Changed = append(change.Changed, run.shipmentID)
		case run.status.Dispatched() || ok:
			change.Dispatched = append(change.Dispatched, run.shipmentID)
		}
	}
	if len(change.Changed) == 0 {
		return change, rejectf(orderly.ECONFLICT, "cannot change the address: already dispatched")
	}
	w.address = addr
	return change, nil
}

// injectParcelFailure forwards an injected shipping failure to the parcel
// it names, or the first one not yet dispatched; false when none can take it.
func (w *orderWorkflow) injectParcelFailure(ctx workflow.Context, f orderly.FailureInjection) bool {
	for _, run := range w.toDispatch() {
		if f.ShipmentID != "" && f.ShipmentID != run.shipmentID {
			continue
		}
		return run.future.SignalChildWorkflow(ctx, signalShipmentFailure, f).Get(ctx, nil) == nil
	}
	return false
}
