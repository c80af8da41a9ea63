package mongodb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// FeedSource says where a Feed reads changes from.
type FeedSource string

// Feed sources.
const (
	// FeedAuto follows change streams where the deployment offers them and
	// the change log everywhere else (see DB.ChangeStreams).
	FeedAuto FeedSource = ""
	// FeedChangeStreams requires change streams; Run fails without them.
	FeedChangeStreams FeedSource = "change-streams"
)

// Feed defaults.
const (
	DefaultPollInterval = 50 * time.Millisecond
	DefaultGapTimeout   = 5 * time.Second
	// DefaultLateWriteTimeout is how long an announced write is watched
	// for: longer than any store request may take (the embedded store's
	// own bound is a minute).
	DefaultLateWriteTimeout = 2 * time.Minute
	DefaultFeedBuffer       = 64
	// DefaultLogRetention is how many entries the change log keeps: many
	// seconds of changes, far more than any feed falls behind.
	DefaultLogRetention = 2_000
)

// FeedOptions tune a Feed. Zero fields take the defaults.
type FeedOptions struct {
	Source FeedSource
	// PollInterval is the time between two reads of the change log. An idle
	// read is one point read of its counter.
	PollInterval time.Duration
	// GapTimeout is how long the feed waits for an announced change: for an
	// empty slot of the change log to be written, and for a document to
	// reach the version its entry announced. It must exceed the longest
	// delay between a writer's announcement and its write.
	GapTimeout time.Duration
	// LateWriteTimeout is how long the feed keeps reading a document whose
	// announced write had not landed within GapTimeout: a write that lands
	// later is still delivered. At least GapTimeout.
	LateWriteTimeout time.Duration
	// LogRetention is how many recent entries of the change log are kept.
	LogRetention int64
	// BufferSize is the number of changes a subscriber may fall behind
	// before it is dropped.
	BufferSize int
	// ResumeName, if set, names this process's position in the change
	// stream: it is saved in the store, so that a restarted process resumes
	// where it stopped (change streams only; the change log has no history
	// a new process could need).
	ResumeName string
	// Observe, when set, is called once for each change the feed hands to
	// its subscribers, just before it does, with the time of the change (the
	// time its writer announced it in the change log, the server's wallTime
	// with change streams), so that the caller can measure the feed's lag.
	// It runs on the feed's goroutine: it must be quick and must not block.
	// changedAt is zero when the source does not know it.
	Observe func(kind orderly.ChangeKind, changedAt time.Time)
}

// Feed is the process's one change feed over orders, rewards accounts and
// products: one source (a change stream, or one reader of
// the change log, whatever the number of subscribers) fanned out in memory.
// It reads each changed document once and hands that copy to every
// subscriber whose filter wants it, so a change costs one store read per
// process however many follow it. It implements orderly.ChangeFeed.
//
// Sends never block the feed: a subscriber whose buffer is full is dropped
// (its channel closes) and must resubscribe and re-read the state it shows.
// Changes are hints, so the feed may repeat one, but it never loses the last
// change of a document.
type Feed struct {
	db      *DB
	opts    FeedOptions
	logger  *slog.Logger
	started atomic.Bool

	// positioned is closed once Run knows where its source starts (the end
	// of the change log, or an open change stream), or has returned:
	// Subscribe waits for it, so that no change made after a subscription
	// began can fall before the source's start.
	positioned     chan struct{}
	positionedOnce sync.Once

	mu      sync.Mutex
	subs    map[*subscriber]struct{}
	stopped bool // Run has returned; new subscribers get a closed channel
	// published is the newest version handed over per document, so that a
	// document read at the same version for two announcements goes out once.
	published map[changeKey]int
}

// maxPublished bounds the versions the feed remembers; past it, it forgets
// them all, at the cost of perhaps one repeated (harmless) change each.
const maxPublished = 50_000

type subscriber struct {
	ch    chan orderly.Change
	match func(orderly.Change) bool
	stop  func() bool // unregisters the context.AfterFunc
}

var _ orderly.ChangeFeed = (*Feed)(nil)

// NewFeed returns a Feed over db. Call Run once to start it.
func NewFeed(db *DB, opts FeedOptions) *Feed {
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.GapTimeout <= 0 {
		opts.GapTimeout = DefaultGapTimeout
	}
	if opts.LateWriteTimeout <= 0 {
		opts.LateWriteTimeout = DefaultLateWriteTimeout
	}
	opts.LateWriteTimeout = max(opts.LateWriteTimeout, opts.GapTimeout)
	if opts.LogRetention <= 0 {
		opts.LogRetention = DefaultLogRetention
	}
	if opts.BufferSize <= 0 {
		opts.BufferSize = DefaultFeedBuffer
	}
	return &Feed{db: db, opts: opts, logger: db.logger.With("component", "feed"),
		positioned: make(chan struct{}), subs: map[*subscriber]struct{}{}, published: map[changeKey]int{}}
}

// markPositioned releases the subscribers waiting for the source's start.
func (f *Feed) markPositioned() { f.positionedOnce.Do(func() { close(f.positioned) }) }

// Subscribe returns a channel of the changes match accepts (every change
// for a nil match) that stays open until ctx ends, the subscriber falls too
// far behind, or the feed stops. match sees the change before its document
// is read and must be cheap: it runs on the feed's goroutine. Before Run
// has found where its source starts, Subscribe waits for it.
func (f *Feed) Subscribe(ctx context.Context, match func(orderly.Change) bool) <-chan orderly.Change {
	if match == nil {
		match = func(orderly.Change) bool { return true }
	}
	s := &subscriber{ch: make(chan orderly.Change, f.opts.BufferSize), match: match}
	select {
	case <-f.positioned:
	case <-ctx.Done():
		close(s.ch)
		return s.ch
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.stopped {
		close(s.ch)
		return s.ch
	}
	f.subs[s] = struct{}{}
	s.stop = context.AfterFunc(ctx, func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.dropLocked(s)
	})
	return s.ch
}

