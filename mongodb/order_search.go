package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// FindOrders returns one page of matching orders in the filter's sort
// (orderly.OrderSort; newest first by default).
//
// How each search is served: an order ID is a lookup by _id, then the rest
// of the filter is checked on that one order (OrderFilter.Matches); a
// customer's e-mail is a lookup in customers by the unique email index,
// then a list of that customer's orders. A list filters on customerId,
// status, returns.status and updatedAt and sorts on the sort's keys, each combination
// served by an index of indexes.go on MongoDB; on the embedded store a list
// scans the collection, and listSlot bounds how many run at once.
func (s *OrderService) FindOrders(ctx context.Context, f orderly.OrderFilter) (orderly.Page[*orderly.Order], error) {
	var none orderly.Page[*orderly.Order]
	f, err := f.Normalize()
	if err != nil {
		return none, err
	}
	if f.Page.After != "" {
		c, err := decodeCursor(f.Page.After)
		if err != nil {
			return none, err
		}
		if c.Sort != sortTag(f.Sort) {
			return none, orderly.FieldErrorf(orderly.EINVALID, "after", "after is a cursor of another sort")
		}
	}
	if f.CustomerEmail != "" {
		id, found, err := s.customerIDByEmail(ctx, f.CustomerEmail)
		if err != nil {
			return none, err
		}
		var ok bool
		if f, ok = f.ForEmailCustomer(id, found); !ok {
			return none, nil
		}
	}
	if f.OrderID != "" {
		return s.orderPageByID(ctx, f)
	}
	filter := bson.D{}
	if f.CustomerID != "" {
		filter = append(filter, bson.E{Key: "customerId", Value: f.CustomerID})
	}
	if len(f.Statuses) > 0 {
		filter = append(filter, bson.E{Key: "status", Value: bson.D{{Key: "$in", Value: f.Statuses}}})
	}
	if len(f.ReturnStatuses) > 0 {
		filter = append(filter, bson.E{Key: "returns.status", Value: bson.D{{Key: "$in", Value: f.ReturnStatuses}}})
	}
	if !f.UpdatedSince.IsZero() {
		filter = append(filter, bson.E{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: f.UpdatedSince}}})
	}
	keys := f.Sort.Keys()
	sort := make(bson.D, len(keys))
	for i, k := range keys {
		dir := 1
		if k.Descending {
			dir = -1
		}
		sort[i] = bson.E{Key: orderKeyPath(k.Key), Value: dir}
	}
	return findPage(ctx, pageQuery[*orderly.Order]{
		db:       s.db,
		coll:     s.db.coll(colOrders),
		filter:   filter,
		after:    func(c pageCursor) bson.D { return ordersAfter(keys, c) },
		sort:     sort,
		cursorOf: func(o *orderly.Order) pageCursor { return orderCursor(f.Sort, o) },
	}, f.Page)
}

// orderPageByID answers a search by order ID: one lookup by _id, and the
// order on the page if the rest of the filter selects it.
func (s *OrderService) orderPageByID(ctx context.Context, f orderly.OrderFilter) (orderly.Page[*orderly.Order], error) {
	var page orderly.Page[*orderly.Order]
	o, err := s.FindOrderByID(ctx, f.OrderID)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return page, nil
	} else if err != nil {
		return page, err
	}
	if !f.Matches(o) {
		return page, nil
	}
	page.TotalCount = 1
	if f.Page.After == "" { // after the one order, nothing follows
		page.Items, page.Cursors = []*orderly.Order{o}, []string{orderCursor(f.Sort, o).encode()}
	}
	return page, nil
}

// customerIDByEmail finds the customer with this (normalized) e-mail by the
// unique email index; found is false when nobody has it.
func (s *OrderService) customerIDByEmail(ctx context.Context, email string) (id string, found bool, err error) {
	var c struct {
		ID string `bson:"_id"`
	}
	err = s.db.coll(colCustomers).FindOne(ctx, bson.D{{Key: "email", Value: email}},
		options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Decode(&c)
	if isNotFound(err) {
		return "", false, nil
	} else if err != nil {
		return "", false, fmt.Errorf("find customer by email: %w", err)
	}
	return c.ID, true, nil
}

// orderKeyPath is the document field of a sort key.
func orderKeyPath(k orderly.OrderKey) string {
	switch k {
	case orderly.OrderKeyCreatedAt:
		return "createdAt"
	case orderly.OrderKeyTotal:
		return "total.amount"
	case orderly.OrderKeyStatus:
		return "status"
	default:
		return "_id"
	}
}

// sortTag names a sort in its cursors; the default sort has none, so its
// cursors read as they always did.
func sortTag(s orderly.OrderSort) string {
	if s.IsDefault() {
		return ""
	}
	s = s.WithDefaults()
	return string(s.Field) + ":" + string(s.Direction)
}

// orderCursor is the position of o in the sort: the values of its keys.
func orderCursor(s orderly.OrderSort, o *orderly.Order) pageCursor {
	c := pageCursor{ID: o.ID, Sort: sortTag(s)}
	for _, k := range s.Keys() {
		switch k.Key {
		case orderly.OrderKeyCreatedAt:
			c.At = o.CreatedAt.UnixMilli()
		case orderly.OrderKeyTotal:
			c.N = o.Total.Amount
		case orderly.OrderKeyStatus:
			c.Key = string(o.Status)
		}
	}
	return c
}

// ordersAfter selects the orders after the cursor in the sort of keys
// (k1, k2, … kn): k1 beyond the cursor's, or k1 equal and k2 beyond, and so
// on to the _id; "beyond" is $gt for an ascending key, $lt for a
// descending one.
func ordersAfter(keys []orderly.SortKey, c pageCursor) bson.D {
	value := func(k orderly.OrderKey) any {
		switch k {
		case orderly.OrderKeyCreatedAt:
			return time.UnixMilli(c.At).UTC()
		case orderly.OrderKeyTotal:
			return c.N
		case orderly.OrderKeyStatus:
			return c.Key
		default:
			return c.ID
		}
	}
	or := make(bson.A, 0, len(keys))
	for i, k := range keys {
		cond := make(bson.D, 0, i+1)
		for _, prev := range keys[:i] {
			cond = append(cond, bson.E{Key: orderKeyPath(prev.Key), Value: value(prev.Key)})
		}
		op := "$gt"
		if k.Descending {
			op = "$lt"
		}
		or = append(or, append(cond, bson.E{Key: orderKeyPath(k.Key), Value: bson.D{{Key: op, Value: value(k.Key)}}}))
	}
	return bson.D{{Key: "$or", Value: or}}
}
