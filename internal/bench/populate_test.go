package bench

import (
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// TestRewrite copies a document as populate does: every string, key and
// nested value renamed, every date moved, anything else kept.
func TestRewrite(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	src, err := bson.Marshal(bson.D{
		{Key: "_id", Value: "pay_ord_a"},
		{Key: "orderId", Value: "ord_a"},
		{Key: "amount", Value: bson.D{{Key: "amount", Value: int64(2900)}, {Key: "currency", Value: "USD"}}},
		{Key: "timeline", Value: bson.A{bson.D{{Key: "eventId", Value: "status:PAID"}, {Key: "at", Value: at}}, "ord_a:paid"}},
		{Key: "byOrder", Value: bson.D{{Key: "ord_a", Value: true}}},
		{Key: "createdAt", Value: at},
	})
	if err != nil {
		t.Fatal(err)
	}
	r := strings.NewReplacer("ord_a", "ord_b")
	out, err := bson.Marshal(rewrite(src, r, -time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		ID      string `bson:"_id"`
		OrderID string `bson:"orderId"`
		Amount  struct {
			Amount   int64
			Currency string
		}
		Timeline  bson.A          `bson:"timeline"`
		ByOrder   map[string]bool `bson:"byOrder"`
		CreatedAt time.Time       `bson:"createdAt"`
	}
	if err := bson.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != "pay_ord_b" || got.OrderID != "ord_b" || got.Amount.Amount != 2900 || got.Amount.Currency != "USD" || !got.ByOrder["ord_b"] {
		t.Fatalf("copy %+v", got)
	}
	if !got.CreatedAt.Equal(at.Add(-time.Hour)) {
		t.Fatalf("createdAt %s, want an hour earlier than %s", got.CreatedAt, at)
	}
	entry, ok := got.Timeline[0].(bson.D)
	if !ok || len(got.Timeline) != 2 || got.Timeline[1] != "ord_b:paid" {
		t.Fatalf("timeline %#v", got.Timeline)
	}
	if d, ok := entry[1].Value.(bson.DateTime); !ok || !d.Time().Equal(at.Add(-time.Hour)) {
		t.Fatalf("nested date %#v, want moved an hour back", entry[1].Value)
	}
}
