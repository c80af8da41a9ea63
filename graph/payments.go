package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/orderly-shop/orderly"
)

// paymentMethodFromInput keeps what may be kept of a card: brand and last
// four digits (orderly.NewCardPaymentMethod).
func paymentMethodFromInput(field string, in *PaymentMethodInput) (orderly.PaymentMethod, error) {
	if in == nil {
		return orderly.PaymentMethod{}, nil
	}
	return orderly.NewCardPaymentMethod(field+".cardNumber", in.CardNumber)
}

// moneyFromInput converts an amount; the currency must be an ISO code.
func moneyFromInput(field string, in *MoneyInput) (*orderly.Money, error) {
	if in == nil {
		return nil, nil
	}
	m, err := orderly.NewMoney(int64(in.Amount), strings.TrimSpace(in.Currency))
	if err != nil {
		return nil, invalid(field+".currency", "currency must be an ISO 4217 code such as USD")
	}
	return &m, nil
}

// linesFromInput converts the units of lines; a line's checks against the
// order are the root rules' (LinesRefund, NewReturn).
func linesFromInput(field string, in []*LineQuantityInput) ([]orderly.LineQuantity, error) {
	if len(in) > orderly.MaxCartLines {
		return nil, invalid(field, "at most %d lines", orderly.MaxCartLines)
	}
	out := make([]orderly.LineQuantity, 0, len(in))
	for i, l := range in {
		f := fmt.Sprintf("%s.%d.productId", field, i)
		if l == nil || strings.TrimSpace(l.ProductID) == "" {
			return nil, invalid(f, "a product ID is required")
		}
		if err := checkLength(f, l.ProductID, 1, maxIDLength); err != nil {
			return nil, err
		}
		out = append(out, orderly.LineQuantity{ProductID: strings.TrimSpace(l.ProductID), Quantity: l.Quantity})
	}
	return out, nil
}

// refundOrder hands an operator's refund to the order's workflow, which
// checks it against the ledger and answers once the money went back. The
// input is checked before the order is read.
func (r *Resolver) refundOrder(ctx context.Context, in RefundOrderInput) (*orderly.Order, error) {
	amount, err := moneyFromInput("input.amount", in.Amount)
	if err != nil {
		return nil, err
	}
	lines, err := linesFromInput("input.lines", in.Lines)
	if err != nil {
		return nil, err
	}
	reason, err := optionalReason("input.reason", in.Reason, "")
	if err != nil {
		return nil, err
	}
	return r.actOnOrder(ctx, in.OrderID, func(c *orderly.Customer, o *orderly.Order) error {
		return r.OrderProcessing.RefundOrder(ctx, orderly.OrderRefund{
			OrderID: o.ID, Amount: amount, Lines: lines, Reason: reason, OperatorID: c.ID,
		})
	})
}

// Ledger is an order's payment ledger as the API shows it: what the rows
// add up to (computed by the root package) and the rows.
type Ledger struct {
	orderly.PaymentSummary
	Entries []orderly.PaymentEntry
}

// ledgerOf is the order's ledger; nil before the first money movement.
func ledgerOf(o *orderly.Order) *Ledger {
	if len(o.Ledger) == 0 {
		return nil
	}
	return &Ledger{PaymentSummary: o.PaymentSummary(), Entries: o.Ledger}
}
