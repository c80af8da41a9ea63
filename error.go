package orderly

import (
	"errors"
	"fmt"
	"slices"
)

// Error codes a client may see. They are part of the API contract: the GraphQL
// layer maps them to typed user errors and to the "code" error extension.
const (
	EINVALID      = "INVALID"      // the input is malformed or out of range
	ENOTFOUND     = "NOT_FOUND"    // the thing does not exist, or the caller may not see it
	ECONFLICT     = "CONFLICT"     // the request clashes with the current state
	EOUTOFSTOCK   = "OUT_OF_STOCK" // not enough stock to honour the request
	EUNAUTHORIZED = "UNAUTHORIZED" // the caller is not signed in, or the credentials are wrong
	EFORBIDDEN    = "FORBIDDEN"    // the caller is signed in but may not do this
	ERATELIMITED  = "RATE_LIMITED" // too many attempts; try again later
	EUNAVAILABLE  = "UNAVAILABLE"  // a dependency is down; the request may be retried
	EINTERNAL     = "INTERNAL"     // a bug or an unexpected failure; details stay in the logs

	// The money and returns codes: each names one rule, so that a client can
	// tell the customer exactly what to do differently.
	EDECLINED       = "PAYMENT_DECLINED"         // the payment provider refused for good; DeclineReasonOf says why
	EOVERREFUND     = "OVER_REFUND"              // a refund above what was captured and not yet refunded
	ERETURNCLOSED   = "RETURN_WINDOW_CLOSED"     // a return asked for after the return window
	ENOTDELIVERED   = "NOT_DELIVERED"            // a return of an order (or line) not delivered yet
	ERETURNQUANTITY = "RETURN_QUANTITY_EXCEEDED" // more units than delivered minus already returned
)

// ErrorCodes lists every code above: the one list that every layer maps
// errors against (GraphQL, the Temporal client, the activities).
func ErrorCodes() []string {
	return []string{
		EINVALID, ENOTFOUND, ECONFLICT, EOUTOFSTOCK, EUNAUTHORIZED, EFORBIDDEN, ERATELIMITED, EUNAVAILABLE, EINTERNAL,
		EDECLINED, EOVERREFUND, ERETURNCLOSED, ENOTDELIVERED, ERETURNQUANTITY,
	}
}

// IsErrorCode reports whether s is one of the codes in ErrorCodes.
func IsErrorCode(s string) bool { return slices.Contains(ErrorCodes(), s) }

// Error is an application error whose code and message are safe to show a
// client. Any other error is internal, and clients see only "internal error".
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is a human-readable sentence, safe to show to the caller.
	Message string
	// Field names the input field at fault, if one is, as a dotted path
	// (for example "input.quantity").
	Field string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("orderly error: code=%s field=%s message=%s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("orderly error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an *Error about one input field.
func FieldErrorf(code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of err: the message of the
// first *Error in its chain, or "internal error" for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
