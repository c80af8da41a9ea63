package orderly

import (
	"context"
	"time"
)

// FailureMode says how an injected failure behaves.
type FailureMode string

// Failure modes.
const (
	// FailureTransient fails the next attempts of the step with a retryable
	// error; the retry policy recovers.
	FailureTransient FailureMode = "TRANSIENT"
	// FailurePermanent fails the step with a non-retryable error; the order
	// compensates and ends FAILED.
	FailurePermanent FailureMode = "PERMANENT"
	// FailureTimeout makes the next attempt of the step sleep past its
	// start-to-close timeout, so it times out and is retried.
	FailureTimeout FailureMode = "TIMEOUT"
)

// MaxReasonLength bounds a free-text reason (a cancel, a rejection).
const MaxReasonLength = 500

// FailureInjection asks a running order to fail one of its steps.
type FailureInjection struct {
	Step Step        `json:"step"`
	Mode FailureMode `json:"mode"`
	// ShipmentID aims a SHIPPING failure at one parcel of the order; empty,
	// it strikes the first parcel not yet dispatched.
	ShipmentID string `json:"shipmentId,omitempty"`
}

// ShipmentsChange says which parcels a cancel or an address change
// reached. Both apply to the parcels not yet dispatched: an order split
// across locations may be cancelled, or sent elsewhere, in part.
type ShipmentsChange struct {
	// Changed are the shipments it applied to: cancelled, or now going to
	// the new address. Empty when it applied to an order not yet shipping.
	Changed []string `json:"changed,omitempty"`
	// Dispatched are the shipments that had already left and go on as
	// they were.
	Dispatched []string `json:"dispatched,omitempty"`
}

// OrderState is the live state of an order's workflow, from its query.
type OrderState struct {
	OrderID         string
	Status          OrderStatus
	ShippingAddress Address
	// PendingFailures are injected failures not yet consumed by their step.
	PendingFailures []FailureInjection
	// CanCancel and CanChangeAddress say whether those actions are open
	// now: until the last parcel is dispatched.
	CanCancel        bool
	CanChangeAddress bool
	// ApprovalDeadline is set while the order awaits approval.
	ApprovalDeadline *time.Time
	// CanRefund says whether an operator may refund now (something is
	// captured and not refunded, and the order is still open).
	CanRefund bool
	// CanReturn says whether the customer may ask for a return now;
	// ReturnsUntil is when the return window closes, once delivered.
	CanReturn    bool
	ReturnsUntil *time.Time
}

// OrderRefund is an operator's refund of an order: an amount, or lines
// (priced as bought), never both.
type OrderRefund struct {
	OrderID    string
	Amount     *Money
	Lines      []LineQuantity
	Reason     string
	OperatorID string
}

// Validate checks the refund's shape; whether the ledger allows it is the
// order workflow's question (PaymentSummary.CheckRefund, LinesRefund).
func (r OrderRefund) Validate() error {
	switch {
	case r.OrderID == "":
		return FieldErrorf(EINVALID, "input.orderId", "order ID is required")
	case (r.Amount == nil) == (len(r.Lines) == 0):
		return FieldErrorf(EINVALID, "input", "refund either an amount or lines")
	case r.Amount != nil && r.Amount.Amount <= 0:
		return FieldErrorf(EINVALID, "input.amount", "a refund must be a positive amount")
	case len([]rune(r.Reason)) > MaxReasonLength:
		return FieldErrorf(EINVALID, "input.reason", "reason must be at most %d characters", MaxReasonLength)
	}
	return nil
}

// RewardsState is the live state of a customer's rewards workflow.
type RewardsState struct {
	CustomerID string
	Points     int
	Tier       Tier
	// Running is false when no rewards workflow is open for the customer.
	Running bool
}

// OrderProcessing drives the order workflows. It is what the API calls; the
// workflows package implements it over a Temporal client.
//
// Actions that need an answer are Temporal updates whose validators reject
// with ECONFLICT (for example "cannot cancel: already dispatched"); an order
// whose workflow has ended returns ECONFLICT too.
type OrderProcessing interface {
	// StartOrder starts the order's workflow; starting it again is a no-op.
	StartOrder(ctx context.Context, o *Order) (runID string, err error)
	// CancelOrder cancels the order until its last parcel is dispatched:
	// the whole order before any parcel left, else the parcels still here.
	CancelOrder(ctx context.Context, orderID, reason string) (ShipmentsChange, error)
	// UpdateShippingAddress sends the parcels not yet dispatched to a.
	UpdateShippingAddress(ctx context.Context, orderID string, a Address) (ShipmentsChange, error)
	ApproveOrder(ctx context.Context, orderID, operatorID string) error
	RejectOrder(ctx context.Context, orderID, operatorID, reason string) error
	SimulateFailure(ctx context.Context, orderID string, f FailureInjection) error
	OrderState(ctx context.Context, orderID string) (*OrderState, error)
	// RefundOrder refunds an amount or lines of a captured order, once the
	// order's workflow has checked it against the ledger (EOVERREFUND,
	// EINVALID); it returns once the money went back.
	RefundOrder(ctx context.Context, r OrderRefund) error
	// RequestReturn starts a return of delivered units within the return
	// window (ENOTDELIVERED, ERETURNCLOSED, ERETURNQUANTITY) and returns
	// its ID once recorded.
	RequestReturn(ctx context.Context, r ReturnRequest) (returnID string, err error)
	// ApproveReturn and RejectReturn decide a REQUESTED return.
	ApproveReturn(ctx context.Context, returnID, operatorID string) error
	RejectReturn(ctx context.Context, returnID, operatorID, reason string) error
	// MarkReturnReceived records that an approved return's parcel arrived.
	MarkReturnReceived(ctx context.Context, returnID, operatorID string) error
	// CancelReturn calls a return off, until its parcel is sent.
	CancelReturn(ctx context.Context, returnID, reason string) error
	// CloseRewards signals the customer's rewards workflow to end, as
	// `temporal workflow signal --name close_workflow` does.
	CloseRewards(ctx context.Context, customerID string) error
	RewardsState(ctx context.Context, customerID string) (*RewardsState, error)
}
