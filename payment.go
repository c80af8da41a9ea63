package orderly

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// PaymentMethod is the card an order is paid with, as the checkout saw it.
// The card number itself is never stored or passed on: only what a receipt
// shows (brand and last four digits), which is also what the simulated
// provider tells its test cards apart by.
type PaymentMethod struct {
	Brand string `json:"brand,omitempty" bson:"brand,omitempty"`
	Last4 string `json:"last4,omitempty" bson:"last4,omitempty"`
}

// IsZero reports whether no payment method was given.
func (m PaymentMethod) IsZero() bool { return m == PaymentMethod{} }

// String words the method for people: "Visa •••• 4242".
func (m PaymentMethod) String() string {
	if m.IsZero() {
		return "no card"
	}
	return m.Brand + " •••• " + m.Last4
}

// NewCardPaymentMethod checks a card number (spaces and dashes allowed, 12
// to 19 digits, a valid Luhn check digit) and returns what may be kept of it.
func NewCardPaymentMethod(field, number string) (PaymentMethod, error) {
	digits := strings.NewReplacer(" ", "", "-", "").Replace(strings.TrimSpace(number))
	invalid := FieldErrorf(EINVALID, field, "enter a valid card number")
	if len(digits) < 12 || len(digits) > 19 {
		return PaymentMethod{}, invalid
	}
	sum := 0
	for i := range len(digits) {
		c := digits[len(digits)-1-i]
		if c < '0' || c > '9' {
			return PaymentMethod{}, invalid
		}
		d := int(c - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	if sum%10 != 0 {
		return PaymentMethod{}, invalid
	}
	return PaymentMethod{Brand: cardBrand(digits), Last4: digits[len(digits)-4:]}, nil
}

// cardBrand names a card's network by its leading digits (the IIN ranges).
func cardBrand(digits string) string {
	switch {
	case digits[0] == '4':
		return "Visa"
	case digits[:2] >= "51" && digits[:2] <= "55", digits[:4] >= "2221" && digits[:4] <= "2720":
		return "Mastercard"
	case digits[:2] == "34", digits[:2] == "37":
		return "American Express"
	}
	return "Card"
}

// PaymentProvider is a payment service provider (PSP), shaped like the
// payment-intents APIs of real ones: a payment is authorized (the money is
// held on the card), captured in one or several parts up to the amount
// authorized, the rest voided (the hold released), and refunded in one or
// several parts up to the amount captured.
//
// Every call carries an idempotency key that the caller derives from what
// it is doing (the order and the step), never at random: a call repeated
// with the same key — a retried activity, a worker that died before it
// heard the answer — returns the first call's transaction and moves no
// money again. A key reused for a different request is ECONFLICT.
//
// A refusal that no retry can change (a declined card, an authorization
// that lapsed, a capture above what is held) is a *DeclineError, whose code
// is EDECLINED; any other error may be retried with the same key.
type PaymentProvider interface {
	// Authorize holds req.Amount on the payment method. Without PaymentID
	// it creates a payment; with one it re-authorizes that payment (renews
	// the hold, for the amount still to be captured, with a new expiry).
	Authorize(ctx context.Context, req AuthorizeRequest) (PaymentTransaction, error)
	// Capture takes req.Amount of what the payment holds.
	Capture(ctx context.Context, req CaptureRequest) (PaymentTransaction, error)
	// Void releases what the payment still holds; the transaction's amount
	// is the amount released.
	Void(ctx context.Context, req VoidRequest) (PaymentTransaction, error)
	// Refund gives req.Amount of what was captured back to the customer.
	Refund(ctx context.Context, req RefundRequest) (PaymentTransaction, error)
}

// AuthorizeRequest asks a provider to hold an amount.
type AuthorizeRequest struct {
	IdempotencyKey string
	// PaymentID is the payment to re-authorize; empty for a new payment.
	PaymentID string
	// Reference is the merchant's reference: the order ID.
	Reference string
	Amount    Money
	Method    PaymentMethod
}

// CaptureRequest asks a provider to take part or all of what it holds.
type CaptureRequest struct {
	IdempotencyKey string
	PaymentID      string
	Amount         Money
}

// VoidRequest asks a provider to release what it still holds.
type VoidRequest struct {
	IdempotencyKey string
	PaymentID      string
}

// RefundRequest asks a provider to give captured money back.
type RefundRequest struct {
	IdempotencyKey string
	PaymentID      string
	Amount         Money
}

// PaymentTransaction is a provider's answer to one call: the money it moved.
type PaymentTransaction struct {
	// ID is the provider's transaction ID, what its support desk asks for.
	ID string `json:"id"`
	// PaymentID is the payment the transaction belongs to.
	PaymentID string           `json:"paymentId"`
	Kind      PaymentEntryKind `json:"kind"`
	Amount    Money            `json:"amount"`
	// ExpiresAt is when an authorization's hold lapses; zero otherwise.
	ExpiresAt time.Time `json:"expiresAt,omitzero"`
	At        time.Time `json:"at"`
}

// DeclineReason says why a provider refused a payment for good.
type DeclineReason string

// Decline reasons.
const (
	DeclineInsufficientFunds    DeclineReason = "INSUFFICIENT_FUNDS"
	DeclineCardExpired          DeclineReason = "CARD_EXPIRED"
	DeclineFraudSuspected       DeclineReason = "FRAUD_SUSPECTED"
	DeclineDoNotHonor           DeclineReason = "DO_NOT_HONOR"
	DeclineAuthorizationExpired DeclineReason = "AUTHORIZATION_EXPIRED"
	// DeclineAmountNotAvailable: a capture above what is held, or a refund
	// above what was captured and not yet refunded.
	DeclineAmountNotAvailable DeclineReason = "AMOUNT_NOT_AVAILABLE"
)

// AllDeclineReasons lists every decline reason.
var AllDeclineReasons = []DeclineReason{
	DeclineInsufficientFunds, DeclineCardExpired, DeclineFraudSuspected, DeclineDoNotHonor,
	DeclineAuthorizationExpired, DeclineAmountNotAvailable,
}

// Valid reports whether r is a known reason.
func (r DeclineReason) Valid() bool {
	for _, v := range AllDeclineReasons {
		if v == r {
			return true
		}
	}
	return false
}

// Message words the reason for the customer.
func (r DeclineReason) Message() string {
	switch r {
	case DeclineInsufficientFunds:
		return "the card has insufficient funds"
	case DeclineCardExpired:
		return "the card has expired"
	case DeclineFraudSuspected:
		return "the card issuer suspects fraud"
	case DeclineDoNotHonor:
		return "the card issuer declined the payment"
	case DeclineAuthorizationExpired:
		return "the payment authorization has expired"
	case DeclineAmountNotAvailable:
		return "the amount is not available on the payment"
	}
	return "the payment was declined"
}

// DeclineError is a provider's refusal that no retry can change. Its code
// (through Unwrap) is EDECLINED and its message the reason's.
type DeclineError struct {
	Reason DeclineReason
	// PaymentID and TransactionID are the provider's IDs of the payment and
	// of the declined attempt, if it gave them.
	PaymentID     string
	TransactionID string
}

// Declined returns the DeclineError of a reason.
func Declined(reason DeclineReason, paymentID, transactionID string) *DeclineError {
	return &DeclineError{Reason: reason, PaymentID: paymentID, TransactionID: transactionID}
}

func (e *DeclineError) Error() string { return fmt.Sprintf("payment declined: %s", e.Reason) }

// Unwrap gives the client-safe *Error, so that ErrorCode and ErrorMessage
// see EDECLINED and the reason's message.
func (e *DeclineError) Unwrap() error {
	return &Error{Code: EDECLINED, Message: "payment declined: " + e.Reason.Message()}
}

// DeclineReasonOf returns the reason of the first *DeclineError in err's chain.
func DeclineReasonOf(err error) (DeclineReason, bool) {
	var d *DeclineError
	if errors.As(err, &d) {
		return d.Reason, true
	}
	return "", false
}

// Payment idempotency keys. Each names one money movement of one order, so
// a retry, a replay or a second worker sends the provider the same key.
// They double as the ledger entries' IDs.

// AuthorizationKey is the key of an order's n-th authorization (n from 1;
// a re-authorization is the next n).
func AuthorizationKey(orderID string, n int) string { return fmt.Sprintf("auth:%s:%d", orderID, n) }

// CaptureKey is the key of the capture at a shipment's dispatch (a second
// try after a lapsed hold was renewed appends ":2").
func CaptureKey(shipmentID string) string { return "capture:" + shipmentID }

// VoidKey is the key of the void of an order's payment: one, since a void
// releases the whole hold and closes the payment.
func VoidKey(orderID string) string { return "void:" + orderID }

// RefundKey is the key of a refund. refundID is unique within the order: an
// operator's refund is numbered, a return's refund is the return's ID.
func RefundKey(orderID, refundID string) string { return "refund:" + orderID + ":" + refundID }
