package bare

import (
	"errors"
	"fmt"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// OrderInput starts an OrderWorkflow: the order snapshot, as Orderly's.
type OrderInput struct {
	OrderID         string
	CustomerID      string
	Lines           []orderly.OrderLine
	Subtotal        orderly.Money
	ShippingCost    orderly.Money
	Total           orderly.Money
	ShippingAddress orderly.Address
	Shipping        ShippingOptions
}

// OrderResult is how an order ended.
type OrderResult struct {
	OrderID        string
	Status         orderly.OrderStatus
	PaymentID      string `json:",omitempty"`
	TrackingNumber string `json:",omitempty"`
	PointsAwarded  int    `json:",omitempty"`
}

// progressKind says what a shipmentProgress reports.
type progressKind string

const (
	progressDispatched progressKind = "DISPATCHED"
	progressDelivered  progressKind = "DELIVERED"
)

// shipmentProgress is what the ShippingWorkflow signals its parent.
type shipmentProgress struct {
	Kind           progressKind
	ShipmentID     string
	Carrier        string
	TrackingNumber string
	Seq            int
	Accepted       bool
	Message        string
}

// request is an update's argument (cancel, address, approve, reject).
type request struct {
	Reason     string
	OperatorID string
	Address    orderly.Address
}

// OrderWorkflow runs one order's happy path: validate, reserve, charge,
// ship (the child on TaskQueueShipping), award points, complete.
func OrderWorkflow(ctx workflow.Context, in OrderInput) (OrderResult, error) {
	w := &order{in: in, status: orderly.StatusReceived, result: OrderResult{OrderID: in.OrderID}}
	workflow.GetVersion(ctx, changePaymentLedger, workflow.DefaultVersion, 1)
	workflow.GetVersion(ctx, changeSplitShipments, workflow.DefaultVersion, 1)
	if err := w.setHandlers(ctx); err != nil {
		return OrderResult{}, err
	}
	sctx, _ := workflow.NewDisconnectedContext(ctx)
	workflow.Go(sctx, func(gctx workflow.Context) {
		ctx.Done().Receive(gctx, nil)
		w.cancelRequested = true
	})
	if err := w.process(sctx); err != nil {
		return w.result, err
	}
	return w.complete(sctx)
}

// order is the state of one OrderWorkflow run.
type order struct {
	in              OrderInput
	status          orderly.OrderStatus
	cancelRequested bool
	dispatched      bool
	cancelShipment  workflow.CancelFunc
	paymentID       string
	stopRenewal     workflow.CancelFunc
	deliveredAt     time.Time
	result          OrderResult
}

// setHandlers registers what Orderly's order registers: the state query,
// four updates with validators, and a goroutine taking injected failures.
func (w *order) setHandlers(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, queryOrderState, func() (orderly.OrderStatus, error) { return w.status, nil }); err != nil {
		return fmt.Errorf("set query handler: %w", err)
	}
	for _, name := range []string{updateCancelOrder, updateChangeAddress, updateApproveOrder, updateRejectOrder, updateRefundOrder, updateRequestReturn} {
		err := workflow.SetUpdateHandlerWithOptions(ctx, name,
			func(workflow.Context, request) error { return nil },
			workflow.UpdateHandlerOptions{Validator: func(request) error {
				if w.dispatched {
					return errors.New("already dispatched")
				}
				return nil
			}})
		if err != nil {
			return fmt.Errorf("set update handler %s: %w", name, err)
		}
	}
	failures := workflow.GetSignalChannel(ctx, signalSimulateFailure)
	workflow.Go(disconnected(ctx), func(gctx workflow.Context) {
		for {
			var f orderly.FailureInjection
			failures.Receive(gctx, &f)
		}
	})
	returns := workflow.GetSignalChannel(ctx, signalReturnProgress)
	workflow.Go(disconnected(ctx), func(gctx workflow.Context) {
		for {
			var r orderly.Return
			returns.Receive(gctx, &r)
		}
	})
	return nil
}

func (w *order) process(ctx workflow.Context) error {
	var a *Activities
	var v ValidateOrderResult
	if err := workflow.ExecuteActivity(stepOptions(ctx), a.ValidateOrder, ValidateOrderInput{Order: w.in}).Get(ctx, &v); err != nil {
		return fmt.Errorf("validate: %w", err)
	}
	w.status = orderly.StatusValidated
	if err := workflow.ExecuteActivity(stepOptions(ctx), a.ReserveInventory,
		InventoryInput{OrderID: w.in.OrderID, Lines: w.in.Lines}).Get(ctx, nil); err != nil {
		return fmt.Errorf("reserve: %w", err)
	}
	w.status = orderly.StatusInventoryReserved
	var auth PaymentResult
	if err := workflow.ExecuteActivity(stepOptions(ctx), a.AuthorizePayment, PaymentInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, Amount: w.in.Total, N: 1,
	}).Get(ctx, &auth); err != nil {
		return fmt.Errorf("authorize: %w", err)
	}
	w.status = orderly.StatusPaymentAuthorized
	w.paymentID = auth.Entry.PaymentID
	w.result.PaymentID = auth.Entry.PaymentID
	w.notify(ctx, "authorized")
	w.keepAuthorization(ctx, auth.Entry)
	return w.ship(ctx)
}

// keepAuthorization starts the timer that would renew the hold before it
// lapses, as Orderly's does; capturing everything stops it.
func (w *order) keepAuthorization(ctx workflow.Context, auth orderly.PaymentEntry) {
	kctx, stop := workflow.WithCancel(ctx)
	w.stopRenewal = stop
	workflow.Go(kctx, func(ctx workflow.Context) {
		at := orderly.ReauthorizeAt(auth.At, *auth.ExpiresAt)
		_ = workflow.NewTimerWithOptions(ctx, max(at.Sub(workflow.Now(ctx)), time.Second), workflow.TimerOptions{
			Summary: "re-authorize before the hold lapses",
		}).Get(ctx, nil)
	})
}

