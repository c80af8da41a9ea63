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
	ss := NewSettingsService(newTestDB(t))
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
