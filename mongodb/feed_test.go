package mongodb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// startFeed runs a polling feed over db for the test.
func startFeed(t *testing.T, db *DB, opts FeedOptions) *Feed {
	t.Helper()
	if opts.PollInterval == 0 {
		opts.PollInterval = 50 * time.Millisecond
	}
	f := NewFeed(db, opts)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("feed: %v", err)
		}
	})
	return f
}

// waitFor reads changes until ok returns true, failing after a timeout.
func waitFor(t *testing.T, ch <-chan orderly.Change, timeout time.Duration, ok func(orderly.Change) bool) {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case c, open := <-ch:
			if !open {
				t.Fatal("subscription closed")
			}
			if ok(c) {
				return
			}
		case <-deadline:
			t.Fatal("timed out waiting for a change")
		}
	}
}

// TestFeedDeliversTheLastVersion makes 200 rapid changes to one order from
// four writers: the subscriber sees its versions in increasing order, ending
// with the final one.
func TestFeedDeliversTheLastVersion(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	orders := NewOrderService(db)
	f := startFeed(t, db, FeedOptions{Source: FeedPolling})
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := f.Subscribe(sctx)

	o := createOrder(t, orders, "cus_a", "")
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 50 {
				e := orderly.OrderEvent{ID: fmt.Sprintf("w%d-%02d", w, i), Kind: orderly.EntryInfo}
				if _, err := orders.ApplyOrderEvent(ctx, o.ID, e); err != nil {
					t.Error(err)
				}
			}
		})
	}
	versions := make(chan []int, 1)
	go func() {
		var seen []int
		defer func() { versions <- seen }()
		timeout := time.After(30 * time.Second)
		for {
			select {
			case c, ok := <-ch:
				if !ok {
					return
				}
				if c.Kind == orderly.ChangeOrder && c.ID == o.ID {
					if c.CustomerID != "cus_a" {
						t.Errorf("change for customer %q", c.CustomerID)
					}
					seen = append(seen, c.Version)
					if c.Version == 201 {
						return
					}
				}
			case <-timeout:
				return
			}
		}
	}()
	wg.Wait()
	seen := <-versions
	final, err := orders.FindOrderByID(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if final.Version != 201 {
		t.Fatalf("final version %d, want 201", final.Version)
	}
	if len(seen) == 0 || seen[len(seen)-1] != final.Version {
		t.Fatalf("versions seen %v: the last is not %d", seen, final.Version)
	}
	for i := 1; i < len(seen); i++ {
		if seen[i] <= seen[i-1] {
			t.Fatalf("versions out of order or repeated: %v", seen)
		}
	}
	t.Logf("200 changes arrived as %d hints", len(seen))
}

