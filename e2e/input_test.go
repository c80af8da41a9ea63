package e2e

import (
	"context"
	"testing"
	"time"
)

// TestBadTextOnTheRealStore: a NUL byte in products(search:) reached the
// embedded store as a regular expression it cannot hold, and came back as
// INTERNAL with an ERROR log line. On the real server it is INVALID on the
// field, and so is a control character in an address.
func TestBadTextOnTheRealStore(t *testing.T) {
	parallel(t)
	a := startApp(t, appOptions{})
	c := a.customer(t)
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	for _, search := range []string{"lamp\x00", "\x00", "a\x1b[2Jb"} {
		errs, err := c.do(ctx, `query($s: String) { products(search: $s) { totalCount } }`, map[string]any{"s": search}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(errs) != 1 || errs[0].Extensions["code"] != "INVALID" || errs[0].Extensions["field"] != "search" {
			t.Errorf("search %q: %+v, want INVALID on search", search, errs)
		}
	}
	addToCart(t, c, cheapest(t, c, 1).ID, 1)
	var out struct{ PlaceOrder struct{ Errors []userError } }
	c.mustDo(t, `mutation($a: AddressInput!) { placeOrder(input: {idempotencyKey: "nul", shippingAddress: $a}) { errors { code message field } } }`,
		map[string]any{"a": map[string]any{"name": "Ada\x00", "line1": "1 Main St", "city": "London", "postalCode": "N1", "country": "GB"}}, &out)
	if e := out.PlaceOrder.Errors; len(e) != 1 || e[0].Code != "INVALID" || e[0].Field == nil || *e[0].Field != "input.shippingAddress.name" {
		t.Errorf("NUL in the name: %+v, want INVALID on input.shippingAddress.name", e)
	}
}
