package orderly

import (
	"fmt"
	"slices"
	"time"
)

// PaymentEntryKind says what a ledger entry records.
type PaymentEntryKind string

// Ledger entry kinds.
const (
	// PaymentAuthorization: an amount held on the card. A re-authorization
	// of the same payment replaces the hold (and its expiry).
	PaymentAuthorization PaymentEntryKind = "AUTHORIZATION"
	// PaymentCapture: part or all of the hold taken.
	PaymentCapture PaymentEntryKind = "CAPTURE"
	// PaymentVoid: what was still held released; the amount is the release.
	PaymentVoid PaymentEntryKind = "VOID"
	// PaymentRefund: captured money given back.
	PaymentRefund PaymentEntryKind = "REFUND"
	// PaymentDecline: an authorization or capture the provider refused; it
	// moves no money and says why.
	PaymentDecline PaymentEntryKind = "DECLINE"
)

// Payment statuses computed from the ledger (PaymentCharged and
// PaymentRefunded also describe the single charge of orders placed before
// the ledger).
const (
	PaymentAuthorized        PaymentStatus = "AUTHORIZED"
	PaymentPartiallyCaptured PaymentStatus = "PARTIALLY_CAPTURED"
	PaymentCaptured          PaymentStatus = "CAPTURED"
	PaymentVoided            PaymentStatus = "VOIDED"
	PaymentPartiallyRefunded PaymentStatus = "PARTIALLY_REFUNDED"
	PaymentDeclined          PaymentStatus = "DECLINED"
)

// PaymentEntry is one row of an order's payment ledger: one call to the
// payment provider and what it moved. Entries are appended, never changed,
// by the same order event that writes their timeline entry.
type PaymentEntry struct {
	// ID is the idempotency key the provider was called with (see
	// AuthorizationKey and the other *Key functions): unique in the ledger.
	ID     string           `json:"id" bson:"id"`
	Kind   PaymentEntryKind `json:"kind" bson:"kind"`
	Amount Money            `json:"amount" bson:"amount"`
	// PaymentID and TransactionID are the provider's.
	PaymentID     string `json:"paymentId" bson:"paymentId"`
	TransactionID string `json:"transactionId,omitempty" bson:"transactionId,omitempty"`
	// DeclineReason is set on a DECLINE.
	DeclineReason DeclineReason `json:"declineReason,omitempty" bson:"declineReason,omitempty"`
	// Reason says why, for people: a refund's reason, why a hold was voided.
	Reason string `json:"reason,omitempty" bson:"reason,omitempty"`
	// ShipmentID is the shipment whose dispatch a capture paid for.
	ShipmentID string `json:"shipmentId,omitempty" bson:"shipmentId,omitempty"`
	// ReturnID is the return a refund paid back.
	ReturnID string `json:"returnId,omitempty" bson:"returnId,omitempty"`
	// Lines are the units a refund paid back, when it was for lines.
	Lines []LineQuantity `json:"lines,omitempty" bson:"lines,omitempty"`
	// ExpiresAt is when an authorization's hold lapses.
	ExpiresAt *time.Time `json:"expiresAt,omitempty" bson:"expiresAt,omitempty"`
	At        time.Time  `json:"at" bson:"at"`
}

// LineQuantity is a number of units of one order line (lines are one per
// product).
type LineQuantity struct {
	ProductID string `json:"productId" bson:"productId"`
	Quantity  int    `json:"quantity" bson:"quantity"`
}

// Validate checks an entry on its own.
func (e PaymentEntry) Validate() error {
	switch e.Kind {
	case PaymentAuthorization, PaymentCapture, PaymentVoid, PaymentRefund, PaymentDecline:
	default:
		return FieldErrorf(EINVALID, "payment.kind", "unknown payment entry kind %q", e.Kind)
	}
	switch {
	case e.ID == "" || len(e.ID) > MaxEventIDLength:
		return FieldErrorf(EINVALID, "payment.id", "a payment entry needs an ID of at most %d characters", MaxEventIDLength)
	case e.PaymentID == "":
		return FieldErrorf(EINVALID, "payment.paymentId", "a payment entry needs the provider's payment ID")
	case !currencyPattern.MatchString(e.Amount.Currency):
		return FieldErrorf(EINVALID, "payment.amount", "a payment entry needs a currency")
	case e.Amount.Amount < 0 || e.Amount.Amount == 0 && e.Kind != PaymentVoid && e.Kind != PaymentDecline:
		return FieldErrorf(EINVALID, "payment.amount", "a %s needs a positive amount", e.Kind)
	case e.Kind == PaymentDecline && !e.DeclineReason.Valid():
		return FieldErrorf(EINVALID, "payment.declineReason", "a decline needs a known reason")
	case len(e.Reason) > MaxReasonLength:
		return FieldErrorf(EINVALID, "payment.reason", "reason must be at most %d characters", MaxReasonLength)
	}
	return nil
}