func TestFeedCoversRewardsAndNotifications(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	f := startFeed(t, db, FeedOptions{}) // FeedAuto: the devstore has no change streams
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := f.Subscribe(sctx)

	if err := NewRewardsService(db).SaveRewards(ctx, &orderly.RewardsAccount{CustomerID: "cus_a", Points: 10, Tier: orderly.TierBasic, Version: 4}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 10*time.Second, func(c orderly.Change) bool {
		return c == orderly.Change{Kind: orderly.ChangeRewards, ID: "cus_a", CustomerID: "cus_a", Version: 4}
	})
	ns := NewNotificationService(db)
	if err := ns.Notify(ctx, orderly.Notification{ID: "ord_1:paid", CustomerID: "cus_a", Title: "Paid"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 10*time.Second, func(c orderly.Change) bool {
		return c == orderly.Change{Kind: orderly.ChangeNotification, ID: "ord_1:paid", CustomerID: "cus_a", Version: 1}
	})
	if err := ns.MarkNotificationsRead(ctx, "cus_a", []string{"ord_1:paid"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 10*time.Second, func(c orderly.Change) bool {
		return c.Kind == orderly.ChangeNotification && c.Version == 2
	})
}

// TestFeedDropsAStuckSubscriber overflows a subscriber that never reads: its
// channel closes, and a reading subscriber still gets every change.
func TestFeedDropsAStuckSubscriber(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	f := startFeed(t, db, FeedOptions{Source: FeedPolling, BufferSize: 4})
	stuck := f.Subscribe(ctx)
	active := f.Subscribe(ctx)

	ns := NewNotificationService(db)
	got := map[string]bool{}
	for i := range 20 {
		id := fmt.Sprintf("ord_%02d:paid", i)
		if err := ns.Notify(ctx, orderly.Notification{ID: id, CustomerID: "cus_a", Title: "Paid"}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, active, 10*time.Second, func(c orderly.Change) bool {
			got[c.ID] = true
			return c.ID == id
		})
	}
	if len(got) != 20 {
		t.Errorf("the active subscriber saw %d notifications, want 20", len(got))
	}
	n := 0
	for range stuck { // buffered changes, then the close
		n++
	}
	if n != 4 {
		t.Errorf("the stuck subscriber had %d changes buffered, want 4", n)
	}
	if s := f.Subscribers(); s != 1 {
		t.Errorf("%d subscribers left, want 1", s)
	}
}

func TestFeedSubscriptionLifecycle(t *testing.T) {
	db := newTestDB(t)
	f := NewFeed(db, FeedOptions{Source: FeedPolling, PollInterval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	sctx, unsubscribe := context.WithCancel(context.Background())
	ch := f.Subscribe(sctx)
	kept := f.Subscribe(context.Background())
	unsubscribe()
	if _, open := <-ch; open {
		t.Fatal("a change arrived after unsubscribing")
	}
	// The second Run must come after the first has begun, or it would be
	// the one that runs (and never returns).
	for deadline := time.Now().Add(10 * time.Second); !f.started.Load(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("Run did not start within 10s")
		}
	}
	// The timeout bounds the test should Run wrongly run twice.
	second, stopSecond := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopSecond()
	if err := f.Run(second); err == nil {
		t.Error("a second Run succeeded")
	}

	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, open := <-kept; open {
		t.Fatal("a subscription outlived the feed")
	}
	if _, open := <-f.Subscribe(context.Background()); open {
		t.Fatal("subscribing to a stopped feed gave an open channel")
	}
}

// TestPollerWindow drives the poller by hand: it emits each version once,
// catches a write stamped before the high-water mark but within the overlap
// (a commit that became visible late), and forgets documents that left the
// window.
func TestPollerWindow(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	p := newPoller(db, time.Second)
	orders := db.coll(colOrders)
	put := func(id string, version int, at time.Time) {
		t.Helper()
		_, err := orders.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "customerId", Value: "cus_a"}, {Key: "version", Value: version}, {Key: "updatedAt", Value: at}}}},
			optionsUpsert())
		if err != nil {
			t.Fatal(err)
		}
	}
	poll := func() []orderly.Change {
		t.Helper()
		changes, err := p.poll(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return changes
	}
	now := time.Now().UTC()
	put("ord_a", 1, now)
	if got := poll(); len(got) != 1 || got[0].ID != "ord_a" || got[0].Version != 1 {
		t.Fatalf("first poll = %+v", got)
	}
	if got := poll(); len(got) != 0 {
		t.Fatalf("second poll repeated %+v", got)
	}
	// Stamped 500ms before the newest stamp seen, visible only now.
	put("ord_late", 1, now.Add(-500*time.Millisecond))
	put("ord_a", 2, now.Add(10*time.Millisecond))
	got := poll()
	if len(got) != 2 || got[0].ID != "ord_late" || got[1].ID != "ord_a" || got[1].Version != 2 {
		t.Fatalf("third poll = %+v, want ord_late then ord_a v2", got)
	}
	// A later write moves the window on; the old entries are pruned.
	put("ord_b", 1, now.Add(3*time.Second))
	if got := poll(); len(got) != 1 || got[0].ID != "ord_b" {
		t.Fatalf("fourth poll = %+v", got)
	}
	if len(p.emitted) != 1 {
		t.Errorf("emitted map holds %d entries, want 1 (only ord_b is in the window)", len(p.emitted))
	}
}

// TestFeedChangeStreamsRequired fails Run when change streams were asked for
// and the deployment (here the embedded store) has none.
func TestFeedChangeStreamsRequired(t *testing.T) {
	f := NewFeed(newTestDB(t), FeedOptions{Source: FeedChangeStreams})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.Run(ctx); !errors.Is(err, errWatchUnavailable) {
		t.Fatalf("Run = %v, want errWatchUnavailable", err)
	}
}

func TestChangeOf(t *testing.T) {
	event := func(coll, id, customer string, version int, deleted bool) streamEvent {
		var ev streamEvent
		ev.NS.Coll, ev.DocumentKey.ID = coll, id
		if !deleted {
			ev.FullDocument = &struct {
				CustomerID string `bson:"customerId"`
				Version    int    `bson:"version"`
			}{customer, version}
		}
		return ev
	}
	tests := []struct {
		name string
		ev   streamEvent
		want orderly.Change
		ok   bool
	}{
		{"order", event(colOrders, "ord_1", "cus_a", 3, false), orderly.Change{Kind: orderly.ChangeOrder, ID: "ord_1", CustomerID: "cus_a", Version: 3}, true},
		{"rewards keyed by customer", event(colRewards, "cus_a", "", 7, false), orderly.Change{Kind: orderly.ChangeRewards, ID: "cus_a", CustomerID: "cus_a", Version: 7}, true},
		{"notification", event(colNotifications, "ord_1:paid", "cus_a", 1, false), orderly.Change{Kind: orderly.ChangeNotification, ID: "ord_1:paid", CustomerID: "cus_a", Version: 1}, true},
		{"deleted before lookup", event(colOrders, "ord_1", "", 0, true), orderly.Change{}, false},
		{"other collection", event(colCarts, "cus_a", "cus_a", 1, false), orderly.Change{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := changeOf(tt.ev)
			if got != tt.want || ok != tt.ok {
				t.Errorf("changeOf = %+v, %v; want %+v, %v", got, ok, tt.want, tt.ok)
			}
		})
	}
}
