package graph

import (
	"github.com/orderly-shop/orderly"
)

// pageRequest validates a connection's first/after arguments.
func pageRequest(first *int, after *string) (orderly.PageRequest, error) {
	p := orderly.PageRequest{First: orderly.DefaultPageSize}
	if first != nil {
		if *first < 1 {
			return p, orderly.FieldErrorf(orderly.EINVALID, "first", "first must be between 1 and %d", orderly.MaxPageSize)
		}
		p.First = *first
	}
	if after != nil {
		if err := orderly.ValidateText("after", *after, 0, 0); err != nil {
			return p, err
		}
		p.After = *after
	}
	return p, p.Validate()
}

// pageInfo describes a forward-only page.
func pageInfo[T any](page orderly.Page[T]) *PageInfo {
	info := &PageInfo{HasNextPage: page.HasNextPage}
	if n := len(page.Cursors); n > 0 {
		info.StartCursor, info.EndCursor = &page.Cursors[0], &page.Cursors[n-1]
	}
	return info
}

// edges pairs each item of a page with its cursor.
func edges[T, E any](page orderly.Page[T], edge func(cursor string, node T) E) []E {
	out := make([]E, 0, len(page.Items))
	for i, item := range page.Items {
		cursor := ""
		if i < len(page.Cursors) {
			cursor = page.Cursors[i]
		}
		out = append(out, edge(cursor, item))
	}
	return out
}

func productConnection(page orderly.Page[*orderly.Product]) *ProductConnection {
	return &ProductConnection{
		Edges:    edges(page, func(c string, n *orderly.Product) *ProductEdge { return &ProductEdge{Cursor: c, Node: n} }),
		PageInfo: pageInfo(page), TotalCount: page.TotalCount,
	}
}

func orderConnection(page orderly.Page[*orderly.Order]) *OrderConnection {
	return &OrderConnection{
		Edges:    edges(page, func(c string, n *orderly.Order) *OrderEdge { return &OrderEdge{Cursor: c, Node: n} }),
		PageInfo: pageInfo(page), TotalCount: page.TotalCount,
	}
}

func notificationConnection(page orderly.Page[*orderly.Notification]) *NotificationConnection {
	return &NotificationConnection{
		Edges: edges(page, func(c string, n *orderly.Notification) *NotificationEdge {
			return &NotificationEdge{Cursor: c, Node: n}
		}),
		PageInfo: pageInfo(page), TotalCount: page.TotalCount,
	}
}
