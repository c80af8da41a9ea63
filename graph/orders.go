package graph

import (
	"context"
	"strings"
	"time"

	"github.com/orderly-shop/orderly"
)

// placeOrder turns the caller's cart into an order, starts its workflow and
// empties the cart. Each step is idempotent, so a client that retries with
// the same key after any failure gets the same order, and a workflow that
// failed to start is started by the retry.
func (r *Resolver) placeOrder(ctx context.Context, in PlaceOrderInput) (*orderly.Order, bool, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, false, err
	}
	key := strings.TrimSpace(in.IdempotencyKey)
	if err := checkLength("input.idempotencyKey", key, 1, maxKeyLength); err != nil {
		return nil, false, err
	}
	addr, err := addressFromInput("input.shippingAddress", in.ShippingAddress)
	if err != nil {
		return nil, false, err
	}
	cart, err := r.CartService.FindCart(ctx, c.ID)
	if err != nil {
		return nil, false, err
	}
	if len(cart.Lines) == 0 {
		// A resubmit after success finds the cart already emptied.
		o, err := r.OrderService.FindOrderByIdempotencyKey(ctx, c.ID, key)
		if orderly.ErrorCode(err) == orderly.ENOTFOUND {
			return nil, false, invalid("input", "the cart is empty")
		}
		return o, false, err
	}
	draft, err := newOrder(c.ID, key, addr, cart, r.now())
	if err != nil {
		return nil, false, err
	}
	o, created, err := r.OrderService.CreateOrder(ctx, draft)
	if err != nil {
		return nil, false, err
	}
	runID, err := r.OrderProcessing.StartOrder(ctx, o)
	if err != nil {
		return nil, false, err
	}
	if runID != "" && runID != o.RunID {
		if err := r.OrderService.SetOrderRun(ctx, o.ID, runID); err != nil {
			r.logger().WarnContext(ctx, "graph: recording the order's run failed", "order", o.ID, "error", err)
		}
		o.RunID = runID
	}
	if created {
		if _, err := r.CartService.ClearCart(ctx, c.ID); err != nil {
			r.logger().WarnContext(ctx, "graph: clearing the cart after placing an order failed", "order", o.ID, "error", err)
		}
	}
	return o, created, nil
}

// newOrder snapshots a priced cart into a new order at version 1.
func newOrder(customerID, key string, addr orderly.Address, cart *orderly.PricedCart, now time.Time) (*orderly.Order, error) {
	id := orderly.NewID(orderly.PrefixOrder)
	o := &orderly.Order{
		ID: id, CustomerID: customerID, IdempotencyKey: key, ShippingAddress: addr,
		Status: orderly.StatusReceived, Version: 1, WorkflowID: orderly.OrderWorkflowIDFor(id),
		CreatedAt: now, UpdatedAt: now,
		Timeline: []orderly.TimelineEntry{{
			Version: 1, EventID: "received", Kind: orderly.EntryStatus, Status: orderly.StatusReceived,
			Detail: "Order placed", At: now,
		}},
	}
	for _, l := range cart.Lines {
		if l.Product == nil {
			return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "input", "a product in the cart is no longer sold")
		}
		if l.Quantity > l.Product.Stock {
			return nil, orderly.FieldErrorf(orderly.EOUTOFSTOCK, "input", "only %d of %s left", l.Product.Stock, l.Product.Name)
		}
		o.Lines = append(o.Lines, orderly.OrderLine{
			ProductID: l.Product.ID, SKU: l.Product.SKU, Name: l.Product.Name,
			UnitPrice: l.UnitPrice, Quantity: l.Quantity, LineTotal: l.LineTotal,
		})
		o.Subtotal = o.Subtotal.Add(l.LineTotal)
	}
	o.ShippingCost = orderly.ShippingCostFor(o.Subtotal)
	o.Total = o.Subtotal.Add(o.ShippingCost)
	return o, nil
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

// orderFilter builds the filter of the orders query. Customers see only
// their own orders; visible is false when a customer asks for someone else's.
func (r *Resolver) orderFilter(ctx context.Context, first *int, after *string, in *OrderFilter) (orderly.OrderFilter, bool, error) {
	c, err := viewer(ctx)
	if err != nil {
		return orderly.OrderFilter{}, false, err
	}
	page, err := pageRequest(first, after)
	if err != nil {
		return orderly.OrderFilter{}, false, err
	}
	f := orderly.OrderFilter{Page: page}
	if in != nil {
		f.Statuses = in.Statuses
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
	return f, true, nil
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
	return s, checkLength(field, s, 1, maxReasonLength)
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
