package graph

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBadInputMatrix sends malformed and hostile requests. Each must get a
// clear error with the right status, never a panic or a 500, and must write
// nothing.
func TestBadInputMatrix(t *testing.T) {
	const add = `mutation($input: AddToCartInput!) { addToCart(input: $input) { cart { itemCount } errors { code field } } }`
	body := func(query string, vars map[string]any, op string) string {
		b, _ := json.Marshal(map[string]any{"query": query, "variables": vars, "operationName": op})
		return string(b)
	}
	deep := `{ notifications(first: 1) { edges { node { order { shipments { lines { product { price { amount } } } } } } } } }` // depth 9
	heavy := `{ orders(first: 100) { edges { node { id workflowState { status } lines { name product { name } } } } } }`
	aliased := "{" + strings.Repeat(" p: products(first: 100) { edges { node { id name price { amount currency formatted } } } }", 10) + " }"
	tokens := "{" + strings.Repeat(" a", 6000) + " }"
	grjson := map[string]string{"Accept": "application/graphql-response+json"}

	type tc struct {
		name        string
		method      string
		target      string
		contentType string
		body        string
		header      map[string]string
		status      int
		code        string // extensions.code of the first error, or a payload error code
		maxDepth    int
	}
	cases := []tc{
		{name: "malformed JSON", body: `{"query": `, status: 400, code: "BAD_REQUEST"},
		{name: "JSON array body", body: `[{"query":"{ me { id } }"}]`, status: 400, code: "BAD_REQUEST"},
		{name: "query of the wrong type", body: `{"query": 5}`, status: 400, code: "BAD_REQUEST"},
		{name: "trailing garbage", body: `{"query":"{ me { id } }"} {}`, status: 400, code: "BAD_REQUEST"},
		{name: "variables of the wrong type", body: `{"query":"{ me { id } }","variables":[1]}`, status: 400, code: "BAD_REQUEST"},
		{name: "text/plain", contentType: "text/plain", body: `{"query":"{ me { id } }"}`, status: 415, code: "UNSUPPORTED_MEDIA_TYPE"},
		{name: "PUT", method: http.MethodPut, body: `{"query":"{ me { id } }"}`, status: 405, code: "METHOD_NOT_ALLOWED"},
		{name: "not acceptable", body: `{"query":"{ me { id } }"}`, header: map[string]string{"Accept": "text/html"}, status: 406, code: "NOT_ACCEPTABLE"},
		{name: "oversized body", body: body(add, map[string]any{"input": map[string]any{"productId": strings.Repeat("x", 70_000), "quantity": 1}}, ""), status: 413, code: "REQUEST_TOO_LARGE"},
		{name: "bad Authorization", body: `{"query":"{ me { id } }"}`, header: map[string]string{"Authorization": "Bearer nope"}, status: 401, code: "UNAUTHORIZED"},
		{name: "empty query", body: `{}`, status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "empty query (graphql-response+json)", body: `{}`, header: grjson, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "syntax error", body: `{"query":"{ products {"}`, header: grjson, status: 400, code: "GRAPHQL_PARSE_FAILED"},
		{name: "unknown field", body: `{"query":"{ nope }"}`, header: grjson, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "variable of the wrong type", body: body(add, map[string]any{"input": map[string]any{"productId": "p", "quantity": "two"}}, ""), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "unknown input field", body: body(add, map[string]any{"input": map[string]any{"productId": "p", "quantity": 1, "price": 0}}, ""), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "missing variable", body: body(add, nil, ""), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "quantity beyond Int", body: body(add, map[string]any{"input": map[string]any{"productId": "p", "quantity": 1 << 40}}, ""), status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "quantity beyond int64", body: `{"query":"mutation($q: Int!) { addToCart(input: {productId: \"p\", quantity: $q}) { errors { code } } }","variables":{"q":1e30}}`, status: 200, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "zero quantity", body: body(add, map[string]any{"input": map[string]any{"productId": "p", "quantity": 0}}, ""), status: 200, code: "INVALID"},
		{name: "negative quantity", body: body(add, map[string]any{"input": map[string]any{"productId": "p", "quantity": -5}}, ""), status: 200, code: "INVALID"},
		{name: "huge quantity", body: body(add, map[string]any{"input": map[string]any{"productId": "p", "quantity": 2147483647}}, ""), status: 200, code: "INVALID"},
		{name: "unknown product", body: body(add, map[string]any{"input": map[string]any{"productId": "prd_unknown", "quantity": 1}}, ""), status: 200, code: "NOT_FOUND"},
		{name: "unknown operation name", body: body(`query A { me { id } }`, nil, "B"), header: grjson, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "two operations, no name", body: body(`query A { me { id } } query B { me { id } }`, nil, ""), header: grjson, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "too deep", body: body(deep, nil, ""), header: grjson, status: 400, code: "DEPTH_LIMIT_EXCEEDED", maxDepth: 8},
		{name: "too complex", body: body(heavy, nil, ""), header: grjson, status: 400, code: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "too complex by aliases", body: body(aliased, nil, ""), header: grjson, status: 400, code: "COMPLEXITY_LIMIT_EXCEEDED"},
		{name: "too many tokens", body: body(tokens, nil, ""), header: grjson, status: 400, code: "GRAPHQL_PARSE_FAILED"},
		{name: "subscription over POST", body: body(`subscription { rewardsUpdated { points } }`, nil, ""), status: 400, code: "BAD_REQUEST"},
		{name: "GET mutation", method: http.MethodGet, target: "/?query=" + url.QueryEscape(`mutation { clearCart { errors { code } } }`), status: 405, code: "METHOD_NOT_ALLOWED"},
		{name: "GET bad variables", method: http.MethodGet, target: "/?query=" + url.QueryEscape(`{ me { id } }`) + "&variables=%7B", status: 400, code: "BAD_REQUEST"},
		{name: "GET unknown operation", method: http.MethodGet, target: "/?query=" + url.QueryEscape(`query A { me { id } }`) + "&operationName=Z", header: grjson, status: 400, code: "GRAPHQL_VALIDATION_FAILED"},
		{name: "long search", body: body(`query($s: String) { products(search: $s) { totalCount } }`, map[string]any{"s": strings.Repeat("s", 5000)}, ""), status: 200, code: "INVALID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t, func(o *HandlerOptions) {
				if c.maxDepth > 0 {
					o.MaxDepth = c.maxDepth
				}
			})
			method, target, ct := c.method, c.target, c.contentType
			if method == "" {
				method = http.MethodPost
			}
			if target == "" {
				target = "/"
			}
			if ct == "" && method == http.MethodPost {
				ct = "application/json"
			}
			header := map[string]string{"Authorization": "Bearer " + f.aliceToken}
			for k, v := range c.header {
				header[k] = v
			}
			w := f.raw(method, target, ct, c.body, header)
			if w.Code != c.status {
				t.Errorf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			var resp struct {
				Data   map[string]json.RawMessage `json:"data"`
				Errors []gqlError                 `json:"errors"`
			}
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatalf("body is not JSON: %s", w.Body)
			}
			code := ""
			if len(resp.Errors) > 0 {
				code = resp.Errors[0].code()
				if resp.Errors[0].Message == "" {
					t.Error("an error without a message")
				}
			} else if raw, ok := resp.Data["addToCart"]; ok {
				var p struct{ Errors payloadErrors }
				_ = json.Unmarshal(raw, &p)
				if len(p.Errors) > 0 {
					code = p.Errors[0].Code
				}
			}
			if code != c.code {
				t.Errorf("code %q, want %q: %s", code, c.code, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") && !strings.HasPrefix(ct, "application/graphql-response+json") {
				t.Errorf("content type %q", ct)
			}
			for _, leak := range []string{"panic", "goroutine", ".go:", "runtime."} {
				if strings.Contains(w.Body.String(), leak) {
					t.Errorf("internal detail %q in %s", leak, w.Body)
				}
			}
			if n := f.store.writes.Load(); n != 0 {
				t.Errorf("wrote %d times", n)
			}
		})
	}
}

