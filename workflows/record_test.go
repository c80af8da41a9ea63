package workflows

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/history/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/temporalproto"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/orderly-shop/orderly"
)

var record = flag.Bool("record", false, "write the histories of TestRealServerScenarios to testdata/histories (new names only)")

// recordNamespace keeps these runs away from the task queues of a real
// worker that may poll the same server (with real services behind it).
const recordNamespace = "orderly-workflows-test"

// TestRealServerScenarios drives every workflow through its main branches on
// a real Temporal server (ORDERLY_TEST_TEMPORAL_ADDRESS), with the real
// Client and a real worker whose activities run over the in-memory services.
// It checks what only a server shows (update validators over the wire, the
// error mapping of Client, signal-with-start, continue-as-new, real timeouts
// and retries), and with -record it writes each history to
// testdata/histories for TestReplayRecordedHistories:
//
//	go -C tools tool temporal server start-dev --port 7299 --headless &
//	ORDERLY_TEST_TEMPORAL_ADDRESS=127.0.0.1:7299 go test ./workflows -run TestRealServerScenarios -record
//
// -record writes only histories whose file does not exist yet: the recorded
// ones are the shapes running workflows have, and must keep replaying.
//
// With ORDERLY_TEST_TEMPORAL_CLI set to a `temporal` binary, the rewards
// scenario closes the rewards workflow with seed 000's exact command.
func TestRealServerScenarios(t *testing.T) {
	addr := os.Getenv("ORDERLY_TEST_TEMPORAL_ADDRESS")
	if addr == "" {
		t.Skip("ORDERLY_TEST_TEMPORAL_ADDRESS is not set")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	ensureNamespace(ctx, t, addr)
	tc, err := client.DialContext(ctx, client.Options{HostPort: addr, Namespace: recordNamespace, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer tc.Close()

	store := newMemStore()
	acts := store.activities()
	acts.Temporal = tc
	for _, q := range []struct {
		name     string
		register func(worker.Registry, *Activities)
	}{{TaskQueueOrders, RegisterOrderWorker}, {TaskQueueShipping, RegisterShippingWorker}} {
		w := worker.New(tc, q.name, worker.Options{})
		q.register(w, acts)
		if err := w.Start(); err != nil {
			t.Fatalf("start worker: %v", err)
		}
		defer w.Stop()
	}
	// A short return window: a completed order's workflow stays open
	// through it, and the scenarios wait for their workflows to close.
	window := ReturnOptions{Window: 2 * time.Second, CarrierInterval: -1}
	fast := NewClient(tc, ClientOptions{Shipping: ShippingOptions{TrackingUpdates: 2, TrackingInterval: 200 * time.Millisecond}, Returns: window})
	slow := NewClient(tc, ClientOptions{Shipping: ShippingOptions{TrackingUpdates: 2, TrackingInterval: 3 * time.Second}, Returns: window})
	returns := NewClient(tc, ClientOptions{Shipping: ShippingOptions{TrackingUpdates: -1, TrackingInterval: 100 * time.Millisecond},
		Returns: ReturnOptions{Window: 20 * time.Second, CarrierInterval: -1}})
	rs := &realScenario{t: t, ctx: ctx, tc: tc, store: store}

	settings := func(mode orderly.ApprovalMode, timeout time.Duration) {
		store.mu.Lock()
		defer store.mu.Unlock()
		store.settings.ApprovalMode, store.settings.ApprovalTimeout = mode, timeout
	}

	t.Run("happy path", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		id := rs.place(t, fast, 2500, 2)
		res := rs.result(t, id)
		// 2 × USD 25.00 ships free: 50 points.
		if res.Status != CO || res.PointsAwarded != 50 {
			t.Errorf("result = %+v, want COMPLETED with 50 points", res)
		}
		assertPath(t, store.order(id), R, V, IR, PA, SG, SD, DL, CO)
		rs.save(t, "order_ledger_completed", orderly.OrderWorkflowIDFor(id), "")
		rs.save(t, "shipping_delivered", ShippingWorkflowIDFor(ShipmentIDFor(id, 1)), "")
	})

	t.Run("approved after an address change, a second approval the same success", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.place(t, fast, 1000, 1)
		rs.waitStatus(t, fast, id, AA)
		addr := orderly.Address{Name: "Ada", Line1: "9 Side Rd", City: "Shelbyville", PostalCode: "54321", Country: "GB"}
		if _, err := fast.UpdateShippingAddress(ctx, id, addr); err != nil {
			t.Fatalf("change address: %v", err)
		}
		if err := fast.ApproveOrder(ctx, id, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		// A repeat of what happened gets the same answer (issue 10).
		if err := fast.ApproveOrder(ctx, id, "op_2"); err != nil {
			t.Errorf("second approve = %v, want the same success", err)
		}
		if res := rs.result(t, id); res.Status != CO {
			t.Errorf("result = %+v", res)
		}
		if got := store.order(id).ShippingAddress; got != addr {
			t.Errorf("address = %+v, want %+v", got, addr)
		}
		rs.save(t, "order_ledger_approved", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("rejected", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.place(t, fast, 1000, 1)
		rs.waitStatus(t, fast, id, AA)
		if err := fast.RejectOrder(ctx, id, "op_1", "fraud"); err != nil {
			t.Fatalf("reject: %v", err)
		}
		if res := rs.result(t, id); res.Status != CX || res.FailureReason != "rejected by an operator: fraud" {
			t.Errorf("result = %+v", res)
		}
		rs.save(t, "order_ledger_rejected", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("approval times out", func(t *testing.T) {
		settings(orderly.ApprovalAlways, 2*time.Second)
		id := rs.place(t, fast, 1000, 1)
		if res := rs.result(t, id); res.Status != CX || res.FailureReason != "not approved within 2s" {
			t.Errorf("result = %+v", res)
		}
		rs.save(t, "order_ledger_approval_timeout", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("cancelled before approval", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.place(t, fast, 1000, 1)
		rs.waitStatus(t, fast, id, AA)
		if _, err := fast.CancelOrder(ctx, id, "changed my mind"); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		// The update answered once the order was cancelled: no waiting here.
		if o := store.order(id); o.Status != CX || o.FailureReason != "changed my mind" {
			t.Errorf("order %s (%q) when the cancel returned, want CANCELLED", o.Status, o.FailureReason)
		}
		// A repeat of what happened gets the same answer (issue 10).
		if _, err := fast.CancelOrder(ctx, id, "again"); err != nil {
			t.Errorf("cancel of a cancelled order = %v, want the same success", err)
		}
		rs.save(t, "order_ledger_cancelled_before_approval", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("cancelled after payment, while a label attempt times out and retries", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.place(t, fast, 1000, 1)
		rs.waitStatus(t, fast, id, AA)
		if err := fast.SimulateFailure(ctx, id, orderly.FailureInjection{Step: orderly.StepShipping, Mode: orderly.FailureTimeout}); err != nil {
			t.Fatalf("simulate: %v", err)
		}
		if err := fast.ApproveOrder(ctx, id, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		rs.waitStatus(t, fast, id, SG)
		if _, err := fast.CancelOrder(ctx, id, ""); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		res := rs.result(t, id)
		if res.Status != CX || !res.Voided {
			t.Errorf("result = %+v, want CANCELLED and the hold voided", res)
		}
		o := store.order(id)
		assertPath(t, o, R, V, IR, AA, AP, PA, SG, CX)
		if !hasDetail(o, "Shipping (CreateLabel): attempt 1 stalls past its") || !hasDetail(o, "Shipping (CreateLabel): attempt 2") {
			t.Errorf("timeline %+v: want the stalled attempt and its retry", o.Timeline)
		}
		rs.save(t, "order_ledger_cancelled_voided", orderly.OrderWorkflowIDFor(id), "")
		rs.save(t, "shipping_cancelled", ShippingWorkflowIDFor(ShipmentIDFor(id, 1)), "")
	})

	t.Run("cancel and address change refused after dispatch", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		id := rs.place(t, slow, 1000, 1)
		rs.waitStatus(t, slow, id, SD)
		_, err := slow.CancelOrder(ctx, id, "")
		if orderly.ErrorCode(err) != orderly.ECONFLICT || orderly.ErrorMessage(err) != "cannot cancel: already dispatched" {
			t.Errorf("cancel = %v, want ECONFLICT: cannot cancel: already dispatched", err)
		}
		_, err = slow.UpdateShippingAddress(ctx, id, orderly.Address{Name: "A", Line1: "B", City: "C", PostalCode: "D", Country: "US"})
		if orderly.ErrorCode(err) != orderly.ECONFLICT {
			t.Errorf("address change = %v, want ECONFLICT", err)
		}
		if res := rs.result(t, id); res.Status != CO {
			t.Errorf("result = %+v", res)
		}
		rs.save(t, "order_ledger_cancel_refused_after_dispatch", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("split across two locations: two parcels, two captures", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		id := rs.placeSplit(t, fast)
		if res := rs.result(t, id); res.Status != CO {
			t.Errorf("result = %+v", res)
		}
		o := store.order(id)
		if len(o.Shipments) != 2 || countKind(o, orderly.PaymentCapture) != 2 || o.PaymentSummary().Captured != o.Total {
			t.Errorf("shipments %+v, ledger %v: want two parcels and two captures of the total", o.Shipments, ledgerKinds(o))
		}
		if !slices.Contains(statusPath(o), PS) || !slices.Contains(statusPath(o), PV) {
			t.Errorf("status path = %v, want the partial statuses", statusPath(o))
		}
		rs.save(t, "order_split_completed", orderly.OrderWorkflowIDFor(id), "")
		rs.save(t, "shipping_split_parcel", ShippingWorkflowIDFor(ShipmentIDFor(id, 2)), "")
	})

	t.Run("split: one parcel fails for good, its part voided, the order completes", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.placeSplit(t, fast)
		rs.waitStatus(t, fast, id, AA)
		if err := fast.SimulateFailure(ctx, id, orderly.FailureInjection{Step: orderly.StepShipping, Mode: orderly.FailurePermanent,
			ShipmentID: ShipmentIDFor(id, 2)}); err != nil {
			t.Fatalf("simulate: %v", err)
		}
		if err := fast.ApproveOrder(ctx, id, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if res := rs.result(t, id); res.Status != CO || !res.Voided {
			t.Errorf("result = %+v, want COMPLETED with the rest voided", res)
		}
		o := store.order(id)
		if s := o.PaymentSummary(); o.Shipments[1].Status != orderly.ShipmentFailed || s.Voided.Amount != 5000 {
			t.Errorf("shipments %+v, summary %+v: want the second failed and its 5000 voided", o.Shipments, s)
		}
		rs.save(t, "order_split_parcel_failed", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("split: cancel between two dispatches stops the parcel still here", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.placeSplit(t, slow)
		rs.waitStatus(t, slow, id, AA)
		if err := slow.SimulateFailure(ctx, id, orderly.FailureInjection{Step: orderly.StepShipping, Mode: orderly.FailureTimeout,
			ShipmentID: ShipmentIDFor(id, 2)}); err != nil {
			t.Fatalf("simulate: %v", err)
		}
		if err := slow.ApproveOrder(ctx, id, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		rs.waitStatus(t, slow, id, PS)
		change, err := slow.CancelOrder(ctx, id, "only the lamps")
		if err != nil || !slices.Equal(change.Changed, []string{ShipmentIDFor(id, 2)}) || !slices.Equal(change.Dispatched, []string{ShipmentIDFor(id, 1)}) {
			t.Errorf("cancel = %+v, %v; want the second parcel cancelled, the first dispatched", change, err)
		}
		if res := rs.result(t, id); res.Status != CO || !res.Voided {
			t.Errorf("result = %+v", res)
		}
		rs.save(t, "order_split_cancel_between_dispatches", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("transient payment failure recovers", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.place(t, fast, 1000, 1)
		rs.waitStatus(t, fast, id, AA)
		_ = fast.SimulateFailure(ctx, id, orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailureTransient})
		if err := fast.ApproveOrder(ctx, id, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if res := rs.result(t, id); res.Status != CO {
			t.Errorf("result = %+v", res)
		}
		if n := len(entries(store.order(id), orderly.EntryFailure)); n != 2 {
			t.Errorf("%d failure entries, want 2", n)
		}
		if ps := store.providerPayments(id); len(ps) != 1 || countMovements(ps[0], orderly.PaymentAuthorization) != 1 {
			t.Errorf("provider payments = %v, want one authorization for three attempts", ps)
		}
		rs.save(t, "order_ledger_transient_payment_failure", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("permanent payment failure compensates", func(t *testing.T) {
		settings(orderly.ApprovalAlways, time.Minute)
		id := rs.place(t, fast, 1000, 1)
		rs.waitStatus(t, fast, id, AA)
		_ = fast.SimulateFailure(ctx, id, orderly.FailureInjection{Step: orderly.StepPayment, Mode: orderly.FailurePermanent})
		if err := fast.ApproveOrder(ctx, id, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		res := rs.result(t, id)
		if res.Status != FLD || len(res.Compensations) != 1 || res.Compensations[0] != CompensationReleaseStock {
			t.Errorf("result = %+v, want FAILED with the stock released", res)
		}
		rs.save(t, "order_ledger_permanent_payment_failure", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("declined card fails the order", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		id := rs.placeWith(t, fast, 1000, 1, "4000 0000 0000 9995")
		if res := rs.result(t, id); res.Status != FLD || res.FailureReason != "payment declined: the card has insufficient funds" {
			t.Errorf("result = %+v", res)
		}
		rs.save(t, "order_ledger_declined", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("the hold is renewed, or the order cancelled when it cannot be", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		store.mu.Lock()
		store.settings.FailureRates = []orderly.FailureRate{{Step: orderly.StepShipping, LatencyProbability: 1, Latency: 1500 * time.Millisecond}}
		store.mu.Unlock()
		defer func() {
			store.mu.Lock()
			store.settings.FailureRates = nil
			store.mu.Unlock()
		}()
		store.withAuthorizationTTL(3 * time.Second)
		defer store.withAuthorizationTTL(0)

		renewed := rs.place(t, fast, 1000, 1)
		refused := rs.placeWith(t, fast, 1000, 1, "4000 0000 0000 0341")
		if res := rs.result(t, renewed); res.Status != CO || countKind(store.order(renewed), orderly.PaymentAuthorization) < 2 {
			t.Errorf("result = %+v, ledger %v; want COMPLETED after a renewal", res, ledgerKinds(store.order(renewed)))
		}
		if res := rs.result(t, refused); res.Status != CX || !res.Voided ||
			res.FailureReason != "the payment authorization could not be renewed: payment declined: the card has insufficient funds" {
			t.Errorf("result = %+v, want CANCELLED with the hold voided", res)
		}
		rs.save(t, "order_ledger_reauthorized", orderly.OrderWorkflowIDFor(renewed), "")
		rs.save(t, "order_ledger_reauthorization_declined", orderly.OrderWorkflowIDFor(refused), "")
	})

	t.Run("refunds after delivery, an over-refund refused", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		id := rs.place(t, returns, 1500, 3)
		rs.waitStatus(t, returns, id, CO)
		o := store.order(id)
		over := o.Total.Add(orderly.USD(1))
		err := returns.RefundOrder(ctx, orderly.OrderRefund{OrderID: id, Amount: &over, OperatorID: "op_1"})
		if orderly.ErrorCode(err) != orderly.EOVERREFUND {
			t.Errorf("over-refund = %v, want OVER_REFUND", err)
		}
		part := orderly.USD(500)
		if err := returns.RefundOrder(ctx, orderly.OrderRefund{OrderID: id, Amount: &part, Reason: "late", OperatorID: "op_1"}); err != nil {
			t.Errorf("refund: %v", err)
		}
		lines := []orderly.LineQuantity{{ProductID: o.Lines[0].ProductID, Quantity: 1}}
		if err := returns.RefundOrder(ctx, orderly.OrderRefund{OrderID: id, Lines: lines, OperatorID: "op_1"}); err != nil {
			t.Errorf("refund of a line: %v", err)
		}
		if s := store.order(id).PaymentSummary(); s.Status != orderly.PaymentPartiallyRefunded || s.Refunded != orderly.USD(2000) {
			t.Errorf("summary = %+v", s)
		}
		rs.result(t, id)
		rs.save(t, "order_ledger_refunded", orderly.OrderWorkflowIDFor(id), "")
	})

	t.Run("returns: received and refunded, rejected, cancelled", func(t *testing.T) {
		settings(orderly.ApprovalNever, time.Minute)
		id := rs.place(t, returns, 1500, 3)
		rs.waitStatus(t, returns, id, CO)
		p := store.order(id).Lines[0].ProductID
		ask := func(n int) string {
			rid, err := returns.RequestReturn(ctx, orderly.ReturnRequest{OrderID: id, Lines: []orderly.LineQuantity{{ProductID: p, Quantity: n}}, Reason: "too big"})
			if err != nil {
				t.Fatalf("request return: %v", err)
			}
			return rid
		}
		first := ask(1)
		if _, err := returns.RequestReturn(ctx, orderly.ReturnRequest{OrderID: id, Lines: []orderly.LineQuantity{{ProductID: p, Quantity: 3}}}); orderly.ErrorCode(err) != orderly.ERETURNQUANTITY {
			t.Errorf("returning more than is left = %v, want RETURN_QUANTITY_EXCEEDED", err)
		}
		if err := returns.ApproveReturn(ctx, first, "op_1"); err != nil {
			t.Fatalf("approve: %v", err)
		}
		if err := returns.ApproveReturn(ctx, first, "op_1"); orderly.ErrorCode(err) != orderly.ECONFLICT {
			t.Errorf("second approve = %v, want CONFLICT", err)
		}
		if err := returns.MarkReturnReceived(ctx, first, "op_1"); err != nil {
			t.Fatalf("received: %v", err)
		}
		second := ask(1)
		if err := returns.RejectReturn(ctx, second, "op_1", "worn"); err != nil {
			t.Fatalf("reject: %v", err)
		}
		third := ask(1)
		if err := returns.CancelReturn(ctx, third, "kept it"); err != nil {
			t.Fatalf("cancel: %v", err)
		}
		res := rs.result(t, id)
		if len(res.Returns) != 3 || res.Returns[0].Status != orderly.ReturnRefunded || res.Returns[1].Status != orderly.ReturnRejected ||
			res.Returns[2].Status != orderly.ReturnCancelled {
			t.Errorf("returns = %+v", res.Returns)
		}
		rs.save(t, "order_ledger_returns", orderly.OrderWorkflowIDFor(id), "")
		rs.save(t, "return_received", orderly.ReturnWorkflowIDFor(first), "")
		rs.save(t, "return_rejected", orderly.ReturnWorkflowIDFor(second), "")
		rs.save(t, "return_cancelled", orderly.ReturnWorkflowIDFor(third), "")
	})

	t.Run("rewards continue as new, close, and carry over", func(t *testing.T) {
		customer := orderly.NewID(orderly.PrefixCustomer)
		wid := orderly.RewardsWorkflowIDFor(customer)
		first, err := tc.SignalWithStartWorkflow(ctx, wid, SignalAddPoints, AddPointsSignal{OrderID: "ord_a", Points: 400},
			rewardsStartOptions(customer), RewardsWorkflow, RewardsInput{CustomerID: customer, MaxSignalsPerRun: 2})
		if err != nil {
			t.Fatalf("signal-with-start: %v", err)
		}
		for _, s := range []AddPointsSignal{{"ord_a", 400}, {"ord_b", 200}, {"ord_c", 1000}} {
			if err := tc.SignalWorkflow(ctx, wid, "", SignalAddPoints, s); err != nil {
				t.Fatalf("signal: %v", err)
			}
		}
		rs.eventually(t, "a continued run", func() bool { return rs.currentRun(t, wid) != first.GetRunID() })
		second := rs.currentRun(t, wid)
		rs.eventually(t, "1600 points in the continued run", func() bool {
			s, err := fast.RewardsState(ctx, customer)
			return err == nil && s.Points == 1600 && s.Tier == orderly.TierGold && s.Running
		})
		// Close as seed 000 does, with the real CLI when the test has one
		// (ORDERLY_TEST_TEMPORAL_CLI, for example the binary that
		// `go -C tools build -o /tmp/temporal github.com/temporalio/cli/cmd/temporal` makes).
		if cli := os.Getenv("ORDERLY_TEST_TEMPORAL_CLI"); cli != "" {
			out, err := exec.CommandContext(ctx, cli, "workflow", "signal", "-w", wid, "--name", "close_workflow",
				"--address", addr, "--namespace", recordNamespace).CombinedOutput()
			if err != nil {
				t.Fatalf("temporal workflow signal --name close_workflow: %v\n%s", err, out)
			}
		} else if err := fast.CloseRewards(ctx, customer); err != nil {
			t.Fatalf("close: %v", err)
		}
		rs.eventually(t, "the run closed", func() bool {
			s, err := fast.RewardsState(ctx, customer)
			return err == nil && !s.Running && s.Points == 1600
		})
		rs.save(t, "rewards_continued_as_new", wid, first.GetRunID())
		rs.save(t, "rewards_closed", wid, second)

		// The next order starts a new run that loads the persisted points.
		if _, err := tc.SignalWithStartWorkflow(ctx, wid, SignalAddPoints, AddPointsSignal{OrderID: "ord_d", Points: 10},
			rewardsStartOptions(customer), RewardsWorkflow, RewardsInput{CustomerID: customer}); err != nil {
			t.Fatalf("signal-with-start after close: %v", err)
		}
		rs.eventually(t, "points carried over", func() bool {
			s, err := fast.RewardsState(ctx, customer)
			return err == nil && s.Running && s.Points == 1610
		})
		_ = fast.CloseRewards(ctx, customer)
	})
}

// realScenario holds what the scenarios share.
type realScenario struct {
	t     *testing.T
	ctx   context.Context
	tc    client.Client
	store *memStore
}

// place creates an order in the store and starts its workflow twice (the
// second start must return the same run).
func (rs *realScenario) place(t *testing.T, c *Client, unitCents int64, qty int) string {
	t.Helper()
	return rs.placeWith(t, c, unitCents, qty, "4242 4242 4242 4242")
}

// placeWith is place, paid with a test card.
func (rs *realScenario) placeWith(t *testing.T, c *Client, unitCents int64, qty int, cardNumber string) string {
	t.Helper()
	id := orderly.NewID(orderly.PrefixOrder)
	in := testOrder(rs.store, id, unitCents, qty, 10)
	rs.store.mu.Lock()
	rs.store.orders[id].PaymentMethod = card(t, cardNumber)
	rs.store.mu.Unlock()
	o := rs.store.order(in.OrderID)
	run1, err := c.StartOrder(rs.ctx, o)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	if run2, err := c.StartOrder(rs.ctx, o); err != nil || run2 != run1 {
		t.Errorf("second start = %q, %v; want the same run %q", run2, err, run1)
	}
	return id
}

// placeSplit places an order that ships from two locations (splitOrder)
// and starts its workflow.
func (rs *realScenario) placeSplit(t *testing.T, c *Client) string {
	t.Helper()
	id := orderly.NewID(orderly.PrefixOrder)
	splitOrder(rs.store, id)
	rs.store.mu.Lock()
	rs.store.orders[id].PaymentMethod = card(t, "4242 4242 4242 4242")
	rs.store.mu.Unlock()
	if _, err := c.StartOrder(rs.ctx, rs.store.order(id)); err != nil {
		t.Fatalf("start: %v", err)
	}
	return id
}

func (rs *realScenario) result(t *testing.T, orderID string) OrderResult {
	t.Helper()
	var res OrderResult
	err := rs.tc.GetWorkflow(rs.ctx, orderly.OrderWorkflowIDFor(orderID), "").Get(rs.ctx, &res)
	if err != nil {
		t.Fatalf("order workflow: %v", err)
	}
	return res
}

func (rs *realScenario) waitStatus(t *testing.T, c *Client, orderID string, want orderly.OrderStatus) {
	t.Helper()
	rs.eventually(t, "status "+string(want), func() bool {
		s, err := c.OrderState(rs.ctx, orderID)
		return err == nil && s.Status == want
	})
}

func (rs *realScenario) eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (rs *realScenario) currentRun(t *testing.T, workflowID string) string {
	t.Helper()
	d, err := rs.tc.DescribeWorkflowExecution(rs.ctx, workflowID, "")
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	return d.GetWorkflowExecutionInfo().GetExecution().GetRunId()
}

// save writes a closed workflow's history to testdata/histories/name.json,
// in the format `temporal workflow show --output json` writes, when -record
// is set.
func (rs *realScenario) save(t *testing.T, name, workflowID, runID string) {
	t.Helper()
	if !*record {
		return
	}
	// Wait for the run to close: a replay test needs the whole history.
	// (Get follows a continue-as-new chain to its end; its error, if any,
	// is part of what was recorded.)
	if err := rs.tc.GetWorkflow(rs.ctx, workflowID, runID).Get(rs.ctx, nil); err != nil {
		t.Logf("%s ended with: %v", workflowID, err)
	}
	hist := &history.History{}
	it := rs.tc.GetWorkflowHistory(rs.ctx, workflowID, runID, false, enums.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		e, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", workflowID, err)
		}
		hist.Events = append(hist.Events, e)
	}
	b, err := temporalproto.CustomJSONMarshalOptions{Indent: "  "}.Marshal(hist)
	if err != nil {
		t.Fatalf("marshal history: %v", err)
	}
	path := filepath.Join("testdata", "histories", name+".json")
	if _, err := os.Stat(path); err == nil {
		// A recorded history is what a running workflow looked like: it
		// stays, so the code keeps replaying it. A new shape gets a new name.
		t.Logf("kept %s: recorded already", path)
		return
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s (%d events)", path, len(hist.Events))
}

// ensureNamespace registers recordNamespace on the server if it is missing.
func ensureNamespace(ctx context.Context, t *testing.T, addr string) {
	t.Helper()
	nc, err := client.NewNamespaceClient(client.Options{HostPort: addr, Logger: testLogger(t)})
	if err != nil {
		t.Fatalf("namespace client: %v", err)
	}
	defer nc.Close()
	err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace: recordNamespace, WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	var exists *serviceerror.NamespaceAlreadyExists
	if err != nil && !errors.As(err, &exists) {
		t.Fatalf("register namespace: %v", err)
	}
	// A new namespace takes a moment to reach every service.
	for i := 0; ; i++ {
		if _, err := nc.Describe(ctx, recordNamespace); err == nil {
			return
		} else if i > 100 {
			t.Fatalf("namespace %s not ready: %v", recordNamespace, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
