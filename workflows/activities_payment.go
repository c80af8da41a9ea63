package workflows

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/orderly-shop/orderly"
)

// The money activities. Each calls the payment provider under a key derived
// from the order and the step (orderly.AuthorizationKey and the others), so
// a retried attempt — after a timeout, a lost answer or a killed worker —
// gets the first answer back and moves no money again; then it appends the
// movement to the order's ledger in the same event as its timeline entry,
// idempotent by event ID. A decline is recorded too (a DECLINE entry) and
// raised non-retryable, its reason and entry in the error's details.

// PaymentResult is the ledger entry a money activity recorded.
type PaymentResult struct {
	Entry orderly.PaymentEntry
}

// AuthorizePaymentInput is the input of AuthorizePayment.
type AuthorizePaymentInput struct {
	OrderID    string
	CustomerID string
	Amount     orderly.Money
	Method     orderly.PaymentMethod
	// N numbers the authorization: 1 for the first (which moves the order
	// to PAYMENT_AUTHORIZED), the next for each re-authorization.
	N int
	// PaymentID is the payment to re-authorize; empty for the first.
	PaymentID string
	Injection *orderly.FailureInjection `json:",omitempty"`
}

// AuthorizePayment holds the amount on the card.
func (a *Activities) AuthorizePayment(ctx context.Context, in AuthorizePaymentInput) (PaymentResult, error) {
	if err := a.simulateMoney(ctx, in.OrderID, in.Injection); err != nil {
		return PaymentResult{}, err
	}
	key := orderly.AuthorizationKey(in.OrderID, in.N)
	txn, err := a.Provider.Authorize(ctx, orderly.AuthorizeRequest{
		IdempotencyKey: key, PaymentID: in.PaymentID, Reference: in.OrderID, Amount: in.Amount, Method: in.Method,
	})
	if err != nil {
		return PaymentResult{}, a.declined(ctx, in.OrderID, key, in.PaymentID, in.Amount, "authorization", err)
	}
	e := entryOf(key, txn)
	ev := orderly.OrderEvent{ID: moneyEventID(key), Kind: orderly.EntryInfo, PaymentEntry: &e,
		Detail: fmt.Sprintf("Payment re-authorized before the hold lapsed: %s held until %s", txn.Amount, formatDeadline(txn.ExpiresAt))}
	if in.N == 1 {
		ev.Kind, ev.Status = orderly.EntryStatus, orderly.StatusPaymentAuthorized
		on := ""
		if !in.Method.IsZero() {
			on = " on " + in.Method.String()
		}
		ev.Detail = fmt.Sprintf("Payment authorized: %s held%s until %s", txn.Amount, on, formatDeadline(txn.ExpiresAt))
	}
	if _, err := a.apply(ctx, in.OrderID, ev); err != nil {
		return PaymentResult{}, err
	}
	if err := a.loseAnswer(ctx, in.OrderID, in.Injection); err != nil {
		return PaymentResult{}, err
	}
	return PaymentResult{Entry: e}, nil
}

// CapturePaymentInput is the input of CapturePayment.
type CapturePaymentInput struct {
	OrderID    string
	PaymentID  string
	ShipmentID string
	// Attempt is 1, or 2 for the capture after a lapsed hold was renewed
	// (the first attempt's key holds its decline).
	Attempt int
	Amount  orderly.Money
}

// CapturePayment takes a dispatched shipment's amount from the hold.
func (a *Activities) CapturePayment(ctx context.Context, in CapturePaymentInput) (PaymentResult, error) {
	if err := a.simulateMoney(ctx, in.OrderID, nil); err != nil {
		return PaymentResult{}, err
	}
	key := orderly.CaptureKey(in.ShipmentID)
	if in.Attempt > 1 {
		key = fmt.Sprintf("%s:%d", key, in.Attempt)
	}
	txn, err := a.Provider.Capture(ctx, orderly.CaptureRequest{IdempotencyKey: key, PaymentID: in.PaymentID, Amount: in.Amount})
	if err != nil {
		return PaymentResult{}, a.declined(ctx, in.OrderID, key, in.PaymentID, in.Amount, "capture", err)
	}
	e := entryOf(key, txn)
	e.ShipmentID = in.ShipmentID
	if _, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{ID: moneyEventID(key), Kind: orderly.EntryInfo, PaymentEntry: &e,
		Detail: fmt.Sprintf("Payment captured: %s as shipment %s left", txn.Amount, in.ShipmentID)}); err != nil {
		return PaymentResult{}, err
	}
	return PaymentResult{Entry: e}, nil
}

