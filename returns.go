package orderly

import (
	"fmt"
	"slices"
	"time"
)

// ReturnStatus is where a return stands.
type ReturnStatus string

// Return statuses, in lifecycle order.
const (
	// ReturnRequested: the customer asked; an operator decides.
	ReturnRequested ReturnStatus = "REQUESTED"
	// ReturnApproved: accepted, with a return label; the customer may still
	// cancel until the parcel is sent.
	ReturnApproved ReturnStatus = "APPROVED"
	// ReturnInTransit: the carrier has the parcel.
	ReturnInTransit ReturnStatus = "IN_TRANSIT"
	// ReturnReceived: the parcel arrived and its units are back in stock.
	ReturnReceived ReturnStatus = "RECEIVED"
	// ReturnRefunded: the returned lines were refunded. Final.
	ReturnRefunded ReturnStatus = "REFUNDED"
	// ReturnRejected: an operator said no. Final.
	ReturnRejected ReturnStatus = "REJECTED"
	// ReturnCancelled: the customer called it off before sending. Final.
	ReturnCancelled ReturnStatus = "CANCELLED"
)

// AllReturnStatuses lists every return status, in lifecycle order.
var AllReturnStatuses = []ReturnStatus{
	ReturnRequested, ReturnApproved, ReturnInTransit, ReturnReceived, ReturnRefunded, ReturnRejected, ReturnCancelled,
}

// returnTransitions lists, for each return status, where a return may go.
// A parcel that arrives before the carrier's pickup scan (dropped off at the
// warehouse) goes from APPROVED straight to RECEIVED.
var returnTransitions = map[ReturnStatus][]ReturnStatus{
	ReturnRequested: {ReturnApproved, ReturnRejected, ReturnCancelled},
	ReturnApproved:  {ReturnInTransit, ReturnReceived, ReturnCancelled},
	ReturnInTransit: {ReturnReceived},
	ReturnReceived:  {ReturnRefunded},
}

// Valid reports whether s is a known return status.
func (s ReturnStatus) Valid() bool { return slices.Contains(AllReturnStatuses, s) }

// CanTransitionTo reports whether a return may move from s to next.
func (s ReturnStatus) CanTransitionTo(next ReturnStatus) bool {
	return slices.Contains(returnTransitions[s], next)
}

// IsFinal reports whether the return is over.
func (s ReturnStatus) IsFinal() bool {
	return s == ReturnRefunded || s == ReturnRejected || s == ReturnCancelled
}

// Counts reports whether the return's units count against what may still be
// returned: every return but a rejected or cancelled one.
func (s ReturnStatus) Counts() bool { return s != ReturnRejected && s != ReturnCancelled }

// CanCancel reports whether the customer may still call the return off:
// until the parcel is sent.
func (s ReturnStatus) CanCancel() bool { return s == ReturnRequested || s == ReturnApproved }

// Return is a customer's return of delivered units, handled by a
// ReturnWorkflow and kept on the order.
type Return struct {
	ID string `json:"id" bson:"id"`
	// Lines are the units returned, priced as they were bought.
	Lines  []OrderLine  `json:"lines" bson:"lines"`
	Reason string       `json:"reason" bson:"reason"`
	Status ReturnStatus `json:"status" bson:"status"`
	// Carrier and TrackingNumber are the return label's, once approved.
	Carrier        string `json:"carrier,omitempty" bson:"carrier,omitempty"`
	TrackingNumber string `json:"trackingNumber,omitempty" bson:"trackingNumber,omitempty"`
	// Note is the operator's reason for a rejection.
	Note string `json:"note,omitempty" bson:"note,omitempty"`
	// Refund is what was paid back, once REFUNDED.
	Refund      *Money    `json:"refund,omitempty" bson:"refund,omitempty"`
	RequestedAt time.Time `json:"requestedAt" bson:"requestedAt"`
	UpdatedAt   time.Time `json:"updatedAt" bson:"updatedAt"`
}

// Quantities lists the return's units per product.
func (r Return) Quantities() []LineQuantity {
	out := make([]LineQuantity, len(r.Lines))
	for i, l := range r.Lines {
		out[i] = LineQuantity{ProductID: l.ProductID, Quantity: l.Quantity}
	}
	return out
}

