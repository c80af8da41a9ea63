package orderly

import (
	"cmp"
	"context"
	"strings"
)

// Product is an item of the catalog.
type Product struct {
	ID          string `json:"id" bson:"_id"`
	SKU         string `json:"sku" bson:"sku"`
	Name        string `json:"name" bson:"name"`
	Description string `json:"description" bson:"description"`
	Category    string `json:"category" bson:"category"`
	Price       Money  `json:"price" bson:"price"`
	ImageURL    string `json:"imageUrl" bson:"imageUrl"`
	// Stock is the number of units available to reserve right now.
	Stock int `json:"stock" bson:"stock"`
	// Version grows with every change of the product (a reservation moves
	// its stock), so a cached catalog can tell which copy is newer.
	Version int `json:"version" bson:"version"`
}

// MaxSearchLength bounds a catalog search string and a category name.
const MaxSearchLength = 100

// ProductFilter selects products. Zero fields select everything.
type ProductFilter struct {
	// Search matches name, description or SKU, case-insensitively.
	Search string
	// Category matches the category exactly.
	Category string
	Page     PageRequest
}

// Validate checks the filter's lengths and page.
func (f ProductFilter) Validate() error {
	if err := ValidateText("search", f.Search, 0, MaxSearchLength); err != nil {
		return err
	}
	if err := ValidateText("category", f.Category, 0, MaxSearchLength); err != nil {
		return err
	}
	return f.Page.Validate()
}

// Matches reports whether p is selected by the filter's search and
// category: search is a case-insensitive substring of the name, the
// description or the SKU; category matches exactly.
func (f ProductFilter) Matches(p *Product) bool {
	if f.Category != "" && p.Category != f.Category {
		return false
	}
	q := strings.ToLower(strings.TrimSpace(f.Search))
	if q == "" {
		return true
	}
	return strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(strings.ToLower(p.Description), q) ||
		strings.Contains(strings.ToLower(p.SKU), q)
}

// CompareProducts is the catalog's order: by name, then by ID, so pages
// never skip or repeat a product whose name another shares.
func CompareProducts(a, b *Product) int {
	return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.ID, b.ID))
}

// ProductService reads the catalog.
type ProductService interface {
	// FindProductByID returns ENOTFOUND if there is no such product.
	FindProductByID(ctx context.Context, id string) (*Product, error)
	// FindProductsByIDs returns the products found, in no particular order;
	// unknown IDs are skipped. It serves the dataloaders.
	FindProductsByIDs(ctx context.Context, ids []string) ([]*Product, error)
	// FindProducts returns one page of matching products, ordered by name.
	FindProducts(ctx context.Context, filter ProductFilter) (Page[*Product], error)
	// Categories lists the distinct categories, sorted.
	Categories(ctx context.Context) ([]string, error)
}

// InventoryService reserves stock for orders. Every method is idempotent per
// order: calling it again after success changes nothing and succeeds, which
// makes it safe under activity retries.
type InventoryService interface {
	// ReserveStock takes each line's quantity out of stock for the order, all
	// lines or none. It returns EOUTOFSTOCK when a line cannot be met; stock is
	// never oversold, whatever the concurrency.
	ReserveStock(ctx context.Context, orderID string, lines []OrderLine) error
	// ReleaseStock gives the order's reserved units back to stock.
	ReleaseStock(ctx context.Context, orderID string, lines []OrderLine) error
	// CommitStock marks the order's reservation as consumed (the goods left);
	// a later ReleaseStock is then a no-op.
	CommitStock(ctx context.Context, orderID string, lines []OrderLine) error
	// RestockReturn puts a received return's units back in stock, once per
	// return ID.
	RestockReturn(ctx context.Context, returnID string, lines []OrderLine) error
}
