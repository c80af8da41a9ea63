package graph

import (
	"context"
	"fmt"

	"github.com/orderly-shop/orderly"
)

// markNotificationsRead marks the caller's notifications read; the service
// only touches notifications of the customer it is given.
func (r *Resolver) markNotificationsRead(ctx context.Context, ids []string) ([]string, error) {
	c, err := viewer(ctx)
	if err != nil {
		return nil, err
	}
	if len(ids) == 0 || len(ids) > maxIDsPerRequest {
		return nil, invalid("input.ids", "give 1 to %d notification IDs", maxIDsPerRequest)
	}
	for i, id := range ids {
		field := fmt.Sprintf("input.ids.%d", i)
		if err := checkID(field, "notification", id); orderly.ErrorCode(err) == orderly.ENOTFOUND {
			return nil, invalid(field, "%q is not a notification ID", truncate(id, 40))
		} else if err != nil {
			return nil, err
		}
	}
	if err := r.NotificationService.MarkNotificationsRead(ctx, c.ID, ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// truncate shortens s for an error message.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}
