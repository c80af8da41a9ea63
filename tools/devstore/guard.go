package main

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// guard serves a write or find whose filter is anchored on one _id, such
// as {_id: X, version: 7} or {_id: P, stock: {$gte: 3}}. FerretDB would scan
// and decode the whole collection for it, because it pushes only a filter
// that is exactly {_id: X} into SQL. At most one document can match, the
// one whose _id is X, so the guard first asks FerretDB, with an aggregate
// whose first stage it pushes down, whether that document matches the
// whole filter (FerretDB's own matcher decides), then:
//   - if it does, forwards the command with its filter reduced to {_id: X},
//     which FerretDB serves by index and applies to the same document;
//   - if not, and the command is no upsert, answers with the reply FerretDB
//     gives when nothing matches, built exactly as its handler builds it;
//   - if not, and the command is an upsert, forwards it unchanged: FerretDB
//     then inserts (seeding the new document from the filter's equalities)
//     or reports the duplicate _id, as it always does.
//
// Both steps run holding the gate, so no other request comes in between.
//
// Answering a failed guard itself, rather than forwarding a filter that
// matches nothing, is a choice: FerretDB pushes down only {_id: value}, and
// no value can be proven absent without a second lookup. The one difference
// it makes: a malformed update operator or filter in a command whose guard
// fails gets n: 0 instead of FerretDB's error — which FerretDB gives only
// when some document reaches its matcher anyway.
type guard struct {
	db, coll string
	id       bson.RawValue
	filter   bson.Raw
	upsert   bool
	// reduce returns the command with its filter replaced by filter.
	reduce func(filter bson.Raw) sections
	// noMatch is FerretDB's reply body when nothing matches.
	noMatch bson.Raw
}

func (gd *guard) run(ctx context.Context, s *session, req request, u *usage) ([]message, outcome, error) {
	bodies, err := s.call(ctx, u, gd.check())
	if err != nil {
		return nil, "", err
	}
	docs, ok := firstBatch(bodies[0])
	switch {
	case !ok || len(docs) > 1:
		// FerretDB refused the check (a filter its $match rejects): let it
		// answer the command itself.
		replies, err := s.forward(ctx, req.msg, u)
		return replies, outcomePassed, err
	case len(docs) == 1:
		m := gd.reduce(idFilter(gd.id)).encode(req.msg.requestID(), 0)
		replies, err := s.forward(ctx, m, u)
		return replies, outcomeRewritten, err
	case gd.upsert:
		replies, err := s.forward(ctx, req.msg, u)
		return replies, outcomePassed, err
	default:
		return []message{newReply(req.msg.requestID(), gd.noMatch)}, outcomeAnswered, nil
	}
}

// check is the aggregate that reads the document with _id X (its first
// $match is pushed into SQL) and keeps it if it matches the whole filter.
func (gd *guard) check() bson.Raw {
	return mustMarshal(bson.D{
		{Key: "aggregate", Value: gd.coll},
		{Key: "pipeline", Value: bson.A{
			bson.D{{Key: "$match", Value: bson.D{{Key: "_id", Value: gd.id}}}},
			bson.D{{Key: "$match", Value: gd.filter}},
			bson.D{{Key: "$project", Value: bson.D{{Key: "_id", Value: int32(1)}}}},
		}},
		{Key: "cursor", Value: bson.D{}},
		{Key: "$db", Value: gd.db},
	})
}

