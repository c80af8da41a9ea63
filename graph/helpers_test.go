package graph

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/client"
	"github.com/rs/cors"

	"github.com/orderly-shop/orderly"
	"github.com/orderly-shop/orderly/checkout"
)

// fixture is an API over a fakeStore with three customers and an operator.
type fixture struct {
	t        testing.TB
	store    *fakeStore
	resolver *Resolver
	handler  http.Handler
	products []*orderly.Product

	alice, bob, admin                *orderly.Customer
	aliceToken, bobToken, adminToken string
}

func newFixture(t testing.TB, tweak ...func(*HandlerOptions)) *fixture {
	t.Helper()
	s := newFakeStore()
	f := &fixture{t: t, store: s}
	f.products = s.seed(6)
	f.resolver = &Resolver{
		ProductService: s, CartService: s, OrderService: s, AccountService: s, RewardsService: s,
		NotificationService: s, SettingsService: s, ChangeFeed: s.feed, OrderProcessing: s, OrderStats: s, LocationService: s,
		Checkout:      &checkout.Service{Carts: s, Orders: s, Processing: s, Now: s.clock},
		TemporalUIURL: "http://temporal.test:8233/", TemporalNamespace: "default",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	opts := DefaultHandlerOptions()
	opts.Introspection = true
	opts.OriginAllowed = cors.New(cors.Options{AllowedOrigins: []string{"https://shop.example"}}).OriginAllowed
	for _, tw := range tweak {
		tw(&opts)
	}
	f.handler = NewHandler(f.resolver, opts)
	f.alice, f.aliceToken = f.account("alice@example.com", orderly.RoleCustomer)
	f.bob, f.bobToken = f.account("bob@example.com", orderly.RoleCustomer)
	f.admin, f.adminToken = f.account("ops@example.com", orderly.RoleAdmin)
	s.writes.Store(0)
	return f
}

func (f *fixture) account(email string, role orderly.Role) (*orderly.Customer, string) {
	f.t.Helper()
	ctx := context.Background()
	c, err := f.store.Register(ctx, email, "correct horse", strings.Split(email, "@")[0], role)
	if err != nil {
		f.t.Fatal(err)
	}
	s, err := f.store.CreateSession(ctx, c.ID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c, s.Token
}

// gqlError is a top-level GraphQL error as clients see it.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

func (e gqlError) code() string { s, _ := e.Extensions["code"].(string); return s }

// result is a decoded GraphQL response.
type result struct {
	Data   json.RawMessage
	Errors []gqlError
}

// codes lists the top-level errors' codes.
func (r result) codes() []string {
	var out []string
	for _, e := range r.Errors {
		out = append(out, e.code())
	}
	return out
}

// decode unpacks the data into v.
func (r result) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Data, v); err != nil {
		t.Fatalf("decode %s: %v", r.Data, err)
	}
}

// do runs one operation through gqlgen's test client as the caller whose
// token is given ("" for anonymous).
func (f *fixture) do(token, query string, vars map[string]any) result {
	f.t.Helper()
	opts := []client.Option{}
	if token != "" {
		opts = append(opts, client.AddHeader("Authorization", "Bearer "+token))
	}
	for k, v := range vars {
		opts = append(opts, client.Var(k, v))
	}
	resp, err := client.New(f.handler).RawPost(query, opts...)
	if err != nil {
		f.t.Fatalf("post: %v", err)
	}
	data, err := json.Marshal(resp.Data)
	if err != nil {
		f.t.Fatal(err)
	}
	var r result
	r.Data = data
	if len(resp.Errors) > 0 {
		if err := json.Unmarshal(resp.Errors, &r.Errors); err != nil {
			f.t.Fatalf("errors %s: %v", resp.Errors, err)
		}
	}
	return r
}

