package workflows

import (
	"path/filepath"
	"strings"
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistories replays every history recorded from a real
// server (see TestRealServerScenarios) against the current workflow code:
// orders recorded before the payment ledger (order_*, on the charge path),
// after it (order_ledger_*, one parcel) and after split shipments
// (order_split_*, a parcel per location), shipments, returns and rewards.
// A change that would break a running order, shipment or rewards run (a
// command added, removed or reordered without workflow.GetVersion) fails
// here. An empty directory fails too: a replay test over nothing proves
// nothing.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "histories", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no histories under testdata/histories: record them with TestRealServerScenarios -record")
	}
	kinds := map[string]int{}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		kinds[strings.SplitN(name, "_", 2)[0]]++
		if strings.HasPrefix(name, "order_split_") {
			kinds["order split in parcels"]++
		} else if strings.HasPrefix(name, "order_ledger_") {
			kinds["order on the ledger"]++
		} else if strings.HasPrefix(name, "order_") {
			kinds["order on the charge path"]++
		}
		t.Run(name, func(t *testing.T) {
			r := worker.NewWorkflowReplayer()
			r.RegisterWorkflow(OrderWorkflow)
			r.RegisterWorkflow(ShippingWorkflow)
			r.RegisterWorkflow(ReturnWorkflow)
			r.RegisterWorkflow(RewardsWorkflow)
			if err := r.ReplayWorkflowHistoryFromJSONFile(testLogger(t), f); err != nil {
				t.Errorf("replay %s: %v", f, err)
			}
		})
	}
	for _, k := range []string{"order", "order on the charge path", "order on the ledger", "order split in parcels", "shipping", "return", "rewards"} {
		if kinds[k] == 0 {
			t.Errorf("no recorded %s history", k)
		}
	}
}

// TestReplayDetectsAnIncompatibleChange shows that the replay test has
// teeth: an OrderWorkflow that skips the validation step cannot replay a
// recorded order.
func TestReplayDetectsAnIncompatibleChange(t *testing.T) {
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(func(ctx workflow.Context, in OrderInput) (OrderResult, error) {
		w := &orderWorkflow{in: in, addressReplies: map[int]shipmentProgress{}, logger: workflow.GetLogger(ctx)}
		if err := w.setHandlers(ctx); err != nil {
			return OrderResult{}, err
		}
		if err := w.reserve(ctx); err != nil { // validation "forgotten"
			return OrderResult{}, err
		}
		return OrderResult{}, nil
	}, workflow.RegisterOptions{Name: "OrderWorkflow"})
	r.RegisterWorkflow(ShippingWorkflow)
	err := r.ReplayWorkflowHistoryFromJSONFile(testLogger(t), filepath.Join("testdata", "histories", "order_completed.json"))
	if err == nil || !strings.Contains(err.Error(), "TMPRL1100") { // the SDK's nondeterminism error code
		t.Errorf("replay of a changed workflow = %v, want a nondeterminism error", err)
	}
}
