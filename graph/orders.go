package graph

import (
	"context"
	"strings"

	"github.com/orderly-shop/orderly"
)

// placeOrder hands the caller's checkout to the checkout use case, which
// claims the cart, stores the order and starts its workflow.
func (r *Resolver) placeOrder(ctx context.Context, in PlaceOrderInput) (*orderly.Order, bool, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, false, err
	}
	addr, err := addressFromInput("input.shippingAddress", in.ShippingAddress)
	if err != nil {
		return nil, false, err
	}
	method, err := paymentMethodFromInput("input.paymentMethod", in.PaymentMethod)
	if err != nil {
		return nil, false, err
	}
	return r.Checkout.PlaceOrder(ctx, orderly.PlaceOrderRequest{
		CustomerID: c.ID, IdempotencyKey: strings.TrimSpace(in.IdempotencyKey), ShippingAddress: addr, PaymentMethod: method,
	})
}

// actOnOrder runs act on an order the caller may see (ENOTFOUND otherwise)
// and returns the order as stored afterwards.
func (r *Resolver) actOnOrder(ctx context.Context, orderID string, act func(*orderly.Customer, *orderly.Order) error) (*orderly.Order, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	o, err := r.orderFor(ctx, c, "input.orderId", orderID)
	if err != nil {
		return nil, err
	}
	if err := act(c, o); err != nil {
		return nil, err
	}
	return r.OrderService.FindOrderByID(ctx, o.ID)
}

// orderFilter builds the filter and sort of the orders query. Customers see
// only their own orders; visible is false when a customer asks for someone
// else's. A customer's search by e-mail stays within their own orders too:
// the store finds nothing for another customer's address (ForEmailCustomer).
func (r *Resolver) orderFilter(ctx context.Context, first *int, after *string, in *OrderFilter, by *OrderSort) (orderly.OrderFilter, bool, error) {
	c, err := viewer(ctx)
	if err != nil {
		return orderly.OrderFilter{}, false, err
	}
	page, err := pageRequest(first, after)
	if err != nil {
		return orderly.OrderFilter{}, false, err
	}
	f := orderly.OrderFilter{Page: page}
	if by != nil {
		f.Sort.Field = by.Field
		if by.Direction != nil {
			f.Sort.Direction = *by.Direction
		}
	}
	if in != nil {
		f.Statuses = in.Statuses
		f.ReturnStatuses = in.ReturnStatuses
		if in.OrderID != nil {
			f.OrderID = *in.OrderID
		}
		if in.CustomerEmail != nil {
			f.CustomerEmail = *in.CustomerEmail
		}
		if in.CustomerID != nil {
			if err := orderly.ValidateText("filter.customerId", *in.CustomerID, 0, 0); err != nil {
				return f, false, err
			}
			if !canSee(c, *in.CustomerID) {
				return f, false, nil
			}
			f.CustomerID = *in.CustomerID
		}
	}
	if !c.IsAdmin() {
		f.CustomerID = c.ID
	}
	f, err = f.Normalize()
	return f, err == nil, err
}

// cancelReason is the timeline's reason when the caller gives none.
func cancelReason(c *orderly.Customer) string {
	if c.IsAdmin() {
		return "cancelled by an operator"
	}
	return "cancelled by the customer"
}

// requiredReason checks a mandatory free-text reason.
func requiredReason(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	return s, checkLength(field, s, 1, orderly.MaxReasonLength)
}

// linePointers returns pointers into lines, the element type gqlgen's
// generated resolver signature asks for; it copies nothing.
func linePointers(lines []orderly.OrderLine) []*orderly.OrderLine {
	ps := make([]*orderly.OrderLine, len(lines))
	for i := range lines {
		ps[i] = &lines[i]
	}
	return ps
}
