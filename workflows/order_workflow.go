package workflows

import (
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// OrderWorkflow processes one order, on TaskQueueOrders, with the workflow ID
// orderly.OrderWorkflowIDFor(orderID):
//
//	validate -> reserve stock -> [await approval] -> authorize payment ->
//	ship (child workflow on TaskQueueShipping; capture at dispatch) ->
//	reward points -> COMPLETED -> return window (refunds, ReturnWorkflows)
//
// Each status change is written to the order's read model by an activity with
// a deterministic event ID, and each money movement is a ledger entry written
// by the activity that made it. A permanent failure or a cancellation before
// dispatch unwinds the saga (void the hold, release stock) and ends the order
// FAILED or CANCELLED with its reason; the workflow itself completes normally
// then, since it did its job. It fails only when a compensation cannot be
// carried out, or the shipment fails after dispatch: cases for an operator.
//
// Orders started before the payment ledger (changePaymentLedger) charge the
// total before shipping and refund it on the way out, as they always did.
// Orders started before split shipments (changeSplitShipments) ship as one
// parcel, wherever their units were reserved.
func OrderWorkflow(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	w := &orderWorkflow{
		in:             in,
		status:         orderly.StatusReceived,
		address:        in.ShippingAddress,
		addressReplies: map[int]shipmentProgress{},
		parcelReplies:  map[string]shipmentProgress{},
		logger:         log.With(workflow.GetLogger(ctx), "orderId", in.OrderID),
	}
	w.result.OrderID = in.OrderID
	w.base, _ = workflow.NewDisconnectedContext(ctx)
	if err := w.setHandlers(ctx); err != nil {
		return OrderResult{}, err
	}
	if workflow.GetVersion(ctx, changePaymentLedger, workflow.DefaultVersion, 1) >= 1 {
		w.pay = newPaymentState(ctx)
		if err := w.setAfterSalesHandlers(ctx); err != nil {
			return OrderResult{}, err
		}
		w.split = workflow.GetVersion(ctx, changeSplitShipments, workflow.DefaultVersion, 1) >= 1
	}
	return w.run(ctx)
}

// orderWorkflow is the state of one OrderWorkflow run. Handlers and the main
// flow share it; Temporal runs them one at a time, so no locking is needed
// (the money lock serializes sequences of steps, not memory access).
type orderWorkflow struct {
	in     OrderInput
	logger log.Logger
	// base is the workflow's context, disconnected from a Temporal
	// cancellation: what outlives a handler (a return's child workflow) runs
	// on it.
	base   workflow.Context
	status orderly.OrderStatus
	// address is where the order ships; updates change it until dispatch.
	address orderly.Address
	// pending holds at most one injected failure per step, oldest first.
	pending []orderly.FailureInjection

	approvalDeadline *time.Time
	decision         *approvalDecision
	cancel           *cancelRequest

	// ship is the running shipping child, nil before and after it (one
	// parcel, for orders started before split shipments).
	ship       *shippingRun
	dispatched bool
	// split is set for orders that ship a parcel per location
	// (changeSplitShipments); parcels are theirs, planned at reservation,
	// and parcelReplies their answers to address changes, by
	// parcelReplyKey.
	split         bool
	parcels       []*shippingRun
	plan          []orderly.Allocation
	parcelReplies map[string]shipmentProgress
	// addressSeq numbers address changes; addressReplies holds the shipping
	// child's answers by number (looked up, never iterated).
	addressSeq     int
	addressReplies map[int]shipmentProgress

	// pay is the payment ledger's state; nil for an order on the charge path.
	pay *paymentState
	// sales is the after-sales state: what was delivered, the return window
	// and the returns.
	sales afterSales

	// closing is set once the order is being wound up (compensating or
	// completing); from then on no request about the order's progress
	// changes it (refunds and returns have their own rules). ending is where
	// a compensating wind-up takes it (CANCELLED or FAILED), set at its
	// start: the status lags behind until the end is recorded.
	closing bool
	ending  orderly.OrderStatus
	// settled is set once every waiting request was answered
	// (settleRequests, with the workflow's error if it failed): a request
	// accepted after that is answered at once.
	settled   bool
	settleErr error
	saga      saga
	result    OrderResult
}

func (w *orderWorkflow) run(ctx workflow.Context) (OrderResult, error) {
	// Steps and compensations run on a context that a Temporal cancellation
	// does not reach: such a cancellation becomes a cancel request honoured
	// at the next step boundary, exactly like the cancel update, so an
	// activity is never abandoned halfway and compensation always runs.
	sctx, _ := workflow.NewDisconnectedContext(ctx)
	workflow.Go(sctx, func(gctx workflow.Context) {
		ctx.Done().Receive(gctx, nil)
		w.requestCancel("the order's workflow was cancelled", true)
	})

	err := w.process(sctx)
	var stop *stopError
	switch {
	case err == nil:
		return w.complete(sctx)
	case errors.As(err, &stop):
		return w.abort(sctx, stop)
	default:
		// Past dispatch there is nothing to compensate and no legal status
		// to fall back to: fail loudly for an operator.
		w.closing = true
		w.stopKeepingAuthorization()
		w.settleRequests(err)
		w.result.Status = w.status
		return w.result, err
	}
}

// process runs the steps up to delivery.
func (w *orderWorkflow) process(ctx workflow.Context) error {
	v, err := w.validate(ctx)
	if err != nil {
		return w.failed(stepNameValidation, err)
	}
	if err := w.checkpoint(); err != nil {
		return err
	}
	if err := w.reserve(ctx); err != nil {
		return w.failed(stepNameInventory, err)
	}
	if err := w.checkpoint(); err != nil {
		return err
	}
	if v.NeedsApproval {
		if err := w.awaitApproval(ctx, v); err != nil {
			return err
		}
	}
	if err := w.checkpoint(); err != nil {
		return err
	}
	if w.pay != nil {
		if err := w.authorize(ctx); err != nil {
			return err
		}
	} else if err := w.charge(ctx); err != nil {
		return w.failed(stepNamePayment, err)
	}
	if err := w.checkpoint(); err != nil {
		return err
	}
	if w.split {
		return w.shipParcels(ctx)
	}
	return w.shipOrder(ctx)
}

// checkpoint is a step boundary: a pending cancel request stops the order here.
func (w *orderWorkflow) checkpoint() error {
	if w.cancel != nil {
		return &stopError{status: orderly.StatusCancelled, reason: w.cancel.reason}
	}
	return nil
}

// failed turns a step's error into the end of the order.
func (w *orderWorkflow) failed(step string, err error) error {
	w.logger.Warn("order step failed", "step", step, "error", err)
	return &stopError{status: orderly.StatusFailed, reason: failureReason(step, err), failedStep: step}
}

func (w *orderWorkflow) validate(ctx workflow.Context) (ValidateOrderResult, error) {
	var a *Activities
	in := w.in
	in.ShippingAddress = w.address
	var res ValidateOrderResult
	err := workflow.ExecuteActivity(activityOptions(ctx, stepActivity), a.ValidateOrder, ValidateOrderInput{
		Order: in, Injection: w.takeInjection(orderly.StepValidation),
	}).Get(ctx, &res)
	if err == nil {
		w.status = orderly.StatusValidated
	}
	return res, err
}

func (w *orderWorkflow) reserve(ctx workflow.Context) error {
	var a *Activities
	var res ReserveInventoryResult
	err := workflow.ExecuteActivity(activityOptions(ctx, stepActivity), a.ReserveInventory, InventoryInput{
		OrderID: w.in.OrderID, Lines: w.in.Lines, Injection: w.takeInjection(orderly.StepInventory),
		ShipTo: w.address.Country, PlanShipments: w.split,
	}).Get(ctx, &res)
	w.plan = res.Parcels
	if err == nil || !isDefinitelyNotApplied(err) {
		w.saga.add(CompensationReleaseStock, w.releaseStock)
	}
	if err == nil {
		w.status = orderly.StatusInventoryReserved
	}
	return err
}

// complete credits the reward points and ends the order COMPLETED; on the
// ledger it then keeps the order open for refunds and returns until the
// return window closes.
func (w *orderWorkflow) complete(ctx workflow.Context) (OrderResult, error) {
	w.closing = true
	var a *Activities
	points := orderly.PointsFor(w.in.Total)
	detail := "Order completed"
	if points > 0 {
		err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.AwardPoints, AwardPointsInput{
			CustomerID: w.in.CustomerID, OrderID: w.in.OrderID, Points: points,
			Rewards: RewardsInput{MaxSignalsPerRun: w.in.Rewards.MaxSignalsPerRun},
		}).Get(ctx, nil)
		if err != nil {
			// The goods are delivered; missing points are for an operator to
			// credit, not a reason to fail the order.
			w.logger.Error("cannot credit reward points", "points", points, "error", err)
			_ = w.record(ctx, orderly.OrderEvent{ID: "failure:rewards", Kind: orderly.EntryFailure,
				Detail: fmt.Sprintf("%d reward points could not be credited yet", points)})
		} else {
			w.result.PointsAwarded = points
			detail = fmt.Sprintf("Order completed: %d reward points credited", points)
		}
	}
	completed := orderly.OrderEvent{
		ID: statusEventID(orderly.StatusCompleted), Kind: orderly.EntryStatus, Status: orderly.StatusCompleted, Detail: detail,
	}
	if w.pay != nil && w.sales.until != nil {
		completed.ReturnsUntil = w.sales.until
		completed.Detail += fmt.Sprintf(". Returns accepted until %s", formatDeadline(*w.sales.until))
	}
	if err := w.record(ctx, completed); err != nil {
		w.settleRequests(err)
		return w.result, fmt.Errorf("record completion: %w", err)
	}
	w.status = orderly.StatusCompleted
	w.result.Status = orderly.StatusCompleted
	orderEnded(ctx, w.result)
	w.settleRequests(nil)
	if w.pay != nil {
		w.serveAfterSales(ctx)
	}
	w.finishPayments()
	return w.result, w.finishHandlers(ctx)
}

