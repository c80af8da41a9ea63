package graph

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/vikstrous/dataloadgen"

	"github.com/orderly-shop/orderly"
)

// Node is the Go side of the schema's Node interface: any object that
// node(id:) can return (*orderly.Product, *orderly.Order, *orderly.Customer).
// It is empty because those types live in the root package, which knows
// nothing of GraphQL; node() decides which IDs resolve to what.
type Node interface{}

// node resolves a global ID by its type prefix, with the same visibility
// rules as the typed queries: products for everyone, orders for their owner
// and operators, customers for themselves and operators. Anything else is
// nil, so node(id:) tells nobody whether someone else's object exists.
//
// field names the argument that gave id ("id", "ids.3").
func (r *Resolver) node(ctx context.Context, field, id string) (Node, error) {
	if err := orderly.ValidateText(field, id, 0, 0); err != nil {
		return nil, err
	}
	prefix, _, _ := strings.Cut(id, "_")
	c := orderly.CustomerFromContext(ctx)
	switch prefix {
	case orderly.PrefixProduct:
		if p, err := r.product(ctx, field, id); p != nil || err != nil {
			return p, err
		}
	case orderly.PrefixOrder:
		if c == nil {
			return nil, nil
		}
		o, err := r.orderFor(ctx, c, field, id)
		if orderly.ErrorCode(err) == orderly.ENOTFOUND {
			return nil, nil
		} else if err != nil {
			return nil, err
		}
		return o, nil
	case orderly.PrefixCustomer:
		if !canSee(c, id) {
			return nil, nil
		}
		if c.ID == id {
			return c, nil
		}
		cu, err := load(ctx, r.loadersFrom(ctx).customers, id)
		if cu != nil || err != nil {
			return cu, err
		}
	}
	return nil, nil
}

// nodes resolves many global IDs with node's rules, through the response's
// loaders: one batched read per type for all the IDs (each collection
// scanned at most once on the embedded store, storeCosts), where node is
// one point read per ID. Every ID is screened before anything is read.
func (r *Resolver) nodes(ctx context.Context, ids []string) ([]Node, error) {
	l := r.loadersFrom(ctx)
	c := orderly.CustomerFromContext(ctx)
	nothing := func() (Node, error) { return nil, nil }
	resolve := make([]func() (Node, error), len(ids))
	for i, id := range ids {
		if err := orderly.ValidateText(fmt.Sprintf("ids.%d", i), id, 0, 0); err != nil {
			return nil, err
		}
		resolve[i] = nothing
		if id == "" || len(id) > maxIDLength {
			continue
		}
		switch prefix, _, _ := strings.Cut(id, "_"); {
		case prefix == orderly.PrefixProduct:
			product := l.products.LoadThunk(ctx, id)
			resolve[i] = func() (Node, error) {
				if p, err := loaded(product); p != nil || err != nil {
					return p, err
				}
				return nil, nil
			}
		case prefix == orderly.PrefixOrder && c != nil:
			order := l.orders.LoadThunk(ctx, id)
			resolve[i] = func() (Node, error) {
				if o, err := loaded(order); err != nil || (o != nil && canSee(c, o.CustomerID)) {
					return o, err
				}
				return nil, nil
			}
		case prefix == orderly.PrefixCustomer && canSee(c, id):
			if c.ID == id {
				resolve[i] = func() (Node, error) { return c, nil }
				break
			}
			customer := l.customers.LoadThunk(ctx, id)
			resolve[i] = func() (Node, error) {
				if cu, err := loaded(customer); cu != nil || err != nil {
					return cu, err
				}
				return nil, nil
			}
		}
	}
	out := make([]Node, len(ids))
	for i, f := range resolve {
		n, err := f()
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// loaded waits for a loader's thunk and maps "not found" to nil, as load does.
func loaded[T any](thunk func() (*T, error)) (*T, error) {
	v, err := thunk()
	if errors.Is(err, dataloadgen.ErrNotFound) {
		return nil, nil
	}
	return v, err
}