// Subscribers returns the number of live subscribers.
func (f *Feed) Subscribers() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.subs)
}

// dropLocked closes a subscriber's channel, once.
func (f *Feed) dropLocked(s *subscriber) {
	if _, ok := f.subs[s]; !ok {
		return
	}
	delete(f.subs, s)
	s.stop()
	close(s.ch)
}

// wanted reports whether any subscriber accepts c, so that the feed reads
// no document nobody follows.
func (f *Feed) wanted(c orderly.Change) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		if s.match(c) {
			return true
		}
	}
	return false
}

// publish hands c to every subscriber that accepts it, without blocking,
// dropping those whose buffer is full. at is when it was changed (zero if
// unknown), for FeedOptions.Observe.
func (f *Feed) publish(c orderly.Change, at time.Time) {
	key := changeKey{c.Kind, c.ID}
	f.mu.Lock()
	defer f.mu.Unlock()
	if c.Version > 0 && c.Version <= f.published[key] {
		return // this version went out already
	}
	if len(f.published) >= maxPublished {
		clear(f.published)
	}
	f.published[key] = c.Version
	if f.opts.Observe != nil {
		f.opts.Observe(c.Kind, at)
	}
	for s := range f.subs {
		if !s.match(c) {
			continue
		}
		select {
		case s.ch <- c:
		default:
			f.logger.Warn("dropping a slow subscriber", "buffer", cap(s.ch))
			f.dropLocked(s)
		}
	}
}

// resetSubscribers drops every subscriber, so each resubscribes and re-reads
// its state: the way out when the source may have missed changes.
func (f *Feed) resetSubscribers() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		f.dropLocked(s)
	}
}

// Run reads changes and fans them out until ctx ends; it returns nil then.
// Call it once per Feed. When it returns, every subscriber channel closes.
func (f *Feed) Run(ctx context.Context) error {
	if !f.started.CompareAndSwap(false, true) {
		return errors.New("feed: Run called twice")
	}
	defer func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.stopped = true
		for s := range f.subs {
			f.dropLocked(s)
		}
		f.markPositioned()
	}()
	if f.db.ChangeStreams() {
		err := f.watch(ctx)
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	if f.opts.Source == FeedChangeStreams {
		return errors.New("feed: change streams required, but the deployment offers none (a replica set or sharded cluster does)")
	}
	f.logger.InfoContext(ctx, "change feed following the change log", "interval", f.opts.PollInterval)
	f.readLog(ctx)
	return nil
}

// feedSource is a collection the feed follows.
type feedSource struct {
	kind       orderly.ChangeKind
	collection string
}

func feedSources() []feedSource {
	return []feedSource{
		{orderly.ChangeOrder, colOrders},
		{orderly.ChangeRewards, colRewards},
		{orderly.ChangeProduct, colProducts},
	}
}

func kindOf(collection string) (orderly.ChangeKind, error) {
	for _, s := range feedSources() {
		if s.collection == collection {
			return s.kind, nil
		}
	}
	return "", fmt.Errorf("feed: unexpected collection %q", collection)
}

func collectionOf(kind orderly.ChangeKind) (string, error) {
	for _, s := range feedSources() {
		if s.kind == kind {
			return s.collection, nil
		}
	}
	return "", fmt.Errorf("feed: unexpected change kind %q", kind)
}

// withDocument returns c with its document decoded from raw, and the
// document's own version and customer; ok is false when raw is not a
// document of c's kind.
func withDocument(c orderly.Change, raw bson.Raw) (orderly.Change, bool) {
	var head struct {
		CustomerID string `bson:"customerId"`
		Version    int    `bson:"version"`
	}
	if bson.Unmarshal(raw, &head) != nil {
		return c, false
	}
	c.Version = head.Version
	if head.CustomerID != "" {
		c.CustomerID = head.CustomerID
	}
	var err error
	switch c.Kind {
	case orderly.ChangeOrder:
		c.Order = &orderly.Order{}
		err = bson.Unmarshal(raw, c.Order)
	case orderly.ChangeRewards:
		c.Rewards = &orderly.RewardsAccount{}
		err = bson.Unmarshal(raw, c.Rewards)
		c.CustomerID = c.ID // a rewards account is keyed by its customer
	case orderly.ChangeProduct:
		var p productDoc
		err = bson.Unmarshal(raw, &p)
		c.Product = &p.Product
	default:
		return c, false
	}
	return c, err == nil
}

// readDocument reads the document a change names, by _id; found is false
// when it does not exist (yet).
func (f *Feed) readDocument(ctx context.Context, c orderly.Change) (out orderly.Change, found bool, err error) {
	coll, err := collectionOf(c.Kind)
	if err != nil {
		return c, false, err
	}
	raw, err := f.db.coll(coll).FindOne(ctx, bson.D{{Key: "_id", Value: c.ID}}).Raw()
	if isNotFound(err) {
		return c, false, nil
	}
	if err != nil {
		return c, false, fmt.Errorf("feed: read %s %s: %w", c.Kind, c.ID, err)
	}
	out, ok := withDocument(c, raw)
	if !ok {
		return c, false, fmt.Errorf("feed: decode %s %s", c.Kind, c.ID)
	}
	return out, true, nil
}

// sleepCtx waits d or until ctx ends, and reports whether ctx is still live.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
