package main

import (
	"context"
	"strconv"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// rewrite answers one command through requests that FerretDB serves from
// the _id index, with the reply FerretDB would give the command itself.
// It runs holding its turn (the document's, or an exclusive one), so its
// steps are atomic against every other write that could touch the same
// document.
type rewrite interface {
	// run returns the replies to req and what it did (an outcome).
	run(ctx context.Context, s *session, req request, u *usage) ([]message, outcome, error)
}

// outcome is what a rewrite did with a command, as devstoreStats counts it.
type outcome string

const (
	// outcomeRewritten: the command went to FerretDB with its filter
	// reduced to {_id: X}.
	outcomeRewritten outcome = "rewritten"
	// outcomeAnswered: nothing matched the guard and the devstore gave
	// FerretDB's no-match reply itself.
	outcomeAnswered outcome = "answered"
	// outcomeSplit: a find by a list of _ids became one lookup per _id.
	outcomeSplit outcome = "split"
	// outcomePassed: the command was checked but went to FerretDB as it was
	// (an upsert that will insert, or a check FerretDB refused).
	outcomePassed outcome = "passed"
)

// Below these sizes FerretDB's scan is cheaper than the rewrite, which
// costs one more FerretDB command (a guard's check) or one command per _id
// (a split $in); both give the same reply, so the choice is only about
// speed. Measured here (BenchmarkIDPath at 20 and 50 documents): with
// five-field documents a guard on 20 was 1.5 times slower rewritten and
// even at 50; a split $in of 20 _ids was 3 times slower on 20 documents
// and even on 50. With order-sized documents both won from 20 on.
const (
	minGuardRows     = 32
	minInListRowsPer = 3 // rows per _id listed
)

// rewriteFor returns the rewrite for c, or nil when c goes to FerretDB as
// it is. Only collections the index upkeep knows qualify (they exist, and
// their _id path is indexed), and only when large enough to gain.
func (g *gate) rewriteFor(c command) rewrite {
	if !g.pushdown || !c.parsed {
		return nil
	}
	rows := g.ids.rows(c.db, c.coll)
	if rows < minGuardRows {
		return nil
	}
	switch c.name {
	case "update":
		return planUpdate(c)
	case "findAndModify", "findandmodify":
		return planFindAndModify(c)
	case "delete":
		return planDelete(c)
	case "find":
		if rw := planFind(c); rw != nil {
			return rw
		}
		if rw := planInList(c); rw != nil && rows >= minInListRowsPer*int64(len(rw.ids)) {
			return rw
		}
	}
	return nil
}

// anchoredID returns X when filter has exactly one top-level _id, equal to
// a string or an ObjectId (the only values FerretDB pushes into SQL), and
// at least one other condition. Top-level operators other than $and, $or
// and $nor ($comment, $expr, $where, $text…) disqualify it: they mean
// something else in an aggregate's $match than in a query, or nothing.
func anchoredID(filter bson.Raw) (bson.RawValue, bool) {
	elems, err := filter.Elements()
	if err != nil || len(elems) < 2 {
		return bson.RawValue{}, false
	}
	var id bson.RawValue
	ids := 0
	for _, e := range elems {
		switch k := e.Key(); {
		case k == "_id":
			id = e.Value()
			ids++
		case k == "$and", k == "$or", k == "$nor":
		case strings.HasPrefix(k, "$"):
			return bson.RawValue{}, false
		}
	}
	if ids != 1 || (id.Type != bson.TypeString && id.Type != bson.TypeObjectID) {
		return bson.RawValue{}, false
	}
	return id, true
}

// onlyKeys reports whether allowed accepts every key of doc with its value.
// Keys outside a command's list (collation, arrayFilters, let, fields…)
// send the command to FerretDB unchanged, so that it answers them as it
// always does.
func onlyKeys(doc bson.Raw, allowed func(key string, v bson.RawValue) bool) bool {
	elems, err := doc.Elements()
	if err != nil {
		return false
	}
	for _, e := range elems {
		if !allowed(e.Key(), e.Value()) {
			return false
		}
	}
	return true
}

// Value checks for the key lists.
func isDoc(v bson.RawValue) bool    { return v.Type == bson.TypeEmbeddedDocument }
func isBool(v bson.RawValue) bool   { return v.Type == bson.TypeBoolean }
func isString(v bson.RawValue) bool { return v.Type == bson.TypeString }

// isEmptyDoc accepts an empty document: an empty sort sorts nothing.
func isEmptyDoc(v bson.RawValue) bool {
	d, ok := v.DocumentOK()
	return ok && len(d) == 5
}

// isNonNegative accepts a whole number of any numeric type, zero or more.
func isNonNegative(v bson.RawValue) bool {
	f, ok := v.AsFloat64OK()
	return ok && f >= 0 && f == float64(int64(f))
}

// isZero accepts a numeric zero, which FerretDB treats as absent.
func isZero(v bson.RawValue) bool {
	f, ok := v.AsFloat64OK()
	return ok && f == 0
}

// isPositive accepts a whole number of one or more.
func isPositive(v bson.RawValue) bool { return isNonNegative(v) && v.AsFloat64() >= 1 }

// isOne accepts the number 1 in any numeric type.
func isOne(v bson.RawValue) bool {
	f, ok := v.AsFloat64OK()
	return ok && f == 1
}

// numericBool reads a flag the way FerretDB's numericBool parameters do:
// a boolean, or a number that is true unless zero.
func numericBool(v bson.RawValue) (value, ok bool) {
	if b, ok := v.BooleanOK(); ok {
		return b, true
	}
	if f, ok := v.AsFloat64OK(); ok {
		return f != 0, true
	}
	return false, false
}

// isNumericBool accepts what numericBool can read.
func isNumericBool(v bson.RawValue) bool {
	_, ok := numericBool(v)
	return ok
}

// positionalProjection reports whether a projection uses the positional
// operator ("tags.$"), the one projection that reads the query's filter.
func positionalProjection(p bson.Raw) bool {
	elems, err := p.Elements()
	if err != nil {
		return true
	}
	for _, e := range elems {
		if strings.HasSuffix(e.Key(), "$") {
			return true
		}
	}
	return false
}

// commonKey accepts the keys any command may carry that FerretDB ignores
// or reads the same whatever the filter.
func commonKey(k string, v bson.RawValue) bool {
	switch k {
	case "$db":
		return isString(v)
	case "maxTimeMS":
		return isNonNegative(v)
	case "lsid", "txnNumber", "$clusterTime", "$readPreference", "writeConcern", "readConcern",
		"apiVersion", "apiStrict", "apiDeprecationErrors", "comment":
		return true
	}
	return false
}

// docValue wraps a document as a BSON value.
func docValue(d bson.Raw) bson.RawValue {
	return bson.RawValue{Type: bson.TypeEmbeddedDocument, Value: d}
}

// arrayValue builds a BSON array value of documents: a document keyed
// "0", "1"….
func arrayValue(docs ...bson.Raw) bson.RawValue {
	elems := make(bson.D, len(docs))
	for i, d := range docs {
		elems[i] = bson.E{Key: strconv.Itoa(i), Value: d}
	}
	return bson.RawValue{Type: bson.TypeArray, Value: mustMarshal(elems)}
}

// idFilter is the filter FerretDB pushes into SQL: {_id: X}.
func idFilter(id bson.RawValue) bson.Raw {
	return mustMarshal(bson.D{{Key: "_id", Value: id}})
}

// okReply reports whether a reply body says ok: 1.
func okReply(body bson.Raw) bool {
	f, ok := body.Lookup("ok").AsFloat64OK()
	return ok && f == 1
}

// firstBatch returns the documents of a cursor reply that needs no getMore.
func firstBatch(body bson.Raw) ([]bson.Raw, bool) {
	if !okReply(body) {
		return nil, false
	}
	if id, ok := body.Lookup("cursor", "id").AsInt64OK(); !ok || id != 0 {
		return nil, false
	}
	arr, ok := body.Lookup("cursor", "firstBatch").ArrayOK()
	if !ok {
		return nil, false
	}
	vals, err := arr.Values()
	if err != nil {
		return nil, false
	}
	docs := make([]bson.Raw, len(vals))
	for i, v := range vals {
		if docs[i], ok = v.DocumentOK(); !ok {
			return nil, false
		}
	}
	return docs, true
}
