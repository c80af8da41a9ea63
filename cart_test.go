package orderly

import (
	"testing"
	"time"
)

func TestCartLines(t *testing.T) {
	mug := &Product{ID: "prd_mug", Name: "Mug", Price: USD(1000), Stock: 5}
	var c Cart
	c, err := c.AddLine(mug, 2)
	if err != nil || len(c.Lines) != 1 || c.Lines[0].Quantity != 2 {
		t.Fatalf("add = %+v, %v", c, err)
	}
	before := c
	c, err = c.AddLine(mug, 2)
	if err != nil || c.Lines[0].Quantity != 4 || before.Lines[0].Quantity != 2 {
		t.Fatalf("merge = %+v (before %+v), %v", c, before, err)
	}
	if _, err := c.AddLine(mug, 2); ErrorCode(err) != EOUTOFSTOCK {
		t.Errorf("past stock: %v", err)
	}
	if _, err := c.AddLine(mug, 0); ErrorCode(err) != EINVALID {
		t.Errorf("zero: %v", err)
	}
	big := &Product{ID: "prd_big", Stock: 1000}
	if _, err := (Cart{Lines: []CartLine{{ProductID: big.ID, Quantity: 98}}}).AddLine(big, 2); ErrorCode(err) != EINVALID {
		t.Errorf("past %d units: %v", MaxLineQuantity, err)
	}
	full := Cart{}
	for i := range MaxCartLines {
		full.Lines = append(full.Lines, CartLine{ProductID: string(rune('a' + i)), Quantity: 1})
	}
	if _, err := full.AddLine(mug, 1); ErrorCode(err) != EINVALID {
		t.Errorf("past %d lines: %v", MaxCartLines, err)
	}
	if c, err = c.SetLine(mug, 1); err != nil || c.Lines[0].Quantity != 1 {
		t.Errorf("set = %+v, %v", c, err)
	}
	if _, err := c.SetLine(&Product{ID: "other", Stock: 9}, 1); ErrorCode(err) != ENOTFOUND {
		t.Errorf("set absent: %v", err)
	}
	if c, err = c.RemoveLine(mug.ID); err != nil || len(c.Lines) != 0 {
		t.Errorf("remove = %+v, %v", c, err)
	}
	if _, err := c.RemoveLine(mug.ID); ErrorCode(err) != ENOTFOUND {
		t.Errorf("remove absent: %v", err)
	}
}

func TestCartClaim(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := Cart{CustomerID: "cus_a", Version: 7, Lines: []CartLine{{ProductID: "p", Quantity: 1}}}
	o := &Order{ID: "ord_x"}
	if _, err := c.Claim(6, o, at); ErrorCode(err) != ECONFLICT {
		t.Errorf("claim of an old version: %v", err)
	}
	claimed, err := c.Claim(7, o, at)
	if err != nil || len(claimed.Lines) != 0 || claimed.Checkout == nil || !claimed.Checkout.Pending ||
		claimed.Checkout.OrderID != "ord_x" || claimed.Checkout.Version != 7 || len(c.Lines) != 1 {
		t.Fatalf("claim = %+v, %v (cart before: %+v)", claimed, err, c)
	}
	claimed.Lines = []CartLine{{ProductID: "q", Quantity: 1}}
	if _, err := claimed.Claim(7, &Order{ID: "ord_y"}, at); ErrorCode(err) != ECONFLICT {
		t.Errorf("a second claim while one is pending: %v", err)
	}
	if _, ok := claimed.Settled("ord_other"); ok {
		t.Error("settled another order's checkout")
	}
	settled, ok := claimed.Settled("ord_x")
	if !ok || settled.Checkout.Pending || settled.Checkout.Order != nil || len(settled.Lines) != 1 {
		t.Errorf("settled = %+v, %v", settled, ok)
	}
	if _, ok := settled.Settled("ord_x"); ok {
		t.Error("settling twice reported a change")
	}
	if _, err := (Cart{Version: 1}).Claim(1, o, at); ErrorCode(err) != EINVALID {
		t.Errorf("claim of an empty cart: %v", err)
	}
}

func TestPriceCart(t *testing.T) {
	mug := &Product{ID: "prd_mug", Price: USD(1000)}
	c := Cart{CustomerID: "c", Version: 3, Lines: []CartLine{{ProductID: "prd_mug", Quantity: 2}, {ProductID: "gone", Quantity: 1}}}
	pc := PriceCart(c, map[string]*Product{mug.ID: mug})
	if len(pc.Lines) != 1 || pc.Subtotal != USD(2000) || pc.ItemCount != 2 || pc.Version != 3 {
		t.Errorf("priced = %+v", pc)
	}
}
