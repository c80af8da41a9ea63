package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/orderly-shop/orderly"
)

// Feed measures the change feed's lag: how long a change takes from its
// write to its delivery to this process's subscribers.
type Feed struct {
	lag *prometheus.HistogramVec
	now func() time.Time
}

// NewFeed registers the feed lag in reg.
func NewFeed(reg prometheus.Registerer) *Feed {
	f := promauto.With(reg)
	return &Feed{
		lag: f.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "feed", Name: "lag_seconds",
			Help: "Time from a document's change (the writer's updatedAt when polling, the server's wallTime with change streams) to the feed handing it to subscribers, by kind (ORDER, REWARDS, NOTIFICATION). Includes clock skew between that clock and this process's.",
			// From a change stream's milliseconds to a slow poll's seconds.
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"kind"}),
		now: time.Now,
	}
}

// Delivered records one change handed to subscribers. It is the change
// feed's observer (mongodb.FeedOptions.Observe). A zero changedAt (a
// source that does not know it) is not recorded; a negative lag (the
// writer's clock ahead of this one) counts as zero.
func (f *Feed) Delivered(kind orderly.ChangeKind, changedAt time.Time) {
	if changedAt.IsZero() {
		return
	}
	f.lag.WithLabelValues(string(kind)).Observe(max(f.now().Sub(changedAt), 0).Seconds())
}

// RegisterLiveSubscriptions registers a gauge of the GraphQL subscriptions
// live now, read from subscribers at each scrape: the feed's subscriber
// count, one per subscription the process serves.
func RegisterLiveSubscriptions(reg prometheus.Registerer, subscribers func() int) {
	promauto.With(reg).NewGaugeFunc(prometheus.GaugeOpts{
		Namespace: Namespace, Subsystem: "graphql", Name: "live_subscriptions",
		Help: "GraphQL subscriptions live now (subscribers of this process's change feed).",
	}, func() float64 { return float64(subscribers()) })
}