// PaymentSummary is what an order's ledger adds up to.
type PaymentSummary struct {
	// Authorized is what is held on the card now and may still be captured.
	Authorized Money
	Captured   Money
	Refunded   Money
	// Voided is what was held and released without being captured.
	Voided Money
	// Balance is what the customer has paid, net: Captured - Refunded.
	Balance Money
	// Status is "" for an empty ledger.
	Status PaymentStatus
	// PaymentID is the provider's payment; ExpiresAt is when the current
	// hold lapses (nil when nothing is held).
	PaymentID string
	ExpiresAt *time.Time
}

// Refundable is what may still be refunded: Captured - Refunded.
func (s PaymentSummary) Refundable() Money { return s.Balance }

// SummarizePayments adds a ledger up, in a currency (entries of another
// currency are a programming error). Holds are per payment: an
// authorization replaces its payment's hold, a capture takes from it, a void
// releases what is left of it.
func SummarizePayments(currency string, entries []PaymentEntry) PaymentSummary {
	zero := Money{Amount: 0, Currency: currency}
	s := PaymentSummary{Authorized: zero, Captured: zero, Refunded: zero, Voided: zero, Balance: zero}
	held := map[string]int64{}
	expiry := map[string]*time.Time{}
	var order []string // payment IDs as first seen, for a deterministic ExpiresAt
	declined := false
	for _, e := range entries {
		if !slices.Contains(order, e.PaymentID) {
			order = append(order, e.PaymentID)
		}
		switch e.Kind {
		case PaymentAuthorization:
			held[e.PaymentID] = e.Amount.Amount
			expiry[e.PaymentID] = e.ExpiresAt
			s.PaymentID = e.PaymentID
		case PaymentCapture:
			held[e.PaymentID] = max(0, held[e.PaymentID]-e.Amount.Amount)
			s.Captured.Amount += e.Amount.Amount
		case PaymentVoid:
			s.Voided.Amount += held[e.PaymentID]
			held[e.PaymentID] = 0
		case PaymentRefund:
			s.Refunded.Amount += e.Amount.Amount
		case PaymentDecline:
			declined = true
		}
	}
	for _, id := range order {
		s.Authorized.Amount += held[id]
		if held[id] > 0 && s.ExpiresAt == nil && expiry[id] != nil {
			t := *expiry[id]
			s.ExpiresAt = &t
		}
	}
	s.Balance.Amount = s.Captured.Amount - s.Refunded.Amount
	switch {
	case len(entries) == 0:
	case s.Captured.Amount == 0 && s.Authorized.Amount > 0:
		s.Status = PaymentAuthorized
	case s.Captured.Amount == 0 && s.Voided.Amount > 0:
		s.Status = PaymentVoided
	case s.Captured.Amount == 0 && declined:
		s.Status = PaymentDeclined
	case s.Captured.Amount == 0:
		s.Status = PaymentVoided
	case s.Refunded.Amount >= s.Captured.Amount:
		s.Status = PaymentRefunded
	case s.Refunded.Amount > 0:
		s.Status = PaymentPartiallyRefunded
	case s.Authorized.Amount > 0:
		s.Status = PaymentPartiallyCaptured
	default:
		s.Status = PaymentCaptured
	}
	return s
}

// PaymentSummary adds up the order's ledger in the order's currency.
func (o *Order) PaymentSummary() PaymentSummary {
	return SummarizePayments(o.Total.Currency, o.Ledger)
}

// CheckRefund refuses a refund that is not a positive amount in the
// ledger's currency (EINVALID) or that is more than was captured and not
// yet refunded (EOVERREFUND).
func (s PaymentSummary) CheckRefund(field string, amount Money) error {
	switch {
	case amount.Amount <= 0:
		return FieldErrorf(EINVALID, field, "a refund must be a positive amount")
	case amount.Currency != s.Captured.Currency:
		return FieldErrorf(EINVALID, field, "a refund must be in %s", s.Captured.Currency)
	case s.Captured.Amount == 0:
		return FieldErrorf(EOVERREFUND, field, "nothing was captured yet, so nothing can be refunded")
	case amount.Amount > s.Refundable().Amount:
		return FieldErrorf(EOVERREFUND, field, "cannot refund %s: %s of the %s captured is left to refund",
			amount, s.Refundable(), s.Captured)
	}
	return nil
}