// ok runs an operation that must not fail at the top level and decodes it.
func (f *fixture) ok(token, query string, vars map[string]any, v any) {
	f.t.Helper()
	r := f.do(token, query, vars)
	if len(r.Errors) > 0 {
		f.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if v != nil {
		r.decode(f.t, v)
	}
}

// raw sends an HTTP request to the handler and returns the recorder.
func (f *fixture) raw(method, target, contentType, body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.handler.ServeHTTP(w, req)
	return w
}

// payloadErrors is the errors list of a mutation payload.
type payloadErrors []struct {
	Code    string  `json:"code"`
	Message string  `json:"message"`
	Field   *string `json:"field"`
}

func (p payloadErrors) codes() []string {
	var out []string
	for _, e := range p {
		out = append(out, e.Code)
	}
	return out
}

// mutate runs a mutation whose payload is at data.<field> and returns its
// errors, decoding the payload into v (may be nil).
func (f *fixture) mutate(token, query, field string, vars map[string]any, v any) payloadErrors {
	f.t.Helper()
	var data map[string]json.RawMessage
	f.ok(token, query, vars, &data)
	var p struct {
		Errors payloadErrors `json:"errors"`
	}
	if err := json.Unmarshal(data[field], &p); err != nil {
		f.t.Fatalf("payload %s: %v", data[field], err)
	}
	if p.Errors == nil {
		f.t.Fatalf("payload %s has no errors list", data[field])
	}
	if v != nil {
		if err := json.Unmarshal(data[field], v); err != nil {
			f.t.Fatal(err)
		}
	}
	return p.Errors
}

// addToCart puts a product in a customer's cart directly in the store.
// useProcessing makes the API and its checkout drive orders through p.
func (f *fixture) useProcessing(p orderly.OrderProcessing) {
	f.resolver.OrderProcessing = p
	f.resolver.Checkout = &checkout.Service{Carts: f.store, Orders: f.store, Processing: p, Now: f.store.clock}
}

// storeOrder puts an order of one unit of the first product in the store,
// as a checkout under key would have made it an hour ago, and returns it.
func (f *fixture) storeOrder(c *orderly.Customer, key string) *orderly.Order {
	f.t.Helper()
	p := f.products[0]
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: c.ID, IdempotencyKey: key,
		ShippingAddress: orderly.Address{Name: "Ada", Line1: "1 Way", City: "London", PostalCode: "N1", Country: "GB"},
		Lines:           []orderly.PricedCartLine{{Product: p, Quantity: 1, UnitPrice: p.Price, LineTotal: p.Price}},
		At:              f.store.clock().Add(-time.Hour),
	})
	if err == nil {
		o, _, err = f.store.CreateOrder(context.Background(), o)
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return o
}

func (f *fixture) addToCart(c *orderly.Customer, p *orderly.Product, qty int) {
	f.t.Helper()
	if _, err := f.store.AddToCart(context.Background(), c.ID, p.ID, qty); err != nil {
		f.t.Fatal(err)
	}
}

// placeOrder places an order for a customer through the API.
func (f *fixture) placeOrder(token string, key string) string {
	f.t.Helper()
	var p struct {
		Order struct{ ID string } `json:"order"`
	}
	errs := f.mutate(token, placeOrderMutation, "placeOrder", map[string]any{"input": map[string]any{
		"idempotencyKey": key, "shippingAddress": validAddress(),
	}}, &p)
	if len(errs) > 0 {
		f.t.Fatalf("placeOrder: %+v", errs)
	}
	return p.Order.ID
}

func validAddress() map[string]any {
	return map[string]any{"name": "Alice", "line1": "1 Main St", "city": "Springfield", "postalCode": "12345", "country": "US"}
}

const placeOrderMutation = `mutation($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    created
    order { id status version total { amount currency formatted } lines { productId name quantity product { id } } timeline { version status } }
    errors { code message field }
  }
}`

func moneyOf(amount int64, currency string) orderly.Money {
	return orderly.Money{Amount: amount, Currency: currency}
}
