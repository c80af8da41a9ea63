package orderly

import "context"

// PlaceOrderRequest asks to turn a customer's cart into an order.
type PlaceOrderRequest struct {
	CustomerID string
	// IdempotencyKey is the client's key for this checkout; the order's ID
	// derives from it (OrderIDFor).
	IdempotencyKey  string
	ShippingAddress Address
	// PaymentMethod is the card to pay with (NewCardPaymentMethod).
	PaymentMethod PaymentMethod
}

// CheckoutService turns carts into orders. It is a use case rather than a
// store: any transport (the GraphQL API, a CLI, a webhook) calls it the same
// way and gets the same guarantees.
//
// One cart version becomes at most one order, whatever the keys: the cart is
// claimed by its version in one atomic write that also empties it, so two
// tabs checking out the same cart get the same order, and a line added
// during checkout stays in the cart. A retry with the same key returns the
// order it placed; a checkout interrupted after its claim is finished by the
// next attempt or by ResumeCheckouts, never lost.
type CheckoutService interface {
	// PlaceOrder returns the order and created=true when this call placed
	// it; created=false when it existed already (placed under the same key,
	// or by a concurrent checkout of the same cart version).
	PlaceOrder(ctx context.Context, req PlaceOrderRequest) (o *Order, created bool, err error)
}
