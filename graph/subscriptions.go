package graph

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

	"github.com/orderly-shop/orderly"
)

// Subscriptions follow the process's one change feed, each with a filter so
// that it is handed only the changes it shows. A change carries the document
// as the feed read it, once for all subscribers; a subscription emits what
// in it is newer than what it already sent, so duplicated, reordered or
// coalesced changes never show. Only when a change comes without its
// document, after a drop, or after a failed read does a subscription read
// the store itself. Each subscription subscribes to the feed before it reads
// the current state, so a change made in between is not lost.

const (
	// feedRetry is how long a subscription waits to re-read after a read failed.
	feedRetry = time.Second
	// resubscribeMin and resubscribeMax bound the backoff between
	// resubscriptions when the feed keeps dropping a subscriber.
	resubscribeMin = 100 * time.Millisecond
	resubscribeMax = 5 * time.Second
	// missedOverlap widens the window of a re-read after a drop, to cover
	// clock skew between the writers and this process.
	missedOverlap = 5 * time.Second
	// maxTrackedOrders bounds the versions a multi-order subscription remembers.
	maxTrackedOrders = 10_000
)

// refreshFunc re-reads what a subscription follows and emits what is new.
// ch is the change that prompted it, or nil after a drop or a failed read,
// when anything changed since `since` may have been missed.
type refreshFunc func(ctx context.Context, ch *orderly.Change, since time.Time) error

// follow runs a subscription's loop until ctx ends: it calls refresh for
// every change that match accepts (changes was subscribed with match),
// retries a failed refresh after feedRetry, and when the feed drops the
// subscriber it resubscribes (with backoff) and refreshes everything since
// the drop.
func (r *Resolver) follow(ctx context.Context, changes <-chan orderly.Change, match func(orderly.Change) bool, refresh refreshFunc) {
	var retry <-chan time.Time
	var missedSince time.Time
	backoff := resubscribeMin
	run := func(ch *orderly.Change, since time.Time) {
		retry = nil
		if err := refresh(ctx, ch, since); err != nil && ctx.Err() == nil {
			r.logger().WarnContext(ctx, "graph: subscription re-read failed; retrying", "error", err)
			missedSince = r.now().Add(-missedOverlap)
			if ch == nil {
				missedSince = since
			}
			retry = time.After(feedRetry)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-retry:
			run(nil, missedSince)
		case ch, ok := <-changes:
			if !ok {
				droppedAt := r.now().Add(-missedOverlap)
				if !sleep(ctx, backoff) {
					return
				}
				backoff = min(backoff*2, resubscribeMax)
				changes = r.ChangeFeed.Subscribe(ctx, match)
				run(nil, droppedAt)
				continue
			}
			backoff = resubscribeMin
			if match(ch) {
				run(&ch, time.Time{})
			}
		}
	}
}