// VoidPaymentInput is the input of VoidPayment.
type VoidPaymentInput struct {
	OrderID string
	// PaymentID is the payment to void; empty when the first
	// authorization's outcome is unknown (its attempts ran out after it may
	// have reached the provider).
	PaymentID string
	// Amount and Method are the first authorization's, to learn its payment
	// when PaymentID is empty.
	Amount orderly.Money
	Method orderly.PaymentMethod
}

// VoidPayment releases what the payment holds, as the saga's undo of
// AuthorizePayment. When the authorization's outcome is unknown it asks the
// provider again under the same key, as PSPs advise: that answers with the
// hold if one was made (and makes one that is voided at once if not), so
// nothing stays held either way.
func (a *Activities) VoidPayment(ctx context.Context, in VoidPaymentInput) (PaymentResult, error) {
	paymentID := in.PaymentID
	if paymentID == "" {
		txn, err := a.Provider.Authorize(ctx, orderly.AuthorizeRequest{
			IdempotencyKey: orderly.AuthorizationKey(in.OrderID, 1), Reference: in.OrderID, Amount: in.Amount, Method: in.Method,
		})
		if _, declined := orderly.DeclineReasonOf(err); declined {
			return PaymentResult{}, nil // nothing was ever held
		} else if err != nil {
			return PaymentResult{}, fmt.Errorf("learn the payment to void: %w", err)
		}
		paymentID = txn.PaymentID
	}
	key := orderly.VoidKey(in.OrderID)
	txn, err := a.Provider.Void(ctx, orderly.VoidRequest{IdempotencyKey: key, PaymentID: paymentID})
	if err != nil {
		return PaymentResult{}, fmt.Errorf("void: %w", err)
	}
	e := entryOf(key, txn)
	e.Reason = "the order did not ship"
	if _, err := a.apply(ctx, in.OrderID, orderly.OrderEvent{ID: moneyEventID(key), Kind: orderly.EntryCompensation, PaymentEntry: &e,
		Detail: fmt.Sprintf("Payment hold released: %s", txn.Amount)}); err != nil {
		return PaymentResult{}, fmt.Errorf("record void: %w", err)
	}
	return PaymentResult{Entry: e}, nil
}

// IssueRefundInput is the input of IssueRefund.
type IssueRefundInput struct {
	OrderID   string
	PaymentID string
	// RefundID is unique within the order: the operator's refund number,
	// or the return's ID.
	RefundID string
	Amount   orderly.Money
	Lines    []orderly.LineQuantity `json:",omitempty"`
	Reason   string
	// Return is the return this refund pays back, recorded REFUNDED in the
	// same event; nil for an operator's refund.
	Return *orderly.Return `json:",omitempty"`
}

// IssueRefund gives money back and records it. A return whose units were
// all refunded already (by an operator's refund of lines) is recorded
// REFUNDED without moving money.
func (a *Activities) IssueRefund(ctx context.Context, in IssueRefundInput) (PaymentResult, error) {
	if err := a.simulateMoney(ctx, in.OrderID, nil); err != nil {
		return PaymentResult{}, err
	}
	key := orderly.RefundKey(in.OrderID, in.RefundID)
	ev := orderly.OrderEvent{ID: moneyEventID(key), Kind: orderly.EntryInfo, Return: in.Return}
	var e orderly.PaymentEntry
	if in.Amount.Amount > 0 {
		txn, err := a.Provider.Refund(ctx, orderly.RefundRequest{IdempotencyKey: key, PaymentID: in.PaymentID, Amount: in.Amount})
		if err != nil {
			return PaymentResult{}, a.declined(ctx, in.OrderID, key, in.PaymentID, in.Amount, "refund", err)
		}
		e = entryOf(key, txn)
		e.Lines, e.Reason = in.Lines, in.Reason
		if in.Return != nil {
			e.ReturnID = in.Return.ID
		}
		ev.PaymentEntry = &e
		ev.Detail = fmt.Sprintf("Refunded %s: %s", txn.Amount, in.Reason)
	} else {
		ev.Detail = fmt.Sprintf("Nothing left to refund for %s: its units were refunded already", in.Reason)
	}
	if _, err := a.apply(ctx, in.OrderID, ev); err != nil {
		return PaymentResult{}, fmt.Errorf("record refund: %w", err)
	}
	return PaymentResult{Entry: e}, nil
}

