package workflows

import (
	"errors"
	"fmt"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// shippingRun is a running ShippingWorkflow child.
type shippingRun struct {
	shipmentID string
	// lines are what the shipment holds: what its dispatch captures and
	// its delivery makes returnable.
	lines  []orderly.OrderLine
	future workflow.ChildWorkflowFuture
	cancel workflow.CancelFunc

	// The fields below serve split shipments, a run per parcel.

	// location is where the parcel ships from.
	location orderly.Location
	// status is where the parcel stands as the order workflow heard it.
	status orderly.ShipmentStatus
	// cancelAsked is set once a cancel reached the parcel; done once its
	// child ended, with err.
	cancelAsked bool
	done        bool
	err         error
}

// shipOrder runs the ShippingWorkflow child and does the parent's share of
// each milestone it reports (commit stock at dispatch, notifications).
func (w *orderWorkflow) shipOrder(ctx workflow.Context) error {
	if err := w.record(ctx, orderly.OrderEvent{
		ID: statusEventID(orderly.StatusShipping), Kind: orderly.EntryStatus, Status: orderly.StatusShipping,
		Detail: "Handed over to shipping",
	}); err != nil {
		return w.failed(stepNameShipping, err)
	}
	w.status = orderly.StatusShipping
	// A cancel that arrived while SHIPPING was being recorded found no
	// shipping child to stop: honour it here, or the child would start
	// uncancelled and the cancel would be refused at dispatch. Versioned
	// because a run that raced this way before the check started its child.
	if workflow.GetVersion(ctx, changeCheckpointBeforeShipping, workflow.DefaultVersion, 1) >= 1 {
		if err := w.checkpoint(); err != nil {
			return err
		}
	}

	shipmentID := ShipmentIDFor(w.in.OrderID, 1)
	cctx, cancelChild := workflow.WithCancel(ctx)
	cctx = workflow.WithChildOptions(cctx, workflow.ChildWorkflowOptions{
		WorkflowID: ShippingWorkflowIDFor(shipmentID),
		TaskQueue:  TaskQueueShipping,
		// The child decides, at its own step boundaries, whether a cancel
		// still stops it; the parent must hear that answer before it refunds.
		WaitForCancellation: true,
		ParentClosePolicy:   enumspb.PARENT_CLOSE_POLICY_TERMINATE,
		StaticSummary:       "Shipment " + shipmentID,
	})
	run := &shippingRun{shipmentID: shipmentID, lines: w.in.Lines, cancel: cancelChild}
	run.future = workflow.ExecuteChildWorkflow(cctx, ShippingWorkflow, ShippingInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, ShipmentID: shipmentID,
		Lines: w.in.Lines, Address: w.address, Options: w.in.Shipping,
		Injection: w.takeInjection(orderly.StepShipping),
	})
	w.ship = run

	progress := workflow.GetSignalChannel(ctx, signalShipmentProgress)
	for !run.future.IsReady() {
		var p shipmentProgress
		got := false
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(run.future, func(workflow.Future) {})
		sel.AddReceive(progress, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &p); got = true })
		sel.Select(ctx)
		if got {
			w.onShipmentProgress(ctx, run, p)
		}
	}
	// The child signals before it completes, but both can land in one
	// workflow task: drain what is left so no milestone is lost.
	for {
		var p shipmentProgress
		if !progress.ReceiveAsync(&p) {
			break
		}
		w.onShipmentProgress(ctx, run, p)
	}
	var res ShippingResult
	err := run.future.Get(ctx, &res)
	w.ship = nil
	var canceled *temporal.CanceledError
	switch {
	case err == nil:
		w.result.TrackingNumber = res.TrackingNumber
		return nil
	case w.dispatched:
		return fmt.Errorf("shipment %s failed after dispatch: %w", shipmentID, err)
	case errors.As(err, &canceled) && w.cancel != nil:
		return w.checkpoint()
	}
	return w.failed(stepNameShipping, err)
}

// onShipmentProgress applies what the shipping child reported.
func (w *orderWorkflow) onShipmentProgress(ctx workflow.Context, run *shippingRun, p shipmentProgress) {
	switch p.Kind {
	case progressAddressReply:
		if w.split {
			w.parcelReplies[parcelReplyKey(p.Seq, p.ShipmentID)] = p
			return
		}
		w.addressReplies[p.Seq] = p
	case progressDispatched:
		if w.split {
			w.onParcelDispatched(ctx, p)
			return
		}
		// The point of no return: the goods have left, nothing can be undone
		// and a cancel still waiting for its answer is refused.
		w.dispatched = true
		w.status = orderly.StatusShipped
		w.result.TrackingNumber = p.TrackingNumber
		w.saga.clear()
		if w.cancel != nil {
			w.cancel.outcome.resolve(rejectf(orderly.ECONFLICT, "cannot cancel: already dispatched"))
		}
		var a *Activities
		if err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.CommitInventory, InventoryInput{
			OrderID: w.in.OrderID, Lines: w.in.Lines,
		}).Get(ctx, nil); err != nil {
			// The reservation stays; it can no longer be released by this
			// order, so the only cost is a log line for an operator.
			w.logger.Error("cannot commit stock after dispatch", "error", err)
		}
		if w.pay != nil {
			w.capture(ctx, run.shipmentID, run.lines)
		}
		w.notify(ctx, milestoneShipped)
	case progressDelivered:
		if w.split {
			w.onParcelDelivered(ctx, p)
			return
		}
		w.status = orderly.StatusDelivered
		w.sales.delivered(workflow.Now(ctx), run.lines, w.in.Returns.withDefaults().Window)
		w.notify(ctx, milestoneDelivered)
	}
}
