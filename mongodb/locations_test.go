package mongodb

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/orderly-shop/orderly"
)

func TestSeedStoresTheDemoLocations(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	inv := NewInventoryService(db)
	locs, err := inv.Locations(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(locs, DemoLocations()) {
		t.Fatalf("locations = %+v, want %+v", locs, DemoLocations())
	}
	if err := db.EnsureLocations(ctx); err != nil { // a second process starting
		t.Fatal(err)
	}
	if again, _ := inv.Locations(ctx); len(again) != 3 {
		t.Fatalf("locations after a second start = %d, want 3", len(again))
	}
	// Stock stays per location; the split shows in what the demo holds.
	demo := DemoProducts()
	av, err := inv.Availability(ctx, "ord_1", []string{demo[0].ID, demo[2].ID, "prd_nope"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []orderly.Product{demo[0], demo[2]} {
		for loc, n := range p.StockAt {
			if av.Of(p.ID, loc) != n {
				t.Errorf("%s at %s = %d, want %d", p.ID, loc, av.Of(p.ID, loc), n)
			}
		}
	}
	if len(av.Locations) == 0 || av.Of("prd_nope", av.Locations[0].ID) != 0 {
		t.Errorf("availability = %+v", av)
	}
}

func TestMigrateStockMovesLegacyStockOnce(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	p := orderly.Product{ID: "prd_old", SKU: "OLD", Name: "Old", Price: orderly.USD(100), Stock: 9, Version: 3}
	if _, err := db.coll(colProducts).InsertOne(ctx, p); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 2 { // two processes starting at once
		wg.Go(func() {
			if err := db.EnsureLocations(ctx); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if s := readStock(t, db, p.ID); s.Stock != 9 || len(s.StockAt) != 1 || s.StockAt[legacyLocationID] != 9 {
		t.Fatalf("after migration: %+v, want all 9 at %s", s, legacyLocationID)
	}
}

func TestRestockAtALocation(t *testing.T) {
	ctx := context.Background()
	db := seededDB(t)
	inv := NewInventoryService(db)
	p := DemoProducts()[2] // only in US East
	west := orderly.LocationIDFor(demoUSWest)
	r := orderly.Restock{ProductID: p.ID, LocationID: west, Quantity: 4, Key: "delivery-1"}
	for range 2 { // a double submit adds once
		got, err := inv.Restock(ctx, r)
		if err != nil {
			t.Fatal(err)
		}
		if got.StockAt[west] != 4 || got.Stock != p.Stock+4 {
			t.Fatalf("after restock: %+v", got)
		}
	}
	r.Key = ""
	if got, err := inv.Restock(ctx, r); err != nil || got.StockAt[west] != 8 {
		t.Fatalf("an unkeyed restock: %+v, %v", got, err)
	}
	wantCode(t, func() error {
		_, err := inv.Restock(ctx, orderly.Restock{ProductID: p.ID, LocationID: "loc_nope", Quantity: 1})
		return err
	}(), orderly.ENOTFOUND)
	wantCode(t, func() error {
		_, err := inv.Restock(ctx, orderly.Restock{ProductID: "prd_nope", LocationID: west, Quantity: 1})
		return err
	}(), orderly.ENOTFOUND)
	wantCode(t, func() error {
		_, err := inv.Restock(ctx, orderly.Restock{ProductID: p.ID, LocationID: west, Quantity: 0})
		return err
	}(), orderly.EINVALID)
	if s := readStock(t, db, p.ID); s.StockAt[west] != 8 {
		t.Errorf("refused restocks changed the stock: %+v", s)
	}
}
