package orderly

import (
	"errors"
	"fmt"
	"testing"
)

func TestNewCardPaymentMethod(t *testing.T) {
	tests := []struct {
		number string
		want   PaymentMethod
		ok     bool
	}{
		{"4242 4242 4242 4242", PaymentMethod{Brand: "Visa", Last4: "4242"}, true},
		{"4000-0000-0000-9995", PaymentMethod{Brand: "Visa", Last4: "9995"}, true},
		{"5555555555554444", PaymentMethod{Brand: "Mastercard", Last4: "4444"}, true},
		{"2223003122003222", PaymentMethod{Brand: "Mastercard", Last4: "3222"}, true},
		{"378282246310005", PaymentMethod{Brand: "American Express", Last4: "0005"}, true},
		{" 4000000000000002 ", PaymentMethod{Brand: "Visa", Last4: "0002"}, true},
		{"4242424242424241", PaymentMethod{}, false}, // Luhn check digit wrong
		{"42424242", PaymentMethod{}, false},         // too short
		{"42424242424242424242", PaymentMethod{}, false},
		{"4242x42424242424", PaymentMethod{}, false},
		{"", PaymentMethod{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.number, func(t *testing.T) {
			got, err := NewCardPaymentMethod("input.paymentMethod.cardNumber", tt.number)
			if !tt.ok {
				if ErrorCode(err) != EINVALID || err.(*Error).Field != "input.paymentMethod.cardNumber" {
					t.Errorf("err = %v, want EINVALID on the field", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
	if s := (PaymentMethod{Brand: "Visa", Last4: "4242"}).String(); s != "Visa •••• 4242" {
		t.Errorf("String = %q", s)
	}
}

func TestDeclineError(t *testing.T) {
	err := fmt.Errorf("authorize: %w", Declined(DeclineInsufficientFunds, "pi_1", "txn_1"))
	if ErrorCode(err) != EDECLINED || ErrorMessage(err) != "payment declined: the card has insufficient funds" {
		t.Errorf("code %q, message %q", ErrorCode(err), ErrorMessage(err))
	}
	if r, ok := DeclineReasonOf(err); !ok || r != DeclineInsufficientFunds {
		t.Errorf("DeclineReasonOf = %q, %v", r, ok)
	}
	if _, ok := DeclineReasonOf(errors.New("boom")); ok {
		t.Error("a plain error has no decline reason")
	}
	for _, r := range AllDeclineReasons {
		if !r.Valid() || r.Message() == "the payment was declined" {
			t.Errorf("reason %s has no message of its own", r)
		}
	}
	if DeclineReason("NOPE").Valid() {
		t.Error("an unknown reason is valid")
	}
}

func TestErrorCodesAreUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range ErrorCodes() {
		if seen[c] || !IsErrorCode(c) {
			t.Errorf("code %q repeated or unknown", c)
		}
		seen[c] = true
	}
	for _, c := range []string{EDECLINED, EOVERREFUND, ERETURNCLOSED, ENOTDELIVERED, ERETURNQUANTITY} {
		if !seen[c] {
			t.Errorf("ErrorCodes misses %s", c)
		}
	}
}
