package e2e

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// newYork returns the address the address-change scenarios move orders to.
// It is in the US, so a label made for it goes with UPS (GB goes with DHL).
func newYork() map[string]any {
	return map[string]any{
		"name": "Grace Hopper", "line1": "1 Liberty Plaza", "line2": "Floor 9",
		"city": "New York", "postalCode": "10006", "country": "US",
	}
}

// TestLifecycleCancelAndAddress proves the customer's actions on a running
// order around the point of no return (dispatch): a cancel after the
// payment was authorized voids the hold and releases the stock (nothing is
// captured before dispatch); a cancel after dispatch is refused with a
// typed CONFLICT and the order completes; an address change before dispatch
// is accepted (while awaiting approval, and while the shipping child runs)
// and the shipment goes there; after dispatch it is refused.
//
// Every order waits for approval (mode ALWAYS), which holds it still while a
// failure is injected; tracking updates hold it in SHIPPED for a few seconds.
func TestLifecycleCancelAndAddress(t *testing.T) {
	parallel(t)
	s := startStack(t, stackOptions{trackingInterval: 1500 * time.Millisecond, trackingUpdates: 2})
	db := s.openStore(t)
	s.setApproval(t, orderly.ApprovalAlways, 2*time.Minute)

	runConcurrently(t,
		scenario{"cancel after authorization voids the hold", func(t *testing.T) {
			c := s.register(t, "cancelpaid")
			p := productBySKU(t, c, "OUT-004")
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 2)
			sub := c.subscribe(t, orderUpdatedSubscription, map[string]any{"id": order.ID})
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			// Two failing attempts of the first shipping step hold the order,
			// authorized, before dispatch for a few seconds.
			s.injectFailure(t, order.ID, orderly.StepShipping, orderly.FailureTransient)
			s.approve(t, order.ID)
			// Cancel while the shipping child runs (its first step is failing
			// and being retried): the child stops before dispatch and voids
			// its label, then the order voids the hold and releases the stock.
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusShipping)
			mustAct(t, c, "cancelOrder", map[string]any{"orderId": order.ID, "reason": "ordered the wrong size"})

			o := getOrder(t, c, order.ID)
			t.Logf("timeline:%s", o.timelineText())
			if o.Status != string(orderly.StatusCancelled) || o.reason() != "ordered the wrong size" {
				t.Fatalf("after cancelOrder the order is %s (reason %q), want CANCELLED; timeline:%s", o.Status, o.reason(), o.timelineText())
			}
			path := o.statusPath()
			if n := len(path); n < 3 || path[n-2] != string(orderly.StatusShipping) || path[n-1] != string(orderly.StatusCancelled) {
				t.Errorf("status path %v does not end SHIPPING, CANCELLED", path)
			}
			if !contains(path, string(orderly.StatusPaymentAuthorized)) {
				t.Errorf("status path %v: the payment was never authorized, so this proves no void", path)
			}
			if kinds := o.ledgerKinds(); !slices.Equal(kinds, []string{"AUTHORIZATION", "VOID"}) || o.Ledger.Status != string(orderly.PaymentVoided) ||
				o.Ledger.Voided.Amount != o.Total.Amount || o.Ledger.Captured.Amount != 0 {
				t.Errorf("ledger %v (%+v), want the total held, then released, nothing captured", kinds, o.Ledger)
			}
			db.checkProviderMatches(t, o)
			if got := o.entries(string(orderly.EntryCompensation), `^Payment hold released`); len(got) != 1 {
				t.Errorf("want one hold release entry, got %v", got)
			}
			if got := o.entries(string(orderly.EntryCompensation), `(?i)stock released`); len(got) != 1 {
				t.Errorf("want one stock release entry, got %v", got)
			}
			// Either the cancel came while SHIPPING was being recorded and the
			// child never started (no shipment), or the child stopped before
			// dispatch and voided its label.
			switch {
			case len(o.Shipments) == 0:
				t.Logf("the cancel stopped the order before its shipping child started")
			case len(o.Shipments) == 1 && o.Shipments[0].Status == string(orderly.ShipmentCancelled):
				t.Logf("the cancel stopped the shipping child, which voided its label")
			default:
				t.Errorf("shipments %+v after the cancel, want none or the one label voided (CANCELLED)", o.Shipments)
			}
			if contains(path, string(orderly.StatusShipped)) {
				t.Errorf("status path %v: the cancelled order was dispatched", path)
			}
			if got := waitStock(t, c, p.ID, before); got != before {
				t.Errorf("stock %d after the cancel, want it back to %d", got, before)
			}
			// The live feed pushed every step, in order, along allowed moves.
			live := statuses(followOrder(t, sub, 10*time.Second))
			if n := len(live); n < 3 || live[n-2] != string(orderly.StatusShipping) || live[n-1] != string(orderly.StatusCancelled) {
				t.Errorf("subscription statuses %v do not end SHIPPING, CANCELLED", live)
			}
			n := db.customerNotifications(t, me(t, c))
			if !hasNotification(n, order.ID, "Order cancelled", "reserved on your card has been released") {
				t.Errorf("no cancellation notification that mentions the released hold: %+v", titles(n))
			}
		}},
		scenario{"cancel after dispatch is refused", func(t *testing.T) {
			c := s.register(t, "canceldispatched")
			p := productBySKU(t, c, "APP-004")
			before := productStock(t, c, p.ID)
			order := buy(t, c, p.ID, 1)
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			s.approve(t, order.ID)
			o := waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusShipped)
			if o.CanCancel {
				t.Errorf("a SHIPPED order says canCancel")
			}
			wantConflict(t, orderAction(t, c, "cancelOrder", map[string]any{"orderId": order.ID}), `^cannot cancel: already dispatched$`)
			o = waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			if !o.captured() {
				t.Errorf("ledger %+v, want the total captured", o.Ledger)
			}
			if got := o.entries(string(orderly.EntryCompensation), `.`); len(got) > 0 {
				t.Errorf("a completed order has compensations: %v", got)
			}
			if got := waitStock(t, c, p.ID, before-1); got != before-1 {
				t.Errorf("stock %d, want %d", got, before-1)
			}
		}},
		scenario{"address change before dispatch accepted, after refused", func(t *testing.T) {
			c := s.register(t, "address")
			p := productBySKU(t, c, "KIT-003")
			order := buy(t, c, p.ID, 1)
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			mustAct(t, c, "updateShippingAddress", map[string]any{"orderId": order.ID, "shippingAddress": newYork()})
			o := getOrder(t, c, order.ID)
			if o.ShippingAddress.City != "New York" || o.ShippingAddress.Country != "US" || o.ShippingAddress.Line2 != "Floor 9" {
				t.Fatalf("after the change the order ships to %+v", o.ShippingAddress)
			}
			if got := o.entries(string(orderly.EntryInfo), `Shipping address changed to 1 Liberty Plaza, 10006 New York, US`); len(got) != 1 {
				t.Errorf("the change is not on the timeline:%s", o.timelineText())
			}
			// An invalid address is a typed INVALID error naming the field.
			bad := map[string]any{"name": "X", "line1": "Y", "city": "Z", "postalCode": "1", "country": "usa"}
			if errs := orderAction(t, c, "updateShippingAddress", map[string]any{"orderId": order.ID, "shippingAddress": bad}); len(errs) != 1 || errs[0].Code != orderly.EINVALID {
				t.Errorf("invalid address: %+v, want INVALID", errs)
			}

			s.approve(t, order.ID)
			o = waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusShipped)
			checkShippedTo(t, o, "New York", "US", "UPS")
			if o.CanChangeAddress {
				t.Errorf("a SHIPPED order says canChangeAddress")
			}
			london := map[string]any{"name": "Ada", "line1": "2 Back Lane", "city": "London", "postalCode": "N1", "country": "GB"}
			wantConflict(t, orderAction(t, c, "updateShippingAddress", map[string]any{"orderId": order.ID, "shippingAddress": london}),
				`^cannot change the address: already dispatched$`)
			o = waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			if o.ShippingAddress.City != "New York" {
				t.Errorf("the refused change moved the address to %+v", o.ShippingAddress)
			}
		}},
		scenario{"address change while the shipping child runs", func(t *testing.T) {
			c := s.register(t, "addressshipping")
			p := productBySKU(t, c, "OUT-001")
			order := buy(t, c, p.ID, 1)
			waitStatus(t, c, order.ID, 30*time.Second, orderly.StatusAwaitingApproval)
			s.injectFailure(t, order.ID, orderly.StepShipping, orderly.FailureTransient)
			s.approve(t, order.ID)
			// Change the address while the child runs its first step (the
			// label, failing and retried).
			waitOrder(t, c, order.ID, 30*time.Second, "a failed label attempt", func(o fullOrder) bool {
				return len(o.entries(string(orderly.EntryFailure), `^Shipping \(CreateLabel\): attempt 1 failed`)) == 1
			})
			// The shipping child decides (it alone knows whether dispatch has
			// begun); the update answers once it has. The label is being made
			// for London (DHL); a US address goes with UPS. Whatever the
			// child decides, the parcel must leave with the carrier of the
			// address it is dispatched to: accepted, with a label for New
			// York; or refused, to London as labelled.
			errs := orderAction(t, c, "updateShippingAddress", map[string]any{"orderId": order.ID, "shippingAddress": newYork()})
			o := waitFinal(t, c, order.ID, time.Minute, orderly.StatusCompleted)
			t.Logf("timeline:%s", o.timelineText())
			if len(errs) == 0 {
				if o.ShippingAddress.City != "New York" {
					t.Fatalf("after an accepted change the order ships to %+v", o.ShippingAddress)
				}
				checkShippedTo(t, o, "New York", "US", "UPS")
			} else {
				wantConflict(t, errs, `^cannot change the address`)
				checkShippedTo(t, o, "London", "GB", "DHL")
			}
		}},
	)
	db.checkInvariants(t)
}

