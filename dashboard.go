package orderly

import (
	"context"
	"slices"
	"time"
)

// The operators' dashboard: what the system is doing, as numbers. Orders
// by status now come from a count of every order; the rest (orders ended,
// retries, compensations, time to complete) from the timelines of the
// orders changed within the window, minute by minute. Stores only read;
// every figure is computed here, by NewDashboard, for every store and every
// test fake alike.
const (
	// DashboardBucket is the width of one bar of the dashboard's charts.
	DashboardBucket = time.Minute
	// DefaultDashboardWindow is the window the dashboard shows unless asked.
	DefaultDashboardWindow = time.Hour
	// MinDashboardWindow and MaxDashboardWindow bound the window. The upper
	// bound is what keeps one dashboard's read of the store bounded.
	MinDashboardWindow = 5 * time.Minute
	MaxDashboardWindow = time.Hour
	// MaxDashboardOrders bounds the orders one dashboard reads: more
	// changed in the window, and it reads the most recently changed ones
	// and says it is partial.
	MaxDashboardOrders = 5000
)

// DashboardWindow returns the window of minutes minutes, or EINVALID on
// field unless it is from MinDashboardWindow to MaxDashboardWindow.
func DashboardWindow(field string, minutes int) (time.Duration, error) {
	lo, hi := int(MinDashboardWindow/DashboardBucket), int(MaxDashboardWindow/DashboardBucket)
	if minutes < lo || minutes > hi {
		return 0, FieldErrorf(EINVALID, field, "the window must be %d to %d minutes", lo, hi)
	}
	return time.Duration(minutes) * DashboardBucket, nil
}

// OrderStatsService reads what the dashboard is computed from. Both reads
// are bounded: the first by the window and limit (and on MongoDB by the
// updatedAt index), the second is one count per status.
type OrderStatsService interface {
	// OrdersChangedSince returns the orders last updated at or after since,
	// the most recently updated first, at most limit of them; more reports
	// whether more were changed in that time. Stores may leave out what the
	// dashboard does not read (lines, addresses, shipments, payment).
	OrdersChangedSince(ctx context.Context, since time.Time, limit int) (orders []*Order, more bool, err error)
	// CountOrdersByStatus counts every stored order by status.
	CountOrdersByStatus(ctx context.Context) (map[OrderStatus]int, error)
}

// StatusCount is the number of orders in one status.
type StatusCount struct {
	Status OrderStatus
	Count  int
}

// DashboardMinute is what happened in one minute of the window.
type DashboardMinute struct {
	Start     time.Time
	Completed int
	Failed    int
	Cancelled int
	// Retries counts activity attempts beyond the first.
	Retries int
	// Compensations counts undo steps of the saga (refunds, stock
	// releases, shipments called off).
	Compensations int
}

// DashboardTotals adds up the window's minutes, with the compensations by
// kind.
type DashboardTotals struct {
	Completed, Failed, Cancelled, Retries, Compensations int
	Refunds, StockReleases, OtherCompensations           int
}

// Durations summarizes how long something took: how many, and the
// percentiles (nearest rank) of their lengths; zero when Count is 0.
type Durations struct {
	Count    int
	P50, P95 time.Duration
	Max      time.Duration
}

// Dashboard is the operators' dashboard.
type Dashboard struct {
	// GeneratedAt is when it was computed.
	GeneratedAt time.Time
	// Window is its length; From is the start of its first minute and To
	// the end of its last, the minute GeneratedAt falls in.
	Window   time.Duration
	From, To time.Time
	// ByStatus has every status, in lifecycle order, zeros included.
	ByStatus []StatusCount
	// Minutes has one entry per minute of the window, oldest first.
	Minutes []DashboardMinute
	Totals  DashboardTotals
	// TimeToComplete measures the orders completed in the window, from
	// placement (CreatedAt) to their COMPLETED entry.
	TimeToComplete Durations
	// OrdersRead is the number of changed orders the figures come from;
	// Partial is true when more changed than a dashboard reads.
	OrdersRead int
	Partial    bool
}

// DashboardSince is where the window that ends with the minute now falls
// in starts: the store reads the orders changed since then.
func DashboardSince(now time.Time, window time.Duration) time.Time {
	return now.UTC().Truncate(DashboardBucket).Add(DashboardBucket - window)
}

