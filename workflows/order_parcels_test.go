package workflows

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"github.com/orderly-shop/orderly"
)

const (
	PS = orderly.StatusPartiallyShipped
	PV = orderly.StatusPartiallyDelivered
)

// splitOrder places an order of two products, the first stocked only at
// testLocation (2 × USD 30.00), the second only at otherLocation (1 × USD
// 50.00): no one location has it all, so it ships as two parcels.
func splitOrder(m *memStore, id string) OrderInput {
	a := &orderly.Product{ID: "prd_" + id + "_a", SKU: "SKU-" + id + "-A", Name: "Lamp " + id, Price: orderly.USD(3000), Stock: 5}
	b := &orderly.Product{ID: "prd_" + id + "_b", SKU: "SKU-" + id + "-B", Name: "Chair " + id, Price: orderly.USD(5000), Stock: 3}
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: "cus_" + id, IdempotencyKey: "key-" + id,
		ShippingAddress: orderly.Address{Name: "Ada Lovelace", Line1: "1 Main St", City: "Springfield", PostalCode: "12345", Country: "US"},
		Lines: []orderly.PricedCartLine{
			{Product: a, Quantity: 2, UnitPrice: a.Price, LineTotal: a.Price.Times(2)},
			{Product: b, Quantity: 1, UnitPrice: b.Price, LineTotal: b.Price},
		},
		At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
	})
	if err != nil {
		panic(err)
	}
	o.ID, o.WorkflowID = id, orderly.OrderWorkflowIDFor(id)
	m.stockAt(a.ID, testLocation, 5)
	m.stockAt(b.ID, otherLocation, 3)
	if _, _, err := m.CreateOrder(context.Background(), o); err != nil {
		panic(err)
	}
	in := OrderInputFor(o)
	in.PaymentMethod, _ = orderly.NewCardPaymentMethod("card", "4242 4242 4242 4242")
	in.Shipping = ShippingOptions{TrackingUpdates: 1, TrackingInterval: time.Minute}
	return in
}

// failParcel makes a shipping activity fail for one parcel only: for good,
// or (retryable) on its first attempts.
func failParcel(h *harness, fn func(context.Context, ShipmentStepInput) (orderly.Shipment, error), shipmentID string, failFirst int) {
	h.env.OnActivity(fn, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
			if in.Shipment.ID == shipmentID {
				if failFirst == 0 {
					return orderly.Shipment{}, permanentError(ErrTypeInvalidOrder, "the carrier refuses this parcel", nil)
				}
				if int(activity.GetInfo(ctx).Attempt) <= failFirst {
					return orderly.Shipment{}, temporal.NewApplicationError("the carrier is busy", "CarrierBusy")
				}
			}
			return fn(ctx, in)
		})
}

func amounts(o *orderly.Order, kind orderly.PaymentEntryKind) []int64 {
	var out []int64
	for _, e := range o.Ledger {
		if e.Kind == kind {
			out = append(out, e.Amount.Amount)
		}
	}
	return out
}

