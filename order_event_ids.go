package orderly

import (
	"fmt"
	"strings"
)

// The IDs of the timeline entries that the dashboard counts. The workflows
// write them and the dashboard reads them back, so they are named once,
// here. Each is deterministic, which is what makes a retried write land once.
const (
	// ReleaseStockEventID is the entry of the saga step that gives an
	// order's reserved stock back.
	ReleaseStockEventID = "compensation:release-stock"
	// RefundEventID is the entry of the saga step that refunds an order's
	// payment.
	RefundEventID = "compensation:refund"
	// AttemptRetry is what the entry of an activity attempt after the first
	// says of itself (AttemptEventID).
	AttemptRetry = "retry"
)

// attemptEventPrefix starts the ID of every entry an activity attempt
// writes about itself.
const attemptEventPrefix = "attempt:"

// AttemptEventID is the ID of an entry that one attempt of an activity
// writes about itself (a retry, a failure, a stall): unique per workflow
// run, activity, attempt and what it says, and the same when the attempt
// writes it again.
func AttemptEventID(workflowID, activityID string, attempt int, what string) string {
	return fmt.Sprintf("%s%s:%s:%d:%s", attemptEventPrefix, workflowID, activityID, attempt, what)
}

// IsRetry reports whether the entry records an activity attempt beyond the
// first: a retry after a failure or a timeout.
func (e TimelineEntry) IsRetry() bool {
	return strings.HasPrefix(e.EventID, attemptEventPrefix) && strings.HasSuffix(e.EventID, ":"+AttemptRetry)
}

// CompensationKind says which undo step of the saga an entry records.
type CompensationKind string

// Compensation kinds.
const (
	// CompensationRefund gave the payment back.
	CompensationRefund CompensationKind = "REFUND"
	// CompensationReleaseStock gave the reserved stock back.
	CompensationReleaseStock CompensationKind = "RELEASE_STOCK"
	// CompensationOther undid something else: a shipment called off.
	CompensationOther CompensationKind = "OTHER"
)

// Compensation returns the kind of undo step the entry records, and false
// for an entry that records none. The kind is told by the entry's ID, not
// its status: every entry after a refund carries the order's status
// REFUNDED, the stock release that follows it too.
func (e TimelineEntry) Compensation() (CompensationKind, bool) {
	switch {
	case e.Kind != EntryCompensation:
		return "", false
	case strings.HasPrefix(e.EventID, RefundEventID):
		return CompensationRefund, true
	case strings.HasPrefix(e.EventID, ReleaseStockEventID):
		return CompensationReleaseStock, true
	}
	return CompensationOther, true
}
