package orderly

import "context"

// ChangeKind says what kind of document changed.
type ChangeKind string

// Change kinds.
const (
	ChangeOrder   ChangeKind = "ORDER"
	ChangeRewards ChangeKind = "REWARDS"
	ChangeProduct ChangeKind = "PRODUCT"
)

// Change says that a document reached a version. The feed reads the
// document once per change and hands the same copy to every subscriber of
// the process, so a change costs one store read however many follow it; the
// document may be newer than Version (changes coalesce), never older, and
// subscribers must treat it as read-only.
//
// Changes are hints about the store, which stays the source of truth: a
// change may be delivered more than once or be overtaken by a later one, but
// a feed never loses the last change of a document. A document that could
// not be read leaves its field nil, and subscribers read it themselves.
type Change struct {
	Kind       ChangeKind
	ID         string
	CustomerID string
	Version    int
	// Exactly one of these is set when the feed could read the document.
	Order   *Order
	Rewards *RewardsAccount
	Product *Product
}

// ChangeFeed delivers every change made to orders, rewards accounts and
// products by any process, to every subscriber in this
// process. There is one feed per process; subscribers share it.
type ChangeFeed interface {
	// Subscribe returns a channel of the changes match accepts (all for a
	// nil match) that stays open until ctx ends. match sees a change before
	// its document is read, so it filters on the Kind, ID, CustomerID and
	// Version only, and must be cheap. A subscriber too slow to keep up is
	// dropped: its channel closes early, and it must resubscribe and re-read
	// the current state.
	Subscribe(ctx context.Context, match func(Change) bool) <-chan Change
}
