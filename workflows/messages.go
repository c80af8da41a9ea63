package workflows

import (
	"fmt"

	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// CancelOrderRequest is the argument of the UpdateCancelOrder update.
type CancelOrderRequest struct {
	// Reason is recorded as the order's failure reason.
	Reason string
}

// ChangeAddressRequest is the argument of the UpdateChangeShippingAddress update.
type ChangeAddressRequest struct {
	Address orderly.Address
}

// ApprovalRequest is the argument of the UpdateApproveOrder and
// UpdateRejectOrder updates.
type ApprovalRequest struct {
	OperatorID string
	// Reason says why an order was rejected.
	Reason string
}

// RefundOrderRequest is the argument of the UpdateRefundOrder update: an
// amount or lines, never both.
type RefundOrderRequest struct {
	OperatorID string
	Amount     *orderly.Money         `json:",omitempty"`
	Lines      []orderly.LineQuantity `json:",omitempty"`
	Reason     string                 `json:",omitempty"`
}

// ReturnOrderRequest is the argument of the UpdateRequestReturn update; the
// update's result is the return's ID.
type ReturnOrderRequest struct {
	Lines  []orderly.LineQuantity
	Reason string `json:",omitempty"`
}

// ReturnDecisionRequest is the argument of the UpdateApproveReturn,
// UpdateRejectReturn and UpdateMarkReturnReceived updates of a
// ReturnWorkflow.
type ReturnDecisionRequest struct {
	OperatorID string
	// Reason says why a return was rejected.
	Reason string `json:",omitempty"`
}

// CancelReturnRequest is the argument of the UpdateCancelReturn update.
type CancelReturnRequest struct {
	Reason string `json:",omitempty"`
}

// AddPointsSignal is the payload of SignalAddPoints.
type AddPointsSignal struct {
	// OrderID makes the credit idempotent: an order is credited once.
	OrderID string
	Points  int
}

// progressKind says what a shipmentProgress reports.
type progressKind string

const (
	progressDispatched   progressKind = "DISPATCHED"
	progressDelivered    progressKind = "DELIVERED"
	progressAddressReply progressKind = "ADDRESS_REPLY"
)

// shipmentProgress is what a ShippingWorkflow reports to its parent.
type shipmentProgress struct {
	Kind           progressKind
	ShipmentID     string
	Carrier        string
	TrackingNumber string
	// Seq, Accepted and Message answer the address change with that Seq.
	Seq      int
	Accepted bool
	Message  string
}

// shipmentAddressChange asks a ShippingWorkflow to ship to a new address,
// if it has not dispatched yet; it answers with a progressAddressReply.
type shipmentAddressChange struct {
	Seq     int
	Address orderly.Address
}

// rejectf returns the error an update gives its caller: an application error
// whose type is an orderly error code and whose message is safe to show. The
// Client turns it back into an *orderly.Error.
func rejectf(code, format string, args ...any) error {
	return temporal.NewApplicationError(fmt.Sprintf(format, args...), code)
}

// rejectInvalid passes an *orderly.Error from input validation to the
// caller, keeping the field it names as the error's detail.
func rejectInvalid(err error) error {
	if e, ok := err.(*orderly.Error); ok {
		return temporal.NewApplicationError(e.Message, e.Code, e.Field)
	}
	return temporal.NewApplicationError(orderly.ErrorMessage(err), orderly.EINVALID)
}

// outcome is the answer to a request that a handler waits for while the main
// flow acts on it, so the caller learns what really happened.
type outcome struct {
	done bool
	err  error
}

// resolve settles the outcome; the first answer wins.
func (o *outcome) resolve(err error) {
	if !o.done {
		o.done, o.err = true, err
	}
}

// wait blocks until the outcome is settled and returns its error.
func (o *outcome) wait(ctx workflow.Context) error {
	if err := workflow.Await(ctx, func() bool { return o.done }); err != nil {
		return err
	}
	return o.err
}
