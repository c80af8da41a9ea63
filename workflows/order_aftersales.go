package workflows

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// afterSales is what an order on the payment ledger keeps once its goods
// were delivered: the units delivered, the return window (a durable timer
// from delivery), and the returns asked for. While it lasts, operators may
// refund and customers may return; the workflow ends when the window has
// closed and every return asked for in time has ended.
type afterSales struct {
	// progress carries the returns' moves from their workflows.
	progress workflow.ReceiveChannel
	// deliveredLines are the units delivered, shipment by shipment.
	deliveredLines []orderly.OrderLine
	// until is when the return window closes; nil before delivery.
	until *time.Time
	// returns mirrors the order's returns, in the order they were asked
	// for; open counts those whose workflow (and refund) has not ended.
	returns []orderly.Return
	open    int
	// windowClosed refuses new returns; closed refuses refunds too: the
	// workflow is about to end.
	windowClosed, closed bool
}

// delivered takes in a shipment's delivery: its units become returnable,
// and the first delivery opens the window.
func (s *afterSales) delivered(at time.Time, lines []orderly.OrderLine, window time.Duration) {
	s.deliveredLines = append(s.deliveredLines, lines...)
	if s.until == nil {
		until := at.UTC().Add(window).Truncate(time.Millisecond)
		s.until = &until
	}
}

// serveAfterSales keeps a completed order open for refunds and returns
// until its return window closes and its last return has ended.
func (w *orderWorkflow) serveAfterSales(ctx workflow.Context) {
	s := &w.sales
	if s.until != nil {
		if d := s.until.Sub(workflow.Now(ctx)); d > 0 {
			_ = workflow.NewTimerWithOptions(ctx, d, workflow.TimerOptions{Summary: "return window"}).Get(ctx, nil)
		}
	}
	s.windowClosed = true
	// A return asked for in time still runs its course, with its refund.
	_ = workflow.Await(ctx, func() bool { return s.open == 0 })
	s.closed = true
	w.result.Returns = slices.Clone(s.returns)
}

// setAfterSalesHandlers registers the updates of an order on the ledger:
// refunds by operators and returns by customers.
func (w *orderWorkflow) setAfterSalesHandlers(ctx workflow.Context) error {
	updates := []struct {
		name, description  string
		handler, validator any
	}{
		{UpdateRefundOrder, "Refund an amount or lines of what was captured (an operator); answers once refunded",
			w.refundOrder, w.validateRefund},
		{UpdateRequestReturn, "Return delivered units within the return window (the customer); answers with the return's ID",
			w.requestReturn, w.validateReturn},
	}
	for _, u := range updates {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, u.name, u.handler, workflow.UpdateHandlerOptions{
			Validator: u.validator, Description: u.description,
		}); err != nil {
			return fmt.Errorf("set update handler %s: %w", u.name, err)
		}
	}
	// The returns report each move; the mirror follows at once.
	w.sales.progress = workflow.GetSignalChannel(ctx, signalReturnProgress)
	workflow.Go(w.base, func(ctx workflow.Context) {
		for {
			var r orderly.Return
			w.sales.progress.Receive(ctx, &r)
			w.returnChanged(r)
		}
	})
	return nil
}

// drainReturnProgress applies the return moves reported and not yet taken
// in, so that a handler decides on the returns as they stand.
func (w *orderWorkflow) drainReturnProgress() {
	for {
		var r orderly.Return
		if !w.sales.progress.ReceiveAsync(&r) {
			return
		}
		w.returnChanged(r)
	}
}

// refundAmount checks a refund request against the ledger (the root rules:
// OrderRefund.Validate, LinesRefund, CheckRefund) and returns its amount.
func (w *orderWorkflow) refundAmount(req RefundOrderRequest) (orderly.Money, error) {
	if req.OperatorID == "" {
		return orderly.Money{}, rejectf(orderly.EINVALID, "an operator ID is required")
	}
	if w.sales.closed {
		return orderly.Money{}, rejectf(orderly.ECONFLICT, "cannot refund: the order is closed")
	}
	r := orderly.OrderRefund{OrderID: w.in.OrderID, Amount: req.Amount, Lines: req.Lines, Reason: req.Reason}
	if err := r.Validate(); err != nil {
		return orderly.Money{}, rejectInvalid(err)
	}
	field := "input.amount"
	var amount orderly.Money
	if req.Amount != nil {
		amount = *req.Amount
	} else {
		field = "input.lines"
		m, err := orderly.LinesRefund(field, w.in.Lines, w.pay.ledger, req.Lines)
		if err != nil {
			return orderly.Money{}, rejectInvalid(err)
		}
		amount = m
	}
	if err := w.pay.summary(w.in.Total.Currency).CheckRefund(field, amount); err != nil {
		return orderly.Money{}, rejectInvalid(err)
	}
	return amount, nil
}

