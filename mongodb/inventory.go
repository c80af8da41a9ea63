package mongodb

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// InventoryService reserves stock with single-document conditional updates
// on the product, the one kind of write that is atomic on every store this
// package supports. It implements orderly.InventoryService.
//
// Each product document carries, next to its stock, the IDs of the orders
// holding a reservation on it:
//
//	reserve: updateOne({_id, stock >= qty, reservations != order}, {$inc: {stock: -qty, version: 1}, $push: {reservations: order}})
//	release: updateOne({_id, reservations: order}, {$inc: {stock: +qty, version: 1}, $pull: {reservations: order}})
//	commit:  updateOne({_id, reservations: order}, {$pull: {reservations: order}})
//	restock: updateOne({_id, restocks != return}, {$inc: {stock: +qty, version: 1}, $push: {restocks: return}})
//
// The stock condition makes overselling impossible, and the membership
// condition makes each call idempotent per order: a retried reserve finds the
// order already listed and changes nothing, a retried release finds it gone.
// The quantity is not stored: release gives back the quantity of the order's
// line, which is the same snapshot that reserved it. Each write that moves
// stock is announced to the change feed first (the cached catalogs of the
// servers follow it); the product is read by _id beforehand to learn the
// version it will reach, which also answers a retry without writing.
//
// A commit forgets the order, so a reserve after a commit would reserve
// again; the order workflow never does that (Temporal does not re-run a
// completed activity).
type InventoryService struct {
	db *DB
}

var _ orderly.InventoryService = (*InventoryService)(nil)

// NewInventoryService returns an InventoryService over db.
func NewInventoryService(db *DB) *InventoryService { return &InventoryService{db: db} }

// productDoc is a product as stored: the catalog's fields and the orders
// holding a reservation on it.
type productDoc struct {
	orderly.Product `bson:",inline"`
	Reservations    []string `bson:"reservations"`
	// Restocks are the returns whose units came back to this product's
	// stock: a return is taken back once. The list only grows, by one per
	// return of the product.
	Restocks []string `bson:"restocks,omitempty"`
}

// rollbackTimeout bounds the release of a partial reservation, which runs even
// when the caller's context has ended.
const rollbackTimeout = 10 * time.Second

// stockLine is the quantity of one product that an order needs.
type stockLine struct {
	productID string
	quantity  int
}

// ReserveStock reserves every line for the order, or none: when a line
// cannot be met it releases the lines already reserved and returns
// EOUTOFSTOCK naming the product (ENOTFOUND for an unknown product).
func (s *InventoryService) ReserveStock(ctx context.Context, orderID string, lines []orderly.OrderLine) error {
	need, err := stockLines(orderID, lines)
	if err != nil {
		return err
	}
	for _, l := range need {
		err := s.reserve(ctx, orderID, l)
		if err == nil {
			continue
		}
		if rerr := s.rollback(ctx, orderID, need); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

// rollback undoes a partial reservation. It releases every line, not only
// those before the one that failed: an earlier attempt of the same call may
// have reserved lines after it, and releasing a line that holds no
// reservation is a no-op. It runs even if ctx has ended, so that a cancelled
// request does not leave stock held.
func (s *InventoryService) rollback(ctx context.Context, orderID string, need []stockLine) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	if err := s.release(ctx, orderID, need); err != nil {
		return fmt.Errorf("reserve stock: rollback: %w", err)
	}
	return nil
}

func (s *InventoryService) reserve(ctx context.Context, orderID string, l stockLine) error {
	p, err := s.stockOf(ctx, l.productID)
	if err != nil {
		return err
	}
	if slices.Contains(p.Reservations, orderID) {
		return nil // a retry: reserved already
	}
	if p.Stock < l.quantity {
		return errShort(p, l)
	}
	if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
		return fmt.Errorf("reserve stock: %w", err)
	}
	res, err := s.db.coll(colProducts).UpdateOne(ctx,
		bson.D{
			{Key: "_id", Value: l.productID},
			{Key: "stock", Value: bson.D{{Key: "$gte", Value: l.quantity}}},
			{Key: "reservations", Value: bson.D{{Key: "$ne", Value: orderID}}},
		},
		bson.D{
			{Key: "$inc", Value: bson.D{{Key: "stock", Value: -l.quantity}, {Key: "version", Value: 1}}},
			{Key: "$push", Value: bson.D{{Key: "reservations", Value: orderID}}},
		})
	if err != nil {
		return fmt.Errorf("reserve stock: %w", err)
	}
	if res.MatchedCount == 1 {
		return nil
	}
	// Nothing matched: a concurrent reserve took the stock first, or this
	// order's own earlier attempt is still landing. Read again to tell.
	if p, err = s.stockOf(ctx, l.productID); err != nil {
		return err
	}
	if slices.Contains(p.Reservations, orderID) {
		return nil
	}
	return errShort(p, l)
}

