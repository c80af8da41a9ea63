package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	commonpb "go.temporal.io/api/common/v1"
	enumspb "go.temporal.io/api/enums/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/codec"
	"github.com/orderly-shop/orderly/devstack"
)

// The shipping address every e2e order is placed with (placeOrder), as it
// must never appear in Temporal's history or in a span.
var plaintext = []string{"Ada Lovelace", "12 Analytical Row", "N1 9GU"}

// TestTelemetry runs the real binaries with tracing exported to an
// in-memory OTLP receiver, metrics on their own addresses and payloads
// encrypted, and checks each signal on real orders:
//
//   - one trace holds the placeOrder mutation, OrderWorkflow, its activities
//     (and the shipping child's) and the store commands those activities ran,
//     across the server and the worker, with no address in any span;
//   - /metrics on both binaries, after a completed order whose payment step
//     was retried twice and a failed order that released its stock, counts
//     each order once (placed, finished by status, revenue, time to
//     complete, compensations), and shows HTTP, GraphQL, websocket,
//     subscription, feed-lag, store and Temporal SDK series;
//   - the order's history, read from Temporal without the codec, holds no
//     name or address, and the codec endpoint decodes it for an operator.
func TestTelemetry(t *testing.T) {
	parallel(t)
	otlp := startOTLPReceiver(t)
	keys, err := codec.GenerateKey("e2e1")
	if err != nil {
		t.Fatal(err)
	}
	serverMetrics, workerMetrics := freeAddr(t), freeAddr(t)
	s := startStack(t, stackOptions{
		env: []string{
			"OTEL_EXPORTER_OTLP_ENDPOINT=" + otlp.url,
			"OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf",
			"OTEL_BSP_SCHEDULE_DELAY=100",
			"PAYLOAD_KEYS=" + keys,
			// A completed order's workflow stays open through its return
			// window, and its RunWorkflow span with it (the SDK's tracing
			// interceptor ends that span when the workflow returns): a
			// short window lets the whole trace arrive.
			"RETURN_WINDOW=1s",
		},
		serverEnv: []string{"METRICS_ADDR=" + serverMetrics},
		workerEnv: []string{"METRICS_ADDR=" + workerMetrics},
	})
	s.setApproval(t, orderly.ApprovalAlways, 2*time.Minute)
	c := s.register(t, "telemetry")
	p := cheapest(t, c, 4)

	// A completed order whose payment fails twice before it goes through.
	completed := buy(t, c, p.ID, 1)
	sub := c.subscribe(t, orderUpdatedSubscription, map[string]any{"id": completed.ID})
	waitStatus(t, c, completed.ID, 30*time.Second, orderly.StatusAwaitingApproval)
	live := scrape(t, serverMetrics)
	s.injectFailure(t, completed.ID, orderly.StepPayment, orderly.FailureTransient)
	s.approve(t, completed.ID)
	followOrder(t, sub, time.Minute)
	sub.conn.Close()
	done := waitFinal(t, c, completed.ID, time.Minute, orderly.StatusCompleted)

	// A failed order: a permanent payment failure releases the stock.
	failed := buy(t, c, p.ID, 1)
	waitStatus(t, c, failed.ID, 30*time.Second, orderly.StatusAwaitingApproval)
	s.injectFailure(t, failed.ID, orderly.StepPayment, orderly.FailurePermanent)
	s.approve(t, failed.ID)
	lost := waitFinal(t, c, failed.ID, time.Minute, orderly.StatusFailed)
	// An order's figures are recorded as it ends, a little after its last
	// status is stored (the completed one's at COMPLETED, before its return
	// window); the workflows end after them.
	waitMetrics(t, workerMetrics, "both orders' ends recorded", func(f map[string]*dto.MetricFamily) bool {
		completed, _ := metricValue(f, "orderly_orders_finished_total", map[string]string{"status": "COMPLETED"})
		failed, _ := metricValue(f, "orderly_orders_finished_total", map[string]string{"status": "FAILED"})
		return completed == 1 && failed == 1
	})
	for _, id := range []string{done.WorkflowID, lost.WorkflowID} {
		if err := s.temporal(t).GetWorkflow(t.Context(), id, "").Get(t.Context(), nil); err != nil {
			t.Fatalf("workflow %s: %v", id, err)
		}
	}

	// A request that is no operation: a validation error, counted by code.
	if errs, err := c.do(t.Context(), `{ noSuchField }`, nil, nil); err != nil || len(errs) != 1 {
		t.Fatalf("invalid query: %v %v", errs, err)
	}

	t.Run("one trace from placeOrder to the store", func(t *testing.T) {
		checkOrderTrace(t, otlp)
	})
	t.Run("metrics count each order once", func(t *testing.T) {
		checkLiveMetrics(t, live)
		// The server sees the closed socket at its next read.
		closed := waitMetrics(t, serverMetrics, "the websocket closed", func(f map[string]*dto.MetricFamily) bool {
			v, _ := metricValue(f, "orderly_websocket_connections", nil)
			return v == 0
		})
		checkServerMetrics(t, closed)
		worker := scrape(t, workerMetrics)
		checkWorkerMetrics(t, worker, done)
		// Every panel of the Grafana dashboard reads a series they export.
		checkDashboard(t, closed, worker)
	})
	t.Run("no plaintext in Temporal", func(t *testing.T) {
		checkNoPlaintext(t, s, done)
	})
}

