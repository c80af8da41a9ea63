package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// maxCartAttempts bounds the optimistic retries of one cart change. Only the
// customer's own concurrent requests compete for a cart, so a few suffice.
const maxCartAttempts = 10

// errUnchanged tells change that there is nothing to write.
var errUnchanged = errors.New("cart unchanged")

// CartService keeps one cart document per customer, _id = customer ID: an
// orderly.Cart as it is. Carts store product IDs and quantities only; they
// are priced from the catalog on every read. Every change is a
// read-modify-write of the document under its version, by _id. It
// implements orderly.CartService.
type CartService struct {
	db      *DB
	catalog productReader
}

// productReader is what pricing a cart needs of the catalog.
type productReader interface {
	FindProductByID(ctx context.Context, id string) (*orderly.Product, error)
	FindProductsByIDs(ctx context.Context, ids []string) ([]*orderly.Product, error)
}

var _ orderly.CartService = (*CartService)(nil)

// NewCartService returns a CartService over db that prices carts from
// catalog (the server's in-memory catalog); nil reads products from db.
func NewCartService(db *DB, catalog productReader) *CartService {
	if catalog == nil {
		catalog = NewProductService(db)
	}
	return &CartService{db: db, catalog: catalog}
}

// FindCart returns the customer's cart, empty if it was never filled.
func (s *CartService) FindCart(ctx context.Context, customerID string) (*orderly.PricedCart, error) {
	c, _, err := s.load(ctx, customerID)
	if err != nil {
		return nil, err
	}
	return s.price(ctx, c)
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
	return s.changePriced(ctx, customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.AddLine(p, quantity) })
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
	return s.changePriced(ctx, customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.SetLine(p, quantity) })
}

// RemoveCartLine removes a product from the cart.
func (s *CartService) RemoveCartLine(ctx context.Context, customerID, productID string) (*orderly.PricedCart, error) {
	return s.changePriced(ctx, customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.RemoveLine(productID) })
}

// ClearCart empties the cart.
func (s *CartService) ClearCart(ctx context.Context, customerID string) (*orderly.PricedCart, error) {
	return s.changePriced(ctx, customerID, func(c orderly.Cart) (orderly.Cart, error) {
		c.Lines = []orderly.CartLine{}
		return c, nil
	})
}

// ClaimCart takes the lines of cart version for order o, in the one write
// that empties the cart (orderly.Cart.Claim). A cart that moved past version
// is not retried: the order would not hold what the cart holds.
func (s *CartService) ClaimCart(ctx context.Context, customerID string, version int, o *orderly.Order) error {
	_, err := s.change(ctx, customerID, func(c orderly.Cart) (orderly.Cart, error) { return c.Claim(version, o, now()) })
	return err
}

// SettleCheckout marks the pending checkout of orderID done.
func (s *CartService) SettleCheckout(ctx context.Context, customerID, orderID string) error {
	_, err := s.change(ctx, customerID, func(c orderly.Cart) (orderly.Cart, error) {
		settled, ok := c.Settled(orderID)
		if !ok {
			return c, errUnchanged
		}
		return settled, nil
	})
	if errors.Is(err, errUnchanged) {
		return nil
	}
	return err
}