// abort unwinds the saga and ends the order CANCELLED or FAILED.
func (w *orderWorkflow) abort(ctx workflow.Context, stop *stopError) (OrderResult, error) {
	w.closing = true
	w.ending = stop.status
	w.approvalDeadline = nil
	if stop.failedStep != "" {
		_ = w.record(ctx, orderly.OrderEvent{
			ID: "failure:" + stop.failedStep, Kind: orderly.EntryFailure, Detail: upperFirst(stop.reason),
		})
	}
	ran, err := w.saga.compensate(activityOptions(ctx, compensationActivity))
	w.result.Compensations = ran
	w.stopKeepingAuthorization()
	if err != nil {
		w.settleRequests(err)
		w.result.Status = w.status
		return w.result, fmt.Errorf("compensation failed, the order needs an operator: %w", err)
	}
	if err := w.record(ctx, orderly.OrderEvent{
		ID: statusEventID(stop.status), Kind: orderly.EntryStatus, Status: stop.status,
		Detail: fmt.Sprintf("Order %s: %s", lower(stop.status), stop.reason), FailureReason: stop.reason,
	}); err != nil {
		w.settleRequests(err)
		return w.result, fmt.Errorf("record %s: %w", stop.status, err)
	}
	w.status = stop.status
	w.result.Status = stop.status
	w.result.FailureReason = stop.reason
	if stop.status == orderly.StatusCancelled {
		w.notify(ctx, milestoneCancelled)
	} else {
		w.notify(ctx, milestoneFailed)
	}
	w.settleRequests(nil)
	w.finishPayments()
	if err := w.finishHandlers(ctx); err != nil {
		return w.result, err
	}
	if w.cancel != nil && w.cancel.viaTemporal && stop.status == orderly.StatusCancelled {
		// Cancelled through Temporal: close the execution as cancelled too.
		return w.result, temporal.NewCanceledError(stop.reason)
	}
	return w.result, nil
}

