package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/orderly-shop/orderly"
)

// depthLimit is a handler extension that rejects operations whose fields nest
// deeper than Max. Introspection fields (__schema, __type) are left to
// gqlparser's own introspection depth rule, so GraphiQL keeps working.
type depthLimit struct {
	Max int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (d depthLimit) ExtensionName() string { return "DepthLimit" }

// Validate implements graphql.HandlerExtension.
func (d depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (d depthLimit) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil {
		return nil
	}
	if depth := selectionDepth(op.Operation.SelectionSet, map[string]bool{}); depth > d.Max {
		err := gqlerror.Errorf("operation has depth %d, which exceeds the limit of %d", depth, d.Max)
		errcode.Set(err, "DEPTH_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// selectionDepth returns the deepest field nesting of a selection set.
// visiting guards against fragment cycles (validation rejects them, but the
// walk must not rely on it).
func selectionDepth(set ast.SelectionSet, visiting map[string]bool) int {
	deepest := 0
	for _, sel := range set {
		d := 0
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = 1 + selectionDepth(s.SelectionSet, visiting)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, visiting)
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			d = selectionDepth(s.Definition.SelectionSet, visiting)
			delete(visiting, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// noIntrospection is a handler extension that rejects operations selecting
// __schema or __type when introspection is off, before execution, so the
// client gets a clear request error (__typename stays allowed).
type noIntrospection struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = noIntrospection{}

// ExtensionName implements graphql.HandlerExtension.
func (noIntrospection) ExtensionName() string { return "NoIntrospection" }

// Validate implements graphql.HandlerExtension.
func (noIntrospection) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (noIntrospection) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation != nil && selectsIntrospection(op.Operation.SelectionSet, map[string]bool{}) {
		err := gqlerror.Errorf("introspection disabled")
		errcode.Set(err, "INTROSPECTION_DISABLED")
		return err
	}
	return nil
}

func selectsIntrospection(set ast.SelectionSet, visiting map[string]bool) bool {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name == "__schema" || s.Name == "__type" || selectsIntrospection(s.SelectionSet, visiting) {
				return true
			}
		case *ast.InlineFragment:
			if selectsIntrospection(s.SelectionSet, visiting) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			found := selectsIntrospection(s.Definition.SelectionSet, visiting)
			delete(visiting, s.Name)
			if found {
				return true
			}
		}
	}
	return false
}

// Complexity weights: every field costs 1 plus its children; lists multiply
// their children by how many items they can return.
const (
	// linesWeight is the assumed number of lines of an order or cart.
	linesWeight = 10
	// timelineWeight is the assumed length of an order's timeline.
	timelineWeight = 20
	// liveQueryCost is the cost of a field that queries a Temporal workflow.
	liveQueryCost = 50
)

// setComplexity assigns the per-field complexity functions.
func setComplexity(c *ComplexityRoot) {
	page := func(first *int) int {
		if first == nil {
			return orderly.DefaultPageSize
		}
		return min(max(*first, 1), orderly.MaxPageSize)
	}
	times := func(n int) func(int) int { return func(child int) int { return 1 + n*child } }

	c.Query.Products = func(child int, first *int, _, _, _ *string) int { return 1 + page(first)*child }
	c.Query.Orders = func(child int, first *int, _ *string, _ *OrderFilter, _ *OrderSort) int { return 1 + page(first)*child }
	c.Query.Notifications = func(child int, first *int, _ *string) int { return 1 + page(first)*child }
	c.Query.Nodes = func(child int, ids []string) int { return 1 + max(len(ids), 1)*child }

	c.Order.Lines = times(linesWeight)
	c.Order.Timeline = times(timelineWeight)
	c.Order.Shipments = times(linesWeight)
	c.Shipment.Lines = times(linesWeight)
	c.Cart.Lines = times(linesWeight)
	c.Order.WorkflowState = func(child int) int { return liveQueryCost + child }
	c.Rewards.WorkflowRunning = func(int) int { return liveQueryCost }
}
