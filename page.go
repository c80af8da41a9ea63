package orderly

// MaxPageSize bounds every list the API returns.
const MaxPageSize = 100

// DefaultPageSize is used when a caller does not ask for a size.
const DefaultPageSize = 20

// MaxCursorLength bounds an opaque page cursor.
const MaxCursorLength = 512

// PageRequest asks for the items after an opaque cursor (forward pagination).
type PageRequest struct {
	// First is how many items to return, 1..MaxPageSize; 0 means DefaultPageSize.
	First int
	// After is the cursor of the last item already seen; "" starts at the beginning.
	After string
}

// Size returns the page size to use, after validation.
func (p PageRequest) Size() int {
	if p.First <= 0 {
		return DefaultPageSize
	}
	return min(p.First, MaxPageSize)
}

// Validate rejects sizes outside 0..MaxPageSize and overlong cursors.
func (p PageRequest) Validate() error {
	if p.First < 0 || p.First > MaxPageSize {
		return FieldErrorf(EINVALID, "first", "first must be between 1 and %d", MaxPageSize)
	}
	if len(p.After) > MaxCursorLength {
		return FieldErrorf(EINVALID, "after", "after is not a valid cursor")
	}
	return nil
}

// Page is one page of a list: the items, each one's opaque cursor, and
// whether more follow.
type Page[T any] struct {
	Items []T
	// Cursors[i] is the cursor of Items[i]; pass it as PageRequest.After to
	// continue after that item.
	Cursors []string
	// HasNextPage reports whether more items follow the last one.
	HasNextPage bool
	// TotalCount is the number of items matching the filter, on all pages.
	TotalCount int
}
