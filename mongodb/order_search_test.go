package mongodb

import (
	"context"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/orderly-shop/orderly"
)

// orderOf places an order of quantity lamps at price cents each.
func orderOf(t testing.TB, svc *OrderService, customerID string, quantity int, price int64) *orderly.Order {
	t.Helper()
	lamp := &orderly.Product{ID: "prd_a", SKU: "A-1", Name: "Lamp", Price: orderly.USD(price), Stock: 99}
	o, err := orderly.NewOrder(orderly.NewOrderInput{
		CustomerID: customerID, IdempotencyKey: orderly.NewID("key"),
		ShippingAddress: orderly.Address{Name: "Ada", Line1: "1 Way", City: "London", PostalCode: "N1", Country: "GB"},
		Lines:           []orderly.PricedCartLine{{Product: lamp, Quantity: quantity, UnitPrice: lamp.Price, LineTotal: lamp.Price.Times(quantity)}},
		At:              time.Now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	created, ok, err := svc.CreateOrder(context.Background(), o)
	if err != nil || !ok {
		t.Fatalf("create order: %v %v", ok, err)
	}
	return created
}

// allPages reads every page of the filter, size at a time, and returns the
// IDs in the order the store listed them.
func allPages(t *testing.T, svc *OrderService, f orderly.OrderFilter, size int) ([]string, int) {
	t.Helper()
	var ids []string
	total := -1
	f.Page = orderly.PageRequest{First: size}
	for range 50 {
		p, err := svc.FindOrders(context.Background(), f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		if total >= 0 && p.TotalCount != total {
			t.Fatalf("TotalCount moved from %d to %d between pages", total, p.TotalCount)
		}
		total = p.TotalCount
		for _, o := range p.Items {
			ids = append(ids, o.ID)
		}
		if !p.HasNextPage {
			return ids, total
		}
		f.Page.After = p.Cursors[len(p.Cursors)-1]
	}
	t.Fatal("more than 50 pages")
	return nil, 0
}

// TestFindOrdersSortsAndSearches: every sort, in both directions, with and
// without filters, pages through the orders exactly as the root's rule
// (OrderSort.Compare over the orders OrderFilter.Matches selects) lists
// them; a search by ID finds one order, a search by e-mail its customer's.
func TestFindOrdersSortsAndSearches(t *testing.T) {
	ctx := context.Background()
	db := newTestDB(t)
	svc := NewOrderService(db)
	accounts := NewAccountService(db, AccountOptions{BcryptCost: bcrypt.MinCost})
	alice, err := accounts.Register(ctx, "alice@example.com", "correct horse", "Alice", orderly.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}
	bob, err := accounts.Register(ctx, "bob@example.com", "correct horse", "Bob", orderly.RoleCustomer)
	if err != nil {
		t.Fatal(err)
	}

	// Nine orders: repeated totals and statuses, so that ties are broken
	// by the later keys; some share a creation millisecond.
	var stored []*orderly.Order
	for i, spec := range []struct {
		customer string
		qty      int
		price    int64
		statuses []orderly.OrderStatus
	}{
		{alice.ID, 1, 4900, nil},
		{alice.ID, 2, 4900, []orderly.OrderStatus{orderly.StatusValidated}},
		{bob.ID, 1, 9900, []orderly.OrderStatus{orderly.StatusValidated, orderly.StatusFailed}},
		{alice.ID, 3, 1000, []orderly.OrderStatus{orderly.StatusCancelled}},
		{bob.ID, 2, 4900, nil},
		{alice.ID, 1, 9900, []orderly.OrderStatus{orderly.StatusValidated}},
		{bob.ID, 1, 4900, []orderly.OrderStatus{orderly.StatusFailed}},
		{alice.ID, 5, 1000, nil},
		{bob.ID, 1, 1000, []orderly.OrderStatus{orderly.StatusValidated}},
	} {
		o := orderOf(t, svc, spec.customer, spec.qty, spec.price)
		for j, st := range spec.statuses {
			if _, err := svc.ApplyOrderEvent(ctx, o.ID, orderly.OrderEvent{ID: fmt.Sprint("ev", j), Status: st}); err != nil {
				t.Fatal(err)
			}
		}
		read, err := svc.FindOrderByID(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored = append(stored, read)
		if i%3 != 0 {
			time.Sleep(2 * time.Millisecond)
		}
	}
	want := func(f orderly.OrderFilter) []string {
		var ids []string
		sorted := slices.Clone(stored)
		slices.SortFunc(sorted, f.Sort.Compare)
		for _, o := range sorted {
			if f.Matches(o) {
				ids = append(ids, o.ID)
			}
		}
		return ids
	}

	sorts := []orderly.OrderSort{{}}
	for _, field := range []orderly.OrderSortField{orderly.SortCreatedAt, orderly.SortTotal, orderly.SortStatus} {
		for _, dir := range []orderly.SortDirection{orderly.SortAscending, orderly.SortDescending} {
			sorts = append(sorts, orderly.OrderSort{Field: field, Direction: dir})
		}
	}
	filters := []struct {
		name   string
		filter orderly.OrderFilter
	}{
		{"all", orderly.OrderFilter{}},
		{"a customer", orderly.OrderFilter{CustomerID: alice.ID}},
		{"statuses", orderly.OrderFilter{Statuses: []orderly.OrderStatus{orderly.StatusValidated, orderly.StatusFailed}}},
		{"a customer's statuses", orderly.OrderFilter{CustomerID: bob.ID, Statuses: []orderly.OrderStatus{orderly.StatusValidated, orderly.StatusFailed}}},
	}
	for _, s := range sorts {
		for _, fl := range filters {
			t.Run(fmt.Sprintf("%s %s/%s", fl.name, s.Field, s.Direction), func(t *testing.T) {
				f := fl.filter
				f.Sort = s
				got, total := allPages(t, svc, f, 2)
				if w := want(f); !slices.Equal(got, w) || total != len(w) {
					t.Errorf("pages %v (total %d)\nwant  %v", got, total, w)
				}
			})
		}
	}

	t.Run("by e-mail", func(t *testing.T) {
		f := orderly.OrderFilter{CustomerEmail: "  ALICE@example.com ", Sort: orderly.OrderSort{Field: orderly.SortTotal}}
		got, total := allPages(t, svc, f, 4)
		if w := want(orderly.OrderFilter{CustomerID: alice.ID, Sort: f.Sort}); !slices.Equal(got, w) || total != 5 {
			t.Errorf("alice by e-mail: %v (total %d), want %v", got, total, w)
		}
		got, _ = allPages(t, svc, orderly.OrderFilter{CustomerEmail: "bob@example.com", Statuses: []orderly.OrderStatus{orderly.StatusFailed}}, 10)
		if w := want(orderly.OrderFilter{CustomerID: bob.ID, Statuses: []orderly.OrderStatus{orderly.StatusFailed}}); !slices.Equal(got, w) || len(w) != 2 {
			t.Errorf("bob's failed orders by e-mail: %v, want %v", got, w)
		}
		for _, none := range []orderly.OrderFilter{
			{CustomerEmail: "nobody@example.com"},
			{CustomerEmail: "alice@example.com", CustomerID: bob.ID}, // bob searching alice
		} {
			if got, total := allPages(t, svc, none, 10); len(got) != 0 || total != 0 {
				t.Errorf("%+v: %v (total %d), want nothing", none, got, total)
			}
		}
		_, err := svc.FindOrders(ctx, orderly.OrderFilter{CustomerEmail: "alice@"})
		wantCode(t, err, orderly.EINVALID)
	})

	t.Run("by ID", func(t *testing.T) {
		target := stored[4] // bob's, RECEIVED
		p, err := svc.FindOrders(ctx, orderly.OrderFilter{OrderID: " " + target.ID + " "})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != target.ID || p.TotalCount != 1 || p.HasNextPage || len(p.Cursors) != 1 {
			t.Fatalf("by ID: %+v, %v", p, err)
		}
		// After the one order, nothing; the count stays.
		p, err = svc.FindOrders(ctx, orderly.OrderFilter{OrderID: target.ID, Page: orderly.PageRequest{After: p.Cursors[0]}})
		if err != nil || len(p.Items) != 0 || p.TotalCount != 1 || p.HasNextPage {
			t.Errorf("after the one order: %+v, %v", p, err)
		}
		for _, none := range []orderly.OrderFilter{
			{OrderID: "ord_nope"},
			{OrderID: target.ID, CustomerID: alice.ID}, // alice asking for bob's order
			{OrderID: target.ID, Statuses: []orderly.OrderStatus{orderly.StatusFailed}},
			{OrderID: target.ID, CustomerEmail: "alice@example.com"},
		} {
			if p, err := svc.FindOrders(ctx, none); err != nil || len(p.Items) != 0 || p.TotalCount != 0 {
				t.Errorf("%+v: %+v, %v; want nothing", none, p, err)
			}
		}
		if p, err := svc.FindOrders(ctx, orderly.OrderFilter{OrderID: target.ID, CustomerEmail: "bob@example.com"}); err != nil || p.TotalCount != 1 {
			t.Errorf("bob's order by ID and bob's e-mail: %+v, %v", p, err)
		}
	})

	t.Run("cursors", func(t *testing.T) {
		byTotal := orderly.OrderFilter{Sort: orderly.OrderSort{Field: orderly.SortTotal}, Page: orderly.PageRequest{First: 2}}
		p, err := svc.FindOrders(ctx, byTotal)
		if err != nil {
			t.Fatal(err)
		}
		// A cursor of one sort is refused by another.
		_, err = svc.FindOrders(ctx, orderly.OrderFilter{Page: orderly.PageRequest{First: 2, After: p.Cursors[1]}})
		wantCode(t, err, orderly.EINVALID)
		first, err := svc.FindOrders(ctx, orderly.OrderFilter{Page: orderly.PageRequest{First: 2}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.FindOrders(ctx, orderly.OrderFilter{Sort: byTotal.Sort, Page: orderly.PageRequest{After: first.Cursors[1]}})
		wantCode(t, err, orderly.EINVALID)
		// The default sort's cursors read as before: a time and an ID.
		raw, _ := base64.RawURLEncoding.DecodeString(first.Cursors[0])
		if s := string(raw); !strings.HasPrefix(s, `{"t":`) || strings.Contains(s, `"s"`) || strings.Contains(s, `"n"`) {
			t.Errorf("default cursor = %s", s)
		}
	})

	_, err = svc.FindOrders(ctx, orderly.OrderFilter{Sort: orderly.OrderSort{Field: "COLOUR"}})
	wantCode(t, err, orderly.EINVALID)
}