func TestResponseMediaType(t *testing.T) {
	f := newFixture(t)
	for accept, want := range map[string]string{
		"":                                  "application/json",
		"*/*":                               "application/json",
		"application/graphql-response+json": "application/graphql-response+json",
		"application/json;q=0.9, application/graphql-response+json": "application/json",
		"text/html, application/graphql-response+json":              "application/graphql-response+json",
		"application/graphql-response+json;q=0.0, application/json": "application/json",
	} {
		w := f.raw(http.MethodGet, "/?query="+url.QueryEscape("{ categories }"), "", "", map[string]string{"Accept": accept})
		if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), want) {
			t.Errorf("Accept %q: %d %s", accept, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

func TestIntrospectionSwitch(t *testing.T) {
	const q = `{"query":"{ __schema { queryType { name } } }"}`
	on := newFixture(t)
	if w := on.raw(http.MethodPost, "/", "application/json", q, nil); !strings.Contains(w.Body.String(), `"Query"`) {
		t.Errorf("introspection on: %s", w.Body)
	}
	off := newFixture(t, func(o *HandlerOptions) { o.Introspection = false })
	w := off.raw(http.MethodPost, "/", "application/json", q, nil)
	if strings.Contains(w.Body.String(), `"Query"`) || !strings.Contains(w.Body.String(), "INTROSPECTION_DISABLED") {
		t.Errorf("introspection off: %s", w.Body)
	}
	// Without introspection, errors do not suggest field names either.
	w = off.raw(http.MethodPost, "/", "application/json", `{"query":"{ product { nam } }"}`, nil)
	if strings.Contains(w.Body.String(), "Did you mean") {
		t.Errorf("suggestions with introspection off: %s", w.Body)
	}
}

func TestPersistedQueries(t *testing.T) {
	f := newFixture(t)
	const query = "{ categories }"
	sum := sha256.Sum256([]byte(query))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	send := func(withQuery bool) string {
		b := map[string]any{"extensions": ext}
		if withQuery {
			b["query"] = query
		}
		raw, _ := json.Marshal(b)
		w := f.raw(http.MethodPost, "/", "application/json", string(raw), map[string]string{"Accept": "application/graphql-response+json"})
		if w.Code != 200 {
			t.Errorf("status %d: %s", w.Code, w.Body)
		}
		return w.Body.String()
	}
	if body := send(false); !strings.Contains(body, "PERSISTED_QUERY_NOT_FOUND") {
		t.Errorf("unknown hash: %s", body)
	}
	if body := send(true); !strings.Contains(body, `"books"`) {
		t.Errorf("register: %s", body)
	}
	if body := send(false); !strings.Contains(body, `"books"`) {
		t.Errorf("by hash: %s", body)
	}
	ext["persistedQuery"].(map[string]any)["sha256Hash"] = "00"
	w := f.raw(http.MethodPost, "/", "application/json", `{"query":"{ categories }","extensions":{"persistedQuery":{"version":1,"sha256Hash":"00"}}}`, nil)
	if !strings.Contains(w.Body.String(), "hash does not match") {
		t.Errorf("wrong hash: %s", w.Body)
	}
}

func TestPanicsAreInternalErrors(t *testing.T) {
	f := newFixture(t)
	f.resolver.ProductService = nil // a wiring bug: every catalog read panics
	w := f.raw(http.MethodPost, "/", "application/json", `{"query":"{ categories }"}`, nil)
	var resp struct{ Errors []gqlError }
	_ = json.Unmarshal(w.Body.Bytes(), &resp)
	if w.Code != 200 || len(resp.Errors) != 1 || resp.Errors[0].Message != "internal error" || resp.Errors[0].code() != "INTERNAL" {
		t.Errorf("%d %s", w.Code, w.Body)
	}
	if strings.Contains(w.Body.String(), "nil pointer") {
		t.Errorf("detail leaked: %s", w.Body)
	}
}
