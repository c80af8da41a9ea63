package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// ReturnInput starts a ReturnWorkflow: a return as its order recorded it
// (REQUESTED).
type ReturnInput struct {
	OrderID    string
	CustomerID string
	Return     orderly.Return
	// Address is where the order went: the return label is made from it.
	Address orderly.Address
	Options ReturnOptions
}

// ReturnResult is how a return's workflow ended: RECEIVED (its order then
// refunds it), REJECTED or CANCELLED.
type ReturnResult struct {
	Return orderly.Return
}

// ReturnWorkflow carries one return, on TaskQueueOrders, as a child of its
// OrderWorkflow, with the workflow ID orderly.ReturnWorkflowIDFor(returnID):
//
//	REQUESTED -approve-> APPROVED (label) -carrier pickup-> IN_TRANSIT -arrival-> RECEIVED (restocked)
//	          -reject-> REJECTED          -cancel, until sent-> CANCELLED
//
// It waits days, durably: for an operator's decision (approved without one
// after DecisionTimeout), then for the parcel (the simulated carrier picks
// it up and delivers it, or an operator marks it received; cancelled if it
// is not sent within SendWithin). Decisions and the customer's cancel are
// Updates whose validators answer at once. The refund of a received return
// is its order's: the order workflow moves all of an order's money, so two
// refunds can never race past what was captured.
func ReturnWorkflow(ctx workflow.Context, in ReturnInput) (ReturnResult, error) {
	r := &returnWorkflow{
		in: in, ret: in.Return, opts: in.Options.withDefaults(),
		logger: log.With(workflow.GetLogger(ctx), "orderId", in.OrderID, "returnId", in.Return.ID),
	}
	if err := r.setHandlers(ctx); err != nil {
		return ReturnResult{}, err
	}
	actx := disconnected(ctx)
	r.notify(actx, "requested", "Return requested",
		fmt.Sprintf("We received your request to return %s from order %s. We will review it shortly.", describeLines(r.ret.Lines), in.OrderID))

	decided, err := workflow.AwaitWithOptions(actx, workflow.AwaitOptions{
		Timeout: r.opts.DecisionTimeout, TimerOptions: workflow.TimerOptions{Summary: "operator's decision"},
	}, func() bool { return r.action != nil })
	if err != nil {
		return r.result(), err
	}
	if !decided {
		r.action = &returnAction{kind: actionApprove, note: fmt.Sprintf("approved automatically: not reviewed within %s", r.opts.DecisionTimeout)}
	}
	switch r.action.kind {
	case actionReject:
		return r.end(actx, orderly.ReturnRejected, "Return "+r.ret.ID+" rejected"+reasonSuffix(r.action.note), "Return rejected",
			fmt.Sprintf("Your return %s was not accepted: %s.", r.ret.ID, r.action.note))
	case actionCancel:
		return r.end(actx, orderly.ReturnCancelled, "Return "+r.ret.ID+" cancelled by the customer"+reasonSuffix(r.action.note), "Return cancelled",
			fmt.Sprintf("Your return %s was cancelled.", r.ret.ID))
	case actionReceived:
		// Not offered while REQUESTED (the validator refuses it).
	}
	if err := r.approve(actx); err != nil {
		return r.result(), err
	}
	return r.awaitParcel(actx)
}

// returnWorkflow is the state of one ReturnWorkflow run.
type returnWorkflow struct {
	in     ReturnInput
	opts   ReturnOptions
	logger log.Logger
	ret    orderly.Return
	// action is the decision or request waiting for the main flow; nil when
	// none is.
	action *returnAction
}

// returnActionKind says what a returnAction asks for.
type returnActionKind string

const (
	actionApprove  returnActionKind = "approve"
	actionReject   returnActionKind = "reject"
	actionReceived returnActionKind = "mark received"
	actionCancel   returnActionKind = "cancel"
)

