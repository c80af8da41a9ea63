package mongodb

import (
	"context"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// productProjection leaves out what the inventory keeps on each product
// document for the orders in flight and the returns (see InventoryService):
// readers of the catalog never need it, and it grows with them.
func productProjection() bson.D {
	return bson.D{{Key: "reservations", Value: 0}, {Key: "holds", Value: 0}, {Key: "restocks", Value: 0}}
}

// ProductService reads products from the store: by ID, and the whole
// catalog for the in-memory catalog (package catalog) that serves the
// catalog's lists and searches.
type ProductService struct {
	db *DB
}

// NewProductService returns a ProductService over db.
func NewProductService(db *DB) *ProductService { return &ProductService{db: db} }

// FindProductByID returns ENOTFOUND if there is no such product.
func (s *ProductService) FindProductByID(ctx context.Context, id string) (*orderly.Product, error) {
	var p orderly.Product
	err := s.db.coll(colProducts).FindOne(ctx, bson.D{{Key: "_id", Value: id}},
		options.FindOne().SetProjection(productProjection())).Decode(&p)
	if err != nil {
		return nil, notFoundOr(err, "find product", "product %q not found", id)
	}
	return &p, nil
}

// FindProductsByIDs returns the products found, in no particular order, in
// one query.
func (s *ProductService) FindProductsByIDs(ctx context.Context, ids []string) ([]*orderly.Product, error) {
	products := []*orderly.Product{}
	if len(ids) == 0 {
		return products, nil
	}
	cur, err := s.db.coll(colProducts).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}},
		options.Find().SetProjection(productProjection()))
	if err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	if err := cur.All(ctx, &products); err != nil {
		return nil, fmt.Errorf("find products: %w", err)
	}
	return products, nil
}

// AllProducts returns the whole catalog, which the server keeps in memory
// (see package catalog): one read of a small collection at start-up and
// whenever a server's copy must be rebuilt.
func (s *ProductService) AllProducts(ctx context.Context) ([]*orderly.Product, error) {
	cur, err := s.db.coll(colProducts).Find(ctx, bson.D{}, options.Find().SetProjection(productProjection()))
	if err != nil {
		return nil, fmt.Errorf("all products: %w", err)
	}
	products := []*orderly.Product{}
	if err := cur.All(ctx, &products); err != nil {
		return nil, fmt.Errorf("all products: %w", err)
	}
	return products, nil
}
