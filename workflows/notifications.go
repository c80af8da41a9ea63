package workflows

import (
	"fmt"
	"strings"

	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

// milestone is an order event the customer is told about.
type milestone string

// Order milestones that notify the customer.
const (
	milestoneAwaitingApproval milestone = "awaiting_approval"
	milestonePaid             milestone = "paid"
	milestoneAuthorized       milestone = "payment_authorized"
	milestoneShipped          milestone = "shipped"
	milestoneDelivered        milestone = "delivered"
	milestoneCancelled        milestone = "cancelled"
	milestoneFailed           milestone = "failed"
)

// NotificationIDFor derives the ID of an order's notification for a
// milestone, so a retried or replayed step notifies once.
func NotificationIDFor(orderID string, m string) string { return orderID + ":" + m }

// TierNotificationIDFor derives the ID of the notification that a customer
// reached a tier; points only grow, so each tier is reached once.
func TierNotificationIDFor(customerID string, t orderly.Tier) string {
	return customerID + ":tier:" + string(t)
}

// notify tells the customer about a milestone. It is best effort: a
// notification that cannot be stored after its retries is logged, and the
// order goes on, because a missing message is no reason to stop a delivery.
func (w *orderWorkflow) notify(ctx workflow.Context, m milestone) {
	var a *Activities
	title, body := w.message(m)
	err := workflow.ExecuteActivity(activityOptions(ctx, bookkeepingActivity), a.Notify, NotifyInput{Notification: orderly.Notification{
		ID: NotificationIDFor(w.in.OrderID, string(m)), CustomerID: w.in.CustomerID, OrderID: w.in.OrderID,
		Title: title, Body: body, CreatedAt: workflow.Now(ctx).UTC(),
	}}).Get(ctx, nil)
	if err != nil {
		w.logger.Error("cannot notify the customer", "milestone", string(m), "error", err)
	}
}

// message words a milestone for the customer.
func (w *orderWorkflow) message(m milestone) (title, body string) {
	id := w.in.OrderID
	switch m {
	case milestoneAwaitingApproval:
		return "Order under review", fmt.Sprintf("Your order %s is being reviewed by our team before we charge you.", id)
	case milestonePaid:
		return "Order confirmed", fmt.Sprintf("We charged %s for your order %s and are getting it ready.", w.in.Total, id)
	case milestoneAuthorized:
		return "Order confirmed", fmt.Sprintf("We reserved %s on your card for your order %s; we charge it when the order ships.", w.in.Total, id)
	case milestoneShipped:
		return "Order shipped", fmt.Sprintf("Your order %s is on its way (tracking %s).", id, w.result.TrackingNumber)
	case milestoneDelivered:
		return "Order delivered", fmt.Sprintf("Your order %s was delivered. Enjoy!", id)
	case milestoneCancelled:
		body = fmt.Sprintf("Your order %s was cancelled: %s.", id, w.result.FailureReason)
	case milestoneFailed:
		body = fmt.Sprintf("We could not complete your order %s: %s.", id, w.result.FailureReason)
	}
	if w.result.Refunded {
		body += fmt.Sprintf(" The %s we charged has been refunded.", w.in.Total)
	}
	if w.result.Voided {
		body += fmt.Sprintf(" The %s reserved on your card has been released.", w.in.Total)
	}
	if m == milestoneCancelled {
		return "Order cancelled", body
	}
	return "Order failed", body
}

// lower writes a status for a sentence: "cancelled".
func lower(s orderly.OrderStatus) string { return strings.ToLower(string(s)) }

// upperFirst capitalises a sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
