package workflows

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/mocks"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"github.com/orderly-shop/orderly"
)

// newActivityEnv returns a test activity environment with every activity
// registered over a fresh memStore.
func newActivityEnv(t *testing.T) (*testsuite.TestActivityEnvironment, *memStore, *Activities) {
	var ts testsuite.WorkflowTestSuite
	ts.SetLogger(testLogger(t))
	env := ts.NewTestActivityEnvironment()
	m := newMemStore()
	a := m.activities()
	for _, fn := range append(a.orderActivities(), a.shippingActivities()...) {
		env.RegisterActivity(fn)
	}
	return env, m, a
}

// appError returns the application error in err's chain, or fails the test.
func appError(t *testing.T, err error) *temporal.ApplicationError {
	t.Helper()
	var appErr *temporal.ApplicationError
	if !errors.As(err, &appErr) {
		t.Fatalf("error %v is not an application error", err)
	}
	return appErr
}

func TestChargePaymentChargesOnce(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := testOrder(m, "ord_pay", 1000, 1, 5)
	for _, s := range []orderly.OrderStatus{V, IR} {
		_, _ = m.ApplyOrderEvent(context.Background(), in.OrderID, orderly.OrderEvent{ID: statusEventID(s), Status: s})
	}
	charge := ChargePaymentInput{OrderID: in.OrderID, CustomerID: in.CustomerID, Amount: in.Total}
	for range 3 { // a retried activity, as Temporal would run it
		v, err := env.ExecuteActivity(a.ChargePayment, charge)
		if err != nil {
			t.Fatalf("charge: %v", err)
		}
		var res ChargePaymentResult
		_ = v.Get(&res)
		if res.PaymentID != orderly.PaymentIDFor(in.OrderID) {
			t.Errorf("payment ID = %q", res.PaymentID)
		}
	}
	o := m.order(in.OrderID)
	paid := 0
	for _, e := range entries(o, orderly.EntryStatus) {
		if e.Status == PD {
			paid++
		}
	}
	if m.charges != 1 || o.Status != PD || paid != 1 || o.Payment == nil {
		t.Errorf("charges %d, order %s with %d PAID entries; want one charge and one PAID entry", m.charges, o.Status, paid)
	}
}

func TestInjectedFailuresInActivities(t *testing.T) {
	tests := []struct {
		name         string
		mode         orderly.FailureMode
		errType      string
		nonRetryable bool
	}{
		{"permanent fails without retry", orderly.FailurePermanent, ErrTypeInjectedPermanentFailure, true},
		{"transient fails the first attempt, retryably", orderly.FailureTransient, ErrTypeInjectedTransientFailure, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, m, a := newActivityEnv(t)
			in := testOrder(m, "ord_inj", 1000, 1, 5)
			inj := &orderly.FailureInjection{Step: orderly.StepPayment, Mode: tt.mode}
			_, err := env.ExecuteActivity(a.ChargePayment, ChargePaymentInput{OrderID: in.OrderID, Amount: in.Total, Injection: inj})
			appErr := appError(t, err)
			if appErr.Type() != tt.errType || appErr.NonRetryable() != tt.nonRetryable {
				t.Errorf("error type %s (non-retryable %v), want %s (%v)", appErr.Type(), appErr.NonRetryable(), tt.errType, tt.nonRetryable)
			}
			if m.charges != 0 {
				t.Error("charged despite the injected failure")
			}
		})
	}
}

func TestInjectionForAnotherStepIsIgnored(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := testOrder(m, "ord_other", 1000, 1, 5)
	_, _ = m.ApplyOrderEvent(context.Background(), in.OrderID, orderly.OrderEvent{ID: "v", Status: V})
	inj := &orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailurePermanent}
	if _, err := env.ExecuteActivity(a.ReserveInventory, InventoryInput{OrderID: in.OrderID, Lines: in.Lines, Injection: inj}); err != nil {
		t.Errorf("reserve with a payment injection: %v", err)
	}
}