func TestOrderSplitShipsAParcelPerLocation(t *testing.T) {
	h := newHarness(t)
	in := splitOrder(h.store, "ord_split")
	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CO {
		t.Fatalf("result = %+v, want COMPLETED", res)
	}
	o := h.store.order("ord_split")
	path := statusPath(o)
	for _, s := range []orderly.OrderStatus{SG, PS, SD, PV, DL, CO} {
		if !slices.Contains(path, s) {
			t.Errorf("status path %v lacks %s", path, s)
		}
	}
	if len(o.Shipments) != 2 {
		t.Fatalf("shipments = %+v, want two parcels", o.Shipments)
	}
	for i, want := range []orderly.Location{testLocation, otherLocation} {
		sh := o.Shipments[i]
		if sh.ID != ShipmentIDFor("ord_split", i+1) || sh.Location == nil || sh.Location.ID != want.ID || sh.Status != orderly.ShipmentDelivered {
			t.Errorf("shipment %d = %+v, want delivered from %s", i+1, sh, want.ID)
		}
	}
	if got := h.count("DispatchShipment"); got != 2 {
		t.Errorf("%d dispatches, want 2", got)
	}
	// Two captures, each its parcel's lines; the first carries shipping.
	caps := amounts(o, orderly.PaymentCapture)
	chair := slices.IndexFunc(caps, func(c int64) bool { return c == 5000 || c == 5000+in.ShippingCost.Amount })
	var sum int64
	for _, c := range caps {
		sum += c
	}
	if len(caps) != 2 || sum != in.Total.Amount || chair < 0 {
		t.Errorf("captures = %v, want the chair's parcel and the lamps' parcel, adding up to %s", caps, in.Total)
	}
	if s := o.PaymentSummary(); s.Captured != in.Total || s.Status != orderly.PaymentCaptured {
		t.Errorf("summary = %+v, want the total captured", s)
	}
	if got := h.store.committedAt["ord_split"]; len(got) != 2 || !slices.Contains(got, testLocation.ID) || !slices.Contains(got, otherLocation.ID) {
		t.Errorf("committed at %v, want both locations", got)
	}
	if h.store.unitsAt("prd_ord_split_a", testLocation) != 3 || h.store.unitsAt("prd_ord_split_b", otherLocation) != 2 {
		t.Error("the units did not leave the locations they were reserved at")
	}
}

// TestOrderSplitPartialFailureReleasesAndVoidsItsPart: the EU parcel fails
// for good before it leaves; the other ships, is captured and delivered;
// the failed parcel's units go back to its location and its part of the
// hold is voided; the order completes.
func TestOrderSplitPartialFailureReleasesAndVoidsItsPart(t *testing.T) {
	h := newHarness(t)
	in := splitOrder(h.store, "ord_partial")
	failParcel(h, h.acts.SchedulePickup, ShipmentIDFor("ord_partial", 2), 0)
	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CO || !res.Voided {
		t.Fatalf("result = %+v, want COMPLETED with the rest voided", res)
	}
	o := h.store.order("ord_partial")
	if o.Shipments[0].Status != orderly.ShipmentDelivered || o.Shipments[1].Status != orderly.ShipmentFailed {
		t.Errorf("shipments = %+v, want delivered and failed", o.Shipments)
	}
	// Captured: the lamps and shipping; voided: the chair.
	s := o.PaymentSummary()
	if s.Captured.Amount != in.Total.Amount-5000 || s.Voided.Amount != 5000 || s.Authorized.Amount != 0 {
		t.Errorf("summary = %+v, want %d captured and 5000 voided", s, in.Total.Amount-5000)
	}
	if h.store.unitsAt("prd_ord_partial_b", otherLocation) != 3 || h.store.unitsAt("prd_ord_partial_a", testLocation) != 3 {
		t.Error("want the failed parcel's unit back at its location, the shipped ones gone")
	}
	if !hasDetail(o, "Shipment "+ShipmentIDFor("ord_partial", 2)+" from Test EU failed: shipping failed: the carrier refuses this parcel") {
		t.Errorf("timeline %+v: want the failed parcel recorded", o.Timeline)
	}
	assertPathEnds(t, o, SD, DL, CO)
}

// TestOrderSplitEveryParcelFailsEndsFailed: with no parcel left, the
// order fails and its saga gives everything back.
func TestOrderSplitEveryParcelFailsEndsFailed(t *testing.T) {
	h := newHarness(t)
	in := splitOrder(h.store, "ord_allfail")
	failParcel(h, h.acts.SchedulePickup, ShipmentIDFor("ord_allfail", 1), 0)
	h.env.OnActivity(h.acts.CreateLabel, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
			if in.Shipment.ID == ShipmentIDFor("ord_allfail", 2) {
				return orderly.Shipment{}, permanentError(ErrTypeInvalidOrder, "no label", nil)
			}
			return h.acts.CreateLabel(ctx, in)
		})
	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != FLD || !res.Voided || !slices.Contains(res.Compensations, CompensationReleaseStock) {
		t.Fatalf("result = %+v, want FAILED, voided and released", res)
	}
	if h.store.unitsAt("prd_ord_allfail_a", testLocation) != 5 || h.store.unitsAt("prd_ord_allfail_b", otherLocation) != 3 {
		t.Error("want every unit back where it was")
	}
}

