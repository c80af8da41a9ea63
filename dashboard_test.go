package orderly

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	s := func(secs ...int) []time.Duration {
		out := make([]time.Duration, len(secs))
		for i, v := range secs {
			out[i] = time.Duration(v) * time.Second
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      int
		want   time.Duration
	}{
		{"none", nil, 50, 0},
		{"one value is every percentile", s(7), 50, 7 * time.Second},
		{"one value, p95", s(7), 95, 7 * time.Second},
		{"median of four is the second (nearest rank, no interpolation)", s(1, 2, 3, 4), 50, 2 * time.Second},
		{"median of five is the third", s(1, 2, 3, 4, 5), 50, 3 * time.Second},
		{"p95 of four is the largest", s(1, 2, 3, 4), 95, 4 * time.Second},
		{"p95 of 20 is the 19th", s(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 95, 19 * time.Second},
		{"p95 of 21 is the 20th", s(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21), 95, 20 * time.Second},
		{"p50 of 1..100 is 50", s(hundred...), 50, 50 * time.Second},
		{"p95 of 1..100 is 95", s(hundred...), 95, 95 * time.Second},
		{"p100 is the maximum", s(1, 5, 9), 100, 9 * time.Second},
		{"p below 1 is the minimum", s(1, 5, 9), 0, time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %d) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	in := []time.Duration{9 * time.Second, time.Second, 5 * time.Second}
	got := Summarize(in)
	want := Durations{Count: 3, P50: 5 * time.Second, P95: 9 * time.Second, Max: 9 * time.Second}
	if got != want {
		t.Errorf("Summarize = %+v, want %+v", got, want)
	}
	if in[0] != 9*time.Second {
		t.Error("Summarize sorted its argument")
	}
	if got := Summarize(nil); got != (Durations{}) {
		t.Errorf("Summarize(nil) = %+v", got)
	}
}

func TestDashboardWindow(t *testing.T) {
	for _, tt := range []struct {
		minutes int
		want    time.Duration
	}{
		{5, 5 * time.Minute}, {60, time.Hour}, {30, 30 * time.Minute},
		{4, 0}, {61, 0}, {0, 0}, {-60, 0},
		// Far beyond 32 bits of minutes in nanoseconds: refused, not wrapped round.
		{1 << 31, 0}, {1<<62 + 5, 0},
	} {
		got, err := DashboardWindow("windowMinutes", tt.minutes)
		if got != tt.want || (err == nil) != (tt.want != 0) {
			t.Errorf("%d minutes: %v, %v; want %v", tt.minutes, got, err, tt.want)
		}
		if err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), "windowMinutes")) {
			t.Errorf("%d minutes: %v", tt.minutes, err)
		}
	}
}

