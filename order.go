package orderly

import (
	"context"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Order is the read model of an order: a snapshot of what was bought, and
// everything that happened to it since. The order's workflow is its only
// writer after placement; each change bumps Version and appends to Timeline.
type Order struct {
	ID         string `json:"id" bson:"_id"`
	CustomerID string `json:"customerId" bson:"customerId"`
	// IdempotencyKey is the client's key for placeOrder; the ID derives from
	// it and CustomerID (OrderIDFor), so a double submit finds the first order.
	IdempotencyKey  string      `json:"idempotencyKey,omitempty" bson:"idempotencyKey,omitempty"`
	Lines           []OrderLine `json:"lines" bson:"lines"`
	Subtotal        Money       `json:"subtotal" bson:"subtotal"`
	ShippingCost    Money       `json:"shippingCost" bson:"shippingCost"`
	Total           Money       `json:"total" bson:"total"`
	ShippingAddress Address     `json:"shippingAddress" bson:"shippingAddress"`
	Status          OrderStatus `json:"status" bson:"status"`
	// Version starts at 1 and grows by one with every timeline entry.
	Version  int             `json:"version" bson:"version"`
	Timeline []TimelineEntry `json:"timeline" bson:"timeline"`
	// Payment is the single charge of an order placed before the payment
	// ledger; newer orders record every money movement in Ledger instead.
	Payment *Payment `json:"payment,omitempty" bson:"payment,omitempty"`
	// PaymentMethod is the card the order is paid with.
	PaymentMethod PaymentMethod `json:"paymentMethod" bson:"paymentMethod"`
	// Ledger is every money movement of the order, oldest first: each call
	// to the payment provider, appended by the event that reports it.
	Ledger []PaymentEntry `json:"ledger,omitempty" bson:"ledger,omitempty"`
	// Shipments are written by the shipping workflow, one per shipment.
	Shipments []Shipment `json:"shipments,omitempty" bson:"shipments,omitempty"`
	// Returns are the customer's returns, written by their workflows.
	Returns []Return `json:"returns,omitempty" bson:"returns,omitempty"`
	// ReturnsUntil is when the return window closes; set at delivery.
	ReturnsUntil *time.Time `json:"returnsUntil,omitempty" bson:"returnsUntil,omitempty"`
	// FailureReason says why the order ended FAILED or CANCELLED.
	FailureReason string    `json:"failureReason,omitempty" bson:"failureReason,omitempty"`
	WorkflowID    string    `json:"workflowId" bson:"workflowId"`
	RunID         string    `json:"runId,omitempty" bson:"runId,omitempty"`
	CreatedAt     time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt     time.Time `json:"updatedAt" bson:"updatedAt"`
}

// OrderLine is a product as it was bought: name and price are snapshots taken
// when the order was placed, immune to later catalog changes.
type OrderLine struct {
	ProductID string `json:"productId" bson:"productId"`
	SKU       string `json:"sku" bson:"sku"`
	Name      string `json:"name" bson:"name"`
	UnitPrice Money  `json:"unitPrice" bson:"unitPrice"`
	Quantity  int    `json:"quantity" bson:"quantity"`
	LineTotal Money  `json:"lineTotal" bson:"lineTotal"`
}

// Address is a shipping address.
type Address struct {
	Name       string `json:"name" bson:"name"`
	Line1      string `json:"line1" bson:"line1"`
	Line2      string `json:"line2,omitempty" bson:"line2,omitempty"`
	City       string `json:"city" bson:"city"`
	PostalCode string `json:"postalCode" bson:"postalCode"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country" bson:"country"`
}

// MaxAddressFieldLength bounds each line of an address, in characters.
const MaxAddressFieldLength = 200

// Validate checks that the address can be shipped to: every line is text
// (ValidateText) of at most MaxAddressFieldLength characters, all but line2
// are required, and the country is an assigned ISO 3166-1 alpha-2 code.
func (a Address) Validate(field string) error {
	lines := []struct {
		name, value string
		required    bool
	}{
		{"name", a.Name, true}, {"line1", a.Line1, true}, {"line2", a.Line2, false},
		{"city", a.City, true}, {"postalCode", a.PostalCode, true}, {"country", a.Country, true},
	}
	for _, l := range lines {
		if l.required && strings.TrimSpace(l.value) == "" {
			return FieldErrorf(EINVALID, field+"."+l.name, "%s is required", l.name)
		}
		if err := ValidateText(field+"."+l.name, l.value, 0, MaxAddressFieldLength); err != nil {
			return err
		}
	}
	if !IsCountryCode(a.Country) {
		return FieldErrorf(EINVALID, field+".country", "country must be an ISO 3166-1 alpha-2 code such as US")
	}
	return nil
}

// IsCountryCode reports whether code is an ISO 3166-1 alpha-2 code assigned
// to a country or territory, in upper case ("GB", "US", "DE"). The region
// data is golang.org/x/text/language's (CLDR), not a list kept here. Refused:
// user-assigned codes (AA, QM-QZ, XA-XZ, ZZ, so also XK), codes that are not
// countries (EU, UN, 001), codes reserved outside ISO 3166-1 (AC, IC, TA:
// they have no numeric code) and deprecated aliases of a current code (UK
// for GB, FX for FR). Withdrawn codes that CLDR still carries as themselves
// (YU, SU) pass.
func IsCountryCode(code string) bool {
	if len(code) != 2 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' {
		return false
	}
	r, err := language.ParseRegion(code)
	return err == nil && r.String() == code && r.IsCountry() && !r.IsPrivateUse() &&
		r.M49() != 0 && r.Canonicalize() == r
}

