// Package checkout turns carts into orders: the use case behind placeOrder,
// written once against the root interfaces so that any transport (the
// GraphQL API, a CLI, a webhook) calls the same code with the same
// guarantees. It implements orderly.CheckoutService.
//
// A checkout is four idempotent steps, each safe to repeat and each finished
// by whoever comes next if a process dies after it:
//
//  1. claim: the cart's lines of one version leave the cart, in one atomic
//     write that records the pending checkout and the order it makes;
//  2. store the order, under the ID its idempotency key derives;
//  3. start the order's workflow, under the ID the order derives;
//  4. settle: the cart's checkout is marked done.
//
// Two tabs, two keys, two replicas: one claim wins the cart version, and
// every other request for that version gets the winner's order. A line added
// while the checkout runs lands in the emptied cart, not in the order.
package checkout

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/orderly-shop/orderly"
)

// maxAttempts bounds the rounds of one PlaceOrder: a round is lost only to
// a concurrent change of the cart, which a shopper makes by hand.
const maxAttempts = 5

// Service implements orderly.CheckoutService.
type Service struct {
	Carts      orderly.CartService
	Orders     orderly.OrderService
	Processing orderly.OrderProcessing
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives the outcome of steps that do not fail the request.
	Logger *slog.Logger
}

var _ orderly.CheckoutService = (*Service)(nil)

// PlaceOrder claims the customer's cart for a new order, stores the order
// and starts its workflow. A repeat with the same key returns the order it
// placed; a concurrent checkout of the same cart version returns the order
// that won (created=false either way).
func (s *Service) PlaceOrder(ctx context.Context, req orderly.PlaceOrderRequest) (*orderly.Order, bool, error) {
	key := strings.TrimSpace(req.IdempotencyKey)
	if err := orderly.ValidateIdempotencyKey("input.idempotencyKey", key); err != nil {
		return nil, false, err
	}
	if err := req.ShippingAddress.Validate("input.shippingAddress"); err != nil {
		return nil, false, err
	}
	id := orderly.OrderIDFor(req.CustomerID, key)
	for range maxAttempts {
		// A request with this key placed the order already: answer with it
		// (and finish its steps, in case that request died on the way).
		o, err := s.Orders.FindOrderByID(ctx, id)
		if err == nil {
			return s.finish(ctx, o, false)
		} else if orderly.ErrorCode(err) != orderly.ENOTFOUND {
			return nil, false, err
		}
		cart, err := s.Carts.FindCart(ctx, req.CustomerID)
		if err != nil {
			return nil, false, err
		}
		if co := cart.Checkout; co != nil && co.Pending {
			// Another checkout claimed the cart and has not finished: finish
			// it. If the cart is empty now, this request raced that checkout
			// for the same lines, and its order is the answer; if lines were
			// added since, this request orders those.
			won, created, err := s.resume(ctx, req.CustomerID, co)
			if err != nil {
				return nil, false, err
			}
			if cart, err = s.Carts.FindCart(ctx, req.CustomerID); err != nil {
				return nil, false, err
			}
			if len(cart.Lines) == 0 {
				return won, created, nil
			}
			continue
		}
		if len(cart.Lines) == 0 {
			if co := cart.Checkout; co != nil {
				return nil, false, orderly.FieldErrorf(orderly.ECONFLICT, "input",
					"the cart is empty: its items were ordered as %s", co.OrderID)
			}
			return nil, false, orderly.FieldErrorf(orderly.EINVALID, "input", "the cart is empty")
		}
		draft, err := orderly.NewOrder(orderly.NewOrderInput{
			CustomerID: req.CustomerID, IdempotencyKey: key, ShippingAddress: req.ShippingAddress,
			PaymentMethod: req.PaymentMethod, Lines: cart.Lines, At: s.now(),
		})
		if err != nil {
			return nil, false, err
		}
		err = s.Carts.ClaimCart(ctx, req.CustomerID, cart.Version, draft)
		if orderly.ErrorCode(err) == orderly.ECONFLICT {
			// Lost the cart to a concurrent change. If that change was
			// another checkout of the same version, its order holds exactly
			// these lines: that is the answer. Otherwise try again on the
			// cart as it is now.
			if o, created, ok, err := s.wonBy(ctx, req.CustomerID, cart.Version); err != nil || ok {
				return o, created, err
			}
			continue
		}
		if err != nil {
			return nil, false, err
		}
		o, created, err := s.Orders.CreateOrder(ctx, draft)
		if err != nil {
			return nil, false, err
		}
		return s.finish(ctx, o, created)
	}
	return nil, false, orderly.Errorf(orderly.ECONFLICT, "the cart kept changing during checkout; review it and try again")
}

