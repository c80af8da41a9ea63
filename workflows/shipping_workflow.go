package workflows

import (
	"fmt"
	"time"

	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// Shipping pace defaults: quick enough for a demo, slow enough to watch.
const (
	DefaultTrackingUpdates  = 3
	DefaultTrackingInterval = 2 * time.Second
)

// ShippingOptions pace a ShippingWorkflow; tests and demos make them short.
type ShippingOptions struct {
	// TrackingUpdates is the number of in-transit updates between dispatch
	// and delivery; 0 means DefaultTrackingUpdates, negative means none.
	TrackingUpdates int `json:",omitempty"`
	// TrackingInterval is the durable wait before each tracking update and
	// before delivery; 0 means DefaultTrackingInterval.
	TrackingInterval time.Duration `json:",omitempty"`
}

func (o ShippingOptions) withDefaults() ShippingOptions {
	if o.TrackingUpdates == 0 {
		o.TrackingUpdates = DefaultTrackingUpdates
	} else if o.TrackingUpdates < 0 {
		o.TrackingUpdates = 0
	}
	if o.TrackingInterval <= 0 {
		o.TrackingInterval = DefaultTrackingInterval
	}
	return o
}

// ShippingInput starts a ShippingWorkflow for one shipment of an order.
type ShippingInput struct {
	OrderID    string
	CustomerID string
	ShipmentID string
	// Location is where the parcel ships from; nil for orders that ship as
	// one parcel (before split shipments).
	Location *orderly.Location `json:",omitempty"`
	Lines    []orderly.OrderLine
	Address  orderly.Address
	Options  ShippingOptions
	// Injection is an injected failure for the shipping step, consumed by
	// the next shipping activity before dispatch.
	Injection *orderly.FailureInjection `json:",omitempty"`
}

// ShippingResult is how a shipment ended.
type ShippingResult struct {
	ShipmentID     string
	Carrier        string
	TrackingNumber string
	Status         orderly.ShipmentStatus
}

// changeRelabelOnAddressChange is the workflow.GetVersion change ID of the
// new label made before dispatch when the address changed after labelling.
const changeRelabelOnAddressChange = "relabel-on-address-change"

// ShippingWorkflow ships one shipment, on TaskQueueShipping, as a child of
// the OrderWorkflow: create label -> schedule pickup -> dispatch (the order
// becomes SHIPPED) -> tracking updates -> delivered (DELIVERED).
//
// Dispatch is the point of no return, and this workflow is where it is
// decided, so it alone answers the two questions that depend on it:
//   - cancellation (of this workflow, by the parent) is honoured at the
//     boundaries before dispatch: the label is voided and the workflow ends
//     cancelled; once dispatch has begun it runs to delivery regardless;
//   - an address change (signalShipmentAddress) is accepted and recorded
//     before dispatch, refused after, and answered to the parent either way.
//
// Activities run on a disconnected context so that a cancellation never
// abandons an attempt halfway: the workflow finishes the step in flight, then
// decides.
func ShippingWorkflow(ctx workflow.Context, in ShippingInput) (ShippingResult, error) {
	s := &shippingWorkflow{
		in:        in,
		opts:      in.Options.withDefaults(),
		address:   in.Address,
		injection: in.Injection,
		shipment:  orderly.Shipment{ID: in.ShipmentID, Location: in.Location, Lines: in.Lines},
		addresses: workflow.GetSignalChannel(ctx, signalShipmentAddress),
		failures:  workflow.GetSignalChannel(ctx, signalShipmentFailure),
		logger:    log.With(workflow.GetLogger(ctx), "orderId", in.OrderID, "shipmentId", in.ShipmentID),
	}
	if p := workflow.GetInfo(ctx).ParentWorkflowExecution; p != nil {
		s.parent = p
	}
	actx := disconnected(ctx)

	var a *Activities
	for _, step := range []any{a.CreateLabel, a.SchedulePickup} {
		s.drain(actx)
		if ctx.Err() != nil {
			return s.cancelled(actx)
		}
		if err := s.step(actx, step); err != nil {
			return s.failed(actx, err)
		}
		if s.shipment.Status == orderly.ShipmentLabelCreated {
			s.labelledFor = s.address // the address the step just ran with
		}
	}
	s.drain(actx)
	if ctx.Err() != nil {
		return s.cancelled(actx)
	}
	// From here on a cancellation or an address change comes too late.
	s.dispatching = true
	// A label names its address (and the carrier serving it): a change
	// accepted after the label was made needs a new label before the parcel
	// leaves. Older runs dispatched on the first label; they keep doing so.
	if s.address != s.labelledFor &&
		workflow.GetVersion(ctx, changeRelabelOnAddressChange, workflow.DefaultVersion, 1) >= 1 {
		if err := s.step(actx, a.RelabelShipment); err != nil {
			return s.failed(actx, err)
		}
	}
	if err := s.step(actx, a.DispatchShipment); err != nil {
		return s.failed(actx, err)
	}
	s.report(actx, shipmentProgress{Kind: progressDispatched, ShipmentID: s.shipment.ID,
		Carrier: s.shipment.Carrier, TrackingNumber: s.shipment.TrackingNumber})
	s.drain(actx)

	tctx := activityOptions(actx, trackingActivity)
	for i := 1; i <= s.opts.TrackingUpdates; i++ {
		s.wait(actx, fmt.Sprintf("tracking update %d of %d", i, s.opts.TrackingUpdates))
		if err := workflow.ExecuteActivity(tctx, a.RecordTracking, TrackingInput{
			OrderID: in.OrderID, Shipment: s.shipment, Update: i, Of: s.opts.TrackingUpdates,
		}).Get(actx, &s.shipment); err != nil {
			return s.result(), fmt.Errorf("tracking update %d: %w", i, err)
		}
	}
	s.wait(actx, "delivery")
	if err := workflow.ExecuteActivity(tctx, a.DeliverShipment, s.stepInput(nil)).Get(actx, &s.shipment); err != nil {
		return s.result(), fmt.Errorf("deliver: %w", err)
	}
	s.report(actx, shipmentProgress{Kind: progressDelivered, ShipmentID: s.shipment.ID,
		Carrier: s.shipment.Carrier, TrackingNumber: s.shipment.TrackingNumber})
	s.drain(actx)
	return s.result(), nil
}

// shippingWorkflow is the state of one ShippingWorkflow run.
type shippingWorkflow struct {
	in      ShippingInput
	opts    ShippingOptions
	logger  log.Logger
	parent  *workflow.Execution
	address orderly.Address
	// labelledFor is the address the current label was made for.
	labelledFor orderly.Address
	injection   *orderly.FailureInjection
	shipment    orderly.Shipment
	addresses   workflow.ReceiveChannel
	failures    workflow.ReceiveChannel
	// dispatching is set once dispatch has begun; closed once the shipment
	// was cancelled or failed. Address changes are refused from either on.
	dispatching bool
	closed      string
}

func (s *shippingWorkflow) stepInput(inj *orderly.FailureInjection) ShipmentStepInput {
	return ShipmentStepInput{
		OrderID: s.in.OrderID, CustomerID: s.in.CustomerID,
		Shipment: s.shipment, Address: s.address, Injection: inj,
	}
}

// step runs one shipping activity before or at dispatch; it consumes the
// pending injected failure, if any.
func (s *shippingWorkflow) step(ctx workflow.Context, activity any) error {
	inj := s.injection
	s.injection = nil
	var sh orderly.Shipment
	if err := workflow.ExecuteActivity(activityOptions(ctx, stepActivity), activity, s.stepInput(inj)).Get(ctx, &sh); err != nil {
		return err
	}
	s.shipment = sh
	return nil
}

// drain handles the signals that queued up while an activity ran.
func (s *shippingWorkflow) drain(ctx workflow.Context) {
	for {
		var f orderly.FailureInjection
		if !s.failures.ReceiveAsync(&f) {
			break
		}
		s.onFailure(f)
	}
	for {
		var c shipmentAddressChange
		if !s.addresses.ReceiveAsync(&c) {
			break
		}
		s.onAddressChange(ctx, c)
	}
}

func (s *shippingWorkflow) onFailure(f orderly.FailureInjection) {
	if s.dispatching || f.Step != orderly.StepShipping {
		s.logger.Info("injected failure ignored: no shipping step left before dispatch", "mode", string(f.Mode))
		return
	}
	s.injection = &f
}

// onAddressChange accepts (and records) or refuses an address change, and
// answers the parent, which is waiting to answer its caller.
func (s *shippingWorkflow) onAddressChange(ctx workflow.Context, c shipmentAddressChange) {
	reply := shipmentProgress{Kind: progressAddressReply, ShipmentID: s.shipment.ID, Seq: c.Seq}
	switch {
	case s.closed != "":
		reply.Message = "cannot change the address: " + s.closed
	case s.dispatching:
		reply.Message = "cannot change the address: already dispatched"
	default:
		var a *Activities
		err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.RecordOrderEvent, RecordOrderEventInput{
			OrderID: s.in.OrderID, Event: addressEvent(c.Seq, c.Address),
		}).Get(ctx, nil)
		if err != nil {
			reply.Message = "cannot record the new address"
			break
		}
		s.address = c.Address
		reply.Accepted = true
	}
	s.report(ctx, reply)
}

