package orderly

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Location is a place that holds stock and ships parcels: a warehouse or a
// store. Stock is counted per product and location (Product.StockAt), and
// an order ships one parcel from each location it is sourced from.
type Location struct {
	ID   string `json:"id" bson:"_id"`
	Name string `json:"name" bson:"name"`
	// Country is where the location ships from, an ISO 3166-1 alpha-2
	// code; the sourcing rule prefers locations in the shipping country.
	Country string `json:"country" bson:"country"`
}

// MaxLocations bounds the locations a store may have: the sourcing rule
// weighs every set of them, which stays cheap up to this many.
const MaxLocations = 16

// LowStockAt is the level at or under which a location is low on a
// product: operators see it in their list of low stock.
const LowStockAt = 5

// IsLowStock reports whether units left at a location are low stock.
func IsLowStock(units int) bool { return units <= LowStockAt }

// LocationIDFor derives a location's ID from a short code ("us-east").
func LocationIDFor(code string) string { return PrefixLocation + "_" + strings.ToLower(code) }

// StockLevel is what one location holds of one product.
type StockLevel struct {
	Location  Location
	Available int
}

// Availability lists the product's stock at each of the locations, in the
// locations' order; a location without any of it shows 0.
func (p *Product) Availability(locations []Location) []StockLevel {
	out := make([]StockLevel, len(locations))
	for i, l := range locations {
		out[i] = StockLevel{Location: l, Available: p.StockAt[l.ID]}
	}
	return out
}

// SortLocations orders locations by ID, the order every list of them
// takes and the sourcing rule's last tie-break.
func SortLocations(locations []Location) {
	slices.SortFunc(locations, func(a, b Location) int { return strings.Compare(a.ID, b.ID) })
}

// MaxRestockQuantity bounds one restock of a product at a location.
const MaxRestockQuantity = 10000

// Restock is an operator's delivery of units of a product to a location.
type Restock struct {
	ProductID  string
	LocationID string
	Quantity   int
	// Key, if set, makes the restock idempotent: a restock repeated under
	// the same key for the same product adds nothing (a double submit).
	Key string
}

// Validate checks the restock's shape; whether the product and the
// location exist is the store's question (ENOTFOUND).
func (r Restock) Validate() error {
	switch {
	case r.ProductID == "":
		return FieldErrorf(EINVALID, "input.productId", "product ID is required")
	case r.LocationID == "":
		return FieldErrorf(EINVALID, "input.locationId", "location ID is required")
	case r.Quantity < 1 || r.Quantity > MaxRestockQuantity:
		return FieldErrorf(EINVALID, "input.quantity", "quantity must be between 1 and %d", MaxRestockQuantity)
	}
	if err := ValidateText("input.productId", r.ProductID, 1, MaxEventIDLength); err != nil {
		return err
	}
	if err := ValidateText("input.locationId", r.LocationID, 1, MaxEventIDLength); err != nil {
		return err
	}
	return ValidateText("input.idempotencyKey", r.Key, 0, MaxIdempotencyKeyLength)
}

// RestockID is the ID a keyed restock is remembered by on its product.
func (r Restock) RestockID() string {
	if r.Key == "" {
		return ""
	}
	return fmt.Sprintf("restock:%s:%s", r.LocationID, r.Key)
}

// LocationService is the operators' side of stock per location.
type LocationService interface {
	// Locations lists every location, ordered by ID.
	Locations(ctx context.Context) ([]Location, error)
	// Restock adds units of a product at a location and returns the
	// product after it; ENOTFOUND for an unknown product or location.
	Restock(ctx context.Context, r Restock) (*Product, error)
}
