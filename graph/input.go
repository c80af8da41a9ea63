package graph

import (
	"fmt"
	"net/mail"
	"strings"
	"time"

	"github.com/orderly-shop/orderly"
)

// Input checks made at the edge, before any service is called, so that a bad
// request writes nothing and its error names the field as the client sent it.

// maxIDsPerRequest bounds the IDs one request may name (nodes, notifications).
const maxIDsPerRequest = orderly.MaxPageSize

func invalid(field, format string, args ...any) error {
	return orderly.FieldErrorf(orderly.EINVALID, field, format, args...)
}

// addressFromInput converts and validates a shipping address.
func addressFromInput(field string, in *AddressInput) (orderly.Address, error) {
	if in == nil {
		return orderly.Address{}, invalid(field, "an address is required")
	}
	a := orderly.Address{
		Name: strings.TrimSpace(in.Name), Line1: strings.TrimSpace(in.Line1), City: strings.TrimSpace(in.City),
		PostalCode: strings.TrimSpace(in.PostalCode), Country: strings.TrimSpace(in.Country),
	}
	if in.Line2 != nil {
		a.Line2 = strings.TrimSpace(*in.Line2)
	}
	return a, a.Validate(field)
}

// checkLength checks that a string is text (orderly.ValidateText: valid
// UTF-8, no control characters) of lo to hi characters.
func checkLength(field, value string, lo, hi int) error {
	return orderly.ValidateText(field, value, lo, hi)
}

// optionalReason returns a trimmed, length-checked free-text reason.
func optionalReason(field string, s *string, fallback string) (string, error) {
	if s == nil || strings.TrimSpace(*s) == "" {
		return fallback, nil
	}
	r := strings.TrimSpace(*s)
	return r, checkLength(field, r, 1, orderly.MaxReasonLength)
}

// checkEmail checks an email address for register and login.
func checkEmail(field, email string) error {
	if err := checkLength(field, email, 3, orderly.MaxEmailLength); err != nil {
		return err
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		return invalid(field, "email is not a valid address")
	}
	return nil
}

// failureRateFromInput converts one rate, naming fields by their index.
func failureRateFromInput(i int, in *FailureRateInput) (orderly.FailureRate, error) {
	field := fmt.Sprintf("input.rates.%d", i)
	if in.LatencyMs < 0 || int64(in.LatencyMs) > orderly.MaxInjectedLatency.Milliseconds() {
		return orderly.FailureRate{}, invalid(field+".latencyMs", "latencyMs must be between 0 and %d", orderly.MaxInjectedLatency.Milliseconds())
	}
	r := orderly.FailureRate{
		Step: in.Step, FailureProbability: in.FailureProbability, LatencyProbability: in.LatencyProbability,
		Latency: time.Duration(in.LatencyMs) * time.Millisecond,
	}
	if err := r.Validate(); err != nil {
		if e, ok := err.(*orderly.Error); ok && e.Field != "" {
			return r, invalid(field+"."+e.Field, "%s", e.Message)
		}
		return r, err
	}
	return r, nil
}

// applyApprovalInput returns s with the given approval fields changed.
func applyApprovalInput(s orderly.Settings, in UpdateApprovalSettingsInput) (orderly.Settings, error) {
	if in.Mode != nil {
		s.ApprovalMode = *in.Mode
	}
	if in.Threshold != nil {
		m, err := orderly.NewMoney(int64(in.Threshold.Amount), in.Threshold.Currency)
		if err != nil {
			return s, invalid("input.threshold.currency", "currency must be an ISO 4217 code such as USD")
		}
		if m.Amount < 0 {
			return s, invalid("input.threshold.amount", "the threshold must not be negative")
		}
		s.ApprovalThreshold = m
	}
	if in.TimeoutSeconds != nil {
		t := *in.TimeoutSeconds
		if t < 1 || t > 30*24*3600 {
			return s, invalid("input.timeoutSeconds", "timeoutSeconds must be between 1 and %d", 30*24*3600)
		}
		s.ApprovalTimeout = time.Duration(t) * time.Second
	}
	return s, nil
}
