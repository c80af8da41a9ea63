package orderly

import (
	"fmt"
	"regexp"
)

// DefaultCurrency is the currency of the demo catalog and of every cart.
const DefaultCurrency = "USD"

// Money is an amount in integer minor units (cents for USD) and an ISO 4217
// currency code. Floats never hold money in Orderly.
type Money struct {
	Amount   int64  `json:"amount" bson:"amount"`
	Currency string `json:"currency" bson:"currency"`
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// NewMoney returns Money in the given currency, validating the currency code.
func NewMoney(amount int64, currency string) (Money, error) {
	if !currencyPattern.MatchString(currency) {
		return Money{}, Errorf(EINVALID, "currency %q is not an ISO 4217 code", currency)
	}
	return Money{Amount: amount, Currency: currency}, nil
}

// USD returns an amount of US cents as Money.
func USD(cents int64) Money { return Money{Amount: cents, Currency: "USD"} }

// Add returns m+o. Adding different currencies is a programming error and panics.
func (m Money) Add(o Money) Money {
	if m.Currency == "" {
		return o
	}
	if o.Currency != "" && o.Currency != m.Currency {
		panic(fmt.Sprintf("orderly: adding %s to %s", o.Currency, m.Currency))
	}
	return Money{Amount: m.Amount + o.Amount, Currency: m.Currency}
}

// Times returns m multiplied by a quantity.
func (m Money) Times(n int) Money { return Money{Amount: m.Amount * int64(n), Currency: m.Currency} }

// IsZero reports whether m is the zero amount.
func (m Money) IsZero() bool { return m.Amount == 0 }

// String formats m for people and logs, for example "USD 12.34".
func (m Money) String() string {
	sign, a := "", m.Amount
	if a < 0 {
		sign, a = "-", -a
	}
	return fmt.Sprintf("%s %s%d.%02d", m.Currency, sign, a/100, a%100)
}
