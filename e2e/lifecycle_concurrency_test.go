package e2e

import (
	"context"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/orderly-shop/orderly"
)

// TestLifecycleConcurrentOrdersForScarceStock races twelve customers, each
// checking out one unit, for a product with five left. The reservations run
// in the worker process while the server process serves the race, all
// against one store: exactly five orders complete, the other seven end
// FAILED for lack of stock, with nothing to compensate, and the stock ends at
// zero without ever going negative.
func TestLifecycleConcurrentOrdersForScarceStock(t *testing.T) {
	parallel(t)
	const racers, left = 12, 5
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalNever, time.Hour)
	c := s.customer(t)

	// Make the tent scarce the way a shop would: sell most of it.
	tent := productBySKU(t, c, "OUT-003")
	if tent.Stock <= left {
		t.Fatalf("seeded stock %d, want more than %d", tent.Stock, left)
	}
	first := buy(t, c, tent.ID, tent.Stock-left)
	waitFinal(t, c, first.ID, time.Minute, orderly.StatusCompleted)
	if got := waitStock(t, c, tent.ID, left); got != left {
		t.Fatalf("stock after the first order %d, want %d", got, left)
	}

	customers := make([]*client, racers)
	for i := range customers {
		customers[i] = s.register(t, fmt.Sprintf("racer%d", i))
		addToCart(t, customers[i], tent.ID, 1)
	}

	// Watch the stock while the race runs.
	var lowest atomic.Int64
	lowest.Store(left)
	watchCtx, stopWatch := context.WithCancel(t.Context())
	watched := make(chan struct{})
	go func() {
		defer close(watched)
		for watchCtx.Err() == nil {
			var p struct {
				Stock int64 `bson:"stock"`
			}
			err := db.raw.Collection("products").FindOne(watchCtx, bson.D{{Key: "_id", Value: tent.ID}}).Decode(&p)
			if err == nil && p.Stock < lowest.Load() {
				lowest.Store(p.Stock)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()

	start := make(chan struct{})
	orders := make([]string, racers)
	var refused atomic.Int32
	var wg sync.WaitGroup
	for i, rc := range customers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			var out struct {
				PlaceOrder struct {
					Order  *struct{ ID string }
					Errors []userError
				}
			}
			errs, err := rc.do(t.Context(), `mutation($k: String!) { placeOrder(input: {idempotencyKey: $k, shippingAddress: {
				name: "Racer", line1: "1 Fast Lane", city: "Leeds", postalCode: "LS1", country: "GB"}}) {
				order { id } errors { code message } } }`, map[string]any{"k": fmt.Sprintf("race-%d", i)}, &out)
			switch {
			case err != nil || len(errs) > 0:
				t.Errorf("racer %d: placeOrder: %v %+v", i, err, errs)
			case out.PlaceOrder.Order != nil:
				orders[i] = out.PlaceOrder.Order.ID
			case len(out.PlaceOrder.Errors) == 1 && out.PlaceOrder.Errors[0].Code == orderly.EOUTOFSTOCK:
				refused.Add(1) // refused at checkout: clean too
			default:
				t.Errorf("racer %d: placeOrder: %+v", i, out.PlaceOrder.Errors)
			}
		}()
	}
	close(start)
	wg.Wait()

	// Refused by the sourcing rule, or by the location's guard when a
	// racer took the last unit in between (which names the location).
	outOfStock := regexp.MustCompile(`^inventory reservation failed: not enough Ridge Two-Person Tent in stock( at [^:]+)?: 1 wanted, \d+ available$`)
	completed, failed := 0, 0
	for i, id := range orders {
		if id == "" {
			continue
		}
		o := waitOrder(t, customers[i], id, 2*time.Minute, "a final status", func(o fullOrder) bool {
			return orderly.OrderStatus(o.Status).IsFinal()
		})
		switch o.Status {
		case string(orderly.StatusCompleted):
			completed++
		case string(orderly.StatusFailed):
			failed++
			if !outOfStock.MatchString(o.reason()) {
				t.Errorf("order %s failed with %q, want the out-of-stock reason", id, o.reason())
			}
			if contains(o.statusPath(), string(orderly.StatusInventoryReserved)) || o.Ledger != nil {
				t.Errorf("a failed racer reserved or paid: %v %+v", o.statusPath(), o.Ledger)
			}
			if got := o.entries(string(orderly.EntryCompensation), `.`); len(got) > 0 {
				t.Errorf("a racer that never reserved compensated: %v", got)
			}
		default:
			t.Errorf("order %s ended %s (%q)", id, o.Status, o.reason())
		}
	}
	stopWatch()
	<-watched

	t.Logf("%d completed, %d failed in the workflow, %d refused at checkout; lowest stock seen %d", completed, failed, refused.Load(), lowest.Load())
	if completed != left {
		t.Errorf("%d orders completed, want exactly the %d units in stock", completed, left)
	}
	if completed+failed+int(refused.Load()) != racers {
		t.Errorf("%d completed + %d failed + %d refused != %d racers", completed, failed, refused.Load(), racers)
	}
	if lowest.Load() < 0 {
		t.Errorf("stock went down to %d", lowest.Load())
	}
	stock, res := db.stock(t, tent.ID)
	if api := waitStock(t, c, tent.ID, 0); stock != 0 || len(res) != 0 || api != 0 {
		t.Errorf("final stock %d with reservations %v, %d through the API, want 0 and none", stock, res, api)
	}
	db.checkInvariants(t)
}