// checkEntry refuses an entry that does not fit the ledger it is appended
// to: a repeated ID, a capture above the hold, a refund above what is left
// to refund. Apply calls it, so no store records money the provider could
// not have moved.
func checkEntry(currency string, ledger []PaymentEntry, e PaymentEntry) error {
	if err := e.Validate(); err != nil {
		return err
	}
	if slices.ContainsFunc(ledger, func(x PaymentEntry) bool { return x.ID == e.ID }) {
		return Errorf(ECONFLICT, "payment entry %s is already on the ledger", e.ID)
	}
	if e.Amount.Currency != currency {
		return FieldErrorf(EINVALID, "payment.amount", "a payment entry must be in %s", currency)
	}
	s := SummarizePayments(currency, ledger)
	switch e.Kind {
	case PaymentCapture:
		if e.Amount.Amount > s.Authorized.Amount {
			return Errorf(ECONFLICT, "cannot capture %s: %s is held", e.Amount, s.Authorized)
		}
	case PaymentRefund:
		return s.CheckRefund("payment.amount", e.Amount)
	}
	return nil
}

// RefundedQuantities returns, per product, the units refunded by line so far.
func RefundedQuantities(ledger []PaymentEntry) map[string]int {
	out := map[string]int{}
	for _, e := range ledger {
		if e.Kind == PaymentRefund {
			for _, l := range e.Lines {
				out[l.ProductID] += l.Quantity
			}
		}
	}
	return out
}

// LinesRefund prices a refund of lines: each line must be one of the
// order's, with 1..(bought - already refunded) units. It returns the lines'
// worth at the prices paid. Whether that much is left to refund is
// CheckRefund's question.
func LinesRefund(field string, lines []OrderLine, ledger []PaymentEntry, want []LineQuantity) (Money, error) {
	if len(want) == 0 {
		return Money{}, FieldErrorf(EINVALID, field, "choose at least one line")
	}
	refunded := RefundedQuantities(ledger)
	total := Money{Amount: 0, Currency: currencyOf(lines)}
	seen := map[string]bool{}
	for i, w := range want {
		f := fmt.Sprintf("%s.%d.quantity", field, i)
		l, ok := lineOf(lines, w.ProductID)
		switch {
		case !ok:
			return Money{}, FieldErrorf(EINVALID, fmt.Sprintf("%s.%d.productId", field, i), "product %q is not in the order", w.ProductID)
		case seen[w.ProductID]:
			return Money{}, FieldErrorf(EINVALID, fmt.Sprintf("%s.%d.productId", field, i), "%s is listed twice", l.Name)
		case w.Quantity < 1:
			return Money{}, FieldErrorf(EINVALID, f, "quantity must be at least 1")
		case w.Quantity > l.Quantity-refunded[w.ProductID]:
			return Money{}, FieldErrorf(EOVERREFUND, f, "only %d of %s left to refund", l.Quantity-refunded[w.ProductID], l.Name)
		}
		seen[w.ProductID] = true
		total = total.Add(l.UnitPrice.Times(w.Quantity))
	}
	return total, nil
}

// CaptureAmount is what the dispatch of a shipment captures: its lines'
// worth, plus the order's shipping charge with the first capture (a
// merchant charges shipping when the first parcel leaves), never more than
// is held.
func CaptureAmount(shipmentLines []OrderLine, shippingCost Money, ledger []PaymentEntry) Money {
	s := SummarizePayments(shippingCost.Currency, ledger)
	amount := Money{Amount: 0, Currency: shippingCost.Currency}
	for _, l := range shipmentLines {
		amount = amount.Add(l.LineTotal)
	}
	if s.Captured.Amount == 0 {
		amount = amount.Add(shippingCost)
	}
	amount.Amount = min(amount.Amount, s.Authorized.Amount)
	return amount
}

// ReauthorizeAt is when a hold granted at authorizedAt that lapses at
// expiresAt should be renewed: after four fifths of its life, so a renewal
// that is slow, retried or declined still lands while the hold stands.
func ReauthorizeAt(authorizedAt, expiresAt time.Time) time.Time {
	return expiresAt.Add(-expiresAt.Sub(authorizedAt) / 5)
}

func lineOf(lines []OrderLine, productID string) (OrderLine, bool) {
	i := slices.IndexFunc(lines, func(l OrderLine) bool { return l.ProductID == productID })
	if i < 0 {
		return OrderLine{}, false
	}
	return lines[i], true
}

func currencyOf(lines []OrderLine) string {
	if len(lines) == 0 {
		return DefaultCurrency
	}
	return lines[0].UnitPrice.Currency
}
