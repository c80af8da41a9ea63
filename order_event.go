package orderly

import (
	"slices"
	"time"
)

// Limits on order events.
const (
	MaxEventIDLength     = 200
	MaxEventDetailLength = 2000
)

// Validate checks an event on its own: ID, kind, status, detail and address.
// Whether it fits the order it is applied to is Order.Apply's question.
func (e OrderEvent) Validate() error {
	switch {
	case e.ID == "":
		return FieldErrorf(EINVALID, "eventId", "event ID is required")
	case len(e.ID) > MaxEventIDLength:
		return FieldErrorf(EINVALID, "eventId", "event ID must be at most %d characters", MaxEventIDLength)
	case len(e.Detail) > MaxEventDetailLength:
		return FieldErrorf(EINVALID, "detail", "detail must be at most %d characters", MaxEventDetailLength)
	case e.Status != "" && !e.Status.Valid():
		return FieldErrorf(EINVALID, "status", "unknown status %q", e.Status)
	}
	switch e.Kind {
	case "", EntryStatus, EntryInfo, EntryFailure, EntryCompensation:
	default:
		return FieldErrorf(EINVALID, "kind", "unknown entry kind %q", e.Kind)
	}
	if e.Address != nil {
		if err := e.Address.Validate("address"); err != nil {
			return err
		}
	}
	return nil
}

// HasEvent reports whether the event with this ID is on the timeline already.
func (o *Order) HasEvent(id string) bool {
	return slices.ContainsFunc(o.Timeline, func(te TimelineEntry) bool { return te.EventID == id })
}

// Apply returns the order after e, written at t: the status moved (if
// CanTransitionTo allows it, ECONFLICT otherwise), the version one higher,
// the timeline entry appended, the ledger entry appended (if it fits the
// ledger), and the payment, shipments, return, address and failure reason
// changed. While the parcels are on their way, the status follows them
// (FulfillmentStatus). An order may end CANCELLED or FAILED only once it holds none of
// the customer's money: every hold voided, every capture refunded
// (ECONFLICT otherwise). o itself is not modified.
//
// An event whose ID is on the timeline already changes nothing: Apply
// returns o and applied=false, which is what makes every writer's retry safe.
// Every store and every test fake applies events through this one function,
// so they cannot disagree on what an order becomes.
func (o *Order) Apply(e OrderEvent, t time.Time) (next *Order, applied bool, err error) {
	if err := e.Validate(); err != nil {
		return nil, false, err
	}
	if o.HasEvent(e.ID) {
		return o, false, nil
	}
	n := *o
	if e.Shipment != nil {
		n.Shipments = withShipment(n.Shipments, *e.Shipment, t)
	}
	for _, sh := range e.Shipments {
		n.Shipments = withShipment(n.Shipments, sh, t)
	}
	status, err := nextStatus(o, &n, e)
	if err != nil {
		return nil, false, err
	}
	if status != "" {
		if !o.Status.CanTransitionTo(status) {
			return nil, false, Errorf(ECONFLICT, "order %s cannot move from %s to %s", o.ID, o.Status, status)
		}
		n.Status = status
	}
	kind := e.Kind
	if kind == "" {
		kind = EntryInfo
		if status != "" {
			kind = EntryStatus
		}
	}
	at := e.At.UTC().Truncate(time.Millisecond)
	if e.At.IsZero() {
		at = t
	}
	n.Version = o.Version + 1
	n.UpdatedAt = t
	n.Timeline = append(slices.Clip(o.Timeline), TimelineEntry{
		Version: n.Version, EventID: e.ID, Kind: kind, Status: n.Status, Detail: e.Detail, At: at,
	})
	if e.Payment != nil {
		p := *e.Payment
		n.Payment = &p
	}
	if e.PaymentEntry != nil {
		if err := checkEntry(o.Total.Currency, o.Ledger, *e.PaymentEntry); err != nil {
			return nil, false, err
		}
		n.Ledger = append(slices.Clip(o.Ledger), *e.PaymentEntry)
	}
	if e.Return != nil {
		returns, err := withReturn(o.Returns, *e.Return, t)
		if err != nil {
			return nil, false, err
		}
		n.Returns = returns
	}
	if e.ReturnsUntil != nil {
		until := e.ReturnsUntil.UTC().Truncate(time.Millisecond)
		n.ReturnsUntil = &until
	}
	if e.Address != nil {
		n.ShippingAddress = *e.Address
	}
	if e.FailureReason != "" {
		n.FailureReason = e.FailureReason
	}
	if e.RunID != "" {
		n.RunID = e.RunID
	}
	if e.Status == StatusCancelled || e.Status == StatusFailed {
		if held := n.MoneyHeld(); held.Amount > 0 {
			return nil, false, Errorf(ECONFLICT, "order %s cannot end %s while it holds %s of the customer's money", o.ID, e.Status, held)
		}
		n.Shipments = cancelPending(n.Shipments, t)
	}
	return &n, true, nil
}

// cancelPending ends the parcels that were planned but never started: an
// order that ends CANCELLED or FAILED ships nothing more, so a parcel left
// PENDING (its shipping child never ran) is CANCELLED with it.
func cancelPending(shipments []Shipment, t time.Time) []Shipment {
	if !slices.ContainsFunc(shipments, func(sh Shipment) bool { return sh.Status == ShipmentPending }) {
		return shipments
	}
	out := slices.Clone(shipments)
	for i := range out {
		if out[i].Status == ShipmentPending {
			out[i].Status, out[i].UpdatedAt = ShipmentCancelled, t
		}
	}
	return out
}

// MoneyHeld is what the order holds of the customer's money: what is still
// authorized or captured and not refunded on the ledger, and a charge of
// the single-payment era that was not refunded.
func (o *Order) MoneyHeld() Money {
	s := o.PaymentSummary()
	held := s.Authorized.Add(s.Balance)
	if p := o.Payment; p != nil && p.Status == PaymentCharged {
		held = held.Add(p.Amount)
	}
	return held
}

// nextStatus is the status e moves the order to, "" for none. In
// fulfillment a change of the parcels moves the order where they say
// (FulfillmentStatus): a parcel's writer need not know of its siblings,
// and an explicit status must agree with them.
func nextStatus(o, n *Order, e OrderEvent) (OrderStatus, error) {
	touched := e.Shipment != nil || len(e.Shipments) > 0
	if !touched || !o.Status.InFulfillment() || e.Status != "" && !e.Status.InFulfillment() {
		return e.Status, nil
	}
	derived := FulfillmentStatus(n.Shipments)
	if e.Status != "" && e.Status != derived {
		return "", Errorf(ECONFLICT, "order %s: its shipments make it %s, not %s", o.ID, derived, e.Status)
	}
	if derived == o.Status {
		return "", nil
	}
	return derived, nil
}

// withShipment returns a copy of the shipments with sh replacing the one of
// the same ID, or appended.
func withShipment(shipments []Shipment, sh Shipment, t time.Time) []Shipment {
	if sh.UpdatedAt.IsZero() {
		sh.UpdatedAt = t
	}
	out := slices.Clone(shipments)
	if i := slices.IndexFunc(out, func(x Shipment) bool { return x.ID == sh.ID }); i >= 0 {
		out[i] = sh
		return out
	}
	return append(out, sh)
}
