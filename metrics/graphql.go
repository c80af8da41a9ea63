package metrics

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/vektah/gqlparser/v2/ast"
)

// GraphQL is a gqlgen extension that counts and times operations and counts
// top-level errors by code. An operation is named after its root field
// (placeOrder, orders, orderUpdated), which the schema bounds, rather than
// the operation name a client chose; one asking for several root fields is
// "multiple", and one that never parsed or validated is "invalid".
//
// An operation is measured at its first response: for a query or a mutation
// that is the whole of it; for a subscription, the time to its first event
// (its initial state). Errors are counted in every response, subscription
// events included.
type GraphQL struct {
	operations *prometheus.CounterVec
	duration   *prometheus.HistogramVec
	errors     *prometheus.CounterVec
}

var (
	_ graphql.HandlerExtension     = (*GraphQL)(nil)
	_ graphql.OperationInterceptor = (*GraphQL)(nil)
	_ graphql.ResponseInterceptor  = (*GraphQL)(nil)
)

// NewGraphQL registers the GraphQL metrics in reg.
func NewGraphQL(reg prometheus.Registerer) *GraphQL {
	f := promauto.With(reg)
	return &GraphQL{
		operations: f.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "operations_total",
			Help: "GraphQL operations, by type (query, mutation, subscription), root field and outcome (ok or error: a top-level error in the first response).",
		}, []string{"type", "operation", "outcome"}),
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "operation_duration_seconds",
			Help:    "Time from receiving a GraphQL operation to its first response, by type and root field.",
			Buckets: latencyBuckets,
		}, []string{"type", "operation"}),
		errors: f.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "graphql", Name: "errors_total",
			Help: "Top-level GraphQL errors, by extensions.code (expected failures in mutation payloads are data, not counted here).",
		}, []string{"code"}),
	}
}

// ExtensionName names the extension for gqlgen.
func (*GraphQL) ExtensionName() string { return "OrderlyMetrics" }

// Validate accepts any schema.
func (*GraphQL) Validate(graphql.ExecutableSchema) error { return nil }

type opKey struct{}

// InterceptOperation measures the responses of an operation that parsed
// and validated.
func (m *GraphQL) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	oc := graphql.GetOperationContext(ctx)
	typ, name, start := string(oc.Operation.Operation), rootField(oc.Operation), oc.Stats.OperationStart
	if start.IsZero() {
		start = time.Now()
	}
	responses := next(context.WithValue(ctx, opKey{}, true))
	var answered atomic.Bool
	return func(ctx context.Context) *graphql.Response {
		resp := responses(ctx)
		if resp == nil {
			return nil
		}
		m.countErrors(resp)
		if answered.CompareAndSwap(false, true) {
			m.operations.WithLabelValues(typ, name, outcome(resp)).Inc()
			m.duration.WithLabelValues(typ, name).Observe(time.Since(start).Seconds())
		}
		return resp
	}
}

// InterceptResponse counts the answer to a request that never became an
// operation (a parse, validation or limit error); InterceptOperation
// measures the others.
func (m *GraphQL) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	resp := next(ctx)
	if resp == nil || ctx.Value(opKey{}) != nil {
		return resp
	}
	m.countErrors(resp)
	m.operations.WithLabelValues("unknown", "invalid", outcome(resp)).Inc()
	return resp
}

func (m *GraphQL) countErrors(resp *graphql.Response) {
	for _, e := range resp.Errors {
		code, _ := e.Extensions["code"].(string)
		if code == "" {
			code = "UNKNOWN"
		}
		m.errors.WithLabelValues(code).Inc()
	}
}

func outcome(resp *graphql.Response) string {
	if len(resp.Errors) > 0 {
		return "error"
	}
	return "ok"
}

// rootField names an operation after its one root field.
func rootField(op *ast.OperationDefinition) string {
	name := ""
	for _, sel := range op.SelectionSet {
		f, ok := sel.(*ast.Field)
		if !ok || (name != "" && name != f.Name) {
			return "multiple" // fragments, or several fields
		}
		name = f.Name
	}
	if name == "" {
		return "invalid"
	}
	return name
}
