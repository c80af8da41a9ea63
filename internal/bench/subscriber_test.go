package bench

import (
	"testing"
	"time"
)

// TestCountDeliveries: a subscriber that got versions 4..7 in order is
// fine; one that lost an entry, one that got one twice, one that got two
// swapped and one whose tail never came are each one violation.
func TestCountDeliveries(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	sub := func(initial int, versions ...int) *subscriber {
		s := &subscriber{initial: initial}
		for _, v := range versions {
			s.received = append(s.received, receipt{version: v, at: at, got: at.Add(time.Duration(v) * time.Millisecond)})
		}
		return s
	}
	d := countDeliveries([]*subscriber{
		sub(3, 4, 5, 6, 7),    // fine
		sub(3, 4, 6, 7),       // lost 5
		sub(3, 4, 5, 5, 6, 7), // 5 twice
		sub(3, 4, 6, 5, 7),    // 5 and 6 swapped
		sub(3, 4, 5),          // 6 and 7 never came
	}, 7)
	if d.expected != 20 || d.delivered != 4+3+5+4+2 {
		t.Fatalf("expected %d delivered %d, want 20 and 18", d.expected, d.delivered)
	}
	if d.violations != 4 {
		t.Fatalf("%d subscribers with violations, want 4", d.violations)
	}
	if len(d.latencies) != d.delivered || d.latencies[0] != 4*time.Millisecond {
		t.Fatalf("latencies %v", d.latencies)
	}
}
