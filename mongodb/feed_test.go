package mongodb

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/devstack"
)

// startFeed runs a feed over db for the test.
func startFeed(t *testing.T, db *DB, opts FeedOptions) *Feed {
	t.Helper()
	if opts.PollInterval == 0 {
		opts.PollInterval = 20 * time.Millisecond
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
func waitFor(t *testing.T, ch <-chan orderly.Change, timeout time.Duration, ok func(orderly.Change) bool) orderly.Change {
	t.Helper()
	deadline := time.After(timeout)
	for {
		select {
		case c, open := <-ch:
			if !open {
				t.Fatal("subscription closed")
			}
			if ok(c) {
				return c
			}
		case <-deadline:
			t.Fatal("timed out waiting for a change")
		}
	}
}

// TestFeedDeliversTheLastVersion makes 200 rapid changes to one order from
// four writers: the subscriber sees its versions in increasing order, ending
// with the final one, each with the order as the feed read it.
func TestFeedDeliversTheLastVersion(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	orders := NewOrderService(db)
	f := startFeed(t, db, FeedOptions{})
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := f.Subscribe(sctx, nil)

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
		timeout := time.After(60 * time.Second)
		for {
			select {
			case c, ok := <-ch:
				if !ok {
					return
				}
				if c.Kind == orderly.ChangeOrder && c.ID == o.ID {
					if c.CustomerID != "cus_a" || c.Order == nil || c.Order.Version != c.Version || len(c.Order.Timeline) != c.Version {
						t.Errorf("change %+v does not carry the order at its version", c)
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

// TestFeedCoversEveryKind: rewards and products (a reservation moves the
// stock) reach the feed with their documents, as orders do.
func TestFeedCoversEveryKind(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	f := startFeed(t, db, FeedOptions{})
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := f.Subscribe(sctx, nil)

	if err := NewRewardsService(db).SaveRewards(ctx, &orderly.RewardsAccount{CustomerID: "cus_a", Points: 10, Tier: orderly.TierBasic, Version: 4}); err != nil {
		t.Fatal(err)
	}
	c := waitFor(t, ch, 10*time.Second, func(c orderly.Change) bool { return c.Kind == orderly.ChangeRewards })
	if c.ID != "cus_a" || c.CustomerID != "cus_a" || c.Version != 4 || c.Rewards == nil || c.Rewards.Points != 10 {
		t.Errorf("rewards change = %+v", c)
	}
	p := DemoProducts()[0]
	if err := NewInventoryService(db).ReserveStock(ctx, "ord_1", plan(parcel(firstLocation(p), p.ID, 2))); err != nil {
		t.Fatal(err)
	}
	c = waitFor(t, ch, 10*time.Second, func(c orderly.Change) bool { return c.Kind == orderly.ChangeProduct })
	if c.ID != p.ID || c.Product == nil || c.Product.Stock != p.Stock-2 || c.Product.Version != 2 {
		t.Errorf("product change = %+v (%+v)", c, c.Product)
	}
}

// TestFeedReadsOnlyWhatSomeoneFollows: a subscriber's filter runs before the
// document is read, so changes nobody follows cost no read, and 50
// subscribers of one order cost a read or two per change, not 50.
func TestFeedReadsOnlyWhatSomeoneFollows(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	orders := NewOrderService(db)
	followed, other := createOrder(t, orders, "cus_a", ""), createOrder(t, orders, "cus_b", "")

	var mu sync.Mutex
	reads := map[string]int{}
	opts := clientOptions(devstack.TestStore(t)).SetMonitor(&event.CommandMonitor{
		Started: func(_ context.Context, e *event.CommandStartedEvent) {
			if e.CommandName != "find" {
				return
			}
			if coll, ok := e.Command.Lookup("find").StringValueOK(); ok && coll == colOrders {
				id, _ := e.Command.Lookup("filter", "_id").StringValueOK()
				mu.Lock()
				reads[id]++
				mu.Unlock()
			}
		},
	})
	reader, err := connect(ctx, opts, db.Name(), testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = reader.Close(context.WithoutCancel(ctx)) })
	f := startFeed(t, reader, FeedOptions{})
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	only := func(c orderly.Change) bool { return c.Kind == orderly.ChangeOrder && c.ID == followed.ID }
	var subs []<-chan orderly.Change
	for range 50 {
		subs = append(subs, f.Subscribe(sctx, only))
	}
	time.Sleep(100 * time.Millisecond) // the reader has started at the end of the log

	const changes = 5
	for i := range changes {
		for _, o := range []*orderly.Order{followed, other} {
			if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: fmt.Sprint("e", i), Kind: orderly.EntryInfo}); err != nil {
				t.Fatal(err)
			}
		}
		for _, ch := range subs {
			c := waitFor(t, ch, 10*time.Second, func(c orderly.Change) bool { return c.Version == 2+i })
			if c.ID != followed.ID {
				t.Fatalf("a subscriber of %s was handed %s", followed.ID, c.ID)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if reader.ChangeStreams() {
		// The change stream carries each document: the feed reads none.
		if reads[other.ID]+reads[followed.ID] != 0 {
			t.Errorf("the feed read orders %v beside its change stream", reads)
		}
		return
	}
	// A change costs one read, or two when the feed reads the entry before
	// the write it announces has landed; never one per subscriber.
	if reads[other.ID] != 0 || reads[followed.ID] == 0 || reads[followed.ID] > 2*changes {
		t.Errorf("reads of the followed order %d (want 1..%d for %d changes and 50 subscribers), of the other %d (want 0)",
			reads[followed.ID], 2*changes, changes, reads[other.ID])
	}
}

// TestFeedDropsAStuckSubscriber overflows a subscriber that never reads: its
// channel closes, and a reading subscriber still gets every change.
func TestFeedDropsAStuckSubscriber(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	f := startFeed(t, db, FeedOptions{BufferSize: 4})
	stuck := f.Subscribe(ctx, nil)
	active := f.Subscribe(ctx, nil)

	orders := NewOrderService(db)
	got := map[string]bool{}
	for i := range 20 {
		id := createOrder(t, orders, "cus_a", fmt.Sprint("k", i)).ID
		waitFor(t, active, 10*time.Second, func(c orderly.Change) bool {
			got[c.ID] = true
			return c.ID == id
		})
	}
	if len(got) != 20 {
		t.Errorf("the active subscriber saw %d orders, want 20", len(got))
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
	f := NewFeed(db, FeedOptions{PollInterval: 10 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()

	sctx, unsubscribe := context.WithCancel(context.Background())
	ch := f.Subscribe(sctx, nil)
	kept := f.Subscribe(context.Background(), nil)
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
	if _, open := <-f.Subscribe(context.Background(), nil); open {
		t.Fatal("subscribing to a stopped feed gave an open channel")
	}
}

// logTest drives a change-log reader by hand.
type logTest struct {
	t      *testing.T
	db     *DB
	feed   *Feed
	reader *logReader
	ch     <-chan orderly.Change
}

func newLogTest(t *testing.T, gapTimeout time.Duration, retention int64) *logTest {
	return newLogTestLate(t, gapTimeout, gapTimeout, retention)
}

// newLogTestLate is newLogTest with a late-write timeout of its own.
func newLogTestLate(t *testing.T, gapTimeout, lateTimeout time.Duration, retention int64) *logTest {
	db := newTestDB(t)
	db.changeLog = true // on a replica set too: these tests are about the log
	f := NewFeed(db, FeedOptions{GapTimeout: gapTimeout, LateWriteTimeout: lateTimeout, LogRetention: retention})
	f.markPositioned() // the test positions the reader itself
	last, err := db.lastChangeSeq(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return &logTest{t: t, db: db, feed: f, ch: f.Subscribe(t.Context(), nil),
		reader: &logReader{db: db, gapTimeout: gapTimeout, lateTimeout: f.opts.LateWriteTimeout, retention: retention, next: last + 1,
			holes: map[int64]time.Time{}, waiting: map[changeKey]*announced{}}}
}

// poll runs one poll and returns what it handed over.
func (l *logTest) poll() []orderly.Change {
	l.t.Helper()
	if err := l.reader.poll(l.t.Context(), l.feed); err != nil {
		l.t.Fatal(err)
	}
	var out []orderly.Change
	for {
		select {
		case c, ok := <-l.ch:
			if !ok {
				return append(out, orderly.Change{Kind: "DROPPED"})
			}
			out = append(out, c)
		default:
			return out
		}
	}
}

// TestChangeLogGap: a writer that took a number and died leaves a hole that
// must not hold up later changes; after the gap timeout the reader claims
// the slot, and a writer that comes back late loses it and announces under
// a new number, so its change is still delivered.
func TestChangeLogGap(t *testing.T) {
	ctx := context.Background()
	l := newLogTest(t, 200*time.Millisecond, DefaultLogRetention)
	orders := NewOrderService(l.db)
	hole, err := l.db.nextChangeSeq(ctx) // a writer that died here
	if err != nil {
		t.Fatal(err)
	}
	o := createOrder(t, orders, "cus_a", "")
	if got := l.poll(); len(got) != 1 || got[0].ID != o.ID {
		t.Fatalf("a change after the hole waited for it: %+v", got)
	}
	if _, waiting := l.reader.holes[hole]; !waiting {
		t.Fatalf("slot %d is not watched as a hole", hole)
	}
	time.Sleep(300 * time.Millisecond)
	l.poll()
	if e, found, err := l.db.changeAt(ctx, hole); err != nil || !found || !e.Skipped {
		t.Fatalf("slot %d after the gap timeout: %+v %v %v; want skipped", hole, e, found, err)
	}
	// The late writer's entry for that slot hits the skipped one.
	_, err = l.db.coll(colChanges).InsertOne(ctx, changeEntry{Key: logKey(hole), Kind: orderly.ChangeOrder, DocID: o.ID, Version: 2})
	if !isDuplicateKey(err) {
		t.Fatalf("a late entry in a skipped slot: %v, want a duplicate key", err)
	}
	if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "late", Kind: orderly.EntryInfo}); err != nil {
		t.Fatal(err)
	}
	if got := l.poll(); len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("after the skip: %+v", got)
	}
}

// TestChangeLogWaitsForTheWrite: an entry read before its document's write
// has landed is handed over once the document reaches the announced version,
// and a write that never lands is given up after the gap timeout, without
// handing the unchanged document over again.
func TestChangeLogWaitsForTheWrite(t *testing.T) {
	ctx := context.Background()
	l := newLogTest(t, 300*time.Millisecond, DefaultLogRetention)
	orders := NewOrderService(l.db)
	o := createOrder(t, orders, "cus_a", "")
	l.poll()
	if err := l.db.announce(ctx, orderly.Change{Kind: orderly.ChangeOrder, ID: o.ID, CustomerID: o.CustomerID, Version: 2}); err != nil {
		t.Fatal(err)
	}
	if got := l.poll(); len(got) != 0 {
		t.Fatalf("handed over a document older than announced: %+v", got)
	}
	if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "e", Kind: orderly.EntryInfo}); err != nil {
		t.Fatal(err)
	}
	got := l.poll()
	if len(got) != 1 || got[0].Version != 2 || got[0].Order == nil || got[0].Order.Version != 2 {
		t.Fatalf("once written: %+v", got)
	}
	// An announced write that never lands.
	if err := l.db.announce(ctx, orderly.Change{Kind: orderly.ChangeOrder, ID: o.ID, CustomerID: o.CustomerID, Version: 9}); err != nil {
		t.Fatal(err)
	}
	if got := l.poll(); len(got) != 0 {
		t.Fatalf("handed over early: %+v", got)
	}
	time.Sleep(400 * time.Millisecond)
	if got := l.poll(); len(got) != 0 {
		t.Fatalf("after giving up on the write: %+v (want nothing: the document is as it was, and that version went out)", got)
	}
	if len(l.reader.waiting) != 0 {
		t.Errorf("still waiting for %d documents", len(l.reader.waiting))
	}
}

// TestChangeLogHandsOverALateWrite: a write that lands after the gap
// timeout (a writer stalled between its announcement and its write) is
// still handed over: the subscribers got the document as it was at the gap
// timeout, and get the late version once it lands, without a new entry.
func TestChangeLogHandsOverALateWrite(t *testing.T) {
	ctx := context.Background()
	l := newLogTestLate(t, 200*time.Millisecond, time.Minute, DefaultLogRetention)
	orders := NewOrderService(l.db)
	o := createOrder(t, orders, "cus_a", "")
	l.poll()
	if err := l.db.announce(ctx, orderly.Change{Kind: orderly.ChangeOrder, ID: o.ID, CustomerID: o.CustomerID, Version: 2}); err != nil {
		t.Fatal(err)
	}
	l.poll()
	time.Sleep(300 * time.Millisecond)
	if got := l.poll(); len(got) != 0 {
		t.Fatalf("at the gap timeout: %+v (the document is as it was, and that version went out)", got)
	}
	// The stalled writer's write lands, with no entry of its own.
	if _, err := l.db.coll(colOrders).UpdateOne(ctx, bson.D{{Key: "_id", Value: o.ID}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: 2}}}}); err != nil {
		t.Fatal(err)
	}
	if got := l.poll(); len(got) != 1 || got[0].Version != 2 {
		t.Fatalf("after the late write: %+v, want version 2 handed over", got)
	}
	if len(l.reader.waiting) != 0 {
		t.Errorf("still waiting for %d documents once the write landed", len(l.reader.waiting))
	}
}

// TestChangeLogTrims keeps the log to its retention, trimmed every
// trimEvery entries.
func TestChangeLogTrims(t *testing.T) {
	ctx := context.Background()
	const retention = 300
	l := newLogTest(t, time.Minute, retention)
	orders := NewOrderService(l.db)
	for i := range trimEvery + 50 {
		createOrder(t, orders, "cus_a", fmt.Sprint("k", i))
		if i%50 == 0 {
			l.poll()
		}
	}
	l.poll()
	n, err := l.db.coll(colChanges).CountDocuments(ctx, bson.D{})
	if err != nil || n > retention+trimEvery || n < retention {
		t.Errorf("the log holds %d entries after %d with a retention of %d (%v)", n, trimEvery+50, retention, err)
	}
}

// TestChangeLogPositionLost: a reader so far behind that the entries it
// needs are trimmed starts again from the end and makes every subscriber
// re-read (its channel closes).
func TestChangeLogPositionLost(t *testing.T) {
	ctx := context.Background()
	l := newLogTest(t, time.Minute, 10)
	orders := NewOrderService(l.db)
	for i := range 12 {
		createOrder(t, orders, "cus_a", fmt.Sprint("k", i))
	}
	got := l.poll()
	if len(got) != 1 || got[0].Kind != "DROPPED" {
		t.Fatalf("poll far behind = %+v, want the subscriber dropped", got)
	}
	last, _ := l.db.lastChangeSeq(ctx)
	if l.reader.next != last+1 {
		t.Errorf("reader at %d, want the end of the log %d", l.reader.next, last+1)
	}
}

// TestFeedChangeStreamsRequired fails Run when change streams were asked for
// and the deployment (here the embedded store) has none.
func TestFeedChangeStreamsRequired(t *testing.T) {
	db := newTestDB(t)
	if db.ChangeStreams() {
		t.Skip("this deployment has change streams")
	}
	f := NewFeed(db, FeedOptions{Source: FeedChangeStreams})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := f.Run(ctx); err == nil {
		t.Fatal("Run without change streams succeeded")
	}
}

func TestChangeOf(t *testing.T) {
	doc := func(v any) bson.Raw {
		b, err := bson.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	event := func(coll, id string, full bson.Raw) streamEvent {
		var ev streamEvent
		ev.NS.Coll, ev.DocumentKey.ID, ev.FullDocument = coll, id, full
		return ev
	}
	order := newOrder("cus_a", "k")
	tests := []struct {
		name  string
		ev    streamEvent
		check func(orderly.Change) bool
		ok    bool
	}{
		{"order", event(colOrders, order.ID, doc(order)), func(c orderly.Change) bool {
			return c.Kind == orderly.ChangeOrder && c.CustomerID == "cus_a" && c.Version == 1 && c.Order != nil && c.Order.Total == order.Total
		}, true},
		{"rewards keyed by customer", event(colRewards, "cus_a", doc(orderly.RewardsAccount{CustomerID: "cus_a", Points: 3, Version: 7})), func(c orderly.Change) bool {
			return c.Kind == orderly.ChangeRewards && c.CustomerID == "cus_a" && c.Version == 7 && c.Rewards.Points == 3
		}, true},
		{"a collection the feed does not follow", event(colNotifications, "n1", doc(orderly.Notification{ID: "n1", CustomerID: "cus_a"})), nil, false},
		{"product", event(colProducts, "prd_1", doc(productDoc{Product: orderly.Product{ID: "prd_1", Stock: 4, Version: 3}})), func(c orderly.Change) bool {
			return c.Kind == orderly.ChangeProduct && c.Version == 3 && c.Product.Stock == 4
		}, true},
		{"deleted before lookup", event(colOrders, "ord_1", nil), nil, false},
		{"other collection", event(colCarts, "cus_a", doc(orderly.Cart{CustomerID: "cus_a"})), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := changeOf(tt.ev)
			if ok != tt.ok || (ok && !tt.check(got)) {
				t.Errorf("changeOf = %+v, %v; want ok=%v", got, ok, tt.ok)
			}
		})
	}
}

// fakeStream plays a change stream: its events, then the end with err.
type fakeStream struct {
	events []bson.Raw
	err    error
	i      int
	token  bson.Raw
}

func (s *fakeStream) Next(context.Context) bool {
	if s.i >= len(s.events) {
		return false
	}
	s.token = bson.Raw(bsonDoc(bson.D{{Key: "_data", Value: fmt.Sprintf("token-%d", s.i)}}))
	s.i++
	return true
}
func (s *fakeStream) Decode(v any) error          { return bson.Unmarshal(s.events[s.i-1], v) }
func (s *fakeStream) ResumeToken() bson.Raw       { return s.token }
func (s *fakeStream) Err() error                  { return s.err }
func (s *fakeStream) Close(context.Context) error { return nil }

func bsonDoc(d bson.D) []byte {
	b, err := bson.Marshal(d)
	if err != nil {
		panic(err)
	}
	return b
}

// TestFollowChangeStream plays the change-stream source without a replica
// set: events reach subscribers with their documents, the position is saved
// under the feed's name and a restarted feed resumes after it, and a stream
// whose history is lost makes subscribers re-read and starts again from now.
func TestFollowChangeStream(t *testing.T) {
	db := newTestDB(t)
	orderEvent := func(o *orderly.Order) bson.Raw {
		return bsonDoc(bson.D{
			{Key: "ns", Value: bson.D{{Key: "coll", Value: colOrders}}},
			{Key: "documentKey", Value: bson.D{{Key: "_id", Value: o.ID}}},
			{Key: "fullDocument", Value: o},
			{Key: "wallTime", Value: time.Now()},
		})
	}
	o := newOrder("cus_a", "k")
	var mu sync.Mutex // opened is appended by the feed, read by the test
	var opened []bson.Raw
	openedCount := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(opened)
	}
	lost := mongo.CommandError{Code: codeChangeStreamHistoryLost, Message: "resume point lost"}
	streams := []changeStream{
		&fakeStream{events: []bson.Raw{orderEvent(o)}, err: errors.New("connection reset")},
		&fakeStream{err: lost},
	}
	run := func(f *Feed, streams []changeStream, until func() bool) {
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		done := make(chan error, 1)
		go func() {
			done <- f.follow(ctx, func(_ context.Context, token bson.Raw) (changeStream, error) {
				mu.Lock()
				opened = append(opened, token)
				mu.Unlock()
				if len(streams) == 0 {
					return &fakeStream{}, nil
				}
				s := streams[0]
				streams = streams[1:]
				return s, nil
			})
		}()
		for deadline := time.Now().Add(10 * time.Second); !until(); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the stream did not get there in time")
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}

	f := NewFeed(db, FeedOptions{ResumeName: "server-1"})
	f.markPositioned() // follow is driven by hand, not by Run
	ch := f.Subscribe(t.Context(), nil)
	run(f, streams, func() bool { return openedCount() >= 3 })
	var got []orderly.Change
	for c := range ch { // the lost history closed it
		got = append(got, c)
	}
	if len(got) != 1 || got[0].ID != o.ID || got[0].Order == nil || got[0].Order.Total != o.Total {
		t.Fatalf("delivered %+v, want the order with its document, then the close", got)
	}
	if opened[0] != nil || opened[1] == nil || opened[2] != nil {
		t.Fatalf("opened after %v; want from now, after the event, from now again (history lost)", opened)
	}
	saved, err := f.loadPosition(t.Context())
	if err != nil || saved == nil {
		t.Fatalf("saved position %v, %v", saved, err)
	}

	// A restarted feed of the same name resumes after the saved position.
	mu.Lock()
	opened = nil
	mu.Unlock()
	restarted := NewFeed(db, FeedOptions{ResumeName: "server-1"})
	run(restarted, nil, func() bool { return openedCount() >= 1 })
	if !bytesEqual(opened[0], saved) {
		t.Errorf("restart opened after %v, want the saved %v", opened[0], saved)
	}
}

func bytesEqual(a, b bson.Raw) bool { return string(a) == string(b) }
