package main

import (
	"errors"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// TestDuplicateKeyErrors checks, with the real driver against the real
// FerretDB, that every write that breaks a unique index fails with an error
// the driver recognises as a duplicate key, and changes nothing. Bare
// FerretDB (-gate=false) answers the updates with an internal error: the
// test shows that too, so that it fails if the translation goes.
func TestDuplicateKeyErrors(t *testing.T) {
	stores := map[string]*testStore{
		"devstore":    startStore(t, t.TempDir()),
		"no pushdown": startStore(t, t.TempDir(), "-pushdown=false"),
		"bare":        startStore(t, t.TempDir(), "-gate=false"),
	}
	set := func(email string) bson.D { return bson.D{{Key: "$set", Value: bson.D{{Key: "email", Value: email}}}} }
	byID := func(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }
	// A guard: rewritten by the devstore to a write by _id.
	guarded := bson.D{{Key: "_id", Value: "b"}, {Key: "email", Value: "b@x"}}
	upsert := options.UpdateOne().SetUpsert(true)

	tests := []struct {
		name string
		// bareIsDuplicate: FerretDB alone already reports a duplicate.
		bareIsDuplicate bool
		// index: the message names the index.
		index bool
		write func(c *mongo.Collection) error
	}{
		{"insert", true, false, func(c *mongo.Collection) error {
			_, err := c.InsertOne(t.Context(), bson.D{{Key: "_id", Value: "c"}, {Key: "email", Value: "a@x"}})
			return err
		}},
		{"updateOne by _id", false, true, func(c *mongo.Collection) error {
			_, err := c.UpdateOne(t.Context(), byID("b"), set("a@x"))
			return err
		}},
		{"updateOne guarded", false, true, func(c *mongo.Collection) error {
			_, err := c.UpdateOne(t.Context(), guarded, set("a@x"))
			return err
		}},
		{"updateMany", false, true, func(c *mongo.Collection) error {
			_, err := c.UpdateMany(t.Context(), byID("b"), set("a@x"))
			return err
		}},
		{"replaceOne", false, true, func(c *mongo.Collection) error {
			_, err := c.ReplaceOne(t.Context(), guarded, bson.D{{Key: "email", Value: "a@x"}})
			return err
		}},
		{"bulk of two updates", false, true, func(c *mongo.Collection) error {
			_, err := c.BulkWrite(t.Context(), []mongo.WriteModel{
				mongo.NewUpdateOneModel().SetFilter(byID("b")).SetUpdate(set("b2@x")),
				mongo.NewUpdateOneModel().SetFilter(byID("b")).SetUpdate(set("a@x")),
			})
			return err
		}},
		{"findOneAndUpdate", false, true, func(c *mongo.Collection) error {
			return c.FindOneAndUpdate(t.Context(), guarded, set("a@x")).Err()
		}},
		{"findOneAndReplace", false, true, func(c *mongo.Collection) error {
			return c.FindOneAndReplace(t.Context(), byID("b"), bson.D{{Key: "email", Value: "a@x"}}).Err()
		}},
		{"upsert inserting", true, false, func(c *mongo.Collection) error {
			_, err := c.UpdateOne(t.Context(), byID("new"), set("a@x"), upsert)
			return err
		}},
		{"findOneAndUpdate upsert inserting", true, false, func(c *mongo.Collection) error {
			return c.FindOneAndUpdate(t.Context(), byID("new"), set("a@x"), options.FindOneAndUpdate().SetUpsert(true)).Err()
		}},
	}
	for name, s := range stores {
		t.Run(name, func(t *testing.T) {
			ctx := testContext(t)
			client := connect(t, s.uri)
			for i, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					coll := client.Database("dup").Collection(strings.ReplaceAll(tt.name, " ", "_"))
					if _, err := coll.Indexes().CreateOne(ctx, mongo.IndexModel{
						Keys: bson.D{{Key: "email", Value: 1}}, Options: options.Index().SetUnique(true),
					}); err != nil {
						t.Fatal(err)
					}
					if _, err := coll.InsertMany(ctx, fillers(minGuardRows, "a", "b")); err != nil {
						t.Fatal(err)
					}

					err := tt.write(coll)
					if err == nil {
						t.Fatalf("write %d succeeded", i)
					}
					if name == "bare" {
						if got := mongo.IsDuplicateKeyError(err); got != tt.bareIsDuplicate {
							t.Fatalf("bare FerretDB: IsDuplicateKeyError = %v, want %v (%v)", got, tt.bareIsDuplicate, err)
						}
						return
					}
					if !mongo.IsDuplicateKeyError(err) {
						t.Fatalf("IsDuplicateKeyError is false for %v", err)
					}
					msg := "E11000 duplicate key error collection: dup." + coll.Name()
					if tt.index {
						msg += " index: email_1"
					}
					if !strings.Contains(err.Error(), msg) {
						t.Errorf("error %q does not say %q", err, msg)
					}
					var we mongo.WriteException
					if errors.As(err, &we) && (len(we.WriteErrors) != 1 || we.WriteErrors[0].Index != 0 && tt.name != "bulk of two updates") {
						t.Errorf("write errors %v, want one, for statement 0", we.WriteErrors)
					}
					if tt.name != "bulk of two updates" {
						checkEmails(t, coll, "a@x", "b@x")
					}
				})
			}
		})
	}
}

// checkEmails fails t unless documents a and b hold the emails given.
func checkEmails(t *testing.T, coll *mongo.Collection, a, b string) {
	t.Helper()
	want := map[string]string{"a": a, "b": b}
	cur, err := coll.Find(t.Context(), bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: bson.A{"a", "b"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	var docs []struct {
		ID    string `bson:"_id"`
		Email string
	}
	if err := cur.All(t.Context(), &docs); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range docs {
		got[d.ID] = d.Email
	}
	if len(got) != len(want) {
		t.Fatalf("documents %v, want %v", got, want)
	}
	for id, email := range want {
		if got[id] != email {
			t.Fatalf("documents %v, want %v", got, want)
		}
	}
}
