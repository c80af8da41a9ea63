package main

import (
	"bytes"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
)

func TestSectionsRoundTrip(t *testing.T) {
	body := mustMarshal(bson.D{{Key: "update", Value: "c"}, {Key: "$db", Value: "d"}})
	st := mustMarshal(bson.D{{Key: "q", Value: bson.D{{Key: "_id", Value: "x"}}}, {Key: "u", Value: bson.D{}}})
	in := sections{body: body, seqs: []docSequence{{id: "updates", docs: []bson.Raw{st, st}}}}
	m := in.encode(7, 3)
	if m.requestID() != 7 || m.responseTo() != 3 || m.opCode() != opMsg || m.commandName() != "update" {
		t.Fatalf("header or command wrong: id %d, to %d, op %d, %q", m.requestID(), m.responseTo(), m.opCode(), m.commandName())
	}
	out, err := parseSections(m)
	if err != nil {
		t.Fatal(err)
	}
	docs, ok := out.sequence("updates")
	if !bytes.Equal(out.body, body) || !ok || len(docs) != 2 || !bytes.Equal(docs[1], st) {
		t.Fatalf("round trip: body %v, sequence %v", out.body, docs)
	}
	for _, cut := range []int{1, 5, len(m) - len(body) - 1} {
		bad := append(message(nil), m[:len(m)-cut]...)
		if _, err := parseSections(bad); err == nil {
			t.Errorf("message cut by %d bytes parsed", cut)
		}
	}
}

func TestReplaceField(t *testing.T) {
	doc := mustMarshal(bson.D{{Key: "a", Value: int32(1)}, {Key: "q", Value: bson.D{{Key: "x", Value: 1}}}, {Key: "z", Value: "s"}})
	id := mustMarshal(bson.D{{Key: "s", Value: "id"}}).Lookup("s")
	got := replaceField(doc, "q", docValue(idFilter(id)))
	want := mustMarshal(bson.D{{Key: "a", Value: int32(1)}, {Key: "q", Value: bson.D{{Key: "_id", Value: "id"}}}, {Key: "z", Value: "s"}})
	if !bytes.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestAnchoredID(t *testing.T) {
	oid := bson.NewObjectID()
	tests := []struct {
		name   string
		filter bson.D
		want   bool
	}{
		{"string _id and a guard", bson.D{{Key: "_id", Value: "x"}, {Key: "v", Value: 7}}, true},
		{"ObjectId _id and a guard", bson.D{{Key: "v", Value: 7}, {Key: "_id", Value: oid}}, true},
		{"with $or", bson.D{{Key: "_id", Value: "x"}, {Key: "$or", Value: bson.A{bson.D{{Key: "a", Value: 1}}}}}, true},
		{"_id alone (FerretDB pushes it itself)", bson.D{{Key: "_id", Value: "x"}}, false},
		{"numeric _id", bson.D{{Key: "_id", Value: 1}, {Key: "v", Value: 7}}, false},
		{"_id condition", bson.D{{Key: "_id", Value: bson.D{{Key: "$gt", Value: "x"}}}, {Key: "v", Value: 7}}, false},
		{"two _id", bson.D{{Key: "_id", Value: "x"}, {Key: "_id", Value: "y"}}, false},
		{"$comment", bson.D{{Key: "_id", Value: "x"}, {Key: "$comment", Value: "c"}}, false},
		{"$expr", bson.D{{Key: "_id", Value: "x"}, {Key: "$expr", Value: bson.D{}}}, false},
		{"no _id", bson.D{{Key: "a", Value: 1}, {Key: "b", Value: 1}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, got := anchoredID(mustMarshal(tt.filter)); got != tt.want {
				t.Errorf("anchoredID = %v, want %v", got, tt.want)
			}
		})
	}
}