// TestOrderSplitCancelBetweenTwoDispatches: the first parcel has left,
// the second waits on its label; a cancel stops the second only and says
// so, and the order completes with what left.
func TestOrderSplitCancelBetweenTwoDispatches(t *testing.T) {
	h := newHarness(t)
	in := splitOrder(h.store, "ord_between")
	second := ShipmentIDFor("ord_between", 2)
	failParcel(h, h.acts.CreateLabel, second, 3) // retried at 1 s, 2 s, 4 s of workflow time
	var mid orderly.OrderState
	h.at(1500*time.Millisecond, func() { mid = h.query() })
	cancel := h.updateAt(2*time.Second, "", UpdateCancelOrder, CancelOrderRequest{Reason: "only the lamps"})
	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if mid.Status != PS || !mid.CanCancel || !mid.CanChangeAddress {
		t.Errorf("state between the dispatches = %+v, want PARTIALLY_SHIPPED, cancel and address change open", mid)
	}
	if !cancel.done || cancel.err != nil {
		t.Fatalf("cancel = %+v, want success", cancel)
	}
	change, ok := cancel.value.(orderly.ShipmentsChange)
	if !ok || !slices.Equal(change.Changed, []string{second}) || !slices.Equal(change.Dispatched, []string{ShipmentIDFor("ord_between", 1)}) {
		t.Errorf("cancel answered %#v, want the second parcel cancelled and the first dispatched", cancel.value)
	}
	if res.Status != CO {
		t.Fatalf("result = %+v, want COMPLETED", res)
	}
	o := h.store.order("ord_between")
	if o.Shipments[1].Status != orderly.ShipmentCancelled || h.ran("SchedulePickup") && h.count("SchedulePickup") != 1 {
		t.Errorf("shipments = %+v, want the second cancelled before its pickup", o.Shipments)
	}
	if s := o.PaymentSummary(); s.Voided.Amount != 5000 || s.Captured.Amount != in.Total.Amount-5000 {
		t.Errorf("summary = %+v, want the chair voided", s)
	}
	if h.store.unitsAt("prd_ord_between_b", otherLocation) != 3 {
		t.Error("the cancelled parcel's unit is not back")
	}
}

// TestOrderStartedBeforeSplitShipsOneParcel: an order that started before
// split shipments (its history has no marker) ships everything as one
// parcel, wherever its units were reserved, and commits them all at once.
func TestOrderStartedBeforeSplitShipsOneParcel(t *testing.T) {
	h := newHarness(t)
	h.env.OnGetVersion(changeSplitShipments, workflow.DefaultVersion, 1).Return(workflow.DefaultVersion)
	in := splitOrder(h.store, "ord_before")
	res, err := h.run(in)
	if err != nil {
		t.Fatalf("workflow error: %v", err)
	}
	if res.Status != CO {
		t.Fatalf("result = %+v", res)
	}
	o := h.store.order("ord_before")
	assertPath(t, o, R, V, IR, PA, SG, SD, DL, CO)
	if len(o.Shipments) != 1 || o.Shipments[0].Location != nil || h.count("DispatchShipment") != 1 {
		t.Errorf("shipments = %+v, want one parcel without a location", o.Shipments)
	}
	if n := len(amounts(o, orderly.PaymentCapture)); n != 1 {
		t.Errorf("%d captures, want 1", n)
	}
	if h.store.unitsAt("prd_ord_before_a", testLocation) != 3 || h.store.unitsAt("prd_ord_before_b", otherLocation) != 2 || !h.store.committed["ord_before"] {
		t.Error("want the units reserved at both locations and committed")
	}
}

