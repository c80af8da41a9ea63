package workflows

import (
	"errors"
	"fmt"

	"go.temporal.io/sdk/temporal"

	"github.com/orderly-shop/orderly"
)

// Application error types raised by the activities. The non-retryable ones are
// named in every retry policy (see nonRetryableErrorTypes) as well as raised
// non-retryable, so the decision survives a change on either side.
const (
	// ErrTypeInvalidOrder: the order cannot be processed as given.
	ErrTypeInvalidOrder = "InvalidOrder"
	// ErrTypeOutOfStock: a line cannot be reserved.
	ErrTypeOutOfStock = "OutOfStock"
	// ErrTypePaymentDeclined: the payment service refused the charge.
	ErrTypePaymentDeclined = "PaymentDeclined"
	// ErrTypeConflict: the store refused a change that the current state
	// forbids (for example a status move CanTransitionTo rejects); retrying
	// cannot change its mind.
	ErrTypeConflict = "Conflict"
	// ErrTypeInjectedPermanentFailure: an operator injected a permanent failure.
	ErrTypeInjectedPermanentFailure = "InjectedPermanentFailure"
	// ErrTypeInjectedTransientFailure: an operator injected a transient failure;
	// retryable.
	ErrTypeInjectedTransientFailure = "InjectedTransientFailure"
	// ErrTypeRandomFailure: the step's configured random failure rate struck;
	// retryable.
	ErrTypeRandomFailure = "RandomFailure"
)

// nonRetryableErrorTypes returns the error types no retry can fix. It is a
// function, not a package variable, so no caller can change it for another.
func nonRetryableErrorTypes() []string {
	return []string{
		ErrTypeInvalidOrder, ErrTypeOutOfStock, ErrTypePaymentDeclined,
		ErrTypeConflict, ErrTypeInjectedPermanentFailure,
	}
}

// permanentError is a non-retryable application error of the given type whose
// message is safe to show a customer (it ends up as the order's failure reason).
func permanentError(errType, message string, cause error) error {
	return temporal.NewNonRetryableApplicationError(message, errType, cause)
}

// serviceError classifies an error from a root service for Temporal: an
// *orderly.Error whose code no retry can change becomes a non-retryable
// application error carrying the client-safe message; anything else (the store
// is down, a timeout) stays retryable.
func serviceError(op string, err error) error {
	var e *orderly.Error
	if !errors.As(err, &e) {
		return fmt.Errorf("%s: %w", op, err)
	}
	switch e.Code {
	case orderly.EOUTOFSTOCK:
		return permanentError(ErrTypeOutOfStock, e.Message, err)
	case orderly.EINVALID, orderly.ENOTFOUND:
		return permanentError(ErrTypeInvalidOrder, e.Message, err)
	case orderly.ECONFLICT:
		return permanentError(ErrTypeConflict, e.Message, err)
	}
	return fmt.Errorf("%s: %w", op, err)
}

// failureReason turns a step's error, as the workflow sees it, into the
// sentence recorded as the order's failure reason. Application errors carry a
// client-safe message; anything else (a timeout, exhausted retries of an
// internal error) is described without internal detail.
func failureReason(step string, err error) string {
	var appErr *temporal.ApplicationError
	if errors.As(err, &appErr) {
		return fmt.Sprintf("%s failed: %s", step, appErr.Message())
	}
	var timeoutErr *temporal.TimeoutError
	if errors.As(err, &timeoutErr) {
		return fmt.Sprintf("%s failed: timed out", step)
	}
	var canceledErr *temporal.CanceledError
	if errors.As(err, &canceledErr) {
		return fmt.Sprintf("%s was cancelled", step)
	}
	return fmt.Sprintf("%s failed", step)
}

// isDefinitelyNotApplied reports whether err proves that a step had no side
// effect. The activities raise these types only before touching anything, or
// when the service refused the whole change (stock is reserved all lines or
// none). Any other error (a timeout, exhausted retries, a Conflict while
// recording the step) leaves the outcome unknown, so the saga compensates
// anyway, relying on compensations being no-ops when there is nothing to undo.
func isDefinitelyNotApplied(err error) bool {
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) || !appErr.NonRetryable() {
		return false
	}
	switch appErr.Type() {
	case ErrTypeInvalidOrder, ErrTypeOutOfStock, ErrTypePaymentDeclined, ErrTypeInjectedPermanentFailure:
		return true
	}
	return false
}
