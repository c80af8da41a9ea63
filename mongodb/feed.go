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
	// FeedAuto uses change streams when the deployment is a replica set or a
	// sharded cluster, and polling otherwise (the embedded store).
	FeedAuto FeedSource = ""
	// FeedChangeStreams watches the database; Run fails if it cannot.
	FeedChangeStreams FeedSource = "change-streams"
	// FeedPolling polls the collections' updatedAt.
	FeedPolling FeedSource = "polling"
)

// Feed defaults.
const (
	DefaultPollInterval = 250 * time.Millisecond
	DefaultPollOverlap  = 5 * time.Second
	DefaultFeedBuffer   = 256
)

// FeedOptions tune a Feed. Zero fields take the defaults.
type FeedOptions struct {
	Source FeedSource
	// PollInterval is the time between two polls.
	PollInterval time.Duration
	// PollOverlap is how far back each poll re-reads before the newest
	// updatedAt already seen. It must exceed the longest delay between a
	// writer stamping updatedAt and its write becoming visible, plus the clock
	// skew between writers (see poller).
	PollOverlap time.Duration
	// BufferSize is the number of changes a subscriber may fall behind
	// before it is dropped.
	BufferSize int
	// Observe, when set, is called once for each change the feed hands to
	// its subscribers, just before it does, with the time of the change (the
	// writer's updatedAt stamp when polling, the server's wallTime with
	// change streams), so that the caller can measure the feed's lag. It
	// runs on the feed's goroutine: it must be quick and must not block.
	// changedAt is zero when the source does not know it.
	Observe func(kind orderly.ChangeKind, changedAt time.Time)
}

// Feed is the process's one change feed over orders, rewards accounts and
// notifications: one source (a change stream or one poll loop, whatever the
// number of subscribers) fanned out in memory. It implements
// orderly.ChangeFeed.
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

	mu      sync.Mutex
	subs    map[*subscriber]struct{}
	stopped bool // Run has returned; new subscribers get a closed channel
}

type subscriber struct {
	ch   chan orderly.Change
	stop func() bool // unregisters the context.AfterFunc
}

var _ orderly.ChangeFeed = (*Feed)(nil)

// NewFeed returns a Feed over db. Call Run once to start it.
func NewFeed(db *DB, opts FeedOptions) *Feed {
	if opts.PollInterval <= 0 {
		opts.PollInterval = DefaultPollInterval
	}
	if opts.PollOverlap <= 0 {
		opts.PollOverlap = DefaultPollOverlap
	}
	if opts.BufferSize <= 0 {
		opts.BufferSize = DefaultFeedBuffer
	}
	return &Feed{db: db, opts: opts, logger: db.logger.With("component", "feed"), subs: map[*subscriber]struct{}{}}
}

// Subscribe returns a channel of changes that stays open until ctx ends, the
// subscriber falls too far behind, or the feed stops.
func (f *Feed) Subscribe(ctx context.Context) <-chan orderly.Change {
	s := &subscriber{ch: make(chan orderly.Change, f.opts.BufferSize)}
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

// observe reports a change about to be published to FeedOptions.Observe.
func (f *Feed) observe(kind orderly.ChangeKind, changedAt time.Time) {
	if f.opts.Observe != nil {
		f.opts.Observe(kind, changedAt)
	}
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

// publish hands the changes to every subscriber without blocking, dropping
// those whose buffer is full.
func (f *Feed) publish(changes []orderly.Change) {
	if len(changes) == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for s := range f.subs {
		for _, c := range changes {
			select {
			case s.ch <- c:
				continue
			default:
			}
			f.logger.Warn("dropping a slow subscriber", "buffer", cap(s.ch))
			f.dropLocked(s)
			break
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
	}()

	source := f.opts.Source
	if source == FeedAuto {
		source = f.detect(ctx)
	}
	if source == FeedChangeStreams {
		err := f.watch(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if !errors.Is(err, errWatchUnavailable) || f.opts.Source == FeedChangeStreams {
			return err
		}
		f.logger.WarnContext(ctx, "change streams unavailable; polling instead", "err", err)
	}
	f.logger.InfoContext(ctx, "change feed polling", "interval", f.opts.PollInterval, "overlap", f.opts.PollOverlap)
	f.poll(ctx)
	return nil
}

// detect picks change streams on a replica set or a sharded cluster, the
// deployments that offer them, and polling on anything else.
func (f *Feed) detect(ctx context.Context) FeedSource {
	var hello struct {
		SetName string `bson:"setName"`
		Msg     string `bson:"msg"`
	}
	err := f.db.client.Database("admin").RunCommand(ctx, bson.D{{Key: "hello", Value: 1}}).Decode(&hello)
	if err != nil {
		f.logger.WarnContext(ctx, "hello failed; polling for changes", "err", err)
		return FeedPolling
	}
	if hello.SetName != "" || hello.Msg == "isdbgrid" {
		return FeedChangeStreams
	}
	return FeedPolling
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
		{orderly.ChangeNotification, colNotifications},
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
