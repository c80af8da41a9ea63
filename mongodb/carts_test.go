package mongodb

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

func TestCartLifecycle(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	lamp := insertProduct(t, db, orderly.Product{Name: "Lamp", Price: orderly.USD(4900), Stock: 10})
	mug := insertProduct(t, db, orderly.Product{Name: "Mug", Price: orderly.USD(1250), Stock: 5})

	c, err := cs.FindCart(ctx, "cus_a")
	if err != nil || len(c.Lines) != 0 || c.Subtotal != orderly.USD(0) || c.ItemCount != 0 {
		t.Fatalf("empty cart = %+v, %v", c, err)
	}
	if _, err := cs.AddToCart(ctx, "cus_a", lamp.ID, 2); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.AddToCart(ctx, "cus_a", mug.ID, 1); err != nil {
		t.Fatal(err)
	}
	c, err = cs.AddToCart(ctx, "cus_a", lamp.ID, 1) // merges with the existing line
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{lamp.ID: 3, mug.ID: 1}, 3*4900+1250)
	if c.Lines[0].Product.ID != lamp.ID || c.Lines[0].UnitPrice != orderly.USD(4900) || c.Lines[0].LineTotal != orderly.USD(3*4900) {
		t.Errorf("first line = %+v", c.Lines[0])
	}

	c, err = cs.UpdateCartLine(ctx, "cus_a", mug.ID, 4)
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{lamp.ID: 3, mug.ID: 4}, 3*4900+4*1250)

	c, err = cs.RemoveCartLine(ctx, "cus_a", lamp.ID)
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{mug.ID: 4}, 4*1250)

	// Another customer's cart is separate.
	if c, err := cs.FindCart(ctx, "cus_b"); err != nil || len(c.Lines) != 0 {
		t.Fatalf("cus_b cart = %+v, %v", c, err)
	}

	// The cart is priced on read: a price change shows at once.
	if _, err := db.coll(colProducts).UpdateByID(ctx, mug.ID, map[string]any{"$set": map[string]any{"price.amount": 1000}}); err != nil {
		t.Fatal(err)
	}
	c, err = cs.FindCart(ctx, "cus_a")
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{mug.ID: 4}, 4*1000)

	c, err = cs.ClearCart(ctx, "cus_a")
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{}, 0)
	if c, err := cs.ClearCart(ctx, "cus_never"); err != nil || len(c.Lines) != 0 {
		t.Fatalf("clearing a cart that never existed: %+v, %v", c, err)
	}
}

func checkCart(t *testing.T, c *orderly.PricedCart, want map[string]int, subtotal int64) {
	t.Helper()
	got := map[string]int{}
	items := 0
	for _, l := range c.Lines {
		got[l.Product.ID] = l.Quantity
		items += l.Quantity
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("cart lines = %v, want %v", got, want)
	}
	if c.Subtotal != orderly.USD(subtotal) || c.ItemCount != items {
		t.Errorf("subtotal %v, items %d; want %v, %d", c.Subtotal, c.ItemCount, orderly.USD(subtotal), items)
	}
}