// waitMetrics scrapes addr until cond holds, for at most ten seconds.
func waitMetrics(t *testing.T, addr, what string, cond func(map[string]*dto.MetricFamily) bool) map[string]*dto.MetricFamily {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		fams := scrape(t, addr)
		if cond(fams) {
			return fams
		}
		if time.Now().After(deadline) {
			t.Fatalf("metrics of %s: not %s within 10s", addr, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	port, err := devstack.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("127.0.0.1:%d", port)
}

// checkOrderTrace finds the trace of the placeOrder mutation and walks it:
// the workflow and its activities ran in the worker under that trace, and
// store commands ran under those activities.
func checkOrderTrace(t *testing.T, otlp *otlpReceiver) {
	byID := func(spans []receivedSpan) map[string]receivedSpan {
		m := map[string]receivedSpan{}
		for _, s := range spans {
			m[string(s.SpanId)] = s
		}
		return m
	}
	// under reports whether s descends from a span named like name.
	under := func(all map[string]receivedSpan, s receivedSpan, prefix string) bool {
		for i := 0; i < 100 && len(s.ParentSpanId) > 0; i++ {
			p, ok := all[string(s.ParentSpanId)]
			if !ok {
				return false
			}
			if strings.HasPrefix(p.Name, prefix) {
				return true
			}
			s = p
		}
		return false
	}
	isDB := func(s receivedSpan) bool {
		for _, a := range s.Attributes {
			if a.Key == "db.system.name" && a.GetValue().GetStringValue() == "mongodb" {
				return true
			}
		}
		return false
	}
	var inTrace []receivedSpan
	// complete reports whether the trace of one placeOrder holds it all.
	complete := func(spans []receivedSpan, id []byte) bool {
		inTrace = inTrace[:0]
		for _, s := range spans {
			if bytes.Equal(s.TraceId, id) {
				inTrace = append(inTrace, s)
			}
		}
		all := byID(inTrace)
		var workflow, charge, storeUnderActivity, shipping bool
		for _, s := range inTrace {
			switch {
			case s.Name == "RunWorkflow:OrderWorkflow" && s.service == "orderly-worker":
				workflow = true
			case s.Name == "RunActivity:AuthorizePayment":
				charge = true
			case s.Name == "RunWorkflow:ShippingWorkflow":
				shipping = true
			case isDB(s) && s.service == "orderly-worker" && under(all, s, "RunActivity:"):
				storeUnderActivity = true
			}
		}
		return workflow && charge && storeUnderActivity && shipping
	}
	otlp.waitSpans(t, 30*time.Second, "trace with the order's workflow, activities and store calls", func(spans []receivedSpan) bool {
		for _, s := range spans {
			if s.Name == "Mutation/placeOrder" && complete(spans, s.TraceId) {
				return true
			}
		}
		return false
	})
	all := byID(inTrace)
	names := map[string]bool{}
	for _, s := range inTrace {
		names[s.service+" "+s.Name] = true
	}
	for _, want := range []string{
		"orderly-server POST /graphql",
		"orderly-server Mutation/placeOrder",
		"orderly-server StartWorkflow:OrderWorkflow",
		"orderly-worker RunWorkflow:OrderWorkflow",
		"orderly-worker StartActivity:ReserveInventory",
		"orderly-worker RunActivity:ReserveInventory",
		"orderly-worker RunActivity:AuthorizePayment",
		"orderly-worker RunWorkflow:ShippingWorkflow",
		"orderly-worker RunActivity:DispatchShipment",
	} {
		if !names[want] {
			t.Errorf("the order's trace has no span %q", want)
		}
	}
	// The mutation's own store calls (claiming the cart, creating the order)
	// are in the trace too, under the GraphQL field.
	var resolverStore bool
	for _, s := range inTrace {
		if isDB(s) && s.service == "orderly-server" && under(all, s, "Mutation/placeOrder") {
			resolverStore = true
		}
	}
	if !resolverStore {
		t.Error("no store command under Mutation/placeOrder")
	}
	// The retried payment shows as three attempts, each its own span.
	if n := countNamed(inTrace, "RunActivity:AuthorizePayment"); n != 3 {
		t.Errorf("%d AuthorizePayment attempts in the trace, want 3 (two injected failures)", n)
	}
	// Spans hold neither the query text with its literals nor the address.
	for _, s := range otlp.received() {
		b, _ := proto.Marshal(s.Span)
		for _, p := range plaintext {
			if bytes.Contains(b, []byte(p)) {
				t.Errorf("span %s %q holds %q", s.service, s.Name, p)
			}
		}
	}
}

func countNamed(spans []receivedSpan, name string) int {
	n := 0
	for _, s := range spans {
		if s.Name == name {
			n++
		}
	}
	return n
}

// wantMetric checks one series: min <= value <= max.
func wantMetric(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string, lo, hi float64) {
	t.Helper()
	v, ok := metricValue(fams, name, labels)
	if !ok {
		t.Errorf("no metric %s", name)
		return
	}
	if v < lo || v > hi {
		t.Errorf("%s%v = %v, want %v..%v", name, labels, v, lo, hi)
	}
}

// checkLiveMetrics: while the order's subscription was open.
func checkLiveMetrics(t *testing.T, fams map[string]*dto.MetricFamily) {
	wantMetric(t, fams, "orderly_websocket_connections", nil, 1, 1)
	wantMetric(t, fams, "orderly_graphql_live_subscriptions", nil, 1, 1)
}

func checkServerMetrics(t *testing.T, fams map[string]*dto.MetricFamily) {
	inf := 1e12
	wantMetric(t, fams, "orderly_graphql_operations_total", map[string]string{"type": "mutation", "operation": "placeOrder", "outcome": "ok"}, 2, 2)
	wantMetric(t, fams, "orderly_graphql_operation_duration_seconds", map[string]string{"operation": "placeOrder"}, 2, 2)
	wantMetric(t, fams, "orderly_graphql_operations_total", map[string]string{"type": "subscription", "operation": "orderUpdated"}, 1, 1)
	wantMetric(t, fams, "orderly_graphql_operations_total", map[string]string{"operation": "invalid", "outcome": "error"}, 1, 1)
	wantMetric(t, fams, "orderly_graphql_errors_total", map[string]string{"code": "GRAPHQL_VALIDATION_FAILED"}, 1, 1)
	wantMetric(t, fams, "orderly_http_requests_total", map[string]string{"route": "/graphql", "method": "POST", "code": "200"}, 10, inf)
	wantMetric(t, fams, "orderly_http_requests_total", map[string]string{"route": "/graphql", "code": "101"}, 1, 1)
	wantMetric(t, fams, "orderly_http_request_duration_seconds", map[string]string{"route": "/graphql"}, 10, inf)
	wantMetric(t, fams, "orderly_websocket_connections", nil, 0, 0)
	wantMetric(t, fams, "orderly_graphql_live_subscriptions", nil, 0, 0)
	wantMetric(t, fams, "orderly_feed_lag_seconds", map[string]string{"kind": "ORDER"}, 1, inf)
	wantMetric(t, fams, "orderly_store_command_duration_seconds", map[string]string{"command": "find"}, 1, inf)
	wantMetric(t, fams, "temporal_request_total", map[string]string{"operation": "StartWorkflowExecution"}, 2, inf)
}

func checkWorkerMetrics(t *testing.T, fams map[string]*dto.MetricFamily, done fullOrder) {
	inf := 1e12
	// Exactly once each, although AuthorizePayment ran three times.
	wantMetric(t, fams, "orderly_orders_placed_total", nil, 2, 2)
	wantMetric(t, fams, "orderly_orders_finished_total", map[string]string{"status": "COMPLETED"}, 1, 1)
	wantMetric(t, fams, "orderly_orders_finished_total", map[string]string{"status": "FAILED"}, 1, 1)
	wantMetric(t, fams, "orderly_compensations_total", map[string]string{"kind": "release_stock"}, 1, 1)
	total := float64(done.Total.Amount)
	wantMetric(t, fams, "orderly_revenue_minor_units_total", map[string]string{"currency": done.Total.Currency}, total, total)
	wantMetric(t, fams, "orderly_order_time_to_complete_seconds", nil, 1, 1)
	wantMetric(t, fams, "temporal_activity_execution_failed_total", map[string]string{"activity_type": "AuthorizePayment"}, 3, 3)
	wantMetric(t, fams, "temporal_workflow_completed_total", map[string]string{"workflow_type": "OrderWorkflow"}, 2, 2)
	wantMetric(t, fams, "temporal_activity_execution_latency_seconds", map[string]string{"activity_type": "ReserveInventory"}, 2, inf)
	wantMetric(t, fams, "orderly_store_command_duration_seconds", map[string]string{"command": "update"}, 1, inf)
}

// checkNoPlaintext reads the order's and its shipment's histories straight
// from Temporal, with no codec: no payload holds a name or an address, and
// the order's input is encrypted. Then the codec endpoint, as an operator,
// decodes that input back to the address: the check above could fail.
func checkNoPlaintext(t *testing.T, s *stack, o fullOrder) {
	tc := s.temporal(t)
	var input *commonpb.Payload
	workflows := []string{o.WorkflowID}
	for i := 0; i < len(workflows); i++ {
		it := tc.GetWorkflowHistory(t.Context(), workflows[i], "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
		events := 0
		for it.HasNext() {
			ev, err := it.Next()
			if err != nil {
				t.Fatalf("history of %s: %v", workflows[i], err)
			}
			events++
			b, _ := proto.Marshal(ev)
			for _, p := range plaintext {
				if bytes.Contains(b, []byte(p)) {
					t.Errorf("%s event %d (%s) holds %q", workflows[i], ev.EventId, ev.EventType, p)
				}
			}
			if a := ev.GetWorkflowExecutionStartedEventAttributes(); a != nil && i == 0 {
				input = a.GetInput().GetPayloads()[0]
			}
			if a := ev.GetStartChildWorkflowExecutionInitiatedEventAttributes(); a != nil {
				workflows = append(workflows, a.WorkflowId)
			}
		}
		if events < 10 {
			t.Errorf("history of %s has only %d events", workflows[i], events)
		}
	}
	if len(workflows) < 2 {
		t.Error("the shipping child's history was not checked")
	}
	if input == nil || string(input.Metadata[codec.MetadataEncoding]) != codec.EncodingEncrypted {
		t.Fatalf("the order's input is not encrypted: %v", input)
	}
	body, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{input}})
	decode := func(token string) (int, string) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, s.servers[0].url+"/codec/decode", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Namespace", s.namespace)
		req.Header.Set("Origin", "http://localhost:8233")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("codec: %v", err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, b := decode(""); code != http.StatusUnauthorized || strings.Contains(b, "Ada") {
		t.Errorf("codec without a token: %d %s", code, b)
	}
	if code, b := decode(s.register(t, "nosy").token); code != http.StatusForbidden || strings.Contains(b, "Ada") {
		t.Errorf("codec as a shopper: %d %s", code, b)
	}
	code, b := decode(s.op.token)
	if code != http.StatusOK {
		t.Fatalf("codec as the operator: %d %s", code, b)
	}
	var out commonpb.Payloads
	if err := protojson.Unmarshal([]byte(b), &out); err != nil || len(out.Payloads) != 1 {
		t.Fatalf("codec answer %s: %v", b, err)
	}
	var in struct {
		OrderID         string
		ShippingAddress struct{ Name, Line1 string }
	}
	if err := json.Unmarshal(out.Payloads[0].Data, &in); err != nil {
		t.Fatalf("decoded input %s: %v", out.Payloads[0].Data, err)
	}
	if in.OrderID != o.ID || in.ShippingAddress.Name != plaintext[0] || in.ShippingAddress.Line1 != plaintext[1] {
		t.Errorf("decoded input %+v", in)
	}
}