// stockOf reads a product's stock, version and reservations.
func (s *InventoryService) stockOf(ctx context.Context, productID string) (*productDoc, error) {
	var p productDoc
	err := s.db.coll(colProducts).FindOne(ctx, bson.D{{Key: "_id", Value: productID}},
		options.FindOne().SetProjection(bson.D{
			{Key: "name", Value: 1}, {Key: "stock", Value: 1}, {Key: "version", Value: 1}, {Key: "reservations", Value: 1},
			{Key: "restocks", Value: 1},
		})).Decode(&p)
	if err != nil {
		return nil, notFoundOr(err, "reserve stock", "product %q not found", productID)
	}
	return &p, nil
}

func errShort(p *productDoc, l stockLine) error {
	return orderly.Errorf(orderly.EOUTOFSTOCK, "not enough %s in stock: %d wanted, %d available", p.Name, l.quantity, p.Stock)
}

// ReleaseStock gives the order's reserved units back; lines not reserved for
// the order (never reserved, released or committed) are left alone.
func (s *InventoryService) ReleaseStock(ctx context.Context, orderID string, lines []orderly.OrderLine) error {
	need, err := stockLines(orderID, lines)
	if err != nil {
		return err
	}
	return s.release(ctx, orderID, need)
}

func (s *InventoryService) release(ctx context.Context, orderID string, need []stockLine) error {
	for _, l := range need {
		p, err := s.stockOf(ctx, l.productID)
		if orderly.ErrorCode(err) == orderly.ENOTFOUND {
			continue
		} else if err != nil {
			return fmt.Errorf("release stock: %w", err)
		}
		if !slices.Contains(p.Reservations, orderID) {
			continue // never reserved, released or committed
		}
		if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
			return fmt.Errorf("release stock: %w", err)
		}
		_, err = s.db.coll(colProducts).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: l.productID}, {Key: "reservations", Value: orderID}},
			bson.D{
				{Key: "$inc", Value: bson.D{{Key: "stock", Value: l.quantity}, {Key: "version", Value: 1}}},
				{Key: "$pull", Value: bson.D{{Key: "reservations", Value: orderID}}},
			})
		if err != nil {
			return fmt.Errorf("release stock: %w", err)
		}
	}
	return nil
}

// CommitStock marks the order's reservations as consumed: the units stay out
// of stock and a later ReleaseStock is a no-op.
func (s *InventoryService) CommitStock(ctx context.Context, orderID string, lines []orderly.OrderLine) error {
	need, err := stockLines(orderID, lines)
	if err != nil {
		return err
	}
	for _, l := range need {
		_, err := s.db.coll(colProducts).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: l.productID}, {Key: "reservations", Value: orderID}},
			bson.D{{Key: "$pull", Value: bson.D{{Key: "reservations", Value: orderID}}}})
		if err != nil {
			return fmt.Errorf("commit stock: %w", err)
		}
	}
	return nil
}

// RestockReturn puts a received return's units back in stock, once per
// return: the write is conditional on the return not being among the
// product's restocks, and records it there. A product that left the
// catalog takes nothing back.
func (s *InventoryService) RestockReturn(ctx context.Context, returnID string, lines []orderly.OrderLine) error {
	need, err := stockLines(returnID, lines)
	if err != nil {
		return err
	}
	for _, l := range need {
		p, err := s.stockOf(ctx, l.productID)
		if orderly.ErrorCode(err) == orderly.ENOTFOUND {
			continue
		} else if err != nil {
			return fmt.Errorf("restock return: %w", err)
		}
		if slices.Contains(p.Restocks, returnID) {
			continue // a retry: restocked already
		}
		if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
			return fmt.Errorf("restock return: %w", err)
		}
		_, err = s.db.coll(colProducts).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: l.productID}, {Key: "restocks", Value: bson.D{{Key: "$ne", Value: returnID}}}},
			bson.D{
				{Key: "$inc", Value: bson.D{{Key: "stock", Value: l.quantity}, {Key: "version", Value: 1}}},
				{Key: "$push", Value: bson.D{{Key: "restocks", Value: returnID}}},
			})
		if err != nil {
			return fmt.Errorf("restock return: %w", err)
		}
	}
	return nil
}

// stockLines validates the order's lines and sums them per product, sorted by
// product ID so that every call visits products in the same order.
func stockLines(orderID string, lines []orderly.OrderLine) ([]stockLine, error) {
	if orderID == "" {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "orderId", "order ID is required")
	}
	if len(lines) == 0 {
		return nil, orderly.FieldErrorf(orderly.EINVALID, "lines", "an order needs at least one line")
	}
	sum := map[string]int{}
	for i, l := range lines {
		if l.ProductID == "" {
			return nil, orderly.FieldErrorf(orderly.EINVALID, fmt.Sprintf("lines[%d].productId", i), "product ID is required")
		}
		if l.Quantity <= 0 {
			return nil, orderly.FieldErrorf(orderly.EINVALID, fmt.Sprintf("lines[%d].quantity", i), "quantity must be positive")
		}
		sum[l.ProductID] += l.Quantity
	}
	need := make([]stockLine, 0, len(sum))
	for id, q := range sum {
		need = append(need, stockLine{productID: id, quantity: q})
	}
	slices.SortFunc(need, func(a, b stockLine) int { return cmp.Compare(a.productID, b.productID) })
	return need, nil
}