// checkShippedTo checks that the dispatch went to the city and, if carrier
// is not "", with that carrier.
func checkShippedTo(t *testing.T, o fullOrder, city, country, carrier string) {
	t.Helper()
	want := regexp.QuoteMeta(" to " + city + ", " + country + ",")
	if got := o.entries(string(orderly.EntryStatus), `^Dispatched with .*`+want); len(got) != 1 {
		t.Errorf("no dispatch to %s, %s on the timeline:%s", city, country, o.timelineText())
	}
	if len(o.Shipments) != 1 {
		t.Fatalf("shipments %+v, want one", o.Shipments)
	}
	if carrier != "" && o.Shipments[0].Carrier != carrier {
		t.Errorf("shipment carrier %s, want %s for %s", o.Shipments[0].Carrier, carrier, country)
	}
}

// hasNotification reports whether one of the notifications is about the
// order, has the title and a body containing bodyPart.
func hasNotification(ns []*orderly.Notification, orderID, title, bodyPart string) bool {
	for _, n := range ns {
		if n.OrderID == orderID && n.Title == title && strings.Contains(n.Body, bodyPart) {
			return true
		}
	}
	return false
}

func titles(ns []*orderly.Notification) []string {
	var out []string
	for _, n := range ns {
		out = append(out, n.ID+" "+n.Title+": "+n.Body)
	}
	return out
}
