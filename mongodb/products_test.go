package mongodb

import (
	"context"
	"reflect"
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
	if err := inv.ReserveStock(ctx, "ord_1", plan(parcel(firstLocation(demo[0]), demo[0].ID, 3))); err != nil {
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
	want.Version = 1
	got, err := ps.FindProductByID(ctx, want.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(*got, want) {
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

func TestAllProducts(t *testing.T) {
	db := seededDB(t)
	got, err := NewProductService(db).AllProducts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(DemoProducts()) {
		t.Fatalf("%d products, want %d", len(got), len(DemoProducts()))
	}
	for _, p := range got {
		if p.Version != 1 || p.Stock <= 0 {
			t.Errorf("%s: version %d stock %d", p.ID, p.Version, p.Stock)
		}
	}
}
