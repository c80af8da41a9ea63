package orderly

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidateText is the rule for every string a client sends (names,
// addresses, reasons, keys, e-mails, searches, IDs): valid UTF-8, no control
// characters, and minLen..maxLen characters (runes; maxLen <= 0 means no
// upper bound). It returns an EINVALID *Error about field, so that a NUL
// byte or a stray escape sequence is the client's mistake, named as such,
// and never reaches a store, a log line or another customer's screen.
//
// Control characters are those of Unicode category Cc: C0 (NUL, tab,
// newline, ESC…), DEL and C1. No input of the API is multi-line, so tab and
// newline are refused too.
func ValidateText(field, value string, minLen, maxLen int) error {
	name := fieldName(field)
	if !utf8.ValidString(value) {
		return FieldErrorf(EINVALID, field, "%s must be valid UTF-8 text", name)
	}
	if strings.IndexFunc(value, unicode.IsControl) >= 0 {
		return FieldErrorf(EINVALID, field, "%s must not contain control characters", name)
	}
	n := utf8.RuneCountInString(value)
	switch {
	case maxLen > 0 && minLen > 0 && (n < minLen || n > maxLen):
		return FieldErrorf(EINVALID, field, "%s must be %d to %d characters", name, minLen, maxLen)
	case n < minLen:
		return FieldErrorf(EINVALID, field, "%s must be at least %d characters", name, minLen)
	case maxLen > 0 && n > maxLen:
		return FieldErrorf(EINVALID, field, "%s must be at most %d characters", name, maxLen)
	}
	return nil
}

// fieldName is the last part of a dotted field path ("input.shippingAddress.city"
// is "city"), the name a message shows.
func fieldName(field string) string {
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[i+1:]
	}
	return field
}