func TestCartErrors(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	lamp := insertProduct(t, db, orderly.Product{Name: "Lamp", Stock: 200})
	mug := insertProduct(t, db, orderly.Product{Name: "Mug", Stock: 3})
	if _, err := cs.AddToCart(ctx, "cus_a", lamp.ID, 95); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.AddToCart(ctx, "cus_a", mug.ID, 1); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		do   func() error
		code string
	}{
		{"add zero", func() error { _, err := cs.AddToCart(ctx, "cus_a", lamp.ID, 0); return err }, orderly.EINVALID},
		{"add negative", func() error { _, err := cs.AddToCart(ctx, "cus_b", lamp.ID, -1); return err }, orderly.EINVALID},
		{"add huge", func() error { _, err := cs.AddToCart(ctx, "cus_b", lamp.ID, 1_000_000); return err }, orderly.EINVALID},
		{"add past the line limit", func() error { _, err := cs.AddToCart(ctx, "cus_a", lamp.ID, 5); return err }, orderly.EINVALID},
		{"add unknown product", func() error { _, err := cs.AddToCart(ctx, "cus_b", "prd_nope", 1); return err }, orderly.ENOTFOUND},
		{"add more than stock", func() error { _, err := cs.AddToCart(ctx, "cus_b", mug.ID, 4); return err }, orderly.EOUTOFSTOCK},
		{"add without customer", func() error { _, err := cs.AddToCart(ctx, "", lamp.ID, 1); return err }, orderly.EINVALID},
		{"add to a line past stock", func() error { _, err := cs.AddToCart(ctx, "cus_a", mug.ID, 3); return err }, orderly.EOUTOFSTOCK},
		{"update to zero", func() error { _, err := cs.UpdateCartLine(ctx, "cus_a", lamp.ID, 0); return err }, orderly.EINVALID},
		{"update to 100", func() error { _, err := cs.UpdateCartLine(ctx, "cus_a", lamp.ID, 100); return err }, orderly.EINVALID},
		{"update past stock", func() error { _, err := cs.UpdateCartLine(ctx, "cus_a", mug.ID, 4); return err }, orderly.EOUTOFSTOCK},
		{"update unknown product", func() error { _, err := cs.UpdateCartLine(ctx, "cus_a", "prd_nope", 1); return err }, orderly.ENOTFOUND},
		{"update line not in cart", func() error { _, err := cs.UpdateCartLine(ctx, "cus_b", lamp.ID, 1); return err }, orderly.ENOTFOUND},
		{"remove line not in cart", func() error { _, err := cs.RemoveCartLine(ctx, "cus_b", lamp.ID); return err }, orderly.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.do(), tt.code) })
	}
	// None of the failures changed the cart.
	c, err := cs.FindCart(ctx, "cus_a")
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{lamp.ID: 95, mug.ID: 1}, 96*1000)
}

func TestCartLineLimit(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	for i := range orderly.MaxCartLines {
		p := insertProduct(t, db, orderly.Product{ID: fmt.Sprintf("prd_%03d", i), Name: "P", Stock: 5})
		if _, err := cs.AddToCart(ctx, "cus_a", p.ID, 1); err != nil {
			t.Fatal(err)
		}
	}
	extra := insertProduct(t, db, orderly.Product{Name: "One too many", Stock: 5})
	_, err := cs.AddToCart(ctx, "cus_a", extra.ID, 1)
	wantCode(t, err, orderly.EINVALID)
	// Adding to an existing line is still fine at the limit.
	if _, err := cs.AddToCart(ctx, "cus_a", "prd_000", 1); err != nil {
		t.Fatal(err)
	}
}

