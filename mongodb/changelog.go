package mongodb

import (
	"context"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// The change log is the change feed of deployments without change streams
// (the embedded store, a standalone mongod). Every write the feed reports is
// announced first by an entry in the changes collection whose _id is a
// sequence number, taken from a counter document:
//
//	seq   = findOneAndUpdate(counters {_id: "changes"}, {$inc: {seq: 1}})
//	entry = insertOne(changes {_id: logKey(seq), kind, docId, customerId, version})
//	then the document's own write
//
// The _id is the number written as a fixed-width decimal string, which sorts
// as the number does: a store that serves only string _ids by index (the
// embedded one) finds an entry by index, where a numeric _id would make
// every read of the log scan it.
//
// A feed reads the counter, then each new entry by _id: a change costs two
// point writes for its writer and one point read per feed, whatever the
// number of documents stored, where a poll of updatedAt would scan them all.
//
// Why no change is lost: the entry is written before the document, so a
// write that lands has an entry; a feed that reads the entry before the
// write lands sees an older document and reads it again until it reaches
// the announced version (or the writer is given up on: an announced write
// that never lands is a harmless hint). A number whose entry never appears
// (its writer died between the counter and the insert) would stall the
// feed, so after gapTimeout the feed claims the slot with a skipped entry.
// The claim is an insert too, so of a late writer and a feed exactly one
// wins the slot; a writer that loses takes a new number before writing its
// document, so its change is announced after all.

// changesCounterID is the _id of the change log's counter document.
const changesCounterID = "changes"

// maxAnnounceAttempts bounds the slots one announcement may lose to feeds
// that gave up waiting for them; losing one takes a writer stalled for
// gapTimeout, so a second loss in a row means something is badly wrong.
const maxAnnounceAttempts = 5

// changeEntry is one entry of the change log.
type changeEntry struct {
	Key        string             `bson:"_id"` // logKey(seq)
	Kind       orderly.ChangeKind `bson:"kind,omitempty"`
	DocID      string             `bson:"docId,omitempty"`
	CustomerID string             `bson:"customerId,omitempty"`
	Version    int                `bson:"version,omitempty"`
	At         time.Time          `bson:"at"`
	// Skipped marks a slot a feed claimed after its writer never wrote it.
	Skipped bool `bson:"skipped,omitempty"`
}

// announce writes the change log entry for a change about to be written,
// when the deployment has no change streams (on a replica set the feed
// follows the oplog and announce does nothing). Call it before the write.
func (db *DB) announce(ctx context.Context, c orderly.Change) error {
	if !db.changeLog {
		return nil
	}
	for range maxAnnounceAttempts {
		seq, err := db.nextChangeSeq(ctx)
		if err != nil {
			return fmt.Errorf("announce change: %w", err)
		}
		_, err = db.coll(colChanges).InsertOne(ctx, changeEntry{
			Key: logKey(seq), Kind: c.Kind, DocID: c.ID, CustomerID: c.CustomerID, Version: c.Version, At: now(),
		})
		if err == nil {
			return nil
		}
		if !isDuplicateKey(err) {
			return fmt.Errorf("announce change: %w", err)
		}
		db.logger.WarnContext(ctx, "change log slot was claimed by a feed; taking another", "seq", seq)
	}
	return fmt.Errorf("announce change: lost %d change log slots in a row", maxAnnounceAttempts)
}

// nextChangeSeq takes the next number of the change log: an atomic
// increment of one document, by _id.
func (db *DB) nextChangeSeq(ctx context.Context) (int64, error) {
	var counter struct {
		Seq int64 `bson:"seq"`
	}
	err := db.coll(colCounters).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: changesCounterID}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "seq", Value: int64(1)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
	).Decode(&counter)
	if err != nil {
		return 0, fmt.Errorf("next change number: %w", err)
	}
	return counter.Seq, nil
}

// lastChangeSeq returns the newest number taken, 0 before the first.
func (db *DB) lastChangeSeq(ctx context.Context) (int64, error) {
	var counter struct {
		Seq int64 `bson:"seq"`
	}
	err := db.coll(colCounters).FindOne(ctx, bson.D{{Key: "_id", Value: changesCounterID}}).Decode(&counter)
	if isNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read change counter: %w", err)
	}
	return counter.Seq, nil
}

// logKey is the _id of the change log entry numbered seq (seq >= 0): 19
// digits, enough for any int64, so that keys sort as their numbers.
func logKey(seq int64) string { return fmt.Sprintf("%019d", seq) }

// changeAt reads the entry of one slot; found is false if it is empty.
func (db *DB) changeAt(ctx context.Context, seq int64) (e changeEntry, found bool, err error) {
	err = db.coll(colChanges).FindOne(ctx, bson.D{{Key: "_id", Value: logKey(seq)}}).Decode(&e)
	if isNotFound(err) {
		return e, false, nil
	}
	if err != nil {
		return e, false, fmt.Errorf("read change %d: %w", seq, err)
	}
	return e, true, nil
}

// skipChange claims an empty slot for good. If its writer got there first,
// it returns the writer's entry and found=true.
func (db *DB) skipChange(ctx context.Context, seq int64) (e changeEntry, found bool, err error) {
	skipped := changeEntry{Key: logKey(seq), Skipped: true, At: now()}
	_, err = db.coll(colChanges).InsertOne(ctx, skipped)
	if err == nil {
		return skipped, false, nil
	}
	if !isDuplicateKey(err) {
		return e, false, fmt.Errorf("skip change %d: %w", seq, err)
	}
	return db.changeAt(ctx, seq)
}

// forgetChangesBefore deletes the entries numbered below seq: the log keeps
// a window of recent changes, long enough for every feed to read them.
func (db *DB) forgetChangesBefore(ctx context.Context, seq int64) error {
	_, err := db.coll(colChanges).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$lt", Value: logKey(seq)}}}})
	if err != nil {
		return fmt.Errorf("forget changes before %d: %w", seq, err)
	}
	return nil
}
