package orderly

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"time"
)

// MaxIdempotencyKeyLength bounds the client's key for placeOrder.
const MaxIdempotencyKeyLength = 100

// ValidateIdempotencyKey checks a placeOrder key: 1..MaxIdempotencyKeyLength
// characters of valid text, surrounding spaces already trimmed.
func ValidateIdempotencyKey(field, key string) error {
	if err := ValidateText(field, key, 1, MaxIdempotencyKeyLength); err != nil {
		return err
	}
	if strings.TrimSpace(key) != key {
		return FieldErrorf(EINVALID, field, "idempotencyKey must not start or end with spaces")
	}
	return nil
}

// OrderIDFor derives the ID of the order a customer places under an
// idempotency key. The key is the order's identity: a double submit, a retry
// after a crash and a second server replica all arrive at the same ID, so
// the store's unique _id is the whole idempotency mechanism, and looking an
// order up by its key is a lookup by ID. 80 bits of SHA-256, like NewID.
func OrderIDFor(customerID, idempotencyKey string) string {
	sum := sha256.Sum256([]byte(customerID + "\x00" + idempotencyKey))
	return PrefixOrder + "_" + strings.ToLower(idEncoding.EncodeToString(sum[:10]))
}

// OrderTotals are the money figures of an order, all derived from its lines.
type OrderTotals struct {
	Subtotal     Money
	ShippingCost Money
	Total        Money
}

// TotalsFor checks each line (quantity within limits, a non-negative unit
// price in one currency, line total = unit price × quantity) and returns the
// order's totals: the lines' sum, the shipping charge for it, and their sum.
func TotalsFor(lines []OrderLine) (OrderTotals, error) {
	if len(lines) == 0 {
		return OrderTotals{}, FieldErrorf(EINVALID, "lines", "an order needs at least one line")
	}
	currency := lines[0].UnitPrice.Currency
	sum := Money{Amount: 0, Currency: currency}
	for i, l := range lines {
		field := fmt.Sprintf("lines.%d", i)
		if err := ValidateQuantity(field+".quantity", l.Quantity); err != nil {
			return OrderTotals{}, err
		}
		if l.UnitPrice.Amount < 0 || l.UnitPrice.Currency != currency || l.LineTotal != l.UnitPrice.Times(l.Quantity) {
			return OrderTotals{}, FieldErrorf(EINVALID, field+".lineTotal", "line %d does not add up", i+1)
		}
		sum = sum.Add(l.LineTotal)
	}
	shipping := ShippingCostFor(sum)
	return OrderTotals{Subtotal: sum, ShippingCost: shipping, Total: sum.Add(shipping)}, nil
}

// Totals returns the order's recorded money figures.
func (o *Order) Totals() OrderTotals {
	return OrderTotals{Subtotal: o.Subtotal, ShippingCost: o.ShippingCost, Total: o.Total}
}

// NewOrderInput is what an order is made of: who, under which key, to where,
// and the cart lines priced from the catalog.
type NewOrderInput struct {
	CustomerID      string
	IdempotencyKey  string
	ShippingAddress Address
	PaymentMethod   PaymentMethod
	Lines           []PricedCartLine
	At              time.Time
}

// NewOrder snapshots priced cart lines into a new order in status RECEIVED
// at version 1: names and prices are copied, so later catalog changes do not
// touch it. It refuses (changing nothing anywhere) an empty cart, a product
// no longer sold, a quantity above the stock shown, a bad key or address.
func NewOrder(in NewOrderInput) (*Order, error) {
	if in.CustomerID == "" {
		return nil, FieldErrorf(EINVALID, "customerId", "customer ID is required")
	}
	if err := ValidateIdempotencyKey("input.idempotencyKey", in.IdempotencyKey); err != nil {
		return nil, err
	}
	if err := in.ShippingAddress.Validate("input.shippingAddress"); err != nil {
		return nil, err
	}
	if len(in.Lines) == 0 {
		return nil, FieldErrorf(EINVALID, "input", "the cart is empty")
	}
	at := in.At.UTC().Truncate(time.Millisecond)
	id := OrderIDFor(in.CustomerID, in.IdempotencyKey)
	o := &Order{
		ID: id, CustomerID: in.CustomerID, IdempotencyKey: in.IdempotencyKey, ShippingAddress: in.ShippingAddress,
		PaymentMethod: in.PaymentMethod, Status: StatusReceived, Version: 1, WorkflowID: OrderWorkflowIDFor(id), CreatedAt: at, UpdatedAt: at,
		Timeline: []TimelineEntry{{
			Version: 1, EventID: EventReceived, Kind: EntryStatus, Status: StatusReceived, Detail: "Order placed", At: at,
		}},
	}
	for _, l := range in.Lines {
		if l.Product == nil {
			return nil, FieldErrorf(ENOTFOUND, "input", "a product in the cart is no longer sold")
		}
		if l.Quantity > l.Product.Stock {
			return nil, FieldErrorf(EOUTOFSTOCK, "input", "only %d of %s left", l.Product.Stock, l.Product.Name)
		}
		o.Lines = append(o.Lines, OrderLine{
			ProductID: l.Product.ID, SKU: l.Product.SKU, Name: l.Product.Name,
			UnitPrice: l.UnitPrice, Quantity: l.Quantity, LineTotal: l.LineTotal,
		})
	}
	totals, err := TotalsFor(o.Lines)
	if err != nil {
		return nil, err
	}
	o.Subtotal, o.ShippingCost, o.Total = totals.Subtotal, totals.ShippingCost, totals.Total
	return o, nil
}

// EventReceived is the ID of every order's first timeline entry.
const EventReceived = "received"
