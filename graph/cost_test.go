package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/orderly-shop/orderly"
)

// TestStoreLimits: an operation that would cost the store more than the
// limits allow is refused before anything runs, with a top-level code that
// says which limit (the old handler ran 120 aliases of a count: 240 scans).
func TestStoreLimits(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	orderID := f.placeOrder(f.aliceToken, "cost")
	aliases := func(n int, field string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := range n {
			fmt.Fprintf(&b, " a%d: %s", i, field)
		}
		b.WriteString(" }")
		return b.String()
	}
	const (
		count = `orders(first: 1) { totalCount }`
		rich  = `orders(first: 100) { totalCount edges { node { id customer { id } lines { product { id } } } } }`
	)
	tests := []struct {
		name  string
		token string
		query string
		vars  map[string]any
		code  string // "" when it runs
	}{
		{"the issue's 120 counts", f.aliceToken, aliases(120, count), nil, "ROOT_FIELD_LIMIT_EXCEEDED"},
		{"11 root fields", f.aliceToken, aliases(11, `me { id }`), nil, "ROOT_FIELD_LIMIT_EXCEEDED"},
		{"10 root fields", f.aliceToken, aliases(10, `me { id }`), nil, ""},
		{"root fields through fragments", f.aliceToken,
			`{ ...A ...B } fragment A on Query { a: me { id } b: me { id } c: me { id } d: me { id } e: me { id } f: me { id } } fragment B on Query { g: me { id } h: me { id } i: me { id } ... on Query { j: me { id } k: me { id } } }`, nil, "ROOT_FIELD_LIMIT_EXCEEDED"},
		{"__typename is no root field", f.aliceToken, "{ " + strings.Repeat("__typename ", 30) + "me { id } }", nil, ""},
		{"11 mutations", f.aliceToken, "mutation " + aliases(11, `clearCart { errors { code } }`), nil, "ROOT_FIELD_LIMIT_EXCEEDED"},
		{"2 counts: 4 scans", f.aliceToken, aliases(2, count), nil, ""},
		{"3 counts: 6 scans", f.aliceToken, aliases(3, count), nil, "STORE_SCAN_LIMIT_EXCEEDED"},
		{"a page, its count and two loaders: 4 scans", f.adminToken, `{ ` + rich + ` }`, nil, ""},
		{"and the categories: 5", f.adminToken, `{ ` + rich + ` categories }`, nil, "STORE_SCAN_LIMIT_EXCEEDED"},
		{"the operator's orders page, as the console asks: 3", f.adminToken,
			`{ orders(first: 100) { totalCount edges { node { id customer { id name } } } } me { id } }`, nil, ""},
		{"the same loader twice in one root field is one read", f.adminToken,
			`{ orders { edges { node { customer { id } c2: customer { name } lines { product { id } p2: product { name } } } } } }`, nil, ""},
		{"nodes of three types: 3 scans", f.adminToken,
			`query($ids: [ID!]!) { nodes(ids: $ids) { id } categories }`,
			map[string]any{"ids": []any{f.products[0].ID, orderID, f.alice.ID}}, ""},
		{"nodes of three types, and a count page: 5", f.adminToken,
			`query($ids: [ID!]!) { nodes(ids: $ids) { id } orders(first: 1) { totalCount } }`,
			map[string]any{"ids": []any{f.products[0].ID, orderID, f.alice.ID}}, "STORE_SCAN_LIMIT_EXCEEDED"},
		{"10 point reads", "", aliases(10, fmt.Sprintf(`product(id: %q) { id }`, f.products[0].ID)), nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			batches := f.store.productBatches.Load() + f.store.orderBatches.Load() + f.store.customerBatches.Load()
			body, _ := json.Marshal(map[string]any{"query": tt.query, "variables": tt.vars})
			header := map[string]string{"Accept": "application/graphql-response+json"}
			if tt.token != "" {
				header["Authorization"] = "Bearer " + tt.token
			}
			w := f.raw(http.MethodPost, "/", "application/json", string(body), header)
			var resp struct {
				Data   json.RawMessage
				Errors []gqlError
			}
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			if tt.code == "" {
				if len(resp.Errors) > 0 {
					t.Fatalf("refused: %s", w.Body)
				}
				return
			}
			if w.Code != http.StatusBadRequest || len(resp.Errors) != 1 || resp.Errors[0].code() != tt.code {
				t.Fatalf("want 400 and %s, got %d %s", tt.code, w.Code, w.Body)
			}
			if len(resp.Data) > 0 && string(resp.Data) != "null" {
				t.Errorf("a refused operation ran: %s", w.Body)
			}
			if n := f.store.productBatches.Load() + f.store.orderBatches.Load() + f.store.customerBatches.Load(); n != batches {
				t.Errorf("a refused operation read the store")
			}
		})
	}
}