// Worth is the return's lines at the prices paid.
func (r Return) Worth() Money {
	sum := Money{Amount: 0, Currency: currencyOf(r.Lines)}
	for _, l := range r.Lines {
		sum = sum.Add(l.LineTotal)
	}
	return sum
}

// ReturnIDFor derives the ID of an order's n-th return (n from 1).
func ReturnIDFor(orderID string, n int) string {
	return fmt.Sprintf("%s_%s_%d", PrefixReturn, orderID, n)
}

// ReturnWorkflowIDFor derives the workflow ID of a return's ReturnWorkflow.
func ReturnWorkflowIDFor(returnID string) string { return "return_" + returnID }

// DefaultReturnWindow is how long after delivery a customer may ask to
// return, unless configured otherwise.
const DefaultReturnWindow = 30 * 24 * time.Hour

// Returnable returns, per product, the units that may still be returned:
// those delivered, less those in returns that count (not rejected or
// cancelled).
func Returnable(delivered []OrderLine, returns []Return) map[string]int {
	out := map[string]int{}
	for _, l := range delivered {
		out[l.ProductID] += l.Quantity
	}
	for _, r := range returns {
		if !r.Status.Counts() {
			continue
		}
		for _, l := range r.Lines {
			out[l.ProductID] -= l.Quantity
		}
	}
	return out
}

// ReturnRequest is a customer's request to return units of an order.
type ReturnRequest struct {
	OrderID string
	Lines   []LineQuantity
	Reason  string
}

// NewReturn checks a return request against what was delivered and returned
// already and against the return window, and returns the return it makes
// (REQUESTED, lines priced as bought). deadline is when the window closes;
// nil while nothing has been delivered. The errors name the rule broken:
// ENOTDELIVERED, ERETURNCLOSED, ERETURNQUANTITY, or EINVALID for a
// malformed request.
func NewReturn(id string, req ReturnRequest, lines, delivered []OrderLine, returns []Return, deadline *time.Time, now time.Time) (Return, error) {
	switch {
	case len(delivered) == 0 || deadline == nil:
		return Return{}, Errorf(ENOTDELIVERED, "the order has not been delivered yet, so nothing can be returned")
	case now.After(*deadline):
		return Return{}, Errorf(ERETURNCLOSED, "returns for this order closed on %s", deadline.UTC().Format("Jan 2, 15:04 MST"))
	case len(req.Lines) == 0:
		return Return{}, FieldErrorf(EINVALID, "input.lines", "choose at least one line to return")
	case len([]rune(req.Reason)) > MaxReasonLength:
		return Return{}, FieldErrorf(EINVALID, "input.reason", "reason must be at most %d characters", MaxReasonLength)
	}
	left := Returnable(delivered, returns)
	r := Return{ID: id, Reason: req.Reason, Status: ReturnRequested, RequestedAt: now, UpdatedAt: now}
	for i, w := range req.Lines {
		field := fmt.Sprintf("input.lines.%d", i)
		l, ok := lineOf(lines, w.ProductID)
		switch {
		case !ok:
			return Return{}, FieldErrorf(EINVALID, field+".productId", "product %q is not in the order", w.ProductID)
		case slices.ContainsFunc(r.Lines, func(x OrderLine) bool { return x.ProductID == w.ProductID }):
			return Return{}, FieldErrorf(EINVALID, field+".productId", "%s is listed twice", l.Name)
		case w.Quantity < 1:
			return Return{}, FieldErrorf(EINVALID, field+".quantity", "quantity must be at least 1")
		}
		if _, shipped := lineOf(delivered, w.ProductID); !shipped {
			return Return{}, FieldErrorf(ENOTDELIVERED, field+".productId", "%s has not been delivered yet", l.Name)
		}
		if w.Quantity > left[w.ProductID] {
			return Return{}, FieldErrorf(ERETURNQUANTITY, field+".quantity",
				"only %d of %s can still be returned", max(0, left[w.ProductID]), l.Name)
		}
		l.Quantity, l.LineTotal = w.Quantity, l.UnitPrice.Times(w.Quantity)
		r.Lines = append(r.Lines, l)
	}
	return r, nil
}