// wait is a durable pause after dispatch that still answers address changes
// at once (with a refusal) rather than at the next step.
func (s *shippingWorkflow) wait(ctx workflow.Context, summary string) {
	timer := workflow.NewTimerWithOptions(ctx, s.opts.TrackingInterval, workflow.TimerOptions{Summary: summary})
	for !timer.IsReady() {
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) {})
		sel.AddReceive(s.addresses, func(workflow.ReceiveChannel, bool) {})
		sel.AddReceive(s.failures, func(workflow.ReceiveChannel, bool) {})
		sel.Select(ctx)
		s.drain(ctx)
	}
}

// cancelled voids what was done and ends the workflow cancelled.
func (s *shippingWorkflow) cancelled(ctx workflow.Context) (ShippingResult, error) {
	s.closed = "the shipment was cancelled"
	if err := s.void(ctx, "Shipment cancelled before dispatch"); err != nil {
		return s.result(), err
	}
	s.drain(ctx)
	return s.result(), temporal.NewCanceledError("shipment cancelled before dispatch")
}

// failed voids what was done and returns the step's error to the parent,
// whose saga refunds and releases the stock.
func (s *shippingWorkflow) failed(ctx workflow.Context, err error) (ShippingResult, error) {
	s.closed = "the shipment failed"
	if verr := s.void(ctx, "Shipment voided after a failure before dispatch"); verr != nil {
		s.logger.Error("cannot void the shipment", "error", verr)
	}
	s.drain(ctx)
	return s.result(), err
}

// void cancels the shipment's label and pickup, if there are any.
func (s *shippingWorkflow) void(ctx workflow.Context, detail string) error {
	if s.shipment.Status == "" {
		return nil
	}
	var a *Activities
	in := s.stepInput(nil)
	return workflow.ExecuteActivity(activityOptions(ctx, compensationActivity), a.CancelShipment, CancelShipmentInput{
		ShipmentStepInput: in, Detail: detail,
	}).Get(ctx, &s.shipment)
}

// report signals the parent, if there is one (a shipment can also be shipped
// on its own, from the CLI or a test).
func (s *shippingWorkflow) report(ctx workflow.Context, p shipmentProgress) {
	if s.parent == nil {
		return
	}
	if err := workflow.SignalExternalWorkflow(ctx, s.parent.ID, s.parent.RunID, signalShipmentProgress, p).Get(ctx, nil); err != nil {
		s.logger.Warn("cannot report to the order workflow", "kind", string(p.Kind), "error", err)
	}
}

func (s *shippingWorkflow) result() ShippingResult {
	return ShippingResult{
		ShipmentID: s.shipment.ID, Carrier: s.shipment.Carrier,
		TrackingNumber: s.shipment.TrackingNumber, Status: s.shipment.Status,
	}
}