func (w *order) ship(ctx workflow.Context) error {
	if err := w.record(ctx, orderly.OrderEvent{ID: "status:SHIPPING", Kind: orderly.EntryStatus,
		Status: orderly.StatusShipping, Detail: "Handed over to shipping"}); err != nil {
		return err
	}
	w.status = orderly.StatusShipping

	shipmentID := fmt.Sprintf("%s_%s_1", orderly.PrefixShipment, w.in.OrderID)
	cctx, cancelChild := workflow.WithCancel(ctx)
	w.cancelShipment = cancelChild // as Orderly keeps it, for a cancel before dispatch
	cctx = workflow.WithChildOptions(cctx, workflow.ChildWorkflowOptions{
		WorkflowID:          "shipping_" + shipmentID,
		TaskQueue:           TaskQueueShipping,
		WaitForCancellation: true,
		ParentClosePolicy:   enumspb.PARENT_CLOSE_POLICY_TERMINATE,
		StaticSummary:       "Shipment " + shipmentID,
	})
	future := workflow.ExecuteChildWorkflow(cctx, ShippingWorkflow, ShippingInput{
		OrderID: w.in.OrderID, CustomerID: w.in.CustomerID, ShipmentID: shipmentID,
		Lines: w.in.Lines, Address: w.in.ShippingAddress, Options: w.in.Shipping,
	})
	progress := workflow.GetSignalChannel(ctx, signalShipmentProgress)
	for !future.IsReady() {
		var p shipmentProgress
		got := false
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(future, func(workflow.Future) {})
		sel.AddReceive(progress, func(c workflow.ReceiveChannel, _ bool) { c.Receive(ctx, &p); got = true })
		sel.Select(ctx)
		if got {
			w.onProgress(ctx, p)
		}
	}
	for {
		var p shipmentProgress
		if !progress.ReceiveAsync(&p) {
			break
		}
		w.onProgress(ctx, p)
	}
	var res ShippingResult
	if err := future.Get(ctx, &res); err != nil {
		return fmt.Errorf("shipment %s: %w", shipmentID, err)
	}
	w.result.TrackingNumber = res.TrackingNumber
	return nil
}

func (w *order) onProgress(ctx workflow.Context, p shipmentProgress) {
	var a *Activities
	switch p.Kind {
	case progressDispatched:
		w.dispatched = true
		w.status = orderly.StatusShipped
		w.result.TrackingNumber = p.TrackingNumber
		_ = workflow.ExecuteActivity(bookkeepingOptions(ctx), a.CommitInventory,
			InventoryInput{OrderID: w.in.OrderID, Lines: w.in.Lines}).Get(ctx, nil)
		_ = workflow.ExecuteActivity(trackingOptions(ctx), a.CapturePayment, PaymentInput{
			OrderID: w.in.OrderID, PaymentID: w.paymentID, ShipmentID: p.ShipmentID, Amount: w.in.Total, N: 1,
		}).Get(ctx, nil)
		w.stopRenewal()
		w.notify(ctx, "shipped")
	case progressDelivered:
		w.status = orderly.StatusDelivered
		w.deliveredAt = workflow.Now(ctx)
		w.notify(ctx, "delivered")
	}
}

func (w *order) complete(ctx workflow.Context) (OrderResult, error) {
	var a *Activities
	points := orderly.PointsFor(w.in.Total)
	if points > 0 {
		if err := workflow.ExecuteActivity(bookkeepingOptions(ctx), a.AwardPoints, AwardPointsInput{
			CustomerID: w.in.CustomerID, OrderID: w.in.OrderID, Points: points,
		}).Get(ctx, nil); err == nil {
			w.result.PointsAwarded = points
		}
	}
	if err := w.record(ctx, orderly.OrderEvent{ID: "status:COMPLETED", Kind: orderly.EntryStatus,
		Status: orderly.StatusCompleted, Detail: fmt.Sprintf("Order completed: %d reward points credited", points)}); err != nil {
		return w.result, err
	}
	w.status = orderly.StatusCompleted
	w.result.Status = orderly.StatusCompleted
	// The order stays open for refunds and returns through the window.
	if d := w.deliveredAt.Add(ReturnWindow).Sub(workflow.Now(ctx)); d > 0 {
		_ = workflow.NewTimerWithOptions(ctx, d, workflow.TimerOptions{Summary: "return window"}).Get(ctx, nil)
	}
	return w.result, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

func (w *order) record(ctx workflow.Context, e orderly.OrderEvent) error {
	var a *Activities
	e.At = workflow.Now(ctx).UTC()
	return workflow.ExecuteActivity(bookkeepingOptions(ctx), a.RecordOrderEvent,
		RecordOrderEventInput{OrderID: w.in.OrderID, Event: e}).Get(ctx, nil)
}

func (w *order) notify(ctx workflow.Context, milestone string) {
	var a *Activities
	_ = workflow.ExecuteActivity(bookkeepingOptions(ctx), a.Notify, NotifyInput{Notification: orderly.Notification{
		ID: w.in.OrderID + ":" + milestone, CustomerID: w.in.CustomerID, OrderID: w.in.OrderID,
		Title: "Order " + milestone, Body: fmt.Sprintf("Your order %s: %s (%s).", w.in.OrderID, milestone, w.in.Total),
		CreatedAt: workflow.Now(ctx).UTC(),
	}}).Get(ctx, nil)
}
