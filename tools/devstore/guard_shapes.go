package main

import "go.mongodb.org/mongo-driver/v2/bson"

// The commands a guard serves, each with the keys it accepts and the reply
// FerretDB gives it when nothing matches.

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

// updateKey accepts the keys of an update command that the rewrite understands.
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

// updateStatementKey accepts the keys of an update statement that the rewrite understands.
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

// findAndModifyKey accepts the keys of a findAndModify command that the rewrite understands.
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

// deleteKey accepts the keys of a delete command that the rewrite understands.
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

// deleteStatementKey accepts the keys of a delete statement that the rewrite understands.
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

// findKey accepts the keys of a find command that the rewrite understands.
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
