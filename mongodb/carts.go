package mongodb

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// maxCartAttempts bounds the optimistic retries of one cart change. Only the
// customer's own concurrent requests compete for a cart, so a few suffice.
const maxCartAttempts = 10

// cartDoc is a cart as stored: the domain cart plus a version that guards
// read-modify-write changes (the embedded store has no positional updates, so
// a change rewrites the lines array under the version it read).
type cartDoc struct {
	orderly.Cart `bson:",inline"`
	Version      int `bson:"version"`
}

// CartService keeps one cart document per customer, _id = customer ID. Carts
// store product IDs and quantities only; they are priced from the catalog on
// every read, in one query. It implements orderly.CartService.
type CartService struct {
	db       *DB
	products *ProductService
}

var _ orderly.CartService = (*CartService)(nil)

// NewCartService returns a CartService over db.
func NewCartService(db *DB) *CartService {
	return &CartService{db: db, products: NewProductService(db)}
}

// FindCart returns the customer's cart, empty if it was never filled.
func (s *CartService) FindCart(ctx context.Context, customerID string) (*orderly.PricedCart, error) {
	doc, _, err := s.load(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return s.price(ctx, doc.Cart)
}

// AddToCart adds quantity units of a product, merging with an existing line.
func (s *CartService) AddToCart(ctx context.Context, customerID, productID string, quantity int) (*orderly.PricedCart, error) {
	if err := orderly.ValidateQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	p, err := s.product(ctx, productID)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, customerID, func(lines []orderly.CartLine) ([]orderly.CartLine, error) {
		i := lineIndex(lines, productID)
		if i < 0 {
			if len(lines) >= orderly.MaxCartLines {
				return nil, orderly.FieldErrorf(orderly.EINVALID, "productId", "a cart holds at most %d products", orderly.MaxCartLines)
			}
			lines, i = append(lines, orderly.CartLine{ProductID: productID}), len(lines)
		}
		total := lines[i].Quantity + quantity
		if total > orderly.MaxLineQuantity {
			return nil, orderly.FieldErrorf(orderly.EINVALID, "quantity",
				"a cart line holds at most %d units; the cart already has %d", orderly.MaxLineQuantity, lines[i].Quantity)
		}
		if err := checkStock(p, total); err != nil {
			return nil, err
		}
		lines[i].Quantity = total
		return lines, nil
	})
}

// UpdateCartLine sets the quantity of a product already in the cart.
func (s *CartService) UpdateCartLine(ctx context.Context, customerID, productID string, quantity int) (*orderly.PricedCart, error) {
	if err := orderly.ValidateQuantity("quantity", quantity); err != nil {
		return nil, err
	}
	p, err := s.product(ctx, productID)
	if err != nil {
		return nil, err
	}
	if err := checkStock(p, quantity); err != nil {
		return nil, err
	}
	return s.change(ctx, customerID, func(lines []orderly.CartLine) ([]orderly.CartLine, error) {
		i := lineIndex(lines, productID)
		if i < 0 {
			return nil, errNotInCart(productID)
		}
		lines[i].Quantity = quantity
		return lines, nil
	})
}

// RemoveCartLine removes a product from the cart.
func (s *CartService) RemoveCartLine(ctx context.Context, customerID, productID string) (*orderly.PricedCart, error) {
	return s.change(ctx, customerID, func(lines []orderly.CartLine) ([]orderly.CartLine, error) {
		i := lineIndex(lines, productID)
		if i < 0 {
			return nil, errNotInCart(productID)
		}
		return slices.Delete(lines, i, i+1), nil
	})
}

// ClearCart empties the cart.
func (s *CartService) ClearCart(ctx context.Context, customerID string) (*orderly.PricedCart, error) {
	return s.change(ctx, customerID, func([]orderly.CartLine) ([]orderly.CartLine, error) {
		return []orderly.CartLine{}, nil
	})
}

