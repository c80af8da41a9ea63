package mongodb

import (
	"context"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// maxEventAttempts bounds the optimistic retries of ApplyOrderEvent. Every
// round of a contest has a winner, so n concurrent writers to one order need
// at most n attempts; an order has a handful (its workflow, its shipping
// workflows, a cancel), and tests hammer it with a few dozen.
const maxEventAttempts = 100

// OrderService stores the order read model, one document per order, _id =
// order ID. It implements orderly.OrderService.
//
// The order ID derives from the customer and the checkout's idempotency key
// (orderly.OrderIDFor), so the unique _id index alone makes placing an order
// idempotent, and every read and write of an order is by _id.
type OrderService struct {
	db *DB
	// written holds the order as this process last wrote it, so that the
	// next event from the same process (the worker writes almost all of
	// them) skips the read: the version guard still decides, and a stale
	// copy only costs one lost round and a read.
	written *lru.Cache[string, *orderly.Order]
	// writing serializes this process's writers of one order (striped by
	// order ID): the version guard settles races between processes, but
	// within one a writer that just won would otherwise read first again
	// and keep winning, starving the others in a loop of lost rounds.
	writing [orderWriteStripes]sync.Mutex
}

// orderWriteStripes is the number of locks OrderService stripes order IDs
// over; two orders that share one only take turns.
const orderWriteStripes = 256

// lockOrder takes this process's lock for writing orderID.
func (s *OrderService) lockOrder(orderID string) func() {
	h := fnv.New32a()
	_, _ = h.Write([]byte(orderID))
	mu := &s.writing[h.Sum32()%orderWriteStripes]
	mu.Lock()
	return mu.Unlock
}

var _ orderly.OrderService = (*OrderService)(nil)

// writtenOrders bounds the orders an OrderService remembers writing: more
// than the orders in flight in one process.
const writtenOrders = 4096

// NewOrderService returns an OrderService over db.
func NewOrderService(db *DB) *OrderService {
	written, _ := lru.New[string, *orderly.Order](writtenOrders) // errors only for a size <= 0
	return &OrderService{db: db, written: written}
}

// CreateOrder inserts o, a new order as orderly.NewOrder makes it (status
// RECEIVED, version 1, totals that add up). If an order with its ID exists
// already (the same customer and key), it returns that order and
// created=false: one insert, by _id, is the whole idempotency.
func (s *OrderService) CreateOrder(ctx context.Context, o *orderly.Order) (*orderly.Order, bool, error) {
	if err := checkNewOrder(o); err != nil {
		return nil, false, err
	}
	if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeOrder, ID: o.ID, CustomerID: o.CustomerID, Version: o.Version}); err != nil {
		return nil, false, fmt.Errorf("create order: %w", err)
	}
	_, err := s.db.coll(colOrders).InsertOne(ctx, o)
	if err == nil {
		return o, true, nil
	}
	if !isDuplicateKey(err) {
		return nil, false, fmt.Errorf("create order: %w", err)
	}
	first, err := s.FindOrderByID(ctx, o.ID)
	if err != nil {
		return nil, false, fmt.Errorf("create order: find first: %w", err)
	}
	if first.CustomerID != o.CustomerID {
		return nil, false, orderly.Errorf(orderly.ECONFLICT, "order %s already exists", o.ID)
	}
	return first, false, nil
}

// checkNewOrder refuses to store an order that orderly.NewOrder would not
// have made, so no store holds an order state production never creates.
func checkNewOrder(o *orderly.Order) error {
	switch {
	case o.ID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "id", "order ID is required")
	case o.CustomerID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	case o.Status != orderly.StatusReceived || o.Version != 1 || len(o.Timeline) != 1:
		return orderly.Errorf(orderly.EINVALID, "a new order starts RECEIVED at version 1 with one timeline entry")
	}
	totals, err := orderly.TotalsFor(o.Lines)
	if err != nil {
		return err
	}
	if totals != o.Totals() {
		return orderly.FieldErrorf(orderly.EINVALID, "total", "the totals do not add up")
	}
	return nil
}

// FindOrderByID returns ENOTFOUND if there is no such order.
func (s *OrderService) FindOrderByID(ctx context.Context, id string) (*orderly.Order, error) {
	var o orderly.Order
	if err := s.db.coll(colOrders).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&o); err != nil {
		return nil, notFoundOr(err, "find order", "order %q not found", id)
	}
	return &o, nil
}

// FindOrdersByIDs returns the orders found, in no particular order, in one
// query; unknown IDs are skipped.
func (s *OrderService) FindOrdersByIDs(ctx context.Context, ids []string) ([]*orderly.Order, error) {
	orders := []*orderly.Order{}
	if len(ids) == 0 {
		return orders, nil
	}
	cur, err := s.db.coll(colOrders).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, fmt.Errorf("find orders: %w", err)
	}
	if err := cur.All(ctx, &orders); err != nil {
		return nil, fmt.Errorf("find orders: %w", err)
	}
	return orders, nil
}

