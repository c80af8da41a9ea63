package graph

import (
	"context"
	"strings"

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