// returnAction is an update the main flow acts on; its handler answers
// once it did.
type returnAction struct {
	kind    returnActionKind
	note    string
	outcome outcome
}

// approve makes the return label and records the return APPROVED.
func (r *returnWorkflow) approve(ctx workflow.Context) error {
	var a *Activities
	var ret orderly.Return
	err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.CreateReturnLabel, ReturnStepInput{
		OrderID: r.in.OrderID, Return: r.ret, Address: r.in.Address, Note: r.action.note,
	}).Get(ctx, &ret)
	if err != nil {
		r.action.outcome.resolve(rejectf(orderly.EUNAVAILABLE, "cannot record the approval; try again"))
		return fmt.Errorf("create return label: %w", err)
	}
	r.ret = ret
	r.report(ctx)
	r.action.outcome.resolve(nil)
	r.action = nil
	r.notify(ctx, "approved", "Return approved",
		fmt.Sprintf("Your return %s was approved. Send the parcel with %s, label %s.", r.ret.ID, r.ret.Carrier, r.ret.TrackingNumber))
	return nil
}

// awaitParcel waits for the parcel: the simulated carrier's pickup and
// arrival, an operator marking it received, the customer cancelling before
// it is sent, or the sending deadline.
func (r *returnWorkflow) awaitParcel(ctx workflow.Context) (ReturnResult, error) {
	approvedAt := workflow.Now(ctx)
	deadline := approvedAt.Add(r.opts.SendWithin)
	next := approvedAt.Add(r.opts.CarrierInterval) // the carrier's next scan
	for {
		scan := r.opts.CarrierInterval > 0 && (r.ret.Status == orderly.ReturnInTransit || next.Before(deadline))
		wait, summary := deadline.Sub(workflow.Now(ctx)), "parcel sending deadline"
		if scan {
			wait, summary = next.Sub(workflow.Now(ctx)), "carrier scan"
		}
		acted, err := workflow.AwaitWithOptions(ctx, workflow.AwaitOptions{
			Timeout: max(wait, time.Millisecond), TimerOptions: workflow.TimerOptions{Summary: summary},
		}, func() bool { return r.action != nil })
		if err != nil {
			return r.result(), err
		}
		switch {
		case acted && r.action.kind == actionCancel:
			return r.end(ctx, orderly.ReturnCancelled, "Return "+r.ret.ID+" cancelled by the customer"+reasonSuffix(r.action.note),
				"Return cancelled", fmt.Sprintf("Your return %s was cancelled.", r.ret.ID))
		case acted:
			return r.receive(ctx, "marked received by an operator")
		case scan && r.ret.Status == orderly.ReturnInTransit:
			return r.receive(ctx, "delivered by "+r.ret.Carrier)
		case scan:
			if err := r.move(ctx, orderly.ReturnInTransit, fmt.Sprintf("Return %s picked up by %s, tracking %s", r.ret.ID, r.ret.Carrier, r.ret.TrackingNumber)); err != nil {
				return r.result(), err
			}
			next = workflow.Now(ctx).Add(r.opts.CarrierInterval)
		default:
			return r.end(ctx, orderly.ReturnCancelled, fmt.Sprintf("Return %s cancelled: the parcel was not sent within %s", r.ret.ID, r.opts.SendWithin),
				"Return cancelled", fmt.Sprintf("Your return %s was cancelled: we did not receive the parcel within %s.", r.ret.ID, r.opts.SendWithin))
		}
	}
}

// receive restocks the returned units and records the return RECEIVED; the
// order workflow refunds it when this workflow ends.
func (r *returnWorkflow) receive(ctx workflow.Context, how string) (ReturnResult, error) {
	var a *Activities
	var ret orderly.Return
	err := workflow.ExecuteActivity(activityOptions(ctx, compensationActivity), a.ReceiveReturn, ReturnStepInput{
		OrderID: r.in.OrderID, Return: r.ret, Note: how,
	}).Get(ctx, &ret)
	if err != nil {
		if r.action != nil {
			r.action.outcome.resolve(rejectf(orderly.EUNAVAILABLE, "cannot record the parcel; try again"))
		}
		return r.result(), fmt.Errorf("receive return: %w", err)
	}
	r.ret = ret
	r.report(ctx)
	if r.action != nil {
		r.action.outcome.resolve(nil)
	}
	r.notify(ctx, "received", "Return received",
		fmt.Sprintf("Your return %s arrived and is being refunded.", r.ret.ID))
	return r.result(), r.finish(ctx)
}

