package workflows

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.temporal.io/sdk/activity"

	"github.com/orderly-shop/orderly"
)

// ValidateOrderInput is the input of ValidateOrder.
type ValidateOrderInput struct {
	Order     OrderInput
	Injection *orderly.FailureInjection
}

// ValidateOrderResult is what the workflow needs from the settings, read by
// the activity so that replay sees the values this run saw.
type ValidateOrderResult struct {
	NeedsApproval   bool
	ApprovalTimeout time.Duration
	// ApprovalReason explains why the order waits for an operator.
	ApprovalReason string
}

// ValidateOrder checks the order snapshot (lines, totals, address), links the
// order to this workflow run, decides from the operator settings whether the
// order needs approval, and moves it RECEIVED -> VALIDATED.
func (a *Activities) ValidateOrder(ctx context.Context, in ValidateOrderInput) (ValidateOrderResult, error) {
	o := in.Order
	if err := a.simulate(ctx, o.OrderID, orderly.StepValidation, in.Injection); err != nil {
		return ValidateOrderResult{}, err
	}
	if err := o.Validate(); err != nil {
		return ValidateOrderResult{}, serviceError("validate order", err)
	}
	settings, err := a.Settings.FindSettings(ctx)
	if err != nil {
		return ValidateOrderResult{}, serviceError("find settings", err)
	}
	res := ValidateOrderResult{
		NeedsApproval:   settings.NeedsApproval(o.Total),
		ApprovalTimeout: settings.ApprovalTimeout,
	}
	if res.ApprovalTimeout <= 0 {
		res.ApprovalTimeout = orderly.DefaultSettings().ApprovalTimeout
	}
	if res.NeedsApproval {
		if settings.ApprovalMode == orderly.ApprovalAlways {
			res.ApprovalReason = "every order is reviewed by an operator"
		} else {
			res.ApprovalReason = fmt.Sprintf("the total %s is over the review threshold of %s", o.Total, settings.ApprovalThreshold)
		}
	}
	// The VALIDATED entry also links the read model to this run, even if
	// the API died right after starting the workflow.
	_, err = a.apply(ctx, o.OrderID, orderly.OrderEvent{
		ID: statusEventID(orderly.StatusValidated), Kind: orderly.EntryStatus, Status: orderly.StatusValidated,
		Detail: fmt.Sprintf("Order validated: %d line(s), total %s", len(o.Lines), o.Total),
		RunID:  activity.GetInfo(ctx).WorkflowExecution.RunID,
	})
	return res, err
}

// InventoryInput is the input of the inventory activities.
type InventoryInput struct {
	OrderID   string
	Lines     []orderly.OrderLine
	Injection *orderly.FailureInjection
	// ShipTo is the shipping country the sourcing rule prefers.
	ShipTo string `json:",omitempty"`
	// PlanShipments records the parcels with the reservation, PENDING,
	// one per location (orders started before split shipments ship as one
	// parcel and leave it unset).
	PlanShipments bool `json:",omitempty"`
	// LocationID narrows a commit to one parcel's location; "" is every
	// location the order holds units at.
	LocationID string `json:",omitempty"`
}

// ReserveInventoryResult is the order's parcels: where each unit ships from.
type ReserveInventoryResult struct {
	Parcels []orderly.Allocation
}

// ReserveInventory sources the order's lines (the sourcing rule over the
// locations' stock), holds every parcel's units at its location, all or
// none, and moves the order to INVENTORY_RESERVED, with the parcels planned
// when asked. Not enough stock is OutOfStock, which no retry can fix. A
// retry sources the same plan: the units the order holds count as its own.
func (a *Activities) ReserveInventory(ctx context.Context, in InventoryInput) (ReserveInventoryResult, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepInventory, in.Injection); err != nil {
		return ReserveInventoryResult{}, err
	}
	parcels, err := a.source(ctx, in)
	if err != nil {
		return ReserveInventoryResult{}, serviceError("source stock", err)
	}
	if err := a.Inventory.ReserveStock(ctx, in.OrderID, parcels); err != nil {
		return ReserveInventoryResult{}, serviceError("reserve stock", err)
	}
	e := orderly.OrderEvent{
		ID: statusEventID(orderly.StatusInventoryReserved), Kind: orderly.EntryStatus, Status: orderly.StatusInventoryReserved,
		Detail: fmt.Sprintf("Stock reserved: %d unit(s)", units(in.Lines)),
	}
	if in.PlanShipments {
		e.Shipments = plannedShipments(in.OrderID, parcels)
		e.Detail = fmt.Sprintf("Stock reserved: %d unit(s) at %s, %s", units(in.Lines), locationNames(parcels), parcelCount(len(parcels)))
	}
	if _, err := a.apply(ctx, in.OrderID, e); err != nil {
		return ReserveInventoryResult{}, err
	}
	return ReserveInventoryResult{Parcels: parcels}, nil
}

