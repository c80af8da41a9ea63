package mongodb

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/orderly-shop/orderly"
)

func TestSeedIsIdempotentAndKeepsStock(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	n, err := db.Seed(ctx)
	if err != nil {
		t.Fatal(err)
	}
	demo := DemoProducts()
	if n != len(demo) || n < 20 {
		t.Fatalf("first seed inserted %d products, want %d (>= 20)", n, len(demo))
	}
	// Stock moves (an order), then the process restarts and seeds again.
	inv := NewInventoryService(db)
	line := orderly.OrderLine{ProductID: demo[0].ID, Quantity: 3}
	if err := inv.ReserveStock(ctx, "ord_1", []orderly.OrderLine{line}); err != nil {
		t.Fatal(err)
	}
	n, err = db.Seed(ctx)
	if err != nil || n != 0 {
		t.Fatalf("second seed inserted %d, %v; want 0, nil", n, err)
	}
	p, err := NewProductService(db).FindProductByID(ctx, demo[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stock != demo[0].Stock-3 {
		t.Errorf("stock after reseed = %d, want %d", p.Stock, demo[0].Stock-3)
	}
}

func TestDemoCatalog(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range DemoProducts() {
		switch {
		case seen[p.SKU]:
			t.Errorf("duplicate SKU %s", p.SKU)
		case p.Stock < 10 || p.Stock > 200:
			t.Errorf("%s: stock %d outside 10..200", p.SKU, p.Stock)
		case p.Price.Currency != "USD" || p.Price.Amount <= 0:
			t.Errorf("%s: price %v", p.SKU, p.Price)
		case p.Name == "" || p.Description == "" || p.Category == "":
			t.Errorf("%s: missing text", p.SKU)
		case !strings.HasPrefix(p.ImageURL, "data:image/svg+xml;base64,"):
			t.Errorf("%s: image %q is not a data URI", p.SKU, p.ImageURL)
		}
		seen[p.SKU] = true
	}
}

func TestFindProductByID(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	ps := NewProductService(db)
	want := DemoProducts()[3]
	got, err := ps.FindProductByID(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if *got != want {
		t.Errorf("got %+v\nwant %+v", *got, want)
	}
	_, err = ps.FindProductByID(ctx, "prd_nope")
	wantCode(t, err, orderly.ENOTFOUND)
}

func TestFindProductsByIDs(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	demo := DemoProducts()
	got, err := NewProductService(db).FindProductsByIDs(ctx, []string{demo[0].ID, "prd_nope", demo[5].ID})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, p := range got {
		ids = append(ids, p.ID)
	}
	slices.Sort(ids)
	want := []string{demo[0].ID, demo[5].ID}
	slices.Sort(want)
	if !slices.Equal(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	if got, err := NewProductService(db).FindProductsByIDs(ctx, nil); err != nil || len(got) != 0 {
		t.Errorf("no IDs: %v, %v", got, err)
	}
}

func TestFindProducts(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	ps := NewProductService(db)
	// Two products with the same name: the _id tie-break keeps pages exact.
	insertProduct(t, db, orderly.Product{ID: "prd_twin_a", Name: "Aurora Wireless Headphones", Category: "Audio", Stock: 1})
	insertProduct(t, db, orderly.Product{ID: "prd_twin_b", Name: "Aurora Wireless Headphones", Category: "Audio", Stock: 1})
	total := len(DemoProducts()) + 2

	tests := []struct {
		name   string
		filter orderly.ProductFilter
		want   int
	}{
		{"all", orderly.ProductFilter{}, total},
		{"category", orderly.ProductFilter{Category: "Kitchen"}, 4},
		{"search name, any case", orderly.ProductFilter{Search: "SKILLET"}, 1},
		{"search description", orderly.ProductFilter{Search: "merino wool"}, 1},
		{"search sku", orderly.ProductFilter{Search: "out-00"}, 4},
		{"search and category", orderly.ProductFilter{Search: "wireless", Category: "Audio"}, 4},
		{"regex metacharacters are literal", orderly.ProductFilter{Search: "A.*"}, 0},
		{"dot is literal", orderly.ProductFilter{Search: "26 cm"}, 1},
		{"no match", orderly.ProductFilter{Search: "zeppelin"}, 0},
		{"unknown category", orderly.ProductFilter{Category: "Garden"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var all []*orderly.Product
			f := tt.filter
			f.Page.First = 3
			for range 20 {
				page, err := ps.FindProducts(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				if page.TotalCount != tt.want {
					t.Fatalf("TotalCount = %d, want %d", page.TotalCount, tt.want)
				}
				if len(page.Cursors) != len(page.Items) {
					t.Fatalf("%d cursors for %d items", len(page.Cursors), len(page.Items))
				}
				all = append(all, page.Items...)
				if !page.HasNextPage {
					break
				}
				f.Page.After = page.Cursors[len(page.Cursors)-1]
			}
			if len(all) != tt.want {
				t.Fatalf("paged through %d products, want %d", len(all), tt.want)
			}
			sorted := slices.IsSortedFunc(all, func(a, b *orderly.Product) int {
				return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
			})
			if !sorted {
				t.Error("products are not ordered by name, then ID")
			}
		})
	}
}

func TestFindProductsRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	ps := NewProductService(newTestDB(t))
	tests := []struct {
		name   string
		filter orderly.ProductFilter
	}{
		{"cursor not base64", orderly.ProductFilter{Page: orderly.PageRequest{After: "!!!"}}},
		{"cursor not json", orderly.ProductFilter{Page: orderly.PageRequest{After: "bm9wZQ"}}},
		{"page too large", orderly.ProductFilter{Page: orderly.PageRequest{First: orderly.MaxPageSize + 1}}},
		{"negative page", orderly.ProductFilter{Page: orderly.PageRequest{First: -1}}},
		{"search too long", orderly.ProductFilter{Search: strings.Repeat("x", maxSearchLength+1)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ps.FindProducts(ctx, tt.filter)
			wantCode(t, err, orderly.EINVALID)
		})
	}
}

func TestCategories(t *testing.T) {
	db := seededDB(t)
	got, err := NewProductService(db).Categories(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Apparel", "Audio", "Home Office", "Kitchen", "Outdoor"}
	if !slices.Equal(got, want) {
		t.Errorf("categories = %v, want %v", got, want)
	}
}