// move records a status of the return on its order.
func (r *returnWorkflow) move(ctx workflow.Context, status orderly.ReturnStatus, detail string) error {
	var a *Activities
	ret := r.ret
	ret.Status = status
	ret.UpdatedAt = workflow.Now(ctx).UTC().Truncate(time.Millisecond)
	if status == orderly.ReturnRejected && r.action != nil {
		ret.Note = r.action.note
	}
	if err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.RecordOrderEvent, RecordOrderEventInput{
		OrderID: r.in.OrderID, Event: orderly.OrderEvent{
			ID: returnEventID(ret.ID, status), Kind: orderly.EntryInfo, Return: &ret, Detail: detail, At: ret.UpdatedAt,
		},
	}).Get(ctx, nil); err != nil {
		return fmt.Errorf("record return %s: %w", status, err)
	}
	r.ret = ret
	r.report(ctx)
	return nil
}

// report tells the order workflow how the return stands, if there is one
// (a return can also run on its own, from the CLI or a test).
func (r *returnWorkflow) report(ctx workflow.Context) {
	p := workflow.GetInfo(ctx).ParentWorkflowExecution
	if p == nil {
		return
	}
	if err := workflow.SignalExternalWorkflow(ctx, p.ID, p.RunID, signalReturnProgress, r.ret).Get(ctx, nil); err != nil {
		r.logger.Warn("cannot report to the order workflow", "status", string(r.ret.Status), "error", err)
	}
}

// end records a final status, answers the request that caused it and tells
// the customer.
func (r *returnWorkflow) end(ctx workflow.Context, status orderly.ReturnStatus, detail, title, body string) (ReturnResult, error) {
	if err := r.move(ctx, status, detail); err != nil {
		if r.action != nil {
			r.action.outcome.resolve(rejectf(orderly.EUNAVAILABLE, "cannot record the return; try again"))
		}
		return r.result(), err
	}
	if r.action != nil {
		r.action.outcome.resolve(nil)
	}
	r.notify(ctx, string(status), title, body)
	return r.result(), r.finish(ctx)
}

// finish lets the handlers answer before the workflow closes.
func (r *returnWorkflow) finish(ctx workflow.Context) error {
	return workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

func (r *returnWorkflow) result() ReturnResult { return ReturnResult{Return: r.ret} }

// notify tells the customer about a step of the return, once (the ID names
// the return and the step).
func (r *returnWorkflow) notify(ctx workflow.Context, step, title, body string) {
	var a *Activities
	err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.Notify, NotifyInput{Notification: orderly.Notification{
		ID: NotificationIDFor(r.in.OrderID, "return:"+r.ret.ID+":"+step), CustomerID: r.in.CustomerID, OrderID: r.in.OrderID,
		Title: title, Body: body, CreatedAt: workflow.Now(ctx).UTC(),
	}}).Get(ctx, nil)
	if err != nil {
		r.logger.Error("cannot notify the customer", "step", step, "error", err)
	}
}

