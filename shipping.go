package orderly

// Shipping charges: a flat fee, waived from a subtotal up.
const (
	// FlatShippingCost is the shipping charge, in minor units, of an order
	// below FreeShippingFrom.
	FlatShippingCost = 499
	// FreeShippingFrom is the subtotal, in minor units, from which shipping
	// is free.
	FreeShippingFrom = 5000
)

// ShippingCostFor returns the shipping charge of an order with this subtotal,
// in the subtotal's currency.
func ShippingCostFor(subtotal Money) Money {
	if subtotal.Amount >= FreeShippingFrom {
		return Money{Amount: 0, Currency: subtotal.Currency}
	}
	return Money{Amount: FlatShippingCost, Currency: subtotal.Currency}
}
