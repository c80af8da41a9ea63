package e2e

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	failurepb "go.temporal.io/api/failure/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	tclient "go.temporal.io/sdk/client"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// stack is an app of the lifecycle tests: its own database AND its own
// Temporal namespace. The namespace matters because every app's worker polls
// the same task queue names (`orders`, `shipping`): in a shared namespace,
// one app's worker would pick up another app's workflows and run their
// activities against the wrong database.
type stack struct {
	*app
	namespace string
	op        *client
}

// stackOptions tune startStack.
type stackOptions struct {
	// trackingInterval and trackingUpdates pace the shipping workflow (server
	// env SHIPPING_TRACKING_*); zero means 10ms and no tracking updates, so
	// an order runs to COMPLETED in a few seconds.
	trackingInterval time.Duration
	trackingUpdates  int
	// servers is the number of server replicas (default 1).
	servers int
	// storeURI is the store to use; "" means the package's shared one.
	storeURI string
	// env goes to both binaries, workerEnv and serverEnv to one each.
	env, workerEnv, serverEnv []string
}

// parallel builds the binaries, then marks t parallel. The build comes first
// because binary's cache is a plain map: filling it before t.Parallel keeps
// every write in the sequential phase of the package's tests.
func parallel(t *testing.T) {
	t.Helper()
	binary(t, "worker")
	binary(t, "server")
	t.Parallel()
}

// startStack starts an app in a fresh namespace and signs the operator in.
func startStack(t *testing.T, o stackOptions) *stack {
	t.Helper()
	ns := newNamespace(t)
	interval := o.trackingInterval
	if interval == 0 {
		interval = 10 * time.Millisecond
	}
	env := append([]string{
		"TEMPORAL_NAMESPACE=" + ns,
		"SHIPPING_TRACKING_INTERVAL=" + interval.String(),
		fmt.Sprintf("SHIPPING_TRACKING_UPDATES=%d", o.trackingUpdates),
	}, o.env...)
	a := startApp(t, appOptions{env: env, servers: o.servers, storeURI: o.storeURI, workerEnv: o.workerEnv, serverEnv: o.serverEnv})
	s := &stack{app: a, namespace: ns}
	s.op = a.operator(t)
	return s
}

