package orderly

import "context"

// ChangeKind says what kind of document changed.
type ChangeKind string

// Change kinds.
const (
	ChangeOrder        ChangeKind = "ORDER"
	ChangeRewards      ChangeKind = "REWARDS"
	ChangeNotification ChangeKind = "NOTIFICATION"
)

// Change says that a document reached a version. It is a hint: subscribers
// read the document itself from the store, so a change may be delivered more
// than once or be overtaken by a later one, but a feed never loses the last
// change of a document.
type Change struct {
	Kind       ChangeKind
	ID         string
	CustomerID string
	Version    int
}

// ChangeFeed delivers every change made to orders, rewards accounts and
// notifications by any process, to every subscriber in this process. There
// is one feed per process; subscribers share it.
type ChangeFeed interface {
	// Subscribe returns a channel of changes that stays open until ctx ends.
	// A subscriber too slow to keep up is dropped: its channel closes early,
	// and it must resubscribe and re-read the current state.
	Subscribe(ctx context.Context) <-chan Change
}
