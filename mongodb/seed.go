package mongodb

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/orderly-shop/orderly"
)

// The demo locations' codes (orderly.LocationIDFor makes their IDs).
const (
	demoUSEast = "us-east"
	demoUSWest = "us-west"
	demoEU     = "eu"
)

// legacyLocationID is where the stock of products stored before locations
// existed is moved by Seed, and where units reserved before then go back.
const legacyLocationID = orderly.PrefixLocation + "_" + demoUSEast

// DemoLocations returns the demo's three warehouses, ordered by ID.
func DemoLocations() []orderly.Location {
	return []orderly.Location{
		{ID: orderly.LocationIDFor(demoEU), Name: "EU (Rotterdam)", Country: "NL"},
		{ID: orderly.LocationIDFor(demoUSEast), Name: "US East (New Jersey)", Country: "US"},
		{ID: orderly.LocationIDFor(demoUSWest), Name: "US West (Nevada)", Country: "US"},
	}
}

// demoProduct is one entry of the demo catalog, with its stock at US East,
// US West and the EU.
type demoProduct struct {
	sku, name, category, description string
	cents                            int64
	east, west, eu                   int
}

// demoCatalog returns the demo catalog: realistic goods in five categories,
// priced in US cents, stocked 10..200 in all, spread differently over the
// three locations so that some orders ship as one parcel and some split
// (the microphone is only in US East, the tent only in US West, the knife,
// sweater and jacket only in the EU; the lamp, bottle and sneakers are
// everywhere).
func demoCatalog() []demoProduct {
	return []demoProduct{
		{"AUD-001", "Aurora Wireless Headphones", "Audio", "Over-ear headphones with active noise cancelling and 40 hours of battery.", 19900, 25, 0, 15},
		{"AUD-002", "Pebble Bluetooth Speaker", "Audio", "Palm-sized waterproof speaker with surprisingly deep bass.", 5900, 60, 30, 30},
		{"AUD-003", "Studio Condenser Microphone", "Audio", "USB cardioid microphone for podcasts, calls and vocals.", 12900, 25, 0, 0},
		{"AUD-004", "Transit Wireless Earbuds", "Audio", "True wireless earbuds with a pocketable charging case.", 8900, 40, 40, 0},
		{"OFF-001", "Oak Standing Desk", "Home Office", "Electric sit-stand desk with a solid oak top and memory presets.", 64900, 0, 10, 0},
		{"OFF-002", "Ergo Mesh Chair", "Home Office", "Breathable mesh office chair with adjustable lumbar support.", 34900, 0, 10, 5},
		{"OFF-003", "Lumen LED Desk Lamp", "Home Office", "Dimmable desk lamp with warm-to-cool colour temperature.", 4900, 50, 50, 50},
		{"OFF-004", "Tenkey Mechanical Keyboard", "Home Office", "Compact mechanical keyboard with hot-swappable switches.", 11900, 30, 0, 30},
		{"KIT-001", "Pour-Over Coffee Set", "Kitchen", "Glass dripper, carafe and 100 paper filters for a slow morning cup.", 3900, 100, 100, 0},
		{"KIT-002", "Cast Iron Skillet 26 cm", "Kitchen", "Pre-seasoned skillet that goes from stove top to oven.", 4500, 0, 45, 45},
		{"KIT-003", "Chef's Knife 20 cm", "Kitchen", "Forged stainless steel chef's knife with a full tang.", 8900, 0, 0, 50},
		{"KIT-004", "Bamboo Cutting Board", "Kitchen", "Large end-grain bamboo board with a juice groove.", 2900, 70, 70, 0},
		{"OUT-001", "Summit Daypack 24 L", "Outdoor", "Light hiking pack with a rain cover and hydration sleeve.", 7900, 0, 70, 0},
		{"OUT-002", "Trail Insulated Bottle", "Outdoor", "Double-wall steel bottle that keeps drinks cold for 24 hours.", 2900, 60, 60, 60},
		{"OUT-003", "Ridge Two-Person Tent", "Outdoor", "Freestanding three-season tent that packs to 2 kg.", 24900, 0, 12, 0},
		{"OUT-004", "Headlamp 400 Lumen", "Outdoor", "Rechargeable headlamp with red night mode.", 3400, 55, 55, 0},
		{"APP-001", "Merino Crew Sweater", "Apparel", "Soft merino wool sweater for every season.", 9900, 0, 0, 45},
		{"APP-002", "Everyday Canvas Sneakers", "Apparel", "Low-top canvas sneakers with a cushioned insole.", 6900, 25, 25, 25},
		{"APP-003", "Waxed Cotton Jacket", "Apparel", "Water-resistant waxed jacket with a corduroy collar.", 18900, 0, 0, 20},
		{"APP-004", "Organic Cotton T-Shirt", "Apparel", "Heavyweight organic cotton tee, garment dyed.", 2900, 80, 80, 40},
	}
}

// categoryColor returns the background of a demo category's images.
func categoryColor(category string) string {
	switch category {
	case "Audio":
		return "#4f46e5"
	case "Home Office":
		return "#0f766e"
	case "Kitchen":
		return "#b45309"
	case "Outdoor":
		return "#15803d"
	}
	return "#be185d"
}

