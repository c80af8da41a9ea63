package main

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// replyRecorder keeps the replies a client receives, as a command monitor
// sees them on the wire.
type replyRecorder struct {
	mu      sync.Mutex
	replies []string
}

func (r *replyRecorder) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			r.add(e.CommandName + " " + e.Reply.String())
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			r.add(e.CommandName + " failed: " + e.Failure.Error())
		},
	}
}

func (r *replyRecorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replies = append(r.replies, s)
}

// take returns the replies since the last take.
func (r *replyRecorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := r.replies
	r.replies = nil
	return got
}

// diffOp is one operation of the corpus. unordered marks a find by a list
// of _ids, whose documents the two stores return in different orders (see
// inList); their replies are compared with the documents sorted.
type diffOp struct {
	name      string
	unordered bool
	do        func(ctx context.Context, db *mongo.Database) error
}

// TestPushdownMatchesFerretDB runs one corpus of operations against a
// devstore with its rewrites and one without (-pushdown=false), which
// FerretDB serves as it always did, and compares every reply on the wire,
// every error and, at the end, every document. The corpus covers guards
// that match and guards that fail, on every operator the application's
// guards use, numeric type mixes, missing fields, upserts, projections and
// both returnDocument settings, sent the way the driver sends them (the
// statements as a document sequence) and as a shell sends them (an array in
// the command). The counters prove the rewrites ran.
func TestPushdownMatchesFerretDB(t *testing.T) {
	type side struct {
		store *testStore
		rec   *replyRecorder
		db    *mongo.Database
	}
	ctx := testContext(t)
	sides := map[string]*side{}
	for _, name := range []string{"pushdown", "plain"} {
		var flags []string
		if name == "plain" {
			flags = []string{"-pushdown=false"}
		}
		s := &side{store: startStore(t, t.TempDir(), flags...), rec: &replyRecorder{}}
		c := connect(t, s.store.uri, options.Client().SetMonitor(s.rec.monitor()))
		s.db = c.Database("diff")
		if _, err := s.db.Collection("items").InsertMany(ctx, diffSeed()); err != nil {
			t.Fatal(err)
		}
		s.rec.take()
		sides[name] = s
	}

	for _, op := range diffCorpus() {
		results := map[string]string{}
		for name, s := range sides {
			err := op.do(ctx, s.db)
			replies := s.rec.take()
			for i, r := range replies {
				replies[i] = normalizeReply(t, r, op.unordered)
			}
			results[name] = fmt.Sprintf("error: %v\nreplies:\n  %s", err, strings.Join(replies, "\n  "))
		}
		if results["pushdown"] != results["plain"] {
			t.Errorf("%s:\nwith pushdown:\n%s\nplain FerretDB:\n%s", op.name, results["pushdown"], results["plain"])
		}
	}

	final := map[string]string{}
	for name, s := range sides {
		final[name] = dumpDatabase(ctx, t, s.db)
	}
	if final["pushdown"] != final["plain"] {
		t.Errorf("final documents differ:\nwith pushdown:\n%s\nplain FerretDB:\n%s", final["pushdown"], final["plain"])
	}

	for name, s := range sides {
		st := storeStats(ctx, t, s.db.Client())
		var rewritten, answered, split, passed int64
		for _, cmd := range []string{"update", "findAndModify", "delete", "find"} {
			rewritten += commandCount(st, cmd, "rewritten")
			answered += commandCount(st, cmd, "answered")
			split += commandCount(st, cmd, "split")
			passed += commandCount(st, cmd, "passed")
		}
		t.Logf("%s: rewritten %d, answered %d, split %d, passed %d", name, rewritten, answered, split, passed)
		switch {
		case name == "plain" && rewritten+answered+split+passed != 0:
			t.Errorf("plain store rewrote commands")
		case name == "pushdown" && (rewritten < 20 || answered < 15 || split < 3 || passed < 3):
			t.Errorf("the corpus exercises too few rewrites: the comparison proves little")
		}
	}
}

