package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/orderly-shop/orderly"
)

// BenchmarkDataloaders lists n orders with their customers and their lines'
// products, as an operator, through the gqlgen handler over the in-memory
// fakes. It runs the request with the dataloaders (one batched fetch per
// kind) and, interleaved in the same run, with a baseline that fetches each
// line's product and each order's customer with its own FindProductByID /
// FindCustomerByID, and reports:
//
//	calls/op, baseline-calls/op   store calls per request (auth and list included)
//	calls-ratio                   baseline calls ÷ dataloader calls
//	baseline-ns/op, time-ratio    baseline time per request, and ÷ ns/op
//
// A time-ratio above 1 means the dataloaders answer faster. Each store
// model charges every call differently:
//
//	memory    nothing: the API's own CPU cost; the loaders' batching window
//	          (loaderWait) is then pure added latency
//	devstore  devstoreCallCost of CPU per call, one call at a time, as the
//	          embedded store's gate serves them on this same machine (about a
//	          gated point read measured by BenchmarkStoreGate in devstack)
//	mongodb   networkCallCost of waiting per call, calls overlapping, as a
//	          connection pool to a MongoDB across a network serves them
//
// Pages hold 10 and 50 orders: a page of 100 with this selection exceeds
// the complexity limit (6001 > 5000).
//
//	go test -run '^$' -bench Dataloaders ./graph/
func BenchmarkDataloaders(b *testing.B) {
	for _, model := range []string{"memory", "devstore", "mongodb"} {
		for _, orders := range []int{10, 50} {
			b.Run(fmt.Sprintf("store=%s/orders=%d", model, orders), func(b *testing.B) {
				benchDataloaders(b, model, orders)
			})
		}
	}
}

// What the store models charge per call. A sleep on this machine lasts at
// least about a millisecond, so the devstore model spins instead, which is
// also what the real devstore does: spend CPU on the same cores.
const (
	devstoreCallCost = 400 * time.Microsecond
	networkCallCost  = time.Millisecond
)

// benchQuery is an operator's list of orders with customers and products.
const benchQuery = `query($first: Int!) { orders(first: $first) { edges { node {
  id status total { formatted }
  customer { name email }
  lines { quantity product { name price { formatted } } }
} } } }`

func benchDataloaders(b *testing.B, model string, orders int) {
	s := newCountingStore(model)
	r, token := benchResolver(b, s, orders)
	loaded := benchHandler(r, r.withLoaders)
	baseline := benchHandler(r, perItemLoaders(r))
	body, err := json.Marshal(map[string]any{"query": benchQuery, "variables": map[string]any{"first": orders}})
	if err != nil {
		b.Fatal(err)
	}

	// The candidate must be what production serves: the same answer with
	// the same calls as NewHandler. The loaders batch what arrives within
	// their wait, so on a busy machine one request may take a batch more
	// than the other: the counts must agree in one of a few tries.
	production := NewHandler(r, DefaultHandlerOptions())
	var want string
	for try := 1; ; try++ {
		var wantCalls int64
		want, wantCalls = benchRequest(b, s, loaded, token, body)
		got, calls := benchRequest(b, s, production, token, body)
		if got != want {
			b.Fatalf("NewHandler answers differently:\n%s\nwant\n%s", got, want)
		}
		if calls == wantCalls {
			break
		}
		if try == 5 {
			b.Fatalf("NewHandler: %d calls; benchmark handler: %d calls", calls, wantCalls)
		}
	}
	if got, _ := benchRequest(b, s, baseline, token, body); got != want {
		b.Fatalf("baseline answers differently:\n%s\nwant\n%s", got, want)
	}
	if n := strings.Count(want, `"customer"`); n != orders {
		b.Fatalf("%d orders listed, want %d", n, orders)
	}

	// The baseline is slow on a serialized store, so it runs on a sample of
	// the iterations, spread over the run.
	every := max(1, b.N/16)
	var calls, baselineCalls, baselineRuns int64
	var baselineTime time.Duration
	b.ResetTimer()
	for i := range b.N {
		_, n := benchRequest(b, s, loaded, token, body)
		calls += n
		if i%every == 0 {
			b.StopTimer()
			start := time.Now()
			_, n := benchRequest(b, s, baseline, token, body)
			baselineTime += time.Since(start)
			baselineCalls += n
			baselineRuns++
			b.StartTimer()
		}
	}
	b.StopTimer()

	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	basePerOp := float64(baselineTime.Nanoseconds()) / float64(baselineRuns)
	b.ReportMetric(float64(calls)/float64(b.N), "calls/op")
	b.ReportMetric(float64(baselineCalls)/float64(baselineRuns), "baseline-calls/op")
	b.ReportMetric(float64(baselineCalls)/float64(baselineRuns)/(float64(calls)/float64(b.N)), "calls-ratio")
	b.ReportMetric(basePerOp, "baseline-ns/op")
	b.ReportMetric(basePerOp/perOp, "time-ratio")
}

