package orderly

import (
	"strings"
	"testing"
	"time"
)

func TestNewOrder(t *testing.T) {
	mug := &Product{ID: "prd_mug", SKU: "MUG", Name: "Mug", Price: USD(1250), Stock: 3}
	tee := &Product{ID: "prd_tee", SKU: "TEE", Name: "Tee", Price: USD(2000), Stock: 9}
	addr := Address{Name: "Ada", Line1: "12 Row", City: "London", PostalCode: "N1", Country: "GB"}
	at := time.Date(2026, 3, 4, 5, 6, 7, 891234, time.UTC)
	lines := []PricedCartLine{
		{Product: mug, Quantity: 2, UnitPrice: mug.Price, LineTotal: mug.Price.Times(2)},
		{Product: tee, Quantity: 1, UnitPrice: tee.Price, LineTotal: tee.Price},
	}
	o, err := NewOrder(NewOrderInput{CustomerID: "cus_a", IdempotencyKey: "k1", ShippingAddress: addr, Lines: lines, At: at})
	if err != nil {
		t.Fatal(err)
	}
	if o.ID != OrderIDFor("cus_a", "k1") || o.WorkflowID != OrderWorkflowIDFor(o.ID) || o.Status != StatusReceived || o.Version != 1 {
		t.Errorf("identity = %s %s %s %d", o.ID, o.WorkflowID, o.Status, o.Version)
	}
	if o.Subtotal != USD(4500) || o.ShippingCost != USD(FlatShippingCost) || o.Total != USD(4500+FlatShippingCost) {
		t.Errorf("totals = %v %v %v", o.Subtotal, o.ShippingCost, o.Total)
	}
	if len(o.Lines) != 2 || o.Lines[0].Name != "Mug" || o.Lines[0].LineTotal != USD(2500) {
		t.Errorf("lines = %+v", o.Lines)
	}
	if len(o.Timeline) != 1 || o.Timeline[0].EventID != EventReceived || !o.CreatedAt.Equal(at.Truncate(time.Millisecond)) {
		t.Errorf("timeline/time = %+v %v", o.Timeline, o.CreatedAt)
	}
	if got, _ := TotalsFor(o.Lines); got != o.Totals() {
		t.Errorf("TotalsFor(lines) = %+v, order says %+v", got, o.Totals())
	}

	short := []PricedCartLine{{Product: mug, Quantity: 4, UnitPrice: mug.Price, LineTotal: mug.Price.Times(4)}}
	gone := []PricedCartLine{{Product: nil, Quantity: 1}}
	tests := []struct {
		name string
		in   NewOrderInput
		code string
	}{
		{"no key", NewOrderInput{CustomerID: "c", ShippingAddress: addr, Lines: lines}, EINVALID},
		{"long key", NewOrderInput{CustomerID: "c", IdempotencyKey: strings.Repeat("k", MaxIdempotencyKeyLength+1), ShippingAddress: addr, Lines: lines}, EINVALID},
		{"untrimmed key", NewOrderInput{CustomerID: "c", IdempotencyKey: " k", ShippingAddress: addr, Lines: lines}, EINVALID},
		{"no address", NewOrderInput{CustomerID: "c", IdempotencyKey: "k", Lines: lines}, EINVALID},
		{"empty cart", NewOrderInput{CustomerID: "c", IdempotencyKey: "k", ShippingAddress: addr}, EINVALID},
		{"out of stock", NewOrderInput{CustomerID: "c", IdempotencyKey: "k", ShippingAddress: addr, Lines: short}, EOUTOFSTOCK},
		{"no longer sold", NewOrderInput{CustomerID: "c", IdempotencyKey: "k", ShippingAddress: addr, Lines: gone}, ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewOrder(tt.in); ErrorCode(err) != tt.code {
				t.Errorf("err = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestOrderIDFor(t *testing.T) {
	a, b := OrderIDFor("cus_a", "k"), OrderIDFor("cus_b", "k")
	if a == b || a != OrderIDFor("cus_a", "k") || OrderIDFor("cus_a", "k2") == a {
		t.Errorf("IDs must depend on customer and key, and only on them: %s %s", a, b)
	}
	// The separator keeps ("ab", "c") and ("a", "bc") apart.
	if OrderIDFor("ab", "c") == OrderIDFor("a", "bc") {
		t.Error("customer/key boundary is ambiguous")
	}
	if !strings.HasPrefix(a, PrefixOrder+"_") || len(a) != len(NewID(PrefixOrder)) {
		t.Errorf("%q does not look like an order ID", a)
	}
}

func TestTotalsForRefusesLinesThatDoNotAddUp(t *testing.T) {
	bad := [][]OrderLine{
		nil,
		{{Quantity: 2, UnitPrice: USD(100), LineTotal: USD(201)}},
		{{Quantity: 0, UnitPrice: USD(100), LineTotal: USD(0)}},
		{{Quantity: 1, UnitPrice: USD(-1), LineTotal: USD(-1)}},
		{{Quantity: 1, UnitPrice: USD(1), LineTotal: USD(1)}, {Quantity: 1, UnitPrice: Money{1, "EUR"}, LineTotal: Money{1, "EUR"}}},
	}
	for i, lines := range bad {
		if _, err := TotalsFor(lines); ErrorCode(err) != EINVALID {
			t.Errorf("case %d: err = %v", i, err)
		}
	}
	got, err := TotalsFor([]OrderLine{{Quantity: 2, UnitPrice: USD(2500), LineTotal: USD(5000)}})
	if err != nil || got.ShippingCost.Amount != 0 || got.Total != USD(5000) {
		t.Errorf("free shipping from %d: %+v %v", FreeShippingFrom, got, err)
	}
}