// TestCartConcurrentAdds loses no update when the same customer adds from
// many requests at once.
func TestCartConcurrentAdds(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 99})
	b := insertProduct(t, db, orderly.Product{Name: "B", Stock: 99})
	var wg sync.WaitGroup
	for i := range 8 {
		p := a
		if i%2 == 1 {
			p = b
		}
		wg.Go(func() {
			if _, err := cs.AddToCart(ctx, "cus_a", p.ID, 1); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	c, err := cs.FindCart(ctx, "cus_a")
	if err != nil {
		t.Fatal(err)
	}
	checkCart(t, c, map[string]int{a.ID: 4, b.ID: 4}, 8*1000)
}

// TestCartPricingIsOneQuery prices a cart of many lines with one catalog
// query, not one per line.
func TestCartPricingIsOneQuery(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	for i := range 10 {
		p := insertProduct(t, db, orderly.Product{ID: fmt.Sprintf("prd_%02d", i), Name: "P", Stock: 5})
		if _, err := cs.AddToCart(ctx, "cus_a", p.ID, 1); err != nil {
			t.Fatal(err)
		}
	}
	counter := &commandCounter{}
	counted, err := openCounting(ctx, db.Name(), counter, t)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCartService(counted, nil).FindCart(ctx, "cus_a")
	if err != nil || len(c.Lines) != 10 {
		t.Fatalf("cart: %d lines, %v", len(c.Lines), err)
	}
	if got := counter.count("find"); got != 2 { // the cart, then the products
		t.Errorf("FindCart ran %d finds, want 2", got)
	}
}

// TestClaimCart: a claim empties the cart of the claimed version in one
// write and records the pending checkout with its order; a claim of an older
// version, or while one is pending, changes nothing; lines added after the
// claim stay in the cart; settling keeps them and forgets the order copy.
func TestClaimCart(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 9})
	b := insertProduct(t, db, orderly.Product{Name: "B", Stock: 9})
	c, err := cs.AddToCart(ctx, "cus_a", a.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	o := newOrder("cus_a", "k1")
	wantCode(t, cs.ClaimCart(ctx, "cus_a", c.Version-1, o), orderly.ECONFLICT)
	if err := cs.ClaimCart(ctx, "cus_a", c.Version, o); err != nil {
		t.Fatal(err)
	}
	claimed, err := cs.FindCart(ctx, "cus_a")
	if err != nil {
		t.Fatal(err)
	}
	co := claimed.Checkout
	if len(claimed.Lines) != 0 || claimed.Version != c.Version+1 || co == nil || !co.Pending ||
		co.OrderID != o.ID || co.Version != c.Version || co.Order == nil || co.Order.Total != o.Total {
		t.Fatalf("claimed cart = %+v, checkout %+v", claimed, co)
	}
	// A line added during the checkout lands in the emptied cart.
	if _, err := cs.AddToCart(ctx, "cus_a", b.ID, 1); err != nil {
		t.Fatal(err)
	}
	wantCode(t, cs.ClaimCart(ctx, "cus_a", claimed.Version+1, newOrder("cus_a", "k2")), orderly.ECONFLICT)

	pending, err := cs.PendingCheckouts(ctx, time.Now().Add(time.Minute), 10)
	if err != nil || len(pending) != 1 || pending[0].CustomerID != "cus_a" || pending[0].Checkout.Order.ID != o.ID {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	if early, err := cs.PendingCheckouts(ctx, time.Now().Add(-time.Minute), 10); err != nil || len(early) != 0 {
		t.Fatalf("pending before the claim = %+v, %v", early, err)
	}
	if err := cs.SettleCheckout(ctx, "cus_a", o.ID); err != nil {
		t.Fatal(err)
	}
	if err := cs.SettleCheckout(ctx, "cus_a", o.ID); err != nil { // a repeat
		t.Fatal(err)
	}
	settled, err := cs.FindCart(ctx, "cus_a")
	if err != nil {
		t.Fatal(err)
	}
	if settled.Checkout == nil || settled.Checkout.Pending || settled.Checkout.Order != nil || settled.Checkout.OrderID != o.ID {
		t.Errorf("settled checkout = %+v", settled.Checkout)
	}
	checkCart(t, settled, map[string]int{b.ID: 1}, 1000)
	if pending, err := cs.PendingCheckouts(ctx, time.Now().Add(time.Minute), 10); err != nil || len(pending) != 0 {
		t.Errorf("pending after settling = %+v, %v", pending, err)
	}
}

// TestClaimCartRace: of ten claims of one cart version at once, one wins.
func TestClaimCartRace(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	cs := NewCartService(db, nil)
	a := insertProduct(t, db, orderly.Product{Name: "A", Stock: 9})
	c, err := cs.AddToCart(ctx, "cus_a", a.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	won, conflicts := 0, 0
	for i := range 10 {
		wg.Go(func() {
			err := cs.ClaimCart(ctx, "cus_a", c.Version, newOrder("cus_a", fmt.Sprint("tab", i)))
			mu.Lock()
			defer mu.Unlock()
			switch orderly.ErrorCode(err) {
			case "":
				won++
			case orderly.ECONFLICT:
				conflicts++
			default:
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if won != 1 || conflicts != 9 {
		t.Errorf("%d claims won, %d conflicts; want 1 and 9", won, conflicts)
	}
}
