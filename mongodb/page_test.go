package mongodb

import (
	"encoding/base64"
	"testing"

	"github.com/orderly-shop/orderly"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, c := range []pageCursor{
		{Key: "Aurora Wireless Headphones", ID: "prd_aud-001"},
		{Key: "", ID: "prd_x"},
		{At: 1795316725383, ID: "ord_abc"},
		{Key: `quotes " and ünïcode`, ID: "x"},
	} {
		got, err := decodeCursor(c.encode())
		if err != nil || got != c {
			t.Errorf("round trip of %+v = %+v, %v", c, got, err)
		}
	}
}

func TestDecodeCursorRejectsGarbage(t *testing.T) {
	for _, s := range []string{
		"!!!",
		base64.RawURLEncoding.EncodeToString([]byte("not json")),
		base64.RawURLEncoding.EncodeToString([]byte(`{"k":"a"}`)), // no ID
		base64.RawURLEncoding.EncodeToString([]byte(`{"id":5}`)),
	} {
		_, err := decodeCursor(s)
		if e, ok := err.(*orderly.Error); !ok || e.Code != orderly.EINVALID || e.Field != "after" {
			t.Errorf("decodeCursor(%q) = %v, want EINVALID on after", s, err)
		}
	}
}
