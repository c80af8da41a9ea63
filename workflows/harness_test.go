package workflows

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/log"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// harness runs an OrderWorkflow in the SDK test environment, with the real
// activities over a memStore (so status moves are checked against
// CanTransitionTo, and the tests can look at stock, payments and the
// timeline), and env.OnActivity mocks where a test forces an outcome.
type harness struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	store *memStore
	acts  *Activities

	mu      sync.Mutex
	started []string // activity types, in the order they started
	awarded []AwardPointsInput
	updates int // update IDs handed out
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	return newHarnessWith(t, func(*testsuite.WorkflowTestSuite) {})
}

// newHarnessWith is newHarness with the test suite set up by configure
// first (a metrics handler, say).
func newHarnessWith(t *testing.T, configure func(*testsuite.WorkflowTestSuite)) *harness {
	t.Helper()
	var ts testsuite.WorkflowTestSuite
	ts.SetLogger(testLogger(t))
	configure(&ts)
	h := &harness{t: t, env: ts.NewTestWorkflowEnvironment(), store: newMemStore()}
	h.acts = h.store.activities()
	registerAll(h.env, h.acts)
	h.env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: "order_test"})
	h.env.SetOnActivityStartedListener(func(info *activity.Info, _ context.Context, _ converter.EncodedValues) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.started = append(h.started, info.ActivityType.Name)
	})
	// Signal-with-start needs a Temporal client; RewardsWorkflow has tests
	// of its own, so here we only record what would be sent.
	h.env.OnActivity(h.acts.AwardPoints, mock.Anything, mock.Anything).Return(
		func(_ context.Context, in AwardPointsInput) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.awarded = append(h.awarded, in)
			return nil
		}).Maybe()
	return h
}

// registerAll registers both task queues' workflows and activities in one
// test environment (which, unlike two workers, rejects a second registration
// of RecordOrderEvent).
func registerAll(env *testsuite.TestWorkflowEnvironment, a *Activities) {
	RegisterOrderWorker(env, a)
	env.RegisterWorkflow(ShippingWorkflow)
	for _, fn := range a.shippingActivities() {
		env.RegisterActivity(fn)
	}
}

// chargePath runs the order as one started before the payment ledger: it
// charges the total before shipping and refunds it on the way out.
func (h *harness) chargePath() {
	h.env.OnGetVersion(changePaymentLedger, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
}

// run executes the workflow to its end and returns its result.
func (h *harness) run(in OrderInput) (OrderResult, error) {
	h.t.Helper()
	h.env.ExecuteWorkflow(OrderWorkflow, in)
	if !h.env.IsWorkflowCompleted() {
		h.t.Fatal("workflow did not complete")
	}
	var res OrderResult
	err := h.env.GetWorkflowError()
	if err == nil {
		if gerr := h.env.GetWorkflowResult(&res); gerr != nil {
			h.t.Fatalf("decode result: %v", gerr)
		}
	}
	return res, err
}

// count returns how many times an activity type started.
func (h *harness) count(name string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, s := range h.started {
		if s == name {
			n++
		}
	}
	return n
}

func (h *harness) ran(name string) bool { return h.count(name) > 0 }

// at schedules fn at d of workflow time (the test clock skips ahead).
func (h *harness) at(d time.Duration, fn func()) { h.env.RegisterDelayedCallback(fn, d) }

// update sends an update and returns a function that reports its outcome:
// rejected by the validator, or completed with an error or none.
func (h *harness) update(name string, arg any) *updateResult {
	r := &updateResult{}
	h.sendUpdate(r, "", name, arg)
	return r
}

// sendUpdate sends an update to the workflow with workflowID ("" for the
// order's) and reports its outcome in r.
func (h *harness) sendUpdate(r *updateResult, workflowID, name string, arg any) {
	cb := &testsuite.TestUpdateCallback{
		OnAccept:   func() { r.accepted = true },
		OnReject:   func(err error) { r.done, r.err, r.rejected = true, err, true },
		OnComplete: func(v any, err error) { r.done, r.err, r.value = true, err, v },
	}
	// Each update its own ID: the test environment answers a repeated ID
	// with the first update's outcome.
	h.mu.Lock()
	h.updates++
	id := fmt.Sprintf("update-%d", h.updates)
	h.mu.Unlock()
	if workflowID == "" {
		h.env.UpdateWorkflow(name, id, cb, arg)
		return
	}
	if err := h.env.UpdateWorkflowByID(workflowID, name, id, cb, arg); err != nil {
		r.done, r.err = true, err
	}
}

// updateAt sends an update at d of workflow time.
func (h *harness) updateAt(d time.Duration, workflowID, name string, arg any) *updateResult {
	r := &updateResult{}
	h.at(d, func() { h.sendUpdate(r, workflowID, name, arg) })
	return r
}

type updateResult struct {
	accepted, rejected, done bool
	err                      error
	// value is what a completed update returned.
	value any
}

// signalFailure injects a failure.
func (h *harness) signalFailure(step orderly.Step, mode orderly.FailureMode) {
	h.env.SignalWorkflow(SignalSimulateFailure, orderly.FailureInjection{Step: step, Mode: mode})
}

// query returns the order workflow's live state.
func (h *harness) query() orderly.OrderState {
	h.t.Helper()
	v, err := h.env.QueryWorkflow(QueryOrderState)
	if err != nil {
		h.t.Fatalf("query: %v", err)
	}
	var s orderly.OrderState
	if err := v.Get(&s); err != nil {
		h.t.Fatalf("decode state: %v", err)
	}
	return s
}

// statusPath is the sequence of statuses the order went through.
func statusPath(o *orderly.Order) []orderly.OrderStatus {
	var out []orderly.OrderStatus
	for _, t := range o.Timeline {
		if len(out) == 0 || out[len(out)-1] != t.Status {
			out = append(out, t.Status)
		}
	}
	return out
}

func assertPath(t *testing.T, o *orderly.Order, want ...orderly.OrderStatus) {
	t.Helper()
	if got := statusPath(o); !slices.Equal(got, want) {
		t.Errorf("status path = %v, want %v", got, want)
	}
}

// testLogger sends the SDK's and the workflows' logs to t.Log, so they show
// only for a failing test (or with -v).
func testLogger(t *testing.T) log.Logger {
	return log.NewStructuredLogger(slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo})))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
