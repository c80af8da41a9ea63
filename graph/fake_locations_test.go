package graph

import (
	"context"
	"slices"

	"github.com/orderly-shop/orderly"
)

// --- LocationService: two locations over the fake catalog ---

var fakeLocations = []orderly.Location{
	{ID: "loc_eu", Name: "EU", Country: "NL"},
	{ID: "loc_us", Name: "US", Country: "US"},
}

func (s *fakeStore) Locations(context.Context) ([]orderly.Location, error) {
	return slices.Clone(fakeLocations), nil
}

func (s *fakeStore) Restock(_ context.Context, r orderly.Restock) (*orderly.Product, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(fakeLocations, func(l orderly.Location) bool { return l.ID == r.LocationID }) {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "input.locationId", "location %q not found", r.LocationID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.products[r.ProductID]
	if !ok {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "input.productId", "product %q not found", r.ProductID)
	}
	c := *p
	c.StockAt = map[string]int{}
	for k, v := range p.StockAt {
		c.StockAt[k] = v
	}
	c.StockAt[r.LocationID] += r.Quantity
	c.Stock += r.Quantity
	c.Version++
	s.products[c.ID] = &c
	out := c
	return &out, nil
}
