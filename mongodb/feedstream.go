package mongodb

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// Server error codes that end a change stream for good: its resume token
// left the oplog, or the stream cannot go on.
const (
	codeChangeStreamFatal       = 280
	codeChangeStreamHistoryLost = 286
)

// positionSaveEvery bounds how often the stream position is saved: a
// restarted process may repeat up to this much, which subscribers absorb.
const positionSaveEvery = time.Second

// streamEvent is the part of a change event the feed reads: where, which
// document, and the document itself, looked up after the change
// (updateLookup), so the feed reads nothing more.
type streamEvent struct {
	NS struct {
		Coll string `bson:"coll"`
	} `bson:"ns"`
	DocumentKey struct {
		ID string `bson:"_id"`
	} `bson:"documentKey"`
	FullDocument bson.Raw `bson:"fullDocument"`
	// WallTime is the server's time of the change (MongoDB 6.0 and later).
	WallTime time.Time `bson:"wallTime"`
}

// changeStream is what the feed needs of a *mongo.ChangeStream; tests play
// one without a replica set.
type changeStream interface {
	Next(ctx context.Context) bool
	Decode(v any) error
	ResumeToken() bson.Raw
	Err() error
	Close(ctx context.Context) error
}

// openStream opens a change stream on the database resuming after token
// (from now when nil).
type openStream func(ctx context.Context, token bson.Raw) (changeStream, error)

// streamPosition is where a named feed stopped, as saved in the store.
type streamPosition struct {
	Name  string    `bson:"_id"`
	Token bson.Raw  `bson:"token"`
	At    time.Time `bson:"at"`
}

// watch follows change streams until ctx ends.
func (f *Feed) watch(ctx context.Context) error {
	return f.follow(ctx, f.openDatabaseStream)
}

// openDatabaseStream watches the followed collections of the database.
func (f *Feed) openDatabaseStream(ctx context.Context, token bson.Raw) (changeStream, error) {
	colls := bson.A{}
	for _, s := range feedSources() {
		colls = append(colls, s.collection)
	}
	pipeline := mongo.Pipeline{
		{{Key: "$match", Value: bson.D{
			{Key: "ns.coll", Value: bson.D{{Key: "$in", Value: colls}}},
			{Key: "operationType", Value: bson.D{{Key: "$in", Value: bson.A{"insert", "update", "replace"}}}},
		}}},
		{{Key: "$project", Value: bson.D{
			{Key: "ns", Value: 1}, {Key: "documentKey", Value: 1}, {Key: "fullDocument", Value: 1},
			{Key: "wallTime", Value: 1},
		}}},
	}
	opts := options.ChangeStream().SetFullDocument(options.UpdateLookup)
	if token != nil {
		opts.SetStartAfter(token)
	}
	return f.db.db.Watch(ctx, pipeline, opts)
}

// follow reads change streams from open until ctx ends. The driver resumes
// by itself after transient errors; when a stream ends anyway, follow
// reopens it after the last event seen. With a ResumeName, the position is
// saved in the store about once a second and read back at start, so a
// restarted process carries on where it stopped. If the resume point is
// lost, changes may have been missed, so it drops every subscriber (each
// resubscribes and re-reads its state) and starts again from now.
func (f *Feed) follow(ctx context.Context, open openStream) error {
	token, err := f.loadPosition(ctx)
	if err != nil {
		f.logger.WarnContext(ctx, "cannot read the saved change stream position; starting from now", "err", err)
	}
	opened := false
	var saved time.Time
	for attempt := 0; ctx.Err() == nil; attempt++ {
		cs, err := open(ctx, token)
		if err != nil {
			if !opened && token == nil {
				return fmt.Errorf("feed: open change stream: %w", err)
			}
			if lostHistory(err) {
				f.logger.WarnContext(ctx, "change stream lost its resume point; subscribers must re-read", "err", err)
				token = nil
				f.resetSubscribers()
			} else {
				f.logger.WarnContext(ctx, "reopening change stream", "err", err)
			}
			sleepCtx(ctx, min(time.Duration(attempt+1)*100*time.Millisecond, 5*time.Second))
			continue
		}
		if !opened {
			f.logger.InfoContext(ctx, "change feed following change streams", "resumed", token != nil)
			opened = true
			f.markPositioned()
		}
		for cs.Next(ctx) {
			attempt = 0
			token = cs.ResumeToken()
			var ev streamEvent
			if err := cs.Decode(&ev); err != nil {
				f.logger.ErrorContext(ctx, "decode change event", "err", err)
				continue
			}
			if c, ok := changeOf(ev); ok && f.wanted(c) {
				f.publish(c, ev.WallTime)
			}
			if time.Since(saved) >= positionSaveEvery {
				f.savePosition(ctx, token)
				saved = time.Now()
			}
		}
		err = cs.Err()
		_ = cs.Close(context.WithoutCancel(ctx))
		if ctx.Err() != nil {
			f.savePosition(context.WithoutCancel(ctx), token)
			return nil
		}
		if lostHistory(err) {
			token = nil
			f.resetSubscribers()
		}
		f.logger.WarnContext(ctx, "change stream ended; reopening", "err", err)
		sleepCtx(ctx, min(time.Duration(attempt)*100*time.Millisecond, 5*time.Second))
	}
	return nil
}

// loadPosition returns the saved resume token of this feed, nil if none.
func (f *Feed) loadPosition(ctx context.Context) (bson.Raw, error) {
	if f.opts.ResumeName == "" {
		return nil, nil
	}
	var p streamPosition
	err := f.db.coll(colFeedPositions).FindOne(ctx, bson.D{{Key: "_id", Value: f.opts.ResumeName}}).Decode(&p)
	if isNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return p.Token, nil
}

// savePosition stores the resume token under the feed's name; a failure
// only costs repeated hints after a restart, so it is logged, not returned.
func (f *Feed) savePosition(ctx context.Context, token bson.Raw) {
	if f.opts.ResumeName == "" || token == nil {
		return
	}
	_, err := f.db.coll(colFeedPositions).UpdateOne(ctx, bson.D{{Key: "_id", Value: f.opts.ResumeName}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "token", Value: token}, {Key: "at", Value: now()}}}},
		options.UpdateOne().SetUpsert(true))
	if err != nil {
		f.logger.WarnContext(ctx, "cannot save the change stream position", "err", err)
	}
}

// changeOf turns a change event into a Change carrying its document; ok is
// false for a document deleted before the lookup or one of another kind.
func changeOf(ev streamEvent) (orderly.Change, bool) {
	kind, err := kindOf(ev.NS.Coll)
	if err != nil || ev.FullDocument == nil {
		return orderly.Change{}, false
	}
	return withDocument(orderly.Change{Kind: kind, ID: ev.DocumentKey.ID}, ev.FullDocument)
}

func lostHistory(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && (se.HasErrorCode(codeChangeStreamHistoryLost) || se.HasErrorCode(codeChangeStreamFatal))
}
