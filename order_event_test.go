package orderly

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOrderApply(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := &Order{ID: "ord_1", Status: StatusReceived, Version: 1,
		Timeline: []TimelineEntry{{Version: 1, EventID: EventReceived, Kind: EntryStatus, Status: StatusReceived, At: t0}}}

	next, applied, err := o.Apply(OrderEvent{ID: "status:VALIDATED", Status: StatusValidated, Detail: "ok"}, t0.Add(time.Second))
	if err != nil || !applied {
		t.Fatalf("apply = %v, %v", applied, err)
	}
	if next.Status != StatusValidated || next.Version != 2 || len(next.Timeline) != 2 || !next.UpdatedAt.Equal(t0.Add(time.Second)) {
		t.Fatalf("next = %+v", next)
	}
	if e := next.Timeline[1]; e.Kind != EntryStatus || e.Version != 2 || e.Status != StatusValidated || !e.At.Equal(t0.Add(time.Second)) {
		t.Errorf("entry = %+v (a status event without a kind is a STATUS entry stamped at the write)", e)
	}
	if o.Version != 1 || len(o.Timeline) != 1 || o.Status != StatusReceived {
		t.Errorf("Apply modified its receiver: %+v", o)
	}

	// The same event again changes nothing and says so.
	again, applied, err := next.Apply(OrderEvent{ID: "status:VALIDATED", Status: StatusValidated}, t0.Add(2*time.Second))
	if err != nil || applied || again != next {
		t.Errorf("repeat = %v, %v, %v; want the order unchanged", again, applied, err)
	}

	// A note keeps the status; the event's own time is kept, truncated as BSON stores it.
	at := t0.Add(1500*time.Millisecond + 7)
	addr := Address{Name: "A", Line1: "1 Way", City: "Paris", PostalCode: "75001", Country: "FR"}
	sh := Shipment{ID: "shp_1", Status: ShipmentLabelCreated}
	noted, _, err := next.Apply(OrderEvent{ID: "note", Detail: "hello", At: at, Address: &addr, Shipment: &sh}, t0.Add(3*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if e := noted.Timeline[2]; e.Kind != EntryInfo || e.Status != StatusValidated || !e.At.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("note entry = %+v", e)
	}
	if noted.ShippingAddress != addr || len(noted.Shipments) != 1 || noted.Shipments[0].UpdatedAt.IsZero() {
		t.Errorf("address/shipment not applied: %+v", noted)
	}
	sh.Status = ShipmentDispatched
	moved, _, _ := noted.Apply(OrderEvent{ID: "ship", Shipment: &sh}, t0.Add(4*time.Second))
	if len(moved.Shipments) != 1 || moved.Shipments[0].Status != ShipmentDispatched || noted.Shipments[0].Status != ShipmentLabelCreated {
		t.Errorf("a shipment with the same ID must be replaced in a copy: %+v / %+v", moved.Shipments, noted.Shipments)
	}
}

func TestOrderApplyRefuses(t *testing.T) {
	o := &Order{ID: "ord_1", Status: StatusPaid, Version: 5}
	bad := Address{Name: "A", Line1: "1", City: "B", PostalCode: "1", Country: "usa"}
	tests := []struct {
		name string
		e    OrderEvent
		code string
	}{
		{"no ID", OrderEvent{Detail: "x"}, EINVALID},
		{"long ID", OrderEvent{ID: strings.Repeat("x", MaxEventIDLength+1)}, EINVALID},
		{"long detail", OrderEvent{ID: "x", Detail: strings.Repeat("x", MaxEventDetailLength+1)}, EINVALID},
		{"unknown status", OrderEvent{ID: "x", Status: "LOST"}, EINVALID},
		{"unknown kind", OrderEvent{ID: "x", Kind: "GOSSIP"}, EINVALID},
		{"bad address", OrderEvent{ID: "x", Address: &bad}, EINVALID},
		{"forbidden move", OrderEvent{ID: "x", Status: StatusCancelled}, ECONFLICT},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := o.Apply(tt.e, time.Now()); ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestWithShipment(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a := Shipment{ID: "shp_a", Status: ShipmentLabelCreated, UpdatedAt: at}
	b := Shipment{ID: "shp_b", Status: ShipmentLabelCreated, UpdatedAt: at}
	a2 := Shipment{ID: "shp_a", Status: ShipmentDispatched}
	tests := []struct {
		name string
		in   []Shipment
		sh   Shipment
		want []ShipmentStatus
	}{
		{"first", nil, a, []ShipmentStatus{ShipmentLabelCreated}},
		{"append", []Shipment{a}, b, []ShipmentStatus{ShipmentLabelCreated, ShipmentLabelCreated}},
		{"replace in place", []Shipment{a, b}, a2, []ShipmentStatus{ShipmentDispatched, ShipmentLabelCreated}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			orig := slices.Clone(tt.in)
			got := withShipment(tt.in, tt.sh, at.Add(time.Hour))
			var statuses []ShipmentStatus
			for _, s := range got {
				statuses = append(statuses, s.Status)
				if s.UpdatedAt.IsZero() {
					t.Errorf("shipment %s has no updatedAt", s.ID)
				}
			}
			if !slices.Equal(statuses, tt.want) {
				t.Errorf("statuses = %v, want %v", statuses, tt.want)
			}
			if !reflect.DeepEqual(tt.in, orig) {
				t.Error("withShipment changed its input")
			}
		})
	}
}

// TestOrderApplyFollowsTheParcels: in fulfillment, a parcel's progress
// moves the order where its parcels say, whichever parcel reports first,
// and a parcel that fails leaves the others to decide.
func TestOrderApplyFollowsTheParcels(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	o := &Order{ID: "ord_1", Status: StatusPaymentAuthorized, Version: 4, Total: USD(100)}
	a := Shipment{ID: "shp_1", Status: ShipmentPending, Location: &Location{ID: "loc_a"}}
	b := Shipment{ID: "shp_2", Status: ShipmentPending, Location: &Location{ID: "loc_b"}}
	// Parcels planned before shipping change no status.
	o, _, err := o.Apply(OrderEvent{ID: "plan", Shipments: []Shipment{a, b}}, t0)
	if err != nil || o.Status != StatusPaymentAuthorized || len(o.Shipments) != 2 {
		t.Fatalf("plan: %v, %+v", err, o)
	}
	o, _, err = o.Apply(OrderEvent{ID: "status:SHIPPING", Status: StatusShipping}, t0)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		id     string
		sh     Shipment
		status OrderStatus
		want   OrderStatus
		kind   EntryKind
	}{
		{"a label", Shipment{ID: "shp_1", Status: ShipmentLabelCreated}, "", StatusShipping, EntryInfo},
		{"b sent", Shipment{ID: "shp_2", Status: ShipmentDispatched}, "", StatusPartiallyShipped, EntryStatus},
		{"b arrived", Shipment{ID: "shp_2", Status: ShipmentDelivered}, "", StatusPartiallyDelivered, EntryStatus},
		{"a failed", Shipment{ID: "shp_1", Status: ShipmentFailed}, "", StatusDelivered, EntryStatus},
	}
	for _, s := range steps {
		sh := s.sh
		next, _, err := o.Apply(OrderEvent{ID: s.id, Shipment: &sh, Status: s.status}, t0)
		if err != nil {
			t.Fatalf("%s: %v", s.id, err)
		}
		if e := next.Timeline[len(next.Timeline)-1]; next.Status != s.want || e.Kind != s.kind || e.Status != s.want {
			t.Errorf("%s: status %s, entry %+v; want %s as a %s entry", s.id, next.Status, e, s.want, s.kind)
		}
		o = next
	}
	// An explicit status must agree with the parcels (a single parcel's
	// writer of old said SHIPPED at its dispatch).
	one := &Order{ID: "ord_2", Status: StatusShipping, Version: 5, Total: USD(100),
		Shipments: []Shipment{{ID: "shp_1", Status: ShipmentPickupScheduled}, {ID: "shp_2", Status: ShipmentPending}}}
	sent := Shipment{ID: "shp_1", Status: ShipmentDispatched}
	if _, _, err := one.Apply(OrderEvent{ID: "x", Shipment: &sent, Status: StatusShipped}, t0); ErrorCode(err) != ECONFLICT {
		t.Errorf("SHIPPED with a parcel still here = %v, want CONFLICT", err)
	}
	one.Shipments = one.Shipments[:1]
	if next, _, err := one.Apply(OrderEvent{ID: "x", Shipment: &sent, Status: StatusShipped}, t0); err != nil || next.Status != StatusShipped {
		t.Errorf("SHIPPED with the one parcel sent = %v, %v", next, err)
	}
	// Before shipping, a parcel's change moves nothing.
	early := &Order{ID: "ord_3", Status: StatusInventoryReserved, Version: 3}
	if next, _, err := early.Apply(OrderEvent{ID: "x", Shipment: &sent}, t0); err != nil || next.Status != StatusInventoryReserved {
		t.Errorf("a parcel before shipping = %v, %v", next, err)
	}
}

// TestOrderEndingCancelsPendingParcels: an order that ends CANCELLED or
// FAILED before a parcel's shipping started leaves no parcel PENDING; the
// parcels that moved keep their status.
func TestOrderEndingCancelsPendingParcels(t *testing.T) {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, end := range []OrderStatus{StatusCancelled, StatusFailed} {
		o := &Order{ID: "ord_1", Status: StatusShipping, Version: 6, Total: USD(100), Shipments: []Shipment{
			{ID: "shp_1", Status: ShipmentPending}, {ID: "shp_2", Status: ShipmentCancelled, UpdatedAt: t0.Add(-time.Hour)},
		}}
		next, _, err := o.Apply(OrderEvent{ID: "status:" + string(end), Status: end}, t0)
		if err != nil {
			t.Fatalf("%s: %v", end, err)
		}
		if got := next.Shipments; got[0].Status != ShipmentCancelled || !got[0].UpdatedAt.Equal(t0) ||
			got[1].Status != ShipmentCancelled || !got[1].UpdatedAt.Equal(t0.Add(-time.Hour)) {
			t.Errorf("%s: parcels %+v, want the pending one cancelled now and the other as it was", end, got)
		}
		if o.Shipments[0].Status != ShipmentPending {
			t.Errorf("%s: Apply changed the order it was given", end)
		}
	}
}
