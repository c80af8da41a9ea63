package workflows

import (
	"errors"
	"strings"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// Business metrics, as recorded through the SDK's metrics handler. With the
// Prometheus exporter, counters end in _total and the timer in _seconds.
const (
	// MetricOrdersPlaced counts OrderWorkflows started.
	MetricOrdersPlaced = "orderly_orders_placed"
	// MetricOrdersFinished counts orders that ended, tagged status
	// (COMPLETED, FAILED or CANCELLED).
	MetricOrdersFinished = "orderly_orders_finished"
	// MetricCompensations counts the saga's undo steps that ran, tagged kind
	// (refund_payment, release_stock).
	MetricCompensations = "orderly_compensations"
	// MetricRevenue adds up the totals of completed orders in minor units,
	// tagged currency.
	MetricRevenue = "orderly_revenue_minor_units"
	// MetricTimeToComplete times an order from its placement (the
	// workflow's start) to COMPLETED.
	MetricTimeToComplete = "orderly_order_time_to_complete"
)

// NewMetricsInterceptor returns the worker interceptor that records the
// business figures of each OrderWorkflow: placed when it starts; finished
// (by status), its compensations (by kind), revenue and time to complete
// from its result when the order ends. A completed order ends when it
// reaches COMPLETED (orderEnded), although its workflow stays open through
// the return window, for days: the figures must not wait for that. Every
// other order ends with its workflow.
//
// Why nothing counts twice: the figures are derived from the workflow's
// input and result, which Temporal records once, not from activities, which
// it retries; and they go through workflow.GetMetricsHandler, which drops
// whatever a replaying workflow records, so a worker that replays a history
// (after a restart, a cache eviction, or to answer a query) adds nothing.
// What remains is Temporal's own at-least-once delivery of a workflow task
// whose completion was lost: it re-runs that task, as it does for the SDK's
// temporal_workflow_completed counter.
func NewMetricsInterceptor() interceptor.WorkerInterceptor { return &metricsInterceptor{} }

type metricsInterceptor struct {
	interceptor.WorkerInterceptorBase
}

// orderWorkflowName is the name OrderWorkflow is registered under.
const orderWorkflowName = "OrderWorkflow"

func (*metricsInterceptor) InterceptWorkflow(ctx workflow.Context, next interceptor.WorkflowInboundInterceptor) interceptor.WorkflowInboundInterceptor {
	if workflow.GetInfo(ctx).WorkflowType.Name != orderWorkflowName {
		return next
	}
	return &orderMetrics{WorkflowInboundInterceptorBase: interceptor.WorkflowInboundInterceptorBase{Next: next}}
}

type orderMetrics struct {
	interceptor.WorkflowInboundInterceptorBase
}

func (o *orderMetrics) ExecuteWorkflow(ctx workflow.Context, in *interceptor.ExecuteWorkflowInput) (any, error) {
	h := workflow.GetMetricsHandler(ctx)
	h.Counter(MetricOrdersPlaced).Inc(1)
	end := &orderEnd{h: h, in: in}
	out, err := o.Next.ExecuteWorkflow(workflow.WithValue(ctx, orderEndKey{}, end), in)
	if !end.recorded {
		recordOrderEnd(ctx, h, in, out, err)
	}
	return out, err
}

// orderEndKey is the workflow context key of the running order's orderEnd.
type orderEndKey struct{}

// orderEnd lets the workflow say when its order ended, once.
type orderEnd struct {
	h        client.MetricsHandler
	in       *interceptor.ExecuteWorkflowInput
	recorded bool
}

// orderEnded records the order's end figures now, from res, when the
// workflow runs under the metrics interceptor; the interceptor then records
// nothing more when the workflow returns.
func orderEnded(ctx workflow.Context, res OrderResult) {
	end, ok := ctx.Value(orderEndKey{}).(*orderEnd)
	if !ok || end.recorded {
		return
	}
	end.recorded = true
	recordOrderEnd(ctx, end.h, end.in, res, nil)
}

// recordOrderEnd records how an order ended. A workflow that failed (a
// compensation that could not run, a shipment lost after dispatch) counts as
// FAILED; one whose context was cancelled and ended with the cancellation
// counts as CANCELLED.
func recordOrderEnd(ctx workflow.Context, h client.MetricsHandler, in *interceptor.ExecuteWorkflowInput, out any, err error) {
	res, _ := out.(OrderResult)
	status := res.Status
	switch {
	case err != nil && errors.Is(err, workflow.ErrCanceled):
		status = orderly.StatusCancelled
	case err != nil || status == "":
		status = orderly.StatusFailed
	}
	h.WithTags(map[string]string{"status": string(status)}).Counter(MetricOrdersFinished).Inc(1)
	for _, c := range res.Compensations {
		h.WithTags(map[string]string{"kind": strings.ReplaceAll(c, " ", "_")}).Counter(MetricCompensations).Inc(1)
	}
	if status != orderly.StatusCompleted {
		return
	}
	var order OrderInput
	if len(in.Args) > 0 {
		order, _ = in.Args[0].(OrderInput)
	}
	if order.Total.Currency != "" {
		h.WithTags(map[string]string{"currency": order.Total.Currency}).Counter(MetricRevenue).Inc(order.Total.Amount)
	}
	h.Timer(MetricTimeToComplete).Record(workflow.Now(ctx).Sub(workflow.GetInfo(ctx).WorkflowStartTime))
}
