package mongodb

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// Limits on order input.
const (
	maxIdempotencyKeyLength = 200
	maxEventIDLength        = 200
	maxEventDetailLength    = 2000
)

// maxEventAttempts bounds the optimistic retries of ApplyOrderEvent. Every
// round of a contest has a winner, so n concurrent writers to one order need
// at most n attempts; an order has a handful (its workflow, its shipping
// workflows, a cancel), and tests hammer it with a few dozen.
const maxEventAttempts = 100

// orderDoc is an order as stored.
//
// DedupeKey carries CreateOrder's idempotency through a plain unique index on
// (customerId, dedupeKey). It is "key:<idempotency key>" when the client sent
// a key and "order:<order ID>" when it did not, so it is never empty and a
// generated value can never collide with a client's. A partial unique index
// (only where a key is set) would say the same, but the embedded store has
// none; a separate collection of keys would take two writes with no
// transaction between them, leaving a key without an order when a process dies
// in between. Here the insert of the order is the claim of the key: one atomic
// write. The client's key stays in Order.IdempotencyKey, untouched.
type orderDoc struct {
	orderly.Order `bson:",inline"`
	DedupeKey     string `bson:"dedupeKey"`
}

func dedupeKey(o *orderly.Order) string {
	if o.IdempotencyKey != "" {
		return "key:" + o.IdempotencyKey
	}
	return "order:" + o.ID
}

// OrderService stores the order read model, one document per order. It
// implements orderly.OrderService.
type OrderService struct {
	db *DB
}

var _ orderly.OrderService = (*OrderService)(nil)

// NewOrderService returns an OrderService over db.
func NewOrderService(db *DB) *OrderService { return &OrderService{db: db} }

// CreateOrder inserts o in status RECEIVED at version 1, with the first
// timeline entry, and returns the stored order. o.ID is generated when empty.
// If the customer already placed an order under the same idempotency key, it
// returns that order and created=false.
func (s *OrderService) CreateOrder(ctx context.Context, o *orderly.Order) (*orderly.Order, bool, error) {
	switch {
	case o.CustomerID == "":
		return nil, false, orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	case len(o.Lines) == 0:
		return nil, false, orderly.FieldErrorf(orderly.EINVALID, "lines", "an order needs at least one line")
	case len(o.IdempotencyKey) > maxIdempotencyKeyLength:
		return nil, false, orderly.FieldErrorf(orderly.EINVALID, "idempotencyKey",
			"idempotency key must be at most %d characters", maxIdempotencyKeyLength)
	}
	order := *o
	if order.ID == "" {
		order.ID = orderly.NewID(orderly.PrefixOrder)
	}
	t := now()
	order.Status = orderly.StatusReceived
	order.Version = 1
	order.WorkflowID = orderly.OrderWorkflowIDFor(order.ID)
	order.CreatedAt, order.UpdatedAt = t, t
	order.Timeline = []orderly.TimelineEntry{{
		Version: 1, EventID: "received", Kind: orderly.EntryStatus, Status: orderly.StatusReceived,
		Detail: "Order received", At: t,
	}}

	key := dedupeKey(&order)
	_, err := s.db.coll(colOrders).InsertOne(ctx, orderDoc{Order: order, DedupeKey: key})
	if err == nil {
		return &order, true, nil
	}
	if !isDuplicateKey(err) {
		return nil, false, fmt.Errorf("create order: %w", err)
	}
	first, err := s.findByDedupeKey(ctx, order.CustomerID, key)
	if isNotFound(err) {
		// The clash was on _id: the caller reused an order ID.
		return nil, false, orderly.Errorf(orderly.ECONFLICT, "order %s already exists", order.ID)
	}
	if err != nil {
		return nil, false, fmt.Errorf("create order: find first: %w", err)
	}
	return first, false, nil
}

