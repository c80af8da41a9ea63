package orderly

import "context"

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
}

// ProductFilter selects products. Zero fields select everything.
type ProductFilter struct {
	// Search matches name, description or SKU, case-insensitively.
	Search string
	// Category matches the category exactly.
	Category string
	Page     PageRequest
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
}