// DashboardInput is what NewDashboard computes the dashboard from.
type DashboardInput struct {
	Now    time.Time
	Window time.Duration
	// StatusCounts counts every order by status (CountOrdersByStatus).
	StatusCounts map[OrderStatus]int
	// Changed are the orders changed since DashboardSince(Now, Window);
	// more says the store held more than it returned.
	Changed []*Order
	More    bool
}

// NewDashboard computes the dashboard. Each timeline entry of the changed
// orders that falls in the window counts in the minute of its time: a
// COMPLETED, FAILED or CANCELLED status entry as an order ended so, a retry
// entry (IsRetry) as a retry, a compensation entry (Compensation) as one of
// its kind. An order's entries are counted once even if it is listed
// twice; entries timed after the window's last minute (a writer's clock
// ahead of this one) wait for a later dashboard.
func NewDashboard(in DashboardInput) Dashboard {
	from := DashboardSince(in.Now, in.Window)
	n := int(in.Window / DashboardBucket)
	d := Dashboard{
		GeneratedAt: in.Now.UTC(), Window: in.Window, From: from, To: from.Add(in.Window),
		ByStatus: make([]StatusCount, 0, len(AllOrderStatuses)),
		Minutes:  make([]DashboardMinute, n), Partial: in.More,
	}
	for _, s := range AllOrderStatuses {
		d.ByStatus = append(d.ByStatus, StatusCount{Status: s, Count: in.StatusCounts[s]})
	}
	for i := range d.Minutes {
		d.Minutes[i].Start = from.Add(time.Duration(i) * DashboardBucket)
	}
	var completion []time.Duration
	seen := make(map[string]bool, len(in.Changed))
	for _, o := range in.Changed {
		if seen[o.ID] {
			continue
		}
		seen[o.ID] = true
		for _, e := range o.Timeline {
			i, ok := d.minuteOf(e.At)
			if !ok {
				continue
			}
			m := &d.Minutes[i]
			if e.Kind == EntryStatus {
				switch e.Status {
				case StatusCompleted:
					m.Completed++
					completion = append(completion, max(e.At.Sub(o.CreatedAt), 0))
				case StatusFailed:
					m.Failed++
				case StatusCancelled:
					m.Cancelled++
				}
			}
			if e.IsRetry() {
				m.Retries++
			}
			if kind, ok := e.Compensation(); ok {
				m.Compensations++
				d.Totals.count(kind)
			}
		}
	}
	d.OrdersRead = len(seen)
	for _, m := range d.Minutes {
		d.Totals.Completed += m.Completed
		d.Totals.Failed += m.Failed
		d.Totals.Cancelled += m.Cancelled
		d.Totals.Retries += m.Retries
		d.Totals.Compensations += m.Compensations
	}
	d.TimeToComplete = Summarize(completion)
	return d
}

// minuteOf returns the index of the minute t falls in, and false outside
// the window.
func (d *Dashboard) minuteOf(t time.Time) (int, bool) {
	if t.Before(d.From) || !t.Before(d.To) {
		return 0, false
	}
	return int(t.Sub(d.From) / DashboardBucket), true
}

func (t *DashboardTotals) count(kind CompensationKind) {
	switch kind {
	case CompensationRefund:
		t.Refunds++
	case CompensationReleaseStock:
		t.StockReleases++
	default:
		t.OtherCompensations++
	}
}

// Summarize returns how many durations there are and their median, 95th
// percentile and maximum. ds is not modified.
func Summarize(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	sorted := slices.Sorted(slices.Values(ds))
	return Durations{
		Count: len(sorted), P50: Percentile(sorted, 50), P95: Percentile(sorted, 95), Max: sorted[len(sorted)-1],
	}
}

// Percentile returns the p-th percentile (0 < p <= 100) of sorted, which
// must be in ascending order, by the nearest-rank method: the smallest
// value that at least p percent of the values do not exceed. It is always
// one of the values, never an interpolation, so "p95 = 41 s" means an
// order took 41 s. Zero for no values.
func Percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	p = min(max(p, 1), 100)
	rank := (p*len(sorted) + 99) / 100 // ceil(p/100 × n), from 1
	return sorted[rank-1]
}

// CountByStatus counts orders by status: what CountOrdersByStatus returns
// for a store holding exactly these orders.
func CountByStatus(orders []*Order) map[OrderStatus]int {
	counts := map[OrderStatus]int{}
	for _, o := range orders {
		counts[o.Status]++
	}
	return counts
}
