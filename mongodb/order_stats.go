package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

var _ orderly.OrderStatsService = (*OrderService)(nil)

// OrdersChangedSince returns the orders updated at or after since, the most
// recently updated first, at most limit (1..orderly.MaxDashboardOrders) of
// them, and whether more were. The dashboard reads only status, times and
// timeline, so lines, address, shipments and payment stay in the store.
//
// On MongoDB the updatedAt index serves the filter and the sort, so the read
// costs the orders changed in the window, not the collection. The embedded
// store scans the collection for it, like any list: it takes a list slot,
// and the API keeps each dashboard for a few seconds.
func (s *OrderService) OrdersChangedSince(ctx context.Context, since time.Time, limit int) ([]*orderly.Order, bool, error) {
	limit = min(max(limit, 1), orderly.MaxDashboardOrders)
	release, err := s.db.listSlot(ctx)
	if err != nil {
		return nil, false, err
	}
	defer release()
	cur, err := s.db.coll(colOrders).Find(ctx,
		bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since.UTC()}}}},
		options.Find().
			SetSort(bson.D{{Key: "updatedAt", Value: -1}}).
			SetLimit(int64(limit)+1).
			SetProjection(bson.D{
				{Key: "lines", Value: 0}, {Key: "shippingAddress", Value: 0},
				{Key: "shipments", Value: 0}, {Key: "payment", Value: 0},
			}))
	if err != nil {
		return nil, false, fmt.Errorf("orders changed since: %w", err)
	}
	orders := make([]*orderly.Order, 0, 64)
	if err := cur.All(ctx, &orders); err != nil {
		return nil, false, fmt.Errorf("orders changed since: %w", err)
	}
	if len(orders) > limit {
		return orders[:limit], true, nil
	}
	return orders, false, nil
}

// CountOrdersByStatus counts every order by status in one aggregation: a
// $group with one accumulator (the embedded store answers only the first of
// several). The $sort ahead of it lets MongoDB read the status index alone,
// covered, instead of the documents; the embedded store scans.
func (s *OrderService) CountOrdersByStatus(ctx context.Context) (map[orderly.OrderStatus]int, error) {
	release, err := s.db.listSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	cur, err := s.db.coll(colOrders).Aggregate(ctx, countByStatusPipeline())
	if err != nil {
		return nil, fmt.Errorf("count orders by status: %w", err)
	}
	var groups []struct {
		Status orderly.OrderStatus `bson:"_id"`
		N      int                 `bson:"n"`
	}
	if err := cur.All(ctx, &groups); err != nil {
		return nil, fmt.Errorf("count orders by status: %w", err)
	}
	counts := make(map[orderly.OrderStatus]int, len(groups))
	for _, g := range groups {
		counts[g.Status] += g.N
	}
	return counts, nil
}

func countByStatusPipeline() bson.A {
	return bson.A{
		bson.D{{Key: "$sort", Value: bson.D{{Key: "status", Value: 1}}}},
		bson.D{{Key: "$group", Value: bson.D{{Key: "_id", Value: "$status"}, {Key: "n", Value: bson.D{{Key: "$sum", Value: 1}}}}}},
	}
}
