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
