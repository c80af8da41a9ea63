package bare

import (
	"context"
	"fmt"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"

	"github.com/orderly-shop/orderly"
)

// Activities are no-ops with Orderly's activity names and payload types,
// except AwardPoints, whose signal-with-start is Temporal work.
type Activities struct{}

// Register registers the order and rewards workflows and their activities
// on orders (a worker of TaskQueueOrders), and the shipping workflow and its
// activities on shipping (TaskQueueShipping), as Orderly's worker does.
func Register(orders, shipping worker.Registry) {
	a := &Activities{}
	orders.RegisterWorkflow(OrderWorkflow)
	orders.RegisterWorkflow(RewardsWorkflow)
	for _, fn := range []any{a.ValidateOrder, a.ReserveInventory, a.ReleaseInventory, a.CommitInventory,
		a.AuthorizePayment, a.CapturePayment, a.VoidPayment, a.RecordOrderEvent, a.Notify, a.AwardPoints, a.LoadRewards, a.SaveRewards} {
		orders.RegisterActivity(fn)
	}
	shipping.RegisterWorkflow(ShippingWorkflow)
	for _, fn := range []any{a.CreateLabel, a.SchedulePickup, a.RelabelShipment, a.DispatchShipment,
		a.RecordTracking, a.DeliverShipment, a.CancelShipment, a.RecordOrderEvent} {
		shipping.RegisterActivity(fn)
	}
}

// ValidateOrderInput is the input of ValidateOrder.
type ValidateOrderInput struct {
	Order     OrderInput
	Injection *orderly.FailureInjection
}

// ValidateOrderResult is the result of ValidateOrder.
type ValidateOrderResult struct {
	NeedsApproval   bool
	ApprovalTimeout time.Duration
	ApprovalReason  string
}

// ValidateOrder does nothing; nothing needs approval.
func (a *Activities) ValidateOrder(context.Context, ValidateOrderInput) (ValidateOrderResult, error) {
	return ValidateOrderResult{ApprovalTimeout: 24 * time.Hour}, nil
}

// InventoryInput is the input of the inventory activities.
type InventoryInput struct {
	OrderID   string
	Lines     []orderly.OrderLine
	Injection *orderly.FailureInjection
}

// ReserveInventory does nothing.
func (a *Activities) ReserveInventory(context.Context, InventoryInput) error { return nil }

// ReleaseInventory does nothing.
func (a *Activities) ReleaseInventory(context.Context, InventoryInput) error { return nil }

// CommitInventory does nothing.
func (a *Activities) CommitInventory(context.Context, InventoryInput) error { return nil }

// PaymentInput is the input of the payment activities, with the fields of
// Orderly's authorize and capture inputs.
type PaymentInput struct {
	OrderID    string
	CustomerID string
	PaymentID  string
	ShipmentID string
	Amount     orderly.Money
	Method     orderly.PaymentMethod
	N          int
	Injection  *orderly.FailureInjection
}

// PaymentResult is the result of the payment activities: the ledger entry
// Orderly's would have written.
type PaymentResult struct {
	Entry orderly.PaymentEntry
}

// AuthorizePayment returns the entry of a hold of the amount, expiring when
// Orderly's simulated provider lets a hold expire.
func (a *Activities) AuthorizePayment(_ context.Context, in PaymentInput) (PaymentResult, error) {
	at := time.Now().UTC()
	expires := at.Add(AuthorizationTTL)
	return PaymentResult{Entry: orderly.PaymentEntry{
		ID: fmt.Sprintf("auth:%d", in.N), Kind: orderly.PaymentAuthorization, PaymentID: "pi_" + in.OrderID,
		Amount: in.Amount, At: at, ExpiresAt: &expires,
	}}, nil
}

// CapturePayment returns the entry of a capture of the amount.
func (a *Activities) CapturePayment(_ context.Context, in PaymentInput) (PaymentResult, error) {
	return PaymentResult{Entry: orderly.PaymentEntry{
		ID: "capture:" + in.ShipmentID, Kind: orderly.PaymentCapture, PaymentID: in.PaymentID,
		ShipmentID: in.ShipmentID, Amount: in.Amount, At: time.Now().UTC(),
	}}, nil
}

// VoidPayment does nothing (registered as Orderly's is; the happy path
// never runs it).
func (a *Activities) VoidPayment(context.Context, PaymentInput) (PaymentResult, error) {
	return PaymentResult{}, nil
}

