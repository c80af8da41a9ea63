package graph

import (
	"slices"
	"strings"
	"testing"
)

const cartFields = `cart { itemCount subtotal { amount formatted } lines { quantity product { id } unitPrice { amount } lineTotal { amount } } }
    errors { code message field }`

type cartPayload struct {
	Cart *struct {
		ItemCount int
		Subtotal  struct {
			Amount    int
			Formatted string
		}
		Lines []struct {
			Quantity int
			Product  struct{ ID string }
		}
	}
}

func TestCartMutations(t *testing.T) {
	f := newFixture(t)
	p0, p1 := f.products[0], f.products[1]
	add := `mutation($input: AddToCartInput!) { addToCart(input: $input) { ` + cartFields + ` } }`
	update := `mutation($input: UpdateCartLineInput!) { updateCartLine(input: $input) { ` + cartFields + ` } }`
	remove := `mutation($input: RemoveCartLineInput!) { removeCartLine(input: $input) { ` + cartFields + ` } }`
	clear := `mutation { clearCart { ` + cartFields + ` } }`
	in := func(productID string, qty int) map[string]any {
		return map[string]any{"input": map[string]any{"productId": productID, "quantity": qty}}
	}

	var p cartPayload
	if errs := f.mutate(f.aliceToken, add, "addToCart", in(p0.ID, 2), &p); len(errs) > 0 {
		t.Fatalf("add: %+v", errs)
	}
	if errs := f.mutate(f.aliceToken, add, "addToCart", in(p0.ID, 1), &p); len(errs) > 0 {
		t.Fatalf("add again: %+v", errs)
	}
	if errs := f.mutate(f.aliceToken, add, "addToCart", in(p1.ID, 1), &p); len(errs) > 0 {
		t.Fatalf("add other: %+v", errs)
	}
	if p.Cart.ItemCount != 4 || len(p.Cart.Lines) != 2 || p.Cart.Lines[0].Quantity != 3 || p.Cart.Subtotal.Amount != 3*1000+1100 {
		t.Fatalf("cart after adds: %+v", p.Cart)
	}
	if errs := f.mutate(f.aliceToken, update, "updateCartLine", in(p0.ID, 5), &p); len(errs) > 0 || p.Cart.Lines[0].Quantity != 5 {
		t.Fatalf("update: %+v %+v", errs, p.Cart)
	}
	if errs := f.mutate(f.aliceToken, remove, "removeCartLine", map[string]any{"input": map[string]any{"productId": p1.ID}}, &p); len(errs) > 0 || len(p.Cart.Lines) != 1 {
		t.Fatalf("remove: %+v %+v", errs, p.Cart)
	}

	writes := f.store.writes.Load()
	for _, tc := range []struct {
		name, query, field string
		vars               map[string]any
		code, errField     string
	}{
		{"add zero", add, "addToCart", in(p0.ID, 0), "INVALID", "input.quantity"},
		{"add negative", add, "addToCart", in(p0.ID, -3), "INVALID", "input.quantity"},
		{"add 100", add, "addToCart", in(p0.ID, 100), "INVALID", "input.quantity"},
		{"add huge", add, "addToCart", in(p0.ID, 2147483647), "INVALID", "input.quantity"},
		{"add unknown product", add, "addToCart", in("prd_unknown", 1), "NOT_FOUND", "input.productId"},
		{"add overlong id", add, "addToCart", in(strings.Repeat("x", 500), 1), "NOT_FOUND", "input.productId"},
		{"add beyond stock", add, "addToCart", in(p1.ID, 11), "OUT_OF_STOCK", "input.quantity"},
		{"merge beyond 99", add, "addToCart", in(p0.ID, 95), "INVALID", "input.quantity"},
		{"update zero", update, "updateCartLine", in(p0.ID, 0), "INVALID", "input.quantity"},
		{"update not in cart", update, "updateCartLine", in(p1.ID, 1), "NOT_FOUND", "input.productId"},
		{"update beyond stock", update, "updateCartLine", in(p0.ID, 11), "OUT_OF_STOCK", "input.quantity"},
		{"remove not in cart", remove, "removeCartLine", map[string]any{"input": map[string]any{"productId": p1.ID}}, "NOT_FOUND", "input.productId"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var p cartPayload
			errs := f.mutate(f.aliceToken, tc.query, tc.field, tc.vars, &p)
			if !slices.Equal(errs.codes(), []string{tc.code}) || errs[0].Field == nil || *errs[0].Field != tc.errField || errs[0].Message == "" {
				t.Errorf("errors: %+v", errs)
			}
			if p.Cart != nil {
				t.Errorf("cart on error: %+v", p.Cart)
			}
		})
	}
	if got := f.store.writes.Load(); got != writes {
		t.Errorf("rejected cart changes wrote %d times", got-writes)
	}

	var q struct {
		Cart struct{ ItemCount int }
	}
	f.ok(f.aliceToken, `{ cart { itemCount } }`, nil, &q)
	if q.Cart.ItemCount != 5 {
		t.Errorf("cart query: %+v", q)
	}
	f.ok(f.bobToken, `{ cart { itemCount } }`, nil, &q)
	if q.Cart.ItemCount != 0 {
		t.Errorf("bob sees a cart: %+v", q)
	}
	if errs := f.mutate(f.aliceToken, clear, "clearCart", nil, &p); len(errs) > 0 || p.Cart.ItemCount != 0 {
		t.Fatalf("clear: %+v %+v", errs, p.Cart)
	}
}
