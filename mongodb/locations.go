package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// Locations lists every location, ordered by ID: the operators' list,
// read from a collection that holds a handful of documents.
func (s *InventoryService) Locations(ctx context.Context) ([]orderly.Location, error) {
	cur, err := s.db.coll(colLocations).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("locations: %w", err)
	}
	locs := []orderly.Location{}
	if err := cur.All(ctx, &locs); err != nil {
		return nil, fmt.Errorf("locations: %w", err)
	}
	return locs, nil
}

// locationsByID reads the locations with these IDs, ordered by ID; unknown
// IDs are skipped. It is a lookup by _id on both stores.
func (s *InventoryService) locationsByID(ctx context.Context, ids []string) ([]orderly.Location, error) {
	locs := []orderly.Location{}
	if len(ids) == 0 {
		return locs, nil
	}
	cur, err := s.db.coll(colLocations).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, err
	}
	if err := cur.All(ctx, &locs); err != nil {
		return nil, err
	}
	orderly.SortLocations(locs)
	return locs, nil
}

// Restock adds an operator's delivery of a product to a location's stock,
// once per key, and returns the product after it.
func (s *InventoryService) Restock(ctx context.Context, r orderly.Restock) (*orderly.Product, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	locs, err := s.locationsByID(ctx, []string{r.LocationID})
	if err != nil {
		return nil, fmt.Errorf("restock: %w", err)
	}
	if len(locs) == 0 {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "input.locationId", "location %q not found", r.LocationID)
	}
	p, err := s.stockOf(ctx, r.ProductID)
	if orderly.ErrorCode(err) == orderly.ENOTFOUND {
		return nil, orderly.FieldErrorf(orderly.ENOTFOUND, "input.productId", "product %q not found", r.ProductID)
	} else if err != nil {
		return nil, fmt.Errorf("restock: %w", err)
	}
	if _, err := s.addStock(ctx, p, r.LocationID, r.Quantity, r.RestockID()); err != nil {
		return nil, fmt.Errorf("restock: %w", err)
	}
	return NewProductService(s.db).FindProductByID(ctx, r.ProductID)
}