// RecordOrderEventInput is the input of RecordOrderEvent.
type RecordOrderEventInput struct {
	OrderID string
	Event   orderly.OrderEvent
}

// RecordOrderEvent does nothing.
func (a *Activities) RecordOrderEvent(context.Context, RecordOrderEventInput) error { return nil }

// NotifyInput is the input of Notify.
type NotifyInput struct {
	Notification orderly.Notification
}

// Notify does nothing.
func (a *Activities) Notify(context.Context, NotifyInput) error { return nil }

// AwardPointsInput is the input of AwardPoints.
type AwardPointsInput struct {
	CustomerID string
	OrderID    string
	Points     int
}

// AddPointsSignal is the payload of add_points.
type AddPointsSignal struct {
	OrderID string
	Points  int
}

// AwardPoints signals-with-start the customer's RewardsWorkflow, as
// Orderly's does.
func (a *Activities) AwardPoints(ctx context.Context, in AwardPointsInput) error {
	_, err := activity.GetClient(ctx).SignalWithStartWorkflow(ctx, orderly.RewardsWorkflowIDFor(in.CustomerID), signalAddPoints,
		AddPointsSignal{OrderID: in.OrderID, Points: in.Points},
		client.StartWorkflowOptions{
			ID:                    orderly.RewardsWorkflowIDFor(in.CustomerID),
			TaskQueue:             TaskQueueOrders,
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE,
			StaticSummary:         "Rewards of " + in.CustomerID,
		}, RewardsWorkflow, RewardsInput{CustomerID: in.CustomerID})
	if err != nil {
		return fmt.Errorf("signal-with-start rewards: %w", err)
	}
	return nil
}

// LoadRewardsInput is the input of LoadRewards.
type LoadRewardsInput struct {
	CustomerID string
}

// LoadRewards returns a new account.
func (a *Activities) LoadRewards(_ context.Context, in LoadRewardsInput) (orderly.RewardsAccount, error) {
	return orderly.RewardsAccount{CustomerID: in.CustomerID, Tier: orderly.TierBasic}, nil
}

// SaveRewardsInput is the input of SaveRewards.
type SaveRewardsInput struct {
	Account orderly.RewardsAccount
}

// SaveRewards does nothing.
func (a *Activities) SaveRewards(context.Context, SaveRewardsInput) error { return nil }

// ShipmentStepInput is the input of the shipping activities.
type ShipmentStepInput struct {
	OrderID    string
	CustomerID string
	Shipment   orderly.Shipment
	Address    orderly.Address
	Injection  *orderly.FailureInjection `json:",omitempty"`
}

// CreateLabel returns the shipment with a carrier and a tracking number.
func (a *Activities) CreateLabel(_ context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	sh := in.Shipment
	sh.Carrier, sh.TrackingNumber = "Parcel Express", "PX"+in.Shipment.ID
	return step(sh, orderly.ShipmentLabelCreated), nil
}

// RelabelShipment returns the shipment as it is.
func (a *Activities) RelabelShipment(_ context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	return in.Shipment, nil
}

// SchedulePickup returns the shipment with its pickup scheduled.
func (a *Activities) SchedulePickup(_ context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	return step(in.Shipment, orderly.ShipmentPickupScheduled), nil
}

// DispatchShipment returns the shipment dispatched.
func (a *Activities) DispatchShipment(_ context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	return step(in.Shipment, orderly.ShipmentDispatched), nil
}

// TrackingInput is the input of RecordTracking.
type TrackingInput struct {
	OrderID    string
	Shipment   orderly.Shipment
	Update, Of int
}

// RecordTracking returns the shipment in transit.
func (a *Activities) RecordTracking(_ context.Context, in TrackingInput) (orderly.Shipment, error) {
	return step(in.Shipment, orderly.ShipmentInTransit), nil
}

// DeliverShipment returns the shipment delivered.
func (a *Activities) DeliverShipment(_ context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
	return step(in.Shipment, orderly.ShipmentDelivered), nil
}

// CancelShipmentInput is the input of CancelShipment.
type CancelShipmentInput struct {
	ShipmentStepInput
	Detail string
}

// CancelShipment returns the shipment cancelled.
func (a *Activities) CancelShipment(_ context.Context, in CancelShipmentInput) (orderly.Shipment, error) {
	return step(in.Shipment, orderly.ShipmentCancelled), nil
}

func step(sh orderly.Shipment, st orderly.ShipmentStatus) orderly.Shipment {
	sh.Status = st
	sh.UpdatedAt = time.Now().UTC()
	return sh
}
