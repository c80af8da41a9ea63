package workflows

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// OrderInput starts an OrderWorkflow: the order as it was placed. Carrying the
// snapshot (rather than only the ID) makes the history self-explanatory and
// spares every step a read of the order.
type OrderInput struct {
	OrderID         string
	CustomerID      string
	Lines           []orderly.OrderLine
	Subtotal        orderly.Money
	ShippingCost    orderly.Money
	Total           orderly.Money
	ShippingAddress orderly.Address
	// Shipping paces the ShippingWorkflow; zero values take the defaults.
	Shipping ShippingOptions
	// Rewards configures a RewardsWorkflow that this order has to start.
	Rewards RewardsOptions
}

// OrderInputFor returns the input that processes o.
func OrderInputFor(o *orderly.Order) OrderInput {
	return OrderInput{
		OrderID: o.ID, CustomerID: o.CustomerID, Lines: o.Lines,
		Subtotal: o.Subtotal, ShippingCost: o.ShippingCost, Total: o.Total,
		ShippingAddress: o.ShippingAddress,
	}
}

// Validate checks that the snapshot is consistent: lines, quantities, line
// totals, totals and address. It returns an *orderly.Error.
func (in OrderInput) Validate() error {
	if in.OrderID == "" || in.CustomerID == "" {
		return orderly.Errorf(orderly.EINVALID, "order and customer IDs are required")
	}
	totals, err := orderly.TotalsFor(in.Lines)
	if err != nil {
		return err
	}
	switch {
	case totals.Subtotal != in.Subtotal:
		return orderly.FieldErrorf(orderly.EINVALID, "subtotal", "the subtotal does not add up")
	case totals != (orderly.OrderTotals{Subtotal: in.Subtotal, ShippingCost: in.ShippingCost, Total: in.Total}):
		return orderly.FieldErrorf(orderly.EINVALID, "total", "the total does not add up")
	}
	return in.ShippingAddress.Validate("shippingAddress")
}

// OrderResult is how an order ended.
type OrderResult struct {
	OrderID string
	// Status is COMPLETED, CANCELLED or FAILED.
	Status        orderly.OrderStatus
	FailureReason string `json:",omitempty"`
	// PaymentID is set once the order was charged; Refunded says the money
	// went back.
	PaymentID      string `json:",omitempty"`
	Refunded       bool   `json:",omitempty"`
	TrackingNumber string `json:",omitempty"`
	PointsAwarded  int    `json:",omitempty"`
	// Compensations names the undo steps that ran, in the order they ran.
	Compensations []string `json:",omitempty"`
}

// Compensation names, as they appear in OrderResult.Compensations.
const (
	CompensationRefundPayment = "refund payment"
	CompensationReleaseStock  = "release stock"
)

// changeCheckpointBeforeShipping is the workflow.GetVersion change ID of the
// cancel checkpoint between recording SHIPPING and starting the shipping child.
const changeCheckpointBeforeShipping = "checkpoint-before-shipping"

// Step names used in failure reasons ("payment failed: ...").
const (
	stepNameValidation = "validation"
	stepNameInventory  = "inventory reservation"
	stepNamePayment    = "payment"
	stepNameShipping   = "shipping"
)

// OrderWorkflow processes one order, on TaskQueueOrders, with the workflow ID
// orderly.OrderWorkflowIDFor(orderID):
//
//	validate -> reserve stock -> [await approval] -> charge -> ship (child
//	workflow on TaskQueueShipping) -> reward points -> COMPLETED
//
// Each status change is written to the order's read model by an activity with
// a deterministic event ID. A permanent failure or a cancellation before
// dispatch unwinds the saga (refund, then release stock) and ends the order
// FAILED or CANCELLED with its reason; the workflow itself completes normally
// then, since it did its job. It fails only when a compensation cannot be
// carried out, or the shipment fails after dispatch: cases for an operator.
func OrderWorkflow(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	w := &orderWorkflow{
		in:             in,
		status:         orderly.StatusReceived,
		address:        in.ShippingAddress,
		addressReplies: map[int]shipmentProgress{},
		logger:         log.With(workflow.GetLogger(ctx), "orderId", in.OrderID),
	}
	w.result.OrderID = in.OrderID
	if err := w.setHandlers(ctx); err != nil {
		return OrderResult{}, err
	}
	return w.run(ctx)
}