// ReturnRefund is what a received return pays back: its lines at the prices
// paid, less any units of those lines refunded already (by an operator's
// refund of lines or another return), never more than is left to refund.
// It returns the amount and the units it pays for.
func ReturnRefund(r Return, lines []OrderLine, ledger []PaymentEntry) (Money, []LineQuantity) {
	currency := currencyOf(lines)
	refunded := RefundedQuantities(ledger)
	amount := Money{Amount: 0, Currency: currency}
	var paid []LineQuantity
	for _, rl := range r.Lines {
		bought := 0
		if l, ok := lineOf(lines, rl.ProductID); ok {
			bought = l.Quantity
		}
		if units := min(rl.Quantity, max(0, bought-refunded[rl.ProductID])); units > 0 {
			amount = amount.Add(rl.UnitPrice.Times(units))
			paid = append(paid, LineQuantity{ProductID: rl.ProductID, Quantity: units})
		}
	}
	amount.Amount = min(amount.Amount, SummarizePayments(currency, ledger).Refundable().Amount)
	return amount, paid
}

// withReturn returns a copy of the returns with r replacing the one of the
// same ID, or appended, after checking the move: a new return must be
// REQUESTED, and a known one may only move as CanTransitionTo allows (the
// same status again is a refresh, such as a label added).
func withReturn(returns []Return, r Return, t time.Time) ([]Return, error) {
	if !r.Status.Valid() {
		return nil, FieldErrorf(EINVALID, "return.status", "unknown return status %q", r.Status)
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = t
	}
	out := slices.Clone(returns)
	i := slices.IndexFunc(out, func(x Return) bool { return x.ID == r.ID })
	if i < 0 {
		if r.Status != ReturnRequested || r.ID == "" || len(r.Lines) == 0 {
			return nil, Errorf(ECONFLICT, "a new return %q must be REQUESTED with lines", r.ID)
		}
		return append(out, r), nil
	}
	if prev := out[i].Status; prev != r.Status && !prev.CanTransitionTo(r.Status) {
		return nil, Errorf(ECONFLICT, "return %s cannot move from %s to %s", r.ID, prev, r.Status)
	}
	out[i] = r
	return out, nil
}

// DeliveredLines lists the units of the order's delivered shipments.
func (o *Order) DeliveredLines() []OrderLine {
	var out []OrderLine
	for _, sh := range o.Shipments {
		if sh.Status == ShipmentDelivered {
			out = append(out, sh.Lines...)
		}
	}
	return out
}

// Return returns the order's return with that ID.
func (o *Order) Return(id string) (Return, bool) {
	i := slices.IndexFunc(o.Returns, func(r Return) bool { return r.ID == id })
	if i < 0 {
		return Return{}, false
	}
	return o.Returns[i], true
}

// ReturnableLines lists, in the order's line order, the units that may
// still be returned at now: none before delivery or after the window.
func (o *Order) ReturnableLines(now time.Time) []LineQuantity {
	out := []LineQuantity{}
	if o.ReturnsUntil == nil || now.After(*o.ReturnsUntil) {
		return out
	}
	left := Returnable(o.DeliveredLines(), o.Returns)
	for _, l := range o.Lines {
		if n := left[l.ProductID]; n > 0 {
			out = append(out, LineQuantity{ProductID: l.ProductID, Quantity: n})
			left[l.ProductID] = 0
		}
	}
	return out
}

// CanRefund reports whether an operator may refund the order at now:
// something captured is left to refund and the order's workflow still
// serves refunds — before the order ends, and after it completed while the
// return window lasts or a return is open.
func (o *Order) CanRefund(now time.Time) bool {
	if o.PaymentSummary().Refundable().Amount <= 0 {
		return false
	}
	switch o.Status {
	case StatusCancelled, StatusFailed:
		return false
	case StatusCompleted:
		open := slices.ContainsFunc(o.Returns, func(r Return) bool { return !r.Status.IsFinal() })
		return open || o.ReturnsUntil != nil && !now.After(*o.ReturnsUntil)
	}
	return true
}