func TestDashboardSince(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 30, 45, 0, time.UTC)
	tests := []struct {
		window time.Duration
		want   time.Time
	}{
		// The window ends with the minute now falls in (12:30–12:31).
		{time.Hour, time.Date(2026, 3, 1, 11, 31, 0, 0, time.UTC)},
		{5 * time.Minute, time.Date(2026, 3, 1, 12, 26, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := DashboardSince(now, tt.window); !got.Equal(tt.want) {
			t.Errorf("DashboardSince(%v, %v) = %v, want %v", now, tt.window, got, tt.want)
		}
	}
	// A time in another zone is the same instant.
	if got := DashboardSince(now.In(time.FixedZone("X", 5*3600+1800)), time.Hour); !got.Equal(tests[0].want) {
		t.Errorf("zone: %v", got)
	}
}

// at is a time relative to the start of the test window (11:31 for now = 12:30:45).
func at(minute, second int) time.Time {
	return time.Date(2026, 3, 1, 11, 31, 0, 0, time.UTC).Add(time.Duration(minute)*time.Minute + time.Duration(second)*time.Second)
}

// history builds an order created at created whose timeline holds the entries.
func history(id string, created time.Time, entries ...TimelineEntry) *Order {
	o := &Order{ID: id, CreatedAt: created, Status: StatusReceived}
	for i, e := range entries {
		e.Version = i + 1
		o.Timeline = append(o.Timeline, e)
		if e.Kind == EntryStatus {
			o.Status = e.Status
		}
	}
	return o
}

func status(s OrderStatus, t time.Time) TimelineEntry {
	return TimelineEntry{EventID: "status:" + string(s), Kind: EntryStatus, Status: s, At: t}
}

func retry(n int, t time.Time) TimelineEntry {
	return TimelineEntry{EventID: AttemptEventID("order_x", "5", n, AttemptRetry), Kind: EntryInfo, At: t}
}

func TestNewDashboard(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 30, 45, 0, time.UTC)
	completed := history("ord_done", at(-10, 0), // placed before the window, completed in its minute 2
		status(StatusReceived, at(-10, 0)), status(StatusPaid, at(1, 0)), status(StatusCompleted, at(2, 30)))
	retried := history("ord_retried", at(10, 0),
		status(StatusReceived, at(10, 0)),
		TimelineEntry{EventID: AttemptEventID("order_r", "5", 1, "failed"), Kind: EntryFailure, At: at(10, 5)},
		retry(2, at(10, 20)), retry(3, at(11, 1)),
		status(StatusCompleted, at(11, 30)))
	failed := history("ord_failed", at(20, 0),
		status(StatusReceived, at(20, 0)), status(StatusInventoryReserved, at(20, 1)),
		TimelineEntry{EventID: "failure:PAYMENT", Kind: EntryFailure, At: at(20, 2)},
		TimelineEntry{EventID: ReleaseStockEventID, Kind: EntryCompensation, At: at(20, 3)},
		status(StatusFailed, at(20, 4)))
	refunded := history("ord_refunded", at(30, 0),
		status(StatusReceived, at(30, 0)), status(StatusPaid, at(30, 10)),
		TimelineEntry{EventID: RefundEventID, Kind: EntryCompensation, Status: StatusRefunded, At: at(59, 0)},
		TimelineEntry{EventID: ReleaseStockEventID, Kind: EntryCompensation, Status: StatusRefunded, At: at(59, 1)},
		TimelineEntry{EventID: "shipment:shp_1:CANCELLED", Kind: EntryCompensation, Status: StatusRefunded, At: at(59, 2)},
		status(StatusCancelled, at(59, 44)))
	// Entries outside the window count nowhere: one before, one after its
	// last minute (a clock ahead), and an INFO entry counts as nothing.
	outside := history("ord_outside", at(-90, 0),
		status(StatusReceived, at(-90, 0)), status(StatusCompleted, at(-1, 59)),
		TimelineEntry{EventID: "note", Kind: EntryInfo, At: at(40, 0)},
		retry(2, at(60, 0)))

	d := NewDashboard(DashboardInput{
		Now: now, Window: time.Hour,
		StatusCounts: map[OrderStatus]int{StatusCompleted: 40, StatusAwaitingApproval: 2, StatusFailed: 1},
		// The completed order twice: a store that listed it twice.
		Changed: []*Order{completed, retried, failed, refunded, outside, completed},
		More:    true,
	})

	if !d.From.Equal(at(0, 0)) || !d.To.Equal(at(60, 0)) || !d.GeneratedAt.Equal(now) || d.Window != time.Hour {
		t.Errorf("window %v–%v generated %v", d.From, d.To, d.GeneratedAt)
	}
	if len(d.Minutes) != 60 || !d.Minutes[0].Start.Equal(at(0, 0)) || !d.Minutes[59].Start.Equal(at(59, 0)) {
		t.Fatalf("minutes: %d, first %v, last %v", len(d.Minutes), d.Minutes[0].Start, d.Minutes[len(d.Minutes)-1].Start)
	}
	if len(d.ByStatus) != len(AllOrderStatuses) {
		t.Fatalf("by status: %d entries, want every status", len(d.ByStatus))
	}
	for i, sc := range d.ByStatus {
		want := map[OrderStatus]int{StatusCompleted: 40, StatusAwaitingApproval: 2, StatusFailed: 1}[sc.Status]
		if sc.Status != AllOrderStatuses[i] || sc.Count != want {
			t.Errorf("by status [%d] = %+v, want %s %d", i, sc, AllOrderStatuses[i], want)
		}
	}

	nonZero := map[int]DashboardMinute{}
	for i, m := range d.Minutes {
		m.Start = time.Time{}
		if m != (DashboardMinute{}) {
			nonZero[i] = m
		}
	}
	want := map[int]DashboardMinute{
		2:  {Completed: 1},
		10: {Retries: 1},
		11: {Retries: 1, Completed: 1},
		20: {Failed: 1, Compensations: 1},
		59: {Compensations: 3, Cancelled: 1},
	}
	if fmt.Sprint(nonZero) != fmt.Sprint(want) {
		t.Errorf("minutes:\n got %v\nwant %v", nonZero, want)
	}
	wantTotals := DashboardTotals{Completed: 2, Failed: 1, Cancelled: 1, Retries: 2, Compensations: 4,
		Refunds: 1, StockReleases: 2, OtherCompensations: 1}
	if d.Totals != wantTotals {
		t.Errorf("totals = %+v\n    want %+v", d.Totals, wantTotals)
	}
	// Completed: ord_done placed at -10:00, completed at 2:30 (12m30s);
	// ord_retried placed at 10:00, completed at 11:30 (1m30s).
	wantTTC := Durations{Count: 2, P50: 90 * time.Second, P95: 750 * time.Second, Max: 750 * time.Second}
	if d.TimeToComplete != wantTTC {
		t.Errorf("time to complete = %+v, want %+v", d.TimeToComplete, wantTTC)
	}
	if d.OrdersRead != 5 || !d.Partial {
		t.Errorf("orders read %d partial %v, want 5 true", d.OrdersRead, d.Partial)
	}
}