func assertPathEnds(t *testing.T, o *orderly.Order, want ...orderly.OrderStatus) {
	t.Helper()
	got := statusPath(o)
	if len(got) < len(want) || !slices.Equal(got[len(got)-len(want):], want) {
		t.Errorf("status path = %v, want it to end %v", got, want)
	}
}

// TestOrderSplitAddressChangeBetweenTwoDispatches: with the first parcel
// gone, a new address reaches the second only, and the answer says so.
func TestOrderSplitAddressChangeBetweenTwoDispatches(t *testing.T) {
	h := newHarness(t)
	in := splitOrder(h.store, "ord_readdress")
	second := ShipmentIDFor("ord_readdress", 2)
	failParcel(h, h.acts.CreateLabel, second, 3)
	addr := orderly.Address{Name: "Ada", Line1: "9 Side Rd", City: "Shelbyville", PostalCode: "54321", Country: "US"}
	change := h.updateAt(2*time.Second, "", UpdateChangeShippingAddress, ChangeAddressRequest{Address: addr})
	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result = %+v, %v; want COMPLETED", res, err)
	}
	if !change.done || change.err != nil {
		t.Fatalf("address change = %+v, want success", change)
	}
	got, _ := change.value.(orderly.ShipmentsChange)
	if !slices.Equal(got.Changed, []string{second}) || !slices.Equal(got.Dispatched, []string{ShipmentIDFor("ord_readdress", 1)}) {
		t.Errorf("address change answered %#v, want the second parcel readdressed, the first dispatched", change.value)
	}
	o := h.store.order("ord_readdress")
	if o.ShippingAddress != addr || !hasDetail(o, "Dispatched with UPS to Shelbyville") || !hasDetail(o, "Dispatched with UPS to Springfield") {
		t.Errorf("address %+v, timeline %+v: want each parcel dispatched to its address", o.ShippingAddress, o.Timeline)
	}
}

// TestOrderSplitParcelFailingAfterTheOtherArrivedCompletesTheDelivery: the
// EU parcel retries its label for half a minute, then fails for good after the
// other parcel was delivered; that end makes the order DELIVERED, and the
// customer is told.
func TestOrderSplitParcelFailingAfterTheOtherArrivedCompletesTheDelivery(t *testing.T) {
	h := newHarness(t)
	in := splitOrder(h.store, "ord_late")
	in.Shipping = ShippingOptions{TrackingUpdates: -1, TrackingInterval: time.Second} // the first parcel arrives in a second
	second := ShipmentIDFor("ord_late", 2)
	h.env.OnActivity(h.acts.CreateLabel, mock.Anything, mock.Anything).Return(
		func(ctx context.Context, in ShipmentStepInput) (orderly.Shipment, error) {
			if in.Shipment.ID != second {
				return h.acts.CreateLabel(ctx, in)
			}
			if activity.GetInfo(ctx).Attempt <= 8 { // half a minute of backoff (the test environment stops at 10)
				return orderly.Shipment{}, temporal.NewApplicationError("the carrier is busy", "CarrierBusy")
			}
			return orderly.Shipment{}, permanentError(ErrTypeInvalidOrder, "the carrier refuses this parcel", nil)
		})
	res, err := h.run(in)
	if err != nil || res.Status != CO {
		t.Fatalf("result = %+v, %v; want COMPLETED", res, err)
	}
	o := h.store.order("ord_late")
	assertPathEnds(t, o, PV, DL, CO)
	if !h.store.hasNotification(NotificationIDFor("ord_late", string(milestoneDelivered))) {
		t.Error("the customer was not told of the delivery")
	}
}