// statement returns the one statement of an update or delete, sent either
// as a document sequence named field (as the driver does) or as an array in
// the body, and a function that puts a changed statement back in its place.
func statement(c command, field string) (bson.Raw, func(bson.Raw) sections, bool) {
	if docs, ok := c.parts.sequence(field); ok {
		if len(docs) != 1 || len(c.parts.seqs) != 1 || c.parts.body.Lookup(field).Type != 0 || docs[0].Validate() != nil {
			return nil, nil, false
		}
		put := func(st bson.Raw) sections {
			return sections{body: c.parts.body, seqs: []docSequence{{id: field, docs: []bson.Raw{st}}}}
		}
		return docs[0], put, true
	}
	if len(c.parts.seqs) != 0 {
		return nil, nil, false
	}
	arr, ok := c.parts.body.Lookup(field).ArrayOK()
	if !ok {
		return nil, nil, false
	}
	vals, err := arr.Values()
	if err != nil || len(vals) != 1 {
		return nil, nil, false
	}
	st, ok := vals[0].DocumentOK()
	if !ok {
		return nil, nil, false
	}
	put := func(st bson.Raw) sections {
		return sections{body: replaceField(c.parts.body, field, arrayValue(st))}
	}
	return st, put, true
}

// planUpdate: an update with one statement, multi false, whose u is an
// update or replacement document (not a pipeline) and whose q is anchored.
func planUpdate(c command) rewrite {
	if !onlyKeys(c.parts.body, updateKey) {
		return nil
	}
	st, put, ok := statement(c, "updates")
	if !ok || !onlyKeys(st, updateStatementKey) {
		return nil
	}
	if _, ok := st.Lookup("u").DocumentOK(); !ok {
		return nil
	}
	if multi, ok := st.Lookup("multi").BooleanOK(); ok && multi {
		return nil
	}
	upsert, _ := numericBool(st.Lookup("upsert"))
	q, ok := st.Lookup("q").DocumentOK()
	if !ok {
		return nil
	}
	id, ok := anchoredID(q)
	if !ok {
		return nil
	}
	return &guard{
		db: c.db, coll: c.coll, id: id, filter: q, upsert: upsert,
		reduce: func(f bson.Raw) sections { return put(replaceField(st, "q", docValue(f))) },
		// msg_update.go: n, nModified, ok.
		noMatch: mustMarshal(bson.D{{Key: "n", Value: int32(0)}, {Key: "nModified", Value: int32(0)}, {Key: "ok", Value: float64(1)}}),
	}
}

func updateKey(k string, v bson.RawValue) bool {
	switch k {
	case "update":
		return isString(v)
	case "updates":
		return v.Type == bson.TypeArray
	case "ordered", "bypassDocumentValidation":
		return isBool(v)
	}
	return commonKey(k, v)
}

func updateStatementKey(k string, v bson.RawValue) bool {
	switch k {
	case "q", "u":
		return isDoc(v)
	case "multi":
		return isBool(v)
	case "upsert":
		return isNumericBool(v)
	case "hint":
		return true
	}
	return false
}

// planFindAndModify: findAndModify without sort, updating (not with a
// pipeline) or removing, whose query is anchored.
func planFindAndModify(c command) rewrite {
	body := c.parts.body
	if !onlyKeys(body, findAndModifyKey) {
		return nil
	}
	remove, _ := body.Lookup("remove").BooleanOK()
	upsert, _ := body.Lookup("upsert").BooleanOK()
	_, hasUpdate := body.Lookup("update").DocumentOK()
	if remove == hasUpdate || (remove && upsert) {
		return nil
	}
	q, ok := body.Lookup("query").DocumentOK()
	if !ok {
		return nil
	}
	id, ok := anchoredID(q)
	if !ok {
		return nil
	}
	// msg_findandmodify.go: lastErrorObject {n, updatedExisting (not for
	// remove)}, value null, ok.
	lastError := bson.D{{Key: "n", Value: int32(0)}}
	if !remove {
		lastError = append(lastError, bson.E{Key: "updatedExisting", Value: false})
	}
	return &guard{
		db: c.db, coll: c.coll, id: id, filter: q, upsert: upsert,
		reduce: func(f bson.Raw) sections { return sections{body: replaceField(body, "query", docValue(f))} },
		noMatch: mustMarshal(bson.D{
			{Key: "lastErrorObject", Value: lastError},
			{Key: "value", Value: nil},
			{Key: "ok", Value: float64(1)},
		}),
	}
}

