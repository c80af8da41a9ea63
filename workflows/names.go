// Package workflows runs Orderly's order lifecycle on Temporal: OrderWorkflow
// (validate, reserve, approve, authorize, ship and capture, notify, reward,
// refunds and returns until the return window closes, with saga
// compensation), ShippingWorkflow (a child on its own task queue),
// ReturnWorkflow (a child per return) and RewardsWorkflow (one long-lived
// workflow per customer). Activities reach the
// outside world only through the root package's service interfaces, and Client
// implements orderly.OrderProcessing for the API.
//
// Every name a caller outside this package may type (task queues, signals,
// updates, queries) is a constant in this file, so that the API, the worker,
// the tests and the `temporal` CLI all agree.
package workflows

import (
	"fmt"

	"github.com/orderly-shop/orderly"
)

// Task queues. Shipping has its own so that a shipping team could run, scale
// and deploy its workers on their own.
const (
	TaskQueueOrders   = "orders"
	TaskQueueShipping = "shipping"
)

// Updates on a running OrderWorkflow. They are updates, not signals, because
// the caller needs a yes or no: a validator rejects an impossible request
// before it reaches the history, and the handler answers only once the change
// has really happened (or proved impossible).
const (
	UpdateCancelOrder           = "cancel_order"
	UpdateChangeShippingAddress = "update_shipping_address"
	UpdateApproveOrder          = "approve_order"
	UpdateRejectOrder           = "reject_order"
	// UpdateRefundOrder refunds an amount or lines of a captured order.
	UpdateRefundOrder = "refund_order"
	// UpdateRequestReturn starts a return of delivered units; it answers
	// with the return's ID.
	UpdateRequestReturn = "request_return"
)

// Updates on a running ReturnWorkflow (workflow ID return_<returnId>).
const (
	UpdateApproveReturn      = "approve_return"
	UpdateRejectReturn       = "reject_return"
	UpdateMarkReturnReceived = "mark_return_received"
	UpdateCancelReturn       = "cancel_return"
)

// Signals. A signal is right where the sender expects no answer.
const (
	// SignalSimulateFailure injects an orderly.FailureInjection into a running
	// order; the next execution of that step consumes it.
	SignalSimulateFailure = "simulate_failure"
	// SignalAddPoints credits an order's points to a RewardsWorkflow.
	SignalAddPoints = "add_points"
	// SignalCloseRewards ends a RewardsWorkflow cleanly, exactly as in
	// `temporal workflow signal -w rewards_<customerId> --name close_workflow`.
	SignalCloseRewards = "close_workflow"

	// The signals below pass between an OrderWorkflow and its ShippingWorkflow
	// child; nothing else should send them.

	// signalShipmentProgress goes child -> parent: dispatched, delivered, and
	// the answers to address changes.
	signalShipmentProgress = "shipment_progress"
	// signalShipmentAddress goes parent -> child: a new address to ship to.
	signalShipmentAddress = "shipment_address"
	// signalShipmentFailure goes parent -> child: an injected failure for the
	// shipping step while the child runs.
	signalShipmentFailure = "shipment_simulate_failure"
	// signalReturnProgress goes ReturnWorkflow -> its OrderWorkflow: the
	// return as it moved (an orderly.Return), sent before the move's update
	// answers, so the order counts the units of a rejected or cancelled
	// return as returnable again by the time its caller hears of it.
	signalReturnProgress = "return_progress"
)

// Queries.
const (
	// QueryOrderState returns an orderly.OrderState.
	QueryOrderState = "order_state"
	// QueryRewardsState returns an orderly.RewardsState.
	QueryRewardsState = "rewards_state"
	// QueryReturnState returns the return (orderly.Return) as its workflow
	// sees it.
	QueryReturnState = "return_state"
)

// ShipmentIDFor derives the ID of an order's n-th shipment (n from 1). It is
// deterministic so that a replayed or retried step finds the same shipment.
func ShipmentIDFor(orderID string, n int) string {
	return fmt.Sprintf("%s_%s_%d", orderly.PrefixShipment, orderID, n)
}

// ShippingWorkflowIDFor derives the workflow ID of a shipment's
// ShippingWorkflow from the shipment ID.
func ShippingWorkflowIDFor(shipmentID string) string { return "shipping_" + shipmentID }
