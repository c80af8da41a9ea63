package orderly

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestOrderSortKeys(t *testing.T) {
	tests := []struct {
		sort OrderSort
		want string
	}{
		{OrderSort{}, "createdAt↓ id↓"},
		{OrderSort{Field: SortCreatedAt}, "createdAt↓ id↓"},
		{OrderSort{Field: SortCreatedAt, Direction: SortAscending}, "createdAt↑ id↑"},
		{OrderSort{Field: SortTotal}, "total↓ id↓"},
		{OrderSort{Field: SortTotal, Direction: SortAscending}, "total↑ id↑"},
		{OrderSort{Field: SortStatus}, "status↑ createdAt↓ id↓"},
		{OrderSort{Field: SortStatus, Direction: SortDescending}, "status↓ createdAt↑ id↑"},
		{OrderSort{Direction: SortAscending}, "createdAt↑ id↑"},
	}
	for _, tt := range tests {
		var parts []string
		for _, k := range tt.sort.Keys() {
			arrow := "↑"
			if k.Descending {
				arrow = "↓"
			}
			parts = append(parts, string(k.Key)+arrow)
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("%+v: keys %s, want %s", tt.sort, got, tt.want)
		}
	}
	if !(OrderSort{}).IsDefault() || !(OrderSort{Direction: SortDescending}).IsDefault() ||
		(OrderSort{Field: SortTotal}).IsDefault() || (OrderSort{Direction: SortAscending}).IsDefault() {
		t.Error("IsDefault: only newest first is the default")
	}
}

func TestOrderSortCompare(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(id string, minute int, total int64, s OrderStatus) *Order {
		return &Order{ID: id, CreatedAt: t0.Add(time.Duration(minute) * time.Minute), Total: USD(total), Status: s}
	}
	orders := []*Order{
		mk("ord_a", 1, 500, StatusPaid),
		mk("ord_b", 2, 900, StatusCompleted),
		mk("ord_c", 3, 500, StatusPaid),
		mk("ord_d", 3, 100, StatusFailed), // the same creation time as ord_c: the ID decides
		mk("ord_e", 0, 900, StatusCompleted),
	}
	tests := []struct {
		sort OrderSort
		want string
	}{
		{OrderSort{}, "ord_d ord_c ord_b ord_a ord_e"},
		{OrderSort{Field: SortCreatedAt, Direction: SortAscending}, "ord_e ord_a ord_b ord_c ord_d"},
		{OrderSort{Field: SortTotal}, "ord_e ord_b ord_c ord_a ord_d"},
		{OrderSort{Field: SortTotal, Direction: SortAscending}, "ord_d ord_a ord_c ord_b ord_e"},
		{OrderSort{Field: SortStatus}, "ord_b ord_e ord_d ord_c ord_a"},
		{OrderSort{Field: SortStatus, Direction: SortDescending}, "ord_a ord_c ord_d ord_e ord_b"},
	}
	for _, tt := range tests {
		sorted := slices.Clone(orders)
		slices.SortFunc(sorted, tt.sort.Compare)
		var ids []string
		for _, o := range sorted {
			ids = append(ids, o.ID)
		}
		if got := strings.Join(ids, " "); got != tt.want {
			t.Errorf("%+v: %s, want %s", tt.sort, got, tt.want)
		}
		// Descending is ascending reversed, exactly.
		rev := tt.sort.WithDefaults()
		rev.Direction = map[SortDirection]SortDirection{SortAscending: SortDescending, SortDescending: SortAscending}[rev.Direction]
		back := slices.Clone(orders)
		slices.SortFunc(back, rev.Compare)
		slices.Reverse(back)
		if !slices.Equal(back, sorted) {
			t.Errorf("%+v: the other direction is not this one reversed", tt.sort)
		}
	}
}

