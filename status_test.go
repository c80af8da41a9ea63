package orderly

import "testing"

func TestStatusTransitions(t *testing.T) {
	tests := []struct {
		from, to OrderStatus
		ok       bool
	}{
		{StatusReceived, StatusValidated, true},
		{StatusValidated, StatusInventoryReserved, true},
		{StatusInventoryReserved, StatusAwaitingApproval, true},
		{StatusInventoryReserved, StatusPaid, true},
		{StatusAwaitingApproval, StatusApproved, true},
		{StatusAwaitingApproval, StatusCancelled, true},
		{StatusApproved, StatusPaid, true},
		{StatusPaid, StatusShipping, true},
		{StatusShipping, StatusShipped, true},
		{StatusShipped, StatusDelivered, true},
		{StatusDelivered, StatusCompleted, true},
		{StatusPaid, StatusRefunded, true},
		{StatusShipping, StatusRefunded, true},
		{StatusRefunded, StatusCancelled, true},
		{StatusRefunded, StatusFailed, true},
		// Money taken: the way out goes through REFUNDED.
		{StatusPaid, StatusCancelled, false},
		{StatusPaid, StatusFailed, false},
		// An authorized payment is voided, not refunded: the order may end
		// directly (Order.Apply still refuses while money is held).
		{StatusInventoryReserved, StatusPaymentAuthorized, true},
		{StatusApproved, StatusPaymentAuthorized, true},
		{StatusPaymentAuthorized, StatusShipping, true},
		{StatusPaymentAuthorized, StatusCancelled, true},
		{StatusPaymentAuthorized, StatusFailed, true},
		{StatusShipping, StatusCancelled, true},
		{StatusShipping, StatusFailed, true},
		{StatusAwaitingApproval, StatusPaymentAuthorized, false},
		{StatusPaymentAuthorized, StatusRefunded, false},
		{StatusPaymentAuthorized, StatusShipped, false},
		// The goods left: no cancel, no refund, no failure of the order.
		{StatusShipped, StatusCancelled, false},
		{StatusShipped, StatusRefunded, false},
		// Split shipments: forward through the parcels' progress only.
		{StatusShipping, StatusPartiallyShipped, true},
		{StatusPartiallyShipped, StatusShipped, true},
		{StatusPartiallyShipped, StatusPartiallyDelivered, true},
		{StatusShipped, StatusPartiallyDelivered, true},
		{StatusPartiallyDelivered, StatusDelivered, true},
		{StatusPartiallyShipped, StatusCancelled, false},
		{StatusPartiallyShipped, StatusFailed, false},
		{StatusPartiallyShipped, StatusShipping, false},
		{StatusPartiallyDelivered, StatusShipped, false},
		{StatusPartiallyDelivered, StatusCompleted, false},
		{StatusPaymentAuthorized, StatusPartiallyShipped, false},
		// No skipping, no going back, nothing after the end.
		{StatusReceived, StatusPaid, false},
		{StatusAwaitingApproval, StatusPaid, false},
		{StatusPaid, StatusApproved, false},
		{StatusCompleted, StatusRefunded, false},
		{StatusCancelled, StatusReceived, false},
		{StatusFailed, StatusFailed, false},
		{StatusReceived, StatusReceived, false},
	}
	for _, tt := range tests {
		if got := tt.from.CanTransitionTo(tt.to); got != tt.ok {
			t.Errorf("%s -> %s: CanTransitionTo = %v, want %v", tt.from, tt.to, got, tt.ok)
		}
	}
}