// ApplyOrderEvent applies e (orderly.Order.Apply: transition check,
// timeline entry, payment, shipment, address) in one atomic write, and
// returns the order after it. An event whose ID is already on the timeline
// is a no-op that returns the order as it stands.
//
// The write is optimistic: read the order at version v (or take the copy
// this process wrote last), apply e to it, announce the change (change
// log), then updateOne({_id, version: v}, {$set: changed fields, $push:
// entry}). If another process's writer got there first, nothing matches and
// the loop reads again; writers within this process take turns on a lock.
// Each version is therefore written exactly once, entries are numbered 1..n
// without gaps, and an event is never applied to a state it was not checked
// against. Both the read and the guarded write are found by _id.
func (s *OrderService) ApplyOrderEvent(ctx context.Context, orderID string, e orderly.OrderEvent) (*orderly.Order, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	defer s.lockOrder(orderID)()
	for attempt := range maxEventAttempts {
		o, cached := s.written.Get(orderID)
		if !cached {
			var err error
			if o, err = s.FindOrderByID(ctx, orderID); err != nil {
				return nil, err
			}
		}
		next, applied, err := o.Apply(e, now())
		if (err != nil || !applied) && cached {
			// The copy may be behind what another process wrote: decide on
			// the stored order.
			s.written.Remove(orderID)
			continue
		}
		if err != nil || !applied {
			return next, err
		}
		change := orderly.Change{Kind: orderly.ChangeOrder, ID: o.ID, CustomerID: o.CustomerID, Version: next.Version}
		if err := s.db.announce(ctx, change); err != nil {
			return nil, fmt.Errorf("apply order event: %w", err)
		}
		res, err := s.db.coll(colOrders).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: orderID}, {Key: "version", Value: o.Version}},
			eventUpdate(next))
		if err != nil {
			return nil, fmt.Errorf("apply order event: %w", err)
		}
		if res.MatchedCount == 1 {
			s.written.Add(orderID, next)
			return next, nil
		}
		s.written.Remove(orderID)
		if err := backoff(ctx, attempt); err != nil {
			return nil, fmt.Errorf("apply order event: %w", err)
		}
	}
	return nil, fmt.Errorf("apply order event %s to %s: still conflicting after %d attempts", e.ID, orderID, maxEventAttempts)
}

// eventUpdate writes next over the version it was applied to: the fields an
// event may change, and its one new timeline entry pushed.
func eventUpdate(next *orderly.Order) bson.D {
	set := bson.D{
		{Key: "status", Value: next.Status},
		{Key: "version", Value: next.Version},
		{Key: "updatedAt", Value: next.UpdatedAt},
		{Key: "shippingAddress", Value: next.ShippingAddress},
		{Key: "shipments", Value: next.Shipments},
	}
	if next.Payment != nil {
		set = append(set, bson.E{Key: "payment", Value: next.Payment})
	}
	// The ledger and the returns are small (a handful of entries per
	// order) and are set whole: the version guard makes that as safe as a
	// $push, and keeps one update shape for every event.
	if len(next.Ledger) > 0 {
		set = append(set, bson.E{Key: "ledger", Value: next.Ledger})
	}
	if len(next.Returns) > 0 {
		set = append(set, bson.E{Key: "returns", Value: next.Returns})
	}
	if next.ReturnsUntil != nil {
		set = append(set, bson.E{Key: "returnsUntil", Value: next.ReturnsUntil})
	}
	if next.FailureReason != "" {
		set = append(set, bson.E{Key: "failureReason", Value: next.FailureReason})
	}
	if next.RunID != "" {
		set = append(set, bson.E{Key: "runId", Value: next.RunID})
	}
	return bson.D{
		{Key: "$set", Value: set},
		{Key: "$push", Value: bson.D{{Key: "timeline", Value: next.Timeline[len(next.Timeline)-1]}}},
	}
}

// SetOrderRun records the workflow run that processes the order. It is not a
// timeline event, so the version does not move.
func (s *OrderService) SetOrderRun(ctx context.Context, orderID, runID string) error {
	res, err := s.db.coll(colOrders).UpdateOne(ctx, bson.D{{Key: "_id", Value: orderID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "runId", Value: runID}}}})
	if err != nil {
		return fmt.Errorf("set order run: %w", err)
	}
	if res.MatchedCount == 0 {
		return orderly.Errorf(orderly.ENOTFOUND, "order %q not found", orderID)
	}
	return nil
}

// backoff pauses before the next optimistic attempt: a short random delay,
// so that contenders fall out of step. It does not grow with the attempt: a
// lost round means another writer just won, so the state is fresh, and a
// growing delay would starve the writer that lost most.
func backoff(ctx context.Context, _ int) error {
	timer := time.NewTimer(rand.N(2*time.Millisecond) + time.Millisecond/4)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
