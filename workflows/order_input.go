package workflows

import (
	"time"

	"github.com/orderly-shop/orderly"
)

// OrderInput starts an OrderWorkflow: the order as it was placed. Carrying the
// snapshot (rather than only the ID) makes the history self-explanatory and
// spares every step a read of the order.
type OrderInput struct {
	OrderID         string
	CustomerID      string
	Lines           []orderly.OrderLine
	Subtotal        orderly.Money
	ShippingCost    orderly.Money
	Total           orderly.Money
	ShippingAddress orderly.Address
	// PaymentMethod is the card the order is authorized and captured on.
	PaymentMethod orderly.PaymentMethod `json:",omitzero"`
	// Shipping paces the ShippingWorkflow; zero values take the defaults.
	Shipping ShippingOptions
	// Returns configures the return window and the ReturnWorkflows.
	Returns ReturnOptions `json:",omitzero"`
	// Rewards configures a RewardsWorkflow that this order has to start.
	Rewards RewardsOptions
}

// OrderInputFor returns the input that processes o.
func OrderInputFor(o *orderly.Order) OrderInput {
	return OrderInput{
		OrderID: o.ID, CustomerID: o.CustomerID, Lines: o.Lines,
		Subtotal: o.Subtotal, ShippingCost: o.ShippingCost, Total: o.Total,
		ShippingAddress: o.ShippingAddress, PaymentMethod: o.PaymentMethod,
	}
}

// Validate checks that the snapshot is consistent: lines, quantities, line
// totals, totals and address. It returns an *orderly.Error.
func (in OrderInput) Validate() error {
	if in.OrderID == "" || in.CustomerID == "" {
		return orderly.Errorf(orderly.EINVALID, "order and customer IDs are required")
	}
	totals, err := orderly.TotalsFor(in.Lines)
	if err != nil {
		return err
	}
	switch {
	case totals.Subtotal != in.Subtotal:
		return orderly.FieldErrorf(orderly.EINVALID, "subtotal", "the subtotal does not add up")
	case totals != (orderly.OrderTotals{Subtotal: in.Subtotal, ShippingCost: in.ShippingCost, Total: in.Total}):
		return orderly.FieldErrorf(orderly.EINVALID, "total", "the total does not add up")
	}
	return in.ShippingAddress.Validate("shippingAddress")
}

// Return defaults.
const (
	// DefaultReturnCarrierInterval is the simulated carrier's wait before it
	// picks a return parcel up, and again before it arrives.
	DefaultReturnCarrierInterval = 10 * time.Second
	// DefaultReturnDecisionTimeout is how long a return waits for an
	// operator before it is approved without one.
	DefaultReturnDecisionTimeout = 7 * 24 * time.Hour
	// DefaultReturnSendWithin is how long an approved return waits for its
	// parcel before it is cancelled.
	DefaultReturnSendWithin = 14 * 24 * time.Hour
)

// ReturnOptions configure the returns of an order; zero values take the
// defaults.
type ReturnOptions struct {
	// Window is how long after delivery a return may be asked for
	// (orderly.DefaultReturnWindow).
	Window time.Duration `json:",omitempty"`
	// CarrierInterval paces the simulated carrier of return parcels;
	// negative means none: an operator marks every parcel received.
	CarrierInterval time.Duration `json:",omitempty"`
	// DecisionTimeout bounds the wait for an operator's decision.
	DecisionTimeout time.Duration `json:",omitempty"`
	// SendWithin bounds the wait for an approved return's parcel.
	SendWithin time.Duration `json:",omitempty"`
}

func (o ReturnOptions) withDefaults() ReturnOptions {
	if o.Window <= 0 {
		o.Window = orderly.DefaultReturnWindow
	}
	if o.CarrierInterval == 0 {
		o.CarrierInterval = DefaultReturnCarrierInterval
	}
	if o.DecisionTimeout <= 0 {
		o.DecisionTimeout = DefaultReturnDecisionTimeout
	}
	if o.SendWithin <= 0 {
		o.SendWithin = DefaultReturnSendWithin
	}
	return o
}

// OrderResult is how an order ended.
type OrderResult struct {
	OrderID string
	// Status is COMPLETED, CANCELLED or FAILED.
	Status        orderly.OrderStatus
	FailureReason string `json:",omitempty"`
	// PaymentID is the charge (before the ledger) or the provider's payment;
	// Refunded says a charge went back, Voided that a hold was released.
	PaymentID string `json:",omitempty"`
	Refunded  bool   `json:",omitempty"`
	Voided    bool   `json:",omitempty"`
	// Payments is what the ledger added up to when the workflow ended.
	Payments       *orderly.PaymentSummary `json:",omitempty"`
	TrackingNumber string                  `json:",omitempty"`
	PointsAwarded  int                     `json:",omitempty"`
	// Returns are the order's returns as they ended.
	Returns []orderly.Return `json:",omitempty"`
	// Compensations names the undo steps that ran, in the order they ran.
	Compensations []string `json:",omitempty"`
}

// Compensation names, as they appear in OrderResult.Compensations.
const (
	CompensationRefundPayment = "refund payment"
	CompensationVoidPayment   = "void payment"
	CompensationReleaseStock  = "release stock"
)

// Workflow change IDs (workflow.GetVersion).
const (
	// changeCheckpointBeforeShipping is the cancel checkpoint between
	// recording SHIPPING and starting the shipping child.
	changeCheckpointBeforeShipping = "checkpoint-before-shipping"
	// changePaymentLedger moves an order from one charge to the payment
	// ledger: authorize after approval, capture at dispatch, void on
	// cancel, re-authorize before a hold lapses, and the return window with
	// refunds and returns after delivery. It is read once, when the
	// workflow starts, so that an order started before the change finishes
	// on the charge path it began on.
	changePaymentLedger = "payment-ledger"
	// changeSplitShipments ships an order on the ledger as one parcel per
	// location it was sourced from: a ShippingWorkflow child each, in
	// parallel, each captured at its dispatch, a parcel that fails for good
	// releasing its units and its part of the hold while the others go.
	// Read once, when the workflow starts, after changePaymentLedger.
	changeSplitShipments = "split-shipments"
)

// Step names used in failure reasons ("payment failed: ...").
const (
	stepNameValidation = "validation"
	stepNameInventory  = "inventory reservation"
	stepNamePayment    = "payment"
	stepNameShipping   = "shipping"
)
