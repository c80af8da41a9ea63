package workflows

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/orderly-shop/orderly"
)

// ShipmentStepInput is the input of the shipping activities.
type ShipmentStepInput struct {
	OrderID    string
	CustomerID string
	// Shipment is the shipment as the workflow last saw it.
	Shipment orderly.Shipment
	Address  orderly.Address
	// Injection is an injected failure this step consumes.
	Injection *orderly.FailureInjection `json:",omitempty"`
}

// CreateLabel books the carrier and creates the shipping label. Carrier and
// tracking number derive from the shipment, so a retry books the same label.
func (a *Activities) CreateLabel(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepShipping, in.Injection); err != nil {
		return orderly.Shipment{}, err
	}
	sh := in.Shipment
	sh.Carrier = carrierFor(in.Address)
	sh.TrackingNumber = trackingNumberFor(sh.ID)
	return a.shipmentStep(ctx, in.OrderID, sh, orderly.ShipmentLabelCreated, "",
		fmt.Sprintf("Shipping label created with %s, tracking %s", sh.Carrier, sh.TrackingNumber))
}

// RelabelShipment replaces the label after an address change that came
// once the label existed: the carrier is chosen again for the new address and
// the new label gets its own tracking number. The pickup is re-booked with it.
func (a *Activities) RelabelShipment(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepShipping, in.Injection); err != nil {
		return orderly.Shipment{}, err
	}
	sh := in.Shipment
	sh.Carrier = carrierFor(in.Address)
	sh.TrackingNumber = trackingNumberFor(sh.ID + ":" + in.Address.PostalCode + ":" + in.Address.Country)
	return a.shipmentStepID(ctx, in.OrderID, sh, in.Shipment.Status, "",
		"shipment:"+sh.ID+":relabel:"+sh.TrackingNumber,
		fmt.Sprintf("New label for %s, %s with %s, tracking %s; pickup re-booked", in.Address.City, in.Address.Country, sh.Carrier, sh.TrackingNumber))
}

// SchedulePickup books the carrier's pickup.
func (a *Activities) SchedulePickup(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepShipping, in.Injection); err != nil {
		return orderly.Shipment{}, err
	}
	return a.shipmentStep(ctx, in.OrderID, in.Shipment, orderly.ShipmentPickupScheduled, "",
		fmt.Sprintf("Pickup scheduled with %s", in.Shipment.Carrier))
}

// DispatchShipment hands the parcel to the carrier: the order becomes SHIPPED.
func (a *Activities) DispatchShipment(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepShipping, in.Injection); err != nil {
		return orderly.Shipment{}, err
	}
	return a.shipmentStep(ctx, in.OrderID, in.Shipment, orderly.ShipmentDispatched, orderly.StatusShipped,
		fmt.Sprintf("Dispatched with %s to %s, %s, tracking %s", in.Shipment.Carrier, in.Address.City, in.Address.Country, in.Shipment.TrackingNumber))
}

// TrackingInput is the input of RecordTracking.
type TrackingInput struct {
	OrderID  string
	Shipment orderly.Shipment
	// Update is the number of this update, 1..Of.
	Update, Of int
}

// RecordTracking records an in-transit update from the carrier.
func (a *Activities) RecordTracking(ctx context.Context, in TrackingInput) (orderly.Shipment, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepShipping, nil); err != nil {
		return orderly.Shipment{}, err
	}
	return a.shipmentStepID(ctx, in.OrderID, in.Shipment, orderly.ShipmentInTransit, "",
		fmt.Sprintf("shipment:%s:tracking:%d", in.Shipment.ID, in.Update),
		fmt.Sprintf("In transit (update %d of %d): %s", in.Update, in.Of, trackingLocation(in.Update, in.Of)))
}

// DeliverShipment records the delivery: the order becomes DELIVERED.
func (a *Activities) DeliverShipment(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepShipping, nil); err != nil {
		return orderly.Shipment{}, err
	}
	return a.shipmentStep(ctx, in.OrderID, in.Shipment, orderly.ShipmentDelivered, orderly.StatusDelivered,
		fmt.Sprintf("Delivered by %s in %s", in.Shipment.Carrier, in.Address.City))
}

// CancelShipmentInput is the input of CancelShipment.
type CancelShipmentInput struct {
	ShipmentStepInput
	Detail string
}

// CancelShipment voids the label and pickup of a shipment that never left.
func (a *Activities) CancelShipment(ctx context.Context, in CancelShipmentInput) (orderly.Shipment, error) {
	sh := in.Shipment
	sh.Status = orderly.ShipmentCancelled
	sh.UpdatedAt = time.Now().UTC()
	_, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{
		ID: shipmentEventID(sh.ID, orderly.ShipmentCancelled), Kind: orderly.EntryCompensation,
		Shipment: &sh, Detail: in.Detail,
	})
	return sh, err
}

// shipmentStep writes a shipment's new status, with an optional order status.
func (a *Activities) shipmentStep(ctx context.Context, orderID string, sh orderly.Shipment,
	st orderly.ShipmentStatus, orderStatus orderly.OrderStatus, detail string) (orderly.Shipment, error) {
	return a.shipmentStepID(ctx, orderID, sh, st, orderStatus, shipmentEventID(sh.ID, st), detail)
}

func (a *Activities) shipmentStepID(ctx context.Context, orderID string, sh orderly.Shipment,
	st orderly.ShipmentStatus, orderStatus orderly.OrderStatus, eventID, detail string) (orderly.Shipment, error) {
	sh.Status = st
	sh.UpdatedAt = time.Now().UTC()
	kind := orderly.EntryInfo
	if orderStatus != "" {
		kind = orderly.EntryStatus
	}
	e := orderly.OrderEvent{ID: eventID, Kind: kind, Status: orderStatus, Shipment: &sh, Detail: detail}
	if sh.Location != nil {
		// A parcel of a split order: the order's status follows all its
		// parcels (orderly.FulfillmentStatus), which the store derives.
		e.Kind, e.Status = "", ""
	}
	if _, err := a.apply(ctx, orderID, e); err != nil {
		return orderly.Shipment{}, err
	}
	return sh, nil
}

// shipmentEventID is the event ID of a shipment reaching a status.
func shipmentEventID(shipmentID string, st orderly.ShipmentStatus) string {
	return "shipment:" + shipmentID + ":" + string(st)
}

// carrierFor picks the carrier for an address.
func carrierFor(a orderly.Address) string {
	if a.Country == "US" {
		return "UPS"
	}
	return "DHL"
}

// trackingNumberFor derives a shipment's tracking number from its ID.
func trackingNumberFor(shipmentID string) string {
	h := fnv.New64a()
	_, _ = h.Write([]byte(shipmentID))
	return fmt.Sprintf("1Z%016X", h.Sum64())
}

// trackingLocation words a tracking update: a stand-in for the carrier's feed.
func trackingLocation(update, of int) string {
	switch {
	case update >= of:
		return "out for delivery"
	case update == 1:
		return "left the warehouse"
	}
	return "at a sorting hub"
}
