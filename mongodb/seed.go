package mongodb

import (
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"strings"

	"github.com/orderly-shop/orderly"
)

// demoProduct is one entry of the demo catalog.
type demoProduct struct {
	sku, name, category, description string
	cents                            int64
	stock                            int
}

// demoCatalog returns the demo catalog: realistic goods in five categories,
// priced in US cents, stocked 10..200.
func demoCatalog() []demoProduct {
	return []demoProduct{
		{"AUD-001", "Aurora Wireless Headphones", "Audio", "Over-ear headphones with active noise cancelling and 40 hours of battery.", 19900, 40},
		{"AUD-002", "Pebble Bluetooth Speaker", "Audio", "Palm-sized waterproof speaker with surprisingly deep bass.", 5900, 120},
		{"AUD-003", "Studio Condenser Microphone", "Audio", "USB cardioid microphone for podcasts, calls and vocals.", 12900, 25},
		{"AUD-004", "Transit Wireless Earbuds", "Audio", "True wireless earbuds with a pocketable charging case.", 8900, 80},
		{"OFF-001", "Oak Standing Desk", "Home Office", "Electric sit-stand desk with a solid oak top and memory presets.", 64900, 10},
		{"OFF-002", "Ergo Mesh Chair", "Home Office", "Breathable mesh office chair with adjustable lumbar support.", 34900, 15},
		{"OFF-003", "Lumen LED Desk Lamp", "Home Office", "Dimmable desk lamp with warm-to-cool colour temperature.", 4900, 150},
		{"OFF-004", "Tenkey Mechanical Keyboard", "Home Office", "Compact mechanical keyboard with hot-swappable switches.", 11900, 60},
		{"KIT-001", "Pour-Over Coffee Set", "Kitchen", "Glass dripper, carafe and 100 paper filters for a slow morning cup.", 3900, 200},
		{"KIT-002", "Cast Iron Skillet 26 cm", "Kitchen", "Pre-seasoned skillet that goes from stove top to oven.", 4500, 90},
		{"KIT-003", "Chef's Knife 20 cm", "Kitchen", "Forged stainless steel chef's knife with a full tang.", 8900, 50},
		{"KIT-004", "Bamboo Cutting Board", "Kitchen", "Large end-grain bamboo board with a juice groove.", 2900, 140},
		{"OUT-001", "Summit Daypack 24 L", "Outdoor", "Light hiking pack with a rain cover and hydration sleeve.", 7900, 70},
		{"OUT-002", "Trail Insulated Bottle", "Outdoor", "Double-wall steel bottle that keeps drinks cold for 24 hours.", 2900, 180},
		{"OUT-003", "Ridge Two-Person Tent", "Outdoor", "Freestanding three-season tent that packs to 2 kg.", 24900, 12},
		{"OUT-004", "Headlamp 400 Lumen", "Outdoor", "Rechargeable headlamp with red night mode.", 3400, 110},
		{"APP-001", "Merino Crew Sweater", "Apparel", "Soft merino wool sweater for every season.", 9900, 45},
		{"APP-002", "Everyday Canvas Sneakers", "Apparel", "Low-top canvas sneakers with a cushioned insole.", 6900, 75},
		{"APP-003", "Waxed Cotton Jacket", "Apparel", "Water-resistant waxed jacket with a corduroy collar.", 18900, 20},
		{"APP-004", "Organic Cotton T-Shirt", "Apparel", "Heavyweight organic cotton tee, garment dyed.", 2900, 200},
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
		products[i] = orderly.Product{
			ID:          orderly.PrefixProduct + "_" + strings.ToLower(d.sku),
			SKU:         d.sku,
			Name:        d.name,
			Description: d.description,
			Category:    d.category,
			Price:       orderly.USD(d.cents),
			ImageURL:    productImage(d),
			Stock:       d.stock,
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

// Seed inserts the demo catalog products that are missing and returns how
// many it inserted. Each product is an insert under its stable ID, so a
// restart never resets stock or edits a product, and two processes seeding at
// once are fine: the loser of a race hits the _id (or the unique SKU) index
// and moves on. Demo accounts are made by the server through
// AccountService.Register.
func (db *DB) Seed(ctx context.Context) (inserted int, err error) {
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