func TestEveryStatusIsReachableAndEndsSomewhere(t *testing.T) {
	// From RECEIVED every status is reachable, and from every non-final
	// status some final status is reachable: no dead ends in the lifecycle.
	reach := func(from OrderStatus) map[OrderStatus]bool {
		seen := map[OrderStatus]bool{from: true}
		queue := []OrderStatus{from}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, n := range AllOrderStatuses {
				if s.CanTransitionTo(n) && !seen[n] {
					seen[n] = true
					queue = append(queue, n)
				}
			}
		}
		return seen
	}
	all := reach(StatusReceived)
	for _, s := range AllOrderStatuses {
		if !all[s] {
			t.Errorf("%s is unreachable from RECEIVED", s)
		}
		if s.IsFinal() {
			if len(transitions[s]) > 0 {
				t.Errorf("final status %s has moves %v", s, transitions[s])
			}
			continue
		}
		ends := false
		for n := range reach(s) {
			ends = ends || n.IsFinal()
		}
		if !ends {
			t.Errorf("%s can never end", s)
		}
	}
	if OrderStatus("SHIPPED_TWICE").Valid() || !StatusRefunded.Valid() {
		t.Error("Valid is wrong")
	}
}

func TestBeforeDispatch(t *testing.T) {
	for _, s := range AllOrderStatuses {
		want := s == StatusReceived || s == StatusValidated || s == StatusInventoryReserved ||
			s == StatusAwaitingApproval || s == StatusApproved || s == StatusPaymentAuthorized || s == StatusPaid || s == StatusShipping
		if got := s.BeforeDispatch(); got != want {
			t.Errorf("%s.BeforeDispatch() = %v, want %v", s, got, want)
		}
	}
}

func TestFulfillmentStatus(t *testing.T) {
	const (
		pending = ShipmentPending
		label   = ShipmentLabelCreated
		sent    = ShipmentDispatched
		transit = ShipmentInTransit
		arrived = ShipmentDelivered
		off     = ShipmentCancelled
		failed  = ShipmentFailed
	)
	tests := []struct {
		parcels []ShipmentStatus
		want    OrderStatus
	}{
		{nil, ""},
		{[]ShipmentStatus{pending}, StatusShipping},
		{[]ShipmentStatus{label}, StatusShipping},
		{[]ShipmentStatus{sent}, StatusShipped},
		{[]ShipmentStatus{transit}, StatusShipped},
		{[]ShipmentStatus{arrived}, StatusDelivered},
		{[]ShipmentStatus{off}, ""},
		{[]ShipmentStatus{failed, off}, ""},
		{[]ShipmentStatus{sent, label}, StatusPartiallyShipped},
		{[]ShipmentStatus{sent, transit}, StatusShipped},
		{[]ShipmentStatus{arrived, label}, StatusPartiallyDelivered},
		{[]ShipmentStatus{arrived, transit}, StatusPartiallyDelivered},
		{[]ShipmentStatus{arrived, arrived}, StatusDelivered},
		// A parcel that will never ship leaves the others to decide.
		{[]ShipmentStatus{sent, failed}, StatusShipped},
		{[]ShipmentStatus{arrived, off}, StatusDelivered},
		{[]ShipmentStatus{label, failed}, StatusShipping},
		{[]ShipmentStatus{arrived, sent, pending}, StatusPartiallyDelivered},
	}
	for _, tt := range tests {
		var shipments []Shipment
		for i, st := range tt.parcels {
			shipments = append(shipments, Shipment{ID: string(rune('a' + i)), Status: st})
		}
		if got := FulfillmentStatus(shipments); got != tt.want {
			t.Errorf("FulfillmentStatus(%v) = %q, want %q", tt.parcels, got, tt.want)
		}
		// Every status the parcels decide is a fulfillment status, and
		// reachable from SHIPPING by the table.
		if tt.want != "" && (!tt.want.InFulfillment() || !reachable(StatusShipping, tt.want)) {
			t.Errorf("%s is not a fulfillment status reachable from SHIPPING", tt.want)
		}
	}
}

func reachable(from, to OrderStatus) bool {
	seen := map[OrderStatus]bool{from: true}
	queue := []OrderStatus{from}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range transitions[s] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	return seen[to]
}