// wonBy returns the order of the checkout that claimed the cart at version,
// if that is what happened to it (ok), and whether this request stored it
// (created: it finished the winner's checkout before the winner did).
func (s *Service) wonBy(ctx context.Context, customerID string, version int) (o *orderly.Order, created, ok bool, err error) {
	cart, err := s.Carts.FindCart(ctx, customerID)
	if err != nil {
		return nil, false, false, err
	}
	co := cart.Checkout
	if co == nil || co.Version != version {
		return nil, false, false, nil
	}
	if co.Pending {
		o, created, err = s.resume(ctx, customerID, co)
		return o, created, err == nil, err
	}
	if o, err = s.Orders.FindOrderByID(ctx, co.OrderID); err != nil {
		return nil, false, false, err
	}
	o, _, err = s.finish(ctx, o, false)
	return o, false, err == nil, err
}

// resume finishes a pending checkout from its claim: the order it recorded
// is stored (a no-op if it was) and started, and the checkout settled. It
// reports whether this call stored the order (whichever of the requests
// racing for a cart gets there first does).
func (s *Service) resume(ctx context.Context, customerID string, co *orderly.CartCheckout) (*orderly.Order, bool, error) {
	var o *orderly.Order
	var created bool
	var err error
	if co.Order != nil {
		o, created, err = s.Orders.CreateOrder(ctx, co.Order)
	} else {
		o, err = s.Orders.FindOrderByID(ctx, co.OrderID)
	}
	if err != nil {
		return nil, false, err
	}
	if o.CustomerID != customerID {
		return nil, false, orderly.Errorf(orderly.EINTERNAL, "checkout: cart of %s holds order %s of %s", customerID, o.ID, o.CustomerID)
	}
	return s.finish(ctx, o, created)
}

// finish starts the order's workflow (starting it again is a no-op),
// records its run and settles the cart's checkout of it.
func (s *Service) finish(ctx context.Context, o *orderly.Order, created bool) (*orderly.Order, bool, error) {
	runID, err := s.Processing.StartOrder(ctx, o)
	if err != nil {
		return nil, false, err
	}
	if runID != "" && runID != o.RunID {
		if err := s.Orders.SetOrderRun(ctx, o.ID, runID); err != nil {
			s.logger().WarnContext(ctx, "checkout: recording the order's run failed", "order", o.ID, "err", err)
		}
		o.RunID = runID
	}
	if err := s.Carts.SettleCheckout(ctx, o.CustomerID, o.ID); err != nil {
		// The order runs; an unsettled checkout only makes the next
		// checkout or the sweeper finish it again, harmlessly.
		s.logger().WarnContext(ctx, "checkout: settling the cart failed", "order", o.ID, "err", err)
	}
	return o, created, nil
}

// ResumeCheckouts finishes checkouts that have been pending for longer than
// olderThan (their request died between the claim and the start of the
// order) and returns how many it finished. The server calls it
// periodically; every step is idempotent, so replicas may run it at once.
func (s *Service) ResumeCheckouts(ctx context.Context, olderThan time.Duration, limit int) (int, error) {
	carts, err := s.Carts.PendingCheckouts(ctx, s.now().Add(-olderThan), limit)
	if err != nil {
		return 0, err
	}
	done := 0
	for _, c := range carts {
		if c.Checkout == nil || !c.Checkout.Pending {
			continue
		}
		if _, _, err := s.resume(ctx, c.CustomerID, c.Checkout); err != nil {
			return done, err
		}
		s.logger().InfoContext(ctx, "checkout: finished an interrupted checkout", "order", c.Checkout.OrderID)
		done++
	}
	return done, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) logger() *slog.Logger {
	if s.Logger != nil {
		return s.Logger
	}
	return slog.New(slog.DiscardHandler)
}