func TestSimulateAttempt(t *testing.T) {
	permanent := &orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailurePermanent}
	transient := &orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailureTransient}
	timeout := &orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailureTimeout}
	always := orderly.FailureRate{Step: orderly.StepPayment, FailureProbability: 1}
	tests := []struct {
		name     string
		attempt  int
		inj      *orderly.FailureInjection
		rate     orderly.FailureRate
		errType  string // "" for success
		stalled  bool   // ran until the context's deadline
		failures int    // FAILURE entries recorded
		retries  int    // retry entries recorded
	}{
		{"nothing injected", 1, nil, orderly.FailureRate{}, "", false, 0, 0},
		{"permanent", 1, permanent, orderly.FailureRate{}, ErrTypeInjectedPermanentFailure, false, 0, 0},
		{"transient attempt 1", 1, transient, orderly.FailureRate{}, ErrTypeInjectedTransientFailure, false, 1, 0},
		{"transient attempt 2", 2, transient, orderly.FailureRate{}, ErrTypeInjectedTransientFailure, false, 1, 1},
		{"transient attempt 3 recovers", 3, transient, orderly.FailureRate{}, "", false, 0, 1},
		{"timeout attempt 1 stalls", 1, timeout, orderly.FailureRate{}, "", true, 1, 0},
		{"timeout retry succeeds", 2, timeout, orderly.FailureRate{}, "", false, 0, 1},
		{"random failure rate", 1, nil, always, ErrTypeRandomFailure, false, 1, 0},
		{"random rate of another step", 1, nil, orderly.FailureRate{Step: orderly.StepInventory, FailureProbability: 1}, "", false, 0, 0},
		{"random latency past the timeout", 1, nil, orderly.FailureRate{Step: orderly.StepPayment, LatencyProbability: 1, Latency: time.Minute}, "", true, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMemStore()
			a := m.activities()
			in := testOrder(m, "ord_sim", 1000, 1, 5)
			if tt.rate.Step != "" {
				m.settings.FailureRates = []orderly.FailureRate{tt.rate}
			}
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			defer cancel()
			at := attemptInfo{number: tt.attempt, workflowID: "order_x", activityID: "7", activityName: "ChargePayment"}
			for range 2 { // a second run of the same attempt records nothing new
				err := a.simulateAttempt(ctx, at, in.OrderID, orderly.StepPayment, tt.inj)
				switch {
				case tt.stalled:
					if !errors.Is(err, context.DeadlineExceeded) {
						t.Fatalf("err = %v, want the attempt to run into its deadline", err)
					}
				case tt.errType == "":
					if err != nil {
						t.Fatalf("err = %v, want nil", err)
					}
				default:
					if appErr := appError(t, err); appErr.Type() != tt.errType {
						t.Fatalf("error type %s, want %s", appErr.Type(), tt.errType)
					}
				}
				if tt.stalled {
					break
				}
			}
			o := m.order(in.OrderID)
			if got := len(entries(o, orderly.EntryFailure)); got != tt.failures {
				t.Errorf("%d failure entries, want %d: %+v", got, tt.failures, o.Timeline)
			}
			if got := len(entries(o, orderly.EntryInfo)); got != tt.retries {
				t.Errorf("%d retry entries, want %d: %+v", got, tt.retries, o.Timeline)
			}
		})
	}
}

func TestReserveInventoryOutOfStockIsPermanent(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := testOrder(m, "ord_short", 1000, 4, 3)
	_, _ = m.ApplyOrderEvent(context.Background(), in.OrderID, orderly.OrderEvent{ID: "v", Status: V})
	_, err := env.ExecuteActivity(a.ReserveInventory, InventoryInput{OrderID: in.OrderID, Lines: in.Lines})
	appErr := appError(t, err)
	if appErr.Type() != ErrTypeOutOfStock || !appErr.NonRetryable() || appErr.Message() != "not enough Widget ord_short in stock: 4 wanted, 3 available" {
		t.Errorf("error = %v, want a non-retryable OutOfStock with the service's message", appErr)
	}
	if m.stockOf("prd_ord_short") != 3 {
		t.Error("stock changed")
	}
}

func TestRefundPayment(t *testing.T) {
	t.Run("nothing charged", func(t *testing.T) {
		env, m, a := newActivityEnv(t)
		in := testOrder(m, "ord_nopay", 1000, 1, 5)
		v, err := env.ExecuteActivity(a.RefundPayment, RefundPaymentInput{OrderID: in.OrderID})
		var res RefundPaymentResult
		if err != nil || v.Get(&res) != nil || res.Refunded {
			t.Errorf("refund = %+v, %v; want nothing refunded, no error", res, err)
		}
		if len(entries(m.order(in.OrderID), orderly.EntryCompensation)) != 0 {
			t.Error("recorded a refund that did not happen")
		}
	})
	t.Run("charged and PAID, refunded once", func(t *testing.T) {
		env, m, a := newActivityEnv(t)
		in := testOrder(m, "ord_refund", 1000, 1, 5)
		for _, s := range []orderly.OrderStatus{V, IR} {
			_, _ = m.ApplyOrderEvent(context.Background(), in.OrderID, orderly.OrderEvent{ID: statusEventID(s), Status: s})
		}
		if _, err := env.ExecuteActivity(a.ChargePayment, ChargePaymentInput{OrderID: in.OrderID, Amount: in.Total}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			v, err := env.ExecuteActivity(a.RefundPayment, RefundPaymentInput{OrderID: in.OrderID})
			var res RefundPaymentResult
			if err != nil || v.Get(&res) != nil || !res.Refunded {
				t.Fatalf("refund = %+v, %v", res, err)
			}
		}
		o := m.order(in.OrderID)
		if o.Status != RF || len(entries(o, orderly.EntryCompensation)) != 1 || o.Payment.Status != orderly.PaymentRefunded {
			t.Errorf("order %s, payment %+v; want REFUNDED once", o.Status, o.Payment)
		}
	})
}