// change applies fn to the cart's lines and stores the result under an
// optimistic version check, retrying when a concurrent change won. fn gets a
// copy of the lines it may modify.
func (s *CartService) change(ctx context.Context, customerID string, fn func([]orderly.CartLine) ([]orderly.CartLine, error)) (*orderly.PricedCart, error) {
	if customerID == "" {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	}
	carts := s.db.coll(colCarts)
	for attempt := range maxCartAttempts {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return nil, fmt.Errorf("update cart: %w", err)
			}
		}
		doc, found, err := s.load(ctx, customerID)
		if err != nil {
			return nil, err
		}
		lines, err := fn(slices.Clone(doc.Lines))
		if err != nil {
			return nil, err
		}
		cart := orderly.Cart{CustomerID: customerID, Lines: lines, UpdatedAt: now()}
		if !found {
			if len(lines) == 0 {
				return s.price(ctx, doc.Cart) // nothing to store
			}
			_, err := carts.InsertOne(ctx, cartDoc{Cart: cart, Version: 1})
			if isDuplicateKey(err) {
				continue // created concurrently: start again from it
			}
			if err != nil {
				return nil, fmt.Errorf("create cart: %w", err)
			}
			return s.price(ctx, cart)
		}
		res, err := carts.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: customerID}, {Key: "version", Value: doc.Version}},
			bson.D{
				{Key: "$set", Value: bson.D{{Key: "lines", Value: lines}, {Key: "updatedAt", Value: cart.UpdatedAt}}},
				{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
			})
		if err != nil {
			return nil, fmt.Errorf("update cart: %w", err)
		}
		if res.MatchedCount == 1 {
			return s.price(ctx, cart)
		}
	}
	return nil, orderly.Errorf(orderly.ECONFLICT, "the cart is changing too fast; try again")
}

// load reads the cart; found is false (and the cart empty) when there is none.
func (s *CartService) load(ctx context.Context, customerID string) (doc cartDoc, found bool, err error) {
	err = s.db.coll(colCarts).FindOne(ctx, bson.D{{Key: "_id", Value: customerID}}).Decode(&doc)
	switch {
	case isNotFound(err):
		return cartDoc{Cart: orderly.Cart{CustomerID: customerID, Lines: []orderly.CartLine{}}}, false, nil
	case err != nil:
		return doc, false, fmt.Errorf("find cart: %w", err)
	}
	return doc, true, nil
}

// product returns the product a cart change names, ENOTFOUND on the field.
func (s *CartService) product(ctx context.Context, productID string) (*orderly.Product, error) {
	p, err := s.products.FindProductByID(ctx, productID)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "productId", "product %q not found", productID)
	}
	return p, err
}

// price joins the cart's lines with the catalog in one query. A line whose
// product has left the catalog is not shown.
func (s *CartService) price(ctx context.Context, c orderly.Cart) (*orderly.PricedCart, error) {
	ids := make([]string, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.ProductID
	}
	products, err := s.products.FindProductsByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("price cart: %w", err)
	}
	byID := make(map[string]*orderly.Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	pc := &orderly.PricedCart{
		CustomerID: c.CustomerID,
		Lines:      make([]orderly.PricedCartLine, 0, len(c.Lines)),
		Subtotal:   orderly.Money{Currency: orderly.DefaultCurrency},
		UpdatedAt:  c.UpdatedAt,
	}
	for _, l := range c.Lines {
		p, ok := byID[l.ProductID]
		if !ok {
			continue
		}
		line := orderly.PricedCartLine{Product: p, Quantity: l.Quantity, UnitPrice: p.Price, LineTotal: p.Price.Times(l.Quantity)}
		pc.Lines = append(pc.Lines, line)
		pc.Subtotal = pc.Subtotal.Add(line.LineTotal)
		pc.ItemCount += l.Quantity
	}
	return pc, nil
}

func lineIndex(lines []orderly.CartLine, productID string) int {
	return slices.IndexFunc(lines, func(l orderly.CartLine) bool { return l.ProductID == productID })
}

func checkStock(p *orderly.Product, quantity int) error {
	if quantity > p.Stock {
		return orderly.FieldErrorf(orderly.EOUTOFSTOCK, "quantity", "only %d of %s in stock", p.Stock, p.Name)
	}
	return nil
}

func errNotInCart(productID string) error {
	return orderly.FieldErrorf(orderly.ENOTFOUND, "productId", "product %q is not in the cart", productID)
}
