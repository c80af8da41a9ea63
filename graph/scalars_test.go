package graph

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestIntInputCoercion drives the schema's Int through the handler, as
// variables (top level and inside input objects) and as literals: the
// GraphQL spec's input coercion accepts integral numbers within a signed
// 32-bit integer and refuses strings and anything larger, before any
// resolver runs.
func TestIntInputCoercion(t *testing.T) {
	f := newFixture(t)
	const (
		products  = `query($n: Int) { products(first: $n) { totalCount } }`
		add       = `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { itemCount } errors { code field } } }`
		threshold = `mutation($input: UpdateApprovalSettingsInput!) { updateApprovalSettings(input: $input) { settings { approvalThreshold { amount } } errors { code field } } }`
	)
	p := f.products[0].ID
	raw := func(s string) json.RawMessage { return json.RawMessage(s) }
	qty := func(n json.RawMessage) map[string]any {
		return map[string]any{"input": map[string]any{"productId": p, "quantity": n}}
	}
	amount := func(n json.RawMessage) map[string]any {
		return map[string]any{"input": map[string]any{"threshold": map[string]any{"amount": n, "currency": "USD"}}}
	}
	tests := []struct {
		name  string
		query string
		token string
		vars  map[string]any
		ok    bool
	}{
		{"variable 5", products, "", map[string]any{"n": raw(`5`)}, true},
		{"variable \"5\"", products, "", map[string]any{"n": raw(`"5"`)}, false},
		{"variable 2147483648", products, "", map[string]any{"n": raw(`2147483648`)}, false},
		{"variable -2147483649", products, "", map[string]any{"n": raw(`-2147483649`)}, false},
		{"nested variable 1", add, f.aliceToken, qty(raw(`1`)), true},
		{"nested variable 1.5", add, f.aliceToken, qty(raw(`1.5`)), false},
		{"nested variable \"1\"", add, f.aliceToken, qty(raw(`"1"`)), false},
		{"nested variable 2147483648", add, f.aliceToken, qty(raw(`2147483648`)), false},
		{"nested variable 1e10", add, f.aliceToken, qty(raw(`1e10`)), false},
		{"nested variable 2147483647 reaches the quantity rule", add, f.aliceToken, qty(raw(`2147483647`)), true},
		{"amount 2147483647", threshold, f.adminToken, amount(raw(`2147483647`)), true},
		{"amount 2147483648", threshold, f.adminToken, amount(raw(`2147483648`)), false},
		{"amount \"100\"", threshold, f.adminToken, amount(raw(`"100"`)), false},
		{"literal 5", `{ products(first: 5) { totalCount } }`, "", nil, true},
		{"literal 2147483648", `{ products(first: 2147483648) { totalCount } }`, "", nil, false},
		{"literal \"5\"", `{ products(first: "5") { totalCount } }`, "", nil, false},
		{"nested literal 2147483648", `mutation { updateApprovalSettings(input: {threshold: {amount: 2147483648, currency: "USD"}}) { errors { code } } }`, f.adminToken, nil, false},
		{"nested literal -2147483648", `mutation { updateApprovalSettings(input: {threshold: {amount: -2147483648, currency: "USD"}}) { errors { code } } }`, f.adminToken, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.store.writes.Load()
			body, _ := json.Marshal(map[string]any{"query": tt.query, "variables": tt.vars})
			header := map[string]string{}
			if tt.token != "" {
				header["Authorization"] = "Bearer " + tt.token
			}
			w := f.raw(http.MethodPost, "/", "application/json", string(body), header)
			var resp struct {
				Data   map[string]json.RawMessage
				Errors []gqlError
			}
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if tt.ok {
				if len(resp.Errors) > 0 {
					t.Fatalf("refused: %s", w.Body)
				}
				return
			}
			if len(resp.Errors) == 0 || resp.Errors[0].code() != "GRAPHQL_VALIDATION_FAILED" {
				t.Fatalf("want GRAPHQL_VALIDATION_FAILED, got %s", w.Body)
			}
			if msg := resp.Errors[0].Message; !strings.Contains(msg, "Int") {
				t.Errorf("message %q does not say it is about Int", msg)
			}
			for _, d := range resp.Data {
				if string(d) != "null" {
					t.Errorf("a refused argument still ran its field: %s", w.Body)
				}
			}
			if n := f.store.writes.Load() - before; n != 0 {
				t.Errorf("wrote %d times", n)
			}
		})
	}
	// GET carries variables in the query string: the same rules.
	w := f.raw(http.MethodGet, "/?query="+url.QueryEscape(products)+"&variables="+url.QueryEscape(`{"n":"5"}`), "", "", nil)
	if !strings.Contains(w.Body.String(), "GRAPHQL_VALIDATION_FAILED") {
		t.Errorf("GET with a string Int: %s", w.Body)
	}
}
