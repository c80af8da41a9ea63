package main

import (
	"go.mongodb.org/mongo-driver/v2/bson"
)

// docKey returns the one document a write can touch, when the command
// names it: an insert of one document with an _id, or an update, delete or
// findAndModify of one statement whose filter has a top-level _id equal to
// a string or an ObjectId (with or without other conditions: they can only
// narrow the match to nothing). An upsert of such a filter inserts that _id
// too. The gate lets writes to different documents run side by side and
// keeps the rest (a multi-document write, a filter on other fields, any
// command it does not read) exclusive; see gate.
//
// Only strings and ObjectIds qualify because only they compare equal
// exactly when their bytes do: the numbers 1 and 1.0 are the same _id with
// different bytes, and would get two keys for one document.
func docKey(c command) (string, bool) {
	if !c.parsed || c.db == "" || c.coll == "" {
		return "", false
	}
	var id bson.RawValue
	switch c.name {
	case "insert":
		docs, ok := c.parts.sequence("documents")
		if !ok {
			arr, isArr := c.parts.body.Lookup("documents").ArrayOK()
			if !isArr {
				return "", false
			}
			vals, err := arr.Values()
			if err != nil || len(vals) != 1 {
				return "", false
			}
			d, isDoc := vals[0].DocumentOK()
			if !isDoc {
				return "", false
			}
			docs = []bson.Raw{d}
		}
		if len(docs) != 1 {
			return "", false
		}
		id = docs[0].Lookup("_id")
	case "update", "delete":
		field := "updates"
		if c.name == "delete" {
			field = "deletes"
		}
		st, _, ok := statement(c, field)
		if !ok {
			return "", false
		}
		if multi, _ := numericBool(st.Lookup("multi")); multi {
			return "", false
		}
		q, ok := st.Lookup("q").DocumentOK()
		if !ok {
			return "", false
		}
		id = q.Lookup("_id")
	case "findAndModify", "findandmodify":
		q, ok := c.parts.body.Lookup("query").DocumentOK()
		if !ok {
			return "", false
		}
		id = q.Lookup("_id")
	default:
		return "", false
	}
	if id.Type != bson.TypeString && id.Type != bson.TypeObjectID {
		return "", false
	}
	return c.db + "\x00" + c.coll + "\x00" + string(id.Type) + string(id.Value), true
}
