package mongodb

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"

	"github.com/orderly-shop/orderly"
)

// findRecorder keeps the filter of every find the driver sends.
type findRecorder struct {
	mu    sync.Mutex
	finds []recordedFind
}

type recordedFind struct {
	coll   string
	filter bson.Raw
}

func (r *findRecorder) monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName != "find" {
			return
		}
		coll, _ := e.Command.Lookup("find").StringValueOK()
		filter, _ := e.Command.Lookup("filter").DocumentOK()
		r.mu.Lock()
		defer r.mu.Unlock()
		r.finds = append(r.finds, recordedFind{coll: coll, filter: slices.Clone(filter)})
	}}
}

// pointLookups returns the distinct finds whose filter is exactly one _id
// value (not an operator): the reads every hot path is built from.
func (r *findRecorder) pointLookups() []recordedFind {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	var out []recordedFind
	for _, f := range r.finds {
		elems, err := f.filter.Elements()
		if err != nil || len(elems) != 1 || elems[0].Key() != "_id" || elems[0].Value().Type == bson.TypeEmbeddedDocument {
			continue
		}
		key := f.coll + " " + elems[0].Value().Type.String()
		if !seen[key] {
			seen[key] = true
			out = append(out, f)
		}
	}
	return out
}

// TestPointLookupsAreIndexed records every find by one _id that an order's
// life and the change feed send — reading the order, the change log, the
// counter, products, carts — and asks the store how it runs each. On the
// embedded store, whose SQL pushdown serves only a string or ObjectId _id by
// index (anything else decodes the whole collection), each must be pushed
// down; on MongoDB none may scan. The change log was once keyed by a number:
// every read of it scanned the log.
func TestPointLookupsAreIndexed(t *testing.T) {
	ctx := context.Background()
	rec := &findRecorder{}
	db := newTestDBWith(t, WithCommandMonitor(rec.monitor()))
	orders := NewOrderService(db)
	f := startFeed(t, db, FeedOptions{})
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := f.Subscribe(sctx, nil)

	p := insertProduct(t, db, orderly.Product{Stock: 5})
	o := createOrder(t, orders, "cus_a", "k")
	if err := NewInventoryService(db).ReserveStock(ctx, o.ID, plan(parcel(legacyLocationID, p.ID, 1))); err != nil {
		t.Fatal(err)
	}
	if _, err := orders.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: "e1", Kind: orderly.EntryInfo}); err != nil {
		t.Fatal(err)
	}
	if _, err := NewCartService(db, nil).FindCart(ctx, "cus_a"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, ch, 30*time.Second, func(c orderly.Change) bool { return c.Kind == orderly.ChangeOrder && c.Version == 2 })

	lookups := rec.pointLookups()
	colls := map[string]bool{}
	for _, l := range lookups {
		colls[l.coll] = true
	}
	for _, want := range []string{colOrders, colChanges, colCounters, colCarts} {
		if !colls[want] {
			t.Errorf("no find by _id on %s was recorded (recorded: %v)", want, colls)
		}
	}
	for _, l := range lookups {
		t.Run(l.coll, func(t *testing.T) {
			var res bson.Raw
			cmd := bson.D{{Key: "find", Value: l.coll}, {Key: "filter", Value: l.filter}}
			if err := db.db.RunCommand(ctx, bson.D{{Key: "explain", Value: cmd}, {Key: "verbosity", Value: "queryPlanner"}}).Decode(&res); err != nil {
				t.Fatalf("explain: %v", err)
			}
			if pushed, ok := res.Lookup("filterPushdown").BooleanOK(); ok {
				if !pushed {
					t.Fatalf("find %s on %s is not pushed down: it decodes the whole collection", l.filter, l.coll)
				}
				return
			}
			plan, err := res.LookupErr("queryPlanner", "winningPlan")
			if err != nil {
				t.Fatalf("explain says neither pushdown nor plan: %v", res)
			}
			if stages := planStages(plan); slices.Contains(stages, "COLLSCAN") {
				t.Fatalf("find %s on %s scans: %v", l.filter, l.coll, stages)
			}
		})
	}
}
