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

// errWatchUnavailable says that the deployment refused to open a change
// stream at all, so the feed may fall back to polling.
var errWatchUnavailable = errors.New("change streams unavailable")

// Server error codes that end a change stream for good: its resume token
// left the oplog, or the stream cannot go on.
const (
	codeChangeStreamFatal       = 280
	codeChangeStreamHistoryLost = 286
)

// streamEvent is the part of a change event the feed reads. fullDocument is
// looked up after the change (updateLookup) and projected to two fields, so
// an order's timeline never crosses the wire.
type streamEvent struct {
	NS struct {
		Coll string `bson:"coll"`
	} `bson:"ns"`
	DocumentKey struct {
		ID string `bson:"_id"`
	} `bson:"documentKey"`
	FullDocument *struct {
		CustomerID string `bson:"customerId"`
		Version    int    `bson:"version"`
	} `bson:"fullDocument"`
	// WallTime is the server's time of the change (MongoDB 6.0 and later).
	WallTime time.Time `bson:"wallTime"`
}

// watch follows a change stream on the database until ctx ends. The driver
// resumes by itself after transient errors; when a stream ends anyway, watch
// reopens it after the last event seen. If the resume point is lost, changes
// may have been missed, so it drops every subscriber (each resubscribes and
// re-reads its state) and starts again from now.
func (f *Feed) watch(ctx context.Context) error {
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
			{Key: "ns", Value: 1}, {Key: "documentKey", Value: 1},
			{Key: "fullDocument.customerId", Value: 1}, {Key: "fullDocument.version", Value: 1},
			{Key: "wallTime", Value: 1},
		}}},
	}
	var token bson.Raw
	opened := false
	for attempt := 0; ctx.Err() == nil; attempt++ {
		opts := options.ChangeStream().SetFullDocument(options.UpdateLookup)
		if token != nil {
			opts.SetResumeAfter(token)
		}
		cs, err := f.db.db.Watch(ctx, pipeline, opts)
		if err != nil {
			if !opened {
				return fmt.Errorf("%w: %w", errWatchUnavailable, err)
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
			f.logger.InfoContext(ctx, "change feed following change streams")
			opened = true
		}
		for cs.Next(ctx) {
			attempt = 0
			token = cs.ResumeToken()
			var ev streamEvent
			if err := cs.Decode(&ev); err != nil {
				f.logger.ErrorContext(ctx, "decode change event", "err", err)
				continue
			}
			if c, ok := changeOf(ev); ok {
				f.observe(c.Kind, ev.WallTime)
				f.publish([]orderly.Change{c})
			}
		}
		err = cs.Err()
		_ = cs.Close(context.WithoutCancel(ctx))
		if ctx.Err() != nil {
			return nil
		}
		if lostHistory(err) {
			token = nil
			f.resetSubscribers()
		}
		f.logger.WarnContext(ctx, "change stream ended; reopening", "err", err)
	}
	return nil
}

// changeOf turns a change event into a Change; ok is false for a document
// deleted before the lookup.
func changeOf(ev streamEvent) (orderly.Change, bool) {
	kind, err := kindOf(ev.NS.Coll)
	if err != nil || ev.FullDocument == nil {
		return orderly.Change{}, false
	}
	c := orderly.Change{Kind: kind, ID: ev.DocumentKey.ID, CustomerID: ev.FullDocument.CustomerID, Version: ev.FullDocument.Version}
	if kind == orderly.ChangeRewards {
		c.CustomerID = c.ID
	}
	return c, true
}

func lostHistory(err error) bool {
	var se mongo.ServerError
	return errors.As(err, &se) && (se.HasErrorCode(codeChangeStreamHistoryLost) || se.HasErrorCode(codeChangeStreamFatal))
}
