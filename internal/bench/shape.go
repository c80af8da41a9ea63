package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	enumspb "go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/client"

	"github.com/orderly-shop/orderly/internal/bench/report"
)

// historyShape counts the history events of an order workflow and of the
// child it started, by type.
func historyShape(ctx context.Context, c client.Client, workflowID string) (report.HistoryShape, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	order, child, err := countEvents(ctx, c, workflowID)
	if err != nil {
		return report.HistoryShape{}, err
	}
	shape := report.HistoryShape{Order: order}
	if child != "" {
		if shape.Shipping, _, err = countEvents(ctx, c, child); err != nil {
			return report.HistoryShape{}, err
		}
	}
	return shape, nil
}

// countEvents reads a workflow's history and returns its events by type and
// the ID of the (last) child workflow it started.
func countEvents(ctx context.Context, c client.Client, workflowID string) (map[string]int, string, error) {
	counts := map[string]int{}
	var child string
	it := c.GetWorkflowHistory(ctx, workflowID, "", false, enumspb.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
	for it.HasNext() {
		ev, err := it.Next()
		if err != nil {
			return nil, "", fmt.Errorf("history of %s: %w", workflowID, err)
		}
		counts[eventName(ev.GetEventType())]++
		if a := ev.GetChildWorkflowExecutionStartedEventAttributes(); a != nil {
			child = a.GetWorkflowExecution().GetWorkflowId()
		}
	}
	return counts, child, nil
}

// eventName names an event type as Temporal's UI does
// (ActivityTaskScheduled), whichever way the enum spells itself.
func eventName(t enumspb.EventType) string {
	name := strings.TrimPrefix(t.String(), "EVENT_TYPE_")
	if !strings.Contains(name, "_") {
		return name
	}
	words := strings.Split(name, "_")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
		}
	}
	return strings.Join(words, "")
}
