package graph

import (
	"context"

	"github.com/orderly-shop/orderly"
)

// setFailureRates replaces the rates of the steps listed and keeps the others.
func (r *Resolver) setFailureRates(ctx context.Context, in []*FailureRateInput) (*orderly.Settings, error) {
	if len(in) > len(orderly.AllSteps) {
		return nil, invalid("input.rates", "give at most one rate per step")
	}
	rates := make([]orderly.FailureRate, 0, len(in))
	seen := map[orderly.Step]bool{}
	for i, ri := range in {
		rate, err := failureRateFromInput(i, ri)
		if err != nil {
			return nil, err
		}
		if seen[rate.Step] {
			return nil, invalid("input.rates", "step %s is listed twice", rate.Step)
		}
		seen[rate.Step] = true
		rates = append(rates, rate)
	}
	return r.updateSettings(ctx, func(s orderly.Settings) (orderly.Settings, error) {
		merged := make([]orderly.FailureRate, 0, len(orderly.AllSteps))
		for _, step := range orderly.AllSteps {
			rate := s.FailureRateFor(step)
			for _, n := range rates {
				if n.Step == step {
					rate = n
				}
			}
			merged = append(merged, rate)
		}
		s.FailureRates = merged
		return s, nil
	})
}

// updateSettings reads the settings, changes them with change, validates and
// stores them, and returns what was stored.
func (r *Resolver) updateSettings(ctx context.Context, change func(orderly.Settings) (orderly.Settings, error)) (*orderly.Settings, error) {
	cur, err := r.SettingsService.FindSettings(ctx)
	if err != nil {
		return nil, err
	}
	next, err := change(*cur)
	if err != nil {
		return nil, err
	}
	if err := next.Validate(); err != nil {
		return nil, err
	}
	next.UpdatedAt = r.now()
	if err := r.SettingsService.SaveSettings(ctx, &next); err != nil {
		return nil, err
	}
	return &next, nil
}