// TestScanReadsCoverTheSchema: every root field that returns a list or a
// connection, and every connection's totalCount, is costed in scanReads
// (nodes is costed by its IDs), so that a new list cannot slip past
// STORE_SCAN_LIMIT_EXCEEDED.
func TestScanReadsCoverTheSchema(t *testing.T) {
	schema := newFixture(t).resolver.NewExecutableSchema().Schema()
	for _, f := range schema.Query.Fields {
		name := f.Type.Name()
		if strings.HasPrefix(f.Name, "__") || f.Name == "nodes" {
			continue
		}
		if (f.Type.Elem != nil || strings.HasSuffix(name, "Connection")) && !scanReads["Query."+f.Name] {
			t.Errorf("Query.%s returns %s but is not in scanReads", f.Name, f.Type)
		}
	}
	for name, def := range schema.Types {
		if def.Kind == ast.Object && strings.HasSuffix(name, "Connection") && def.Fields.ForName("totalCount") != nil && !scanReads[name+".totalCount"] {
			t.Errorf("%s.totalCount is not in scanReads", name)
		}
	}
	for key := range scanReads {
		typ, field, _ := strings.Cut(key, ".")
		if def := schema.Types[typ]; def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("scanReads names %s, which the schema does not have", key)
		}
	}
}

// TestRootFieldsTakeTurns: the root fields of one query reach the store one
// at a time (gqlgen resolves them concurrently, and on a store that serves
// one request at a time they would all queue ahead of every other client),
// while two queries of two clients still run side by side.
func TestRootFieldsTakeTurns(t *testing.T) {
	f := newFixture(t)
	slow := &concurrentReads{ProductService: f.store, hold: 20 * time.Millisecond}
	f.resolver.ProductService = slow
	var q strings.Builder
	q.WriteString("{")
	for i := range 5 {
		fmt.Fprintf(&q, " p%d: product(id: %q) { id }", i, f.products[i].ID)
	}
	q.WriteString(" }")
	f.ok("", q.String(), nil, nil)
	if got := slow.most.Load(); got != 1 {
		t.Errorf("one query had %d root fields at the store at once, want 1", got)
	}
	if got := slow.calls.Load(); got != 5 {
		t.Fatalf("%d reads, want 5", got)
	}

	slow.most.Store(0)
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() { f.ok("", q.String(), nil, nil) })
	}
	wg.Wait()
	if got := slow.most.Load(); got != 2 {
		t.Errorf("two clients' queries had %d reads at once, want 2 (one each)", got)
	}
}

// concurrentReads is a ProductService whose FindProductByID holds for a
// while and records how many calls overlapped at most.
type concurrentReads struct {
	orderly.ProductService
	hold             time.Duration
	now, most, calls atomic.Int64
}

func (c *concurrentReads) FindProductByID(ctx context.Context, id string) (*orderly.Product, error) {
	c.calls.Add(1)
	n := c.now.Add(1)
	defer c.now.Add(-1)
	for {
		m := c.most.Load()
		if n <= m || c.most.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(c.hold)
	return c.ProductService.FindProductByID(ctx, id)
}

// TestNodesAreBatched: nodes(ids:) reads each type of ID in one batch, not
// one read per ID, and keeps node's visibility rules.
func TestNodesAreBatched(t *testing.T) {
	f := newFixture(t)
	counting := &concurrentReads{ProductService: f.store}
	f.resolver.ProductService = counting
	f.addToCart(f.alice, f.products[0], 1)
	aliceOrder := f.placeOrder(f.aliceToken, "nodes")
	var ids []any
	for _, p := range f.products {
		ids = append(ids, p.ID)
	}
	ids = append(ids, aliceOrder, f.alice.ID, f.bob.ID, "prd_nope", "ord_nope", "zzz_1")
	f.store.productBatches.Store(0)
	f.store.orderBatches.Store(0)
	var out struct{ Nodes []*struct{ ID string } }
	for _, caller := range []struct {
		name, token string
		visible     int
	}{{"alice", f.aliceToken, len(f.products) + 2}, {"bob", f.bobToken, len(f.products) + 1}, {"operator", f.adminToken, len(f.products) + 3}} {
		f.ok(caller.token, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}, &out)
		got := 0
		for i, n := range out.Nodes {
			if n != nil {
				got++
				if n.ID != ids[i] {
					t.Errorf("%s: node %d is %s, want %s", caller.name, i, n.ID, ids[i])
				}
			}
		}
		if got != caller.visible {
			t.Errorf("%s sees %d nodes, want %d", caller.name, got, caller.visible)
		}
	}
	if n := counting.calls.Load(); n != 0 {
		t.Errorf("%d product reads one by one", n)
	}
	if p, o := f.store.productBatches.Load(), f.store.orderBatches.Load(); p != 3 || o != 3 {
		t.Errorf("%d product and %d order batches for three requests, want 3 and 3", p, o)
	}
}