func (w *orderWorkflow) validateRefund(req RefundOrderRequest) error {
	_, err := w.refundAmount(req)
	return err
}

// refundOrder refunds and answers once the money went back. The ledger is
// checked again under the money lock: another refund may have been
// accepted between this one's validation and its turn.
func (w *orderWorkflow) refundOrder(ctx workflow.Context, req RefundOrderRequest) error {
	ctx = disconnected(ctx)
	p := w.pay
	if err := p.lock.Lock(ctx); err != nil {
		return err
	}
	defer p.lock.Unlock()
	amount, err := w.refundAmount(req)
	if err != nil {
		return err
	}
	p.refunds++
	reason := strings.TrimSpace(req.Reason)
	if reason == "" {
		reason = "refunded by an operator"
	}
	if err := w.refund(ctx, fmt.Sprint(p.refunds), amount, req.Lines, reason, nil); err != nil {
		return err
	}
	w.notifyRefund(ctx, fmt.Sprint(p.refunds), amount, reason)
	return nil
}

// refund runs IssueRefund (the caller holds the money lock); ret, if set,
// is the return the refund pays back, recorded REFUNDED with it.
func (w *orderWorkflow) refund(ctx workflow.Context, refundID string, amount orderly.Money, lines []orderly.LineQuantity, reason string, ret *orderly.Return) error {
	var a *Activities
	var res PaymentResult
	err := workflow.ExecuteActivity(activityOptions(ctx, compensationActivity), a.IssueRefund, IssueRefundInput{
		OrderID: w.in.OrderID, PaymentID: w.pay.paymentID, RefundID: refundID,
		Amount: amount, Lines: lines, Reason: reason, Return: ret,
	}).Get(ctx, &res)
	if err != nil {
		w.pay.recordedDecline(err)
		w.logger.Error("refund failed", "refund", refundID, "error", err)
		if _, ok := declineReason(err); ok {
			return rejectf(orderly.EOVERREFUND, "the payment provider refused the refund: nothing of that is left to refund")
		}
		return rejectf(orderly.EUNAVAILABLE, "the refund could not be made; try again")
	}
	w.pay.recorded(res.Entry)
	return nil
}

// newReturn checks a return request (orderly.NewReturn: delivered, within
// the window, quantities) against what the workflow knows. Against returns
// in flight only when counting: the validator, which may not take in the
// returns' latest moves, leaves that to the handler, which does.
func (w *orderWorkflow) newReturn(ctx workflow.Context, req ReturnOrderRequest, counting bool) (orderly.Return, error) {
	s := &w.sales
	if s.windowClosed && s.until != nil {
		return orderly.Return{}, rejectf(orderly.ERETURNCLOSED, "returns for this order closed on %s", formatDeadline(*s.until))
	}
	var returns []orderly.Return
	if counting {
		returns = s.returns
	}
	r, err := orderly.NewReturn(orderly.ReturnIDFor(w.in.OrderID, len(s.returns)+1),
		orderly.ReturnRequest{OrderID: w.in.OrderID, Lines: req.Lines, Reason: strings.TrimSpace(req.Reason)},
		w.in.Lines, s.deliveredLines, returns, s.until, workflow.Now(ctx).UTC())
	if err != nil {
		return orderly.Return{}, rejectInvalid(err)
	}
	return r, nil
}

func (w *orderWorkflow) validateReturn(ctx workflow.Context, req ReturnOrderRequest) error {
	_, err := w.newReturn(ctx, req, false)
	return err
}

