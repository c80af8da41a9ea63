package graph

import (
	"slices"
	"testing"

	"github.com/orderly-shop/orderly"
)

const ordersTableQuery = `query($first: Int, $after: String, $filter: OrderFilter, $orderBy: OrderSort) {
  orders(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id status total { amount } customer { email } } }
  }
}`

type ordersTablePage struct {
	Orders struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Node struct {
				ID     string
				Status string
				Total  struct{ Amount int }
			}
		}
	}
}

// readAll pages through the orders query, first at a time, and returns the
// IDs in the order listed and the total count.
func (f *fixture) readAll(token string, first int, vars map[string]any) ([]string, int) {
	f.t.Helper()
	var ids []string
	var after any
	for range 20 {
		v := map[string]any{"first": first, "after": after}
		for k, x := range vars {
			v[k] = x
		}
		var p ordersTablePage
		f.ok(token, ordersTableQuery, v, &p)
		for _, e := range p.Orders.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !p.Orders.PageInfo.HasNextPage {
			return ids, p.Orders.TotalCount
		}
		after = *p.Orders.PageInfo.EndCursor
	}
	f.t.Fatal("more than 20 pages")
	return nil, 0
}

// TestOrdersTable: the operators' table through the API: searches by order
// ID and by customer e-mail, status filter, every sort, paging; customers
// stay within their own orders whatever they search; bad searches are
// INVALID. (That a cursor belongs to its sort is the store's to check:
// mongodb's TestFindOrdersSortsAndSearches.)
func TestOrdersTable(t *testing.T) {
	f := newFixture(t)
	// Alice: one unit of product 0, three of product 1; Bob: two of product 2.
	f.addToCart(f.alice, f.products[0], 1)
	a1 := f.placeOrder(f.aliceToken, "a1")
	f.addToCart(f.alice, f.products[1], 3)
	a2 := f.placeOrder(f.aliceToken, "a2")
	f.addToCart(f.bob, f.products[2], 2)
	b1 := f.placeOrder(f.bobToken, "b1")
	if err := f.store.advance(a2, orderly.StatusValidated); err != nil {
		t.Fatal(err)
	}
	if err := f.store.advance(b1, orderly.StatusCancelled); err != nil {
		t.Fatal(err)
	}
	orders := map[string]*orderly.Order{}
	for _, id := range []string{a1, a2, b1} {
		orders[id] = f.store.orders[id]
	}
	// The expected order of a sort is the root's rule over the same orders.
	sorted := func(s orderly.OrderSort, ids ...string) []string {
		os := make([]*orderly.Order, 0, len(ids))
		for _, id := range ids {
			os = append(os, orders[id])
		}
		slices.SortFunc(os, s.Compare)
		out := make([]string, len(os))
		for i, o := range os {
			out[i] = o.ID
		}
		return out
	}
	all := []string{a1, a2, b1}

	tests := []struct {
		name  string
		token string
		vars  map[string]any
		want  []string
	}{
		{"newest first", f.adminToken, nil, sorted(orderly.OrderSort{}, all...)},
		{"oldest first", f.adminToken, map[string]any{"orderBy": map[string]any{"field": "CREATED_AT", "direction": "ASC"}},
			sorted(orderly.OrderSort{Field: orderly.SortCreatedAt, Direction: orderly.SortAscending}, all...)},
		{"dearest first", f.adminToken, map[string]any{"orderBy": map[string]any{"field": "TOTAL"}},
			sorted(orderly.OrderSort{Field: orderly.SortTotal, Direction: orderly.SortDescending}, all...)},
		{"cheapest first", f.adminToken, map[string]any{"orderBy": map[string]any{"field": "TOTAL", "direction": "ASC"}},
			sorted(orderly.OrderSort{Field: orderly.SortTotal, Direction: orderly.SortAscending}, all...)},
		{"status A to Z", f.adminToken, map[string]any{"orderBy": map[string]any{"field": "STATUS"}},
			[]string{b1, a1, a2}}, // CANCELLED, RECEIVED, VALIDATED
		{"status Z to A", f.adminToken, map[string]any{"orderBy": map[string]any{"field": "STATUS", "direction": "DESC"}},
			[]string{a2, a1, b1}},
		{"by ID", f.adminToken, map[string]any{"filter": map[string]any{"orderId": a2}}, []string{a2}},
		{"by ID, padded", f.adminToken, map[string]any{"filter": map[string]any{"orderId": "  " + a2 + " "}}, []string{a2}},
		{"by ID, another status", f.adminToken, map[string]any{"filter": map[string]any{"orderId": a2, "statuses": []string{"RECEIVED"}}}, nil},
		{"an unknown ID", f.adminToken, map[string]any{"filter": map[string]any{"orderId": "ord_nope"}}, nil},
		{"by e-mail", f.adminToken, map[string]any{"filter": map[string]any{"customerEmail": "ALICE@example.com"}},
			sorted(orderly.OrderSort{}, a1, a2)},
		{"by e-mail and status", f.adminToken, map[string]any{"filter": map[string]any{"customerEmail": "alice@example.com", "statuses": []string{"VALIDATED"}}}, []string{a2}},
		{"by e-mail, by total", f.adminToken, map[string]any{"filter": map[string]any{"customerEmail": "alice@example.com"}, "orderBy": map[string]any{"field": "TOTAL", "direction": "ASC"}},
			sorted(orderly.OrderSort{Field: orderly.SortTotal, Direction: orderly.SortAscending}, a1, a2)},
		{"an e-mail nobody has", f.adminToken, map[string]any{"filter": map[string]any{"customerEmail": "nobody@example.com"}}, nil},
		{"a status", f.adminToken, map[string]any{"filter": map[string]any{"statuses": []string{"CANCELLED"}}}, []string{b1}},
		// Customers: their own orders, whatever they search for.
		{"a customer's own by ID", f.aliceToken, map[string]any{"filter": map[string]any{"orderId": a1}}, []string{a1}},
		{"a customer, another's ID", f.aliceToken, map[string]any{"filter": map[string]any{"orderId": b1}}, nil},
		{"a customer, their own e-mail", f.aliceToken, map[string]any{"filter": map[string]any{"customerEmail": "alice@example.com"}}, sorted(orderly.OrderSort{}, a1, a2)},
		{"a customer, another's e-mail", f.aliceToken, map[string]any{"filter": map[string]any{"customerEmail": "bob@example.com"}}, nil},
		{"a customer sorts too", f.bobToken, map[string]any{"orderBy": map[string]any{"field": "TOTAL"}}, []string{b1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One order per page: every cursor of every sort is used.
			got, total := f.readAll(tt.token, 1, tt.vars)
			if !slices.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("got %v (total %d), want %v", got, total, tt.want)
			}
		})
	}

	t.Run("bad searches", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			vars map[string]any
			code string
		}{
			{"not an e-mail", map[string]any{"filter": map[string]any{"customerEmail": "alice@"}}, "INVALID"},
			{"a control character in an ID", map[string]any{"filter": map[string]any{"orderId": "ord_\u0007"}}, "INVALID"},
			{"an unknown sort field", map[string]any{"orderBy": map[string]any{"field": "COLOUR"}}, "GRAPHQL_VALIDATION_FAILED"},
			{"a sort without a field", map[string]any{"orderBy": map[string]any{"direction": "ASC"}}, "GRAPHQL_VALIDATION_FAILED"},
		} {
			r := f.do(f.adminToken, ordersTableQuery, tc.vars)
			if !slices.Equal(r.codes(), []string{tc.code}) {
				t.Errorf("%s: errors %+v, want %s", tc.name, r.Errors, tc.code)
			}
		}
	})
}
