// Package bare is the baseline of the end-to-end benchmark: a Temporal
// program of the same shape as Orderly's order processing with every
// activity a no-op, so that running it on the same Temporal server in the
// same run says what Temporal alone allows, and the ratio of Orderly to it
// says what everything else (API, store, change feed) costs.
//
// "Same shape" means what Temporal sees on the happy path of an order that
// needs no approval, step for step as in package workflows (which this
// package must not import: it is the bare program):
//
//   - OrderWorkflow on its own task queue with the same eleven activity
//     executions in the same order (validate, reserve, authorize, notify
//     authorized, record SHIPPING, commit stock, capture, notify shipped,
//     notify delivered, award points, record COMPLETED), the same activity
//     options, the same query, update and signal handlers registered, the
//     same disconnected context and cancellation watcher, the same two
//     version markers, the durable timer that would renew the hold (started
//     at authorization, cancelled once everything is captured) and the
//     return window (ReturnWindow) before the workflow closes;
//   - a ShippingWorkflow child on another task queue with the same seven
//     activity types (label, pickup, dispatch, tracking updates, delivery;
//     relabel and cancel registered), one durable timer before each tracking
//     update and before delivery, and the two progress signals to the parent;
//   - AwardPoints signals-with-start a per-customer RewardsWorkflow, which
//     loads the account once and saves it per credit.
//
// Payloads have the same types (the root package's order lines, addresses,
// events, notifications), so they weigh what Orderly's weigh. The benchmark
// also compares the two programs' histories event by event type, so a
// divergence shows in the report.
package bare

import "time"

// Task queues, apart from Orderly's so that both can share a namespace.
const (
	TaskQueueOrders   = "bare-orders"
	TaskQueueShipping = "bare-shipping"
)

// Message names, the same as Orderly's.
const (
	updateCancelOrder      = "cancel_order"
	updateChangeAddress    = "update_shipping_address"
	updateApproveOrder     = "approve_order"
	updateRejectOrder      = "reject_order"
	updateRefundOrder      = "refund_order"
	updateRequestReturn    = "request_return"
	signalReturnProgress   = "return_progress"
	signalSimulateFailure  = "simulate_failure"
	signalAddPoints        = "add_points"
	signalCloseRewards     = "close_workflow"
	signalShipmentProgress = "shipment_progress"
	signalShipmentAddress  = "shipment_address"
	signalShipmentFailure  = "shipment_simulate_failure"
	queryOrderState        = "order_state"
	queryRewardsState      = "rewards_state"
)

// Orderly's version markers, which the bare program records too: the
// payment ledger's and the split shipments' at the start (an order that
// ships by parcel records no other).
const (
	changePaymentLedger  = "payment-ledger"
	changeSplitShipments = "split-shipments"
)

// AuthorizationTTL is how long a hold lasts, as Orderly's simulated
// provider's default (PAYMENT_AUTHORIZATION_TTL); both programs keep a
// durable timer to renew it at four fifths of that.
const AuthorizationTTL = 7 * 24 * time.Hour

// maxSignalsPerRun is when a RewardsWorkflow continues as new, as Orderly's.
const maxSignalsPerRun = 500

// ShippingOptions pace the ShippingWorkflow; the benchmark sets the same
// values as Orderly's SHIPPING_TRACKING_UPDATES and _INTERVAL.
type ShippingOptions struct {
	TrackingUpdates  int
	TrackingInterval time.Duration
}