// orderWorkflow is the state of one OrderWorkflow run. Handlers and the main
// flow share it; Temporal runs them one at a time, so no locking is needed.
type orderWorkflow struct {
	in     OrderInput
	logger log.Logger
	status orderly.OrderStatus
	// address is where the order ships; updates change it until dispatch.
	address orderly.Address
	// pending holds at most one injected failure per step, oldest first.
	pending []orderly.FailureInjection

	approvalDeadline *time.Time
	decision         *approvalDecision
	cancel           *cancelRequest

	// ship is the running shipping child, nil before and after it.
	ship       *shippingRun
	dispatched bool
	// addressSeq numbers address changes; addressReplies holds the shipping
	// child's answers by number (looked up, never iterated).
	addressSeq     int
	addressReplies map[int]shipmentProgress

	// closing is set once the order is being wound up (compensating or
	// completing); from then on no request changes it. ending is where a
	// compensating wind-up takes it (CANCELLED or FAILED), set at its start:
	// the status lags behind until the end is recorded.
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

// shippingRun is a running ShippingWorkflow child.
type shippingRun struct {
	shipmentID string
	future     workflow.ChildWorkflowFuture
	cancel     workflow.CancelFunc
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
	if err := w.charge(ctx); err != nil {
		return w.failed(stepNamePayment, err)
	}
	if err := w.checkpoint(); err != nil {
		return err
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
	err := workflow.ExecuteActivity(activityOptions(ctx, stepActivity), a.ReserveInventory, InventoryInput{
		OrderID: w.in.OrderID, Lines: w.in.Lines, Injection: w.takeInjection(orderly.StepInventory),
	}).Get(ctx, nil)
	if err == nil || !isDefinitelyNotApplied(err) {
		w.saga.add(CompensationReleaseStock, w.releaseStock)
	}
	if err == nil {
		w.status = orderly.StatusInventoryReserved
	}
	return err
}

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

func (w *orderWorkflow) charge(ctx workflow.Context) error {
	var a *Activities
	var res ChargePaymentResult
	err := workflow.ExecuteActivity(activityOptions(ctx, stepActivity), a.ChargePayment, ChargePaymentInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, Amount: w.in.Total,
		Injection: w.takeInjection(orderly.StepPayment),
	}).Get(ctx, &res)
	if err == nil || !isDefinitelyNotApplied(err) {
		w.saga.add(CompensationRefundPayment, w.refundPayment)
	}
	if err != nil {
		return err
	}
	w.status = orderly.StatusPaid
	w.result.PaymentID = res.PaymentID
	w.notify(ctx, milestonePaid)
	return nil
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
	run := &shippingRun{shipmentID: shipmentID, cancel: cancelChild}
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
			w.onShipmentProgress(ctx, p)
		}
	}
	// The child signals before it completes, but both can land in one
	// workflow task: drain what is left so no milestone is lost.
	for {
		var p shipmentProgress
		if !progress.ReceiveAsync(&p) {
			break
		}
		w.onShipmentProgress(ctx, p)
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
func (w *orderWorkflow) onShipmentProgress(ctx workflow.Context, p shipmentProgress) {
	switch p.Kind {
	case progressAddressReply:
		w.addressReplies[p.Seq] = p
	case progressDispatched:
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
		w.notify(ctx, milestoneShipped)
	case progressDelivered:
		w.status = orderly.StatusDelivered
		w.notify(ctx, milestoneDelivered)
	}
}

// complete credits the reward points and ends the order COMPLETED.
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
	if err := w.record(ctx, orderly.OrderEvent{
		ID: statusEventID(orderly.StatusCompleted), Kind: orderly.EntryStatus, Status: orderly.StatusCompleted, Detail: detail,
	}); err != nil {
		w.settleRequests(err)
		return w.result, fmt.Errorf("record completion: %w", err)
	}
	w.status = orderly.StatusCompleted
	w.result.Status = orderly.StatusCompleted
	w.settleRequests(nil)
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
	if err := w.finishHandlers(ctx); err != nil {
		return w.result, err
	}
	if w.cancel != nil && w.cancel.viaTemporal && stop.status == orderly.StatusCancelled {
		// Cancelled through Temporal: close the execution as cancelled too.
		return w.result, temporal.NewCanceledError(stop.reason)
	}
	return w.result, nil
}

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

// releaseStock is the compensation of reserve.
func (w *orderWorkflow) releaseStock(ctx workflow.Context) error {
	var a *Activities
	return workflow.ExecuteActivity(ctx, a.ReleaseInventory, InventoryInput{
		OrderID: w.in.OrderID, Lines: w.in.Lines,
	}).Get(ctx, nil)
}

// refundPayment is the compensation of charge.
func (w *orderWorkflow) refundPayment(ctx workflow.Context) error {
	var a *Activities
	var res RefundPaymentResult
	if err := workflow.ExecuteActivity(ctx, a.RefundPayment, RefundPaymentInput{OrderID: w.in.OrderID}).Get(ctx, &res); err != nil {
		return err
	}
	if res.Refunded {
		w.result.Refunded = true
		if w.status.CanTransitionTo(orderly.StatusRefunded) {
			w.status = orderly.StatusRefunded
		}
	}
	return nil
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
