package orderly

import (
	"strings"
	"testing"
)

func TestValidateText(t *testing.T) {
	tests := []struct {
		name     string
		value    string
		min, max int
		ok       bool
	}{
		{"plain", "Ada Lovelace", 1, 100, true},
		{"accents and CJK count as one character each", "Zoë 東京", 1, 7, true},
		{"emoji", "gift 🎁", 1, 6, true},
		{"empty where allowed", "", 0, 10, true},
		{"no upper bound", strings.Repeat("a", 10000), 1, 0, true},
		{"NUL", "a\x00b", 0, 100, false},
		{"NUL alone", "\x00", 0, 100, false},
		{"tab", "a\tb", 0, 100, false},
		{"newline", "line\nbreak", 0, 100, false},
		{"carriage return", "a\r", 0, 100, false},
		{"escape sequence", "\x1b[31mred", 0, 100, false},
		{"DEL", "a\x7f", 0, 100, false},
		{"C1 control", "a\u0085b", 0, 100, false},
		{"invalid UTF-8", "caf\xe9", 0, 100, false},
		{"truncated UTF-8", "\xe6\x9d", 0, 100, false},
		{"too short", "ab", 3, 10, false},
		{"too long in characters", strings.Repeat("é", 11), 1, 10, false},
		{"long in bytes, short in characters", strings.Repeat("é", 10), 1, 10, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateText("input.shippingAddress.city", tt.value, tt.min, tt.max)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateText(%q, %d, %d) = %v, want ok=%v", tt.value, tt.min, tt.max, err, tt.ok)
			}
			if err == nil {
				return
			}
			e, isErr := err.(*Error)
			if !isErr || e.Code != EINVALID || e.Field != "input.shippingAddress.city" || !strings.HasPrefix(e.Message, "city ") {
				t.Errorf("error %#v, want EINVALID on input.shippingAddress.city with a message about city", err)
			}
		})
	}
}
