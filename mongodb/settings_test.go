package mongodb

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

func TestSettings(t *testing.T) {
	ctx := context.Background()
	ss := NewSettingsService(newTestDB(t), SettingsOptions{})
	got, err := ss.FindSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, orderly.DefaultSettings()) {
		t.Fatalf("settings before any save = %+v, want the defaults", got)
	}

	s := orderly.DefaultSettings()
	s.ApprovalMode = orderly.ApprovalAlways
	s.ApprovalTimeout = 90 * time.Second
	s.FailureRates = []orderly.FailureRate{{Step: orderly.StepPayment, FailureProbability: 0.25, LatencyProbability: 0.1, Latency: 3 * time.Second}}
	if err := ss.SaveSettings(ctx, &s); err != nil {
		t.Fatal(err)
	}
	if s.UpdatedAt.IsZero() {
		t.Error("SaveSettings did not stamp UpdatedAt")
	}
	got, err = ss.FindSettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, s) {
		t.Fatalf("read back %+v\nwant %+v", *got, s)
	}

	bad := s
	bad.FailureRates = []orderly.FailureRate{{Step: orderly.StepPayment, FailureProbability: 2}}
	wantCode(t, ss.SaveSettings(ctx, &bad), orderly.EINVALID)
	if got, _ := ss.FindSettings(ctx); got.FailureRates[0].FailureProbability != 0.25 {
		t.Error("an invalid save changed the stored settings")
	}
}

// TestSettingsCache: a worker's cached settings serve reads for CacheFor,
// then show another process's change; its own saves show at once.
func TestSettingsCache(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cached := NewSettingsService(db, SettingsOptions{CacheFor: 300 * time.Millisecond})
	other := NewSettingsService(db, SettingsOptions{})
	if _, err := cached.FindSettings(ctx); err != nil {
		t.Fatal(err)
	}
	s := orderly.DefaultSettings()
	s.ApprovalMode = orderly.ApprovalAlways
	if err := other.SaveSettings(ctx, &s); err != nil {
		t.Fatal(err)
	}
	if got, _ := cached.FindSettings(ctx); got.ApprovalMode == orderly.ApprovalAlways {
		t.Error("the cache did not serve the read")
	}
	if got, _ := other.FindSettings(ctx); got.ApprovalMode != orderly.ApprovalAlways {
		t.Error("an uncached service read an old value")
	}
	time.Sleep(400 * time.Millisecond)
	got, err := cached.FindSettings(ctx)
	if err != nil || got.ApprovalMode != orderly.ApprovalAlways {
		t.Fatalf("after CacheFor: %+v, %v", got, err)
	}
	got.ApprovalMode = orderly.ApprovalNever // the caller's copy
	s.ApprovalMode = orderly.ApprovalNever
	if err := cached.SaveSettings(ctx, &s); err != nil {
		t.Fatal(err)
	}
	if got, _ := cached.FindSettings(ctx); got.ApprovalMode != orderly.ApprovalNever {
		t.Error("a save through the cache did not show at once")
	}
}
