package orderly

import (
	"cmp"
	"slices"
	"strings"
)

// OrderSortField is what a list of orders is sorted by.
type OrderSortField string

// The sorts of an order list.
const (
	// SortCreatedAt sorts by the time of placement.
	SortCreatedAt OrderSortField = "CREATED_AT"
	// SortTotal sorts by the total's amount in minor units. A store holds
	// one currency (the catalog's), so amounts compare.
	SortTotal OrderSortField = "TOTAL"
	// SortStatus sorts by the status's name, and within one status newest
	// first: it groups the orders that stand at the same step.
	SortStatus OrderSortField = "STATUS"
)

// SortDirection says which way a sort runs.
type SortDirection string

// Sort directions.
const (
	SortAscending  SortDirection = "ASC"
	SortDescending SortDirection = "DESC"
)

// OrderSort orders a list of orders. The zero value is newest first; a
// field without a direction takes its natural one (DefaultDirection).
type OrderSort struct {
	Field     OrderSortField
	Direction SortDirection
}

// OrderKey is one field an order list is ordered on.
type OrderKey string

// The keys of the order sorts.
const (
	OrderKeyCreatedAt OrderKey = "createdAt"
	OrderKeyTotal     OrderKey = "total"
	OrderKeyStatus    OrderKey = "status"
	OrderKeyID        OrderKey = "id"
)

// SortKey is one key of a sort and its direction.
type SortKey struct {
	Key        OrderKey
	Descending bool
}

// DefaultDirection is the way a field sorts when the caller names no
// direction: the newest and the dearest orders first, statuses A to Z.
func (f OrderSortField) DefaultDirection() SortDirection {
	if f == SortStatus {
		return SortAscending
	}
	return SortDescending
}

// WithDefaults fills in the field (CREATED_AT) and the direction
// (DefaultDirection) the caller left out.
func (s OrderSort) WithDefaults() OrderSort {
	if s.Field == "" {
		s.Field = SortCreatedAt
	}
	if s.Direction == "" {
		s.Direction = s.Field.DefaultDirection()
	}
	return s
}

// IsDefault reports whether s is the order lists have when nobody asks
// for one: newest first.
func (s OrderSort) IsDefault() bool {
	return s.WithDefaults() == OrderSort{Field: SortCreatedAt, Direction: SortDescending}
}

// Validate refuses unknown fields and directions.
func (s OrderSort) Validate() error {
	switch s.Field {
	case "", SortCreatedAt, SortTotal, SortStatus:
	default:
		return FieldErrorf(EINVALID, "orderBy.field", "unknown sort field %q", s.Field)
	}
	switch s.Direction {
	case "", SortAscending, SortDescending:
	default:
		return FieldErrorf(EINVALID, "orderBy.direction", "unknown sort direction %q", s.Direction)
	}
	return nil
}

// Keys lists the keys the sort orders on, most significant first. Every
// sort ends on the ID, so that no two orders tie and pages never skip or
// repeat one. A descending sort is its ascending sort reversed, key by key:
// STATUS ascending is (status ↑, createdAt ↓, id ↓), descending
// (status ↓, createdAt ↑, id ↑), so that an index serves both directions.
func (s OrderSort) Keys() []SortKey {
	s = s.WithDefaults()
	var keys []SortKey
	switch s.Field {
	case SortTotal:
		keys = []SortKey{{Key: OrderKeyTotal}, {Key: OrderKeyID}}
	case SortStatus:
		keys = []SortKey{{Key: OrderKeyStatus}, {Key: OrderKeyCreatedAt, Descending: true}, {Key: OrderKeyID, Descending: true}}
	default:
		keys = []SortKey{{Key: OrderKeyCreatedAt}, {Key: OrderKeyID}}
	}
	if s.Direction == SortDescending {
		for i := range keys {
			keys[i].Descending = !keys[i].Descending
		}
	}
	return keys
}

// Compare orders two orders as the sort lists them: the one rule every
// store and every test fake sorts by.
func (s OrderSort) Compare(a, b *Order) int {
	for _, k := range s.Keys() {
		var c int
		switch k.Key {
		case OrderKeyCreatedAt:
			c = a.CreatedAt.Compare(b.CreatedAt)
		case OrderKeyTotal:
			c = cmp.Compare(a.Total.Amount, b.Total.Amount)
		case OrderKeyStatus:
			c = cmp.Compare(a.Status, b.Status)
		case OrderKeyID:
			c = cmp.Compare(a.ID, b.ID)
		}
		if k.Descending {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// maxOrderIDSearchLength bounds an order ID searched for; no order ID is
// longer.
const maxOrderIDSearchLength = 128

// Normalize returns the filter as stores read it, or an EINVALID error
// naming the bad field: the order ID and e-mail trimmed (blank means not
// searched), the e-mail normalized as at sign-in (NormalizeEmail), the
// statuses and return statuses known, the sort completed (WithDefaults) and the page valid.
// Normalizing twice changes nothing.
func (f OrderFilter) Normalize() (OrderFilter, error) {
	f.OrderID = strings.TrimSpace(f.OrderID)
	if err := ValidateText("filter.orderId", f.OrderID, 0, maxOrderIDSearchLength); err != nil {
		return f, err
	}
	if email := strings.TrimSpace(f.CustomerEmail); email != "" {
		normal, err := NormalizeEmail("filter.customerEmail", email)
		if err != nil {
			return f, err
		}
		f.CustomerEmail = normal
	} else {
		f.CustomerEmail = ""
	}
	for _, st := range f.Statuses {
		if !st.Valid() {
			return f, FieldErrorf(EINVALID, "filter.statuses", "unknown status %q", st)
		}
	}
	for _, st := range f.ReturnStatuses {
		if !st.Valid() {
			return f, FieldErrorf(EINVALID, "filter.returnStatuses", "unknown return status %q", st)
		}
	}
	if err := f.Sort.Validate(); err != nil {
		return f, err
	}
	f.Sort = f.Sort.WithDefaults()
	return f, f.Page.Validate()
}

// Matches reports whether the filter selects o by customer, status, return
// status, order ID and time of the last update. CustomerEmail is not matched here: stores
// resolve it to a customer first (ForEmailCustomer).
func (f OrderFilter) Matches(o *Order) bool {
	switch {
	case f.CustomerID != "" && o.CustomerID != f.CustomerID:
		return false
	case len(f.Statuses) > 0 && !slices.Contains(f.Statuses, o.Status):
		return false
	case len(f.ReturnStatuses) > 0 && !slices.ContainsFunc(o.Returns, func(r Return) bool {
		return slices.Contains(f.ReturnStatuses, r.Status)
	}):
		return false
	case f.OrderID != "" && o.ID != f.OrderID:
		return false
	case !f.UpdatedSince.IsZero() && o.UpdatedAt.Before(f.UpdatedSince):
		return false
	}
	return true
}

// ForEmailCustomer turns an e-mail search into a customer filter, once the
// store has looked the address up: customerID is the customer it belongs
// to, found false when it belongs to nobody. It returns ok=false when no
// order can match: nobody has the address, or the filter is already held to
// another customer (a customer searching someone else's e-mail finds
// nothing, exactly as for an address nobody has).
func (f OrderFilter) ForEmailCustomer(customerID string, found bool) (_ OrderFilter, ok bool) {
	if !found || (f.CustomerID != "" && f.CustomerID != customerID) {
		return f, false
	}
	f.CustomerID, f.CustomerEmail = customerID, ""
	return f, true
}