func findAndModifyKey(k string, v bson.RawValue) bool {
	switch k {
	case "findAndModify", "findandmodify":
		return isString(v)
	case "query", "update":
		return isDoc(v)
	case "sort":
		return isEmptyDoc(v)
	case "remove", "upsert", "bypassDocumentValidation":
		return isBool(v)
	case "new":
		return isNumericBool(v)
	case "hint":
		return true
	}
	return commonKey(k, v)
}

// planDelete: a delete with one statement, limit 1, whose q is anchored.
func planDelete(c command) rewrite {
	if !onlyKeys(c.parts.body, deleteKey) {
		return nil
	}
	st, put, ok := statement(c, "deletes")
	if !ok || !onlyKeys(st, deleteStatementKey) || !isOne(st.Lookup("limit")) {
		return nil
	}
	q, ok := st.Lookup("q").DocumentOK()
	if !ok {
		return nil
	}
	id, ok := anchoredID(q)
	if !ok {
		return nil
	}
	return &guard{
		db: c.db, coll: c.coll, id: id, filter: q,
		reduce: func(f bson.Raw) sections { return put(replaceField(st, "q", docValue(f))) },
		// msg_delete.go: n, ok.
		noMatch: mustMarshal(bson.D{{Key: "n", Value: int32(0)}, {Key: "ok", Value: float64(1)}}),
	}
}

func deleteKey(k string, v bson.RawValue) bool {
	switch k {
	case "delete":
		return isString(v)
	case "deletes":
		return v.Type == bson.TypeArray
	case "ordered":
		return isBool(v)
	}
	return commonKey(k, v)
}

func deleteStatementKey(k string, v bson.RawValue) bool {
	switch k {
	case "q":
		return isDoc(v)
	case "limit":
		return isOne(v)
	case "hint":
		return true
	}
	return false
}

// planFind: a find whose filter is anchored, with no sort and no skip: at
// most one document can be found, so limit and batch size change nothing
// but are passed on all the same.
func planFind(c command) rewrite {
	body := c.parts.body
	if !onlyKeys(body, findKey) {
		return nil
	}
	if p, ok := body.Lookup("projection").DocumentOK(); ok && positionalProjection(p) {
		return nil
	}
	filter, ok := body.Lookup("filter").DocumentOK()
	if !ok {
		return nil
	}
	id, ok := anchoredID(filter)
	if !ok {
		return nil
	}
	return &guard{
		db: c.db, coll: c.coll, id: id, filter: filter,
		reduce:  func(f bson.Raw) sections { return sections{body: replaceField(body, "filter", docValue(f))} },
		noMatch: cursorReply(c.db, c.coll, nil),
	}
}

func findKey(k string, v bson.RawValue) bool {
	switch k {
	case "find":
		return isString(v)
	case "filter", "projection":
		return isDoc(v)
	case "sort":
		return isEmptyDoc(v)
	case "skip":
		return isZero(v)
	case "limit":
		return isNonNegative(v)
	case "batchSize":
		// batchSize 0 opens a cursor even for no document.
		return isPositive(v)
	case "singleBatch":
		return isBool(v)
	case "hint", "allowDiskUse":
		return true
	}
	return commonKey(k, v)
}

// cursorReply is the reply to a find that needs no getMore, as
// msg_find.go builds it: cursor {firstBatch, id: 0, ns}, ok.
func cursorReply(db, coll string, docs []bson.Raw) bson.Raw {
	batch := make(bson.A, len(docs))
	for i, d := range docs {
		batch[i] = d
	}
	return mustMarshal(bson.D{
		{Key: "cursor", Value: bson.D{
			{Key: "firstBatch", Value: batch},
			{Key: "id", Value: int64(0)},
			{Key: "ns", Value: db + "." + coll},
		}},
		{Key: "ok", Value: float64(1)},
	})
}
