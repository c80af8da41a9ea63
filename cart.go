package orderly

import (
	"context"
	"time"
)

// Quantity limits for one cart line.
const (
	MinLineQuantity = 1
	MaxLineQuantity = 99
	// MaxCartLines bounds the number of distinct products in a cart.
	MaxCartLines = 50
)

// Cart is a customer's shopping cart; each customer has exactly one.
type Cart struct {
	CustomerID string     `json:"customerId" bson:"_id"`
	Lines      []CartLine `json:"lines" bson:"lines"`
	UpdatedAt  time.Time  `json:"updatedAt" bson:"updatedAt"`
}

// CartLine is a product and a quantity in a cart. Prices are not stored: the
// cart is priced from the catalog each time it is read (see PricedCart).
type CartLine struct {
	ProductID string `json:"productId" bson:"productId"`
	Quantity  int    `json:"quantity" bson:"quantity"`
}

// PricedCart is a cart with current catalog prices and server-side totals.
type PricedCart struct {
	CustomerID string
	Lines      []PricedCartLine
	Subtotal   Money
	// ItemCount is the number of units in the cart.
	ItemCount int
	UpdatedAt time.Time
}

// PricedCartLine is a cart line priced from the catalog.
type PricedCartLine struct {
	Product   *Product
	Quantity  int
	UnitPrice Money
	LineTotal Money
}

// ValidateQuantity checks a cart line quantity against the line limits.
func ValidateQuantity(field string, quantity int) error {
	if quantity < MinLineQuantity || quantity > MaxLineQuantity {
		return FieldErrorf(EINVALID, field, "quantity must be between %d and %d", MinLineQuantity, MaxLineQuantity)
	}
	return nil
}

// CartService keeps each customer's cart. Every method returns the cart as
// it stands after the change, priced.
//
// Errors: EINVALID for a quantity outside 1..99, ENOTFOUND for an unknown
// product or a product not in the cart, EOUTOFSTOCK when the requested
// quantity exceeds the product's current stock.
type CartService interface {
	FindCart(ctx context.Context, customerID string) (*PricedCart, error)
	// AddToCart adds quantity units of a product, merging with an existing line.
	AddToCart(ctx context.Context, customerID, productID string, quantity int) (*PricedCart, error)
	// UpdateCartLine sets a line's quantity.
	UpdateCartLine(ctx context.Context, customerID, productID string, quantity int) (*PricedCart, error)
	RemoveCartLine(ctx context.Context, customerID, productID string) (*PricedCart, error)
	ClearCart(ctx context.Context, customerID string) (*PricedCart, error)
}
