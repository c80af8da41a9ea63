package graph

import (
	"slices"
	"testing"
)

func TestProductsQuery(t *testing.T) {
	f := newFixture(t)
	const q = `query($first: Int, $after: String, $search: String, $category: String) {
	  products(first: $first, after: $after, search: $search, category: $category) {
	    totalCount
	    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
	    edges { cursor node { id sku name category inStock price { amount currency formatted } } }
	  }
	}`
	type page struct {
		Products struct {
			TotalCount int
			PageInfo   struct {
				HasNextPage, HasPreviousPage bool
				StartCursor, EndCursor       *string
			}
			Edges []struct {
				Cursor string
				Node   struct {
					ID, SKU, Name, Category string
					InStock                 bool
					Price                   struct {
						Amount    int
						Currency  string
						Formatted string
					}
				}
			}
		}
	}

	var first page
	f.ok("", q, map[string]any{"first": 4}, &first)
	if first.Products.TotalCount != 6 || len(first.Products.Edges) != 4 || !first.Products.PageInfo.HasNextPage {
		t.Fatalf("first page: %+v", first.Products)
	}
	if n := first.Products.Edges[0].Node; n.Name != "Product 100" || n.Price.Amount != 1000 || n.Price.Formatted != "$10.00" || !n.InStock {
		t.Errorf("first product: %+v", n)
	}
	var second page
	f.ok("", q, map[string]any{"first": 4, "after": *first.Products.PageInfo.EndCursor}, &second)
	if len(second.Products.Edges) != 2 || second.Products.PageInfo.HasNextPage || second.Products.Edges[0].Node.Name != "Product 104" {
		t.Fatalf("second page: %+v", second.Products)
	}

	var games page
	f.ok("", q, map[string]any{"category": "games"}, &games)
	if games.Products.TotalCount != 3 {
		t.Errorf("games: %d", games.Products.TotalCount)
	}
	var search page
	f.ok("", q, map[string]any{"search": "sku-3"}, &search)
	if search.Products.TotalCount != 1 || search.Products.Edges[0].Node.SKU != "SKU-3" {
		t.Errorf("search: %+v", search.Products)
	}

	for _, bad := range []int{0, -1, 101, 1 << 30} {
		r := f.do("", q, map[string]any{"first": bad})
		if !slices.Equal(r.codes(), []string{"INVALID"}) {
			t.Errorf("first=%d: %+v", bad, r.Errors)
		}
	}
	r := f.do("", q, map[string]any{"after": "nonsense"})
	if !slices.Equal(r.codes(), []string{"INVALID"}) {
		t.Errorf("bad cursor: %+v", r.Errors)
	}
}

func TestProductAndCategories(t *testing.T) {
	f := newFixture(t)
	var got struct {
		Product    *struct{ ID, Name string }
		Missing    *struct{ ID string }
		Categories []string
	}
	f.ok("", `query($id: ID!) { product(id: $id) { id name } missing: product(id: "prd_nope") { id } categories }`,
		map[string]any{"id": f.products[2].ID}, &got)
	if got.Product == nil || got.Product.ID != f.products[2].ID || got.Missing != nil {
		t.Errorf("product: %+v", got)
	}
	if !slices.Equal(got.Categories, []string{"books", "games"}) {
		t.Errorf("categories: %v", got.Categories)
	}
}

func TestNode(t *testing.T) {
	f := newFixture(t)
	f.addToCart(f.alice, f.products[0], 1)
	orderID := f.placeOrder(f.aliceToken, "k1")
	const q = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`
	ids := []any{f.products[0].ID, orderID, f.alice.ID, f.bob.ID, "zzz_unknown"}
	typenames := func(token string) []string {
		var got struct {
			Nodes []*struct {
				Typename string `json:"__typename"`
			}
		}
		f.ok(token, q, map[string]any{"ids": ids}, &got)
		var out []string
		for _, n := range got.Nodes {
			if n == nil {
				out = append(out, "-")
			} else {
				out = append(out, n.Typename)
			}
		}
		return out
	}
	for _, tc := range []struct {
		name, token string
		want        []string
	}{
		{"anonymous", "", []string{"Product", "-", "-", "-", "-"}},
		{"owner", f.aliceToken, []string{"Product", "Order", "Customer", "-", "-"}},
		{"other customer", f.bobToken, []string{"Product", "-", "-", "Customer", "-"}},
		{"operator", f.adminToken, []string{"Product", "Order", "Customer", "Customer", "-"}},
	} {
		if got := typenames(tc.token); !slices.Equal(got, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	many := make([]any, 101)
	for i := range many {
		many[i] = "x"
	}
	if r := f.do("", q, map[string]any{"ids": many}); !slices.Equal(r.codes(), []string{"INVALID"}) {
		t.Errorf("101 ids: %+v", r.Errors)
	}
}

func TestFormatMoney(t *testing.T) {
	for _, tc := range []struct {
		amount   int64
		currency string
		want     string
	}{
		{0, "USD", "$0.00"},
		{5, "USD", "$0.05"},
		{123456789, "USD", "$1,234,567.89"},
		{-1999, "EUR", "-€19.99"},
		{100000, "GBP", "£1,000.00"},
		{1250, "CHF", "CHF 12.50"},
	} {
		if got := formatMoney(moneyOf(tc.amount, tc.currency)); got != tc.want {
			t.Errorf("%d %s: got %q, want %q", tc.amount, tc.currency, got, tc.want)
		}
	}
}
