package graph

import (
	"context"
	"strings"

	"github.com/orderly-shop/orderly"
)

// productFilter validates the products query's arguments.
func productFilter(first *int, after, search, category *string) (orderly.ProductFilter, error) {
	page, err := pageRequest(first, after)
	if err != nil {
		return orderly.ProductFilter{}, err
	}
	f := orderly.ProductFilter{Page: page}
	if search != nil {
		f.Search = strings.TrimSpace(*search)
	}
	if category != nil {
		f.Category = *category
	}
	return f, f.Validate()
}

// product returns a product, or nil when there is none; field names the
// argument that gave id.
func (r *Resolver) product(ctx context.Context, field, id string) (*orderly.Product, error) {
	if err := checkID(field, "product", id); orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	p, err := r.ProductService.FindProductByID(ctx, id)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil, nil
	}
	return p, err
}
