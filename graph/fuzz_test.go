package graph

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzGraphQLHandler feeds arbitrary bodies and GET queries to the HTTP
// handler, signed in as a customer. Whatever comes in, the handler must not
// panic, must answer JSON with a status below 500, and must never show
// internal detail.
func FuzzGraphQLHandler(f *testing.F) {
	seeds := []string{
		`{"query":"{ products(first: 3) { edges { node { id name price { formatted } } } } }"}`,
		`{"query":"query($id: ID!) { order(id: $id) { id status } }","variables":{"id":"ord_x"}}`,
		`{"query":"mutation($i: AddToCartInput!) { addToCart(input: $i) { errors { code } } }","variables":{"i":{"productId":"p","quantity":-1}}}`,
		`{"query":"mutation { placeOrder(input: {idempotencyKey: \"k\", shippingAddress: {name: \"a\", line1: \"b\", city: \"c\", postalCode: \"d\", country: \"US\"}}) { errors { code } } }"}`,
		`{"query":"{ __schema { types { name } } }"}`,
		`{"query":"{ nodes(ids: [\"prd_1\", \"ord_2\", \"cus_3\"]) { id } }"}`,
		`{"query":"fragment F on Query { ...F } { ...F }"}`,
		`{"query":"{ products(first: 100) { edges { node { id } } } }","operationName":"Nope"}`,
		`{"query":"subscription { rewardsUpdated { points } }"}`,
		`{"query":"{ settings { approvalMode } }"}`,
		`{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}`,
		`{"query": 1}`, `{"query":"{"}`, `[]`, `null`, `{`, ``, "\x00\xff",
		`{"query":"{ products(first: -1) { totalCount } }"}`,
		`{"query":"query { a: me { id } b: me { id } }","variables":{"x":[1,{"y":null}]}}`,
	}
	for _, s := range seeds {
		f.Add(s, true)
		f.Add(s, false)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, body string, post bool) {
		var req *http.Request
		if post {
			req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
		} else {
			req = httptest.NewRequest(http.MethodGet, "/?query="+url.QueryEscape(body), nil)
		}
		req.Header.Set("Authorization", "Bearer "+fx.aliceToken)
		w := httptest.NewRecorder()
		fx.handler.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("status %d for %q: %s", w.Code, body, w.Body)
		}
		if !json.Valid(w.Body.Bytes()) {
			t.Fatalf("non-JSON answer for %q: %s", body, w.Body)
		}
		for _, leak := range []string{"panic", "goroutine ", ".go:", "runtime error"} {
			if strings.Contains(w.Body.String(), leak) {
				t.Fatalf("internal detail %q for %q: %s", leak, body, w.Body)
			}
		}
	})
}
