package orderly

import (
	"context"
	"slices"
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
	// Version grows by one with every change; a checkout claims the lines
	// of one version, so lines added meanwhile stay in the cart.
	Version int `json:"version" bson:"version"`
	// Checkout is the cart's latest checkout, if any.
	Checkout  *CartCheckout `json:"checkout,omitempty" bson:"checkout,omitempty"`
	UpdatedAt time.Time     `json:"updatedAt" bson:"updatedAt"`
}

// CartCheckout records that an order took the lines of one cart version.
// It is written in the same atomic write that empties the cart, so a line is
// always either in the cart or in that order, never in both or neither.
type CartCheckout struct {
	OrderID string `json:"orderId" bson:"orderId"`
	// Version is the cart version whose lines the order holds.
	Version int `json:"version" bson:"version"`
	// Order is the order as placed, kept while the checkout is pending so
	// that whoever finishes it (a retry, another replica, the sweeper)
	// creates exactly this order.
	Order *Order `json:"order,omitempty" bson:"order,omitempty"`
	// Pending is true from the claim until the order is stored and its
	// workflow started.
	Pending bool      `json:"pending" bson:"pending"`
	At      time.Time `json:"at" bson:"at"`
}

// CartLine is a product and a quantity in a cart. Prices are not stored: the
// cart is priced from the catalog each time it is read (see PriceCart).
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
	Version   int
	Checkout  *CartCheckout
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

// AddLine returns the cart with quantity more units of p, merged into p's
// line if there is one: EINVALID past the line or cart limits, EOUTOFSTOCK
// past p's stock. c is not modified.
func (c Cart) AddLine(p *Product, quantity int) (Cart, error) {
	if err := ValidateQuantity("quantity", quantity); err != nil {
		return c, err
	}
	lines := slices.Clone(c.Lines)
	i := c.lineIndex(p.ID)
	if i < 0 {
		if len(lines) >= MaxCartLines {
			return c, FieldErrorf(EINVALID, "productId", "a cart holds at most %d products", MaxCartLines)
		}
		lines, i = append(lines, CartLine{ProductID: p.ID}), len(lines)
	}
	total := lines[i].Quantity + quantity
	if total > MaxLineQuantity {
		return c, FieldErrorf(EINVALID, "quantity",
			"a cart line holds at most %d units; the cart already has %d", MaxLineQuantity, lines[i].Quantity)
	}
	if err := checkStock(p, total); err != nil {
		return c, err
	}
	lines[i].Quantity = total
	c.Lines = lines
	return c, nil
}

// SetLine returns the cart with p's line set to quantity units; ENOTFOUND if
// p is not in the cart.
func (c Cart) SetLine(p *Product, quantity int) (Cart, error) {
	if err := ValidateQuantity("quantity", quantity); err != nil {
		return c, err
	}
	i := c.lineIndex(p.ID)
	if i < 0 {
		return c, errNotInCart(p.ID)
	}
	if err := checkStock(p, quantity); err != nil {
		return c, err
	}
	c.Lines = slices.Clone(c.Lines)
	c.Lines[i].Quantity = quantity
	return c, nil
}

// RemoveLine returns the cart without the product's line; ENOTFOUND if it
// is not in the cart.
func (c Cart) RemoveLine(productID string) (Cart, error) {
	i := c.lineIndex(productID)
	if i < 0 {
		return c, errNotInCart(productID)
	}
	c.Lines = slices.Delete(slices.Clone(c.Lines), i, i+1)
	return c, nil
}

// Claim returns the cart after a checkout took its lines for o: no lines,
// the checkout recorded pending. It refuses (ECONFLICT) a cart that is no
// longer at version — the order would not hold what the cart holds — or
// whose previous checkout is still pending.
func (c Cart) Claim(version int, o *Order, at time.Time) (Cart, error) {
	switch {
	case c.Version != version:
		return c, Errorf(ECONFLICT, "the cart changed during checkout; review it and place the order again")
	case c.Checkout != nil && c.Checkout.Pending:
		return c, Errorf(ECONFLICT, "the cart is being checked out as order %s", c.Checkout.OrderID)
	case len(c.Lines) == 0:
		return c, FieldErrorf(EINVALID, "input", "the cart is empty")
	}
	c.Lines = []CartLine{}
	c.Checkout = &CartCheckout{OrderID: o.ID, Version: version, Order: o, Pending: true, At: at}
	return c, nil
}

// Settled returns the cart with its pending checkout of orderID marked done;
// ok is false when there is no such pending checkout (already settled).
func (c Cart) Settled(orderID string) (settled Cart, ok bool) {
	if c.Checkout == nil || !c.Checkout.Pending || c.Checkout.OrderID != orderID {
		return c, false
	}
	done := *c.Checkout
	done.Pending, done.Order = false, nil
	c.Checkout = &done
	return c, true
}

func (c Cart) lineIndex(productID string) int {
	return slices.IndexFunc(c.Lines, func(l CartLine) bool { return l.ProductID == productID })
}

func checkStock(p *Product, quantity int) error {
	if quantity > p.Stock {
		return FieldErrorf(EOUTOFSTOCK, "quantity", "only %d of %s in stock", p.Stock, p.Name)
	}
	return nil
}

func errNotInCart(productID string) error {
	return FieldErrorf(ENOTFOUND, "productId", "product %q is not in the cart", productID)
}

// PriceCart prices a cart's lines from the catalog (products by ID). A line
// whose product has left the catalog is not shown.
func PriceCart(c Cart, products map[string]*Product) *PricedCart {
	pc := &PricedCart{
		CustomerID: c.CustomerID,
		Lines:      make([]PricedCartLine, 0, len(c.Lines)),
		Subtotal:   Money{Currency: DefaultCurrency},
		Version:    c.Version,
		Checkout:   c.Checkout,
		UpdatedAt:  c.UpdatedAt,
	}
	for _, l := range c.Lines {
		p, ok := products[l.ProductID]
		if !ok {
			continue
		}
		line := PricedCartLine{Product: p, Quantity: l.Quantity, UnitPrice: p.Price, LineTotal: p.Price.Times(l.Quantity)}
		pc.Lines = append(pc.Lines, line)
		pc.Subtotal = pc.Subtotal.Add(line.LineTotal)
		pc.ItemCount += l.Quantity
	}
	return pc
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
	// ClaimCart applies Cart.Claim atomically: the lines of cart version
	// leave the cart for order o in one write, or ECONFLICT changes nothing.
	ClaimCart(ctx context.Context, customerID string, version int, o *Order) error
	// SettleCheckout marks the cart's pending checkout of orderID done; it
	// is a no-op when that checkout is not pending.
	SettleCheckout(ctx context.Context, customerID, orderID string) error
	// PendingCheckouts returns up to limit carts whose checkout has been
	// pending since before t, oldest first: checkouts whose request died
	// between the claim and the order's start.
	PendingCheckouts(ctx context.Context, before time.Time, limit int) ([]*Cart, error)
}
