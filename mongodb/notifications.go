package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// maxMarkRead bounds the IDs of one MarkNotificationsRead call.
const maxMarkRead = orderly.MaxPageSize

// NotificationService stores notifications under their deterministic IDs. It
// implements orderly.NotificationService.
type NotificationService struct {
	db *DB
}

var _ orderly.NotificationService = (*NotificationService)(nil)

// NewNotificationService returns a NotificationService over db.
func NewNotificationService(db *DB) *NotificationService { return &NotificationService{db: db} }

// Notify stores n once: its ID is deterministic, so a retried activity hits
// the _id index and changes nothing.
func (s *NotificationService) Notify(ctx context.Context, n orderly.Notification) error {
	switch {
	case n.ID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "id", "notification ID is required")
	case n.CustomerID == "":
		return orderly.FieldErrorf(orderly.EINVALID, "customerId", "customer ID is required")
	}
	if n.CreatedAt.IsZero() {
		n.CreatedAt = now()
	}
	n.CreatedAt = n.CreatedAt.UTC().Truncate(time.Millisecond)
	n.Read = false
	_, err := s.db.coll(colNotifications).InsertOne(ctx, n)
	if err != nil && !isDuplicateKey(err) {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

// FindNotifications lists a customer's notifications, newest first.
func (s *NotificationService) FindNotifications(ctx context.Context, customerID string, page orderly.PageRequest) (orderly.Page[*orderly.Notification], error) {
	return findPage(ctx, pageQuery[*orderly.Notification]{
		db:       s.db,
		coll:     s.db.coll(colNotifications),
		filter:   bson.D{{Key: "customerId", Value: customerID}},
		after:    func(c pageCursor) bson.D { return byTimeBefore("createdAt", c) },
		sort:     bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}},
		cursorOf: func(n *orderly.Notification) pageCursor { return pageCursor{At: n.CreatedAt.UnixMilli(), ID: n.ID} },
	}, page)
}

// MarkNotificationsRead marks the given notifications read, one write by
// _id each. The filter names the customer, so IDs of another customer's
// notifications change nothing.
func (s *NotificationService) MarkNotificationsRead(ctx context.Context, customerID string, ids []string) error {
	if len(ids) > maxMarkRead {
		return orderly.FieldErrorf(orderly.EINVALID, "ids", "at most %d notifications at a time", maxMarkRead)
	}
	for _, id := range ids {
		_, err := s.db.coll(colNotifications).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "customerId", Value: customerID}, {Key: "read", Value: false}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "read", Value: true}}}})
		if err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
	}
	return nil
}
