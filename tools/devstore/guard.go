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
// Both steps run holding the turn of document X (or an exclusive one), so
// no other write to X comes in between.
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
