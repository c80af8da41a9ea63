package graph

import (
	"context"
	"time"

	"github.com/orderly-shop/orderly"
)

// cartChange is what a cart mutation asks for; zero fields are not checked.
type cartChange struct {
	productID string
	quantity  *int
}

// changeCart runs one change of the caller's own cart: a customer can only
// ever name products, never a cart, so no other cart is reachable. The
// product ID and quantity are checked before the service is called.
func (r *Resolver) changeCart(ctx context.Context, in cartChange,
	change func(c *orderly.Customer) (*orderly.PricedCart, error)) (*orderly.PricedCart, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if in.quantity != nil {
		if err := orderly.ValidateQuantity("input.quantity", *in.quantity); err != nil {
			return nil, err
		}
	}
	if in.productID != "" {
		if err := checkID("input.productId", "product", in.productID); err != nil {
			return nil, err
		}
	}
	return change(c)
}

// timeOrNil maps the zero time to null.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// stringOrNil maps the empty string to null.
func stringOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