func TestOrderFilterNormalize(t *testing.T) {
	good, err := OrderFilter{
		OrderID: "  ord_abc ", CustomerEmail: " Ada@Example.COM ", Statuses: []OrderStatus{StatusPaid},
		Sort: OrderSort{Field: SortTotal}, Page: PageRequest{First: 10},
	}.Normalize()
	if err != nil {
		t.Fatal(err)
	}
	if good.OrderID != "ord_abc" || good.CustomerEmail != "ada@example.com" || good.Sort != (OrderSort{Field: SortTotal, Direction: SortDescending}) {
		t.Errorf("normalized = %+v", good)
	}
	again, err := good.Normalize()
	if err != nil || again.OrderID != good.OrderID || again.CustomerEmail != good.CustomerEmail || again.Sort != good.Sort {
		t.Errorf("normalizing twice: %+v, %v", again, err)
	}
	blank, err := OrderFilter{OrderID: "   ", CustomerEmail: " "}.Normalize()
	if err != nil || blank.OrderID != "" || blank.CustomerEmail != "" || !blank.Sort.IsDefault() {
		t.Errorf("blank searches are no searches: %+v, %v", blank, err)
	}

	tests := []struct {
		name   string
		filter OrderFilter
		field  string
	}{
		{"an e-mail that is none", OrderFilter{CustomerEmail: "ada@"}, "filter.customerEmail"},
		{"an e-mail with a control character", OrderFilter{CustomerEmail: "ada\x00@example.com"}, "filter.customerEmail"},
		{"an order ID with a control character", OrderFilter{OrderID: "ord_\x1b[2J"}, "filter.orderId"},
		{"an order ID longer than any", OrderFilter{OrderID: "ord_" + strings.Repeat("x", 200)}, "filter.orderId"},
		{"an order ID that is not UTF-8", OrderFilter{OrderID: "ord_\xff"}, "filter.orderId"},
		{"an unknown status", OrderFilter{Statuses: []OrderStatus{"LOST"}}, "filter.statuses"},
		{"an unknown sort field", OrderFilter{Sort: OrderSort{Field: "COLOUR"}}, "orderBy.field"},
		{"an unknown direction", OrderFilter{Sort: OrderSort{Direction: "SIDEWAYS"}}, "orderBy.direction"},
		{"a page too large", OrderFilter{Page: PageRequest{First: MaxPageSize + 1}}, "first"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.filter.Normalize()
			var e *Error
			if !errors.As(err, &e) || e.Code != EINVALID || e.Field != tt.field {
				t.Errorf("err = %#v, want INVALID on %s", err, tt.field)
			}
		})
	}
}

func TestOrderFilterMatches(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	o := &Order{ID: "ord_1", CustomerID: "cus_a", Status: StatusPaid, UpdatedAt: t0}
	tests := []struct {
		name   string
		filter OrderFilter
		want   bool
	}{
		{"everything", OrderFilter{}, true},
		{"its customer", OrderFilter{CustomerID: "cus_a"}, true},
		{"another customer", OrderFilter{CustomerID: "cus_b"}, false},
		{"its status among others", OrderFilter{Statuses: []OrderStatus{StatusFailed, StatusPaid}}, true},
		{"other statuses", OrderFilter{Statuses: []OrderStatus{StatusFailed}}, false},
		{"its ID", OrderFilter{OrderID: "ord_1"}, true},
		{"another ID", OrderFilter{OrderID: "ord_2"}, false},
		{"its ID, another customer", OrderFilter{OrderID: "ord_1", CustomerID: "cus_b"}, false},
		{"its ID, another status", OrderFilter{OrderID: "ord_1", Statuses: []OrderStatus{StatusFailed}}, false},
		{"updated at the bound", OrderFilter{UpdatedSince: t0}, true},
		{"updated before the bound", OrderFilter{UpdatedSince: t0.Add(time.Millisecond)}, false},
		// An e-mail is resolved before matching, never matched against the order.
		{"an e-mail alone", OrderFilter{CustomerEmail: "x@example.com"}, true},
	}
	for _, tt := range tests {
		if got := tt.filter.Matches(o); got != tt.want {
			t.Errorf("%s: Matches = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestOrderFilterForEmailCustomer(t *testing.T) {
	tests := []struct {
		name       string
		filter     OrderFilter
		customerID string
		found      bool
		wantOK     bool
		wantID     string
	}{
		{"an operator's search", OrderFilter{CustomerEmail: "ada@example.com"}, "cus_a", true, true, "cus_a"},
		{"nobody has the address", OrderFilter{CustomerEmail: "ada@example.com"}, "", false, false, ""},
		{"a customer searching their own", OrderFilter{CustomerID: "cus_a", CustomerEmail: "ada@example.com"}, "cus_a", true, true, "cus_a"},
		{"a customer searching another's", OrderFilter{CustomerID: "cus_b", CustomerEmail: "ada@example.com"}, "cus_a", true, false, ""},
	}
	for _, tt := range tests {
		got, ok := tt.filter.ForEmailCustomer(tt.customerID, tt.found)
		if ok != tt.wantOK || (ok && (got.CustomerID != tt.wantID || got.CustomerEmail != "")) {
			t.Errorf("%s: %+v, %v; want ok=%v customer %s", tt.name, got, ok, tt.wantOK, tt.wantID)
		}
	}
}
