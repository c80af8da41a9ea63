package main

import (
	"regexp"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// FerretDB's error for an update that breaks a unique index: it writes the
// changed document back with an UPDATE that SQLite refuses, and passes
// SQLite's text on as an InternalError (code 1) instead of E11000. An
// insert, or an upsert that inserts, gets a proper E11000 already.
const (
	internalErrorCode  = 1
	sqliteUniqueFailed = "UNIQUE constraint failed"
	duplicateKeyCode   = 11000
)

// sqliteIndexName finds the index SQLite names in its constraint error:
// FerretDB's unique indexes are on expressions, which SQLite reports as
// "UNIQUE constraint failed: index '<table>_<index name>'".
var sqliteIndexName = regexp.MustCompile(`UNIQUE constraint failed: index '([^']+)'`)

// translateDuplicate turns FerretDB's internal error for a unique-index
// violation by update or findAndModify into the duplicate-key error MongoDB
// gives, so that drivers recognise it (mongo.IsDuplicateKeyError):
//   - update with one statement: ok 1 with writeErrors [{index 0, code
//     11000, errmsg}], n 0, nModified 0 — FerretDB writes a changed
//     document back in a transaction, so the statement changed nothing;
//   - update with several statements: FerretDB does not say which one
//     failed, nor what the others did, so it becomes a command error with
//     code 11000 rather than a writeError at an index that may be wrong;
//   - findAndModify: a command error with code 11000, as MongoDB gives.
//
// The message is MongoDB's: "E11000 duplicate key error collection:
// db.coll index: name" (without the dup key part, which FerretDB's error
// does not carry).
func (g *gate) translateDuplicate(c command, replies []message, u *usage) []message {
	if !c.parsed || len(replies) != 1 {
		return replies
	}
	isUpdate := c.name == "update"
	if !isUpdate && c.name != "findAndModify" && c.name != "findandmodify" {
		return replies
	}
	body, err := replyBody(replies[0])
	if err != nil || okReply(body) {
		return replies
	}
	code, _ := body.Lookup("code").AsInt64OK()
	errmsg, _ := body.Lookup("errmsg").StringValueOK()
	if code != internalErrorCode || !strings.Contains(errmsg, sqliteUniqueFailed) {
		return replies
	}

	text := "E11000 duplicate key error collection: " + c.db + "." + c.coll
	if name := g.uniqueIndexName(c.db, c.coll, errmsg); name != "" {
		text += " index: " + name
	}
	reply := mustMarshal(bson.D{
		{Key: "ok", Value: float64(0)},
		{Key: "errmsg", Value: text},
		{Key: "code", Value: int32(duplicateKeyCode)},
		{Key: "codeName", Value: "DuplicateKey"},
	})
	if _, _, single := statement(c, "updates"); isUpdate && single {
		reply = mustMarshal(bson.D{
			{Key: "n", Value: int32(0)},
			{Key: "nModified", Value: int32(0)},
			{Key: "writeErrors", Value: bson.A{bson.D{
				{Key: "index", Value: int32(0)},
				{Key: "code", Value: int32(duplicateKeyCode)},
				{Key: "errmsg", Value: text},
			}}},
			{Key: "ok", Value: float64(1)},
		})
	}
	u.duplicates++
	return []message{newReply(replies[0].responseTo(), reply)}
}

// uniqueIndexName returns the MongoDB name of the index SQLite's error
// names: FerretDB names its SQLite index "<table>_<index name>". It returns
// "" when the error or the table is not known.
func (g *gate) uniqueIndexName(db, coll, errmsg string) string {
	m := sqliteIndexName.FindStringSubmatch(errmsg)
	if m == nil {
		return ""
	}
	table, ok := g.ids.table(db, coll)
	if !ok {
		return ""
	}
	name, ok := strings.CutPrefix(m[1], table+"_")
	if !ok {
		return ""
	}
	return name
}