// sleep waits d, or returns false if ctx ends first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// send delivers v unless the subscriber has gone.
func send[T any](ctx context.Context, out chan<- T, v T) error {
	select {
	case out <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// followOrder streams one order's timeline: its current state, then every
// entry after it, in version order.
func (r *Resolver) followOrder(ctx context.Context, id string) (<-chan *OrderEvent, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var last atomic.Int64 // read by match on the feed's goroutine
	match := func(ch orderly.Change) bool {
		return ch.Kind == orderly.ChangeOrder && ch.ID == id && (ch.Version == 0 || int64(ch.Version) > last.Load())
	}
	changes := r.ChangeFeed.Subscribe(ctx, match)
	o, err := r.orderFor(ctx, c, "id", id)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan *OrderEvent)
	done := r.serving()
	go func() {
		defer done()
		defer cancel()
		defer close(out)
		entries := sortedTimeline(o)
		initial := latestEntry(o, entries)
		if send(ctx, out, &OrderEvent{Order: orderAsOf(o, entries, initial), Entry: initial, Initial: true}) != nil {
			return
		}
		last.Store(int64(max(o.Version, initial.Version)))
		r.follow(ctx, changes, match, func(ctx context.Context, ch *orderly.Change, _ time.Time) error {
			o, err := r.orderOf(ctx, ch, id)
			if err != nil {
				return err
			}
			entries := sortedTimeline(o)
			for i := range entries {
				e := &entries[i]
				if int64(e.Version) <= last.Load() {
					continue
				}
				if err := send(ctx, out, &OrderEvent{Order: orderAsOf(o, entries, e), Entry: e}); err != nil {
					return err
				}
				last.Store(int64(e.Version))
			}
			return nil
		})
	}()
	return out, nil
}

// orderOf returns the order a change carries, or reads it when the change
// came without it (or there is no change: after a drop).
func (r *Resolver) orderOf(ctx context.Context, ch *orderly.Change, id string) (*orderly.Order, error) {
	if ch != nil && ch.Order != nil {
		return ch.Order, nil
	}
	return r.OrderService.FindOrderByID(ctx, id)
}

// sortedTimeline returns the order's timeline in version order.
func sortedTimeline(o *orderly.Order) []orderly.TimelineEntry {
	entries := slices.Clone(o.Timeline)
	slices.SortStableFunc(entries, func(a, b orderly.TimelineEntry) int { return a.Version - b.Version })
	return entries
}

// latestEntry is the entry that reports the order's current state; an order
// without a timeline gets one made from its status.
func latestEntry(o *orderly.Order, entries []orderly.TimelineEntry) *orderly.TimelineEntry {
	if n := len(entries); n > 0 {
		return &entries[n-1]
	}
	return &orderly.TimelineEntry{Version: o.Version, Kind: orderly.EntryStatus, Status: o.Status, At: o.CreatedAt}
}

// orderAsOf returns the order as it stood after entry: version, status and
// timeline stop there; the other fields are as read.
func orderAsOf(o *orderly.Order, entries []orderly.TimelineEntry, entry *orderly.TimelineEntry) *orderly.Order {
	v := *o
	v.Version, v.Status = entry.Version, entry.Status
	n := 0
	for n < len(entries) && entries[n].Version <= entry.Version {
		n++
	}
	v.Timeline = entries[:n:n]
	return &v
}

// followOrders streams every change of the orders of one customer, or of
// all customers when customerID is "" (operators): each order once per new
// version. After a drop it re-reads every order changed since.
func (r *Resolver) followOrders(ctx context.Context, customerID string) (<-chan *orderly.Order, error) {
	ctx, cancel := context.WithCancel(ctx)
	match := func(ch orderly.Change) bool {
		return ch.Kind == orderly.ChangeOrder && (customerID == "" || ch.CustomerID == "" || ch.CustomerID == customerID)
	}
	changes := r.ChangeFeed.Subscribe(ctx, match)
	out := make(chan *orderly.Order)
	done := r.serving()
	go func() {
		defer done()
		defer cancel()
		defer close(out)
		last := map[string]int{}
		emit := func(ctx context.Context, o *orderly.Order) error {
			if (customerID != "" && o.CustomerID != customerID) || o.Version <= last[o.ID] {
				return nil
			}
			if len(last) >= maxTrackedOrders {
				clear(last)
			}
			if err := send(ctx, out, o); err != nil {
				return err
			}
			last[o.ID] = o.Version
			return nil
		}
		r.follow(ctx, changes, match, func(ctx context.Context, ch *orderly.Change, since time.Time) error {
			if ch != nil {
				if ch.Version != 0 && ch.Version <= last[ch.ID] {
					return nil
				}
				o, err := r.orderOf(ctx, ch, ch.ID)
				if orderly.ErrorCode(err) == orderly.ENOTFOUND {
					return nil
				} else if err != nil {
					return err
				}
				return emit(ctx, o)
			}
			missed, err := r.ordersUpdatedSince(ctx, customerID, since)
			if err != nil {
				return err
			}
			for _, o := range missed {
				if err := emit(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
	}()
	return out, nil
}

// ordersUpdatedSince returns the orders of customerID (all customers for
// "") updated at or after since, oldest update first, at most
// maxTrackedOrders of them: what a multi-order subscription re-reads when it
// may have missed changes.
func (r *Resolver) ordersUpdatedSince(ctx context.Context, customerID string, since time.Time) ([]*orderly.Order, error) {
	filter := orderly.OrderFilter{CustomerID: customerID, UpdatedSince: since, Page: orderly.PageRequest{First: orderly.MaxPageSize}}
	var orders []*orderly.Order
	for len(orders) < maxTrackedOrders {
		page, err := r.OrderService.FindOrders(ctx, filter)
		if err != nil {
			return nil, err
		}
		orders = append(orders, page.Items...)
		if !page.HasNextPage || len(page.Items) == 0 {
			break
		}
		filter.Page.After = page.Cursors[len(page.Cursors)-1]
	}
	slices.SortStableFunc(orders, func(a, b *orderly.Order) int { return a.UpdatedAt.Compare(b.UpdatedAt) })
	return orders, nil
}

// followRewards streams the caller's rewards: the current balance, then
// each newer version.
func (r *Resolver) followRewards(ctx context.Context) (<-chan *orderly.RewardsAccount, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	var last atomic.Int64 // read by match on the feed's goroutine
	match := func(ch orderly.Change) bool {
		return ch.Kind == orderly.ChangeRewards && (ch.ID == c.ID || ch.CustomerID == c.ID) &&
			(ch.Version == 0 || int64(ch.Version) > last.Load())
	}
	changes := r.ChangeFeed.Subscribe(ctx, match)
	a, err := r.RewardsService.FindRewards(ctx, c.ID)
	if err != nil {
		cancel()
		return nil, err
	}
	out := make(chan *orderly.RewardsAccount)
	done := r.serving()
	go func() {
		defer done()
		defer cancel()
		defer close(out)
		if send(ctx, out, a) != nil {
			return
		}
		last.Store(int64(a.Version))
		r.follow(ctx, changes, match, func(ctx context.Context, ch *orderly.Change, _ time.Time) error {
			a := (*orderly.RewardsAccount)(nil)
			if ch != nil {
				a = ch.Rewards
			}
			if a == nil {
				var err error
				if a, err = r.RewardsService.FindRewards(ctx, c.ID); err != nil {
					return err
				}
			}
			if int64(a.Version) <= last.Load() {
				return nil
			}
			if err := send(ctx, out, a); err != nil {
				return err
			}
			last.Store(int64(a.Version))
			return nil
		})
	}()
	return out, nil
}