// EntryKind classifies a timeline entry.
type EntryKind string

// Timeline entry kinds.
const (
	// EntryStatus records a status change.
	EntryStatus EntryKind = "STATUS"
	// EntryInfo records something worth showing that changes no status
	// (an address change, a tracking update, an approval request).
	EntryInfo EntryKind = "INFO"
	// EntryFailure records a failed step: a permanent failure, or a
	// transient one that a retry will try to recover.
	EntryFailure EntryKind = "FAILURE"
	// EntryCompensation records an undo step of the saga: stock released,
	// payment refunded.
	EntryCompensation EntryKind = "COMPENSATION"
)

// TimelineEntry is one thing that happened to an order.
type TimelineEntry struct {
	// Version is the order's version after this entry (1, 2, 3, ...).
	Version int `json:"version" bson:"version"`
	// EventID makes the write idempotent: an entry whose EventID is already
	// on the timeline is not appended again.
	EventID string      `json:"eventId" bson:"eventId"`
	Kind    EntryKind   `json:"kind" bson:"kind"`
	Status  OrderStatus `json:"status" bson:"status"`
	Detail  string      `json:"detail" bson:"detail"`
	At      time.Time   `json:"at" bson:"at"`
}

// PaymentStatus says whether money is held or went back.
type PaymentStatus string

// Payment statuses.
const (
	PaymentCharged  PaymentStatus = "CHARGED"
	PaymentRefunded PaymentStatus = "REFUNDED"
)

// Payment is the charge of an order. Its ID is derived from the order ID, and
// the store keeps it unique, so a retried charge returns the first charge.
type Payment struct {
	ID         string        `json:"id" bson:"_id"`
	OrderID    string        `json:"orderId" bson:"orderId"`
	CustomerID string        `json:"customerId" bson:"customerId"`
	Amount     Money         `json:"amount" bson:"amount"`
	Status     PaymentStatus `json:"status" bson:"status"`
	ChargedAt  time.Time     `json:"chargedAt" bson:"chargedAt"`
	RefundedAt *time.Time    `json:"refundedAt,omitempty" bson:"refundedAt,omitempty"`
}

// ShipmentStatus is where a shipment stands.
type ShipmentStatus string

// Shipment statuses, in order.
const (
	// ShipmentPending: the parcel is planned (its location and lines are
	// reserved) and waits for its label.
	ShipmentPending         ShipmentStatus = "PENDING"
	ShipmentLabelCreated    ShipmentStatus = "LABEL_CREATED"
	ShipmentPickupScheduled ShipmentStatus = "PICKUP_SCHEDULED"
	ShipmentDispatched      ShipmentStatus = "DISPATCHED"
	ShipmentInTransit       ShipmentStatus = "IN_TRANSIT"
	ShipmentDelivered       ShipmentStatus = "DELIVERED"
	ShipmentCancelled       ShipmentStatus = "CANCELLED"
	// ShipmentFailed: the parcel could not be sent, for good, before it
	// left; its units went back to its location.
	ShipmentFailed ShipmentStatus = "FAILED"
)

// Dispatched reports whether the parcel has left with the carrier.
func (s ShipmentStatus) Dispatched() bool {
	return s == ShipmentDispatched || s == ShipmentInTransit || s == ShipmentDelivered
}

// Ended reports whether the parcel will never ship: cancelled or failed.
func (s ShipmentStatus) Ended() bool { return s == ShipmentCancelled || s == ShipmentFailed }