// benchRequest posts the query as the operator and returns the body and the
// store calls it took.
func benchRequest(b testing.TB, s *countingStore, h http.Handler, token string, body []byte) (string, int64) {
	before := s.calls.Load()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusOK || bytes.Contains(w.Body.Bytes(), []byte(`"errors"`)) {
		b.Fatalf("status %d: %s", w.Code, w.Body)
	}
	return w.Body.String(), s.calls.Load() - before
}

// benchResolver fills s with a 20-product catalog and n orders of two lines
// from ten customers, and returns the resolver and an operator's token.
func benchResolver(b testing.TB, s *countingStore, n int) (*Resolver, string) {
	ctx := context.Background()
	products := s.seed(20)
	var customers []*orderly.Customer
	for i := range 10 {
		c, err := s.Register(ctx, fmt.Sprintf("shopper%d@example.com", i), "correct horse", fmt.Sprint("Shopper ", i), orderly.RoleCustomer)
		if err != nil {
			b.Fatal(err)
		}
		customers = append(customers, c)
	}
	addr := orderly.Address{Name: "Ada", Line1: "1 Way", City: "London", PostalCode: "N1", Country: "GB"}
	for i := range n {
		var lines []orderly.PricedCartLine
		for _, p := range []*orderly.Product{products[i%len(products)], products[(i+7)%len(products)]} {
			lines = append(lines, orderly.PricedCartLine{Product: p, Quantity: 1, UnitPrice: p.Price, LineTotal: p.Price})
		}
		o, err := orderly.NewOrder(orderly.NewOrderInput{
			CustomerID: customers[i%len(customers)].ID, IdempotencyKey: fmt.Sprint("k", i), ShippingAddress: addr, Lines: lines, At: time.Now(),
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := s.CreateOrder(ctx, o); err != nil {
			b.Fatal(err)
		}
	}
	admin, err := s.Register(ctx, "ops@example.com", "correct horse", "Ops", orderly.RoleAdmin)
	if err != nil {
		b.Fatal(err)
	}
	session, err := s.CreateSession(ctx, admin.ID)
	if err != nil {
		b.Fatal(err)
	}
	r := &Resolver{
		ProductService: s, CartService: s, OrderService: s, AccountService: s, RewardsService: s,
		NotificationService: s, SettingsService: s, ChangeFeed: s.feed, OrderProcessing: s,
		Logger: slog.New(slog.DiscardHandler),
	}
	s.calls.Store(0)
	return r, session.Token
}

// benchHandler is NewHandler's HTTP stack with the given response
// middleware in place of the dataloaders', so that the two variants differ
// in nothing else.
func benchHandler(r *Resolver, loaders graphql.ResponseMiddleware) http.Handler {
	opts := DefaultHandlerOptions()
	srv := handler.New(r.NewExecutableSchema())
	srv.AddTransport(httpTransport{maxBodyBytes: opts.MaxBodyBytes})
	srv.SetErrorPresenter(r.presentError)
	srv.SetRecoverFunc(r.recoverPanic)
	srv.SetParserTokenLimit(opts.MaxTokens)
	srv.SetQueryCache(lru.New[*ast.QueryDocument](opts.QueryCacheSize))
	srv.Use(depthLimit{Max: opts.MaxDepth})
	srv.Use(extension.FixedComplexityLimit(opts.MaxComplexity))
	srv.Use(storeLimit{MaxRootFields: opts.MaxRootFields, MaxScans: opts.MaxScans})
	srv.AroundOperations(takeTurns)
	srv.AroundRootFields(takeTurn)
	srv.AroundResponses(loaders)
	return r.authenticateHTTP(opts, srv)
}

// perItemLoaders is the baseline: loaders that neither wait, batch nor
// cache, so every line's product and every order's customer is its own
// FindProductByID / FindCustomerByID, as resolvers without dataloaders do.
func perItemLoaders(r *Resolver) graphql.ResponseMiddleware {
	one := []dataloadgen.Option{dataloadgen.WithWait(0), dataloadgen.WithBatchCapacity(1), dataloadgen.WithoutCache()}
	return func(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
		l := r.newLoaders()
		l.products = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*orderly.Product, error) {
			return findEach(ctx, ids, r.ProductService.FindProductByID)
		}, one...)
		l.customers = dataloadgen.NewMappedLoader(func(ctx context.Context, ids []string) (map[string]*orderly.Customer, error) {
			return findEach(ctx, ids, r.AccountService.FindCustomerByID)
		}, one...)
		return next(context.WithValue(ctx, loadersKey{}, l))
	}
}