func TestValidateOrder(t *testing.T) {
	tests := []struct {
		name     string
		mode     orderly.ApprovalMode
		total    int64 // unit price in cents, quantity 1, plus 500 shipping
		edit     func(*OrderInput)
		approval bool
		errType  string
	}{
		{"small order", orderly.ApprovalAboveThreshold, 1000, nil, false, ""},
		{"large order", orderly.ApprovalAboveThreshold, 200000, nil, true, ""},
		{"always", orderly.ApprovalAlways, 1000, nil, true, ""},
		{"never", orderly.ApprovalNever, 200000, nil, false, ""},
		{"inconsistent total", orderly.ApprovalNever, 1000, func(in *OrderInput) { in.Total = orderly.USD(1) }, false, ErrTypeInvalidOrder},
		{"unknown order", orderly.ApprovalNever, 1000, func(in *OrderInput) { in.OrderID = "ord_nope" }, false, ErrTypeInvalidOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env, m, a := newActivityEnv(t)
			m.settings.ApprovalMode = tt.mode
			in := testOrder(m, "ord_val", tt.total, 1, 5)
			if tt.edit != nil {
				tt.edit(&in)
			}
			v, err := env.ExecuteActivity(a.ValidateOrder, ValidateOrderInput{Order: in})
			if tt.errType != "" {
				if appErr := appError(t, err); appErr.Type() != tt.errType || !appErr.NonRetryable() {
					t.Errorf("error %v, want non-retryable %s", appErr, tt.errType)
				}
				return
			}
			var res ValidateOrderResult
			if err != nil || v.Get(&res) != nil {
				t.Fatalf("validate: %v", err)
			}
			if res.NeedsApproval != tt.approval || res.ApprovalTimeout != 24*time.Hour || (res.ApprovalReason == "") == tt.approval {
				t.Errorf("result = %+v, want approval %v with a reason", res, tt.approval)
			}
			if s := m.order("ord_val").Status; s != V {
				t.Errorf("status = %s, want VALIDATED", s)
			}
		})
	}
}

func TestApplyConflictIsPermanent(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := testOrder(m, "ord_conflict", 1000, 1, 5)
	_, err := env.ExecuteActivity(a.RecordOrderEvent, RecordOrderEventInput{OrderID: in.OrderID,
		Event: orderly.OrderEvent{ID: "x", Kind: orderly.EntryStatus, Status: orderly.StatusDelivered}})
	if appErr := appError(t, err); appErr.Type() != ErrTypeConflict || !appErr.NonRetryable() {
		t.Errorf("error %v, want a non-retryable Conflict", appErr)
	}
}

func TestShippingActivitiesAreIdempotent(t *testing.T) {
	env, m, a := newActivityEnv(t)
	in := testOrder(m, "ord_shipact", 1000, 1, 5)
	step := ShipmentStepInput{OrderID: in.OrderID, Shipment: orderly.Shipment{ID: "shp_1"}, Address: in.ShippingAddress}
	var first, second orderly.Shipment
	for i, out := range []*orderly.Shipment{&first, &second} {
		v, err := env.ExecuteActivity(a.CreateLabel, step)
		if err != nil || v.Get(out) != nil {
			t.Fatalf("label %d: %v", i, err)
		}
	}
	o := m.order(in.OrderID)
	if first.TrackingNumber != second.TrackingNumber || first.Carrier != "UPS" || len(o.Shipments) != 1 || len(o.Timeline) != 2 {
		t.Errorf("labels %+v / %+v, timeline %+v; want one label, recorded once", first, second, o.Timeline)
	}
}

func TestAwardPointsSignalsWithStart(t *testing.T) {
	env, _, a := newActivityEnv(t)
	c := &mocks.Client{}
	a.Temporal = c
	c.On("SignalWithStartWorkflow", mock.Anything, "rewards_cus_1", SignalAddPoints,
		AddPointsSignal{OrderID: "ord_1", Points: 42},
		mock.MatchedBy(func(o client.StartWorkflowOptions) bool {
			return o.ID == "rewards_cus_1" && o.TaskQueue == TaskQueueOrders
		}), mock.Anything, RewardsInput{CustomerID: "cus_1", MaxSignalsPerRun: 7}).
		Return(&mocks.WorkflowRun{}, nil).Once()

	if _, err := env.ExecuteActivity(a.AwardPoints, AwardPointsInput{
		CustomerID: "cus_1", OrderID: "ord_1", Points: 42, Rewards: RewardsInput{MaxSignalsPerRun: 7},
	}); err != nil {
		t.Fatalf("award: %v", err)
	}
	c.AssertExpectations(t)
}

func TestRewardsActivitiesRoundTrip(t *testing.T) {
	env, _, a := newActivityEnv(t)
	if _, err := env.ExecuteActivity(a.SaveRewards, SaveRewardsInput{Account: orderly.RewardsAccount{CustomerID: "cus_1", Points: 700, Tier: orderly.TierSilver, Version: 2}}); err != nil {
		t.Fatal(err)
	}
	v, err := env.ExecuteActivity(a.LoadRewards, LoadRewardsInput{CustomerID: "cus_1"})
	var acct orderly.RewardsAccount
	if err != nil || v.Get(&acct) != nil || acct.Points != 700 || acct.Version != 2 {
		t.Errorf("loaded %+v, %v; want what was saved", acct, err)
	}
}
