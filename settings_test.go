package orderly

import (
	"testing"
	"time"
)

func TestSettingsValidate(t *testing.T) {
	ok := DefaultSettings()
	if err := ok.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	tests := []struct {
		name  string
		field string
		edit  func(*Settings)
	}{
		{"unknown mode", "approvalMode", func(s *Settings) { s.ApprovalMode = "SOMETIMES" }},
		{"negative threshold", "approvalThreshold", func(s *Settings) { s.ApprovalThreshold = USD(-1) }},
		{"timeout too short", "approvalTimeout", func(s *Settings) { s.ApprovalTimeout = time.Millisecond }},
		{"probability above 1", "failureProbability", func(s *Settings) {
			s.FailureRates = []FailureRate{{Step: StepPayment, FailureProbability: 1.5}}
		}},
		{"latency too long", "latency", func(s *Settings) {
			s.FailureRates = []FailureRate{{Step: StepPayment, Latency: time.Hour}}
		}},
		{"unknown step", "step", func(s *Settings) { s.FailureRates = []FailureRate{{Step: "BILLING"}} }},
		{"step twice", "failureRates", func(s *Settings) {
			s.FailureRates = []FailureRate{{Step: StepPayment}, {Step: StepPayment}}
		}},
	}
	for _, tt := range tests {
		s := DefaultSettings()
		tt.edit(&s)
		err := s.Validate()
		if e, isErr := err.(*Error); !isErr || e.Code != EINVALID || e.Field != tt.field {
			t.Errorf("%s: Validate = %v, want INVALID on %s", tt.name, err, tt.field)
		}
	}
}

func TestNeedsApproval(t *testing.T) {
	s := DefaultSettings() // above USD 1,000.00
	if s.NeedsApproval(USD(100000)) || !s.NeedsApproval(USD(100001)) {
		t.Error("threshold is not strict 'above'")
	}
	s.ApprovalMode = ApprovalAlways
	if !s.NeedsApproval(USD(1)) {
		t.Error("ALWAYS did not hold a small order")
	}
	s.ApprovalMode = ApprovalNever
	if s.NeedsApproval(USD(1 << 40)) {
		t.Error("NEVER held an order")
	}
	if got := s.FailureRateFor(StepShipping); got.Step != StepShipping || got.FailureProbability != 0 {
		t.Errorf("FailureRateFor unset step = %+v", got)
	}
}