// source decides where the order's units ship from.
func (a *Activities) source(ctx context.Context, in InventoryInput) ([]orderly.Allocation, error) {
	var ids []string
	for _, l := range in.Lines {
		ids = append(ids, l.ProductID)
	}
	av, err := a.Inventory.Availability(ctx, in.OrderID, ids)
	if err != nil {
		return nil, err
	}
	parcels, err := orderly.SourcingOrDefault(a.Sourcing).Source(in.Lines, in.ShipTo, av)
	if err != nil {
		return nil, err
	}
	if err := orderly.CheckAllocations(in.Lines, parcels); err != nil {
		return nil, fmt.Errorf("the sourcing rule's parcels: %w", err)
	}
	return parcels, nil
}

// plannedShipments are the order's parcels as PENDING shipments, numbered
// in the plan's order (ShipmentIDFor).
func plannedShipments(orderID string, parcels []orderly.Allocation) []orderly.Shipment {
	out := make([]orderly.Shipment, len(parcels))
	for i, p := range parcels {
		loc := p.Location
		out[i] = orderly.Shipment{ID: ShipmentIDFor(orderID, i+1), Location: &loc, Status: orderly.ShipmentPending, Lines: p.Lines}
	}
	return out
}

func locationNames(parcels []orderly.Allocation) string {
	names := make([]string, len(parcels))
	for i, p := range parcels {
		names[i] = cmp.Or(p.Location.Name, p.Location.ID)
	}
	return strings.Join(names, " and ")
}

func parcelCount(n int) string {
	if n == 1 {
		return "shipping as one parcel"
	}
	return fmt.Sprintf("shipping in %d parcels", n)
}

// EndShipmentInput is the input of EndShipment.
type EndShipmentInput struct {
	OrderID  string
	Shipment orderly.Shipment
	// Status is FAILED or CANCELLED.
	Status orderly.ShipmentStatus
	Detail string
}

// EndShipment ends a parcel that will never ship (it failed for good, or
// was cancelled) while its siblings go on: its units go back to its
// location, and the shipment is recorded in its end status, in one event.
func (a *Activities) EndShipment(ctx context.Context, in EndShipmentInput) (orderly.Shipment, error) {
	loc := ""
	if in.Shipment.Location != nil {
		loc = in.Shipment.Location.ID
	}
	if loc == "" {
		return orderly.Shipment{}, permanentError(ErrTypeInvalidOrder, "a parcel needs its location to end on its own", nil)
	}
	if err := a.Inventory.ReleaseStock(ctx, in.OrderID, loc, in.Shipment.Lines); err != nil {
		return orderly.Shipment{}, fmt.Errorf("release stock: %w", err)
	}
	sh := in.Shipment
	if o, err := a.Orders.FindOrderByID(ctx, in.OrderID); err == nil {
		if i := slices.IndexFunc(o.Shipments, func(x orderly.Shipment) bool { return x.ID == sh.ID }); i >= 0 {
			sh = o.Shipments[i] // the carrier and label as recorded
		}
	} else {
		return orderly.Shipment{}, fmt.Errorf("read order: %w", err)
	}
	sh.Status = in.Status
	sh.UpdatedAt = time.Now().UTC()
	_, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{
		ID: "compensation:release-stock:" + sh.ID, Kind: orderly.EntryCompensation, Shipment: &sh,
		Detail: fmt.Sprintf("%s; its %d unit(s) back in stock at %s", in.Detail, units(sh.Lines), cmp.Or(in.Shipment.Location.Name, loc)),
	})
	return sh, err
}

// ReleaseInventory is the compensation of ReserveInventory: it gives the
// order's reserved units back (a no-op if none are reserved) and records it.
func (a *Activities) ReleaseInventory(ctx context.Context, in InventoryInput) error {
	if err := a.Inventory.ReleaseStock(ctx, in.OrderID, "", in.Lines); err != nil {
		return fmt.Errorf("release stock: %w", err)
	}
	_, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{
		ID: orderly.ReleaseStockEventID, Kind: orderly.EntryCompensation,
		Detail: "Reserved stock released",
	})
	return err
}

// CommitInventory marks the reservation consumed once the goods have left
// (a parcel's at its location, or all of it), so that nothing can release
// it any more.
func (a *Activities) CommitInventory(ctx context.Context, in InventoryInput) error {
	if err := a.Inventory.CommitStock(ctx, in.OrderID, in.LocationID, in.Lines); err != nil {
		return fmt.Errorf("commit stock: %w", err)
	}
	return nil
}

// ChargePaymentInput is the input of ChargePayment.
type ChargePaymentInput struct {
	OrderID    string
	CustomerID string
	Amount     orderly.Money
	Injection  *orderly.FailureInjection
}

// ChargePaymentResult is the result of ChargePayment.
type ChargePaymentResult struct {
	PaymentID string
}

