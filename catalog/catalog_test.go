package catalog

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orderly-shop/orderly"
)

// staticSource serves a fixed catalog, failing while err is set.
type staticSource struct {
	mu       sync.Mutex
	products []*orderly.Product
	err      error
	loads    int
}

func (s *staticSource) AllProducts(context.Context) ([]*orderly.Product, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.loads++
	if s.err != nil {
		return nil, s.err
	}
	out := make([]*orderly.Product, len(s.products))
	for i, p := range s.products {
		c := *p
		out[i] = &c
	}
	return out, nil
}

// chanFeed is a change feed the test publishes to by hand.
type chanFeed struct {
	mu   sync.Mutex
	subs []chan orderly.Change
}

func (f *chanFeed) Subscribe(ctx context.Context, match func(orderly.Change) bool) <-chan orderly.Change {
	ch := make(chan orderly.Change, 16)
	f.mu.Lock()
	f.subs = append(f.subs, ch)
	f.mu.Unlock()
	return ch
}

func (f *chanFeed) publish(c orderly.Change) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.subs {
		ch <- c
	}
}

// drop closes every subscription, as a feed does to one that fell behind.
func (f *chanFeed) drop() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, ch := range f.subs {
		close(ch)
	}
	f.subs = nil
}

func demo() []*orderly.Product {
	names := []struct{ name, cat, desc, sku string }{
		{"Aurora Wireless Headphones", "Audio", "Over-ear headphones", "AUD-001"},
		{"Pebble Bluetooth Speaker", "Audio", "Waterproof wireless speaker", "AUD-002"},
		{"Cast Iron Skillet 26 cm", "Kitchen", "Pre-seasoned skillet", "KIT-002"},
		{"Chef's Knife 20 cm", "Kitchen", "Forged steel", "KIT-003"},
		{"Merino Crew Sweater", "Apparel", "Soft merino wool", "APP-001"},
		{"Summit Daypack 24 L", "Outdoor", "Light pack", "OUT-001"},
		{"Trail Insulated Bottle", "Outdoor", "Steel bottle", "OUT-002"},
		// Two products with the same name: the ID tie-break keeps pages exact.
		{"Aurora Wireless Headphones", "Audio", "The twin", "AUD-009"},
	}
	var out []*orderly.Product
	for i, n := range names {
		out = append(out, &orderly.Product{ID: fmt.Sprintf("prd_%02d", i), SKU: n.sku, Name: n.name, Category: n.cat,
			Description: n.desc, Price: orderly.USD(1000), Stock: 5, Version: 1})
	}
	return out
}

