package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/temporal"

	"github.com/orderly-shop/orderly"
)

// newShippingHarness runs a ShippingWorkflow on its own (as from the CLI),
// for an order already moved to SHIPPING.
func newShippingHarness(t *testing.T) (*harness, ShippingInput) {
	h := newHarness(t)
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: ShippingWorkflowIDFor("shp_test")})
	in := testOrder(h.store, "ord_ship", 1000, 1, 5)
	for _, s := range []orderly.OrderStatus{V, IR, PD, SG} {
		if _, err := h.store.ApplyOrderEvent(context.Background(), in.OrderID, orderly.OrderEvent{ID: statusEventID(s), Kind: orderly.EntryStatus, Status: s}); err != nil {
			t.Fatal(err)
		}
	}
	return h, ShippingInput{
		OrderID: in.OrderID, CustomerID: in.CustomerID, ShipmentID: ShipmentIDFor(in.OrderID, 1),
		Lines: in.Lines, Address: in.ShippingAddress,
		Options: ShippingOptions{TrackingUpdates: 3, TrackingInterval: 10 * time.Minute},
	}
}

func runShipping(h *harness, in ShippingInput) (ShippingResult, error) {
	h.t.Helper()
	h.env.ExecuteWorkflow(ShippingWorkflow, in)
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("shipping workflow did not complete")
	}
	var res ShippingResult
	err := h.env.GetWorkflowError()
	if err == nil {
		_ = h.env.GetWorkflowResult(&res)
	}
	return res, err
}

func TestShippingDeliversWithTrackingUpdates(t *testing.T) {
	h, in := newShippingHarness(t)
	start := h.env.Now()

	res, err := runShipping(h, in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != orderly.ShipmentDelivered || res.Carrier != "UPS" || res.TrackingNumber != trackingNumberFor(in.ShipmentID) {
		t.Errorf("result = %+v, want delivered by UPS with the derived tracking number", res)
	}
	if h.count("RecordTracking") != 3 {
		t.Errorf("%d tracking updates, want 3", h.count("RecordTracking"))
	}
	if took := h.env.Now().Sub(start); took < 40*time.Minute {
		t.Errorf("took %s of workflow time, want the 4 durable waits of 10m", took)
	}
	o := h.store.order(in.OrderID)
	assertPath(t, o, R, V, IR, PD, SG, SD, DL)
	if len(o.Shipments) != 1 || o.Shipments[0].Status != orderly.ShipmentDelivered {
		t.Errorf("shipments = %+v", o.Shipments)
	}
}

func TestShippingCancelledBeforeDispatchVoidsTheLabel(t *testing.T) {
	h, in := newShippingHarness(t)
	delay(h, h.acts.SchedulePickup, 10*time.Minute)
	h.at(5*time.Minute, h.env.CancelWorkflow)

	_, err := runShipping(h, in)
	var canceled *temporal.CanceledError
	if !errors.As(err, &canceled) {
		t.Fatalf("workflow error = %v, want cancelled", err)
	}
	// The pickup in flight when the cancel came was finished, then undone.
	if !h.ran("SchedulePickup") || !h.ran("CancelShipment") || h.ran("DispatchShipment") {
		t.Errorf("ran %v; want pickup finished, then voided, never dispatched", h.started)
	}
	if s := h.store.order(in.OrderID).Shipments[0].Status; s != orderly.ShipmentCancelled {
		t.Errorf("shipment status = %s, want CANCELLED", s)
	}
}

func TestShippingIgnoresCancelAfterDispatch(t *testing.T) {
	h, in := newShippingHarness(t)
	h.at(5*time.Minute, h.env.CancelWorkflow) // during the first tracking wait

	res, err := runShipping(h, in)
	if err != nil || res.Status != orderly.ShipmentDelivered {
		t.Fatalf("result %+v, err %v; want delivered: the goods had left", res, err)
	}
	if h.ran("CancelShipment") {
		t.Error("voided a dispatched shipment")
	}
}

func TestShippingInjectedFailureReachesTheNextStep(t *testing.T) {
	h, in := newShippingHarness(t)
	delay(h, h.acts.CreateLabel, 10*time.Minute)
	h.at(5*time.Minute, func() {
		h.env.SignalWorkflow(signalShipmentFailure, orderly.FailureInjection{Step: orderly.StepShipping, Mode: orderly.FailurePermanent})
	})

	_, err := runShipping(h, in)
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || appErr.Type() != ErrTypeInjectedPermanentFailure {
		t.Fatalf("workflow error = %v, want the injected permanent failure", err)
	}
	if h.count("SchedulePickup") != 1 || h.ran("DispatchShipment") || !h.ran("CancelShipment") {
		t.Errorf("ran %v; want the pickup to fail once and the label voided", h.started)
	}
}

func TestShippingAddressChangeStandalone(t *testing.T) {
	h, in := newShippingHarness(t)
	delay(h, h.acts.CreateLabel, 10*time.Minute)
	early := orderly.Address{Name: "Ada", Line1: "2 New St", City: "Capital City", PostalCode: "999", Country: "US"}
	late := orderly.Address{Name: "Ada", Line1: "3 Late St", City: "Too Late", PostalCode: "999", Country: "US"}
	h.at(5*time.Minute, func() {
		h.env.SignalWorkflow(signalShipmentAddress, shipmentAddressChange{Seq: 1, Address: early})
	})
	h.at(15*time.Minute, func() { // after dispatch, during tracking
		h.env.SignalWorkflow(signalShipmentAddress, shipmentAddressChange{Seq: 2, Address: late})
	})

	if _, err := runShipping(h, in); err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	o := h.store.order(in.OrderID)
	if o.ShippingAddress != early || !hasDetail(o, "Dispatched with UPS to Capital City") {
		t.Errorf("address %+v; want the early change applied and the late one refused", o.ShippingAddress)
	}
	// The label was made before the change: a new one is made for the new
	// address before the parcel leaves.
	if !hasDetail(o, "New label for Capital City, US with UPS") || h.count("RelabelShipment") != 1 {
		t.Errorf("ran %v; want one new label for the changed address before dispatch", h.started)
	}
}
