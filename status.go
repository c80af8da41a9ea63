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
	StatusPaid      OrderStatus = "PAID"
	StatusShipping  OrderStatus = "SHIPPING"
	StatusShipped   OrderStatus = "SHIPPED"
	StatusDelivered OrderStatus = "DELIVERED"
	StatusCompleted OrderStatus = "COMPLETED"
	// StatusRefunded is passed through when money goes back to the customer
	// during compensation; the order then ends CANCELLED or FAILED.
	StatusRefunded  OrderStatus = "REFUNDED"
	StatusCancelled OrderStatus = "CANCELLED"
	StatusFailed    OrderStatus = "FAILED"
)

// AllOrderStatuses lists every status, in lifecycle order.
var AllOrderStatuses = []OrderStatus{
	StatusReceived, StatusValidated, StatusInventoryReserved, StatusAwaitingApproval,
	StatusApproved, StatusPaymentAuthorized, StatusPaid, StatusShipping, StatusShipped, StatusDelivered,
	StatusCompleted, StatusRefunded, StatusCancelled, StatusFailed,
}

// transitions lists, for each status, the statuses an order may move to next.
// A failure or a cancellation can strike from any live status before the goods
// leave; once money was charged in full (PAID), the way out goes through
// REFUNDED. An authorized payment is voided instead, so PAYMENT_AUTHORIZED
// and SHIPPING may end directly; Order.Apply refuses the end while money is
// still held or captured, whichever the path.
var transitions = map[OrderStatus][]OrderStatus{
	StatusReceived:          {StatusValidated, StatusCancelled, StatusFailed},
	StatusValidated:         {StatusInventoryReserved, StatusCancelled, StatusFailed},
	StatusInventoryReserved: {StatusAwaitingApproval, StatusPaymentAuthorized, StatusPaid, StatusCancelled, StatusFailed},
	StatusAwaitingApproval:  {StatusApproved, StatusCancelled, StatusFailed},
	StatusApproved:          {StatusPaymentAuthorized, StatusPaid, StatusCancelled, StatusFailed},
	StatusPaymentAuthorized: {StatusShipping, StatusCancelled, StatusFailed},
	StatusPaid:              {StatusShipping, StatusRefunded},
	StatusShipping:          {StatusShipped, StatusRefunded, StatusCancelled, StatusFailed},
	StatusShipped:           {StatusDelivered},
	StatusDelivered:         {StatusCompleted},
	StatusRefunded:          {StatusCancelled, StatusFailed},
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
