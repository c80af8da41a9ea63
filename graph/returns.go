package graph

import (
	"context"

	"github.com/orderly-shop/orderly"
)

// requestReturn checks a return request against the order as stored (the
// root rule, orderly.NewReturn: delivered, within the window, quantities),
// which names the rule broken even once the order's workflow has ended,
// then asks the workflow, whose answer is the one that counts. The input is
// checked before the order is read.
func (r *Resolver) requestReturn(ctx context.Context, in RequestReturnInput) (*orderly.Return, *orderly.Order, error) {
	lines, err := linesFromInput("input.lines", in.Lines)
	if err != nil {
		return nil, nil, err
	}
	reason, err := optionalReason("input.reason", in.Reason, "")
	if err != nil {
		return nil, nil, err
	}
	var returnID string
	o, err := r.actOnOrder(ctx, in.OrderID, func(_ *orderly.Customer, o *orderly.Order) error {
		req := orderly.ReturnRequest{OrderID: o.ID, Lines: lines, Reason: reason}
		if _, err := orderly.NewReturn("", req, o.Lines, o.DeliveredLines(), o.Returns, o.ReturnsUntil, r.now()); err != nil {
			return err
		}
		returnID, err = r.OrderProcessing.RequestReturn(ctx, req)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	ret, ok := o.Return(returnID)
	if !ok {
		// Recorded before the workflow answered, so this is a bug.
		return nil, nil, orderly.Errorf(orderly.EINTERNAL, "graph: return %s of order %s not found", returnID, o.ID)
	}
	return &ret, o, nil
}

// returnAction runs act on a return of an order the caller may see
// (ENOTFOUND for a return that is not the order's) and returns both as
// stored afterwards.
func (r *Resolver) returnAction(ctx context.Context, orderID, returnID string, act func(*orderly.Customer, string) error) (*orderly.Return, *orderly.Order, error) {
	if err := checkID("input.returnId", "return", returnID); err != nil {
		return nil, nil, err
	}
	o, err := r.actOnOrder(ctx, orderID, func(c *orderly.Customer, o *orderly.Order) error {
		if _, ok := o.Return(returnID); !ok {
			return orderly.FieldErrorf(orderly.ENOTFOUND, "input.returnId", "order %s has no return %q", o.ID, returnID)
		}
		return act(c, returnID)
	})
	if err != nil {
		return nil, nil, err
	}
	ret, _ := o.Return(returnID)
	return &ret, o, nil
}
