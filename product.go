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
	// Stock is the number of units available to reserve right now, at
	// all locations together: the sum of StockAt.
	Stock int `json:"stock" bson:"stock"`
	// StockAt is the units available at each location, by location ID.
	StockAt map[string]int `json:"stockAt,omitempty" bson:"stockAt,omitempty"`
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

// InventoryService reserves stock at locations for orders. Every method
// that changes stock is idempotent per order: calling it again after
// success changes nothing and succeeds, which makes it safe under activity
// retries. Which location an order takes its units from is a SourcingRule's
// decision over Availability; the service holds exactly what it is told.
type InventoryService interface {
	// Availability reads the locations and what each holds of the
	// products (unknown products hold nothing). The units orderID holds
	// count as available to it, so that a retried reservation sources the
	// plan it holds already.
	Availability(ctx context.Context, orderID string, productIDs []string) (Availability, error)
	// ReserveStock holds every allocation's units at its location for the
	// order, all or none. It returns EOUTOFSTOCK when a location no longer
	// has them (another order took them since Availability was read); no
	// location is ever oversold, whatever the concurrency. A repeat holds
	// nothing more; a hold of the order on a product that differs from the
	// allocations (an earlier plan's) is given back first.
	ReserveStock(ctx context.Context, orderID string, allocations []Allocation) error
	// ReleaseStock gives the order's units of the lines' products held at
	// the location back to that location; locationID "" releases them at
	// every location. Units never held, released or committed are left alone.
	ReleaseStock(ctx context.Context, orderID, locationID string, lines []OrderLine) error
	// CommitStock marks the order's units held at the location (""
	// for every location) as consumed: the parcel left, and a later
	// ReleaseStock gives nothing back.
	CommitStock(ctx context.Context, orderID, locationID string, lines []OrderLine) error
	// RestockReturn puts a received return's units back in stock at the
	// location, once per return ID ("" for the first location that holds
	// the product, or the first location).
	RestockReturn(ctx context.Context, returnID, locationID string, lines []OrderLine) error
}