// setHandlers registers the return's query and updates. Validators only
// read; handlers hand the action to the main flow and answer once it acted.
func (r *returnWorkflow) setHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandlerWithOptions(ctx, QueryReturnState, func() (orderly.Return, error) { return r.ret, nil },
		workflow.QueryHandlerOptions{Description: "The return as its workflow sees it (orderly.Return)"}); err != nil {
		return fmt.Errorf("set query handler: %w", err)
	}
	updates := []struct {
		name, description  string
		handler, validator any
	}{
		{UpdateApproveReturn, "Approve a requested return (an operator); a return label is made",
			r.handle(actionApprove), r.validator(actionApprove)},
		{UpdateRejectReturn, "Reject a requested return, with a reason (an operator)",
			r.handle(actionReject), r.validator(actionReject)},
		{UpdateMarkReturnReceived, "Record that an approved return's parcel arrived (an operator); its units are restocked",
			r.handle(actionReceived), r.validator(actionReceived)},
		{UpdateCancelReturn, "Cancel the return until its parcel is sent (the customer)",
			r.handleCancel, r.validateCancel},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{
			Validator: u.validator, Description: u.description,
		}); err != nil {
			return fmt.Errorf("set update handler %s: %w", u.name, err)
		}
	}
	return nil
}

// allowed says whether an action is open in the return's current state.
func (r *returnWorkflow) allowed(kind returnActionKind) error {
	s := r.ret.Status
	switch {
	case r.action != nil:
		return rejectf(orderly.ECONFLICT, "cannot %s the return: it is being %s", kind, pastTense(r.action.kind))
	case s.IsFinal() || s == orderly.ReturnReceived:
		return rejectf(orderly.ECONFLICT, "cannot %s the return: it is already %s", kind, lowerReturn(s))
	case (kind == actionApprove || kind == actionReject) && s != orderly.ReturnRequested:
		return rejectf(orderly.ECONFLICT, "cannot %s the return: it is already %s", kind, lowerReturn(s))
	case kind == actionReceived && s == orderly.ReturnRequested:
		return rejectf(orderly.ECONFLICT, "cannot mark the return received: it is not approved yet")
	case kind == actionCancel && !s.CanCancel():
		return rejectf(orderly.ECONFLICT, "cannot cancel the return: the parcel was already sent")
	}
	return nil
}

func (r *returnWorkflow) validator(kind returnActionKind) func(ReturnDecisionRequest) error {
	return func(req ReturnDecisionRequest) error {
		switch {
		case req.OperatorID == "":
			return rejectf(orderly.EINVALID, "an operator ID is required")
		case kind == actionReject && (len(req.Reason) == 0 || len([]rune(req.Reason)) > orderly.MaxReasonLength):
			return rejectInvalid(orderly.FieldErrorf(orderly.EINVALID, "input.reason", "a rejection needs a reason of 1 to %d characters", orderly.MaxReasonLength))
		}
		return r.allowed(kind)
	}
}

func (r *returnWorkflow) handle(kind returnActionKind) func(workflow.Context, ReturnDecisionRequest) error {
	return func(ctx workflow.Context, req ReturnDecisionRequest) error {
		// The validator ran in this same workflow task: nobody acted since.
		r.action = &returnAction{kind: kind, note: req.Reason}
		return r.action.outcome.wait(disconnected(ctx))
	}
}

func (r *returnWorkflow) validateCancel(req CancelReturnRequest) error {
	if len([]rune(req.Reason)) > orderly.MaxReasonLength {
		return rejectInvalid(orderly.FieldErrorf(orderly.EINVALID, "input.reason", "reason must be at most %d characters", orderly.MaxReasonLength))
	}
	return r.allowed(actionCancel)
}

func (r *returnWorkflow) handleCancel(ctx workflow.Context, req CancelReturnRequest) error {
	r.action = &returnAction{kind: actionCancel, note: req.Reason}
	return r.action.outcome.wait(disconnected(ctx))
}

func pastTense(k returnActionKind) string {
	switch k {
	case actionApprove:
		return "approved"
	case actionReject:
		return "rejected"
	case actionReceived:
		return "received"
	}
	return "cancelled"
}

func lowerReturn(s orderly.ReturnStatus) string {
	if s == orderly.ReturnInTransit {
		return "in transit"
	}
	return lower(orderly.OrderStatus(s))
}