// ChargePayment charges the order's total under the order's one payment ID,
// so a retried attempt returns the first charge instead of charging twice,
// and moves the order to PAID.
func (a *Activities) ChargePayment(ctx context.Context, in ChargePaymentInput) (ChargePaymentResult, error) {
	if err := a.simulate(ctx, in.OrderID, orderly.StepPayment, in.Injection); err != nil {
		return ChargePaymentResult{}, err
	}
	p, err := a.Payments.Charge(ctx, orderly.Payment{
		ID: orderly.PaymentIDFor(in.OrderID), OrderID: in.OrderID, CustomerID: in.CustomerID,
		Amount: in.Amount, Status: orderly.PaymentCharged, ChargedAt: time.Now().UTC(),
	})
	if err != nil {
		if c := orderly.ErrorCode(err); c == orderly.EINVALID || c == orderly.ECONFLICT {
			return ChargePaymentResult{}, permanentError(ErrTypePaymentDeclined, "payment declined: "+orderly.ErrorMessage(err), err)
		}
		return ChargePaymentResult{}, serviceError("charge", err)
	}
	_, err = a.apply(ctx, in.OrderID, orderly.OrderEvent{
		ID: statusEventID(orderly.StatusPaid), Kind: orderly.EntryStatus, Status: orderly.StatusPaid,
		Detail: fmt.Sprintf("Payment %s charged: %s", p.ID, p.Amount), Payment: p,
	})
	return ChargePaymentResult{PaymentID: p.ID}, err
}

// RefundPaymentInput is the input of RefundPayment.
type RefundPaymentInput struct {
	OrderID string
}

// RefundPaymentResult is the result of RefundPayment.
type RefundPaymentResult struct {
	// Refunded is false when no charge existed, so there was nothing to refund.
	Refunded bool
}

// RefundPayment is the compensation of ChargePayment: it returns the money
// (idempotently) and moves the order to REFUNDED. A charge that never landed
// (its attempt timed out before reaching the store) leaves nothing to refund.
func (a *Activities) RefundPayment(ctx context.Context, in RefundPaymentInput) (RefundPaymentResult, error) {
	p, err := a.Payments.Refund(ctx, orderly.PaymentIDFor(in.OrderID))
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return RefundPaymentResult{Refunded: false}, nil
	} else if err != nil {
		return RefundPaymentResult{}, fmt.Errorf("refund: %w", err)
	}
	e := orderly.OrderEvent{
		ID: orderly.RefundEventID, Kind: orderly.EntryCompensation, Status: orderly.StatusRefunded,
		Detail: fmt.Sprintf("Payment %s refunded: %s", p.ID, p.Amount), Payment: p,
	}
	_, err = a.Orders.ApplyOrderEvent(ctx, in.OrderID, stamp(e))
	if orderly.ErrorCode(err) == orderly.ECONFLICT {
		// The charge landed but its PAID status never did (the attempt died
		// in between), so REFUNDED is not a legal move: record the refund
		// without a status rather than lose it.
		e.Status = ""
		_, err = a.Orders.ApplyOrderEvent(ctx, in.OrderID, stamp(e))
	}
	if err != nil {
		return RefundPaymentResult{}, fmt.Errorf("record refund: %w", err)
	}
	return RefundPaymentResult{Refunded: true}, nil
}

// NotifyInput is the input of Notify.
type NotifyInput struct {
	Notification orderly.Notification
}

// Notify stores a notification for the customer once (its ID is
// deterministic, so a retry changes nothing).
func (a *Activities) Notify(ctx context.Context, in NotifyInput) error {
	n := in.Notification
	if n.CreatedAt.IsZero() {
		n.CreatedAt = time.Now().UTC()
	}
	if err := a.Notifications.Notify(ctx, n); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// AwardPointsInput is the input of AwardPoints.
type AwardPointsInput struct {
	CustomerID string
	OrderID    string
	Points     int
	// Rewards configures a RewardsWorkflow that this call has to start.
	Rewards RewardsInput
}

// AwardPoints signals-with-start the customer's RewardsWorkflow with the
// order's points: it starts a run if none is open (the first order, or after
// close_workflow), and the workflow credits each order ID once, so a retry is
// harmless. A workflow cannot signal-with-start by itself, hence an activity.
func (a *Activities) AwardPoints(ctx context.Context, in AwardPointsInput) error {
	c := a.Temporal
	if c == nil {
		c = activity.GetClient(ctx)
	}
	in.Rewards.CustomerID = in.CustomerID
	_, err := c.SignalWithStartWorkflow(ctx, orderly.RewardsWorkflowIDFor(in.CustomerID), SignalAddPoints,
		AddPointsSignal{OrderID: in.OrderID, Points: in.Points},
		rewardsStartOptions(in.CustomerID), RewardsWorkflow, in.Rewards)
	if err != nil {
		return fmt.Errorf("signal-with-start rewards: %w", err)
	}
	return nil
}

// stamp sets an event's time if the caller did not.
func stamp(e orderly.OrderEvent) orderly.OrderEvent {
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	return e
}

// statusEventID is the event ID of an order's move to a status. Each status
// is entered at most once per order, so the status names the event.
func statusEventID(s orderly.OrderStatus) string { return "status:" + string(s) }

func units(lines []orderly.OrderLine) int {
	n := 0
	for _, l := range lines {
		n += l.Quantity
	}
	return n
}