// FindOrderByIdempotencyKey returns the customer's order placed with the
// key, or ENOTFOUND. It reads the unique (customerId, dedupeKey) index.
func (s *OrderService) FindOrderByIdempotencyKey(ctx context.Context, customerID, key string) (*orderly.Order, error) {
	if key == "" {
		return nil, orderly.Errorf(orderly.ENOTFOUND, "no order with an empty idempotency key")
	}
	o, err := s.findByDedupeKey(ctx, customerID, dedupeKey(&orderly.Order{IdempotencyKey: key}))
	if err != nil {
		return nil, notFoundOr(err, "find order by key", "no order with idempotency key %q", key)
	}
	return o, nil
}

func (s *OrderService) findByDedupeKey(ctx context.Context, customerID, key string) (*orderly.Order, error) {
	var o orderly.Order
	err := s.db.coll(colOrders).FindOne(ctx,
		bson.D{{Key: "customerId", Value: customerID}, {Key: "dedupeKey", Value: key}}).Decode(&o)
	if err != nil {
		return nil, err
	}
	return &o, nil
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

// FindOrders returns one page of matching orders, newest first.
func (s *OrderService) FindOrders(ctx context.Context, f orderly.OrderFilter) (orderly.Page[*orderly.Order], error) {
	filter := bson.D{}
	if f.CustomerID != "" {
		filter = append(filter, bson.E{Key: "customerId", Value: f.CustomerID})
	}
	if len(f.Statuses) > 0 {
		for _, st := range f.Statuses {
			if !st.Valid() {
				return orderly.Page[*orderly.Order]{}, orderly.FieldErrorf(orderly.EINVALID, "status", "unknown status %q", st)
			}
		}
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: f.Statuses}}})
	}
	if !f.UpdatedSince.IsZero() {
		filter = append(filter, bson.E{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: f.UpdatedSince}}})
	}
	return findPage(ctx, pageQuery[*orderly.Order]{
		coll:     s.db.coll(colOrders),
		filter:   filter,
		after:    func(c pageCursor) bson.D { return byTimeBefore("createdAt", c) },
		sort:     bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}},
		cursorOf: func(o *orderly.Order) pageCursor { return pageCursor{At: o.CreatedAt.UnixMilli(), ID: o.ID} },
	}, f.Page)
}

// ApplyOrderEvent appends e to the order's timeline, with its status,
// payment, shipment, address and failure changes, in one atomic write, and
// returns the order after it. An event whose ID is already on the timeline is
// a no-op that returns the order as it stands.
//
// The write is optimistic: read the order at version v, check the event
// against it, then findOneAndUpdate({_id, version: v}, {$set, $push: entry,
// $inc: {version: 1}}). If another writer got there first, nothing matches
// and the loop reads again. Each version is therefore written exactly once,
// entries are numbered 1..n without gaps, and an event is never applied to
// a state it was not checked against.
func (s *OrderService) ApplyOrderEvent(ctx context.Context, orderID string, e orderly.OrderEvent) (*orderly.Order, error) {
	if err := validateEvent(e); err != nil {
		return nil, err
	}
	for attempt := range maxEventAttempts {
		o, err := s.FindOrderByID(ctx, orderID)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(o.Timeline, func(te orderly.TimelineEntry) bool { return te.EventID == e.ID }) {
			return o, nil
		}
		update, err := eventUpdate(o, e, now())
		if err != nil {
			return nil, err
		}
		var after orderly.Order
		err = s.db.coll(colOrders).FindOneAndUpdate(ctx,
			bson.D{{Key: "_id", Value: orderID}, {Key: "version", Value: o.Version}},
			update,
			options.FindOneAndUpdate().SetReturnDocument(options.After),
		).Decode(&after)
		if err == nil {
			return &after, nil
		}
		if !isNotFound(err) {
			return nil, fmt.Errorf("apply order event: %w", err)
		}
		if err := backoff(ctx, attempt); err != nil {
			return nil, fmt.Errorf("apply order event: %w", err)
		}
	}
	return nil, fmt.Errorf("apply order event %s to %s: still conflicting after %d attempts", e.ID, orderID, maxEventAttempts)
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

func validateEvent(e orderly.OrderEvent) error {
	switch {
	case e.ID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "eventId", "event ID is required")
	case len(e.ID) > maxEventIDLength:
		return orderly.FieldErrorf(orderly.EINVALID, "eventId", "event ID must be at most %d characters", maxEventIDLength)
	case len(e.Detail) > maxEventDetailLength:
		return orderly.FieldErrorf(orderly.EINVALID, "detail", "detail must be at most %d characters", maxEventDetailLength)
	case e.Status != "" && !e.Status.Valid():
		return orderly.FieldErrorf(orderly.EINVALID, "status", "unknown status %q", e.Status)
	}
	switch e.Kind {
	case "", orderly.EntryStatus, orderly.EntryInfo, orderly.EntryFailure, orderly.EntryCompensation:
	default:
		return orderly.FieldErrorf(orderly.EINVALID, "kind", "unknown entry kind %q", e.Kind)
	}
	if e.Address != nil {
		if err := e.Address.Validate("address"); err != nil {
			return err
		}
	}
	return nil
}

