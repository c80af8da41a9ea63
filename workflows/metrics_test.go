package workflows

import (
	"sync"
	"testing"
	"time"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/interceptor"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/worker"

	"github.com/orderly-shop/orderly"
)

// recordedMetrics is a client.MetricsHandler that keeps what is recorded:
// counter sums and timer values by name and tags.
type recordedMetrics struct {
	tags map[string]string
	all  *recordings
}

type recordings struct {
	mu       sync.Mutex
	counters map[string]int64
	timers   map[string][]time.Duration
}

func newRecordedMetrics() *recordedMetrics {
	return &recordedMetrics{all: &recordings{counters: map[string]int64{}, timers: map[string][]time.Duration{}}}
}

// key names a series: the metric and its tags, in a stable order.
func (m *recordedMetrics) key(name string) string {
	k := name
	for _, t := range []string{"status", "currency", "kind"} {
		if v, ok := m.tags[t]; ok {
			k += " " + t + "=" + v
		}
	}
	return k
}

func (m *recordedMetrics) WithTags(tags map[string]string) client.MetricsHandler {
	merged := map[string]string{}
	for k, v := range m.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return &recordedMetrics{tags: merged, all: m.all}
}

func (m *recordedMetrics) Counter(name string) client.MetricsCounter {
	return counterFunc(func(d int64) {
		m.all.mu.Lock()
		defer m.all.mu.Unlock()
		m.all.counters[m.key(name)] += d
	})
}

func (m *recordedMetrics) Gauge(string) client.MetricsGauge {
	return client.MetricsNopHandler.Gauge("")
}

func (m *recordedMetrics) Timer(name string) client.MetricsTimer {
	return timerFunc(func(d time.Duration) {
		m.all.mu.Lock()
		defer m.all.mu.Unlock()
		m.all.timers[m.key(name)] = append(m.all.timers[m.key(name)], d)
	})
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }

// TestOrderMetricsAtCompletion: a completed order stays open through its
// return window, but its figures (finished, revenue, time to complete) are
// recorded when it reaches COMPLETED, once, and the time to complete ends
// there, not with the window.
func TestOrderMetricsAtCompletion(t *testing.T) {
	metrics := newRecordedMetrics()
	h := newHarnessWith(t, func(ts *testsuite.WorkflowTestSuite) { ts.SetMetricsHandler(metrics) })
	h.env.SetWorkerOptions(worker.Options{Interceptors: []interceptor.WorkerInterceptor{NewMetricsInterceptor()}})
	in := testOrder(h.store, "ord_metrics", 2000, 2, 10)
	in.PaymentMethod = card(t, "4242 4242 4242 4242")

	if res, err := h.run(in); err != nil || res.Status != CO {
		t.Fatalf("result %+v, %v; want COMPLETED", res, err)
	}
	metrics.all.mu.Lock()
	defer metrics.all.mu.Unlock()
	for series, want := range map[string]int64{
		MetricOrdersPlaced: 1,
		MetricOrdersFinished + " status=" + string(orderly.StatusCompleted): 1,
		MetricRevenue + " currency=" + in.Total.Currency:                    in.Total.Amount,
	} {
		if got := metrics.all.counters[series]; got != want {
			t.Errorf("%s = %d, want %d (all: %v)", series, got, want, metrics.all.counters)
		}
	}
	times := metrics.all.timers[MetricTimeToComplete]
	if len(times) != 1 {
		t.Fatalf("time to complete recorded %d times, want once", len(times))
	}
	if times[0] <= 0 || times[0] >= orderly.DefaultReturnWindow {
		t.Errorf("time to complete = %s: it must end at COMPLETED, not with the %s return window", times[0], orderly.DefaultReturnWindow)
	}
}
