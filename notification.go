package orderly

import (
	"context"
	"time"
)

// Notification is a message to a customer about an order milestone or a tier
// change, shown in the app.
type Notification struct {
	// ID is deterministic (for example the order ID and the milestone), so a
	// retried activity never notifies twice.
	ID         string    `json:"id" bson:"_id"`
	CustomerID string    `json:"customerId" bson:"customerId"`
	OrderID    string    `json:"orderId,omitempty" bson:"orderId,omitempty"`
	Title      string    `json:"title" bson:"title"`
	Body       string    `json:"body" bson:"body"`
	Read       bool      `json:"read" bson:"read"`
	CreatedAt  time.Time `json:"createdAt" bson:"createdAt"`
}

// NotificationService stores notifications.
type NotificationService interface {
	// Notify stores n once; a second call with the same ID changes nothing.
	Notify(ctx context.Context, n Notification) error
	// FindNotifications lists a customer's notifications, newest first.
	FindNotifications(ctx context.Context, customerID string, page PageRequest) (Page[*Notification], error)
	// MarkNotificationsRead marks the given notifications of the customer read.
	MarkNotificationsRead(ctx context.Context, customerID string, ids []string) error
}
