package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/workflows"
)

// The demo's split: the microphone is stocked only in US East, the chef's
// knife only in the EU (mongodb.demoCatalog).
const (
	skuOnlyUSEast = "AUD-003"
	skuOnlyEU     = "KIT-003"
)

// buySplit puts one microphone and one knife in the cart and checks out to
// a US address: no location has both, so the order ships as two parcels,
// US East's first (the shipping country's).
func buySplit(t testing.TB, c *client) (placedOrder, product, product) {
	t.Helper()
	mic, knife := productBySKU(t, c, skuOnlyUSEast), productBySKU(t, c, skuOnlyEU)
	addToCart(t, c, mic.ID, 1)
	addToCart(t, c, knife.ID, 1)
	var out struct {
		PlaceOrder struct {
			Order  *placedOrder
			Errors []userError
		}
	}
	c.mustDo(t, `mutation($k: String!) { placeOrder(input: {idempotencyKey: $k, paymentMethod: {cardNumber: "4242 4242 4242 4242"},
		shippingAddress: {name: "Ada Lovelace", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US"}}) {
		order { id status version } errors { code message field } } }`,
		map[string]any{"k": fmt.Sprintf("split-%d", time.Now().UnixNano())}, &out)
	if len(out.PlaceOrder.Errors) > 0 || out.PlaceOrder.Order == nil {
		t.Fatalf("placeOrder: %+v", out.PlaceOrder.Errors)
	}
	return *out.PlaceOrder.Order, mic, knife
}

// unitsAt reads a product's units at each location over GraphQL.
func unitsAt(t testing.TB, c *client, productID string) map[string]int {
	t.Helper()
	var out struct {
		Product *struct {
			Availability []struct {
				Location  struct{ ID string }
				Available int
			}
		}
	}
	c.mustDo(t, `query($id: ID!) { product(id: $id) { availability { location { id } available } } }`, map[string]any{"id": productID}, &out)
	if out.Product == nil {
		t.Fatalf("product %s not found", productID)
	}
	m := map[string]int{}
	for _, a := range out.Product.Availability {
		m[a.Location.ID] = a.Available
	}
	return m
}

// waitUnitsAt polls unitsAt until a location holds want (the catalog follows
// the change feed), for up to ten seconds.
func waitUnitsAt(t testing.TB, c *client, productID, locationID string, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := unitsAt(t, c, productID)[locationID]
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSplitShipments runs orders split across two stock locations through
// the real server and worker: one ShippingWorkflow per parcel, a capture
// per parcel at its dispatch, the order PARTIALLY_SHIPPED and
// PARTIALLY_DELIVERED on its way to COMPLETED; and a parcel that fails for
// good: its unit back at its location, its part of the hold voided, the
// other parcel delivered and the order COMPLETED.
func TestSplitShipments(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, 10*time.Minute)
	east, eu := orderly.LocationIDFor("us-east"), orderly.LocationIDFor("eu")

	// One after the other: the second counts the EU's knives.
	t.Run("two locations, two parcels, two captures", func(t *testing.T) {
		c := s.register(t, "split")
		order, mic, knife := buySplit(t, c)
		waitStatus(t, c, order.ID, time.Minute, orderly.StatusAwaitingApproval)
		s.approve(t, order.ID)
		o := waitFinal(t, c, order.ID, 2*time.Minute, orderly.StatusCompleted)
		path := o.statusPath()
		for _, st := range []orderly.OrderStatus{orderly.StatusShipping, orderly.StatusPartiallyShipped, orderly.StatusShipped,
			orderly.StatusPartiallyDelivered, orderly.StatusDelivered, orderly.StatusCompleted} {
			if !contains(path, string(st)) {
				t.Errorf("status path %v lacks %s", path, st)
			}
		}
		if len(o.Shipments) != 2 {
			t.Fatalf("shipments %+v, want two parcels", o.Shipments)
		}
		for i, want := range []struct{ loc, product string }{{east, mic.ID}, {eu, knife.ID}} {
			sh := o.Shipments[i]
			if sh.ID != workflows.ShipmentIDFor(order.ID, i+1) || sh.Location == nil || sh.Location.ID != want.loc ||
				sh.Status != string(orderly.ShipmentDelivered) || len(sh.Lines) != 1 || sh.Lines[0].ProductID != want.product {
				t.Errorf("parcel %d = %+v, want %s from %s, delivered", i+1, sh, want.product, want.loc)
			}
		}
		if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "CAPTURE", "CAPTURE"}) || !o.captured() {
			t.Errorf("ledger %v (%+v), want the total held, then captured in two parts", kinds, o.Ledger)
		}
		db.checkProviderMatches(t, o)
		// One shipping workflow per parcel, each run on the shipping queue.
		tc := s.temporal(t)
		for i := 1; i <= 2; i++ {
			id := workflows.ShippingWorkflowIDFor(workflows.ShipmentIDFor(order.ID, i))
			d, err := tc.DescribeWorkflowExecution(t.Context(), id, "")
			if err != nil || d.GetWorkflowExecutionInfo().GetTaskQueue() != workflows.TaskQueueShipping {
				t.Errorf("shipping workflow %s: %v, %+v", id, err, d.GetWorkflowExecutionInfo())
			}
		}
	})
	t.Run("a parcel that fails for good: its unit back, its part voided, the order completes", func(t *testing.T) {
		c := s.register(t, "split-fail")
		knifeAtEU := unitsAt(t, c, productBySKU(t, c, skuOnlyEU).ID)[eu]
		order, _, knife := buySplit(t, c)
		waitStatus(t, c, order.ID, time.Minute, orderly.StatusAwaitingApproval)
		mustAct(t, s.op, "simulateFailure", map[string]any{"orderId": order.ID, "step": "SHIPPING", "mode": "PERMANENT",
			"shipmentId": workflows.ShipmentIDFor(order.ID, 2)})
		s.approve(t, order.ID)
		o := waitFinal(t, c, order.ID, 2*time.Minute, orderly.StatusCompleted)
		if len(o.Shipments) != 2 || o.Shipments[0].Status != string(orderly.ShipmentDelivered) || o.Shipments[1].Status != string(orderly.ShipmentFailed) {
			t.Fatalf("shipments %+v, want the US East parcel delivered and the EU one failed", o.Shipments)
		}
		if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "CAPTURE", "VOID"}) {
			t.Errorf("ledger %v, want held, one capture, the rest voided", kinds)
		}
		if o.Ledger.Voided.Amount != knife.Price.Amount || o.Ledger.Captured.Amount != o.Total.Amount-knife.Price.Amount {
			t.Errorf("ledger %+v, want the knife's %d voided and the rest captured", o.Ledger, knife.Price.Amount)
		}
		if got := o.entries(string(orderly.EntryCompensation), `failed: .*back in stock at EU`); len(got) != 1 {
			t.Errorf("the failed parcel is not on the timeline as released:%s", o.timelineText())
		}
		if got := waitUnitsAt(t, c, knife.ID, eu, knifeAtEU); got != knifeAtEU {
			t.Errorf("knives at the EU = %d, want %d: the failed parcel's unit back where it came from", got, knifeAtEU)
		}
		db.checkProviderMatches(t, o)
	})
	db.checkInvariants(t)
}
