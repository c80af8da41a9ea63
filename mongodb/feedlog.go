package mongodb

import (
	"context"
	"time"

	"github.com/orderly-shop/orderly"
)

// logReader is the change-log source of a Feed (see changelog.go for the
// writers' side). Each poll reads the log's counter and then every new slot
// by _id; slots found empty are read again each poll until their entry
// appears or gapTimeout passes, when the reader claims them as skipped. The
// documents announced are read once each, coalesced per document, and
// handed to the subscribers; one that has not yet reached its announced
// version (its write is still landing) is read again next poll. After
// gapTimeout it is handed over as it is, so that its subscribers are not
// held up, but still read each poll until lateTimeout: a write that lands
// late is handed over too, where giving up would leave every subscriber
// (and the cached catalog) on the older version until the document next
// changes.
type logReader struct {
	db          *DB
	gapTimeout  time.Duration
	lateTimeout time.Duration
	retention   int64
	// next is the first slot not yet read.
	next int64
	// holes are empty slots below next, with the time each was first seen.
	holes map[int64]time.Time
	// waiting are the announced changes not yet handed over, per document.
	waiting map[changeKey]*announced
}

type changeKey struct {
	kind orderly.ChangeKind
	id   string
}

// announced is the newest change announced for one document.
type announced struct {
	change orderly.Change
	// at is when the change was announced; since, when the reader first
	// looked for it.
	at, since time.Time
	// overdue is set once the document was handed over without reaching
	// the announced version (gapTimeout passed).
	overdue bool
}

// trimEvery is how many entries pass between two trims of the change log:
// one range delete (a scan of the log on the embedded store) per trimEvery
// changes costs less than a delete per change.
const trimEvery = 500

// readLog runs the change-log source until ctx ends.
func (f *Feed) readLog(ctx context.Context) {
	r := &logReader{db: f.db, gapTimeout: f.opts.GapTimeout, lateTimeout: f.opts.LateWriteTimeout, retention: f.opts.LogRetention,
		holes: map[int64]time.Time{}, waiting: map[changeKey]*announced{}}
	failing := false
	for started := false; ; {
		var err error
		if !started {
			// A new reader starts at the end of the log: its subscribers
			// read the current state first, so they need only what follows.
			var last int64
			if last, err = r.db.lastChangeSeq(ctx); err == nil {
				r.next, started = last+1, true
				f.markPositioned()
			}
		}
		if started {
			err = r.poll(ctx, f)
		}
		switch {
		case err != nil && ctx.Err() == nil && !failing:
			f.logger.WarnContext(ctx, "change log unreadable; retrying", "err", err)
			failing = true
		case err == nil && failing:
			f.logger.InfoContext(ctx, "change log readable again")
			failing = false
		}
		if !sleepCtx(ctx, f.opts.PollInterval) {
			return
		}
	}
}

// poll reads what was announced since the last poll and hands over every
// change whose document can be read. On error it keeps its place, so the
// next poll carries on.
func (r *logReader) poll(ctx context.Context, f *Feed) error {
	last, err := r.db.lastChangeSeq(ctx)
	if err != nil {
		return err
	}
	if behind := last - r.next; behind < -1 || behind > r.retention/2 {
		// The log was reset, or this reader fell so far behind that the
		// entries it needs are being trimmed: start again from now, and make
		// every subscriber re-read its state.
		f.logger.WarnContext(ctx, "change log position lost; subscribers must re-read", "next", r.next, "last", last)
		r.next = last + 1
		clear(r.holes)
		clear(r.waiting)
		f.resetSubscribers()
		return nil
	}
	for ; r.next <= last; r.next++ {
		e, found, err := r.db.changeAt(ctx, r.next)
		if err != nil {
			return err
		}
		if found {
			r.note(e)
		} else {
			r.holes[r.next] = time.Now()
		}
		if r.next%trimEvery == 0 && r.next > r.retention {
			if err := r.db.forgetChangesBefore(ctx, r.next-r.retention); err != nil {
				f.logger.WarnContext(ctx, "cannot trim the change log", "err", err)
			}
		}
	}
	for seq, since := range r.holes {
		e, found, err := r.db.changeAt(ctx, seq)
		if err == nil && !found && time.Since(since) > r.gapTimeout {
			e, found, err = r.db.skipChange(ctx, seq)
			if err == nil && !found {
				f.logger.WarnContext(ctx, "change log slot never written; skipped", "seq", seq)
				delete(r.holes, seq)
			}
		}
		if err != nil {
			return err
		}
		if found {
			r.note(e)
			delete(r.holes, seq)
		}
	}
	return r.handOver(ctx, f)
}

// note records an entry's announcement, keeping the newest per document.
func (r *logReader) note(e changeEntry) {
	if e.Skipped {
		return
	}
	key := changeKey{e.Kind, e.DocID}
	if w, ok := r.waiting[key]; ok {
		if e.Version > w.change.Version {
			w.change.Version, w.at = e.Version, e.At
		}
		return
	}
	r.waiting[key] = &announced{
		change: orderly.Change{Kind: e.Kind, ID: e.DocID, CustomerID: e.CustomerID, Version: e.Version},
		at:     e.At, since: time.Now(),
	}
}

// handOver reads each announced document and publishes it when it has
// reached the announced version, or, once, when gapTimeout has passed
// without it; an overdue document is still read each poll, and published
// when its write lands, until lateTimeout.
func (r *logReader) handOver(ctx context.Context, f *Feed) error {
	for key, w := range r.waiting {
		if !f.wanted(w.change) {
			delete(r.waiting, key)
			continue
		}
		c, found, err := f.readDocument(ctx, w.change)
		if err != nil {
			return err
		}
		landed := found && c.Version >= w.change.Version
		waited := time.Since(w.since)
		if found && (landed || (waited > r.gapTimeout && !w.overdue)) {
			// Handing over a document whose write has not landed (or never
			// will) is a harmless repeat: publish skips a version that
			// went out already.
			f.publish(c, w.at)
		}
		switch {
		case landed, waited > r.lateTimeout:
			delete(r.waiting, key)
		case waited > r.gapTimeout:
			w.overdue = true
		}
	}
	return nil
}