// DemoProducts returns the demo catalog as products, with stable IDs derived
// from the SKUs (for example "prd_aud-001").
func DemoProducts() []orderly.Product {
	catalog := demoCatalog()
	products := make([]orderly.Product, len(catalog))
	for i, d := range catalog {
		at := map[string]int{}
		for code, n := range map[string]int{demoUSEast: d.east, demoUSWest: d.west, demoEU: d.eu} {
			if n > 0 {
				at[orderly.LocationIDFor(code)] = n
			}
		}
		products[i] = orderly.Product{
			ID:          orderly.PrefixProduct + "_" + strings.ToLower(d.sku),
			SKU:         d.sku,
			Name:        d.name,
			Description: d.description,
			Category:    d.category,
			Price:       orderly.USD(d.cents),
			ImageURL:    productImage(d),
			Stock:       d.east + d.west + d.eu,
			StockAt:     at,
		}
	}
	return products
}

// productImage draws a placeholder as an SVG data URI, so the catalog needs no
// image host.
func productImage(d demoProduct) string {
	initials := ""
	for w := range strings.FieldsSeq(d.name) {
		if len(initials) < 2 && w[0] >= 'A' && w[0] <= 'Z' {
			initials += w[:1]
		}
	}
	svg := fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">`+
		`<rect width="320" height="240" fill="%s"/>`+
		`<text x="160" y="138" font-family="system-ui,sans-serif" font-size="72" font-weight="700" fill="#fff" text-anchor="middle">%s</text>`+
		`<text x="160" y="200" font-family="system-ui,sans-serif" font-size="16" fill="#fff" fill-opacity=".8" text-anchor="middle">%s</text>`+
		`</svg>`, categoryColor(d.category), html.EscapeString(initials), html.EscapeString(d.sku))
	return "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(svg))
}

// Seed inserts the demo locations and the demo catalog products that are
// missing, and returns how many products it inserted. Each is an insert
// under its stable ID, so a restart never resets stock or edits a product,
// and two processes seeding at once are fine: the loser of a race hits the
// _id (or the unique SKU) index and moves on. Products stored before stock
// had locations get their stock at the first location (migrateStock).
// Demo accounts are made by the server through AccountService.Register.
func (db *DB) Seed(ctx context.Context) (inserted int, err error) {
	if err := db.EnsureLocations(ctx); err != nil {
		return 0, err
	}
	for _, p := range DemoProducts() {
		p.Version = 1
		if err := db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version}); err != nil {
			return inserted, fmt.Errorf("seed %s: %w", p.SKU, err)
		}
		_, err := db.coll(colProducts).InsertOne(ctx, productDoc{Product: p, Reservations: []string{}})
		if isDuplicateKey(err) {
			continue
		}
		if err != nil {
			return inserted, fmt.Errorf("seed %s: %w", p.SKU, err)
		}
		inserted++
	}
	return inserted, nil
}

// EnsureLocations inserts the demo locations that are missing and moves
// the stock of products stored before locations existed to the first one
// (migrateStock). The worker calls it at start-up too, so that it never
// sources an order from a catalog without locations; every process may
// call it at once.
func (db *DB) EnsureLocations(ctx context.Context) error {
	for _, l := range DemoLocations() {
		if _, err := db.coll(colLocations).InsertOne(ctx, l); err != nil && !isDuplicateKey(err) {
			return fmt.Errorf("seed location %s: %w", l.ID, err)
		}
	}
	return db.migrateStock(ctx)
}

// migrateStock gives every product stored before stock had locations its
// stock at legacyLocationID, in one guarded write each ({_id, stockAt:
// {$exists: false}}), so that two processes starting at once move it once.
// It reads the whole products collection, once per start-up.
func (db *DB) migrateStock(ctx context.Context) error {
	cur, err := db.coll(colProducts).Find(ctx, bson.D{},
		options.Find().SetProjection(bson.D{{Key: "stock", Value: 1}, {Key: "stockAt", Value: 1}, {Key: "version", Value: 1}}))
	if err != nil {
		return fmt.Errorf("migrate stock: %w", err)
	}
	var docs []productDoc
	if err := cur.All(ctx, &docs); err != nil {
		return fmt.Errorf("migrate stock: %w", err)
	}
	for _, p := range docs {
		if p.StockAt != nil {
			continue
		}
		if err := db.announce(ctx, orderly.Change{Kind: orderly.ChangeProduct, ID: p.ID, Version: p.Version + 1}); err != nil {
			return fmt.Errorf("migrate stock: %w", err)
		}
		_, err := db.coll(colProducts).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: p.ID}, {Key: "stockAt", Value: bson.D{{Key: "$exists", Value: false}}}},
			bson.D{
				{Key: "$set", Value: bson.D{{Key: "stockAt", Value: bson.D{{Key: legacyLocationID, Value: p.Stock}}}}},
				{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
			})
		if err != nil {
			return fmt.Errorf("migrate stock of %s: %w", p.ID, err)
		}
	}
	return nil
}
