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

// notificationDoc is a notification as stored. Version and UpdatedAt are for
// the change feed: marking a notification read is a change too.
type notificationDoc struct {
	orderly.Notification `bson:",inline"`
	Version              int       `bson:"version"`
	UpdatedAt            time.Time `bson:"updatedAt"`
}

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
	t := now()
	if n.CreatedAt.IsZero() {
		n.CreatedAt = t
	}
	n.CreatedAt = n.CreatedAt.UTC().Truncate(time.Millisecond)
	n.Read = false
	if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeNotification, ID: n.ID, CustomerID: n.CustomerID, Version: 1}); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	_, err := s.db.coll(colNotifications).InsertOne(ctx, notificationDoc{Notification: n, Version: 1, UpdatedAt: t})
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

// MarkNotificationsRead marks the given notifications read, one by _id at a
// time (each a change the feed reports). The filter names the customer, so
// IDs of another customer's notifications change nothing.
func (s *NotificationService) MarkNotificationsRead(ctx context.Context, customerID string, ids []string) error {
	if len(ids) > maxMarkRead {
		return orderly.FieldErrorf(orderly.EINVALID, "ids", "at most %d notifications at a time", maxMarkRead)
	}
	for _, id := range ids {
		var n notificationDoc
		err := s.db.coll(colNotifications).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&n)
		if isNotFound(err) {
			continue
		} else if err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
		if n.CustomerID != customerID || n.Read {
			continue
		}
		if err := s.db.announce(ctx, orderly.Change{Kind: orderly.ChangeNotification, ID: id, CustomerID: customerID, Version: n.Version + 1}); err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
		_, err = s.db.coll(colNotifications).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: id}, {Key: "customerId", Value: customerID}, {Key: "read", Value: false}},
			bson.D{
				{Key: "$set", Value: bson.D{{Key: "read", Value: true}, {Key: "updatedAt", Value: now()}}},
				{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
			})
		if err != nil {
			return fmt.Errorf("mark notifications read: %w", err)
		}
	}
	return nil
}