func TestNewDashboardEmpty(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d := NewDashboard(DashboardInput{Now: now, Window: 5 * time.Minute})
	if len(d.Minutes) != 5 || d.Totals != (DashboardTotals{}) || d.TimeToComplete != (Durations{}) || d.Partial || d.OrdersRead != 0 {
		t.Errorf("empty dashboard: %+v", d)
	}
	// now on a minute's boundary: the window's last minute starts at now.
	if !d.Minutes[4].Start.Equal(now) || !d.To.Equal(now.Add(time.Minute)) {
		t.Errorf("last minute %v, to %v", d.Minutes[4].Start, d.To)
	}
	for _, sc := range d.ByStatus {
		if sc.Count != 0 {
			t.Errorf("%s: %d", sc.Status, sc.Count)
		}
	}
}

func TestTimeToCompleteNeverNegative(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 30, 45, 0, time.UTC)
	// The worker's clock is behind the server's: COMPLETED stamped before
	// the order's CreatedAt.
	o := history("ord_skew", at(30, 10), status(StatusCompleted, at(30, 5)))
	d := NewDashboard(DashboardInput{Now: now, Window: time.Hour, Changed: []*Order{o}})
	if d.TimeToComplete.Count != 1 || d.TimeToComplete.P50 != 0 {
		t.Errorf("time to complete = %+v", d.TimeToComplete)
	}
}

func TestCountByStatus(t *testing.T) {
	orders := []*Order{{Status: StatusPaid}, {Status: StatusPaid}, {Status: StatusFailed}}
	got := CountByStatus(orders)
	if len(got) != 2 || got[StatusPaid] != 2 || got[StatusFailed] != 1 {
		t.Errorf("CountByStatus = %v", got)
	}
}

func TestTimelineEntryClassification(t *testing.T) {
	tests := []struct {
		entry TimelineEntry
		retry bool
		kind  CompensationKind
	}{
		{TimelineEntry{EventID: AttemptEventID("order_a", "7", 2, AttemptRetry), Kind: EntryInfo}, true, ""},
		{TimelineEntry{EventID: AttemptEventID("order_a", "7", 1, "failed"), Kind: EntryFailure}, false, ""},
		{TimelineEntry{EventID: AttemptEventID("order_a", "7", 1, "stalled"), Kind: EntryFailure}, false, ""},
		{TimelineEntry{EventID: "retry", Kind: EntryInfo}, false, ""},
		{TimelineEntry{EventID: "status:PAID", Kind: EntryStatus, Status: StatusPaid}, false, ""},
		{TimelineEntry{EventID: RefundEventID, Kind: EntryCompensation, Status: StatusRefunded}, false, CompensationRefund},
		// A refund recorded without its status (the charge's PAID never landed).
		{TimelineEntry{EventID: RefundEventID, Kind: EntryCompensation}, false, CompensationRefund},
		{TimelineEntry{EventID: ReleaseStockEventID, Kind: EntryCompensation, Status: StatusRefunded}, false, CompensationReleaseStock},
		{TimelineEntry{EventID: "shipment:shp_1:CANCELLED", Kind: EntryCompensation}, false, CompensationOther},
		// Only compensation entries are compensations, whatever their ID.
		{TimelineEntry{EventID: RefundEventID, Kind: EntryInfo}, false, ""},
	}
	for _, tt := range tests {
		if got := tt.entry.IsRetry(); got != tt.retry {
			t.Errorf("%+v: IsRetry = %v", tt.entry, got)
		}
		kind, ok := tt.entry.Compensation()
		if kind != tt.kind || ok != (tt.kind != "") {
			t.Errorf("%+v: Compensation = %q, %v; want %q", tt.entry, kind, ok, tt.kind)
		}
	}
	if got := AttemptEventID("order_a", "7", 2, AttemptRetry); got != "attempt:order_a:7:2:retry" {
		t.Errorf("AttemptEventID = %q: recorded timelines hold this form", got)
	}
}