// startCache runs a cache over source and feed until the test ends.
func startCache(t *testing.T, source *staticSource, feed *chanFeed) *Cache {
	t.Helper()
	c := New(source, feed, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		feed.drop()
		if err := <-done; err != nil {
			t.Error(err)
		}
	})
	wait, stop := context.WithTimeout(ctx, 10*time.Second)
	defer stop()
	if err := c.Wait(wait); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFindProducts(t *testing.T) {
	ctx := context.Background()
	c := startCache(t, &staticSource{products: demo()}, &chanFeed{})
	tests := []struct {
		name   string
		filter orderly.ProductFilter
		want   int
	}{
		{"all", orderly.ProductFilter{}, 8},
		{"category", orderly.ProductFilter{Category: "Kitchen"}, 2},
		{"search name, any case", orderly.ProductFilter{Search: "SKILLET"}, 1},
		{"search description", orderly.ProductFilter{Search: "merino wool"}, 1},
		{"search sku", orderly.ProductFilter{Search: "out-00"}, 2},
		{"search and category", orderly.ProductFilter{Search: "wireless", Category: "Audio"}, 3},
		{"pattern characters are literal", orderly.ProductFilter{Search: "A.*"}, 0},
		{"spaces and digits", orderly.ProductFilter{Search: "26 cm"}, 1},
		{"no match", orderly.ProductFilter{Search: "zeppelin"}, 0},
		{"unknown category", orderly.ProductFilter{Category: "Garden"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var all []*orderly.Product
			f := tt.filter
			f.Page.First = 3
			for range 20 {
				page, err := c.FindProducts(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if page.TotalCount != tt.want || len(page.Cursors) != len(page.Items) {
					t.Fatalf("TotalCount = %d (want %d), %d cursors for %d items", page.TotalCount, tt.want, len(page.Cursors), len(page.Items))
				}
				all = append(all, page.Items...)
				if !page.HasNextPage {
					break
				}
				f.Page.After = page.Cursors[len(page.Cursors)-1]
			}
			if len(all) != tt.want || !slices.IsSortedFunc(all, orderly.CompareProducts) {
				t.Fatalf("paged through %d products (want %d), sorted %v", len(all), tt.want, slices.IsSortedFunc(all, orderly.CompareProducts))
			}
		})
	}
	cats, err := c.Categories(ctx)
	if want := []string{"Apparel", "Audio", "Kitchen", "Outdoor"}; err != nil || !slices.Equal(cats, want) {
		t.Errorf("categories = %v, %v; want %v", cats, err, want)
	}
}

func TestFindProductsRejectsBadInput(t *testing.T) {
	c := startCache(t, &staticSource{products: demo()}, &chanFeed{})
	for _, f := range []orderly.ProductFilter{
		{Page: orderly.PageRequest{After: "!!!"}},
		{Page: orderly.PageRequest{After: "bm9wZQ"}},
		{Page: orderly.PageRequest{First: orderly.MaxPageSize + 1}},
		{Page: orderly.PageRequest{First: -1}},
		{Search: strings.Repeat("x", orderly.MaxSearchLength+1)},
	} {
		if _, err := c.FindProducts(context.Background(), f); orderly.ErrorCode(err) != orderly.EINVALID {
			t.Errorf("%+v: %v, want INVALID", f, err)
		}
	}
}

// TestCacheFollowsTheFeed: a product change replaces the cached copy, an
// older copy never replaces a newer one, and a dropped subscription reloads
// the whole catalog.
func TestCacheFollowsTheFeed(t *testing.T) {
	ctx := context.Background()
	source := &staticSource{products: demo()}
	feed := &chanFeed{}
	c := startCache(t, source, feed)
	stockOf := func() int {
		p, err := c.FindProductByID(ctx, "prd_00")
		if err != nil {
			t.Fatal(err)
		}
		return p.Stock
	}
	eventually := func(want int) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); stockOf() != want; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("stock %d, want %d", stockOf(), want)
			}
		}
	}
	p := *demo()[0]
	p.Stock, p.Version = 3, 3
	feed.publish(orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: 3, Product: &p})
	eventually(3)
	older := p
	older.Stock, older.Version = 4, 2
	feed.publish(orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: 2, Product: &older})
	newer := p
	newer.Stock, newer.Version = 1, 4
	feed.publish(orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: 4, Product: &newer})
	eventually(1)

	source.mu.Lock()
	source.products[0].Stock, source.products[0].Version = 7, 9
	loads := source.loads
	source.mu.Unlock()
	feed.drop()
	eventually(7)
	if source.loads <= loads {
		t.Error("a dropped subscription did not reload the catalog")
	}
	if _, err := c.FindProductByID(ctx, "prd_nope"); orderly.ErrorCode(err) != orderly.ENOTFOUND {
		t.Errorf("unknown product: %v", err)
	}
	got, err := c.FindProductsByIDs(ctx, []string{"prd_01", "prd_nope", "prd_02"})
	if err != nil || len(got) != 2 {
		t.Errorf("by IDs = %d products, %v", len(got), err)
	}
}

// TestCacheRetriesTheFirstLoad: Wait blocks until a load succeeds.
func TestCacheRetriesTheFirstLoad(t *testing.T) {
	source := &staticSource{products: demo(), err: errors.New("store down")}
	feed := &chanFeed{}
	c := New(source, feed, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = c.Run(ctx) }()
	short, stop := context.WithTimeout(ctx, 50*time.Millisecond)
	defer stop()
	if err := c.Wait(short); err == nil {
		t.Fatal("Wait returned before any load succeeded")
	}
	if _, err := c.FindProducts(short, orderly.ProductFilter{}); orderly.ErrorCode(err) != orderly.EUNAVAILABLE {
		t.Fatalf("a read before the first load: %v, want UNAVAILABLE (not an empty catalog)", err)
	}
	source.mu.Lock()
	source.err = nil
	source.mu.Unlock()
	long, stopLong := context.WithTimeout(ctx, 10*time.Second)
	defer stopLong()
	if err := c.Wait(long); err != nil {
		t.Fatal(err)
	}
	cancel()
	feed.drop()
}