// normalizeReply makes two stores' replies comparable: cursor ids are
// random, and a split find's documents come in _id order.
func normalizeReply(t *testing.T, reply string, unordered bool) string {
	name, body, ok := strings.Cut(reply, " ")
	if !ok || strings.HasPrefix(body, "failed:") {
		return reply
	}
	var doc bson.D
	if err := bson.UnmarshalExtJSON([]byte(body), true, &doc); err != nil {
		t.Fatalf("reply %q: %v", reply, err)
	}
	for i, e := range doc {
		cur, ok := e.Value.(bson.D)
		if e.Key != "cursor" || !ok {
			continue
		}
		for j, ce := range cur {
			switch {
			case ce.Key == "id" && ce.Value != int64(0):
				cur[j].Value = "open"
			case (ce.Key == "firstBatch" || ce.Key == "nextBatch") && unordered:
				batch := ce.Value.(bson.A)
				slices.SortFunc(batch, func(a, b any) int {
					return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
				})
			}
		}
		doc[i].Value = cur
	}
	out, err := bson.MarshalExtJSON(doc, true, false)
	if err != nil {
		t.Fatal(err)
	}
	return name + " " + string(out)
}

// dumpDatabase lists every collection and its documents in natural order.
func dumpDatabase(ctx context.Context, t *testing.T, db *mongo.Database) string {
	t.Helper()
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, n := range names {
		cur, err := db.Collection(n).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s:\n", n)
		for cur.Next(ctx) {
			fmt.Fprintf(&b, "  %s\n", cur.Current)
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		cur.Close(ctx)
	}
	return b.String()
}

// diffOID is the ObjectId _id of the corpus.
var diffOID = bson.ObjectID{0x65, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b}

func diffSeed() []any {
	docs := []any{
		bson.D{{Key: "_id", Value: "p1"}, {Key: "stock", Value: int32(5)}, {Key: "reservations", Value: bson.A{"o0"}},
			{Key: "version", Value: int64(7)}, {Key: "status", Value: "CHARGED"}, {Key: "tags", Value: bson.A{"a", "b"}},
			{Key: "nested", Value: bson.D{{Key: "x", Value: int32(1)}}}},
		bson.D{{Key: "_id", Value: "p2"}, {Key: "stock", Value: float64(3)}, {Key: "reservations", Value: bson.A{}},
			{Key: "version", Value: int32(7)}, {Key: "status", Value: "NEW"}},
		bson.D{{Key: "_id", Value: "p3"}, {Key: "stock", Value: int64(2)}, {Key: "version", Value: float64(7)},
			{Key: "status", Value: "CHARGED"}, {Key: "price", Value: 9.5}},
		bson.D{{Key: "_id", Value: "p4"}},
		bson.D{{Key: "_id", Value: diffOID}, {Key: "status", Value: "CHARGED"}, {Key: "version", Value: int32(1)}},
		bson.D{{Key: "_id", Value: int32(1)}, {Key: "status", Value: "X"}},
	}
	// Enough documents for the rewrites to pay off (minGuardRows).
	for i := range 60 {
		docs = append(docs, bson.D{{Key: "_id", Value: fmt.Sprint("f", i)}, {Key: "n", Value: int32(i)}, {Key: "status", Value: "FILL"}})
	}
	return docs
}

// diffCorpus lists the operations, in order: many depend on what the
// earlier ones did.
func diffCorpus() []diffOp {
	items := func(db *mongo.Database) *mongo.Collection { return db.Collection("items") }
	d := func(kv ...any) bson.D {
		var doc bson.D
		for i := 0; i < len(kv); i += 2 {
			doc = append(doc, bson.E{Key: kv[i].(string), Value: kv[i+1]})
		}
		return doc
	}
	update := func(name string, filter, upd bson.D, opts ...options.Lister[options.UpdateOneOptions]) diffOp {
		return diffOp{name: "updateOne " + name, do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).UpdateOne(ctx, filter, upd, opts...)
			return err
		}}
	}
	fam := func(name string, filter, upd bson.D, opts ...options.Lister[options.FindOneAndUpdateOptions]) diffOp {
		return diffOp{name: "findOneAndUpdate " + name, do: func(ctx context.Context, db *mongo.Database) error {
			return items(db).FindOneAndUpdate(ctx, filter, upd, opts...).Err()
		}}
	}
	find := func(name string, filter bson.D, opts ...options.Lister[options.FindOptions]) diffOp {
		return diffOp{name: "find " + name, unordered: strings.Contains(name, "$in"), do: func(ctx context.Context, db *mongo.Database) error {
			cur, err := items(db).Find(ctx, filter, opts...)
			if err != nil {
				return err
			}
			return cur.All(ctx, new([]bson.Raw))
		}}
	}
	command := func(name string, cmd bson.D) diffOp {
		return diffOp{name: "command " + name, do: func(ctx context.Context, db *mongo.Database) error {
			return db.RunCommand(ctx, cmd).Err()
		}}
	}
	inc := func(k string, v any) bson.D { return d("$inc", d(k, v)) }
	set := func(k string, v any) bson.D { return d("$set", d(k, v)) }
	upsert := options.UpdateOne().SetUpsert(true)
	before := options.FindOneAndUpdate().SetReturnDocument(options.Before)
	after := options.FindOneAndUpdate().SetReturnDocument(options.After)

	return []diffOp{
		// Version guards across numeric types: int64 7 stored, int32 asked…
		update("version int32 = int64", d("_id", "p1", "version", int32(7)), inc("version", int32(1))),
		update("version now stale", d("_id", "p1", "version", int32(7)), inc("version", int32(1))),
		update("version int64 = int32", d("_id", "p2", "version", int64(7)), inc("version", int64(1))),
		update("version int32 = double", d("_id", "p3", "version", int32(7)), inc("version", 1.0)),
		update("version double = int64", d("_id", "p1", "version", 8.0), set("seen", true)),

		// The reservation guard: stock left and not yet reserved.
		update("reserve", d("_id", "p1", "stock", d("$gte", int32(3)), "reservations", d("$ne", "o1")),
			d("$inc", d("stock", int32(-3)), "$push", d("reservations", "o1"))),
		update("reserve again", d("_id", "p1", "stock", d("$gte", int32(3)), "reservations", d("$ne", "o1")),
			d("$inc", d("stock", int32(-3)), "$push", d("reservations", "o1"))),
		update("reserve other order, too little stock", d("_id", "p1", "stock", d("$gte", int32(3)), "reservations", d("$ne", "o2")),
			d("$inc", d("stock", int32(-3)))),
		update("reserve double stock with int64", d("_id", "p2", "stock", d("$gte", int64(3)), "reservations", d("$ne", "o1")),
			d("$inc", d("stock", int32(-3)), "$push", d("reservations", "o1"))),
		update("stock below double bound", d("_id", "p3", "stock", d("$gte", 2.5)), inc("stock", int32(-1))),
		update("stock $lt", d("_id", "p3", "stock", d("$lt", int32(3))), inc("stock", int32(-1))),

		// Equality on arrays, missing fields, $in, $or, $and, nested paths.
		update("array contains", d("_id", "p1", "tags", "a"), set("hit", 1)),
		update("array equals", d("_id", "p1", "tags", bson.A{"a", "b"}), set("hit", 2)),
		update("array in other order", d("_id", "p1", "tags", bson.A{"b", "a"}), set("hit", 3)),
		update("$elemMatch", d("_id", "p1", "reservations", d("$elemMatch", d("$eq", "o1"))), set("hit", 4)),
		update("missing field equals null", d("_id", "p4", "stock", nil), set("hit", 5)),
		update("$exists false", d("_id", "p4", "stock", d("$exists", false)), set("hit", 6)),
		update("$exists true", d("_id", "p4", "stock", d("$exists", true)), set("hit", 7)),
		update("status $in", d("_id", "p1", "status", d("$in", bson.A{"CHARGED", "PAID"})), set("hit", 8)),
		update("status $nin", d("_id", "p1", "status", d("$nin", bson.A{"CHARGED"})), set("hit", 9)),
		update("$or", d("_id", "p1", "$or", bson.A{d("status", "NEW"), d("stock", d("$lt", int32(10)))}), set("hit", 10)),
		update("$and", d("_id", "p3", "$and", bson.A{d("stock", d("$gt", int32(-5))), d("stock", d("$lt", int32(3)))}), set("hit", 11)),
		update("$nor", d("_id", "p3", "$nor", bson.A{d("status", "CHARGED")}), set("hit", 12)),
		update("nested path", d("_id", "p1", "nested.x", int32(1)), set("hit", 13)),
		update("nested document", d("_id", "p1", "nested", d("x", 1.0)), set("hit", 14)),
		update("no such document", d("_id", "missing", "status", "X"), set("hit", 15)),
		update("ObjectId", d("_id", diffOID, "status", "CHARGED"), set("status", "PAID")),
		update("ObjectId again", d("_id", diffOID, "status", "CHARGED"), set("status", "PAID")),
		update("numeric _id (not rewritten)", d("_id", int32(1), "status", "X"), set("status", "Y")),
		update("$comment (not rewritten)", d("_id", "p2", "$comment", "why"), set("hit", 16)),
		update("operator fails on the document", d("_id", "p1", "status", "CHARGED"), inc("status", int32(1))),
		update("operator fails, guard fails", d("_id", "p1", "status", "NONE"), inc("status", int32(1))),
		update("nothing to change", d("_id", "p1", "status", "CHARGED"), set("status", "CHARGED")),

		// Upserts: inserted, then found, then a failed guard on an existing
		// _id, which FerretDB reports as a duplicate.
		update("upsert inserts", d("_id", "u1", "status", "NEW"), set("n", int32(1)), upsert),
		update("upsert finds", d("_id", "u1", "status", "NEW"), inc("n", int32(1)), upsert),
		update("upsert guard fails", d("_id", "u1", "status", "OTHER"), inc("n", int32(1)), upsert),
		{name: "replaceOne matches", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).ReplaceOne(ctx, d("_id", "p2", "status", "NEW"), d("status", "REPLACED", "stock", int32(1)))
			return err
		}},
		{name: "replaceOne again", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).ReplaceOne(ctx, d("_id", "p2", "status", "NEW"), d("status", "REPLACED", "stock", int32(2)))
			return err
		}},
		{name: "replaceOne upsert inserts", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).ReplaceOne(ctx, d("_id", "u3", "status", "NEW"), d("status", "SEEDED"), options.Replace().SetUpsert(true))
			return err
		}},
		{name: "updateMany (not rewritten)", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).UpdateMany(ctx, d("_id", "p3", "status", "CHARGED"), set("many", true))
			return err
		}},
		{name: "bulk of two (not rewritten)", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).BulkWrite(ctx, []mongo.WriteModel{
				mongo.NewUpdateOneModel().SetFilter(d("_id", "f1", "n", int32(1))).SetUpdate(set("bulk", 1)),
				mongo.NewUpdateOneModel().SetFilter(d("_id", "f2", "n", int32(0))).SetUpdate(set("bulk", 2)),
			})
			return err
		}},

		// findAndModify: before and after, matching and not, upserts,
		// remove, replacement.
		fam("before, matches", d("_id", "p1", "status", "CHARGED"), set("status", "REFUNDED"), before),
		fam("before, guard fails", d("_id", "p1", "status", "CHARGED"), set("status", "REFUNDED"), before),
		fam("after, matches", d("_id", "p3", "status", "CHARGED", "stock", d("$lte", int64(2))), inc("stock", int32(1)), after),
		fam("after, guard fails", d("_id", "p3", "status", "NEW"), inc("stock", int32(1)), after),
		fam("no such document", d("_id", "missing", "status", "X"), set("x", 1), after),
		fam("ObjectId", d("_id", diffOID, "version", int64(1)), inc("version", int32(1)), after),
		fam("upsert inserts", d("_id", "u2", "status", "NEW"), set("n", int32(1)), options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)),
		fam("upsert finds", d("_id", "u2", "status", "NEW"), inc("n", int32(1)), options.FindOneAndUpdate().SetUpsert(true)),
		fam("upsert guard fails", d("_id", "u2", "status", "OTHER"), inc("n", int32(1)), options.FindOneAndUpdate().SetUpsert(true)),
		fam("with projection (not rewritten)", d("_id", "p3", "status", "CHARGED"), set("p", 1), options.FindOneAndUpdate().SetProjection(d("stock", 1))),
		fam("with sort (not rewritten)", d("_id", "p3", "status", "CHARGED"), set("p", 2), options.FindOneAndUpdate().SetSort(d("n", 1))),
		fam("operator fails on the document", d("_id", "p3", "status", "CHARGED"), inc("status", int32(1))),
		{name: "findOneAndReplace matches", do: func(ctx context.Context, db *mongo.Database) error {
			return items(db).FindOneAndReplace(ctx, d("_id", "f6", "n", int32(6)), d("n", int32(60)),
				options.FindOneAndReplace().SetReturnDocument(options.After)).Err()
		}},
		{name: "findOneAndDelete guard fails", do: func(ctx context.Context, db *mongo.Database) error {
			return items(db).FindOneAndDelete(ctx, d("_id", "f5", "status", "X")).Err()
		}},
		{name: "findOneAndDelete matches", do: func(ctx context.Context, db *mongo.Database) error {
			return items(db).FindOneAndDelete(ctx, d("_id", "f5", "n", int64(5))).Err()
		}},

		// delete
		{name: "deleteOne matches", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).DeleteOne(ctx, d("_id", "f7", "n", int64(7)))
			return err
		}},
		{name: "deleteOne guard fails", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).DeleteOne(ctx, d("_id", "f8", "n", int32(100)))
			return err
		}},
		{name: "deleteOne no such document", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).DeleteOne(ctx, d("_id", "f7", "n", int32(7)))
			return err
		}},
		{name: "deleteMany (not rewritten)", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := items(db).DeleteMany(ctx, d("_id", "f9", "n", int32(9)))
			return err
		}},

		// find
		find("guard matches, projection", d("_id", "p1", "status", "REFUNDED"), options.Find().SetProjection(d("stock", 1))),
		find("guard fails", d("_id", "p1", "status", "CHARGED")),
		find("exclusion projection", d("_id", "p3", "stock", d("$gt", int32(0))), options.Find().SetProjection(d("_id", 0, "price", 0))),
		find("no such document", d("_id", "missing", "x", 1)),
		find("limit", d("_id", "p3", "status", "CHARGED"), options.Find().SetLimit(5)),
		find("batch size 1", d("_id", "p3", "status", "CHARGED"), options.Find().SetBatchSize(1)),
		find("positional projection (not rewritten)", d("_id", "p1", "tags", "a"), options.Find().SetProjection(d("tags.$", 1))),
		find("sort (not rewritten)", d("_id", "p1", "tags", "a"), options.Find().SetSort(d("n", 1))),
		{name: "findOne matches", do: func(ctx context.Context, db *mongo.Database) error {
			return items(db).FindOne(ctx, d("_id", "p2", "status", "REPLACED")).Err()
		}},
		{name: "findOne guard fails", do: func(ctx context.Context, db *mongo.Database) error {
			return items(db).FindOne(ctx, d("_id", "p2", "status", "NEW")).Err()
		}},
		find("$in", d("_id", d("$in", bson.A{"p1", "p2", "missing", diffOID, "p1"}))),
		find("$in with projection", d("_id", d("$in", bson.A{"f3", "f1", "f2", "f19", "f18"})), options.Find().SetProjection(d("n", 1))),
		find("$in excluding _id", d("_id", d("$in", bson.A{"f3", "f1"})), options.Find().SetProjection(d("_id", 0))),
		find("$in none found", d("_id", d("$in", bson.A{"x", "y"}))),
		find("$in with limit (not rewritten)", d("_id", d("$in", bson.A{"f3", "f1"})), options.Find().SetLimit(1)),
		find("$in with a number (not rewritten)", d("_id", d("$in", bson.A{"f3", int32(1)}))),

		// Shell-style commands: the statements in the body.
		command("update, statements in the body", d("update", "items", "updates", bson.A{
			d("q", d("_id", "f10", "n", int32(10)), "u", set("shell", true)),
		})),
		command("update, statements in the body, guard fails", d("update", "items", "updates", bson.A{
			d("q", d("_id", "f10", "n", int32(11)), "u", set("shell", true)),
		})),
		command("delete, statements in the body", d("delete", "items", "deletes", bson.A{
			d("q", d("_id", "f11", "n", int32(11)), "limit", int32(1)),
		})),
		command("findAndModify remove, guard fails", d("findAndModify", "items", "query", d("_id", "f12", "n", int32(0)), "remove", true)),
		command("findAndModify with new as a number", d("findAndModify", "items", "query", d("_id", "f12", "n", int32(12)),
			"update", set("num", 1), "new", int32(1))),

		// A collection the store has not seen: FerretDB creates it on update.
		{name: "update of a new collection", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := db.Collection("ghost").UpdateOne(ctx, d("_id", "g", "n", 1), set("n", 2))
			return err
		}},
		{name: "update of it again", do: func(ctx context.Context, db *mongo.Database) error {
			_, err := db.Collection("ghost").UpdateOne(ctx, d("_id", "g", "n", 1), set("n", 2))
			return err
		}},
	}
}
