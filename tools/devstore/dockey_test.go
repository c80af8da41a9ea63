package main

import (
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestDocKey(t *testing.T) {
	oid := bson.NewObjectID()
	upd := func(q bson.D, extra ...bson.E) bson.D {
		st := append(bson.D{{Key: "q", Value: q}, {Key: "u", Value: bson.D{{Key: "$inc", Value: bson.D{{Key: "n", Value: 1}}}}}}, extra...)
		return bson.D{{Key: "update", Value: "c"}, {Key: "updates", Value: bson.A{st}}, {Key: "$db", Value: "d"}}
	}
	id := func(v any) bson.D { return bson.D{{Key: "_id", Value: v}} }
	tests := []struct {
		name  string
		cmd   bson.D
		keyed bool
	}{
		{"insert of one", bson.D{{Key: "insert", Value: "c"}, {Key: "documents", Value: bson.A{id("x")}}, {Key: "$db", Value: "d"}}, true},
		{"insert of an ObjectId", bson.D{{Key: "insert", Value: "c"}, {Key: "documents", Value: bson.A{id(oid)}}, {Key: "$db", Value: "d"}}, true},
		{"insert of two", bson.D{{Key: "insert", Value: "c"}, {Key: "documents", Value: bson.A{id("x"), id("y")}}, {Key: "$db", Value: "d"}}, false},
		{"insert of a numeric _id", bson.D{{Key: "insert", Value: "c"}, {Key: "documents", Value: bson.A{id(int32(1))}}, {Key: "$db", Value: "d"}}, false},
		{"insert without _id", bson.D{{Key: "insert", Value: "c"}, {Key: "documents", Value: bson.A{bson.D{{Key: "v", Value: 1}}}}, {Key: "$db", Value: "d"}}, false},
		{"update by _id", upd(id("x")), true},
		{"update guarded by version", upd(bson.D{{Key: "_id", Value: "x"}, {Key: "version", Value: 3}}), true},
		{"upsert by _id", upd(id("x"), bson.E{Key: "upsert", Value: true}), true},
		{"update multi", upd(id("x"), bson.E{Key: "multi", Value: true}), false},
		{"update by another field", upd(bson.D{{Key: "status", Value: "PAID"}}), false},
		{"update by a list of _ids", upd(id(bson.D{{Key: "$in", Value: bson.A{"x", "y"}}})), false},
		{"update of two statements", bson.D{{Key: "update", Value: "c"}, {Key: "updates", Value: bson.A{
			bson.D{{Key: "q", Value: id("x")}, {Key: "u", Value: bson.D{}}}, bson.D{{Key: "q", Value: id("y")}, {Key: "u", Value: bson.D{}}}}}, {Key: "$db", Value: "d"}}, false},
		{"delete by _id", bson.D{{Key: "delete", Value: "c"}, {Key: "deletes", Value: bson.A{bson.D{{Key: "q", Value: id("x")}, {Key: "limit", Value: 1}}}}, {Key: "$db", Value: "d"}}, true},
		{"delete by another field", bson.D{{Key: "delete", Value: "c"}, {Key: "deletes", Value: bson.A{bson.D{{Key: "q", Value: bson.D{{Key: "v", Value: 1}}}, {Key: "limit", Value: 0}}}}, {Key: "$db", Value: "d"}}, false},
		{"findAndModify by _id", bson.D{{Key: "findAndModify", Value: "c"}, {Key: "query", Value: id("x")}, {Key: "update", Value: bson.D{}}, {Key: "$db", Value: "d"}}, true},
		{"findAndModify by another field", bson.D{{Key: "findAndModify", Value: "c"}, {Key: "query", Value: bson.D{{Key: "v", Value: 1}}}, {Key: "update", Value: bson.D{}}, {Key: "$db", Value: "d"}}, false},
		{"drop", bson.D{{Key: "drop", Value: "c"}, {Key: "$db", Value: "d"}}, false},
		{"createIndexes", bson.D{{Key: "createIndexes", Value: "c"}, {Key: "indexes", Value: bson.A{}}, {Key: "$db", Value: "d"}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := parseCommand(commandMsg(1, tt.cmd))
			key, keyed := docKey(c)
			if keyed != tt.keyed {
				t.Fatalf("keyed = %v (%q), want %v", keyed, key, tt.keyed)
			}
		})
	}

	// The same document in two commands gets one key; another document,
	// collection or database another.
	key := func(db, coll string, v any) string {
		k, _ := docKey(parseCommand(commandMsg(1, bson.D{{Key: "findAndModify", Value: coll}, {Key: "query", Value: id(v)},
			{Key: "update", Value: bson.D{}}, {Key: "$db", Value: db}})))
		return k
	}
	ins, _ := docKey(parseCommand(commandMsg(1, bson.D{{Key: "insert", Value: "c"}, {Key: "documents", Value: bson.A{id("x")}}, {Key: "$db", Value: "d"}})))
	if ins != key("d", "c", "x") {
		t.Error("an insert and a findAndModify of one document got different keys")
	}
	for _, other := range []string{key("d", "c", "y"), key("d", "c2", "x"), key("d2", "c", "x"), key("d", "c", bson.ObjectID{})} {
		if other == ins {
			t.Errorf("two documents share the key %q", other)
		}
	}
}
