package graph

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vikstrous/dataloadgen"

	"github.com/orderly-shop/orderly"
)

// loaders batch the lookups that fan out from lists: the products of order
// and cart lines, the customers of orders (operators list many customers'
// orders) and the orders of notifications. One set lives for one response,
// so a subscription event never sees a product cached by an earlier event.
type loaders struct {
	products  *dataloadgen.Loader[string, *orderly.Product]
	customers *dataloadgen.Loader[string, *orderly.Customer]
	orders    *dataloadgen.Loader[string, *orderly.Order]
	// locations reads the stock locations once per response: every
	// product's availability lists them.
	locations locationsOnce
}

type loadersKey struct{}

// loaderWait is how long a loader collects keys before one batched fetch:
// long enough for the goroutines resolving a list's items to all ask (at
// 2 ms, BenchmarkDataloaders sees a second batch in about 1 request in 70),
// short next to a store round trip. It is the whole latency the loaders add.
const loaderWait = 2 * time.Millisecond

func (r *Resolver) newLoaders() *loaders {
	opts := []dataloadgen.Option{dataloadgen.WithWait(loaderWait), dataloadgen.WithBatchCapacity(orderly.MaxPageSize)}
	return &loaders{
		products: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*orderly.Product, error) {
			ps, err := r.ProductService.FindProductsByIDs(ctx, ids)
			return byID(ps, func(p *orderly.Product) string { return p.ID }), err
		}, opts...),
		customers: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*orderly.Customer, error) {
			cs, err := r.AccountService.FindCustomersByIDs(ctx, ids)
			return byID(cs, func(c *orderly.Customer) string { return c.ID }), err
		}, opts...),
		orders: dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*orderly.Order, error) {
			os, err := r.OrderService.FindOrdersByIDs(ctx, ids)
			return byID(os, func(o *orderly.Order) string { return o.ID }), err
		}, opts...),
	}
}

func byID[T any](items []T, id func(T) string) map[string]T {
	m := make(map[string]T, len(items))
	for _, it := range items {
		m[id(it)] = it
	}
	return m
}

// withLoaders is a response middleware: each response (one per query or
// mutation, one per subscription event) gets fresh loaders.
func (r *Resolver) withLoaders(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	return next(context.WithValue(ctx, loadersKey{}, r.newLoaders()))
}

// loadersFrom returns the response's loaders, or fresh ones if the
// middleware did not run (direct use of the executable schema).
func (r *Resolver) loadersFrom(ctx context.Context) *loaders {
	if l, ok := ctx.Value(loadersKey{}).(*loaders); ok {
		return l
	}
	return r.newLoaders()
}

// load runs a loader and maps "not found" to a nil result without error.
func load[T any](ctx context.Context, l *dataloadgen.Loader[string, *T], id string) (*T, error) {
	v, err := l.Load(ctx, id)
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return v, err
}
