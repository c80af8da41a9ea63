package mongodb

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// maxSearchLength bounds a catalog search string.
const maxSearchLength = 100

// productProjection leaves out the reservations array that the inventory keeps
// on each product document (see InventoryService): readers of the catalog
// never need it, and it grows with the orders in flight.
func productProjection() bson.D { return bson.D{{Key: "reservations", Value: 0}} }

// ProductService reads the catalog. It implements orderly.ProductService.
type ProductService struct {
	db *DB
}

var _ orderly.ProductService = (*ProductService)(nil)

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

// FindProducts returns one page of matching products, ordered by name (then
// ID, so that pages never skip or repeat a product with a duplicate name).
// Search is a case-insensitive substring match on name, description and SKU;
// the input is quoted, so it is never interpreted as a pattern.
func (s *ProductService) FindProducts(ctx context.Context, f orderly.ProductFilter) (orderly.Page[*orderly.Product], error) {
	filter := bson.D{}
	if search := strings.TrimSpace(f.Search); search != "" {
		if len(search) > maxSearchLength {
			return orderly.Page[*orderly.Product]{}, orderly.FieldErrorf(orderly.EINVALID, "search",
				"search must be at most %d characters", maxSearchLength)
		}
		re := bson.Regex{Pattern: regexp.QuoteMeta(search), Options: "i"}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "name", Value: re}},
			bson.D{{Key: "description", Value: re}},
			bson.D{{Key: "sku", Value: re}},
		}})
	}
	if f.Category != "" {
		filter = append(filter, bson.E{Key: "category", Value: f.Category})
	}
	return findPage(ctx, pageQuery[*orderly.Product]{
		coll:       s.db.coll(colProducts),
		filter:     filter,
		after:      func(c pageCursor) bson.D { return byKeyAfter("name", c) },
		sort:       bson.D{{Key: "name", Value: 1}, {Key: "_id", Value: 1}},
		projection: productProjection(),
		cursorOf:   func(p *orderly.Product) pageCursor { return pageCursor{Key: p.Name, ID: p.ID} },
	}, f.Page)
}

// Categories lists the distinct categories, sorted.
func (s *ProductService) Categories(ctx context.Context) ([]string, error) {
	var cats []string
	if err := s.db.coll(colProducts).Distinct(ctx, "category", bson.D{}).Decode(&cats); err != nil {
		return nil, fmt.Errorf("categories: %w", err)
	}
	cats = slices.DeleteFunc(cats, func(c string) bool { return c == "" })
	slices.Sort(cats)
	return cats, nil
}
