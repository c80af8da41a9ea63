package graph

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/orderly-shop/orderly"
)

// locationsOnce holds the stock locations for one response.
type locationsOnce struct {
	once sync.Once
	locs []orderly.Location
	err  error
}

// locations returns the stock locations, read once per response.
func (r *Resolver) locations(ctx context.Context) ([]orderly.Location, error) {
	if r.LocationService == nil {
		return nil, nil
	}
	l := &r.loadersFrom(ctx).locations
	l.once.Do(func() { l.locs, l.err = r.LocationService.Locations(ctx) })
	return l.locs, l.err
}

// lowStock lists every product and location pair at or under
// orderly.LowStockAt, by location then product name, from the catalog.
func (r *Resolver) lowStock(ctx context.Context) ([]*LowStock, error) {
	locs, err := r.locations(ctx)
	if err != nil {
		return nil, err
	}
	var out []*LowStock
	var after string
	for {
		page, err := r.ProductService.FindProducts(ctx, orderly.ProductFilter{Page: orderly.PageRequest{First: orderly.MaxPageSize, After: after}})
		if err != nil {
			return nil, err
		}
		for _, p := range page.Items {
			for i, lvl := range p.Availability(locs) {
				if orderly.IsLowStock(lvl.Available) {
					out = append(out, &LowStock{Product: p, Location: &locs[i], Available: lvl.Available})
				}
			}
		}
		if !page.HasNextPage || len(page.Cursors) == 0 {
			break
		}
		after = page.Cursors[len(page.Cursors)-1]
	}
	slices.SortStableFunc(out, func(a, b *LowStock) int {
		return cmp.Or(cmp.Compare(a.Location.ID, b.Location.ID), orderly.CompareProducts(a.Product, b.Product))
	})
	return out, nil
}

// shipmentsChange is the change as the API shows it: lists, never null.
func shipmentsChange(c orderly.ShipmentsChange) *orderly.ShipmentsChange {
	if c.Changed == nil {
		c.Changed = []string{}
	}
	if c.Dispatched == nil {
		c.Dispatched = []string{}
	}
	return &c
}

// deref is an optional input's value, "" when absent.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
