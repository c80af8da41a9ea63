package mongodb

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// pageCursor is the position of an item in a sorted list: the sort keys (a
// string, a time, a number) and the _id that breaks ties. Clients see it as
// an opaque base64url string.
type pageCursor struct {
	Key string `json:"k,omitempty"`
	// At is a time in Unix milliseconds, the precision BSON keeps.
	At int64 `json:"t,omitempty"`
	// N is a number key (an amount).
	N  int64  `json:"n,omitempty"`
	ID string `json:"id"`
	// Sort names the sort the cursor belongs to, for lists that sort more
	// than one way; empty for a list's default sort.
	Sort string `json:"s,omitempty"`
}

func (c pageCursor) encode() string {
	b, _ := json.Marshal(c) // a struct of strings and ints always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (pageCursor, error) {
	var c pageCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID == "" {
		return pageCursor{}, orderly.FieldErrorf(orderly.EINVALID, "after", "after is not a valid cursor")
	}
	return c, nil
}

// byTimeBefore returns the filter for the items after c in descending
// (time, _id) order, that is newest first.
func byTimeBefore(key string, c pageCursor) bson.D {
	at := time.UnixMilli(c.At).UTC()
	return bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: key, Value: bson.D{{Key: "$lt", Value: at}}}},
		bson.D{{Key: key, Value: at}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: c.ID}}}},
	}}}
}

// pageQuery is one page to read from a collection.
type pageQuery[T any] struct {
	db     *DB
	coll   *mongo.Collection
	filter bson.D
	// after narrows filter to the items after the request's cursor; it is
	// called only when there is one.
	after func(pageCursor) bson.D
	sort  bson.D
	// projection is optional.
	projection bson.D
	cursorOf   func(T) pageCursor
}

// findPage reads one page and the total count of items matching the filter.
// It fetches one item more than the page size to learn whether more follow,
// and counts only when the page does not already show the total.
func findPage[T any](ctx context.Context, q pageQuery[T], req orderly.PageRequest) (orderly.Page[T], error) {
	var page orderly.Page[T]
	if err := req.Validate(); err != nil {
		return page, err
	}
	if q.filter == nil {
		q.filter = bson.D{}
	}
	filter := q.filter
	if req.After != "" {
		c, err := decodeCursor(req.After)
		if err != nil {
			return page, err
		}
		filter = bson.D{{Key: "$and", Value: bson.A{q.filter, q.after(c)}}}
	}
	release, err := q.db.listSlot(ctx)
	if err != nil {
		return page, err
	}
	defer release()
	size := req.Size()
	opts := options.Find().SetSort(q.sort).SetLimit(int64(size + 1))
	if q.projection != nil {
		opts.SetProjection(q.projection)
	}
	cur, err := q.coll.Find(ctx, filter, opts)
	if err != nil {
		return page, fmt.Errorf("find page: %w", err)
	}
	items := make([]T, 0, size+1)
	if err := cur.All(ctx, &items); err != nil {
		return page, fmt.Errorf("find page: %w", err)
	}
	if len(items) > size {
		items, page.HasNextPage = items[:size], true
	}
	page.Items, page.TotalCount = items, len(items)
	if req.After != "" || page.HasNextPage {
		// The first page did not hold everything: count. (On the embedded
		// store a count is another scan of the collection.)
		total, err := q.coll.CountDocuments(ctx, q.filter)
		if err != nil {
			return page, fmt.Errorf("count: %w", err)
		}
		page.TotalCount = int(total)
	}
	page.Cursors = make([]string, len(items))
	for i, it := range items {
		page.Cursors[i] = q.cursorOf(it).encode()
	}
	return page, nil
}
