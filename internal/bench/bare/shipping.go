package bare

import (
	"fmt"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// ShippingInput starts a ShippingWorkflow.
type ShippingInput struct {
	OrderID    string
	CustomerID string
	ShipmentID string
	Lines      []orderly.OrderLine
	Address    orderly.Address
	Options    ShippingOptions
}

// ShippingResult is how a shipment ended.
type ShippingResult struct {
	ShipmentID     string
	Carrier        string
	TrackingNumber string
	Status         orderly.ShipmentStatus
}

// ShippingWorkflow ships one shipment as Orderly's does: label, pickup,
// dispatch (signalled to the parent), a durable wait and a tracking update
// per update, a last wait, delivery (signalled).
func ShippingWorkflow(ctx workflow.Context, in ShippingInput) (ShippingResult, error) {
	s := &shipping{
		in:        in,
		shipment:  orderly.Shipment{ID: in.ShipmentID, Lines: in.Lines},
		addresses: workflow.GetSignalChannel(ctx, signalShipmentAddress),
		failures:  workflow.GetSignalChannel(ctx, signalShipmentFailure),
		parent:    workflow.GetInfo(ctx).ParentWorkflowExecution,
	}
	actx := disconnected(ctx)
	var a *Activities
	for _, step := range []any{a.CreateLabel, a.SchedulePickup} {
		s.drain()
		if err := s.step(actx, step); err != nil {
			return s.result(), err
		}
	}
	s.drain()
	if err := s.step(actx, a.DispatchShipment); err != nil {
		return s.result(), err
	}
	s.report(actx, progressDispatched)
	s.drain()

	tctx := trackingOptions(actx)
	updates := in.Options.TrackingUpdates
	for i := 1; i <= updates; i++ {
		s.wait(actx, fmt.Sprintf("tracking update %d of %d", i, updates))
		if err := workflow.ExecuteActivity(tctx, a.RecordTracking, TrackingInput{
			OrderID: in.OrderID, Shipment: s.shipment, Update: i, Of: updates,
		}).Get(actx, &s.shipment); err != nil {
			return s.result(), fmt.Errorf("tracking update %d: %w", i, err)
		}
	}
	s.wait(actx, "delivery")
	if err := workflow.ExecuteActivity(tctx, a.DeliverShipment, s.stepInput()).Get(actx, &s.shipment); err != nil {
		return s.result(), fmt.Errorf("deliver: %w", err)
	}
	s.report(actx, progressDelivered)
	s.drain()
	return s.result(), nil
}

// shipping is the state of one ShippingWorkflow run.
type shipping struct {
	in        ShippingInput
	shipment  orderly.Shipment
	addresses workflow.ReceiveChannel
	failures  workflow.ReceiveChannel
	parent    *workflow.Execution
}

func (s *shipping) stepInput() ShipmentStepInput {
	return ShipmentStepInput{OrderID: s.in.OrderID, CustomerID: s.in.CustomerID, Shipment: s.shipment, Address: s.in.Address}
}

func (s *shipping) step(ctx workflow.Context, activity any) error {
	return workflow.ExecuteActivity(stepOptions(ctx), activity, s.stepInput()).Get(ctx, &s.shipment)
}

// drain takes the signals that queued up, as Orderly's does between steps.
func (s *shipping) drain() {
	for s.failures.ReceiveAsync(nil) {
	}
	for s.addresses.ReceiveAsync(nil) {
	}
}

// wait is the durable pause before a tracking update or delivery, which
// still listens to the signal channels.
func (s *shipping) wait(ctx workflow.Context, summary string) {
	timer := workflow.NewTimerWithOptions(ctx, s.in.Options.TrackingInterval, workflow.TimerOptions{Summary: summary})
	for !timer.IsReady() {
		sel := workflow.NewSelector(ctx)
		sel.AddFuture(timer, func(workflow.Future) {})
		sel.AddReceive(s.addresses, func(workflow.ReceiveChannel, bool) {})
		sel.AddReceive(s.failures, func(workflow.ReceiveChannel, bool) {})
		sel.Select(ctx)
		s.drain()
	}
}

func (s *shipping) report(ctx workflow.Context, kind progressKind) {
	if s.parent == nil {
		return
	}
	_ = workflow.SignalExternalWorkflow(ctx, s.parent.ID, s.parent.RunID, signalShipmentProgress, shipmentProgress{
		Kind: kind, ShipmentID: s.shipment.ID, Carrier: s.shipment.Carrier, TrackingNumber: s.shipment.TrackingNumber,
	}).Get(ctx, nil)
}

func (s *shipping) result() ShippingResult {
	return ShippingResult{ShipmentID: s.shipment.ID, Carrier: s.shipment.Carrier,
		TrackingNumber: s.shipment.TrackingNumber, Status: s.shipment.Status}
}