// releaseStock is the compensation of reserve.
func (w *orderWorkflow) releaseStock(ctx workflow.Context) error {
	var a *Activities
	return workflow.ExecuteActivity(ctx, a.ReleaseInventory, InventoryInput{
		OrderID: w.in.OrderID, Lines: w.in.Lines,
	}).Get(ctx, nil)
}

// record applies an order event through the RecordOrderEvent activity.
func (w *orderWorkflow) record(ctx workflow.Context, e orderly.OrderEvent) error {
	var a *Activities
	e.At = workflow.Now(ctx).UTC()
	return workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.RecordOrderEvent, RecordOrderEventInput{
		OrderID: w.in.OrderID, Event: e,
	}).Get(ctx, nil)
}

// takeInjection removes and returns the pending injected failure for a step:
// the step's next execution consumes it.
func (w *orderWorkflow) takeInjection(step orderly.Step) *orderly.FailureInjection {
	for i, f := range w.pending {
		if f.Step == step {
			w.pending = append(w.pending[:i:i], w.pending[i+1:]...)
			return &f
		}
	}
	return nil
}

// formatDeadline writes a deadline for the customer's timeline.
func formatDeadline(t time.Time) string { return t.UTC().Format("Jan 2, 15:04 MST") }

func verb(approve bool) string {
	if approve {
		return "approve"
	}
	return "reject"
}

// decided is verb's past tense.
func decided(approve bool) string {
	if approve {
		return "approved"
	}
	return "rejected"
}
