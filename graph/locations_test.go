package graph

import (
	"slices"
	"testing"

	"github.com/orderly-shop/orderly"
)

func TestLocationsAvailabilityAndLowStock(t *testing.T) {
	f := newFixture(t)
	p := f.products[0]
	f.store.mu.Lock()
	f.store.products[p.ID].StockAt = map[string]int{"loc_eu": 3, "loc_us": 7}
	f.store.mu.Unlock()

	var data struct {
		Locations []orderly.Location
		Product   struct {
			Availability []struct {
				Location  struct{ ID string }
				Available int
				Low       bool
			}
		}
	}
	f.ok("", `query($id: ID!) { locations { id name country } product(id: $id) { availability { location { id } available low } } }`,
		map[string]any{"id": p.ID}, &data)
	if !slices.Equal(data.Locations, fakeLocations) {
		t.Errorf("locations = %+v", data.Locations)
	}
	av := data.Product.Availability
	if len(av) != 2 || av[0].Location.ID != "loc_eu" || av[0].Available != 3 || !av[0].Low || av[1].Available != 7 || av[1].Low {
		t.Errorf("availability = %+v, want EU 3 (low), US 7", av)
	}

	// Low stock is for operators, and lists every pair at or under the level.
	if r := f.do(f.aliceToken, `{ lowStock { available } }`, nil); !slices.Equal(r.codes(), []string{"FORBIDDEN"}) {
		t.Errorf("a customer's lowStock = %+v, want FORBIDDEN", r.Errors)
	}
	var low struct {
		LowStock []struct {
			Product   struct{ ID string }
			Location  struct{ ID string }
			Available int
		}
	}
	f.ok(f.adminToken, `{ lowStock { product { id } location { id } available } }`, nil, &low)
	found := slices.ContainsFunc(low.LowStock, func(l struct {
		Product   struct{ ID string }
		Location  struct{ ID string }
		Available int
	}) bool {
		return l.Product.ID == p.ID && l.Location.ID == "loc_eu" && l.Available == 3
	})
	// The other products hold nothing anywhere: 0 is low too.
	if !found || len(low.LowStock) != 2*len(f.products)-1 {
		t.Errorf("lowStock = %+v, want %s at loc_eu and every empty pair", low.LowStock, p.ID)
	}
}

func TestRestock(t *testing.T) {
	f := newFixture(t)
	p := f.products[1]
	const m = `mutation($in: RestockInput!) { restock(input: $in) { product { id stock availability { location { id } available } } errors { code field } } }`
	in := func(loc string, q int) map[string]any {
		return map[string]any{"in": map[string]any{"productId": p.ID, "locationId": loc, "quantity": q}}
	}
	if r := f.do(f.aliceToken, m, in("loc_us", 5)); !slices.Equal(r.codes(), []string{"FORBIDDEN"}) {
		t.Errorf("a customer's restock = %+v, want FORBIDDEN", r.Errors)
	}
	var out struct {
		Product struct {
			Stock        int
			Availability []struct{ Available int }
		}
	}
	if errs := f.mutate(f.adminToken, m, "restock", in("loc_us", 5), &out); len(errs) != 0 {
		t.Fatalf("restock errors = %+v", errs)
	}
	if out.Product.Stock != p.Stock+5 || out.Product.Availability[1].Available != 5 {
		t.Errorf("after restock: %+v", out.Product)
	}
	for _, tc := range []struct {
		vars map[string]any
		code string
	}{
		{in("loc_nope", 5), orderly.ENOTFOUND},
		{in("loc_us", 0), orderly.EINVALID},
		{in("loc_us", orderly.MaxRestockQuantity+1), orderly.EINVALID},
	} {
		if errs := f.mutate(f.adminToken, m, "restock", tc.vars, nil); !slices.Equal(errs.codes(), []string{tc.code}) {
			t.Errorf("restock %v = %+v, want %s", tc.vars, errs, tc.code)
		}
	}
}
