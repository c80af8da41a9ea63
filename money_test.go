package orderly

import (
	"fmt"
	"testing"
)

func TestMoney(t *testing.T) {
	if got := USD(1999).Times(3).Add(USD(3)).String(); got != "USD 60.00" {
		t.Errorf("arithmetic/format = %q", got)
	}
	if got := USD(-5).String(); got != "USD -0.05" {
		t.Errorf("negative format = %q", got)
	}
	if got := (Money{}).Add(USD(7)); got != USD(7) {
		t.Errorf("zero Money adds as identity, got %+v", got)
	}
	if _, err := NewMoney(1, "usd"); ErrorCode(err) != EINVALID {
		t.Errorf("lower-case currency accepted: %v", err)
	}
	if m, err := NewMoney(1, "EUR"); err != nil || m.Currency != "EUR" {
		t.Errorf("NewMoney EUR = %+v, %v", m, err)
	}
	defer func() {
		if recover() == nil {
			t.Error("adding USD to EUR did not panic")
		}
	}()
	USD(1).Add(Money{Amount: 1, Currency: "EUR"})
}

func TestShippingCost(t *testing.T) {
	for _, tt := range []struct{ subtotal, want int64 }{{0, 499}, {4999, 499}, {5000, 0}, {123456, 0}} {
		if got := ShippingCostFor(USD(tt.subtotal)); got != USD(tt.want) {
			t.Errorf("ShippingCostFor(%d) = %+v, want %d", tt.subtotal, got, tt.want)
		}
	}
}

func TestErrors(t *testing.T) {
	err := FieldErrorf(EOUTOFSTOCK, "input.quantity", "only %d left", 3)
	wrapped := fmt.Errorf("reserve: %w", err)
	if ErrorCode(wrapped) != EOUTOFSTOCK || ErrorMessage(wrapped) != "only 3 left" {
		t.Errorf("a wrapped *Error loses its code: %s", ErrorCode(wrapped))
	}
	if ErrorCode(err) != EOUTOFSTOCK || ErrorMessage(err) != "only 3 left" {
		t.Errorf("code/message = %s/%s", ErrorCode(err), ErrorMessage(err))
	}
	if ErrorCode(nil) != "" || ErrorMessage(nil) != "" {
		t.Error("nil error has a code or message")
	}
	plain := errorString("connection refused to 10.0.0.1")
	if ErrorCode(plain) != EINTERNAL || ErrorMessage(plain) != "internal error" {
		t.Errorf("a plain error shows %q", ErrorMessage(plain))
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