// eventUpdate builds the update that applies e to o, stamped t; it returns
// ECONFLICT if e's status move is not allowed from o's status.
func eventUpdate(o *orderly.Order, e orderly.OrderEvent, t time.Time) (bson.D, error) {
	status := o.Status
	if e.Status != "" {
		if !o.Status.CanTransitionTo(e.Status) {
			return nil, orderly.Errorf(orderly.ECONFLICT, "order %s cannot move from %s to %s", o.ID, o.Status, e.Status)
		}
		status = e.Status
	}
	kind := e.Kind
	if kind == "" {
		kind = orderly.EntryInfo
		if e.Status != "" {
			kind = orderly.EntryStatus
		}
	}
	at := e.At.UTC().Truncate(time.Millisecond)
	if e.At.IsZero() {
		at = t
	}
	entry := orderly.TimelineEntry{
		Version: o.Version + 1, EventID: e.ID, Kind: kind, Status: status, Detail: e.Detail, At: at,
	}
	set := bson.D{{Key: "status", Value: status}, {Key: "updatedAt", Value: t}}
	if e.Payment != nil {
		set = append(set, bson.E{Key: "payment", Value: e.Payment})
	}
	if e.Shipment != nil {
		set = append(set, bson.E{Key: "shipments", Value: withShipment(o.Shipments, *e.Shipment, t)})
	}
	if e.Address != nil {
		set = append(set, bson.E{Key: "shippingAddress", Value: e.Address})
	}
	if e.FailureReason != "" {
		set = append(set, bson.E{Key: "failureReason", Value: e.FailureReason})
	}
	return bson.D{
		{Key: "$set", Value: set},
		{Key: "$push", Value: bson.D{{Key: "timeline", Value: entry}}},
		{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
	}, nil
}

// withShipment returns the shipments with sh replacing the one of the same ID,
// or appended. The whole array is rewritten under the version guard, which
// needs neither positional updates nor arrayFilters.
func withShipment(shipments []orderly.Shipment, sh orderly.Shipment, t time.Time) []orderly.Shipment {
	if sh.UpdatedAt.IsZero() {
		sh.UpdatedAt = t
	}
	out := slices.Clone(shipments)
	if i := slices.IndexFunc(out, func(x orderly.Shipment) bool { return x.ID == sh.ID }); i >= 0 {
		out[i] = sh
		return out
	}
	return append(out, sh)
}

// backoff sleeps before the next optimistic attempt: a random delay that
// grows with the attempt, capped at 20ms, so that contenders spread out.
func backoff(ctx context.Context, attempt int) error {
	limit := time.Duration(min(1<<min(attempt, 5), 20)) * time.Millisecond
	timer := time.NewTimer(rand.N(limit) + time.Millisecond/4)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