// PendingCheckouts returns up to limit carts whose checkout has been
// pending since before t, oldest first. It filters on the checkout, so on
// the embedded store it scans the carts; the server calls it once a minute.
func (s *CartService) PendingCheckouts(ctx context.Context, before time.Time, limit int) ([]*orderly.Cart, error) {
	release, err := s.db.listSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	cur, err := s.db.coll(colCarts).Find(ctx,
		bson.D{{Key: "checkout.pending", Value: true}, {Key: "checkout.at", Value: bson.D{{Key: "$lt", Value: before}}}},
		options.Find().SetSort(bson.D{{Key: "checkout.at", Value: 1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("pending checkouts: %w", err)
	}
	carts := []*orderly.Cart{}
	if err := cur.All(ctx, &carts); err != nil {
		return nil, fmt.Errorf("pending checkouts: %w", err)
	}
	return carts, nil
}

func (s *CartService) changePriced(ctx context.Context, customerID string, fn func(orderly.Cart) (orderly.Cart, error)) (*orderly.PricedCart, error) {
	c, err := s.change(ctx, customerID, fn)
	if err != nil {
		return nil, err
	}
	return s.price(ctx, c)
}

// change applies fn to the cart and stores the result under an optimistic
// version check, retrying when a concurrent change won, and returns the cart
// as stored. fn's error (errUnchanged included) is returned as it is.
func (s *CartService) change(ctx context.Context, customerID string, fn func(orderly.Cart) (orderly.Cart, error)) (orderly.Cart, error) {
	if customerID == "" {
		return orderly.Cart{}, orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	}
	carts := s.db.coll(colCarts)
	for attempt := range maxCartAttempts {
		if attempt > 0 {
			if err := backoff(ctx, attempt); err != nil {
				return orderly.Cart{}, fmt.Errorf("update cart: %w", err)
			}
		}
		c, found, err := s.load(ctx, customerID)
		if err != nil {
			return orderly.Cart{}, err
		}
		next, err := fn(c)
		if err != nil {
			return c, err
		}
		next.Version, next.UpdatedAt = c.Version+1, now()
		if !found {
			if len(next.Lines) == 0 && next.Checkout == nil {
				return c, nil // nothing worth storing
			}
			_, err := carts.InsertOne(ctx, next)
			if isDuplicateKey(err) {
				continue // created concurrently: start again from it
			}
			if err != nil {
				return orderly.Cart{}, fmt.Errorf("create cart: %w", err)
			}
			return next, nil
		}
		res, err := carts.UpdateOne(ctx,
			bson.D{{Key: "_id", Value: customerID}, {Key: "version", Value: c.Version}},
			bson.D{{Key: "$set", Value: bson.D{
				{Key: "lines", Value: next.Lines}, {Key: "version", Value: next.Version},
				{Key: "checkout", Value: next.Checkout}, {Key: "updatedAt", Value: next.UpdatedAt},
			}}})
		if err != nil {
			return orderly.Cart{}, fmt.Errorf("update cart: %w", err)
		}
		if res.MatchedCount == 1 {
			return next, nil
		}
	}
	return orderly.Cart{}, orderly.Errorf(orderly.ECONFLICT, "the cart is changing too fast; try again")
}

// load reads the cart; found is false (and the cart empty) when there is none.
func (s *CartService) load(ctx context.Context, customerID string) (c orderly.Cart, found bool, err error) {
	err = s.db.coll(colCarts).FindOne(ctx, bson.D{{Key: "_id", Value: customerID}}).Decode(&c)
	switch {
	case isNotFound(err):
		return orderly.Cart{CustomerID: customerID, Lines: []orderly.CartLine{}}, false, nil
	case err != nil:
		return c, false, fmt.Errorf("find cart: %w", err)
	}
	return c, true, nil
}

// product returns the product a cart change names, ENOTFOUND on the field.
func (s *CartService) product(ctx context.Context, productID string) (*orderly.Product, error) {
	p, err := s.catalog.FindProductByID(ctx, productID)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "productId", "product %q not found", productID)
	}
	return p, err
}

// price joins the cart's lines with the catalog in one lookup.
func (s *CartService) price(ctx context.Context, c orderly.Cart) (*orderly.PricedCart, error) {
	ids := make([]string, len(c.Lines))
	for i, l := range c.Lines {
		ids[i] = l.ProductID
	}
	products, err := s.catalog.FindProductsByIDs(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("price cart: %w", err)
	}
	byID := make(map[string]*orderly.Product, len(products))
	for _, p := range products {
		byID[p.ID] = p
	}
	return orderly.PriceCart(c, byID), nil
}
