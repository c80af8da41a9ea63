package orderly

import "slices"

// OrderStatus is where an order stands in its lifecycle. This type is the one
// source of truth: the GraphQL enum, the workflows and the store all use it.
type OrderStatus string

// The order statuses, in lifecycle order.
const (
	StatusReceived          OrderStatus = "RECEIVED"
	StatusValidated         OrderStatus = "VALIDATED"
	StatusInventoryReserved OrderStatus = "INVENTORY_RESERVED"
	StatusAwaitingApproval  OrderStatus = "AWAITING_APPROVAL"
	StatusApproved          OrderStatus = "APPROVED"
	// StatusPaymentAuthorized: the total is held on the card; it is
	// captured as the goods leave.
	StatusPaymentAuthorized OrderStatus = "PAYMENT_AUTHORIZED"
	// StatusPaid: charged in full, for orders placed before the ledger.
	StatusPaid     OrderStatus = "PAID"
	StatusShipping OrderStatus = "SHIPPING"
	// StatusPartiallyShipped: some of the order's parcels have left, not
	// all (an order split across locations).
	StatusPartiallyShipped OrderStatus = "PARTIALLY_SHIPPED"
	StatusShipped          OrderStatus = "SHIPPED"
	// StatusPartiallyDelivered: some of the order's parcels arrived, not
	// all of those sent.
	StatusPartiallyDelivered OrderStatus = "PARTIALLY_DELIVERED"
	StatusDelivered          OrderStatus = "DELIVERED"
	StatusCompleted          OrderStatus = "COMPLETED"
	// StatusRefunded is passed through when money goes back to the customer
	// during compensation; the order then ends CANCELLED or FAILED.
	StatusRefunded  OrderStatus = "REFUNDED"
	StatusCancelled OrderStatus = "CANCELLED"
	StatusFailed    OrderStatus = "FAILED"
)

// AllOrderStatuses lists every status, in lifecycle order.
var AllOrderStatuses = []OrderStatus{
	StatusReceived, StatusValidated, StatusInventoryReserved, StatusAwaitingApproval,
	StatusApproved, StatusPaymentAuthorized, StatusPaid, StatusShipping, StatusPartiallyShipped, StatusShipped,
	StatusPartiallyDelivered, StatusDelivered, StatusCompleted, StatusRefunded, StatusCancelled, StatusFailed,
}

// transitions lists, for each status, the statuses an order may move to next.
// A failure or a cancellation can strike from any live status before the goods
// leave; once money was charged in full (PAID), the way out goes through
// REFUNDED. An authorized payment is voided instead, so PAYMENT_AUTHORIZED
// and SHIPPING may end directly; Order.Apply refuses the end while money is
// still held or captured, whichever the path. Once a parcel has left, the
// order moves only forward through its parcels' progress
// (FulfillmentStatus): a parcel that fails or is cancelled then changes
// where the others stand, never the order's end.
var transitions = map[OrderStatus][]OrderStatus{
	StatusReceived:           {StatusValidated, StatusCancelled, StatusFailed},
	StatusValidated:          {StatusInventoryReserved, StatusCancelled, StatusFailed},
	StatusInventoryReserved:  {StatusAwaitingApproval, StatusPaymentAuthorized, StatusPaid, StatusCancelled, StatusFailed},
	StatusAwaitingApproval:   {StatusApproved, StatusCancelled, StatusFailed},
	StatusApproved:           {StatusPaymentAuthorized, StatusPaid, StatusCancelled, StatusFailed},
	StatusPaymentAuthorized:  {StatusShipping, StatusCancelled, StatusFailed},
	StatusPaid:               {StatusShipping, StatusRefunded},
	StatusShipping:           {StatusPartiallyShipped, StatusShipped, StatusRefunded, StatusCancelled, StatusFailed},
	StatusPartiallyShipped:   {StatusShipped, StatusPartiallyDelivered},
	StatusShipped:            {StatusPartiallyDelivered, StatusDelivered},
	StatusPartiallyDelivered: {StatusDelivered},
	StatusDelivered:          {StatusCompleted},
	StatusRefunded:           {StatusCancelled, StatusFailed},
}

// Valid reports whether s is a known status.
func (s OrderStatus) Valid() bool { return slices.Contains(AllOrderStatuses, s) }

// IsFinal reports whether the order can no longer change status.
func (s OrderStatus) IsFinal() bool {
	return s == StatusCompleted || s == StatusCancelled || s == StatusFailed
}

// CanTransitionTo reports whether an order may move from s to next.
func (s OrderStatus) CanTransitionTo(next OrderStatus) bool {
	return slices.Contains(transitions[s], next)
}

// BeforeDispatch reports whether the goods have not yet left with the
// carrier, so the customer may still cancel or change the shipping address.
func (s OrderStatus) BeforeDispatch() bool {
	switch s {
	case StatusReceived, StatusValidated, StatusInventoryReserved, StatusAwaitingApproval,
		StatusApproved, StatusPaymentAuthorized, StatusPaid, StatusShipping:
		return true
	}
	return false
}

// InFulfillment reports whether the order's parcels are on their way: from
// SHIPPING until DELIVERED, the statuses its shipments decide
// (FulfillmentStatus).
func (s OrderStatus) InFulfillment() bool {
	switch s {
	case StatusShipping, StatusPartiallyShipped, StatusShipped, StatusPartiallyDelivered, StatusDelivered:
		return true
	}
	return false
}

// FulfillmentStatus is where an order in fulfillment stands by its
// parcels, ignoring those that will never ship (cancelled or failed):
// DELIVERED when every other parcel arrived, PARTIALLY_DELIVERED when some
// did, SHIPPED when every other one left, PARTIALLY_SHIPPED when some did,
// else SHIPPING. With no parcel left to ship it returns "": the parcels
// decide nothing, and the order ends CANCELLED or FAILED.
func FulfillmentStatus(shipments []Shipment) OrderStatus {
	live, dispatched, delivered := 0, 0, 0
	for _, sh := range shipments {
		if sh.Status.Ended() {
			continue
		}
		live++
		if sh.Status.Dispatched() {
			dispatched++
		}
		if sh.Status == ShipmentDelivered {
			delivered++
		}
	}
	switch {
	case live == 0:
		return ""
	case delivered == live:
		return StatusDelivered
	case delivered > 0:
		return StatusPartiallyDelivered
	case dispatched == live:
		return StatusShipped
	case dispatched > 0:
		return StatusPartiallyShipped
	}
	return StatusShipping
}
