package main

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// queryPlans returns SQLite's plan for each of FerretDB's statements by
// _id on the table of collection coll in database db, read from the
// database file beside the running store.
func queryPlans(t *testing.T, dir, db, coll string) map[string]string {
	t.Helper()
	conn, err := sql.Open("sqlite", "file:"+filepath.Join(dir, db+sqliteExt)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var table string
	if err := conn.QueryRow("SELECT table_name FROM "+collectionsTable+" WHERE name = ?", coll).Scan(&table); err != nil {
		t.Fatalf("table of %s.%s: %v", db, coll, err)
	}
	// FerretDB v1.24.2's statements by _id (internal/backends/sqlite/
	// collection.go): Query with the filter {_id: X}, UpdateAll writing a
	// document back, DeleteAll deleting by _id.
	statements := map[string]string{
		"select": `SELECT  _ferretdb_sjson FROM %s WHERE _ferretdb_sjson->'$._id' = ?`,
		"update": `UPDATE %s SET _ferretdb_sjson = ? WHERE _ferretdb_sjson->'$._id' = ?`,
		"delete": `DELETE FROM %s WHERE _ferretdb_sjson->'$._id' IN (?)`,
	}
	plans := map[string]string{}
	for name, stmt := range statements {
		args := []any{`"x"`}
		if name == "update" {
			args = []any{`{"_id":"x"}`, `"x"`}
		}
		rows, err := conn.Query("EXPLAIN QUERY PLAN "+fmt.Sprintf(stmt, quoteIdent(table)), args...)
		if err != nil {
			t.Fatalf("%s on %s: %v", name, table, err)
		}
		var details []string
		for rows.Next() {
			var id, parent, notUsed int
			var detail string
			if err := rows.Scan(&id, &parent, &notUsed, &detail); err != nil {
				t.Fatal(err)
			}
			details = append(details, detail)
		}
		rows.Close()
		plans[name] = strings.Join(details, "; ")
	}
	return plans
}

// checkIndexed fails t unless every statement by _id searches the
// devstore's index on the collection's table.
func checkIndexed(t *testing.T, dir, db, coll string) {
	t.Helper()
	for name, plan := range queryPlans(t, dir, db, coll) {
		if !strings.Contains(plan, "USING INDEX "+idIndexNamePrefix) {
			t.Errorf("%s.%s: %s plan is %q, want a search using the devstore's _id index", db, coll, name, plan)
		}
	}
}

func TestIDIndexOnEveryCollection(t *testing.T) {
	dir := t.TempDir()
	doc := bson.D{{Key: "_id", Value: "x"}, {Key: "n", Value: 1}}

	// A collection written by FerretDB without the devstore's index, as
	// every collection of a store kept from before it existed.
	bare := startStore(t, dir, "-id-index=false")
	ctx := testContext(t)
	c := connect(t, bare.uri)
	if _, err := c.Database("shop").Collection("old").InsertOne(ctx, doc); err != nil {
		t.Fatal(err)
	}
	_ = c.Disconnect(ctx)
	bare.stop()
	for name, plan := range queryPlans(t, dir, "shop", "old") {
		if !strings.HasPrefix(plan, "SCAN ") {
			t.Fatalf("without the index, FerretDB's %s plan is %q, want a scan: the test cannot tell", name, plan)
		}
	}

	s := startStore(t, dir)
	c = connect(t, s.uri)
	db := c.Database("shop")
	t.Run("existing at start-up", func(t *testing.T) { checkIndexed(t, dir, "shop", "old") })

	upsert := options.UpdateOne().SetUpsert(true)
	created := []struct {
		coll   string
		create func(*mongo.Collection) error
	}{
		{"inserted", func(c *mongo.Collection) error { _, err := c.InsertOne(ctx, doc); return err }},
		{"upserted", func(c *mongo.Collection) error {
			_, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "x"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 1}}}}, upsert)
			return err
		}},
		// FerretDB creates the collection of any update, even one that
		// matches nothing and inserts nothing.
		{"updated", func(c *mongo.Collection) error {
			_, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: "x"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 1}}}})
			return err
		}},
		{"find-and-modify-upserted", func(c *mongo.Collection) error {
			return c.FindOneAndUpdate(ctx, bson.D{{Key: "_id", Value: "x"}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 1}}}},
				options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After)).Err()
		}},
		{"index-created", func(c *mongo.Collection) error {
			_, err := c.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: bson.D{{Key: "n", Value: 1}}})
			return err
		}},
		{"created", func(c *mongo.Collection) error { return c.Database().CreateCollection(ctx, c.Name()) }},
	}
	for _, tt := range created {
		t.Run("created by "+tt.coll, func(t *testing.T) {
			if err := tt.create(db.Collection(tt.coll)); err != nil {
				t.Fatal(err)
			}
			checkIndexed(t, dir, "shop", tt.coll)
		})
	}

	t.Run("dropped and created again", func(t *testing.T) {
		coll := db.Collection("recreated")
		for range 2 {
			if _, err := coll.InsertOne(ctx, doc); err != nil {
				t.Fatal(err)
			}
			checkIndexed(t, dir, "shop", "recreated")
			if err := coll.Drop(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := coll.InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
		checkIndexed(t, dir, "shop", "recreated")
	})

	t.Run("database dropped and created again", func(t *testing.T) {
		coll := c.Database("other").Collection("orders")
		if _, err := coll.InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
		if err := coll.Database().Drop(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := coll.InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
		checkIndexed(t, dir, "other", "orders")
	})

	t.Run("renamed", func(t *testing.T) {
		if _, err := db.Collection("before").InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
		err := c.Database("admin").RunCommand(ctx, bson.D{
			{Key: "renameCollection", Value: "shop.before"}, {Key: "to", Value: "shop.after"},
		}).Err()
		if err != nil {
			t.Fatal(err)
		}
		checkIndexed(t, dir, "shop", "after")
	})

	// The index is invisible to the application.
	t.Run("not listed", func(t *testing.T) {
		specs, err := db.Collection("inserted").Indexes().ListSpecifications(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(specs) != 1 || specs[0].Name != "_id_" {
			t.Errorf("indexes listed: %v, want only _id_", specs)
		}
	})

	stats := storeStats(ctx, t, c)
	if n, _ := stats.Lookup("idIndexesCreated").AsInt64OK(); n < int64(len(created))+4 {
		t.Errorf("idIndexesCreated = %d, want at least %d", n, len(created)+4)
	}
}

// TestIDIndexLeavesUnknownDatabasesAlone checks that looking for a table
// never creates a database file: FerretDB lists a database per file.
func TestIDIndexLeavesUnknownDatabasesAlone(t *testing.T) {
	dir := t.TempDir()
	x := newIDIndex(dir, true, testTimeout, discardLog(), nil)
	ctx := context.Background()
	if err := x.scan(ctx, "nothere", "c"); err != nil {
		t.Fatal(err)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*")); len(m) != 0 {
		t.Fatalf("files created: %v", m)
	}
	if x.known("nothere", "c") {
		t.Fatal("a collection of a missing database is known")
	}
}
