package graph

import (
	"context"
	"sync"
	"time"

	"github.com/orderly-shop/orderly"
)

// dashboardTTL is how long a server process keeps a dashboard. The web app
// polls every 10 s; within this time every operator's poll, on every tab,
// is answered from memory, so the store reads one dashboard per window per
// process per dashboardTTL, however many operators watch.
const dashboardTTL = 5 * time.Second

// dashboardCache holds the latest dashboard of each window. One load runs
// at a time; who waited for it takes its result.
type dashboardCache struct {
	once    sync.Once
	turn    chan struct{}
	mu      sync.Mutex
	entries map[time.Duration]*orderly.Dashboard
}

func (c *dashboardCache) init() {
	c.once.Do(func() {
		c.turn = make(chan struct{}, 1)
		c.entries = map[time.Duration]*orderly.Dashboard{}
	})
}

// fresh returns the window's dashboard if it was computed less than
// dashboardTTL before now.
func (c *dashboardCache) fresh(window time.Duration, now time.Time) *orderly.Dashboard {
	c.mu.Lock()
	defer c.mu.Unlock()
	d := c.entries[window]
	if d == nil || now.Before(d.GeneratedAt) || now.Sub(d.GeneratedAt) >= dashboardTTL {
		return nil
	}
	return d
}

func (c *dashboardCache) put(d *orderly.Dashboard) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[d.Window] = d
}

// dashboard returns the window's dashboard: the one kept if fresh, else a
// new one read from the store (OrderStatsService) and computed by the root
// (orderly.NewDashboard).
func (r *Resolver) dashboard(ctx context.Context, window time.Duration) (*orderly.Dashboard, error) {
	if r.OrderStats == nil {
		return nil, orderly.Errorf(orderly.EUNAVAILABLE, "the dashboard is not available")
	}
	c := &r.dashboards
	c.init()
	if d := c.fresh(window, r.now()); d != nil {
		return d, nil
	}
	select {
	case c.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, orderly.Errorf(orderly.EUNAVAILABLE, "the store is busy; try again shortly")
	}
	defer func() { <-c.turn }()
	now := r.now()
	if d := c.fresh(window, now); d != nil {
		return d, nil // loaded while this request waited
	}
	counts, err := r.OrderStats.CountOrdersByStatus(ctx)
	if err != nil {
		return nil, err
	}
	changed, more, err := r.OrderStats.OrdersChangedSince(ctx, orderly.DashboardSince(now, window), orderly.MaxDashboardOrders)
	if err != nil {
		return nil, err
	}
	d := orderly.NewDashboard(orderly.DashboardInput{Now: now, Window: window, StatusCounts: counts, Changed: changed, More: more})
	c.put(&d)
	return &d, nil
}

// seconds is a duration in seconds, or null for a summary of nothing.
func seconds(s *orderly.Durations, d time.Duration) *float64 {
	if s.Count == 0 {
		return nil
	}
	v := d.Seconds()
	return &v
}