// Shipment is one parcel of an order, handled by a ShippingWorkflow.
type Shipment struct {
	ID string `json:"id" bson:"id"`
	// Location is where the parcel ships from, as it was when the order
	// was sourced; nil for orders placed before stock locations.
	Location       *Location      `json:"location,omitempty" bson:"location,omitempty"`
	Carrier        string         `json:"carrier" bson:"carrier"`
	TrackingNumber string         `json:"trackingNumber" bson:"trackingNumber"`
	Status         ShipmentStatus `json:"status" bson:"status"`
	Lines          []OrderLine    `json:"lines" bson:"lines"`
	UpdatedAt      time.Time      `json:"updatedAt" bson:"updatedAt"`
}

// OrderEvent is one change a workflow applies to an order's read model: an
// optional new status, a timeline entry, and optional new payment, ledger,
// shipment, return or address data.
type OrderEvent struct {
	// ID is unique within the order and deterministic in the workflow, so a
	// retried activity applies the event once.
	ID   string
	Kind EntryKind
	// Status is the new status; "" keeps the current one. The move must be
	// allowed by OrderStatus.CanTransitionTo.
	Status  OrderStatus
	Detail  string
	Payment *Payment
	// PaymentEntry is appended to the ledger; it must fit it (checkEntry).
	PaymentEntry *PaymentEntry
	// Shipment replaces the shipment with the same ID, or is added.
	Shipment *Shipment
	// Shipments are more of them (the parcels planned at reservation).
	Shipments []Shipment
	// Return replaces the return with the same ID (a move its status
	// allows), or is added (REQUESTED).
	Return *Return
	// ReturnsUntil sets when the return window closes.
	ReturnsUntil *time.Time
	Address      *Address
	// FailureReason is recorded with a final CANCELLED or FAILED status.
	FailureReason string
	// RunID, if set, records the workflow run that processes the order.
	RunID string
	At    time.Time
}

// OrderFilter selects orders. Zero fields select everything. Stores take
// it through Normalize, and select with Matches and ForEmailCustomer and
// order with Sort.Compare (order_search.go).
type OrderFilter struct {
	CustomerID string
	Statuses   []OrderStatus
	// ReturnStatuses keeps the orders with a return in one of these
	// statuses: the operators' returns queue.
	ReturnStatuses []ReturnStatus
	// UpdatedSince, if set, keeps the orders last updated at or after it.
	UpdatedSince time.Time
	// OrderID, if set, keeps the one order with this ID: a lookup by ID.
	OrderID string
	// CustomerEmail, if set, keeps the orders of the customer with this
	// e-mail address: stores resolve it to a customer ID first.
	CustomerEmail string
	// Sort orders the list; the zero value is newest first.
	Sort OrderSort
	Page PageRequest
}

// OrderService stores orders. Lists are ordered by the filter's Sort,
// newest first unless it says otherwise.
type OrderService interface {
	// CreateOrder stores a new order as NewOrder makes it (RECEIVED, version
	// 1). If an order with its ID exists already (the same customer and
	// idempotency key), it returns that order and created=false.
	CreateOrder(ctx context.Context, o *Order) (order *Order, created bool, err error)
	// FindOrderByID returns ENOTFOUND if there is no such order.
	FindOrderByID(ctx context.Context, id string) (*Order, error)
	FindOrdersByIDs(ctx context.Context, ids []string) ([]*Order, error)
	FindOrders(ctx context.Context, filter OrderFilter) (Page[*Order], error)
	// ApplyOrderEvent applies e (Order.Apply) atomically and returns the
	// order after it. An event already applied is a no-op. A status move that
	// CanTransitionTo forbids returns ECONFLICT.
	ApplyOrderEvent(ctx context.Context, orderID string, e OrderEvent) (*Order, error)
	// SetOrderRun records the workflow run that processes the order.
	SetOrderRun(ctx context.Context, orderID, runID string) error
}

// PaymentService charges and refunds, idempotently.
type PaymentService interface {
	// Charge takes the amount once per payment ID: a second call returns the
	// first payment unchanged.
	Charge(ctx context.Context, p Payment) (*Payment, error)
	// Refund returns the money of a charged payment; refunding a refunded
	// payment returns it unchanged. ENOTFOUND if it was never charged.
	Refund(ctx context.Context, paymentID string) (*Payment, error)
	FindPaymentByID(ctx context.Context, id string) (*Payment, error)
}

// PaymentIDFor derives the one payment ID an order may ever be charged under.
func PaymentIDFor(orderID string) string { return "pay_" + orderID }

// OrderWorkflowIDFor derives the workflow ID that processes an order.
func OrderWorkflowIDFor(orderID string) string { return "order_" + orderID }

// RewardsWorkflowIDFor derives the ID of a customer's rewards workflow, as in
// `temporal workflow signal -w rewards_<customerId> --name close_workflow`.
func RewardsWorkflowIDFor(customerID string) string { return "rewards_" + customerID }