// newNamespace registers a Temporal namespace unique to t and waits until
// the frontend serves it.
func newNamespace(t testing.TB) string {
	t.Helper()
	name := strings.ReplaceAll(devstack.TestDatabase(t), "_", "-")
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	nc, err := tclient.NewNamespaceClient(tclient.Options{HostPort: devstack.TestTemporal(t)})
	if err != nil {
		t.Fatalf("namespace client: %v", err)
	}
	defer nc.Close()
	err = nc.Register(ctx, &workflowservice.RegisterNamespaceRequest{
		Namespace:                        name,
		WorkflowExecutionRetentionPeriod: durationpb.New(24 * time.Hour),
	})
	if err != nil {
		t.Fatalf("register namespace %s: %v", name, err)
	}
	// The frontend learns about new namespaces from a cache; wait until it
	// accepts calls in this one.
	tc := temporalClientFor(t, name)
	for {
		_, err := tc.DescribeWorkflowExecution(ctx, "no-such-workflow", "")
		var nf *serviceerror.NotFound
		var nsNotFound *serviceerror.NamespaceNotFound
		if errors.As(err, &nf) && !errors.As(err, &nsNotFound) && !strings.Contains(err.Error(), "amespace") {
			return name
		}
		select {
		case <-ctx.Done():
			t.Fatalf("namespace %s not served within 30s: %v", name, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// temporalClientFor dials the shared Temporal server in a namespace; the
// client closes when t ends.
func temporalClientFor(t testing.TB, namespace string) tclient.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	c, err := tclient.DialContext(ctx, tclient.Options{HostPort: devstack.TestTemporal(t), Namespace: namespace})
	if err != nil {
		t.Fatalf("dial temporal: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}

// temporal returns a Temporal client in the stack's namespace.
func (s *stack) temporal(t testing.TB) tclient.Client { return temporalClientFor(t, s.namespace) }

// --- settings -------------------------------------------------------------

// setApproval sets the approval mode and timeout as the operator.
func (s *stack) setApproval(t testing.TB, mode orderly.ApprovalMode, timeout time.Duration) {
	t.Helper()
	var out struct {
		UpdateApprovalSettings struct {
			Settings *struct {
				ApprovalMode           string
				ApprovalTimeoutSeconds int
			}
			Errors []userError
		}
	}
	s.op.mustDo(t, `mutation($m: ApprovalMode!, $s: Int!) { updateApprovalSettings(input: {mode: $m, timeoutSeconds: $s}) {
		settings { approvalMode approvalTimeoutSeconds } errors { code message field } } }`,
		map[string]any{"m": string(mode), "s": int(timeout / time.Second)}, &out)
	p := out.UpdateApprovalSettings
	if len(p.Errors) > 0 || p.Settings == nil {
		t.Fatalf("updateApprovalSettings: %+v", p.Errors)
	}
	if p.Settings.ApprovalMode != string(mode) || p.Settings.ApprovalTimeoutSeconds != int(timeout/time.Second) {
		t.Fatalf("settings after update: %+v, want %s %s", *p.Settings, mode, timeout)
	}
}

// rate is a failure rate for setFailureRates.
type rate struct {
	step        orderly.Step
	failure     float64
	latencyProb float64
	latency     time.Duration
}

// setFailureRates sets the random failure and latency rates of steps.
func (s *stack) setFailureRates(t testing.TB, rates ...rate) {
	t.Helper()
	var in []map[string]any
	for _, r := range rates {
		in = append(in, map[string]any{"step": string(r.step), "failureProbability": r.failure,
			"latencyProbability": r.latencyProb, "latencyMs": int(r.latency / time.Millisecond)})
	}
	var out struct {
		SetFailureRates struct {
			Settings *struct{ FailureRates []struct{ Step string } }
			Errors   []userError
		}
	}
	s.op.mustDo(t, `mutation($r: [FailureRateInput!]!) { setFailureRates(input: {rates: $r}) {
		settings { failureRates { step } } errors { code message field } } }`, map[string]any{"r": in}, &out)
	if p := out.SetFailureRates; len(p.Errors) > 0 || p.Settings == nil {
		t.Fatalf("setFailureRates: %+v", p.Errors)
	}
}

// --- orders ---------------------------------------------------------------

// fullOrder is everything the lifecycle tests read of an order.
type fullOrder struct {
	ID               string
	Status           string
	Version          int
	FailureReason    *string
	CanCancel        bool
	CanChangeAddress bool
	Total            struct {
		Amount   int
		Currency string
	}
	ShippingAddress addressInput
	Lines           []struct {
		ProductID string
		Quantity  int
	}
	Timeline []struct {
		Version int
		Kind    string
		Status  string
		Detail  string
	}
	Payment *struct {
		ID         string
		Status     string
		Amount     struct{ Amount int }
		ChargedAt  time.Time
		RefundedAt *time.Time
	}
	Shipments []struct {
		ID             string
		Carrier        string
		TrackingNumber string
		Status         string
		Location       *struct{ ID, Name string }
		Lines          []struct {
			ProductID string
			Quantity  int
		}
	}
	PaymentMethod *struct{ Brand, Last4 string }
	Ledger        *ledger
	Returns       []struct {
		ID     string
		Status string
		Refund *struct{ Amount int }
	}
	ReturnsUntil *time.Time
	WorkflowID   string
	RunID        *string
}

// ledger is an order's payment ledger as the API shows it.
type ledger struct {
	Status                                          string
	Authorized, Captured, Refunded, Voided, Balance struct{ Amount int }
	Entries                                         []struct {
		ID            string
		Kind          string
		Amount        struct{ Amount int }
		PaymentID     string
		DeclineReason *string
		ReturnID      *string
	}
}

// kinds lists the ledger's entry kinds, oldest first; none for no ledger.
func (o fullOrder) ledgerKinds() []string {
	if o.Ledger == nil {
		return nil
	}
	var out []string
	for _, e := range o.Ledger.Entries {
		out = append(out, e.Kind)
	}
	return out
}

// captured reports whether the order's total was captured, in full.
func (o fullOrder) captured() bool {
	return o.Ledger != nil && o.Ledger.Captured.Amount == o.Total.Amount
}

const fullOrderFields = `id status version failureReason canCancel canChangeAddress
	total { amount currency }
	shippingAddress { name line1 line2 city postalCode country }
	lines { productId quantity }
	timeline { version kind status detail }
	payment { id status amount { amount } chargedAt refundedAt }
	shipments { id carrier trackingNumber status location { id name } lines { productId quantity } }
	paymentMethod { brand last4 }
	ledger { status authorized { amount } captured { amount } refunded { amount } voided { amount } balance { amount }
		entries { id kind amount { amount } paymentId declineReason returnId } }
	returns { id status refund { amount } }
	returnsUntil
	workflowId runId`

// reason returns the failure reason, "" if none.
func (o fullOrder) reason() string {
	if o.FailureReason == nil {
		return ""
	}
	return *o.FailureReason
}

// entries returns the timeline entries of a kind whose detail matches re.
func (o fullOrder) entries(kind string, re string) []string {
	rx := regexp.MustCompile(re)
	var out []string
	for _, e := range o.Timeline {
		if e.Kind == kind && rx.MatchString(e.Detail) {
			out = append(out, e.Detail)
		}
	}
	return out
}

// statusPath lists the statuses the order went through, in order. Entries
// of any kind may move the status (a refund is a COMPENSATION entry that
// moves the order to REFUNDED).
func (o fullOrder) statusPath() []string {
	var out []string
	for _, e := range o.Timeline {
		if len(out) == 0 || out[len(out)-1] != e.Status {
			out = append(out, e.Status)
		}
	}
	return out
}

// timelineText renders the timeline for failure messages.
func (o fullOrder) timelineText() string {
	var b strings.Builder
	for _, e := range o.Timeline {
		fmt.Fprintf(&b, "\n  v%d %-12s %-18s %s", e.Version, e.Kind, e.Status, e.Detail)
	}
	return b.String()
}

// getOrder reads an order over GraphQL.
func getOrder(t testing.TB, c *client, id string) fullOrder {
	t.Helper()
	var out struct{ Order *fullOrder }
	c.mustDo(t, `query($id: ID!) { order(id: $id) { `+fullOrderFields+` } }`, map[string]any{"id": id}, &out)
	if out.Order == nil {
		t.Fatalf("order %s not found", id)
	}
	return *out.Order
}

// waitOrder polls the order until cond holds, failing t after timeout.
func waitOrder(t testing.TB, c *client, id string, timeout time.Duration, what string, cond func(fullOrder) bool) fullOrder {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		o := getOrder(t, c, id)
		if cond(o) {
			return o
		}
		if orderly.OrderStatus(o.Status).IsFinal() || time.Now().After(deadline) {
			t.Fatalf("order %s never got %s within %s; it is %s (reason %q), timeline:%s", id, what, timeout, o.Status, o.reason(), o.timelineText())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// waitStatus waits until the order is in one of the statuses.
func waitStatus(t testing.TB, c *client, id string, timeout time.Duration, statuses ...orderly.OrderStatus) fullOrder {
	t.Helper()
	return waitOrder(t, c, id, timeout, fmt.Sprint(statuses), func(o fullOrder) bool {
		for _, s := range statuses {
			if o.Status == string(s) {
				return true
			}
		}
		return false
	})
}

// waitFinal waits until the order ends and checks the status it ended in.
func waitFinal(t testing.TB, c *client, id string, timeout time.Duration, want orderly.OrderStatus) fullOrder {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		o := getOrder(t, c, id)
		if orderly.OrderStatus(o.Status).IsFinal() {
			if o.Status != string(want) {
				t.Fatalf("order %s ended %s (reason %q), want %s; timeline:%s", id, o.Status, o.reason(), want, o.timelineText())
			}
			return o
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s did not end within %s; it is %s, timeline:%s", id, timeout, o.Status, o.timelineText())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// addressInput is a shipping address as the API takes and returns it.
type addressInput struct {
	Name       string `json:"name"`
	Line1      string `json:"line1"`
	Line2      string `json:"line2"`
	City       string `json:"city"`
	PostalCode string `json:"postalCode"`
	Country    string `json:"country"`
}

// buy puts quantity units of a product in the cart and places the order.
func buy(t testing.TB, c *client, productID string, quantity int) placedOrder {
	t.Helper()
	addToCart(t, c, productID, quantity)
	o, created := placeOrder(t, c, fmt.Sprintf("buy-%d", time.Now().UnixNano()))
	if !created {
		t.Fatal("placeOrder did not create an order")
	}
	return o
}

// productStock reads a product's stock over GraphQL.
func productStock(t testing.TB, c *client, id string) int {
	t.Helper()
	var out struct{ Product *struct{ Stock int } }
	c.mustDo(t, `query($id: ID!) { product(id: $id) { stock } }`, map[string]any{"id": id}, &out)
	if out.Product == nil {
		t.Fatalf("product %s not found", id)
	}
	return out.Product.Stock
}

// waitStock reads a product's stock through the API until it is want, for
// up to ten seconds, and returns the last figure read. The API serves the
// catalog from memory kept fresh by the change feed, so a change made by
// the worker shows after the feed's delay.
func waitStock(t testing.TB, c *client, id string, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := productStock(t, c, id)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// productBySKU finds a seeded product.
func productBySKU(t testing.TB, c *client, sku string) product {
	t.Helper()
	var out struct {
		Products struct {
			Edges []struct {
				Node struct {
					product
					SKU string
				}
			}
		}
	}
	c.mustDo(t, `query($s: String!) { products(first: 5, search: $s) { edges { node { id name sku stock price { amount } } } } }`,
		map[string]any{"s": sku}, &out)
	for _, e := range out.Products.Edges {
		if e.Node.SKU == sku {
			return e.Node.product
		}
	}
	t.Fatalf("no product %s in the catalog", sku)
	return product{}
}

// orderAction runs an order mutation that takes {orderId, ...} and returns
// {errors}; it returns the user errors.
func orderAction(t testing.TB, c *client, mutation string, input map[string]any) []userError {
	t.Helper()
	var out map[string]struct{ Errors []userError }
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	q := fmt.Sprintf(`mutation($in: %sInput!) { %s(input: $in) { errors { code message field } } }`,
		strings.ToUpper(mutation[:1])+mutation[1:], mutation)
	errs, err := c.do(ctx, q, map[string]any{"in": input}, &out)
	if err != nil {
		t.Fatalf("%s: %v", mutation, err)
	}
	if len(errs) > 0 {
		t.Fatalf("%s: top-level errors %+v", mutation, errs)
	}
	return out[mutation].Errors
}

// mustAct runs an order mutation that must succeed.
func mustAct(t testing.TB, c *client, mutation string, input map[string]any) {
	t.Helper()
	if errs := orderAction(t, c, mutation, input); len(errs) > 0 {
		t.Fatalf("%s(%v): %+v", mutation, input, errs)
	}
}

// wantConflict checks that a mutation was refused with CONFLICT and a
// message matching re.
func wantConflict(t testing.TB, errs []userError, re string) {
	t.Helper()
	if len(errs) != 1 || errs[0].Code != orderly.ECONFLICT || !regexp.MustCompile(re).MatchString(errs[0].Message) {
		t.Fatalf("want one CONFLICT error matching %q, got %+v", re, errs)
	}
}

// injectFailure asks the operator's simulateFailure for a step.
func (s *stack) injectFailure(t testing.TB, orderID string, step orderly.Step, mode orderly.FailureMode) {
	t.Helper()
	mustAct(t, s.op, "simulateFailure", map[string]any{"orderId": orderID, "step": string(step), "mode": string(mode)})
}

// approve approves an order as the operator.
func (s *stack) approve(t testing.TB, orderID string) {
	t.Helper()
	mustAct(t, s.op, "approveOrder", map[string]any{"orderId": orderID})
}

// me returns the signed-in customer's ID.
func me(t testing.TB, c *client) string {
	t.Helper()
	var out struct{ Me *struct{ ID string } }
	c.mustDo(t, `{ me { id } }`, nil, &out)
	if out.Me == nil {
		t.Fatal("me is null")
	}
	return out.Me.ID
}

// contains reports whether list has s.
func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// scenario is a named subtest for runConcurrently.
type scenario struct {
	name string
	run  func(t *testing.T)
}

// runConcurrently runs the scenarios as subtests at the same time, on one
// app. They do not call t.Parallel (which -parallel would throttle to the
// number of CPUs): they mostly wait on timers and each other's processes,
// so running them together keeps the package fast on a small machine.
func runConcurrently(t *testing.T, scenarios ...scenario) {
	t.Helper()
	var wg sync.WaitGroup
	for _, sc := range scenarios {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.Run(sc.name, sc.run)
		}()
	}
	wg.Wait()
}

// activityRun is how one activity of a workflow ended, as its history shows:
// Temporal writes an activity's started event only when the activity
// closes, with the attempt that closed it and the failure of the attempt
// before it (retried attempts leave no events of their own).
type activityRun struct {
	name        string
	identity    string // of the worker that ran the closing attempt
	attempt     int32
	lastFailure *failurepb.Failure
	closed      enumspb.EventType
}

// activityRuns reads a workflow's history and returns its activities, in
// the order they were scheduled.
func (s *stack) activityRuns(t testing.TB, workflowID string) []activityRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	it := s.temporal(t).GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	var runs []activityRun
	bySchedule := map[int64]int{}
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			t.Fatalf("history of %s: %v", workflowID, err)
		}
		switch ev.GetEventType() {
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
			bySchedule[ev.GetEventId()] = len(runs)
			runs = append(runs, activityRun{name: ev.GetActivityTaskScheduledEventAttributes().GetActivityType().GetName()})
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED:
			a := ev.GetActivityTaskStartedEventAttributes()
			r := &runs[bySchedule[a.GetScheduledEventId()]]
			r.attempt, r.lastFailure, r.identity = a.GetAttempt(), a.GetLastFailure(), a.GetIdentity()
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED:
			runs[bySchedule[ev.GetActivityTaskCompletedEventAttributes().GetScheduledEventId()]].closed = ev.GetEventType()
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_FAILED:
			runs[bySchedule[ev.GetActivityTaskFailedEventAttributes().GetScheduledEventId()]].closed = ev.GetEventType()
		case enumspb.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT:
			runs[bySchedule[ev.GetActivityTaskTimedOutEventAttributes().GetScheduledEventId()]].closed = ev.GetEventType()
		}
	}
	return runs
}

// activityRunsNamed returns the runs of one activity type.
func activityRunsNamed(runs []activityRun, name string) []activityRun {
	var out []activityRun
	for _, r := range runs {
		if r.name == name {
			out = append(out, r)
		}
	}
	return out
}

// checkExactlyOnce checks that a completed single-product order that went
// through approval did each side effect once: its total held once and
// captured once (the ledger and the provider's own books agree, each
// movement under its key once), its product's stock decremented once (to
// wantStock) with no reservation left, one notification per milestone, and
// one timeline entry per status, COMPLETED included.
func checkExactlyOnce(t *testing.T, db *store, o fullOrder, wantStock int) {
	t.Helper()
	if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "CAPTURE"}) || !o.captured() {
		t.Errorf("%s: ledger %v (%+v), want one authorization and one capture of %d", o.ID, kinds, o.Ledger, o.Total.Amount)
	}
	db.checkProviderMatches(t, o)
	stock, res := db.stock(t, o.Lines[0].ProductID)
	if stock != wantStock || slices.Contains(res, o.ID) {
		t.Errorf("%s: stock %d (reservations %v), want %d: decremented once, the reservation committed", o.ID, stock, res, wantStock)
	}
	want := []string{o.ID + ":awaiting_approval", o.ID + ":delivered", o.ID + ":payment_authorized", o.ID + ":shipped"}
	if ids := db.waitNotificationIDs(t, o.ID, want...); !slices.Equal(ids, want) {
		t.Errorf("notifications %v, want exactly one per milestone %v", ids, want)
	}
	counts := map[string]int{}
	for _, e := range o.Timeline {
		if e.Kind == string(orderly.EntryStatus) {
			counts[e.Status]++
		}
	}
	for st, n := range counts {
		if n != 1 {
			t.Errorf("%s: status %s entered %d times; timeline:%s", o.ID, st, n, o.timelineText())
		}
	}
	if counts[string(orderly.StatusCompleted)] != 1 {
		t.Errorf("%s: no COMPLETED entry; timeline:%s", o.ID, o.timelineText())
	}
}

// inFlight is an order a fault test keeps in flight.
type inFlight struct {
	sku         string
	order       placedOrder
	stockBefore int
}

// threeInFlight places one unit of each SKU with every order held for
// approval, then approves the first and waits until it is in transit, and
// approves the second, whose charge is then under way: one order in
// transit, one paying, one awaiting approval — the three states a store
// fault should find. Approval must be ALWAYS. placed, if not nil, is called
// with each order as soon as it is placed.
func threeInFlight(t *testing.T, s *stack, c *client, skus [3]string, placed func(*inFlight)) (transit, charging, held *inFlight) {
	t.Helper()
	var orders [3]*inFlight
	for i, sku := range skus {
		p := productBySKU(t, c, sku)
		o := &inFlight{sku: sku, stockBefore: productStock(t, c, p.ID)}
		o.order = buy(t, c, p.ID, 1)
		orders[i] = o
		if placed != nil {
			placed(o)
		}
	}
	for _, o := range orders {
		waitStatus(t, c, o.order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
	}
	s.approve(t, orders[0].order.ID)
	waitOrder(t, c, orders[0].order.ID, time.Minute, "a tracking update", func(o fullOrder) bool {
		return len(o.entries(string(orderly.EntryInfo), `^In transit`)) > 0
	})
	s.approve(t, orders[1].order.ID)
	return orders[0], orders[1], orders[2]
}
