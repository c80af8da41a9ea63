package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// What an operation costs the store. Complexity counts fields, and a field
// that is cheap to answer can be dear to compute: 120 aliases of
// orders(first: 1) { totalCount } weigh 360 in complexity but were 240 scans
// of the orders collection (a page and a count each), 8.8 s on the embedded
// store, which serves one request at a time for every client. So three
// rules, beside complexity:
//
//   - storeLimit counts, before anything runs, the reads of an operation
//     that scan a collection on the embedded store (scanReads) and refuses
//     more than MaxScans (STORE_SCAN_LIMIT_EXCEEDED);
//   - it also refuses more than MaxRootFields root fields
//     (ROOT_FIELD_LIMIT_EXCEEDED), which bounds the point reads
//     (product(id), order(id)) and the mutations;
//   - takeTurns: the root fields of a query resolve one after another, so a
//     request never has more than one of its fields queued at the store,
//     and other clients' requests interleave with it.

// scanReads are the fields whose answer takes one read that scans a whole
// collection on the embedded store (a filtered or sorted find, a count, a
// lookup of many IDs by $in; only a lookup of one _id is indexed there), by
// "Type.field". A field is counted once per root field: its loaders batch
// all of a root field's lookups into one read. Query.nodes costs one read
// per type of ID it is given (scanReadsOf). TestScanReadsCoverTheSchema
// fails when a root field returns a list or connection that is not here.
var scanReads = map[string]bool{
	"Query.products":                    true,
	"Query.orders":                      true,
	"Query.notifications":               true,
	"Query.categories":                  true,
	"ProductConnection.totalCount":      true,
	"OrderConnection.totalCount":        true,
	"NotificationConnection.totalCount": true,
	"Order.customer":                    true, // the customers loader
	"OrderLine.product":                 true, // the products loader
	"Notification.order":                true, // the orders loader
	// A count by status and the window's orders; then none while the
	// process keeps the dashboard (dashboardTTL).
	"Query.operationsDashboard": true,
	// The locations are a handful of documents, read once per response
	// (Product.availability shares that read); low stock walks the catalog.
	"Query.locations": true,
	"Query.lowStock":  true,
}

// storeLimit is a handler extension that refuses an operation that would
// cost the store too much (see above), before anything runs. Subscriptions
// are left alone: they have one root field, and each of their events is
// one read of what changed.
type storeLimit struct {
	MaxRootFields int
	MaxScans      int
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = storeLimit{}

// ExtensionName implements graphql.HandlerExtension.
func (storeLimit) ExtensionName() string { return "StoreLimit" }

// Validate implements graphql.HandlerExtension.
func (storeLimit) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (l storeLimit) MutateOperationContext(_ context.Context, op *graphql.OperationContext) *gqlerror.Error {
	if op.Operation == nil || op.Operation.Operation == ast.Subscription {
		return nil
	}
	roots := rootFields(op.Operation.SelectionSet, map[string]bool{}, nil)
	if len(roots) > l.MaxRootFields {
		err := gqlerror.Errorf("operation selects %d root fields, which exceeds the limit of %d", len(roots), l.MaxRootFields)
		errcode.Set(err, "ROOT_FIELD_LIMIT_EXCEEDED")
		return err
	}
	scans := 0
	for _, f := range roots {
		scans += scanReadsOf(f, op.Variables)
	}
	if scans > l.MaxScans {
		err := gqlerror.Errorf("operation needs %d collection scans of the store (lists, counts, batched lookups), which exceeds the limit of %d", scans, l.MaxScans)
		errcode.Set(err, "STORE_SCAN_LIMIT_EXCEEDED")
		return err
	}
	return nil
}

// rootFields lists the fields a selection set asks for at its level,
// through fragments, __typename and introspection aside (visiting guards
// against fragment cycles).
func rootFields(set ast.SelectionSet, visiting map[string]bool, out []*ast.Field) []*ast.Field {
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if !strings.HasPrefix(s.Name, "__") {
				out = append(out, s)
			}
		case *ast.InlineFragment:
			out = rootFields(s.SelectionSet, visiting, out)
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			out = rootFields(s.Definition.SelectionSet, visiting, out)
			delete(visiting, s.Name)
		}
	}
	return out
}

// scanReadsOf counts the scanning reads one root field takes: each
// scanReads field it selects, at any depth, once; for nodes(ids:), one per
// type of ID.
func scanReadsOf(root *ast.Field, vars map[string]any) int {
	seen := map[string]bool{}
	var walk func(f *ast.Field, visiting map[string]bool)
	walk = func(f *ast.Field, visiting map[string]bool) {
		if f.ObjectDefinition != nil {
			seen[f.ObjectDefinition.Name+"."+f.Name] = true
		}
		for _, child := range rootFields(f.SelectionSet, visiting, nil) {
			walk(child, visiting)
		}
	}
	walk(root, map[string]bool{})
	n := 0
	for key := range seen {
		if scanReads[key] {
			n++
		}
	}
	if root.Name == "nodes" && root.ObjectDefinition != nil && root.ObjectDefinition.Name == "Query" {
		types := map[string]bool{}
		ids, _ := root.ArgumentMap(vars)["ids"].([]any)
		for _, id := range ids {
			if s, ok := id.(string); ok {
				prefix, _, _ := strings.Cut(s, "_")
				types[prefix] = true
			}
		}
		n += max(len(types), 1)
	}
	return n
}

type turnKey struct{}

// takeTurns is the operation middleware that gives each query one turn
// token, and takeTurn the root field middleware that holds it while one root
// field resolves, children included. gqlgen resolves a query's root fields
// concurrently; on a store that serves one request at a time, all of them
// would queue at once ahead of every other client. Mutations already run
// their root fields one by one, and a subscription has one.
func takeTurns(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	return next(context.WithValue(ctx, turnKey{}, make(chan struct{}, 1)))
}

// takeTurn: see takeTurns.
func takeTurn(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	turn, ok := ctx.Value(turnKey{}).(chan struct{})
	if !ok || !graphql.HasOperationContext(ctx) || graphql.GetOperationContext(ctx).Operation.Operation != ast.Query {
		return next(ctx)
	}
	select {
	case turn <- struct{}{}:
	case <-ctx.Done():
		return next(ctx) // it fails on the cancelled context by itself
	}
	defer func() { <-turn }()
	return next(ctx)
}
