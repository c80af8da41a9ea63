package graph

import (
	"strconv"
	"strings"

	"github.com/orderly-shop/orderly"
)

// currencySymbols are the symbols formatMoney puts in front of amounts; other
// currencies are shown with their code.
func currencySymbol(code string) (string, bool) {
	switch code {
	case "USD":
		return "$", true
	case "EUR":
		return "€", true
	case "GBP":
		return "£", true
	}
	return "", false
}

// formatMoney formats an amount of a two-decimal currency for people, with
// thousands separators: "$1,234.50", "-€3.00", "CHF 12.00".
func formatMoney(m orderly.Money) string {
	a := m.Amount
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	units := strconv.FormatInt(a/100, 10)
	var b strings.Builder
	for i, d := range units {
		if i > 0 && (len(units)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	cents := a % 100
	num := b.String() + "." + string(rune('0'+cents/10)) + string(rune('0'+cents%10))
	if sym, ok := currencySymbol(m.Currency); ok {
		return sign + sym + num
	}
	return sign + m.Currency + " " + num
}
