package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"go.mongodb.org/mongo-driver/v2/event"
)

// Store times the commands the MongoDB driver sends, by command name (find,
// update, findAndModify, …), and counts those that failed.
type Store struct {
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
}

// commonCommands start at zero in the error counter, so that a rate over it
// reads 0 rather than nothing before the first failure.
var commonCommands = []string{"find", "insert", "update", "delete", "findAndModify", "aggregate", "getMore", "createIndexes"}

// NewStore registers the store metrics in reg.
func NewStore(reg prometheus.Registerer) *Store {
	f := promauto.With(reg)
	s := &Store{
		duration: f.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: Namespace, Subsystem: "store", Name: "command_duration_seconds",
			Help:    "Round trip of a MongoDB command as the driver measures it, by command name; failed commands included.",
			Buckets: latencyBuckets,
		}, []string{"command"}),
		errors: f.NewCounterVec(prometheus.CounterOpts{
			Namespace: Namespace, Subsystem: "store", Name: "command_errors_total",
			Help: "MongoDB commands that failed (a server error or a lost connection), by command name.",
		}, []string{"command"}),
	}
	for _, c := range commonCommands {
		s.errors.WithLabelValues(c)
	}
	return s
}

// Monitor returns the driver command monitor that feeds these metrics.
// Command names come from the driver, a fixed set.
func (s *Store) Monitor() *event.CommandMonitor {
	return &event.CommandMonitor{
		Succeeded: func(_ context.Context, e *event.CommandSucceededEvent) {
			s.duration.WithLabelValues(e.CommandName).Observe(e.Duration.Seconds())
		},
		Failed: func(_ context.Context, e *event.CommandFailedEvent) {
			s.duration.WithLabelValues(e.CommandName).Observe(e.Duration.Seconds())
			s.errors.WithLabelValues(e.CommandName).Inc()
		},
	}
}
