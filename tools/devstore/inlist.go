package main

import (
	"bytes"
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// maxInListIDs bounds the _ids of a find that inList splits. Each costs one
// indexed lookup, pipelined; beyond this many a scan may well be cheaper,
// and the gate is held for all of them.
const maxInListIDs = 100

// maxInListReply bounds the documents one split find gathers into its single
// reply: MongoDB's maxBsonObjectSize, so that the reply stays well within
// the wire's message limit. A larger result goes to FerretDB as it was, which
// returns it in batches.
const maxInListReply = 16 << 20

// inList serves find({_id: {$in: [...]}}), the dataloader's batch read,
// which FerretDB answers by scanning and decoding the whole collection. It
// becomes one find {_id: X} per distinct _id, each served from the index
// with the command's projection applied by FerretDB, sent in one go, and
// one reply with every document found and cursor id 0.
//
// The documents come in _id order (strings before ObjectIds, each in byte
// order), as MongoDB returns them from its _id index; FerretDB's scan
// returns them in insertion order. A find without a sort promises neither.
// The lookups hold an exclusive turn, so together they see one state of the
// collection, as the scan did.
type inList struct {
	db, coll   string
	ids        []bson.RawValue
	projection bson.Raw // nil: none
}

// planInList: a find whose filter is exactly {_id: {$in: [strings or
// ObjectIds]}}, with no sort, skip or limit and no positional projection.
func planInList(c command) *inList {
	body := c.parts.body
	if !onlyKeys(body, inListKey) {
		return nil
	}
	filter, ok := body.Lookup("filter").DocumentOK()
	if !ok {
		return nil
	}
	elems, err := filter.Elements()
	if err != nil || len(elems) != 1 || elems[0].Key() != "_id" {
		return nil
	}
	cond, ok := elems[0].Value().DocumentOK()
	if !ok {
		return nil
	}
	condElems, err := cond.Elements()
	if err != nil || len(condElems) != 1 || condElems[0].Key() != "$in" {
		return nil
	}
	list, ok := condElems[0].Value().ArrayOK()
	if !ok {
		return nil
	}
	ids, err := list.Values()
	if err != nil || len(ids) == 0 || len(ids) > maxInListIDs {
		return nil
	}
	for _, id := range ids {
		if id.Type != bson.TypeString && id.Type != bson.TypeObjectID {
			return nil
		}
	}
	rw := &inList{db: c.db, coll: c.coll, ids: distinctIDs(ids)}
	if p, ok := body.Lookup("projection").DocumentOK(); ok {
		if positionalProjection(p) {
			return nil
		}
		rw.projection = p
	}
	return rw
}

// inListKey accepts the keys of a find by a list of _ids that the rewrite understands.
func inListKey(k string, v bson.RawValue) bool {
	switch k {
	case "find":
		return isString(v)
	case "filter", "projection":
		return isDoc(v)
	case "sort":
		return isEmptyDoc(v)
	case "skip", "limit":
		return isZero(v)
	case "batchSize":
		return isNonNegative(v)
	case "singleBatch":
		return isBool(v)
	case "hint", "allowDiskUse":
		return true
	}
	return commonKey(k, v)
}

// distinctIDs sorts ids in MongoDB's order and drops repeats: a document is
// returned once however often its _id is listed.
func distinctIDs(ids []bson.RawValue) []bson.RawValue {
	sorted := slices.Clone(ids)
	slices.SortFunc(sorted, compareIDs)
	return slices.CompactFunc(sorted, func(a, b bson.RawValue) bool { return compareIDs(a, b) == 0 })
}

// compareIDs orders strings before ObjectIds (BSON's type order), strings
// by their bytes (the simple collation) and ObjectIds by their 12 bytes.
func compareIDs(a, b bson.RawValue) int {
	if a.Type != b.Type {
		if a.Type == bson.TypeString {
			return -1
		}
		return 1
	}
	if a.Type == bson.TypeString {
		return bytes.Compare([]byte(a.StringValue()), []byte(b.StringValue()))
	}
	x, y := a.ObjectID(), b.ObjectID()
	return bytes.Compare(x[:], y[:])
}

func (l *inList) run(ctx context.Context, s *session, req request, u *usage) ([]message, outcome, error) {
	cmds := make([]bson.Raw, len(l.ids))
	for i, id := range l.ids {
		cmd := bson.D{{Key: "find", Value: l.coll}, {Key: "filter", Value: bson.D{{Key: "_id", Value: id}}}}
		if l.projection != nil {
			cmd = append(cmd, bson.E{Key: "projection", Value: l.projection})
		}
		cmd = append(cmd, bson.E{Key: "singleBatch", Value: true}, bson.E{Key: "$db", Value: l.db})
		cmds[i] = mustMarshal(cmd)
	}
	bodies, err := s.call(ctx, u, cmds...)
	if err != nil {
		return nil, "", err
	}
	var found []bson.Raw
	size := 0
	for _, b := range bodies {
		docs, ok := firstBatch(b)
		for _, d := range docs {
			size += len(d)
		}
		if !ok || len(docs) > 1 || size > maxInListReply {
			// FerretDB refused a lookup (a bad projection, say) or the
			// result is too large for one reply: let it answer the find.
			replies, err := s.forward(ctx, req.msg, u)
			return replies, outcomePassed, err
		}
		found = append(found, docs...)
	}
	return []message{newReply(req.msg.requestID(), cursorReply(l.db, l.coll, found))}, outcomeSplit, nil
}
