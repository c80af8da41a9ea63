package report

import (
	"math"
	"slices"
	"time"
)

// Latency summarizes durations, in seconds.
type Latency struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50"`
	P90   float64 `json:"p90"`
	P99   float64 `json:"p99"`
	Max   float64 `json:"max"`
	Mean  float64 `json:"mean"`
}

// Summarize returns the percentiles of samples (nearest rank); zero samples
// give a zero Latency.
func Summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	s := slices.Clone(samples)
	slices.Sort(s)
	var sum time.Duration
	for _, d := range s {
		sum += d
	}
	rank := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(i, 0)].Seconds()
	}
	return Latency{
		Count: len(s), P50: rank(0.50), P90: rank(0.90), P99: rank(0.99),
		Max: s[len(s)-1].Seconds(), Mean: (sum / time.Duration(len(s))).Seconds(),
	}
}

// Ratio is a/b, 0 when b is zero (no baseline, no ratio).
func Ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}