func findEach[T any](ctx context.Context, ids []string, find func(context.Context, string) (*T, error)) (map[string]*T, error) {
	m := make(map[string]*T, len(ids))
	for _, id := range ids {
		v, err := find(ctx, id)
		if orderly.ErrorCode(err) == orderly.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		m[id] = v
	}
	return m, nil
}

// countingStore is the fake store with every read the benchmark's request
// makes counted and charged as the store model says.
type countingStore struct {
	*fakeStore
	// gate, when set, serves one call at a time, each spinning gateCost.
	gate     *sync.Mutex
	gateCost time.Duration
	// wait is slept by every call, calls overlapping.
	wait  time.Duration
	calls atomic.Int64
}

func newCountingStore(model string) *countingStore {
	s := &countingStore{fakeStore: newFakeStore()}
	switch model {
	case "devstore":
		s.gate, s.gateCost = &sync.Mutex{}, devstoreCallCost
	case "mongodb":
		s.wait = networkCallCost
	}
	return s
}

func (s *countingStore) call() {
	s.calls.Add(1)
	if s.wait > 0 {
		time.Sleep(s.wait)
	}
	if s.gate != nil {
		s.gate.Lock()
		defer s.gate.Unlock()
		for end := time.Now().Add(s.gateCost); time.Now().Before(end); {
		}
	}
}

func (s *countingStore) FindProductByID(ctx context.Context, id string) (*orderly.Product, error) {
	s.call()
	return s.fakeStore.FindProductByID(ctx, id)
}

func (s *countingStore) FindProductsByIDs(ctx context.Context, ids []string) ([]*orderly.Product, error) {
	s.call()
	return s.fakeStore.FindProductsByIDs(ctx, ids)
}

func (s *countingStore) FindCustomerByID(ctx context.Context, id string) (*orderly.Customer, error) {
	s.call()
	return s.fakeStore.FindCustomerByID(ctx, id)
}

func (s *countingStore) FindCustomersByIDs(ctx context.Context, ids []string) ([]*orderly.Customer, error) {
	s.call()
	return s.fakeStore.FindCustomersByIDs(ctx, ids)
}

func (s *countingStore) FindOrders(ctx context.Context, f orderly.OrderFilter) (orderly.Page[*orderly.Order], error) {
	s.call()
	return s.fakeStore.FindOrders(ctx, f)
}

func (s *countingStore) CustomerBySession(ctx context.Context, token string) (*orderly.Customer, error) {
	s.call()
	return s.fakeStore.CustomerBySession(ctx, token)
}
