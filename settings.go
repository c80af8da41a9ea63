package orderly

import (
	"context"
	"time"
)

// Step is a step of the order workflow that failures can be injected into.
type Step string

// Steps that can fail on purpose.
const (
	StepValidation Step = "VALIDATION"
	StepInventory  Step = "INVENTORY"
	StepPayment    Step = "PAYMENT"
	StepShipping   Step = "SHIPPING"
)

// AllSteps lists the steps that failures can be injected into.
var AllSteps = []Step{StepValidation, StepInventory, StepPayment, StepShipping}

// FailureRate makes a step fail or stall at random, for resilience demos.
type FailureRate struct {
	Step Step `json:"step" bson:"step"`
	// FailureProbability is the chance, 0..1, that an attempt fails with a
	// transient (retryable) error.
	FailureProbability float64 `json:"failureProbability" bson:"failureProbability"`
	// LatencyProbability is the chance, 0..1, that an attempt sleeps Latency
	// first; a latency past the activity's timeout makes it time out and retry.
	LatencyProbability float64       `json:"latencyProbability" bson:"latencyProbability"`
	Latency            time.Duration `json:"latency" bson:"latency"`
}

// MaxInjectedLatency bounds FailureRate.Latency.
const MaxInjectedLatency = 60 * time.Second

// Validate checks the rate's ranges.
func (r FailureRate) Validate() error {
	switch {
	case !validStep(r.Step):
		return FieldErrorf(EINVALID, "step", "unknown step %q", r.Step)
	case r.FailureProbability < 0 || r.FailureProbability > 1:
		return FieldErrorf(EINVALID, "failureProbability", "failureProbability must be between 0 and 1")
	case r.LatencyProbability < 0 || r.LatencyProbability > 1:
		return FieldErrorf(EINVALID, "latencyProbability", "latencyProbability must be between 0 and 1")
	case r.Latency < 0 || r.Latency > MaxInjectedLatency:
		return FieldErrorf(EINVALID, "latency", "latency must be between 0 and %s", MaxInjectedLatency)
	}
	return nil
}

func validStep(s Step) bool {
	for _, v := range AllSteps {
		if v == s {
			return true
		}
	}
	return false
}

// ApprovalMode says which orders wait for an operator.
type ApprovalMode string

// Approval modes.
const (
	// ApprovalAboveThreshold holds orders whose total exceeds the threshold.
	ApprovalAboveThreshold ApprovalMode = "ABOVE_THRESHOLD"
	// ApprovalAlways holds every order.
	ApprovalAlways ApprovalMode = "ALWAYS"
	// ApprovalNever holds no order.
	ApprovalNever ApprovalMode = "NEVER"
)

// Settings are the operator's runtime knobs, read by the workflows through
// activities (so replay sees the value each run saw).
type Settings struct {
	ApprovalMode      ApprovalMode  `json:"approvalMode" bson:"approvalMode"`
	ApprovalThreshold Money         `json:"approvalThreshold" bson:"approvalThreshold"`
	ApprovalTimeout   time.Duration `json:"approvalTimeout" bson:"approvalTimeout"`
	FailureRates      []FailureRate `json:"failureRates" bson:"failureRates"`
	UpdatedAt         time.Time     `json:"updatedAt" bson:"updatedAt"`
}

// DefaultSettings are used until an operator changes them.
func DefaultSettings() Settings {
	return Settings{
		ApprovalMode:      ApprovalAboveThreshold,
		ApprovalThreshold: USD(100000), // USD 1,000.00
		ApprovalTimeout:   24 * time.Hour,
	}
}

// NeedsApproval reports whether an order of this total waits for an operator.
func (s Settings) NeedsApproval(total Money) bool {
	switch s.ApprovalMode {
	case ApprovalAlways:
		return true
	case ApprovalNever:
		return false
	}
	return total.Currency == s.ApprovalThreshold.Currency && total.Amount > s.ApprovalThreshold.Amount
}

// FailureRateFor returns the configured rate for a step (zero if none).
func (s Settings) FailureRateFor(step Step) FailureRate {
	for _, r := range s.FailureRates {
		if r.Step == step {
			return r
		}
	}
	return FailureRate{Step: step}
}

// SettingsService keeps the operator settings.
type SettingsService interface {
	// FindSettings returns the stored settings, or DefaultSettings.
	FindSettings(ctx context.Context) (*Settings, error)
	// SaveSettings validates and stores the settings.
	SaveSettings(ctx context.Context, s *Settings) error
}

// Validate checks every field of the settings.
func (s Settings) Validate() error {
	switch s.ApprovalMode {
	case ApprovalAboveThreshold, ApprovalAlways, ApprovalNever:
	default:
		return FieldErrorf(EINVALID, "approvalMode", "unknown approval mode %q", s.ApprovalMode)
	}
	if s.ApprovalThreshold.Amount < 0 {
		return FieldErrorf(EINVALID, "approvalThreshold", "approvalThreshold must not be negative")
	}
	if s.ApprovalTimeout < time.Second || s.ApprovalTimeout > 30*24*time.Hour {
		return FieldErrorf(EINVALID, "approvalTimeout", "approvalTimeout must be between 1s and 30 days")
	}
	seen := map[Step]bool{}
	for _, r := range s.FailureRates {
		if err := r.Validate(); err != nil {
			return err
		}
		if seen[r.Step] {
			return FieldErrorf(EINVALID, "failureRates", "step %s is listed twice", r.Step)
		}
		seen[r.Step] = true
	}
	return nil
}
