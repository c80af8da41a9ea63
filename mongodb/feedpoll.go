package mongodb

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// poller is the polling source of the change feed, for deployments without
// change streams. One poller runs per process, whatever the number of
// subscribers.
//
// Every writer stamps updatedAt with its clock when it changes a document
// (and bumps the document's version). Each poll reads, from each of the
// three collections, the _id, customerId, version and updatedAt of the
// documents with updatedAt >= highWater - overlap, where highWater is the
// newest updatedAt seen so far, and emits a Change for each document whose
// version is newer than the last one emitted for it.
//
// Why no change is lost: a write stamped t becomes visible at t+d. Polls keep
// reading from highWater-overlap, and highWater only moves to stamps that were
// visible, so a write is missed only if a poll saw a stamp beyond t+overlap
// before the write was visible, which needs d plus the clock skew between
// writers to exceed the overlap (5s by default, against milliseconds in
// practice). A failed poll moves nothing, so the next one reads the same
// window. Duplicates are harmless and filtered: the emitted map remembers the
// last version sent per document for as long as the document can still be
// returned (it is pruned by updatedAt once outside the window, so it holds
// only the documents changed in the last overlap). Subscribers read the
// document itself, so coalescing several versions into one hint loses nothing.
//
// What it costs: three finds every interval. On MongoDB the updatedAt
// indexes make each one a short range scan of the recent changes. The
// embedded store scans (and decodes) every document of the three collections
// for each poll, so a poll costs time linear in the bytes stored, measured at
// about 70ms with 100 orders and 1.4s with 1,000. The loop therefore polls
// only while it has subscribers, and rests at least pollRest times as long as
// a poll took, trading latency for the store's availability.
type poller struct {
	db *DB
	// observe, when set, hears each change the poll returns (FeedOptions.Observe).
	observe   func(orderly.ChangeKind, time.Time)
	overlap   time.Duration
	highWater time.Time
	emitted   map[changeKey]emittedVersion
}

type changeKey struct {
	kind orderly.ChangeKind
	id   string
}

type emittedVersion struct {
	version   int
	updatedAt time.Time
}

// polledDoc is the projection a poll reads.
type polledDoc struct {
	ID         string    `bson:"_id"`
	CustomerID string    `bson:"customerId"`
	Version    int       `bson:"version"`
	UpdatedAt  time.Time `bson:"updatedAt"`
}

func newPoller(db *DB, overlap time.Duration) *poller {
	return &poller{db: db, overlap: overlap, highWater: time.Now(), emitted: map[changeKey]emittedVersion{}}
}

// reset forgets what was emitted and starts the window at the current time,
// for a feed that had nobody to tell: a new subscriber reads the current
// state first, so it needs only the changes made after it arrived.
func (p *poller) reset() {
	p.highWater = time.Now()
	clear(p.emitted)
}

// poll reads the window once and returns the new changes, oldest first. On
// error it changes nothing, so the next poll covers the same window.
func (p *poller) poll(ctx context.Context) ([]orderly.Change, error) {
	since := p.highWater.Add(-p.overlap)
	type found struct {
		kind orderly.ChangeKind
		doc  polledDoc
	}
	var all []found
	for _, src := range feedSources() {
		cur, err := p.db.coll(src.collection).Find(ctx,
			bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since}}}},
			options.Find().SetProjection(bson.D{
				{Key: "_id", Value: 1}, {Key: "customerId", Value: 1}, {Key: "version", Value: 1}, {Key: "updatedAt", Value: 1},
			}))
		if err != nil {
			return nil, fmt.Errorf("poll %s: %w", src.collection, err)
		}
		var docs []polledDoc
		if err := cur.All(ctx, &docs); err != nil {
			return nil, fmt.Errorf("poll %s: %w", src.collection, err)
		}
		for _, d := range docs {
			all = append(all, found{src.kind, d})
		}
	}
	slices.SortFunc(all, func(a, b found) int {
		return cmp.Or(a.doc.UpdatedAt.Compare(b.doc.UpdatedAt), cmp.Compare(a.kind, b.kind), cmp.Compare(a.doc.ID, b.doc.ID))
	})

	var changes []orderly.Change
	for _, f := range all {
		if f.doc.UpdatedAt.After(p.highWater) {
			p.highWater = f.doc.UpdatedAt
		}
		key := changeKey{f.kind, f.doc.ID}
		if last, ok := p.emitted[key]; ok && last.version >= f.doc.Version {
			continue
		}
		p.emitted[key] = emittedVersion{version: f.doc.Version, updatedAt: f.doc.UpdatedAt}
		customerID := f.doc.CustomerID
		if f.kind == orderly.ChangeRewards {
			customerID = f.doc.ID // a rewards account is keyed by its customer
		}
		changes = append(changes, orderly.Change{Kind: f.kind, ID: f.doc.ID, CustomerID: customerID, Version: f.doc.Version})
		if p.observe != nil {
			p.observe(f.kind, f.doc.UpdatedAt)
		}
	}
	horizon := p.highWater.Add(-p.overlap)
	for k, e := range p.emitted {
		if e.updatedAt.Before(horizon) {
			delete(p.emitted, k) // no later poll can return this version again
		}
	}
	return changes, nil
}

// pollRest is the least time the poll loop rests after a poll, as a multiple
// of the time the poll took: with 3, polls occupy the store at most a quarter
// of the time. On the embedded store a poll scans every order, and the store
// serves one request at a time, so a poll that takes longer than the
// interval would otherwise keep every other request waiting.
const pollRest = 3

// poll runs the polling source until ctx ends. It skips the store while
// nobody is subscribed, and stretches the interval while polls are slow.
func (f *Feed) poll(ctx context.Context) {
	p := newPoller(f.db, f.opts.PollOverlap)
	p.observe = f.opts.Observe
	failing, stretched := false, false
	for {
		wait := f.opts.PollInterval
		if f.Subscribers() == 0 {
			p.reset()
		} else {
			start := time.Now()
			changes, err := p.poll(ctx)
			took := time.Since(start)
			switch {
			case err != nil && ctx.Err() == nil && !failing:
				f.logger.WarnContext(ctx, "change feed poll failing", "err", err)
				failing = true
			case err == nil && failing:
				f.logger.InfoContext(ctx, "change feed poll recovered")
				failing = false
			}
			f.publish(changes)
			// Only a poll the store answered says how busy it is; a failed
			// one mostly waited for an unreachable store, and the next poll
			// should find it as soon as it is back.
			rest := time.Duration(0)
			if err == nil {
				rest = pollRest * took
			}
			wait = max(wait, rest)
			// Log the stretch once, with some hysteresis against flapping.
			if !stretched && rest > 2*f.opts.PollInterval {
				f.logger.WarnContext(ctx, "change feed polls are slow; stretching the interval", "poll", took, "interval", rest)
				stretched = true
			} else if stretched && rest <= f.opts.PollInterval {
				f.logger.InfoContext(ctx, "change feed polls are fast again", "poll", took)
				stretched = false
			}
		}
		if !sleepCtx(ctx, wait) {
			return
		}
	}
}