// declined turns a provider's error into the activity's: a decline is
// recorded on the ledger (a DECLINE entry and a FAILURE timeline entry)
// and raised non-retryable with its reason and entry; any other error is
// classified as usual (retried unless it is a business answer).
func (a *Activities) declined(ctx context.Context, orderID, key, paymentID string, amount orderly.Money, what string, err error) error {
	var d *orderly.DeclineError
	if !errors.As(err, &d) {
		return serviceError(what, err)
	}
	if d.PaymentID != "" {
		paymentID = d.PaymentID
	}
	e := orderly.PaymentEntry{
		ID: key, Kind: orderly.PaymentDecline, Amount: amount, PaymentID: paymentID, TransactionID: d.TransactionID,
		DeclineReason: d.Reason, At: time.Now().UTC().Truncate(time.Millisecond),
	}
	if _, rerr := a.apply(ctx, orderID, orderly.OrderEvent{ID: moneyEventID(key), Kind: orderly.EntryFailure, PaymentEntry: &e,
		Detail: fmt.Sprintf("Payment %s of %s declined: %s", what, amount, d.Reason.Message())}); rerr != nil {
		return rerr
	}
	return temporal.NewNonRetryableApplicationError("payment declined: "+d.Reason.Message(), ErrTypePaymentDeclined, err, d.Reason, e)
}

// simulateMoney runs the operator's injected failure for the PAYMENT step
// before the provider is called. The random failure and latency rates are
// the provider's own (paysim reads them), so they are not drawn here too.
func (a *Activities) simulateMoney(ctx context.Context, orderID string, inj *orderly.FailureInjection) error {
	info := activity.GetInfo(ctx)
	at := attemptInfo{number: int(info.Attempt), workflowID: info.WorkflowExecution.ID,
		activityID: info.ActivityID, activityName: info.ActivityType.Name}
	if inj != nil && inj.Mode == orderly.FailureTransient {
		inj = nil // lost after the provider answered: see loseAnswer
	}
	return a.simulateAttemptWith(ctx, at, orderID, orderly.StepPayment, inj, false)
}

// loseAnswer plays an injected transient failure of a money step: the
// provider moved the money and recorded it, and the answer never came back.
// Temporal retries the attempt; the same idempotency key brings the first
// answer back, and the provider's record shows one movement.
func (a *Activities) loseAnswer(ctx context.Context, orderID string, inj *orderly.FailureInjection) error {
	if inj == nil || inj.Mode != orderly.FailureTransient || inj.Step != orderly.StepPayment {
		return nil
	}
	info := activity.GetInfo(ctx)
	if attempt := int(info.Attempt); attempt <= transientFailedAttempts {
		a.note(ctx, orderID, fmt.Sprintf("attempt:%s:%s:%d:lost", info.WorkflowExecution.ID, info.ActivityID, attempt), orderly.EntryFailure,
			fmt.Sprintf("Payment: attempt %d lost the provider's answer (injected transient failure); Temporal will retry with the same idempotency key", attempt))
		return temporal.NewApplicationError("injected transient failure: the answer was lost", ErrTypeInjectedTransientFailure)
	}
	return nil
}

// entryOf is the ledger entry of a provider's transaction under key.
func entryOf(key string, txn orderly.PaymentTransaction) orderly.PaymentEntry {
	e := orderly.PaymentEntry{
		ID: key, Kind: txn.Kind, Amount: txn.Amount, PaymentID: txn.PaymentID, TransactionID: txn.ID,
		At: txn.At.UTC().Truncate(time.Millisecond),
	}
	if !txn.ExpiresAt.IsZero() {
		exp := txn.ExpiresAt.UTC().Truncate(time.Millisecond)
		e.ExpiresAt = &exp
	}
	return e
}

// moneyEventID is the event ID of the order event that records a money
// movement: its key, which no other event uses.
func moneyEventID(key string) string { return "payment:" + key }