// requestReturn records the return REQUESTED, starts its ReturnWorkflow and
// answers with its ID. The return counts against what may be returned from
// the moment it is checked, so two requests at once cannot both take the
// same units.
func (w *orderWorkflow) requestReturn(ctx workflow.Context, req ReturnOrderRequest) (string, error) {
	ctx = disconnected(ctx)
	s := &w.sales
	w.drainReturnProgress()
	r, err := w.newReturn(ctx, req, true)
	if err != nil {
		return "", err
	}
	r.RequestedAt = workflow.Now(ctx).UTC().Truncate(time.Millisecond)
	r.UpdatedAt = r.RequestedAt
	s.returns = append(s.returns, r)
	s.open++
	if err := w.record(ctx, orderly.OrderEvent{
		ID: returnEventID(r.ID, orderly.ReturnRequested), Kind: orderly.EntryInfo, Return: &r,
		Detail: fmt.Sprintf("Return %s requested: %s%s", r.ID, describeLines(r.Lines), reasonSuffix(r.Reason)),
	}); err != nil {
		s.returns = s.returns[:len(s.returns)-1]
		s.open--
		return "", rejectf(orderly.EUNAVAILABLE, "cannot record the return; try again")
	}
	// The child and its follower live on the workflow's own context, not
	// this handler's: they outlast the update.
	cctx := workflow.WithChildOptions(w.base, workflow.ChildWorkflowOptions{
		WorkflowID:    orderly.ReturnWorkflowIDFor(r.ID),
		TaskQueue:     TaskQueueOrders,
		StaticSummary: "Return " + r.ID,
	})
	future := workflow.ExecuteChildWorkflow(cctx, ReturnWorkflow, ReturnInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, Return: r, Address: w.address, Options: w.in.Returns,
	})
	workflow.Go(w.base, func(ctx workflow.Context) { w.followReturn(ctx, r, future) })
	if err := future.GetChildWorkflowExecution().Get(ctx, nil); err != nil {
		return "", rejectf(orderly.EUNAVAILABLE, "cannot start the return; try again")
	}
	return r.ID, nil
}

// followReturn waits for a return's workflow to end and refunds a return
// that was received.
func (w *orderWorkflow) followReturn(ctx workflow.Context, r orderly.Return, future workflow.ChildWorkflowFuture) {
	s := &w.sales
	defer func() { s.open-- }()
	var res ReturnResult
	if err := future.Get(ctx, &res); err != nil {
		w.logger.Error("return workflow failed", "return", r.ID, "error", err)
		return
	}
	w.returnChanged(res.Return)
	if res.Return.Status != orderly.ReturnReceived {
		return
	}
	p := w.pay
	if err := p.lock.Lock(ctx); err != nil {
		return
	}
	defer p.lock.Unlock()
	ret := res.Return
	amount, units := orderly.ReturnRefund(ret, w.in.Lines, p.ledger)
	ret.Status, ret.Refund = orderly.ReturnRefunded, &amount
	if err := w.refund(ctx, ret.ID, amount, units, "return "+ret.ID, &ret); err != nil {
		return
	}
	w.returnChanged(ret)
	if amount.Amount > 0 {
		w.notifyRefund(ctx, ret.ID, amount, "your return "+ret.ID+" arrived")
	}
}

// returnChanged updates the mirror of a return, along the moves its status
// allows (a late report never takes it back).
func (w *orderWorkflow) returnChanged(r orderly.Return) {
	s := &w.sales
	i := slices.IndexFunc(s.returns, func(x orderly.Return) bool { return x.ID == r.ID })
	if i >= 0 && (s.returns[i].Status == r.Status || s.returns[i].Status.CanTransitionTo(r.Status)) {
		s.returns[i] = r
	}
}

// afterSalesState adds the after-sales answers to the order's live state.
func (w *orderWorkflow) afterSalesState(ctx workflow.Context, s *orderly.OrderState) {
	if w.pay == nil {
		return
	}
	s.CanRefund = !w.sales.closed && w.pay.summary(w.in.Total.Currency).Refundable().Amount > 0
	if w.sales.until != nil {
		until := *w.sales.until
		s.ReturnsUntil = &until
		s.CanReturn = !w.sales.windowClosed && !workflow.Now(ctx).After(until)
	}
}

// notifyRefund tells the customer about a refund.
func (w *orderWorkflow) notifyRefund(ctx workflow.Context, refundID string, amount orderly.Money, reason string) {
	var a *Activities
	err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.Notify, NotifyInput{Notification: orderly.Notification{
		ID: NotificationIDFor(w.in.OrderID, "refund:"+refundID), CustomerID: w.in.CustomerID, OrderID: w.in.OrderID,
		Title: "Refund issued", Body: fmt.Sprintf("We refunded %s for your order %s: %s.", amount, w.in.OrderID, reason),
		CreatedAt: workflow.Now(ctx).UTC(),
	}}).Get(ctx, nil)
	if err != nil {
		w.logger.Error("cannot notify the customer of a refund", "refund", refundID, "error", err)
	}
}

// returnEventID is the event ID of a return reaching a status.
func returnEventID(returnID string, s orderly.ReturnStatus) string {
	return "return:" + returnID + ":" + string(s)
}

// describeLines words lines for the timeline: "2 × Lamp, 1 × Mug".
func describeLines(lines []orderly.OrderLine) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = fmt.Sprintf("%d × %s", l.Quantity, l.Name)
	}
	return strings.Join(parts, ", ")
}

func reasonSuffix(reason string) string {
	if reason == "" {
		return ""
	}
	return " (" + reason + ")"
}
